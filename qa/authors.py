"""An article's author as every path stores it: a text file's byline (`qa.cleaning`), a saved
page's metadata (`qa.extraction`), an archive record's field (`qa.archives`) and the `author`
sent to POST /documents (`qa.articles`) all pass through `author_name`, so a name given with
its "By" ("By Eva Lund", which an export's byline column or a client copying a byline holds)
is stored as the name, not read back as "By By Eva Lund" or answered as "… is by By Eva Lund".
"""

from __future__ import annotations

import re

from qa.outlets import outlet_name, paper_not_person

__all__ = [
    "author_name",
    "names_in_capitals",
    "outlet_after_job_title",
    "paper_after_names",
    "wire_agency",
]

# "By", "by", "BY" or "By:" before a name; never the start of a name ("Byron", "Bynum")
_BY = re.compile(r"^by(?:\s*:\s*|\s+)(?=\S)", re.IGNORECASE)
# a job title a comma sets off after a name ("Marta Kowalski, Staff Reporter", "Tom Lee, Senior
# Political Correspondent"): capitalised words, the last a role word (`_ROLES`); an outlet may
# follow it after another comma ("Naomi Fielding, Science Editor, The Lowland Herald")
_JOB_TITLE = re.compile(r",(?:\s+[A-Z][\w-]*)+(?=,|$)")
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


def paper_after_names(names: str) -> tuple[str, str | None]:
    """`names` without a paper's name a comma sets off after them, and the paper ("Rhys Morgan,
    Dale Valley Gazette" → "Rhys Morgan", "Dale Valley Gazette"), or `names` and None. Only a
    name no person's may be (`qa.outlets.paper_not_person`): "Ana Cruz, Tom Post" names two
    people, and "Ana Cruz, Denver Post" cannot be told from them."""
    person, comma, paper = names.rpartition(",")
    person, paper = person.strip(" ,"), paper.strip()
    if comma and person and paper_not_person(paper):
        return person, paper
    return names, None


def author_name(value: str | None) -> str | None:
    """`value` as an author is stored: each of its "; "-joined names on one line with single
    spaces, without the "By" (any case, or "By:") written before it, however many times, and
    without a job title, a news agency or a paper's name a comma sets off after it ("Marta
    Kowalski, Staff Reporter", "Marta Kowalski, Reuters" and "Marta Kowalski, Harbour Times" are
    "Marta Kowalski"; a name that may be a person's stays: "Ana Cruz, Tom Post",
    `paper_after_names`), and without a news agency named beside a person ("Eva Lund;
    Reuters"); a name written in capitals is written as a name ("JOHN McDONALD" is "John
    McDonald": `names_in_capitals`); None when no name is left."""
    if value is None:
        return None
    names = [
        names_in_capitals(
            wire_agency(paper_after_names(_without_job_title(_without_by(piece)))[0])[0]
        )
        for piece in (" ".join(piece.split()) for piece in value.split(";"))
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
    title = _job_title(name)
    return name if title is None else name[: title.start()]


def outlet_after_job_title(names: str) -> str | None:
    """The outlet a comma sets off after a job title in `names` ("Naomi Fielding, Science
    Editor, The Lowland Herald" → "The Lowland Herald"), else None: after a role, a name that is
    the paper's, not a second author's."""
    title = _job_title(names)
    return None if title is None or title.end() == len(names) else names[title.end() + 1 :].strip()


def _job_title(name: str) -> re.Match[str] | None:
    """The first job title a comma sets off after a name, ending `name` or followed only by an
    outlet's name (`qa.outlets.outlet_name`, after one more comma), else None."""
    for title in _JOB_TITLE.finditer(name):
        role = title.group().split()[-1].lower()
        if not {role, role.removesuffix("s")} & _ROLES:
            continue
        rest = name[title.end() :]
        if not rest:
            return title
        if outlet_name(rest[1:].strip()):
            return title
    return None


# Names written in capitals, as wire copy, Nexis and Factiva bylines and some pages' metadata
# write them ("By JOHN McDONALD and MARY O'NEILL"). Hand-written rather than nameparser's
# capitalize(): that reads one person's name and writes it back in its own order ("SMITH, JOHN"
# as "John Smith"), and gives "MacHado" for MACHADO; the rules a byline needs are these few.

# what joins the names of a byline: a comma, "and", "&", "with" ("AND" beside a name in capitals
# is written "and")
_JOINS = re.compile(r"(\s*,\s*|\s+(?:and|AND|And|&|with|WITH)\s+)")
# the words of a name that stay in lower case after its first word ("Maria de la Cruz",
# "Anna van der Berg"): the particles of Romance, Dutch, German and Arabic names
_PARTICLES = frozenset(
    {"de", "del", "della", "la", "le", "da", "das", "dos", "du", "di", "van", "von", "der",
     "den", "ter", "ten", "y", "bin", "ibn"}
)  # fmt: skip
# news outlets' and agencies' initials that stay in capitals beside a name in capitals ("NYT
# STAFF" is "NYT Staff"); a word of three Latin letters or more with no vowel is one too
_INITIALISMS = frozenset(
    {"ap", "afp", "upi", "dpa", "efe", "aap", "pa", "ansa", "bbc", "cnn", "nyt", "ft", "abc",
     "usa", "cnbc", "msnbc", "pbs", "npr", "nbc", "cbs", "itv", "rte", "cbc", "tass",
     "ria", "kcna", "ani", "pti", "ians", "scmp", "nos", "orf", "srf", "zdf", "ard", "un", "eu"}
)  # fmt: skip
# degrees, credentials and honours a comma sets off after a name ("Rachael Link, MS, RD"),
# which stay in capitals
_CREDENTIALS = frozenset(
    {"md", "do", "ms", "ma", "ba", "bs", "bsc", "msc", "phd", "rd", "rdn", "rn", "np", "mph",
     "mba", "jd", "dds", "dmd", "dvm", "lcsw", "msw", "cpa", "cfa", "cfp", "llm", "med", "edd",
     "psyd", "aprn", "cnm", "lpc", "facp", "obe", "mbe", "cbe", "kc", "qc", "mp", "mep"}
)  # fmt: skip
# a regnal or generational number after a name, II to XX ("LOUIS XIV", "JOHN SMITH III"); not
# XI, which is also a family name ("XI JINPING")
_ROMAN = re.compile(r"^(?:II|III|IV|VI|VII|VIII|IX|X[VX]|XI[IVX]|XII|XIII|XV[I]{0,3})\.?$")
_LETTERS = re.compile(r"[^\W\d_]+")
_NO_VOWEL = re.compile(r"[b-df-hj-np-tv-xz]{3,}")  # "wsj", "npr": no name is written so


def names_in_capitals(names: str) -> str:
    """`names` with each name written all in capitals written as a name: "JOHN McDONALD and
    MARY O'NEILL" is "John McDonald and Mary O'Neill", "MARIA DE LA CRUZ" "Maria de la Cruz",
    "MARTIN LUTHER KING JR." "Martin Luther King Jr.". Each name a comma, "and", "&" or "with"
    sets apart is read alone, and only when none of its words is written as a name already
    ("Jean DUPONT", "Eva Lund" stay as written); "Mc" keeps its next capital ("McDONALD",
    "MCDONALD": "McDonald"), a word's lower-case start stays ("DiCAPRIO": "DiCaprio"), and an
    outlet's initials, Roman numerals and a degree after a comma stay in capitals ("NYT STAFF":
    "NYT Staff", "III", "Rachael Link, MS, RD")."""
    if not any(c.isupper() for c in names):
        return names
    parts = _JOINS.split(names)
    for i in range(0, len(parts), 2):
        words = parts[i].split(" ")
        if i and parts[i].strip(".").lower() in _CREDENTIALS and "," in parts[i - 1]:
            continue  # "Rachael Link, MS, RD": a degree or a credential, not a name
        if any(_in_capitals(w) for w in words) and not any(_written_as_name(w) for w in words):
            parts[i] = " ".join(_as_name(w, first=n == 0) for n, w in enumerate(words))
            # the join before it and after it as a name's are written ("and", not "AND")
            for j in (i - 1, i + 1):
                if 0 < j < len(parts):
                    parts[j] = parts[j].lower()
    return "".join(parts)


def _initialism(word: str) -> bool:
    bare = word.strip(".,()").lower()
    return bare in _INITIALISMS or _NO_VOWEL.fullmatch(bare) is not None


def _in_capitals(word: str) -> bool:
    """A word with a run of two capitals or more at its end ("SMITH", "O'NEILL", "McDONALD")
    that is not an outlet's initials or a Roman numeral."""
    letters = "".join(_LETTERS.findall(word))
    return (
        len(letters) >= 2
        and letters[-2:].isupper()
        and not _initialism(word)
        and not _ROMAN.match(word)
    )


def _written_as_name(word: str) -> bool:
    """A word already written in lower case, or with only its first letters in capitals
    ("Smith", "staff"), other than a particle or a join ("de", "and")."""
    letters = "".join(_LETTERS.findall(word))
    return (
        any(c.islower() for c in letters)
        and not letters[-2:].isupper()
        and word.lower() not in _PARTICLES
    )


def _as_name(word: str, *, first: bool) -> str:
    if not _in_capitals(word):
        return word
    if not first and word.lower() in _PARTICLES:
        return word.lower()
    lower_start = re.match(r"^[^\W\d_]*?[a-z](?=[A-Z])", word)  # "Mc", "Mac", "Di", "Le"
    if lower_start is not None:
        return lower_start.group() + _as_name(word[lower_start.end() :], first=True)
    if word[:2] == "MC" and len(word) > 3:
        return "Mc" + word[2:].capitalize()
    # each run of letters set apart by an apostrophe or a hyphen: "O'Neill", "Jean-Pierre"
    # letters after a figure are its suffix, in lower case: "2ND" is "2nd"
    return _LETTERS.sub(
        lambda m: (
            m.group().lower()
            if m.start() and word[m.start() - 1].isdigit()
            else m.group().capitalize()
        ),
        word,
    )
