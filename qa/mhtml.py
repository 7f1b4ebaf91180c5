"""A web page saved as one file by a browser (Chrome's and Edge's "Webpage, Single File",
`.mhtml`/`.mht`): a MIME message (RFC 2557) whose first HTML part is the page, the rest its
pictures and styles. Read with the standard library's `email` parser, which undoes the
quoted-printable or base64 encoding; the page then goes through the same extractor as a saved
`.html` file."""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from email.message import EmailMessage

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
    """The HTML of an `.mhtml` file's page: as bytes when its part declares no charset (the
    page's own `<meta charset>` decides, as for a `.html` file), else as text, and the address
    the browser saved it from."""

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
        charset = part.get_content_charset()
        html: str | bytes = payload
        if charset:
            try:
                html = payload.decode(charset, errors="replace")
            except LookupError:  # a charset Python does not know: the page's own meta decides
                html = payload
        location = part.get("Content-Location") or message.get("Snapshot-Content-Location")
        return SavedPage(html=html, url=str(location).strip() if location else None)
    raise BadInput(
        "no HTML page among the parts of this MHTML file: save the page again as 'Webpage, "
        "Single File', or as 'Webpage, HTML Only' (.html)"
    )
