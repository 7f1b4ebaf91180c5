"""Calendar dates written in any common way, parsed by python-dateutil."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from babel.dates import get_day_names, get_month_names
from dateutil import parser as date_parser

from qa.lexical import without_accents

# dateutil fills missing fields from `default`; two different defaults expose a partial date
_DEFAULTS = (dt.datetime(2000, 1, 1), dt.datetime(2001, 2, 2))
_NAMES = date_parser.parserinfo()

# The calendar's words, lower case, from dateutil's own tables (the parser above reads them)
MONTH_NAMES = frozenset(names[-1].lower() for names in _NAMES.MONTHS)  # "january" … "december"
MONTH_ABBREVIATIONS = frozenset(
    name.lower() for names in _NAMES.MONTHS for name in names[:-1] if name != names[-1]
)  # "jan", "sep", "sept" …; "may" is a full name only
WEEKDAY_NAMES = frozenset(names[-1].lower() for names in _NAMES.WEEKDAYS)  # "monday" …
# year-month-day, alone or before an ISO 8601 time of day and offset ("2024-10-21T05:35:00Z");
# a time out of range ("25:00") is left to dateutil, which refuses it
_ISO = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,6})?)?"
    r"(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?)?\s*$"
)
# day and month in figures, year last: "03/04/2024" is 3 April in Europe and March 4 in the US
# (a time of day may follow: "03/04/2024 10:30" is no less ambiguous)
_NUMERIC = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-]\d{2,4}(?:\s*$|[\sT,]+\d)")


# Month and weekday names in the languages news is most often saved in, from the CLDR data that
# babel carries (wide and abbreviated, in running text and standing alone: "septiembre",
# "Aug.", Polish "września"), accents kept and dropped. A name two languages give to different
# months ("listopad": November in Polish, October in Croatian) is no month here.
DATE_LANGUAGES = (
    "en", "es", "fr", "de", "it", "pt", "nl", "ca", "sv", "da", "nb", "fi", "pl", "cs", "sk",
    "ro", "hr", "sl", "tr", "id", "ru", "uk",
)  # fmt: skip
# a year's word after its figures: Russian "19 июня 2024 г." ("года"), Ukrainian "2024 р."
YEAR_WORDS = frozenset({"г", "года", "год", "р", "року", "рік"})
# the word before a time of day after the date, as English writes "at": Russian "в 10:30",
# Ukrainian "о 10:30" ("об 11:00")
AT_WORDS = frozenset({"в", "во", "о", "об"})
# a time of day in figures, its parts set apart by colons or by dots ("10:30", "10.30", as
# Russian and Ukrainian write it, and British English): after "at" or one of AT_WORDS it is a
# time, not a decimal number (Russian and Ukrainian write a decimal with a comma, "в 2,5 раза",
# and a decimal after "at" ends no date); dateutil reads "10.30" as a number, so its dots are
# read as colons there (`_with_colon_times`)
_TIME_OF_DAY = re.compile(r"^\d{1,2}[:.]\d{2}(?:[:.]\d{2})?,?$")
_BEFORE_TIME = AT_WORDS | {"at"}
# a date in Chinese, Japanese or Korean: "2024年6月19日", "2024년 6월 19일" (the day's sign
# may be left out, or be the spoken "号"), or a Korean "2024.06.19"; then perhaps the weekday in
# brackets ("（水）", "(수)") and a time of day, after a morning or afternoon word ("午前",
# "上午", "오전"), in figures ("10:30") or with the hour's and minute's signs ("10時30分",
# "10시 30분")
_CJK = re.compile(
    r"^\s*(\d{4})\s*(?:[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일号號]?"
    r"|\.\s*(\d{1,2})\s*\.\s*(\d{1,2})\.?)"
    r"(?:\s*[（(][^）)\d]{1,3}[）)])?"
    r"(?:\s*(?:午前|午後|上午|下午|오전|오후)?\s*\d{1,2}"
    r"(?:[:：]\d{2}(?:[:：]\d{2})?|\s*[時时시](?:\s*\d{1,2}\s*[分분])?))?\s*$"
)


def _plain(word: str) -> str:
    """The word as the project compares words: lower case, accents dropped (qa/lexical.py)."""
    return without_accents(word.lower().strip(" ."))


@lru_cache(maxsize=1)
def _calendar_words() -> tuple[dict[str, int], frozenset[str]]:
    found: dict[str, set[int]] = {}
    weekdays: set[str] = set()
    for language in DATE_LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, language).items():
                    for form in {name.lower().strip(" ."), _plain(name)}:
                        found.setdefault(form, set()).add(number)
                weekdays.update(
                    form
                    for name in get_day_names(width, context, language).values()
                    for form in (name.lower().strip(" ."), _plain(name))
                )
    months = {word: next(iter(n)) for word, n in found.items() if len(n) == 1 and len(word) >= 3}
    return months, frozenset(w for w in weekdays if len(w) >= 3)


def month_number(word: str) -> int | None:
    """The month a month's name or abbreviation gives, in any of `DATE_LANGUAGES` ("septiembre"
    9, "août" 8, "Okt." 10), else None."""
    months, _ = _calendar_words()
    return months.get(word.lower().strip(" .")) or months.get(_plain(word))


def is_weekday_name(word: str) -> bool:
    """A weekday's name or abbreviation in any of `DATE_LANGUAGES` ("Monday", "lunes", "Mo.")."""
    _, weekdays = _calendar_words()
    return word.lower().strip(" .,") in weekdays or _plain(word.strip(",")) in weekdays


# what a date `parse_date` cannot read is told, after the value (one wording for every path)
NOT_A_CALENDAR_DATE = (
    "is not a calendar date (a day, a month and a year), or its day and month could be either"
)


@lru_cache(maxsize=4096)  # an export's rows repeat their dates (many articles a day)
def parse_date(text: str) -> dt.date | None:
    """A full calendar date ("2024-10-21", "Oct. 21, 2024", "Monday, 21 October 2024",
    "2024-10-21T05:35:00Z", "19 июня 2024 г.", "2024年6月19日"), else None. A date without a
    day, month or year is None, not a guess; so is a date in figures whose day and month could
    be either ("03/04/2024"; but "21/10/2024" and "10/21/2024" can only be 21 October)."""
    # what exports write most, read as dateutil reads it (1 µs here against 70); and the
    # Chinese, Japanese and Korean form in figures, which dateutil does not read
    iso = _ISO.match(text) or _CJK.match(text)
    if iso:
        try:  # the CJK form's figures stand in one of its two alternatives
            return dt.date(*(int(g) for g in iso.groups() if g is not None))
        except (TypeError, ValueError):
            return None
    return _parsed(text)


def _parsed(text: str) -> dt.date | None:
    """`parse_date` by dateutil, for any form."""
    numeric = _NUMERIC.match(text)
    if numeric and numeric.group(1) != numeric.group(2) and max(map(int, numeric.groups())) <= 12:
        return None
    # a weekday name would let dateutil move a partial date onto that weekday: drop it
    text = _with_colon_times(text)
    words = [w for w in re.split(r"\s+", text) if _NAMES.weekday(w.strip(".,")) is None]
    found = _complete(" ".join(words))
    if found is None and (english := _in_english(text)) is not None:
        found = _complete(english)
    return found


def _with_colon_times(text: str) -> str:
    """`text` with a time after "at" or one of `AT_WORDS` written with dots ("в 10.30", "at
    9.05") written with colons, before dateutil reads any of it: it reads "10.30" as a number,
    and "At 9.05 on June 19, 2024" as 9 June 2019."""
    parts = text.split()
    return " ".join(
        word.replace(".", ":")
        if at and parts[at - 1].lower() in _BEFORE_TIME and _TIME_OF_DAY.match(word)
        else word
        for at, word in enumerate(parts)
    )


def _complete(text: str) -> dt.date | None:
    """The date dateutil reads in `text` when it has a day, a month and a year, else None."""
    try:
        first, second = (date_parser.parse(text, default=d) for d in _DEFAULTS)
    except (ValueError, OverflowError):
        return None
    return first.date() if first.date() == second.date() else None


# words between a date's parts in the CLDR long forms ("4 de noviembre de 2024"), and after
# them ("19 июня 2024 г.")
_LINKS = frozenset({"de", "del"}) | YEAR_WORDS


def _in_english(text: str) -> str | None:
    """`text` with its month's name in another of `DATE_LANGUAGES` written as dateutil reads
    it ("lun., 04 nov. 2024 10:00:00 +0100", a French feed's date: "04 November 2024 10:00:00
    +0100"), its weekday's name and the words between the parts left out, a Russian or
    Ukrainian "в" or "о" before a time as "at"; None when it names no such month. A weekday's
    name before a comma is one even where a month has it too (the French and Spanish "mar.,"
    Tuesday, "Mar" March in English)."""
    words: list[str] = []
    month = False
    parts = text.split()
    for at, word in enumerate(parts):
        bare = word.strip(".,")
        if not bare.isalpha():
            words.append(word)
        elif bare.lower() in AT_WORDS and at + 1 < len(parts) and _TIME_OF_DAY.match(parts[at + 1]):
            words.append("at")  # "19 июня 2024 года в 10:30": dateutil reads "at" before a time
        elif bare.lower() in _LINKS or (
            is_weekday_name(word) and (word.endswith(",") or month_number(bare) is None)
        ):
            continue
        elif (number := month_number(bare)) is not None:
            words.append(_ENGLISH_MONTHS[number - 1])
            month = True
        else:
            words.append(word)
    return " ".join(words) if month else None


_ENGLISH_MONTHS = tuple(names[-1] for names in _NAMES.MONTHS)  # "January" … "December"
