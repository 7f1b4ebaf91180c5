"""Date lines: a line that holds only a date ("Published: March 3, 2024", "Updated 5:35 AM
EDT, Oct 21, 2024", "2024-03-03T09:15:00Z", "Опубликовано: 5 марта 2024 года"), read as the ISO
date it gives as the cleaner's line rules read it (qa/cleaning_lines.py); a front matter's date;
and a date line in figures with no one reading (`unread_dateline`), which the index build
warns of."""

from __future__ import annotations

import re

from qa.dates import is_weekday_name, month_number, parse_date

_DATE_PREFIX = (
    r"^(?:(?:(?:last|originally)\s+)?(?:updated|modified|published|posted|first\s+published|date"
    r"|publication\s+date"
    # the same labels in the languages whose month names are read (qa/dates.py)
    r"|publicado|actualizado|fecha|ver[öo]ffentlicht|aktualisiert|datum|publi[ée]|mis\s+[àa]\s+jour"
    r"|pubblicato|aggiornato|data|gepubliceerd|bijgewerkt|opublikowano|publicat|publicerad"
    r"|julkaistu|опубликовано|обновлено|дата(?:\s+публикации)?|опубліковано|оновлено"
    # Chinese (simplified, traditional), Japanese and Korean labels, before a full-width colon
    r"|发布时间|發布時間|发布日期|發布日期|更新时间|更新時間|时间|時間|日期|公開日|更新日|掲載日"
    r"|配信日|입력|수정|발행일|등록일)(?:\s+(?:on|el|am|le|il|op|den|em))?\s*[:：]?\s*)?"
    r"(?:(?P<weekday>[^\W\d_]{2,12})\.?,?\s+)?"  # "Monday, ", "lunes, ": a weekday's name
)
# a time of day before the date, as AP writes it: "Updated 5:35 AM EDT, Oct 21, 2024"
_TIME_FIRST = (  # the zone in capitals only ("EDT", "E.T."), so "10.45 The …" is no time
    r"(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+(?-i:[A-Z]{1,4}\.?(?:[A-Z]\.?)?))?,?\s+)?"
)
_MON = r"(?P<mon>[^\W\d_]{3,12})\.?"  # a month's name, in English or another language
_DAY, _YEAR, _REST = r"(?P<day>\d{1,2})", r"(?P<year>\d{4})", r"(?P<rest>.*)$"
# a year's word after it (qa/dates.py: YEAR_WORDS), "г." or "года" in Russian, "р." in Ukrainian
_YEAR_WORD = r"(?:\s+(?:г|р)\.?|\s+(?:года|год|року))?(?!\w)"
# what may follow a Chinese, Japanese or Korean date before its time in figures: the weekday in
# brackets ("（水）", "(수)"), a morning or afternoon word ("午前", "上午", "오전"), or the whole
# time with the hour's and minute's signs ("10時30分", "10시 30분")
_CJK_AFTER = (
    r"(?:\s*[（(][^）)\d]{1,3}[）)])?(?:\s*(?:午前|午後|上午|下午|오전|오후))?"
    r"(?:\s*\d{1,2}\s*[時时시](?:\s*\d{1,2}\s*[分분])?)?"
)
_DATE_FORMS = [
    re.compile(_DATE_PREFIX + _TIME_FIRST + body + _REST, re.IGNORECASE)
    for body in (
        rf"{_MON}\s+{_DAY},?\s+{_YEAR}",  # Oct. 21, 2024
        rf"{_DAY}\.?\s+(?:de\s+)?{_MON},?\s+(?:de\s+)?{_YEAR}{_YEAR_WORD}",  # 21 October
        # 2024, 8 de septiembre de 2025, 12. August 2025, 19 июня 2024 г.
        r"(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})",  # 2024-10-21
        # 2024年6月19日 (Chinese, Japanese), 2024년 6월 19일 (Korean), 2024.06.19 (Korean)
        r"(?P<year>\d{4})\s*[年년]\s*(?P<mon>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})\s*[日일号號]"
        + _CJK_AFTER,
        r"(?P<year>\d{4})\.\s*(?P<mon>\d{1,2})\.\s*(?P<day>\d{1,2})\.?" + _CJK_AFTER,
    )
]
# day and month in figures ("Published: 14/03/2024", "14.03.2024", "03/14/2024"): read only when
# one reading is possible (qa/dates.py: "03/04/2024" could be either and stays in the text)
_NUMERIC_DATE = re.compile(
    _DATE_PREFIX + r"(?P<numeric>\d{1,2}[./]\d{1,2}[./]\d{4})" + _REST, re.IGNORECASE
)
# After the date only a time of day may follow, e.g. ", 5:35 a.m. E.T." or "at 14:20 GMT" (in
# Russian "в 10:30", in Ukrainian "о 10:30": qa/dates.py AT_WORDS).
_TIME_REST = re.compile(
    # seconds too ("09:15:00"), after a dash ("Sun, 03/03/2024 - 14:22", as Drupal writes it)
    r"^(?:(?:[\s,|]|\s[-–—])*(?:(?:at|в|во|о|об)\s+)?\d{1,2}(?:[:.]\d{2}){0,2}\s*(?:[ap]\.?m\.?)?"
    r"[\sA-ZА-ЯЁ.]{0,12}"  # a zone in capitals: "GMT", "E.T.", Russian "МСК"
    r"(?:(?<=GMT|UTC)[+-]\d{1,2}(?::?\d{2})?)?)?$"  # an offset after GMT or UTC: "GMT+2"
    # an ISO 8601 time after its date ("2024-03-03T09:15:00Z", "…T09:15:00.000+01:00")
    r"|^T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
)


def parse_date_line(line: str) -> str | None:
    """ISO date of a line that holds only a (publication/update) date, else None."""
    for form in _DATE_FORMS:
        m = form.match(line)
        if not m or not _TIME_REST.match(m["rest"]):
            continue
        if m["weekday"] is not None and not is_weekday_name(m["weekday"]):
            continue  # "Madrid, 8 de septiembre de 2025" is a dateline with a place, not a date
        # the line's shape is checked above; the date itself is read by dateutil, or a month's
        # name in another language by the calendar's own words (qa/dates.py)
        mon, day, year = m["mon"], m["day"], m["year"]
        numeric = f"{year}-{int(mon):02d}-{int(day):02d}" if mon.isdigit() else None
        parsed = parse_date(numeric or f"{day} {mon} {year}")
        if parsed is None and not mon.isdigit() and (number := month_number(mon)) is not None:
            parsed = parse_date(f"{year}-{number:02d}-{int(day):02d}")
        if parsed is not None:
            return parsed.isoformat()
    numeric = _numeric_dateline(line)
    if numeric is not None:
        parsed = parse_date(numeric)
        return parsed.isoformat() if parsed is not None else None
    return None


def _numeric_dateline(line: str) -> str | None:
    """The date in figures of a line that holds only one ("Published: 14/03/2024"), else None."""
    numeric = _NUMERIC_DATE.match(line)
    return numeric["numeric"] if numeric and _TIME_REST.match(numeric["rest"]) else None


def front_matter_date(value: str | None) -> str | None:
    """A front matter date ("2024-11-02", "2024-11-02T10:00:00Z", "Nov 2, 2024") as the ISO
    date a date line gives (qa/dates.py reads it as it reads an archive record's); None when
    it is no full calendar date."""
    parsed = parse_date(value) if value else None
    return parsed.isoformat() if parsed is not None else None


def unread_dateline(paragraph: str) -> bool:
    """Whether `paragraph` is a date line in figures that has no one reading as a date
    ("Published: 03/04/2024": the 3rd of April or the 4th of March): the cleaner keeps it as
    text and the article stays undated, which the index build says."""
    numeric = _numeric_dateline(paragraph)
    return numeric is not None and parse_date(numeric) is None
