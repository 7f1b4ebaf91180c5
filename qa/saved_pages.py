"""Web pages a browser saved as one file, with their pictures and styles; the page in it then
goes through the same extractor as a saved `.html` file.

* `.mhtml`/`.mht` (Chrome's and Edge's "Webpage, Single File"): a MIME message (RFC 2557)
  whose first HTML part is the page. Read with the standard library's `email` parser, which
  undoes the quoted-printable or base64 encoding.
* `.webarchive` (Safari's "Web Archive", its default for File > Save As): a property list
  whose `WebMainResource` holds the page's bytes, its text encoding and its address. Read with
  the standard library's `plistlib` (binary or XML)."""

from __future__ import annotations

import email
import email.policy
import plistlib
import re
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from qa.errors import BadInput

# the header block a single-file page opens with: header lines up to the first blank line, one of
# them a `multipart/related` content type (where a web page has `<!DOCTYPE` or `<html`)
_HEADERS = re.compile(r"\A\s*(?:[\w-]+:[^\n]*\n(?:[ \t][^\n]*\n)*)+\r?\n", re.ASCII)
_RELATED = re.compile(r"^content-type:\s*multipart/related", re.IGNORECASE | re.MULTILINE)


def is_mhtml(text: str) -> bool:
    """`text` is a page saved as one file (MIME headers with a `multipart/related` type first),
    not an HTML document: what a client sends as `html` when it read an `.mhtml` file."""
    head = _HEADERS.match(text[:8192].replace("\r\n", "\n"))
    return head is not None and _RELATED.search(head[0]) is not None


@dataclass(frozen=True)
class SavedPage:
    """The HTML of a page saved as one file: as text when its container names the charset (an
    `.mhtml` part's, a web archive's encoding), else as bytes (`_decoded`), and the address the
    browser saved it from."""

    html: str | bytes
    url: str | None


def page_of_mhtml(data: bytes) -> SavedPage:
    """The page of an `.mhtml` file (`BadInput` when it holds no HTML part)."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not message.is_multipart():
        raise BadInput(
            "not a saved single-file page (MHTML): no MIME parts in it; save the page again "
            "as 'Webpage, Single File', or as 'Webpage, HTML Only' (.html)"
        )
    for part in message.walk():
        if part.get_content_type() != "text/html" or part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or not payload.strip():
            continue
        location = part.get("Content-Location") or message.get("Snapshot-Content-Location")
        return SavedPage(
            html=_decoded(payload, part.get_content_charset()),
            url=str(location).strip() if location else None,
        )
    raise BadInput(
        "no HTML page among the parts of this MHTML file: save the page again as 'Webpage, "
        "Single File', or as 'Webpage, HTML Only' (.html)"
    )


_WEBARCHIVE_AGAIN = (
    "save the page again in Safari (File > Save As, Format: Web Archive), or as "
    "'Page Source' (.html)"
)


def page_of_webarchive(data: bytes) -> SavedPage:
    """The page of a Safari `.webarchive` file (`BadInput` when it holds none): its main
    resource's bytes, read in the text encoding it names (else as a `.html` file is), and its
    address."""
    try:
        archive: Any = plistlib.loads(data)
    except (plistlib.InvalidFileException, ValueError, OverflowError, TypeError):
        raise BadInput(
            f"not a Safari web archive (no property list in it); {_WEBARCHIVE_AGAIN}"
        ) from None
    main = archive.get("WebMainResource") if isinstance(archive, dict) else None
    if not isinstance(main, dict):
        main = {}
    body, kind = main.get("WebResourceData"), main.get("WebResourceMIMEType")
    if not isinstance(body, bytes) or not body.strip():
        raise BadInput(f"no page in this web archive (no main resource); {_WEBARCHIVE_AGAIN}")
    if isinstance(kind, str) and kind.lower() not in ("text/html", "application/xhtml+xml"):
        raise BadInput(f"this web archive holds {kind}, not a web page; {_WEBARCHIVE_AGAIN}")
    charset = main.get("WebResourceTextEncodingName")
    url = main.get("WebResourceURL")
    return SavedPage(
        html=_decoded(body, charset if isinstance(charset, str) else None),
        url=url.strip() if isinstance(url, str) and url.strip() else None,
    )


def _decoded(page: bytes, charset: str | None) -> str | bytes:
    """The page in the charset its container names, or its bytes without one (or with one
    Python does not know): the page's own `<meta charset>` then decides, as for a `.html`
    file."""
    if not charset:
        return page
    try:
        return page.decode(charset, errors="replace")
    except LookupError:
        return page
