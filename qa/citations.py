"""Citation checking: does the cited paragraph support the sentence that cites it?

Support is measured, not assumed: lexical (the claim's content words found in one sentence
window of the paragraph) and semantic (cosine between the claim and that window). The window
that supports the claim best is returned as the supporting span. Neither notices a changed
figure, name or negation, so a claim must also state no figure, capitalised name or negation
that its paragraph lacks (`facts_missing`), and a claim a model worded must not contradict
the sentences that support it best by a negation or by the order of its names
(`window_conflicts`); each of its sentences must carry its own marker (`worded_sentences`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from qa.interfaces import Embedder
from qa.lexical import content_terms, written_out_amounts
from qa.models import Paragraph
from qa.sentences import sentence_spans
from qa.settings import AnswerSettings

MARKER = re.compile(r"\s*\[(\d+)\]")


def without_note_numbers(text: str) -> str:
    """An article's words without the bracketed numbers they may hold: a note mark ("built in
    1871.[12]", "the restoration[3] will cost", "in a statement [1] published"), written as
    this answer's own citation markers are, so a quote that kept one had it read as citing a
    paragraph ("The restoration" became a claim of its own, cited to no paragraph, and was
    removed)."""
    return MARKER.sub("", text)


LEXICAL_WEIGHT = AnswerSettings().support_lexical_weight  # the setting's default


@dataclass(frozen=True)
class Claim:
    text: str  # without markers
    markers: list[int]
    # the punctuation written right after the markers ("… Monday [1]." ends with "."): kept
    # when the claim is written out again, so checked sentences do not run together
    end: str = field(default="", compare=False)


@dataclass(frozen=True)
class Support:
    score: float
    lexical: float
    semantic: float
    span_start: int
    span_end: int


def split_claims(answer: str) -> list[Claim]:
    """Answer text → claims, each with the markers that follow it ("... said. [1][2]")."""
    claims: list[Claim] = []
    position = 0
    for match in re.finditer(r"((?:\s*\[\d+\])+)", answer):
        # a full stop after a marker ("... Monday [1]. Next ...") belongs to the claim before it
        text = MARKER.sub("", answer[position : match.start()]).strip().lstrip(".,;:!? ")
        markers = [int(m) for m in re.findall(r"\[(\d+)\]", match.group(1))]
        end = re.match(r"[.!?;:,…]?", answer[match.end() :])
        if text:
            claims.append(Claim(text, markers, end.group(0) if end else ""))
        elif claims:  # markers after markers belong to the previous claim, and so does the end
            claims[-1].markers.extend(markers)
            claims[-1] = replace(claims[-1], end=end.group(0) if end else "")
        position = match.end()
    tail = MARKER.sub("", answer[position:]).strip().lstrip(".,;:!? ")
    if tail:
        claims.append(Claim(tail, []))
    return claims


def measure_support(
    claim: str, paragraph: str, *, embedder: Embedder, lexical_weight: float = LEXICAL_WEIGHT
) -> Support:
    """Best support `paragraph` gives `claim`, over windows of one or two adjacent sentences."""
    spans = sentence_spans(paragraph) or []
    windows = [(s.start, s.end) for s in spans]
    windows += [(a.start, b.end) for a, b in zip(spans, spans[1:], strict=False)]
    if not windows:
        return Support(0.0, 0.0, 0.0, 0, 0)
    claim_terms = set(content_terms(claim))
    # A window's scores depend on its text alone, so a text repeated in the paragraph (a
    # scraped page's repeated line, a pasted block) is read once: 9,000 copies of a sentence
    # once cost 4,500 embedder calls, 160 s of one question.
    window_texts = [paragraph[a:b] for a, b in windows]
    texts = list(dict.fromkeys(window_texts))
    lexical = [
        len(claim_terms & set(content_terms(text))) / len(claim_terms) if claim_terms else 0.0
        for text in texts
    ]
    cosine_of = _cosines(claim, texts, lexical, embedder=embedder, lexical_weight=lexical_weight)
    scored = dict(zip(texts, zip(lexical, cosine_of, strict=True), strict=True))
    best: tuple[float, float, float, int, int] | None = None
    for (a, b), text in zip(windows, window_texts, strict=True):
        found, cos = scored[text]
        if cos is None:  # not embedded: it could not have come near the best
            continue
        score = lexical_weight * found + (1 - lexical_weight) * cos
        # prefer the earlier, shorter window when support is equal: it is the tighter span (the
        # unrounded best is compared: against a rounded-down one, each equal window won in turn)
        if best is None or score > best[0] + 1e-9:
            best = (score, found, cos, a, b)
    assert best is not None
    score, found, cos, a, b = best
    return Support(round(score, 4), round(found, 4), round(cos, 4), a, b)


# windows embedded at a time, the claim with the first of them
_WINDOWS_PER_CALL = 4
# a window is left out when even a perfect cosine would raise it no more than this over the best
_OUT_OF_REACH = 1e-6


def _cosines(
    claim: str,
    texts: Sequence[str],
    lexical: Sequence[float],
    *,
    embedder: Embedder,
    lexical_weight: float,
) -> list[float | None]:
    """Each window's cosine with the claim (clipped to 0..1), or None for a window that was not
    embedded because its score could not beat the best: windows go in order of the most they
    could score (their word share with a cosine of 1), and embedding stops once no window left
    could score more than the best found (by more than rounding). The best window is the one
    embedding them all would find; what is saved is the model's time on the others (most of a
    long paragraph's windows for a claim quoted from one of its sentences, whose own window
    scores all a window can)."""
    ceiling = [lexical_weight * found + (1 - lexical_weight) for found in lexical]
    order = sorted(range(len(texts)), key=lambda i: -ceiling[i])
    cosines: list[float | None] = [None] * len(texts)
    claim_vector: np.ndarray | None = None
    best = -1.0
    for start in range(0, len(order), _WINDOWS_PER_CALL):
        batch = order[start : start + _WINDOWS_PER_CALL]
        if ceiling[batch[0]] <= best + _OUT_OF_REACH:
            break
        head = [claim] if claim_vector is None else []
        vectors = embedder.embed([*head, *(texts[i] for i in batch)])
        if claim_vector is None:
            claim_vector, vectors = vectors[0], vectors[1:]
        for i, vector in zip(batch, vectors, strict=True):
            cos = float(np.clip(vector @ claim_vector, 0.0, 1.0))
            cosines[i] = cos
            best = max(best, lexical_weight * lexical[i] + (1 - lexical_weight) * cos)
    return cosines


_NUMBER = re.compile(r"\d(?:[\d,.]*\d)?")
_NEGATION = re.compile(r"\b(?:not|no|never|none|neither|nor|without)\b|n['’]t\b", re.I)
_WORD = re.compile(r"[\w'’-]+")


def facts_missing(claim: str, paragraph: str, title: str = "") -> list[str]:
    """What the claim states that its paragraph (with its title) does not hold: each figure
    ("15,000" against the paragraph's 1,500; a year it never names), a negation the paragraph
    lacks, and each capitalised name (the first word only before another capitalised one).
    Word overlap and the embedding's cosine both score "sent 100 drones" like "sent drones",
    or "South Korea fired" like "North Korea fired"; a claim that changes a fact this way is
    not supported. An amount written short is read as the word matches read it ("£45k" holds
    the figure 45,000, as "£45,000" does: `qa.lexical.written_out_amounts`)."""
    source = f"{title}\n{paragraph}"
    numbers = {n.replace(",", "") for n in _NUMBER.findall(written_out_amounts(source))}
    missing = [
        n for n in _NUMBER.findall(written_out_amounts(claim)) if n.replace(",", "") not in numbers
    ]
    if (negation := _NEGATION.search(claim)) and not _NEGATION.search(source):
        missing.append(negation.group(0))
    words = {w.casefold() for w in _WORD.findall(source)}
    return missing + [w for w in _names(claim) if w.casefold() not in words]


def _names(text: str) -> list[str]:
    """The capitalised words of `text` that read as names, in order (the first word only before
    another capitalised one: "South Korea fired", not "The museum")."""
    found = _WORD.findall(text)
    return [
        w
        for i, w in enumerate(found)
        if w[0].isupper() and (i > 0 or (len(found) > 1 and found[1][0].isupper()))
    ]


def window_conflicts(claim: str, window: str) -> list[str]:
    """How a reworded claim contradicts the sentences that support it best (`window`), though
    every word of it may stand in the paragraph: a negation one of them has and the other not
    ("would charge admission" against "would not charge admission", "did not expect" against
    "expected"), or the names it shares with them in another order ("Zinoviev summoned Kim"
    against "Kim summoned Zinoviev", "the North fired after South Korean soldiers crossed"
    against the reverse). A faithful rewording can trip it too (a passive voice, a negation
    in another clause of the window): such a claim is removed, and the answer falls back to
    the article's own sentence, which is never wrong this way."""
    conflicts: list[str] = []
    said, there = _NEGATION.search(claim), _NEGATION.search(window)
    if said and not there:
        conflicts.append(f"“{said.group(0)}” where the paragraph has none")
    elif there and not said:
        conflicts.append(f"no “{there.group(0)}” where the paragraph has one")
    swapped = _swapped_names(claim, window)
    if swapped is not None:
        first, second = swapped
        conflicts.append(f"“{first}” and “{second}” the other way round from the paragraph")
    return conflicts


def _swapped_names(claim: str, window: str) -> tuple[str, str] | None:
    """Two names the claim writes in one order and the window in the other, with a word of the
    same relation between them in both ("Zinoviev *summoned* … Kim" against "Kim *summoned* …
    Zinoviev"); an apposition turned round ("Mark Rutte, the NATO chief" for "NATO chief Mark
    Rutte") shares no such word and is no swap."""
    claim_words, window_words = _WORD.findall(claim), _WORD.findall(window)
    at, mine = _first_positions(window_words), _first_positions(claim_words)
    names = [n for n in dict.fromkeys(n.casefold() for n in _names(claim)) if n in at]
    for a, b in itertools.combinations(names, 2):  # a before b in the claim
        if at[a] <= at[b]:
            continue
        between_claim = set(content_terms(" ".join(claim_words[mine[a] + 1 : mine[b]])))
        between_window = set(content_terms(" ".join(window_words[at[b] + 1 : at[a]])))
        if between_claim & between_window:
            return a, b
    return None


def _first_positions(words: Sequence[str]) -> dict[str, int]:
    """Where each word (any case) first stands."""
    first: dict[str, int] = {}
    for i, word in enumerate(words):
        first.setdefault(word.casefold(), i)
    return first


def worded_sentences(claim: Claim, paragraph_texts: Sequence[str]) -> list[Claim]:
    """A claim a model worded, one sentence to a claim: only its last sentence is followed by
    the markers, so each sentence before it cites nothing and is a claim of its own ("The
    museum was a huge success. It was designed by Paula Renz [1]." states two things and cites
    one). A claim that stands word for word in a paragraph it cites is kept whole."""
    if any(is_quote(claim.text, text) for text in paragraph_texts):
        return [claim]
    spans = sentence_spans(claim.text)
    if len(spans) < 2:
        return [claim]
    head = [Claim(claim.text[s.start : s.end], []) for s in spans[:-1]]
    last = spans[-1]
    return [*head, Claim(claim.text[last.start : last.end], claim.markers, claim.end)]


# the marks a cut writes onto the words it keeps (qa/trimming.py): a quotation's and a bracket's
_QUOTATION_MARKS = '“”"()[]'


def is_quote(claim: str, paragraph: str) -> bool:
    """The claim's words stand word for word in the paragraph. A "…" may open or close it (as
    extract mode cuts a sentence to whole clauses), but one between two pieces makes it no
    quote: what it leaves out may be a "not", a sentence end or who said it ("The council said
    the bridge would … keep running until June" of two sentences, the second the ferry
    company's), so such a claim is checked as reworded. The marks of a quotation or bracket
    that a "…" cut, written onto the words kept ("… “the ships will sail” …", "… (the ferry
    companies) voted"), are not read as quoted."""
    text = " ".join(without_note_numbers(paragraph).split())
    pieces = (" ".join(p.split()).strip(" .").strip(_QUOTATION_MARKS) for p in claim.split("…"))
    parts = [p for p in pieces if p]
    return len(parts) == 1 and parts[0] in text


@dataclass
class CheckedCitation:
    marker: int
    paragraph: Paragraph
    support: Support
    quoted: bool = True  # every claim citing it stands word for word in the paragraph


@dataclass(frozen=True)
class CheckedAnswer:
    """An answer whose every remaining claim is supported by every citation it carries."""

    text: str
    citations: list[CheckedCitation]
    removed_claims: list[str]
    removed_citations: int


def check_answer(
    draft: str,
    cited: Mapping[int, Paragraph],
    *,
    embedder: Embedder,
    min_support: float,
    lexical_weight: float = LEXICAL_WEIGHT,
) -> CheckedAnswer:
    """Check each claim of `draft` against the paragraphs its markers point at.

    A citation whose paragraph does not support its claim is removed; a claim left with no
    supporting citation is removed. Markers are renumbered in order of first use.
    """
    parts: list[str] = []
    citations: list[CheckedCitation] = []
    marker_of: dict[str, int] = {}
    removed_claims: list[str] = []
    removed_citations = 0
    claims: list[Claim] = []
    for claim in split_claims(draft):
        texts = [cited[m].text for m in claim.markers if m in cited]
        claims.extend(worded_sentences(claim, texts))
    for claim in claims:
        markers: list[int] = []
        for old in claim.markers:
            paragraph = cited.get(old)
            if paragraph is None:
                removed_citations += 1
                continue
            # the facts first: a claim that changes one is not embedded for nothing
            if facts_missing(claim.text, paragraph.text, paragraph.title):
                removed_citations += 1
                continue
            support = measure_support(
                claim.text, paragraph.text, embedder=embedder, lexical_weight=lexical_weight
            )
            if support.score < min_support:
                removed_citations += 1
                continue
            quoted = is_quote(claim.text, paragraph.text)
            window = paragraph.text[support.span_start : support.span_end]
            if not quoted and window_conflicts(claim.text, window):
                removed_citations += 1
                continue
            if paragraph.paragraph_id not in marker_of:
                marker_of[paragraph.paragraph_id] = len(marker_of) + 1
                citations.append(CheckedCitation(len(marker_of), paragraph, support, quoted))
            else:
                known = citations[marker_of[paragraph.paragraph_id] - 1]
                known.quoted = known.quoted and quoted
            markers.append(marker_of[paragraph.paragraph_id])
        if not markers:
            removed_claims.append(claim.text)
            continue
        written = "".join(f"[{m}]" for m in dict.fromkeys(markers))
        parts.append(f"{claim.text} {written}{claim.end}")
    return CheckedAnswer(" ".join(parts), citations, removed_claims, removed_citations)
