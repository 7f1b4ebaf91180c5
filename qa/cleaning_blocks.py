"""The cleaner's rules on the blocks of a raw text (qa/cleaning.py runs them): its characters and
its blank-line separated blocks (rule 10), share-button icon text and photo captions as whole
blocks (rules 1 and 3), "related stories" sections (rule 4), and a block's lines made
paragraphs, soft-wrapped or not (rule 9)."""

from __future__ import annotations

import re

from trafilatura.utils import remove_control_characters, trim

from qa.cleaning_patterns import CLOSERS, LIST_LINE, Block
from qa.lexical import splits_a_word, without_zero_width_spaces
from qa.text_input import c1_controls_as_cp1252

_ICON = re.compile(r"\bicons?\b", re.IGNORECASE)
_AN_ICON = re.compile(r"\ban? icon\b", re.IGNORECASE)
_AGENCY = re.compile(
    r"\b(?:AP|Reuters|AFP|Getty|EPA|Yonhap|Sputnik|Xinhua|Bloomberg|via|Pool|Images|"
    r"Shutterstock|Alamy|PA|Anadolu|Kyodo|TASS)\b"
)
_TRAILING_PAREN = re.compile(r"\(([^()]{1,200})\)$")
_RELATED_HEADER = re.compile(
    r"^(?:related(?: stories| articles| coverage| content| links| reading| news)?|read more|"
    r"read also|also read|see also|more on this(?: story| topic)?|you may also like|"
    r"recommended(?: stories| reading| for you)?|further reading|more stories|see more|"
    r"don['’]t miss|most (?:read|popular|viewed)|trending(?: now| stories)?|related posts|"
    r"you might also like|more from [\w .&'’-]{1,40}?)\s*(?::.*)?$"
    r"|^also on [\w-]+(?:\.[\w-]+)+\b.*$",  # "Also on example.com <linked headline>"
    re.IGNORECASE,
)
_RELATED_MAX_WORDS = 15
# a related header and the linked headline on its line: "Read more: <headline>" (a colon after
# the header) or "Also on example.com <headline>"
_RELATED_WITH_HEADLINE = re.compile(r"^[^:]{1,40}:\s*\S|^also on [\w-]+(?:\.[\w-]+)+\s+\S", re.I)
_HEADLINE_MAX_WORDS = 40
_SENTENCE_END = re.compile(rf"\.[{CLOSERS}]*$")  # rule 4: a headline does not end so
# rule 9: lines that end a sentence ("…said.", "…she said.”"), and how many of a text's
# wrapped lines must, of at least how many, for them to be paragraphs rather than a margin's
_SENTENCE_ENDS_LINE = re.compile(rf"[.!?…][{CLOSERS}]*$")
_ENDING_SHARE = 0.8
_LINES_TO_TELL = 3


def cleaned_characters(raw: str) -> str:
    """Rule 10, the characters: newlines unified, control characters removed (trafilatura's
    helper); a zero-width space goes too, or becomes a space where it stood between two words
    (`without_zero_width_spaces`). A C1 control character is first read as the Windows-1252
    character it stands for (`c1_controls_as_cp1252`: "port\x92s" is "port’s"), as in text a
    client sends."""
    unified = c1_controls_as_cp1252(raw.replace("\r\n", "\n").replace("\r", "\n"))
    return remove_control_characters(without_zero_width_spaces(unified))


def normalise(text: str) -> list[Block]:
    """Rule 10: split `cleaned_characters`' text into blocks of stripped lines.

    trafilatura's `trim` does the spaces: invisible characters (zero-width joiners, byte-order
    marks, soft hyphens) go, and every run of white space (non-breaking and thin spaces too)
    becomes one space.
    """
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [trim(line) for line in chunk.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            blocks.append(lines)
    return blocks


def is_icon_block(block: Block) -> bool:
    """Rule 1: share-button sprites describe themselves ("Email An icon of an envelope.")."""
    text = " ".join(block)
    mentions = len(_ICON.findall(text))
    sentences = max(1, len(re.findall(r"[.!?](?:\s|$)", text)))
    # Prose about (religious or cultural) icons rarely says "an icon" three times over.
    return len(_AN_ICON.findall(text)) >= 3 and mentions / sentences >= 0.4


def is_caption_block(block: Block) -> bool:
    """Rule 3: a block ending in a parenthesised photo credit naming an agency is a caption.

    A bare "(AP)" after a full story is a wire attribution, not a photo credit, so the credit
    must name someone besides the agency ("Name/AP", "Agency via AP"); long blocks are body.
    """
    text = " ".join(block)
    m = _TRAILING_PAREN.search(text)
    if not m or len(text.split()) > 80:
        return False
    credit = m.group(1)
    multi_part = "/" in credit or len(credit.split()) > 1
    return multi_part and len(credit.split()) <= 12 and bool(_AGENCY.search(credit))


def drop_related_sections(blocks: list[Block]) -> list[Block]:
    """Rule 4: drop a "Related stories" header and the link titles after it.

    Link titles are short and unpunctuated, so dropping stops at the first block that
    ends like a sentence or is too long to be a link.
    """
    kept: list[Block] = []
    in_section = False
    for block in blocks:
        text = " ".join(block)
        if len(block) == 1 and _RELATED_HEADER.match(text) and _related_line_length(text):
            in_section = True
            continue
        if len(block) > 1 and _RELATED_HEADER.match(block[0]) and _related_line_length(block[0]):
            # the header and its link titles on lines of one block ("Most popular\nFerry
            # fares frozen\nLifeboat crew rescue kayaker", as a page saved as text has them)
            rest = block[1:]
            while rest and _link_title(rest[0]):
                rest = rest[1:]
            in_section = not rest
            if rest:
                kept.append(rest)
            continue
        if in_section and _link_title(text):
            continue
        in_section = False
        kept.append(block)
    return kept


def _link_title(text: str) -> bool:
    """Rule 4: short and not ending like a sentence, as a related story's linked headline."""
    return len(text.split()) <= 20 and not re.search(r"\.[”\"’']?$", text)


def _related_line_length(text: str) -> bool:
    """A related-story header is short; one that carries its linked headline ("Read more:
    <headline>", "Also on example.com <headline>") may be as long as a headline, which does not
    end like a sentence."""
    words = len(text.split())
    if words <= _RELATED_MAX_WORDS:
        return True
    with_headline = _RELATED_WITH_HEADLINE.match(text) is not None
    return with_headline and words <= _HEADLINE_MAX_WORDS and not _SENTENCE_END.search(text)


def is_soft_wrapped(blocks: list[Block]) -> bool:
    """Rule 9: a document is soft-wrapped when most real paragraphs span short lines. A list's
    or a table's lines are short by nature and say nothing of the wrapping: left out. Short
    lines that nearly all end a sentence are a paragraph each, not a wrapped paragraph (an
    export's text of short paragraphs a line each, one line break between them: "No one was
    hurt, the fire service said.\nCrews fought the blaze for four hours."), as text wrapped
    at a margin ends a sentence at a line's end only now and then."""
    blocks = [[line for line in b if not LIST_LINE.match(line)] for b in blocks]
    substantial = [b for b in blocks if len(" ".join(b).split()) >= 8]
    wrapped = [line for b in substantial if len(b) > 1 for line in b[:-1]]
    multi = sum(1 for b in substantial if len(b) > 1)
    if not substantial or multi * 2 <= len(substantial):
        return False
    ending = sum(1 for line in wrapped if _SENTENCE_ENDS_LINE.search(line))
    if len(wrapped) >= _LINES_TO_TELL and ending >= _ENDING_SHARE * len(wrapped):
        return False
    lengths = sorted(len(line) for line in wrapped)
    return lengths[len(lengths) // 2] <= 120


def join_lines(block: Block, soft: bool) -> list[str]:
    """Rule 9: turn a block's lines into one or more paragraphs. A list item or a table row
    starts one, soft-wrapped or not (`gather_lists` puts them together again)."""
    paragraphs = [block[0]]
    for line in block[1:]:
        prev = paragraphs[-1]
        if LIST_LINE.match(line):
            paragraphs.append(line)
        elif prev[-1] == "-" and prev[-2:-1].isalpha() and line[0].islower():
            paragraphs[-1] = prev + line  # "well-\nknown": a hyphenated word split at the margin
        elif soft:
            paragraphs[-1] = f"{prev} {line}"
        elif line[0].islower():
            # a sentence going on; one-line-per-paragraph text broken inside a word ("a bi\nll")
            # is mended, one broken between words ("the minister said\nthat") keeps its space
            glue = "" if splits_a_word(prev, line) else " "
            paragraphs[-1] = prev + glue + line
        else:
            paragraphs.append(line)  # separate lines in such text are separate paragraphs
    return paragraphs
