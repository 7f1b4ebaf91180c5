"""The articles of a news feed or a blog's export, item by item: RSS 2.0 and RSS 1.0 (`<item>`),
Atom (`<entry>`), and a WordPress export (WXR: RSS with `wp:` fields), as `.xml`, `.rss` or
`.atom` files.

Each item comes out as an `Entry` (index/exports.py) whose fields are a record's
(qa/archives.py): `title`, `text` (the item's full content, `content:encoded` or Atom
`content`, else its `description` or `summary`; HTML markup in it becomes plain text as in any
record; Media RSS's `media:content` is a picture's), `url` (`link`, made absolute against the
`xml:base` around it or the feed's own link; else a `guid` that is a permalink), `date`
(`pubDate`, `published`, `dc:date`, else `updated`), `author`
(`dc:creator`, Atom `author/name`, RSS `author`) and `source` (the feed's own title). A
WordPress export's attachments, pages, menu items and drafts are not articles: each is an entry
that says so. Elements are matched by local name, so the feed's namespaces do not matter.

Read with lxml's `iterparse` as the file streams (each item is dropped once read), with entity
expansion and network access off, so a large export or a hostile file is never held in memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urljoin, urlsplit

from lxml import etree

from index.exports import Entry, too_large
from qa.errors import BadInput

FEED_SUFFIXES = (".xml", ".rss", ".atom")
_ITEMS = ("item", "entry")
_FEEDS = ("channel", "feed", "RDF")
_ATOM = "http://www.w3.org/2005/Atom"
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
# the item's full text first, its summary only without one
_BODIES = ("encoded", "content", "description", "summary")
_NO_BODY = "no article text in the item (no content, description or summary): only a headline"
_DATES = ("pubDate", "published", "date", "issued", "updated", "modified")
_POSTS = ("post", "")  # WordPress post types that are articles ("" : not a WordPress export)
# an RSS `author` is an address, often with the name after it: "jane@example.org (Jane Doe)"
_ADDRESS_AND_NAME = re.compile(r"^\S+@\S+\s+\((?P<name>[^()]+)\)$")


def _local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _text(element: Any) -> str:
    return "".join(element.itertext()).strip()


def _children(item: Any) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for child in item:
        found.setdefault(_local(child.tag), []).append(child)
    return found


def _body(children: dict[str, list[Any]]) -> str | None:
    for name in _BODIES:
        for element in children.get(name, []):
            if name == "content" and etree.QName(element).namespace not in (None, _ATOM):
                continue  # a picture's or a video's (Media RSS `media:content`), not the text
            if element.get("type") == "xhtml":  # Atom: the markup itself, inside a <div>
                body = "".join(etree.tostring(e, encoding="unicode") for e in element)
            else:
                body = _text(element)
            if body:
                return body
    return None


def _link(children: dict[str, list[Any]], home: str | None) -> str | None:
    """The item's address: its `link` (Atom: the "alternate" one), else an RSS `guid` that is
    a permalink (as it is unless `isPermaLink="false"`) and an address. A relative link
    ("/news/a") is read against the `xml:base` around it, else the feed's own address
    (`home`)."""
    for element in children.get("link", []):
        if element.get("href") is not None:  # Atom: the page is the "alternate" link
            if element.get("rel", "alternate") == "alternate" and element.get("href").strip():
                return _absolute(element.get("href").strip(), element, home)
        elif _text(element):
            return _absolute(_text(element), element, home)
    for element in children.get("guid", []):
        address = _text(element)
        permalink = element.get("isPermaLink", "true").strip().lower() != "false"
        if permalink and urlsplit(address).scheme.lower() in ("http", "https"):
            return address  # one that is no address ("vw-123") is an id, not the item's page
    return None


def _absolute(address: str, element: Any, home: str | None) -> str:
    """`address` made absolute against the `xml:base` of `element` and its ancestors (each
    read against the one around it), the first of them against `home`."""
    if urlsplit(address).scheme:
        return address
    bases = [b.strip() for e in element.iterancestors() if (b := e.get(_XML_BASE))]
    if element.get(_XML_BASE):
        bases.insert(0, element.get(_XML_BASE).strip())
    base = home or ""
    for outer in reversed(bases):
        base = urljoin(base, outer)
    return urljoin(base, address) if urlsplit(base).scheme in ("http", "https") else address


def _author(children: dict[str, list[Any]], logins: dict[str, str]) -> str | None:
    """The item's authors; a WordPress export's `dc:creator` is a login, named by the export's
    own `wp:author` list ("jdoe" → "Jane Doe")."""
    names = [logins.get(_text(e), _text(e)) for e in children.get("creator", [])]
    for element in children.get("author", []):
        name = next((_text(c) for c in element if _local(c.tag) == "name"), None)
        written = name if name is not None else _text(element)
        found = _ADDRESS_AND_NAME.match(written)
        names.append(found["name"] if found else written)
    names = [n for n in names if n and "@" not in n]
    return "; ".join(dict.fromkeys(names)) or None


def _fields(
    children: dict[str, list[Any]], source: str | None, logins: dict[str, str], home: str | None
) -> dict[str, Any]:
    date = next((_text(e) for name in _DATES for e in children.get(name, []) if _text(e)), None)
    fields = {
        "title": next((_text(e) for e in children.get("title", []) if _text(e)), None),
        "text": _body(children),
        "url": _link(children, home),
        "date": date,
        "author": _author(children, logins),
        "source": source,
    }
    return {name: value for name, value in fields.items() if value}


def _of_feed(element: Any) -> bool:
    """`element` is the feed's own (its title, its link), not an item's or a picture's."""
    parent = element.getparent()
    return parent is not None and _local(parent.tag) in _FEEDS


def _not_an_article(children: dict[str, list[Any]]) -> str | None:
    """Why a WordPress export's item is no article (an attachment, a page, a draft), or None."""
    kind = next((_text(e) for e in children.get("post_type", [])), "")
    status = next((_text(e) for e in children.get("status", [])), "")
    if kind not in _POSTS:
        return f"a WordPress {kind}, not a post"
    if status and status != "publish":
        return f"a WordPress post that is not published ({status})"
    return None


def feed_entries(path: Path, *, max_bytes: int) -> Iterator[Entry]:
    """The items of a feed or WordPress export, as they stream; an item larger than
    `max_bytes` is an entry that says so. XML that is broken ends the reading there, with an
    entry saying so; a file that is no feed at all is `BadInput`. Blank lines before the XML
    declaration (a WordPress site whose theme or plugin prints a line break before its feed,
    which XML forbids) are passed over."""
    with path.open("rb") as f:
        f.seek(_blank_start(f.read(_HEAD)))
        yield from _items(f, max_bytes=max_bytes)


_HEAD = 4096
_UTF8_BOM = b"\xef\xbb\xbf"


def _blank_start(head: bytes) -> int:
    """Where the XML starts after the spaces and line breaks before it (and a UTF-8
    byte-order mark before those), or 0 when none come first."""
    after_bom = len(_UTF8_BOM) if head.startswith(_UTF8_BOM) else 0
    start = len(head) - len(head[after_bom:].lstrip(b" \t\r\n"))
    return start if start > after_bom else 0


def _items(f: BinaryIO, *, max_bytes: int) -> Iterator[Entry]:
    source: str | None = None
    home: str | None = None  # the feed's own address: relative item links are read against it
    logins: dict[str, str] = {}
    number = 0
    depth = 0  # how deep inside an item the parser is: titles there are the item's own
    items = etree.iterparse(
        f,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for event, element in items:
            name = _local(element.tag)
            if name in _ITEMS:
                depth += 1 if event == "start" else -1
                if event == "start":
                    continue
                number += 1
                raw = etree.tostring(element)
                children = _children(element)
                reason = _not_an_article(children)
                if len(raw) > max_bytes:
                    yield Entry(number, problem=too_large(max_bytes, what="the item"))
                elif reason is not None:
                    yield Entry(number, raw=raw, problem=reason)
                elif (fields := _fields(children, source, logins, home)).get("text") is None:
                    yield Entry(number, raw=raw, problem=_NO_BODY)
                else:
                    yield Entry(number, raw=raw, fields=fields)
                element.clear()
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]  # items read before: nothing of them stays in memory
            elif event == "end" and depth == 0 and name == "title" and source is None:
                source = (_text(element) or None) if _of_feed(element) else None
            elif event == "end" and depth == 0 and name == "link" and home is None:
                home = _link({"link": [element]}, None) if _of_feed(element) else None
            elif event == "end" and name == "author" and depth == 0:  # WordPress: a login's name
                found = _children(element)
                login = next((_text(e) for e in found.get("author_login", [])), "")
                shown = next((_text(e) for e in found.get("author_display_name", [])), "")
                if login and shown:
                    logins[login] = shown
    except etree.XMLSyntaxError as exc:
        if number == 0 and source is None:
            raise BadInput(
                f"not an RSS or Atom feed, nor a WordPress export: the XML is broken ({exc})"
            ) from None
        yield Entry(number + 1, problem=f"the XML is broken from here on ({exc})")
        return
    if number == 0:
        raise BadInput(
            "no <item> or <entry> in it: not an RSS or Atom feed, nor a WordPress export"
        )
