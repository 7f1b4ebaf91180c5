"""Shortening an over-long answer sentence to whole clauses around the answer.

A sentence longer than `answer.max_answer_words` is cut at clause boundaries (after a comma,
semicolon, colon or dash, with or without a closing quote, or after a closing quote or bracket
that ends a sentence), never mid-clause: the clauses that hold the answer span are kept,
then neighbouring clauses are added, the earlier side first (it usually says who acts or
speaks), while the words fit. Cuts are marked with "…"; a cut inside a quotation keeps its
marks, on the words kept ("… “the ships will sail” …"), and so does a cut inside round or
square brackets ("… (the ferry companies) voted"), so no quotation or bracket is left open or
closed that the sentence does not open and close.
"""

from __future__ import annotations

import re

# after a comma, semicolon, colon or dash; or after punctuation closed by a quote or bracket
# (`goose,” Mr. Kohlberg said`, `Company.) “We must`: a sentence the splitter left joined)
_BREAK = re.compile(r"(?<=[,;:—–])\s+|(?<=[,;:—–.!?][”’\"')\]])\s+")


def clause_spans(sentence: str) -> list[tuple[int, int]]:
    """Offsets of the sentence's clauses (each keeps its trailing punctuation)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BREAK.finditer(sentence):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(sentence)))
    return [(a, b) for a, b in spans if sentence[a:b].strip()]


def _words(text: str) -> int:
    return len(text.split())


def trim(sentence: str, span: tuple[int, int] | None, *, max_words: int) -> str:
    """The sentence, or the run of its clauses around `span` (offsets in it) within
    `max_words` words. Without a span the run starts at the sentence's opening."""
    if _words(sentence) <= max_words:
        return sentence
    clauses = clause_spans(sentence)
    a, b = span if span is not None else (0, 0)
    inside = [i for i, (x, y) in enumerate(clauses) if x < max(b, a + 1) and y > a] or [0]
    first, last = inside[0], inside[-1]

    def size(i: int, j: int) -> int:
        return _words(sentence[clauses[i][0] : clauses[j][1]])

    if size(first, last) > max_words:
        return cut_words(sentence, clauses[first][0], clauses[last][1], a, max_words)
    grown = True
    while grown:
        grown = False
        if first > 0 and size(first - 1, last) <= max_words:
            first -= 1
            grown = True
        elif last + 1 < len(clauses) and size(first, last + 1) <= max_words:
            last += 1
            grown = True
    start = clauses[first][0]
    text = sentence[start : clauses[last][1]].rstrip(",;:—– ")
    return _marked(sentence, start, text, cut_before=first > 0, cut_after=last < len(clauses) - 1)


def cut_words(sentence: str, start: int, end: int, anchor: int, max_words: int) -> str:
    """The words of sentence[start:end] around the anchor, at most `max_words`, with "…" where
    cut: for one clause longer than the limit (a last resort)."""
    tokens = [
        (m.start(), m.end()) for m in re.finditer(r"\S+", sentence) if start <= m.start() < end
    ]
    at = next((k for k, (x, y) in enumerate(tokens) if y > anchor), 0)
    lo = max(0, min(at - max_words // 3, len(tokens) - max_words))
    kept = tokens[lo : lo + max_words]
    text = sentence[kept[0][0] : kept[-1][1]]
    cut_after = kept[-1][1] < len(sentence.rstrip())
    if cut_after:  # "… for all of Croatia …", not "… for all of Croatia – …"
        text = text.rstrip(",;:—– ")
    return _marked(sentence, kept[0][0], text, cut_before=kept[0][0] > 0, cut_after=cut_after)


# a quotation's or bracket's closing mark, by its opening one (single quotes are left out: "’"
# is also the apostrophe of "Russia’s")
_CLOSING = {"“": "”", '"': '"', "(": ")", "[": "]"}


def _open_marks(sentence: str, at: int) -> list[str]:
    """The opening marks of the quotations and brackets the sentence opens before `at` and
    closes after it, the outermost first (none for one the sentence itself never closes)."""
    before, after = sentence[:at], sentence[at:]
    found: list[tuple[int, str]] = []
    if before.count("“") > before.count("”") and "”" in after:
        found.append((before.rindex("“"), "“"))
    if before.count('"') % 2 and '"' in after:
        found.append((before.rindex('"'), '"'))
    for opening in "([":
        unclosed: list[int] = []  # where each bracket still open stands
        for i, char in enumerate(before):
            if char == opening:
                unclosed.append(i)
            elif char == _CLOSING[opening] and unclosed:
                unclosed.pop()
        if unclosed and _CLOSING[opening] in after:
            found.append((unclosed[-1], opening))
    return [mark for _, mark in sorted(found)]


def _marked(sentence: str, start: int, text: str, *, cut_before: bool, cut_after: bool) -> str:
    """`text` (standing at `start` in the sentence) with "…" where the sentence was cut, and the
    marks of a quotation or bracket the cut went through, written onto the words kept: one
    opened before the text and closed in or after it gets its opening mark ("… “and then to
    deny …", "… (the ferry companies) voted"), one still open at the text's end its closing
    mark ("… continues to serve” …", "the council (which met in Gdańsk) …")."""
    prefix = suffix = ""
    if cut_before:
        prefix = f"… {''.join(_open_marks(sentence, start))}"
    if cut_after:
        opened = _open_marks(sentence, start + len(text))
        suffix = f"{''.join(_CLOSING[mark] for mark in reversed(opened))} …"
    return f"{prefix}{text}{suffix}"


_EDGE = " \t,;:."


def inside_quotation(short: str) -> str | None:
    """A short answer that crosses a quotation's or a bracket's edge, cut to the part inside
    it: the selector's span may open a quotation it does not close ("the critically acclaimed
    “Atmospheric Disturbances") or close one it did not open ("eviscerated,” said an essay",
    "163 m) tower whose great height"), and its lone mark shows as junk ("further
    provocations” in response to"); one that opens a bracket keeps what the bracket is an
    aside to ("the Kangleipak Communist Party (KCP"). The part kept is a piece of the span, so
    it is still found in the quoted sentence. None when nothing is left, and when the span
    crosses both edges, closing one quotation and opening the next ("Gateway to Europe", and,
    conversely; "Gateway to the World"; “It is perverse,” the brief said, “for the government
    …): it holds two pieces and the words between, and which piece answers is not the
    marks' to say. A straight quote mark opens when it starts the span or follows a space."""
    cut = short
    for opening, closing in (("“", "”"), ("(", ")"), ("[", "]")):
        marks = [c for c in cut if c in (opening, closing)]
        if marks and marks[0] == closing and marks[-1] == opening:
            return None
        if marks and marks[0] == closing:  # it closes one it did not open
            cut = cut[: cut.index(closing)]
        elif marks and marks[-1] == opening:  # it opens one it does not close: a quotation
            # names what it quotes, a bracket holds an aside to what comes before it
            at = cut.rindex(opening)
            cut = cut[at + 1 :] if opening == "“" else cut[:at]
    straight = [i for i, c in enumerate(cut) if c == '"']
    closes_first = bool(straight) and straight[0] > 0 and not cut[straight[0] - 1].isspace()
    if closes_first and len(straight) > 1 and cut[straight[-1] - 1].isspace():
        return None  # it closes a quotation and opens the next
    if closes_first:
        cut = cut[: straight[0]]
    elif len(straight) % 2:
        cut = cut[straight[-1] + 1 :]
    if cut == short:
        return short
    return cut.strip(_EDGE) or None


# signs of currency written before a figure, with no space: "$133 million", "€2 billion"
_CURRENCY = "$€£¥₹₩"


def whole_figures(sentence: str, span: tuple[int, int]) -> tuple[int, int]:
    """The span widened to the whole of a figure it cuts and to the signs glued to it: the
    answer span is read in the tokenizer's words, where "1.2", "1,500", "$133" and "46%" are
    each several, so it may mark "500" of "1,500" or "133 million" of "$133 million", a
    different amount. A currency sign before the figure (with the capitals before it:
    "US$40") and a percent sign after it are taken in; nothing else is."""
    a, b = span
    n = len(sentence)

    def digit(i: int) -> bool:
        return 0 <= i < n and sentence[i].isdigit()

    while digit(a) and a >= 2 and sentence[a - 1] in ",." and digit(a - 2):
        a -= 2
        while digit(a - 1):
            a -= 1
    while digit(b - 1) and sentence[b : b + 1] in {",", "."} and digit(b + 1):
        b += 2
        while digit(b):
            b += 1
    if digit(a) and a > 0 and sentence[a - 1] in _CURRENCY:
        a -= 1
        while a > 0 and sentence[a - 1].isupper():
            a -= 1
    if digit(b - 1) and sentence[b : b + 1] == "%":
        b += 1
    return a, b
