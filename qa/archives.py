"""One record of an archive export, holding one article: a line of a `.jsonl` file or an item
of a `.json` file (a JSON object), or a row of a `.csv` or `.tsv` file (its cells named by the
header row).

Fields: `title`, `text` or `html` (exactly one), and optionally `date`, `source`, `url` and
`author`, each also under the names exports commonly give it (`ALIASES`: `headline`, `body`,
`published`, `link`, `authors`…). Other fields are ignored, so exports that carry more (ids,
tags, language) load as they are. An author or source may be a list of names or `{"name": …}`
objects (joined with "; "), a date a Unix time in seconds or milliseconds; a WordPress export's
`{"rendered": …}` object is its text, and its author's user id (a number) names no one.
Markup and entities in `text` and the short fields (`<p>`, `<br>`, `&amp;`), which exports of
web content often keep, are turned into plain text (w3lib). A `text` line is cleaned like a
text file; an `html` line goes through the page extractor, and the line's own fields win over
what the page says about itself (an archive's fields were chosen by whoever exported it). The
id is stable: the record's `accession_number` when it has one (the id a news database gives
the article, Factiva's AN: index/html_exports.py writes it), else taken from the `url`, or from
the content when there is none, so re-importing an archive keeps every id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Any
from urllib.parse import urldefrag, urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)
from w3lib.html import remove_tags, remove_tags_with_content, replace_entities

from qa.addresses import safe_url, without_tracking
from qa.articles import article_from_page, article_from_request, parse_date, slug
from qa.authors import author_name
from qa.dates import NOT_A_CALENDAR_DATE
from qa.errors import BadInput
from qa.extraction import DEFAULT_OPTIONS, ExtractionOptions
from qa.fields import ALIASES
from qa.models import Article
from qa.text_input import c1_controls_as_cp1252

_LONG_FIELD = 300

_TAG_NAMES = r"p|br|div|span|a|b|i|em|strong|h[1-6]|li|ul|ol|blockquote|figure|figcaption|img|"
_TAG_NAMES += r"table|tr|td|script|style"
# A tag as HTML writes it: its name, then only attributes with values (`<a href="/x">`, `</p>`,
# `<br/>`), so "x<a and y>b" in a sentence is not one.
_TAG = re.compile(
    rf"<(?:/(?:{_TAG_NAMES})\s*|(?:{_TAG_NAMES})"
    r"(?:\s+[\w:-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))*\s*/?)>",
    re.IGNORECASE,
)
_ENTITY = re.compile(r"&(?:[a-z]{2,8}|#\d{1,7}|#x[0-9a-f]{1,6});", re.IGNORECASE)
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BLOCK = re.compile(r"</?(?:p|div|h[1-6]|li|blockquote|figure|tr|table|ul|ol)\b[^>]*>", re.I)
# a news database's id for an article, which becomes its id (index/file_kinds.py: DOC_ID_PATTERN)
_ACCESSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}")
# control characters a name can hold (line breaks included: a name is one line)
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


def plain_text(value: str) -> str:
    """`value` without its markup: a block's start or end a paragraph break, `<br>` a line
    break, scripts and styles gone with their content, other tags removed, entities replaced.
    Text with no tag is only unescaped if it has entities, and returned as it is otherwise."""
    if _TAG.search(value):
        value = remove_tags_with_content(value, which_ones=("script", "style"))
        value = _BLOCK.sub("\n\n", _LINE_BREAK.sub("\n", value))
        value = remove_tags(value)
    elif not _ENTITY.search(value):
        return value
    return replace_entities(value).replace("\xa0", " ")


_EARLIEST, _LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


def _numeric_date(value: int | float) -> str:
    """A number as a date: YYYYMMDD or YYYYMMDDhhmmss (eight digits are read only so), else a
    Unix time (seconds, or milliseconds when over 1e11), UTC; a date outside 1900-2100 is
    refused."""
    digits = str(int(value)) if float(value).is_integer() else ""
    if len(digits) in (8, 14):
        try:
            date = dt.datetime.strptime(digits[:8], "%Y%m%d").date()
        except ValueError:
            date = None
        if date is not None and _EARLIEST <= date <= _LATEST:
            return date.isoformat()
        if len(digits) == 8:  # as seconds, a day of 1970-1973: far likelier a mistyped date
            raise ValueError(f"{value!r} is neither a date written as digits nor a Unix time")
    seconds = value / 1000 if abs(value) > 1e11 else value
    try:
        date = dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date()
    except (OverflowError, OSError, ValueError):
        date = None
    if date is None or not _EARLIEST <= date <= _LATEST:
        raise ValueError(f"{value!r} is neither a date written as digits nor a Unix time")
    return date.isoformat()


class _Fields(BaseModel):
    """Each field of an archive line checked on its own."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    title: str | None = None
    text: str | None = None
    html: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None
    accession_number: str | None = None

    @field_validator("title", "text", "html", mode="before")
    @classmethod
    def _rendered(cls, value: Any) -> Any:
        """A WordPress REST export's `{"rendered": "…"}` object: its text (`title.rendered`,
        `content.rendered`: the post's HTML, read as markup in a text is)."""
        if isinstance(value, dict) and isinstance(value.get("rendered"), str):
            return value["rendered"]
        return value

    @field_validator("author", "source", mode="before")
    @classmethod
    def _names(cls, value: Any) -> Any:
        """ "A", ["A", "B"], {"name": "A"} or a list of such objects: the names, "; "-joined.
        A number names no one (a WordPress export's `"author": 7` is a user's id): None."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return None
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(i, str) or (isinstance(i, dict) and "name" in i) for i in items):
            return value  # left to the type check, which says what was expected
        names = [str(i["name"] if isinstance(i, dict) else i).strip() for i in items]
        return "; ".join(n for n in names if n) or None

    @field_validator("date", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return _numeric_date(value)
        return value

    @field_validator("title", "text", "source", "author", mode="after")
    @classmethod
    def _without_markup(cls, value: str | None) -> str | None:
        return plain_text(value).strip() if value else value

    @field_validator("source", "author", mode="after")
    @classmethod
    def _without_controls(cls, value: str | None) -> str | None:
        """Names are stored as the record gives them, not through the cleaner that reads a
        title and a text: a C1 control (an export decoded as Latin-1: "Park Ji\x96won") is
        read as Windows-1252 ("Park Ji–won"), and other controls are removed."""
        return _CONTROLS.sub("", c1_controls_as_cp1252(value)) if value else value

    @field_validator("author", mode="after")
    @classmethod
    def _without_by(cls, value: str | None) -> str | None:
        """An author as every path stores it (`qa.authors.author_name`): a byline cell "By Eva
        Lund" is "Eva Lund", as a text file's byline is."""
        return author_name(value)

    @field_validator("title", "source", "author")
    @classmethod
    def _short(cls, value: str | None) -> str | None:
        if value is not None and len(value) > _LONG_FIELD:
            raise ValueError(f"is longer than {_LONG_FIELD} characters")
        return value or None

    @field_validator("date")
    @classmethod
    def _calendar_date(cls, value: str | None) -> str | None:
        if not value:
            return None
        parsed = parse_date(value)
        if parsed is None:
            raise ValueError(
                f"{value!r} {NOT_A_CALENDAR_DATE} (write it as year-month-day, e.g. 2024-10-21)"
            )
        return parsed.isoformat()

    @field_validator("accession_number", mode="before")
    @classmethod
    def _one_word(cls, value: Any) -> Any:
        """The id the news database gives the article (Factiva's AN), which becomes its id
        here: one word, as an id is (`DOC_ID_PATTERN` in index/file_kinds.py)."""
        if not isinstance(value, str) or not value.strip():
            return value or None  # not text: pydantic's own words say so
        if not _ACCESSION.fullmatch(value.strip()):
            raise ValueError(
                f"{value[:80]!r} is not one word of letters and digits (hyphens, dots and "
                "underscores inside it), at most 100 characters"
            )
        return value

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if safe_url(value) is None:
            raise ValueError(f"{value[:80]!r} is not an http or https address")
        # the same article whatever part of it is linked, and from whatever link it was saved
        return without_tracking(urldefrag(value)[0])


class ArchiveRecord(_Fields):
    """The fields of one archive line that the service reads."""

    _date_problem: str | None = PrivateAttr(default=None)

    @property
    def date_problem(self) -> str | None:
        """What is wrong with the `date` the record writes when it is no calendar date
        ("`date` 'soon' is not a calendar date …"; `record_of` then reads the record without
        it, undated), else None."""
        return self._date_problem

    @model_validator(mode="after")
    def _one_body(self) -> ArchiveRecord:
        if bool(self.text) == bool(self.html):
            given = [f"`{name}`" for name in ("text", "html") if name in self.model_fields_set]
            raise ValueError(
                f"{' and '.join(given)} {'is' if len(given) == 1 else 'are'} empty: give the "
                "article's text or page"
                if given and not (self.text or self.html)
                else "give the article as exactly one of `text` or `html`"
            )
        if self.text and not self.title:
            raise ValueError(
                "`title` is missing (only an article given as `html` may leave it to the page)"
            )
        return self


def parse_record(line: str) -> ArchiveRecord:
    """The record on one line; `BadInput` naming what is wrong with it."""
    return record_of(parse_line(line))


def parse_line(line: str) -> dict[str, Any]:
    """The JSON object on one line; `BadInput` when it is not one. `NaN` and `Infinity`, which
    Python's json writes for a missing value of a pandas table, read as null (absent)."""
    try:
        # an error at the end is at its column, not "line 2"
        value: Any = json.loads(line.rstrip(), parse_constant=_absent)
    except RecursionError:
        raise BadInput("nested deeper than a JSON reader goes (about 1,000 levels)") from None
    except ValueError as exc:  # a JSONDecodeError, or an integer over Python's 4,300 digits
        if not isinstance(exc, json.JSONDecodeError):
            raise BadInput(f"not valid JSON ({exc})") from None
        # json's own words for a control character already end in "at"
        raise BadInput(
            f"not valid JSON ({exc.msg.removesuffix(' at')} at column {exc.colno})"
        ) from exc
    if not isinstance(value, dict):
        raise BadInput(f"a line must hold a JSON object, not {type(value).__name__}")
    return value


def _absent(_constant: str) -> None:
    return None


def record_of(value: dict[str, Any]) -> ArchiveRecord:
    """The record of one line's object or one row's named cells; `BadInput` naming what is
    wrong with it. A `date` that is no calendar date (nor a date in figures with one reading)
    loses no article: the record is read without it, and `date_problem` says what it wrote."""
    fields = _with_other_names(value)
    try:
        return ArchiveRecord.model_validate(fields)
    except ValidationError as exc:
        if not all(e["loc"][:1] == ("date",) for e in exc.errors()):
            raise BadInput(_problems(exc)) from exc
        problem = _problems(exc)
    try:
        record = ArchiveRecord.model_validate({k: v for k, v in fields.items() if k != "date"})
    except ValidationError as exc:
        raise BadInput(_problems(exc)) from exc
    record._date_problem = problem
    return record


def _problems(exc: ValidationError) -> str:
    return "; ".join(
        (f"`{'.'.join(str(p) for p in e['loc'])}` " if e["loc"] else "") + _problem(e)
        for e in exc.errors()
    )


_JSON_KINDS = {dict: "an object", list: "a list", bool: "true or false", int: "a number",
               float: "a number"}  # fmt: skip


def _problem(error: Any) -> str:
    """One field's problem in words: pydantic's "Input should be a valid string" says what the
    field must be and what it was given ("must be text, not an object")."""
    if error["type"] == "string_type":
        given = _JSON_KINDS.get(type(error["input"]), type(error["input"]).__name__)
        if error["loc"] and error["loc"][0] in ("author", "source"):
            return f'must be a name, or a list of names or of {{"name": …}} objects, not {given}'
        return f"must be text, not {given}"
    return str(error["msg"]).removeprefix("Value error, ")


def names_of(field: str) -> tuple[str, ...]:
    """A field's own name and its other names (`ALIASES`)."""
    return (field, *ALIASES.get(field, ()))


# the names a record's article text or page may stand under
BODY_NAMES = (*names_of("text"), "html")
_BODY_KEYS = frozenset(name.lower() for name in BODY_NAMES)

_FIELD_NAMES = {name.lower(): name for name in (*ALIASES, "html")} | {
    other.lower(): other for others in ALIASES.values() for other in others
}


def column_names(header: list[str]) -> list[str | None]:
    """A table's header row as field names: each column that names a field or one of its other
    names in any case ("Title", "CONTENT", "pubDate") spelled as the record reads it, and any
    other column, or a name repeated, as None (its cells are not read, as a line's unknown
    fields are not). `BadInput` when no column names the article's text or page, which every
    row needs."""
    names: list[str | None] = []
    for cell in header:
        known = _FIELD_NAMES.get(cell.strip().lower())
        names.append(known if known is not None and known not in names else None)
    if not any(name in BODY_NAMES for name in names):
        shown = ", ".join(repr(c.strip()) for c in header[:8] if c.strip()) or "nothing"
        raise BadInput(
            f"its first row names no column of article text (it names {shown}); the first "
            "row must name the columns, one of them `text` (or `html`, `body`, `content`)"
        )
    return names


def _with_other_names(value: dict[str, Any]) -> dict[str, Any]:
    """The line's fields, each missing or empty one taken from the same name in another case,
    else from its first other name (`ALIASES`) whose value fits the field; `text` only when
    the line has no `html`."""
    fields = dict(value)
    for key in value:  # a field's name in another case ("Title", "TEXT"), as a table's header
        known = _FIELD_NAMES.get(key.lower()) if isinstance(key, str) else None
        if known is not None and known != key and _empty(fields.get(known)):
            fields[known] = value[key]
    for field, names in ALIASES.items():
        if not _empty(fields.get(field)) or (field == "text" and not _empty(fields.get("html"))):
            continue
        for name in names:
            if not _empty(value.get(name)) and _fits(field, value[name]):
                fields[field] = value[name]
                break
    if (
        all(_empty(fields.get(name)) for name in ("text", "html"))
        and "html" not in fields
        and any(isinstance(key, str) and key.lower() in _BODY_KEYS for key in value)
    ):
        # a body given under another name ("body", "content") but empty: said as empty
        # ("`text` is empty"), not as if the record had no body field at all
        fields["text"] = ""
    return fields


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _fits(field: str, value: Any) -> bool:
    try:
        _Fields.model_validate({field: value})
    except ValidationError:
        return False
    return True


def record_doc_id(record: ArchiveRecord) -> str:
    """Stable id: the accession number a news database gives the article (Factiva's AN) as it
    is written, else a slug and a hash of the address, or of the title and body without one."""
    if record.accession_number:
        return record.accession_number
    if record.url:
        parts = urlsplit(record.url)
        segments = [s for s in parts.path.split("/") if re.search(r"[A-Za-z]", s)]
        name = re.sub(r"\.\w{2,5}$", "", segments[-1]) if segments else parts.netloc
        key = record.url
    else:
        name = record.title or ""
        key = f"{record.title or ''}\x00{record.text or record.html or ''}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    return f"{slug(name, words=6)}-{digest}"


def article_from_record(
    record: ArchiveRecord,
    *,
    doc_id: str,
    line_hash: str,
    options: ExtractionOptions = DEFAULT_OPTIONS,
) -> Article:
    """The cleaned article of a record; `BadInput` when it holds no usable text."""
    if record.html:
        page = article_from_page(doc_id, record.html, url=record.url, options=options)
        return page.model_copy(
            update={
                # the page's own title is read as its text is; one the record gives, alike
                "title": c1_controls_as_cp1252(record.title) if record.title else page.title,
                "source": record.source or page.source,
                "date": record.date or page.date,
                "author": record.author or page.author,
                "url": record.url or page.url,
                "content_hash": line_hash,
            }
        )
    published = parse_date(record.date) if record.date else None
    article, _ = article_from_request(
        doc_id, record.text or "", title=record.title, source=record.source, date=published
    )
    return article.model_copy(
        update={
            "author": record.author or article.author,
            "url": record.url,
            "content_hash": line_hash,
        }
    )
