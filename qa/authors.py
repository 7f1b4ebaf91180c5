"""An article's author as every path stores it: a text file's byline (`qa.cleaning`), a saved
page's metadata (`qa.extraction`), an archive record's field (`qa.archives`) and the `author`
sent to POST /documents (`qa.articles`) all pass through `author_name`, so a name given with
its "By" ("By Eva Lund", which an export's byline column or a client copying a byline holds)
is stored as the name, not read back as "By By Eva Lund" or answered as "… is by By Eva Lund".
"""

from __future__ import annotations

import re

__all__ = ["author_name"]

# "By", "by", "BY" or "By:" before a name; never the start of a name ("Byron", "Bynum")
_BY = re.compile(r"^by(?:\s*:\s*|\s+)(?=\S)", re.IGNORECASE)


def author_name(value: str | None) -> str | None:
    """`value` as an author is stored: each of its "; "-joined names on one line with single
    spaces and without the "By" (any case, or "By:") written before it, however many times;
    None when no name is left."""
    if value is None:
        return None
    names = [_without_by(" ".join(piece.split())) for piece in value.split(";")]
    return "; ".join(name for name in names if name) or None


def _without_by(name: str) -> str:
    while found := _BY.match(name):
        name = name[found.end() :]
    return name
