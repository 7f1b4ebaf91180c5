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
# a job title a comma sets off after a name ("Marta Kowalski, Staff Reporter", "Tom Lee, Senior
# Political Correspondent"): capitalised words, the last a role word (`_ROLES`)
_JOB_TITLE = re.compile(r",(?:\s+[A-Z][\w-]*)+$")
_ROLES = frozenset(
    {"reporter", "writer", "correspondent", "editor", "columnist", "contributor", "journalist",
     "producer", "photographer", "intern", "staff"}
)  # fmt: skip


def author_name(value: str | None) -> str | None:
    """`value` as an author is stored: each of its "; "-joined names on one line with single
    spaces, without the "By" (any case, or "By:") written before it, however many times, and
    without a job title a comma sets off after it ("Marta Kowalski, Staff Reporter" is "Marta
    Kowalski"; an outlet there stays: "Ana Cruz, Harbour Times"); None when no name is left."""
    if value is None:
        return None
    names = [_without_job_title(_without_by(" ".join(piece.split()))) for piece in value.split(";")]
    return "; ".join(name for name in names if name) or None


def _without_by(name: str) -> str:
    while found := _BY.match(name):
        name = name[found.end() :]
    return name


def _without_job_title(name: str) -> str:
    title = _JOB_TITLE.search(name)
    role = title.group().split()[-1].lower() if title is not None else ""
    if title is None or not {role, role.removesuffix("s")} & _ROLES:
        return name
    return name[: title.start()]
