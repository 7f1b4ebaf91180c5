"""Questions about an article itself: who wrote it, when it is dated, where it comes from.

"Who wrote the article about the harbour reopening?" is not answered by any sentence of the
article: a scraped byline, dateline or "Source:" line is taken out of the text when it is
cleaned and kept as the article's details (`author`, `date`, `source`). Before this, such a
question was answered with whichever sentence matched its other words best, a confident wrong
answer. Now the question analysis notes that it asks for a detail of an article
(`asks_about_article`), the article meant is the retrieved one whose title best matches what
the question says the article is about (`article_meant`), and the answer states that detail
with a citation whose `detail` names it.

Only a question that names the article itself ("the article", "this story", "the report") as
what was written, dated or published counts; "Which news agency reported that Putin signed the
bill?" asks about the text and is answered from it, and so is a question about a named work
("When was the IPCC Fourth Assessment Report published?": the noun is part of a capitalised
name). Over the 34,941 training questions of `../shared/eval/public-qa/train/` the patterns
below match 2 ("When was the article published?", twice, both about an article the paragraph
describes); over the three validation sets none.

Written as patterns rather than learned: the training data holds almost no such questions to
learn from (see above), and the cue is a closed set of words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np

from qa.interfaces import Embedder
from qa.models import RetrievedParagraph

_MONTHS = (
    "January February March April May June July August September October November December"
).split()  # written out here: `calendar.month_name` follows the process's locale


class ArticleDetail(Enum):
    AUTHOR = "author"
    DATE = "date"
    SOURCE = "source"


# the article itself, as the question names it: "the article", "this news story", "that
# Reuters report"; the noun in lower case, so a named work ("the Fourth Assessment Report")
# does not count
_NOUN = r"(?:news\s+)?(?:article|story|report|piece|column|op-?ed|dispatch|write-?up|news\s+item)s?"
# modifiers in lower case and no possessive: "the UN report", "the FCC's sixth report" name a
# report the text is about
_REF = rf"(?i:the|this|that|these|those)\s+(?:[a-z][a-z-]*\s+){{0,3}}?{_NOUN}\b"
_WROTE = r"(?i:wrote|authored|penned|filed|co-?wrote)"
_PUBLISHED = r"(?i:published|ran|carried|supplied|put\s+out|produced|distributed|posted|issued)"
_OUTLET = (
    r"(?i:news\s+agency|agency|outlet|publication|newspaper|paper|magazine|site|website|"
    r"wire\s+service|wire|publisher|broadcaster|network)"
)
_PATTERNS: dict[ArticleDetail, tuple[str, ...]] = {
    ArticleDetail.AUTHOR: (
        rf"(?i:\bwho)\s+{_WROTE}\s+{_REF}",
        rf"(?i:^\W*(?:who|what)(?:\s+is|\s+was|\s+are|\s+were|’s|'s)\s+the\s+(?:author|writer|reporter|journalist|correspondent)s?\s+(?:of|on|for|behind))\s+{_REF}",
        rf"(?i:\bby\s+whom\s+(?:was|were))\s+{_REF}",
        rf"(?i:\b(?:which|what)\s+(?:reporter|journalist|writer|correspondent|author)s?)\s+{_WROTE}\s+{_REF}",
        rf"(?i:\b(?:whose\s+byline|(?:what\s+is|what's)\s+the\s+byline)\s+(?:is\s+)?(?:on|of|under|for))\s+{_REF}",
    ),
    ArticleDetail.DATE: (
        rf"(?i:\bwhen\s+(?:was|were))\s+{_REF}(?i:.*\b(?:published|written|posted|released|filed|dated|put\s+out|issued))\b",
        rf"(?i:\b(?:what|which)\s+(?:date|day)\s+(?:was|were|is))\s+{_REF}(?i:.*\b(?:published|written|posted|released|filed|dated|put\s+out|issued))\b",
        rf"(?i:\b(?:publication|publishing|release)\s+date\s+of)\s+{_REF}",
        rf"(?i:\bhow\s+old\s+is)\s+{_REF}",
    ),
    ArticleDetail.SOURCE: (
        rf"(?i:\b(?:which|what)\s+(?:[\w’'-]+\s+){{0,2}}?){_OUTLET}\s+(?:{_PUBLISHED}|(?i:is\s+the\s+source\s+of))\s+{_REF}",
        rf"(?i:\bsource\s+of)\s+{_REF}",
        rf"(?i:\bwhere\s+(?:was|were))\s+{_REF}\s+(?i:(?:first\s+)?(?:published|posted|run|printed))\b",
    ),
}
_COMPILED = {
    detail: tuple(re.compile(pattern) for pattern in patterns)
    for detail, patterns in _PATTERNS.items()
}
# what the question says the article is about: the words after "the article about/on …"
_ABOUT = re.compile(
    rf"{_REF}\s+(?i:about|on|of|over|covering|concerning|regarding|reporting|describing|that)\s+(?P<about>.+)"
)


_NAMED = re.compile(_REF)
_PUBLICATION = re.compile(r"\b(?:article|story|piece|column|op-?ed|write-?up)s?$")
_TRAILING_VERB = re.compile(
    r"\s+(?:(?:first\s+)?(?:published|written|posted|released|filed|dated|put\s+out|issued|run|"
    r"printed))$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DetailQuestion:
    detail: ArticleDetail
    about: str  # what the article is said to be about ("" when the question does not say)
    # named as "the article", "story", "piece" …, which can only be a publication; "the report"
    # may be one the text tells of ("Which agency carried the report on …?": "KCNA reported")
    names_article: bool = True


def asks_about_article(question: str) -> DetailQuestion | None:
    """The detail of an article the question asks for, or None for a question about the text."""
    for detail, patterns in _COMPILED.items():
        if any(pattern.search(question) for pattern in patterns):
            found = _ABOUT.search(question)
            about = found.group("about").strip().rstrip("?.! ") if found else ""
            about = _TRAILING_VERB.sub("", about)
            named = _NAMED.search(question)
            publication = bool(named and _PUBLICATION.search(named.group(0)))
            return DetailQuestion(detail, about, publication)
    return None


def detail_of(paragraph: RetrievedParagraph, detail: ArticleDetail) -> str | None:
    value = getattr(paragraph, detail.value)
    return value.strip() if isinstance(value, str) and value.strip() else None


@dataclass(frozen=True)
class ArticleMatch:
    paragraph: RetrievedParagraph  # the article's best retrieved paragraph: it stands for it
    match: float  # mean of the cosines to the article's title and to that paragraph


def article_meant(
    described: str, hits: Sequence[RetrievedParagraph], embedder: Embedder
) -> ArticleMatch | None:
    """The retrieved article that best matches what the question says the article is about:
    the mean of the description's cosine to the article's title and to its best retrieved
    paragraph (the title says what the article is about, a paragraph what it reports; either
    alone picks a neighbour in a pile of articles on one story). Ties go to the article
    retrieved first."""
    if not hits:
        return None
    titles: dict[str, int] = {}
    for hit in hits:
        titles.setdefault(hit.doc_id, len(titles))
    heads = [next(h.title for h in hits if h.doc_id == doc) for doc in titles]
    vectors = np.asarray(embedder.embed([described, *heads, *(h.text for h in hits)]))
    query = vectors[0]
    title_cosine = vectors[1 : 1 + len(heads)] @ query
    paragraph_cosine = vectors[1 + len(heads) :] @ query
    best: dict[str, tuple[float, RetrievedParagraph]] = {}
    for hit, cosine in zip(hits, paragraph_cosine, strict=True):
        if hit.doc_id not in best or cosine > best[hit.doc_id][0]:
            best[hit.doc_id] = (float(cosine), hit)
    scored = [
        ArticleMatch(best[doc][1], (float(title_cosine[i]) + best[doc][0]) / 2)
        for doc, i in titles.items()
    ]
    return max(scored, key=lambda m: m.match)  # the first of equals: retrieval order


def spoken_date(iso: str) -> str:
    """`2024-10-21` as "October 21, 2024" (a month or a year alone as such)."""
    parts = iso.split("T", 1)[0].split("-")
    try:
        numbers = [int(part) for part in parts]
    except ValueError:
        return iso
    if len(numbers) >= 3 and 1 <= numbers[1] <= 12:
        return f"{_MONTHS[numbers[1] - 1]} {numbers[2]}, {numbers[0]}"
    if len(numbers) == 2 and 1 <= numbers[1] <= 12:
        return f"{_MONTHS[numbers[1] - 1]} {numbers[0]}"
    return iso


def detail_statement(title: str, detail: ArticleDetail, value: str) -> tuple[str, str]:
    """The answer's sentence (without its marker) and its short answer."""
    if detail is ArticleDetail.AUTHOR:
        return f"“{title}” is by {value}.", value
    if detail is ArticleDetail.DATE:
        spoken = spoken_date(value)
        return f"“{title}” is dated {spoken}.", spoken
    return f"“{title}” comes from {value}.", value


def missing_detail(title: str, detail: ArticleDetail) -> str:
    what = {
        ArticleDetail.AUTHOR: "does not name its author",
        ArticleDetail.DATE: "carries no date",
        ArticleDetail.SOURCE: "does not name its source",
    }[detail]
    return (
        f"the article that best matches the question, “{title}”, {what} (an article's author, "
        "date and source are what its file or page states)"
    )
