"""Calendar dates written in any common way, parsed by python-dateutil."""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as date_parser

# dateutil fills missing fields from `default`; two different defaults expose a partial date
_DEFAULTS = (dt.datetime(2000, 1, 1), dt.datetime(2001, 2, 2))
_NAMES = date_parser.parserinfo()

# The calendar's words, lower case, from dateutil's own tables (the parser above reads them)
MONTH_NAMES = frozenset(names[-1].lower() for names in _NAMES.MONTHS)  # "january" … "december"
MONTH_ABBREVIATIONS = frozenset(
    name.lower() for names in _NAMES.MONTHS for name in names[:-1] if name != names[-1]
)  # "jan", "sep", "sept" …; "may" is a full name only
WEEKDAY_NAMES = frozenset(names[-1].lower() for names in _NAMES.WEEKDAYS)  # "monday" …
# day and month in figures, year last: "03/04/2024" is 3 April in Europe and March 4 in the US
_NUMERIC = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-]\d{2,4}\s*$")


def parse_date(text: str) -> dt.date | None:
    """A full calendar date ("2024-10-21", "Oct. 21, 2024", "Monday, 21 October 2024",
    "2024-10-21T05:35:00Z"), else None. A date without a day, month or year is None, not a
    guess; so is a date in figures whose day and month could be either ("03/04/2024"; but
    "21/10/2024" and "10/21/2024" can only be 21 October)."""
    numeric = _NUMERIC.match(text)
    if numeric and numeric.group(1) != numeric.group(2) and max(map(int, numeric.groups())) <= 12:
        return None
    # a weekday name would let dateutil move a partial date onto that weekday: drop it
    words = [w for w in re.split(r"\s+", text) if _NAMES.weekday(w.strip(".,")) is None]
    try:
        first, second = (date_parser.parse(" ".join(words), default=d) for d in _DEFAULTS)
    except (ValueError, OverflowError):
        return None
    return first.date() if first.date() == second.date() else None
