"""Questions about an article itself: who wrote it, when it is dated, where it comes from.

"Who wrote the article about the harbour reopening?" is not answered by any sentence of the
article: a scraped byline, dateline or "Source:" line is taken out of the text when it is
cleaned and kept as the article's details (`author`, `date`, `source`). Before this, such a
question was answered with whichever sentence matched its other words best, a confident wrong
answer. Now the question analysis notes that it asks for a detail of an article
(`asks_about_article`), the article meant is the retrieved one whose title and best paragraph
match what the question says the article is about (`article_meant`), and the answer states
that detail with a citation whose `detail` names it.

Only a question that names the article itself as what was written, dated or published counts:
"the article", "this story", "the piece", "the news report" (the nouns and their modifiers are
short lists, `_NOUN` and `_MODIFIER`). "Which news agency reported that Putin signed the bill?"
asks about the text and is answered from it, and so is a question about a document the news
tells of ("Who wrote the audit report on the bridges?") or a named work ("When was the IPCC
Fourth Assessment Report published?"). Over the 34,941 training questions of
`../shared/eval/public-qa/train/` the patterns match 3 ("When was the article published?",
twice, and "who wrote the story?", each about the text the question was asked of); over the
three validation sets none.

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
from qa.models import Paragraph, RetrievedParagraph

_MONTHS = (
    "January February March April May June July August September October November December"
).split()  # written out here: `calendar.month_name` follows the process's locale


class ArticleDetail(Enum):
    AUTHOR = "author"
    DATE = "date"
    SOURCE = "source"


# The article itself, as the question names it: "the article", "this story", "the news
# report", "the latest piece". Only nouns that can be nothing but a publication: "the report",
# "the audit report", "the police report" are documents the news tells of ("Who wrote the
# report on bridges overdue for inspection?" is asked of the text), so "report" counts only as
# "news report". A modifier from a short list, in lower case: "the short story that inspired
# the film" and "the cover story" are not this article, and a capitalised noun names a work.
_NOUN = r"(?:article|story|piece|column|op-?ed|write-?up|news\s+report|news\s+item)s?"
_MODIFIER = (
    r"(?:news|latest|recent|earlier|original|first|second|last|online|whole|same|full|other|"
    r"new|main|lead)"
)
# ("the piece of legislation", "a piece of music" are no articles)
_REF = rf"(?i:the|this|that|these|those)\s+(?:{_MODIFIER}\s+){{0,2}}{_NOUN}\b(?!\s+of\b)"
_WROTE = r"(?i:wrote|authored|penned|filed|co-?wrote)"
_WRITTEN = r"(?i:written|authored|penned|filed|bylined)"
_PUBLISHED = r"(?i:published|ran|carried|supplied|put\s+out|produced|distributed|posted|issued)"
_DATED = r"(?i:published|written|posted|released|filed|dated|put\s+out|issued|printed)"
_OUTLET = (
    r"(?i:news\s+agency|agency|outlet|publication|newspaper|paper|magazine|site|website|"
    r"wire\s+service|wire|publisher|broadcaster|network)"
)


def _patterns(ref: str) -> dict[ArticleDetail, tuple[str, ...]]:
    """Each detail's question patterns, with `ref` for the words that name the article."""
    return {
        ArticleDetail.AUTHOR: (
            rf"(?i:\bwho)\s+{_WROTE}\s+{ref}",
            rf"(?i:^\W*(?:who|what)(?:\s+is|\s+was|\s+are|\s+were|’s|'s)\s+the\s+(?:author|writer|reporter|journalist|correspondent)s?\s+(?:of|on|for|behind))\s+{ref}",
            rf"(?i:\bby\s+whom\s+(?:was|were))\s+{ref}",
            rf"(?i:\bwho\s+(?:is|was|are|were))\s+{ref}(?i:.*\bby)\W*$",
            rf"(?i:\bwhose\s+){_NOUN}\s+(?i:is|was)\s+(?i:this|that|it)\W*$",
            rf"(?i:\bwho\s+(?:was|were))\s+{ref}(?i:.*\b{_WRITTEN}\s+by)\W*$",
            rf"(?i:\b(?:which|what)\s+(?:reporter|journalist|writer|correspondent|author)s?)\s+{_WROTE}\s+{ref}",
            rf"(?i:\b(?:whose\s+byline|(?:what\s+is|what's)\s+the\s+byline)\s+(?:is\s+)?(?:on|of|under|for))\s+{ref}",
        ),
        ArticleDetail.DATE: (
            rf"(?i:\bwhen\s+(?:was|were))\s+{ref}(?i:.*\b{_DATED})\b",
            rf"(?i:\bwhen\s+did)\s+{ref}(?i:.*\b(?:come\s+out|appear|run|go\s+online))\b",
            rf"(?i:\b(?:what|which)\s+(?:date|day)\s+(?:was|were|is))\s+{ref}(?i:.*\b{_DATED})\b",
            rf"(?i:\b(?:publication\s+|publishing\s+|release\s+)?date\s+(?:of|on))\s+{ref}",
            rf"(?i:\bhow\s+old\s+is)\s+{ref}",
        ),
        ArticleDetail.SOURCE: (
            rf"(?i:\b(?:which|what)\s+(?:[\w’'-]+\s+){{0,2}}?){_OUTLET}\s+(?:{_PUBLISHED}|(?i:is\s+the\s+source\s+of))\s+{ref}",
            rf"(?i:\b(?:which|what)\s+(?:[\w’'-]+\s+){{0,2}}?){_OUTLET}\s+(?i:is|was)\s+{ref}(?i:.*\bfrom)\W*$",
            rf"(?i:\bwho\s+){_PUBLISHED}\s+{ref}",
            rf"(?i:\b(?:in|on)\s+(?:which|what)\s+(?:[\w’'-]+\s+){{0,2}}?){_OUTLET}\s+(?i:did)\s+{ref}(?i:.*\b(?:appear|run|come\s+out))\W*$",
            rf"(?i:\b(?:which|what)\s+(?:[\w’'-]+\s+){{0,2}}?){_OUTLET}\s+(?i:did)\s+{ref}(?i:.*\b(?:appear|run|come\s+out)\s+in)\W*$",
            rf"(?i:\bsource\s+of)\s+{ref}",
            rf"(?i:\bwhere\s+(?:was|were))\s+{ref}(?i:.*\b(?:first\s+)?(?:published|posted|run|printed))\b",
            rf"(?i:\bwhere\s+(?:is|was|does|did))\s+{ref}(?i:.*\b(?:from|come\s+from))\W*$",
        ),
    }


def _compiled(ref: str) -> dict[ArticleDetail, tuple[re.Pattern[str], ...]]:
    return {
        detail: tuple(re.compile(pattern) for pattern in patterns)
        for detail, patterns in _patterns(ref).items()
    }


_COMPILED = _compiled(_REF)
# "When was it published?" right after a question about an article's details: "it" is that
# article (after any other question it may be a book, a law, a report the news tells of)
_COMPILED_BACK = _compiled(r"(?i:it|this|that)\b(?!\s+of\b)")
# what the question says the article is about: the words after "the article about/on …", up to
# a second question joined on ("…, and when was it published?")
# ("the article in The Lancet that the minister cited", "the column that angered the king": a
# clause that says what the article did, not what it is about, names one the news tells of)
_ABOUT = re.compile(
    rf"{_REF}\s+(?i:about|on|over|covering|concerning|regarding|reporting\s+on|describing)\s+"
    r"(?P<about>.+)"
)
# nothing after the noun but the verb: "Who wrote that article?", "When was this story published?"
_POINTING = re.compile(rf"{_REF}(?P<rest>.*)$")
_NEXT_PART = re.compile(
    r"(?:,\s*|\s+)(?:and|or|but)\s+(?:who|whom|when|where|which|what|how|why|is|was|did|does)\b.*$",
    re.IGNORECASE,
)
_TRAILING_VERB = re.compile(
    rf"\s+(?:(?:was|were)\s+)?(?:(?:first\s+)?{_DATED}|{_WRITTEN}\s+by|run|come\s+out|appear|"
    r"go\s+online|from|come\s+from|appear\s+in|run\s+in|by)$",
    re.IGNORECASE,
)


_REFERS_BACK = frozenset({"it", "this", "that", "them", "these", "those", "him", "her"})

# Words with which a sentence tells who wrote, ran or dated a piece the news reports on ("The
# op-ed, written by Senator Tom Calder, …", "…, the AFP news agency reported", "according to
# Reuters", "in a column published on Monday"). A sentence without them is about the story's
# subject, not its writing: "Who wrote the article on the lighthouse keeper retiring?" is not
# answered by the sentence that names the keeper, however well it matches the rest.
_TELLS = {
    ArticleDetail.AUTHOR: re.compile(
        rf"\b(?:{_WROTE}|{_WRITTEN}|writes|write|author|authors|co-?authors?|byline|columnist|"
        r"(?:op-?ed|column|essay|editorial|letter|article|story|piece)s?)\b",
        re.IGNORECASE,
    ),
    ArticleDetail.SOURCE: re.compile(
        rf"\b(?:{_PUBLISHED}|{_OUTLET}|reported|reports|reporting|according\s+to|citing|cited|"
        r"quoted|told|newspapers?|broadcast|aired)\b",
        re.IGNORECASE,
    ),
    ArticleDetail.DATE: re.compile(rf"\b(?:{_DATED}|appeared|came\s+out)\b", re.IGNORECASE),
}


def tells_detail(detail: ArticleDetail, sentence: str) -> bool:
    """Can the sentence tell the asked detail of a piece the news reports on: does it hold a
    word of writing (author), of publishing or reporting (source) or of publishing (date)?"""
    return _TELLS[detail].search(sentence) is not None


@dataclass(frozen=True)
class DetailQuestion:
    detail: ArticleDetail
    about: str  # what the article is said to be about ("" when the question does not say)
    # names the article and nothing else: "that article", "this story", "the piece" (one the
    # conversation or the question's scope has shown), not "the op-ed criticizing the mayor"
    pointing: bool = False


def asks_about_article(question: str, previous: Sequence[str] = ()) -> DetailQuestion | None:
    """The detail of an article the question asks for, or None for a question about the text.
    Right after a question that asked for an article's detail (the last of the `previous`
    questions, oldest first, read so itself), "it", "this" or "that" names the article too
    ("When was it published?", then "Who wrote it?"), as "that article" would."""
    if previous and asks_about_article(previous[-1], previous[:-1]) is not None:
        for detail, patterns in _COMPILED_BACK.items():
            if any(pattern.search(question) for pattern in patterns):
                return DetailQuestion(detail, "", pointing=True)
    for detail, patterns in _COMPILED.items():
        if any(pattern.search(question) for pattern in patterns):
            found = _ABOUT.search(question)
            about = found.group("about") if found else ""
            about = _NEXT_PART.sub("", about).strip().rstrip("?.!, ")
            about = _TRAILING_VERB.sub("", about).strip()
            after = _POINTING.search(question)
            rest = after.group("rest") if after else ""
            rest = _TRAILING_VERB.sub("", " " + _NEXT_PART.sub("", rest).strip().rstrip("?.!, "))
            if about.lower() in _REFERS_BACK:  # "the article about it": the one talked of
                about = ""
                rest = ""
            return DetailQuestion(detail, about, pointing=not about and not rest.strip())
    return None


def detail_of(paragraph: Paragraph, detail: ArticleDetail) -> str | None:
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
    titles: dict[str, str] = {}  # each article's title, in retrieval order
    for hit in hits:
        titles.setdefault(hit.doc_id, hit.title)
    vectors = np.asarray(embedder.embed([described, *titles.values(), *(h.text for h in hits)]))
    query = vectors[0]
    title_cosine = vectors[1 : 1 + len(titles)] @ query
    paragraph_cosine = vectors[1 + len(titles) :] @ query
    best: dict[str, tuple[float, RetrievedParagraph]] = {}
    for hit, cosine in zip(hits, paragraph_cosine, strict=True):
        if hit.doc_id not in best or cosine > best[hit.doc_id][0]:
            best[hit.doc_id] = (float(cosine), hit)
    scored = [
        ArticleMatch(best[doc][1], (float(title_cosine[i]) + best[doc][0]) / 2)
        for i, doc in enumerate(titles)
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


def spoken_names(value: str) -> str:
    """Names stored "; "-joined (an archive's list of authors or sources, a page's authors as
    trafilatura joins them) as prose: "Park Ji-won and Lee Han", "A, B and C". A value without
    a ";" ("Jane Doe and Li Wei", a byline as written) is left as it is."""
    names = [name.strip() for name in value.split(";") if name.strip()]
    if len(names) < 2:
        return names[0] if names else value
    return f"{', '.join(names[:-1])} and {names[-1]}"


# a title written inside quotation marks of its own, straight, curly or German („…“), none within
_WHOLLY_QUOTED = re.compile(r'^(?:“[^“”"„]*”|"[^“”"„]*"|„[^“”"„]*“)$')
# a German pair within a title („Fake News“: its closing mark is the English opening one), made
# German single marks (‚…‘) before the English double marks are made single
_GERMAN_PAIR = re.compile(r"„([^“”\"„]*)“")
# a double quotation mark within a title that is quoted: an opening one stands first or after a
# space, bracket or dash ("“Fake news,” Kremlin says", '"No" vote')
_INNER_OPENING = re.compile(r'“|(?:^|(?<=[\s(\[—–-]))"')


def quoted_title(title: str) -> str:
    """`title` in curly quotation marks, as an answer or a reason names an article: a title
    already wholly in quotation marks keeps them, and the double marks within one are made
    single, as a quotation within a quotation is written ("“‘Fake news,’ Kremlin says”"; a
    German pair „…“ its single ‚…‘), so no title shows doubled marks. The page quotes titles
    by the same rule (api/static/common.js: `quotedTitle`)."""
    text = title.strip()
    if _WHOLLY_QUOTED.match(text):
        return f"“{text[1:-1]}”"
    inner = _GERMAN_PAIR.sub(r"‚\1‘", text)
    inner = _INNER_OPENING.sub("‘", inner).replace("”", "’").replace('"', "’")
    return f"“{inner}”"


def detail_statement(title: str, detail: ArticleDetail, value: str) -> tuple[str, str]:
    """The answer's sentence (without its marker) and its short answer; several authors or
    sources are named in prose (`spoken_names`), as the citation's field keeps them stored."""
    if detail is ArticleDetail.AUTHOR:
        names = spoken_names(value)
        return f"{quoted_title(title)} is by {names}.", names
    if detail is ArticleDetail.DATE:
        spoken = spoken_date(value)
        return f"{quoted_title(title)} is dated {spoken}.", spoken
    names = spoken_names(value)
    return f"{quoted_title(title)} comes from {names}.", names


def missing_detail(
    title: str, detail: ArticleDetail, *, asked_of_it: bool = False, quoted: bool = False
) -> str:
    """Why the detail asked for is not told: which article was taken (the one asked of, the
    one the last answer quoted, or the one that best matches the question) states none."""
    what = {
        ArticleDetail.AUTHOR: "does not name its author",
        ArticleDetail.DATE: "carries no date",
        ArticleDetail.SOURCE: "does not name its source",
    }[detail]
    if asked_of_it:
        which = "the article asked about"
    elif quoted:
        which = "the article the last answer quoted"
    else:
        which = "the article that best matches the question"
    return (
        f"{which}, {quoted_title(title)}, {what} (an article's author, date and source are "
        "what its file or page states)"
    )
