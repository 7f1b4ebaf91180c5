"""An article's author as every path stores it: a text file's byline (`qa.cleaning`), a saved
page's metadata (`qa.extraction`), an archive record's field (`qa.archives`) and the `author`
sent to POST /documents (`qa.articles`) all pass through `author_name`, so a name given with
its "By" ("By Eva Lund", which an export's byline column or a client copying a byline holds)
is stored as the name, not read back as "By By Eva Lund" or answered as "… is by By Eva Lund".
"""

from __future__ import annotations

import re

__all__ = ["author_name", "wire_agency"]

# "By", "by", "BY" or "By:" before a name; never the start of a name ("Byron", "Bynum")
_BY = re.compile(r"^by(?:\s*:\s*|\s+)(?=\S)", re.IGNORECASE)
# a job title a comma sets off after a name ("Marta Kowalski, Staff Reporter", "Tom Lee, Senior
# Political Correspondent"): capitalised words, the last a role word (`_ROLES`)
_JOB_TITLE = re.compile(r",(?:\s+[A-Z][\w-]*)+$")
_ROLES = frozenset(
    {"reporter", "writer", "correspondent", "editor", "columnist", "contributor", "journalist",
     "producer", "photographer", "intern", "staff"}
)  # fmt: skip


# the news agencies a byline names after a comma ("By Eva Lund, Associated Press"): where the
# story came from, not a second author
_AGENCIES = frozenset(
    {"ap", "associated press", "the associated press", "reuters", "thomson reuters", "afp",
     "agence france-presse", "bloomberg", "bloomberg news", "pa", "pa media", "press association",
     "dpa", "efe", "ansa", "kyodo", "kyodo news", "xinhua", "yonhap", "upi", "tass", "anadolu",
     "anadolu agency", "aap", "the canadian press", "canadian press", "cnn", "bbc news"}
)  # fmt: skip


def wire_agency(names: str) -> tuple[str, str | None]:
    """`names` without a news agency a comma sets off after them, and the agency as written
    ("Eva Lund, Associated Press" → "Eva Lund", "Associated Press"), or `names` and None."""
    person, comma, agency = names.rpartition(",")
    if comma and person.strip() and agency.strip().lower() in _AGENCIES:
        return person.strip(), agency.strip()
    return names, None


def author_name(value: str | None) -> str | None:
    """`value` as an author is stored: each of its "; "-joined names on one line with single
    spaces, without the "By" (any case, or "By:") written before it, however many times, and
    without a job title or a news agency a comma sets off after it ("Marta Kowalski, Staff
    Reporter" and "Marta Kowalski, Reuters" are "Marta Kowalski"; another outlet there stays:
    "Ana Cruz, Harbour Times"), and without a news agency named beside a person ("Eva Lund;
    Reuters"); None when no name is left."""
    if value is None:
        return None
    names = [
        wire_agency(_without_job_title(_without_by(" ".join(piece.split()))))[0]
        for piece in value.split(";")
    ]
    names = [name for name in names if name]
    people = [name for name in names if name.lower() not in _AGENCIES]
    # an agency beside a person is where the story came from ("Eva Lund; Associated Press",
    # as a page's metadata splits "Eva Lund, Associated Press"); alone, it is the author
    return "; ".join(people or names) or None


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
