"""One line of a `.jsonl` archive export: a JSON object holding one article.

Fields: `title`, `text` or `html` (exactly one), and optionally `date`, `source`, `url` and
`author`, each also under the names exports commonly give it (`ALIASES`: `headline`, `body`,
`published`, `link`, `authors`…). Other fields are ignored, so exports that carry more (ids,
tags, language) load as they are. An author or source may be a list of names or `{"name": …}`
objects (joined with "; "), a date a Unix time in seconds or milliseconds. Markup and entities
in `text` and the short fields (`<p>`, `<br>`, `&amp;`), which exports of web content often
keep, are turned into plain text (w3lib). A `text` line is cleaned like a text file; an `html`
line goes through the page extractor, and the line's own fields win over what the page says
about itself (an archive's fields were chosen by whoever exported it). The id is stable: taken
from the `url`, or from the content when there is none, so re-importing an archive keeps every
id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Any
from urllib.parse import urldefrag, urlsplit

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from w3lib.html import remove_tags, replace_entities

from qa.articles import article_from_page, article_from_request, parse_date, slug
from qa.errors import BadInput
from qa.extraction import DEFAULT_OPTIONS, ExtractionOptions, safe_url
from qa.models import Article

_LONG_FIELD = 300

# Each field, then the other names exports give it (the first one a line has is read).
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "text": ("text", "body", "content", "articleBody", "article_text"),
    "html": ("html",),
    "date": ("date", "published", "pubDate", "pub_date", "datePublished", "published_at",
             "publishedAt", "publish_date", "date_published"),
    "source": ("source", "publisher", "site_name", "outlet"),
    "url": ("url", "link", "canonical_url"),
    "author": ("author", "authors", "byline", "creator"),
}  # fmt: skip

# Markup that shows a text field holds HTML: common tags, or character entities.
_MARKUP = re.compile(
    r"</?(?:p|br|div|span|a|b|i|em|strong|h[1-6]|li|ul|ol|blockquote|figure|figcaption|img|"
    r"table|tr|td)\b[^>]*>|&(?:[a-z]{2,8}|#\d{1,7}|#x[0-9a-f]{1,6});",
    re.IGNORECASE,
)
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BLOCK_END = re.compile(r"</(?:p|div|h[1-6]|li|blockquote|figure|tr|table|ul|ol)\s*>", re.I)


def plain_text(value: str) -> str:
    """`value` without its markup: a block's end a paragraph break, `<br>` a line break, other
    tags removed and entities replaced; text without markup is returned as it is."""
    if not _MARKUP.search(value):
        return value
    value = _BLOCK_END.sub("\n\n", _LINE_BREAK.sub("\n", value))
    return replace_entities(remove_tags(value)).replace("\xa0", " ")


def _field(name: str) -> Any:
    return Field(default=None, validation_alias=AliasChoices(*ALIASES[name]))


class ArchiveRecord(BaseModel):
    """The fields of one archive line that the service reads."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    title: str | None = _field("title")
    text: str | None = _field("text")
    html: str | None = _field("html")
    date: str | None = _field("date")
    source: str | None = _field("source")
    url: str | None = _field("url")
    author: str | None = _field("author")

    @field_validator("author", "source", mode="before")
    @classmethod
    def _names(cls, value: Any) -> Any:
        """ "A", ["A", "B"], {"name": "A"} or a list of such objects: the names, "; "-joined."""
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(i, str) or (isinstance(i, dict) and "name" in i) for i in items):
            return value  # left to the type check, which says what was expected
        names = [str(i["name"] if isinstance(i, dict) else i).strip() for i in items]
        return "; ".join(n for n in names if n) or None

    @field_validator("date", mode="before")
    @classmethod
    def _unix_time(cls, value: Any) -> Any:
        """A Unix time as its UTC date: seconds, or milliseconds when over 1e11 (as seconds,
        a date after the year 5000)."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            seconds = value / 1000 if abs(value) > 1e11 else value
            try:
                return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date().isoformat()
            except (OverflowError, OSError, ValueError):
                raise ValueError(f"{value!r} is not a Unix time") from None
        return value

    @field_validator("title", "text", "source", "author", mode="after")
    @classmethod
    def _without_markup(cls, value: str | None) -> str | None:
        return plain_text(value).strip() if value else value

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
            raise ValueError(f"{value!r} is not a calendar date (e.g. 2024-10-21)")
        return parsed.isoformat()

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if safe_url(value) is None:
            raise ValueError(f"{value[:80]!r} is not an http or https address")
        return urldefrag(value)[0]  # the same article whatever part of it is linked

    @model_validator(mode="after")
    def _one_body(self) -> ArchiveRecord:
        if bool(self.text) == bool(self.html):
            raise ValueError("give the article as exactly one of `text` or `html`")
        if self.text and not self.title:
            raise ValueError("`title` is missing (only an `html` line may leave it to the page)")
        return self


def parse_record(line: str) -> ArchiveRecord:
    """The record on one line; `BadInput` naming what is wrong with it."""
    try:
        value: Any = json.loads(line.rstrip())  # an error at the end is at its column, not "line 2"
    except json.JSONDecodeError as exc:
        # json's own words for a control character already end in "at"
        raise BadInput(
            f"not valid JSON ({exc.msg.removesuffix(' at')} at column {exc.colno})"
        ) from exc
    if not isinstance(value, dict):
        raise BadInput(f"a line must hold a JSON object, not {type(value).__name__}")
    try:
        return ArchiveRecord.model_validate(value)
    except ValidationError as exc:
        problems = "; ".join(
            (f"`{'.'.join(str(p) for p in e['loc'])}` " if e["loc"] else "")
            + str(e["msg"]).removeprefix("Value error, ")
            for e in exc.errors()
        )
        raise BadInput(problems) from exc


def record_doc_id(record: ArchiveRecord) -> str:
    """Stable id: a slug and a hash of the address, or of the title and body without one."""
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
                "title": record.title or page.title,
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
