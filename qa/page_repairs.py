"""Changes to a page's tree before trafilatura reads its body (qa/extraction.py
`extract_page` makes each, as `ExtractionOptions` says), so that it reads the article whole:

- **no words cut out of a sentence** by trafilatura's precision rules (`keep_running_text`);
- **a body split in sibling parts** around ads is read as one (`whole_body`);
- **a lead written as a bare block** in the body is a paragraph (`restore_leads`);
- **no card of links shown on hover** inside a sentence (`remove_hover_cards`).

Each is measured in docs/extraction.md.
"""

from __future__ import annotations

import re
from copy import copy
from typing import Any

from lxml.etree import Element
from trafilatura.xpaths import (
    BODY_XPATH,
    OVERALL_DISCARD_XPATH,
    PRECISION_DISCARD_XPATH,
    TEASER_DISCARD_XPATH,
)

from qa.page_elements import MIN_PROSE_WORDS, TEXTLESS, element_words, prose_words

_WORD = re.compile(r"\w")
# inline tags trafilatura's precision mode deletes when empty, together with the text after them
# (CUT_EMPTY_ELEMS in trafilatura/settings.py, pruned without tails when favor_precision is on)
_INLINE = ("b", "em", "i", "q", "span", "strong")


def keep_running_text(tree: Any) -> None:
    """Keep the words of a sentence that trafilatura's precision mode would cut out of it.

    Two of its precision-only rules, meant for page furniture, also hit words inside sentences:
    an element whose class is `link` (or `bottom`, or styled with a border) is deleted, text and
    all, and so a linked phrase wrapped in `<span class="link">` vanishes ("has reported that
    for his role"); an empty inline element (an icon's `<i></i>`) is deleted together with the
    text after it. Such a `span` with text right before or after it in its parent is unwrapped
    (its text stays, its children keep their own tags and rules), unless one of trafilatura's
    other rules (hidden, navigation, teaser…) would delete it anyway; an empty inline element
    that text follows is removed, its text kept, as trafilatura's other modes do.
    """
    for xpath in PRECISION_DISCARD_XPATH:
        for element in xpath(tree):
            if element.tag == "span" and _in_running_text(element) and not _discarded(element):
                element.drop_tag()
    for element in list(tree.iter(*_INLINE)):
        if element.tail and _WORD.search(element.tail) and _textless(element):
            element.drop_tree()  # lxml keeps the tail, joined to the text before


def whole_body(first: Any) -> Any:
    """Read an article body that the page splits into sibling parts as one; the element the
    body rules then match first (`first`, the element they matched, or what now holds it).

    Pages cut the body into parts of one tag and class between ads, photos and related links
    (`<div class="article-body__part">` … `<div class="inline-ad">` … the next part), and
    trafilatura reads the first element its body rules match: the first part alone, a
    paragraph or two of the story, with no sign that the rest was left out. Where the element a
    body rule matches first has following siblings of its tag and class (a modifier such as
    `article-body__part--last` aside) that hold paragraphs too, the run from it to the last such
    part is wrapped in one element of that tag and class, which the same rule then matches
    first; what stands between the parts is judged by trafilatura's own rules as anywhere in a
    body. The run ends before anything that starts another story or section: an `article`
    element, or a heading (h1-h3) in a part or between parts (the next story of an endless
    page, "More from …" teasers); an `article`, a `post` or an `entry` is never cut into parts.
    """
    if first.tag == "article":
        return first
    parent, kind = first.getparent(), _class_tokens(first)
    if parent is None or not kind or kind & _WHOLE_STORIES:
        return first
    run = [first]
    for sibling in first.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        if sibling.tag == "article" or _holds_heading(sibling):
            break
        run.append(sibling)
    parts = [
        k for k, element in enumerate(run)
        if element.tag == first.tag and _class_tokens(element) == kind
        and element.find(".//p") is not None
    ]  # fmt: skip
    if len(parts) < 2:
        return first
    whole = Element(first.tag)
    whole.set("class", first.get("class") or "")
    parent.insert(parent.index(first), whole)
    for element in run[: parts[-1] + 1]:
        whole.append(element)  # lxml moves it, its tail with it
    return whole


def first_body(tree: Any) -> Any:
    """The element trafilatura's body rules match first (the rule order is theirs), or None."""
    for rule in BODY_XPATH:
        first = next(iter(rule(tree)), None)
        if first is not None:
            return first
    return None


def restore_leads(body: Any) -> None:
    """Keep the lead of the article that the page writes as a bare block in its body.

    A summary, standfirst or dek above the body's paragraphs is often a `div` holding its
    sentence directly (`<div class="article__summary">Three people have died …</div>`), not a
    `p`; trafilatura reads the text of such a `div` only when the body has too few paragraphs,
    so the article lost its first paragraph. In `body`, the element the body rules match first,
    a `div` or `section` that a word of its class or id names a lead (`_LEAD_WORDS`) becomes a
    paragraph when it holds no block of its own (no paragraph, list, table, heading), a
    sentence of `MIN_PROSE_WORDS` words or more that is not mostly link text, and what the
    body's paragraphs do not repeat; trafilatura's own rules then judge it as any paragraph."""
    said = None
    for element in list(body.iterdescendants("div", "section")):
        if not element_words(element) & _LEAD_WORDS or _holds_block(element):
            continue
        text = _flat(element)
        linked = sum(len(_flat(a)) for a in element.iter("a"))
        if prose_words(text) < MIN_PROSE_WORDS or 2 * linked > len(text):
            continue
        if said is None:
            said = "\n".join(_flat(p) for p in body.iter("p"))
        if text not in said:
            element.tag = "p"


# class or id words of an article's lead ("article__summary", "standfirst", "c-entry-dek")
_LEAD_WORDS = frozenset(
    {"summary", "lead", "lede", "standfirst", "dek", "deck", "intro", "abstract", "sapo",
     "chapo", "chapeau"}
)  # fmt: skip
# elements that make a block of their own text, never part of a paragraph's
_BLOCKS = ("p", "div", "section", "article", "ul", "ol", "li", "table", "blockquote", "pre",
           "figure", "h1", "h2", "h3", "h4", "h5", "h6")  # fmt: skip


def _holds_block(element: Any) -> bool:
    return next(element.iterdescendants(*_BLOCKS), None) is not None


def _flat(element: Any) -> str:
    """The element's text with its white space collapsed."""
    return " ".join("".join(element.itertext()).split())


def remove_hover_cards(tree: Any) -> None:
    """Remove the cards of links that a page shows when a name in a sentence is hovered.

    A page can put such a card inside the paragraph, right after the name it belongs to
    (`Gov. <span class="rollover-people"><a>Kristi Noem</a><span class="rollover-people-block">
    <a>Kristi Lynn Noem</a><a>South Dakota governor doubles down on …</a>…<a>MORE</a></span>
    </span> (R) is defending …`), and every mode of trafilatura reads its links into the
    sentence ("Gov. Kristi NoemKristi Lynn NoemSouth Dakota governor … MORE (R) is defending").
    An element inside a paragraph, list item, table cell or quote, whose class or id has a word
    naming a hover card (`_HOVER_WORDS`), is removed (its tail kept) when it holds two links or
    more that make at least half its text, no paragraph, list, table or heading of its own, and
    when its parent holds words besides it (another card removed before it not counted), so the
    name hovered and the rest of the sentence stay, and a paragraph is never removed whole. Of
    such elements nested in one another the innermost goes: the wrapper of the name and its card
    keeps the name; and one that holds words besides a child holding the links loses that child
    alone (`_card_within`: a wrapper named for the card it holds with the name).
    """
    cards = [
        element
        for element in tree.iter()
        if isinstance(element.tag, str)
        and element.tag not in _TEXT_BLOCKS
        and _HOVER_HINT.search(f"{element.get('class') or ''} {element.get('id') or ''}")
        and element_words(element) & _HOVER_WORDS
        and _is_hover_card(element)
    ]
    inner = set(cards)
    for card in cards:
        # asked again: a card beside it, already removed, no longer counts as words besides it
        if not any(other in inner for other in card.iterdescendants()) and _is_hover_card(card):
            _card_within(card).drop_tree()  # lxml keeps the tail, joined to the text before


def _card_within(element: Any) -> Any:
    """The card in `element`: the element itself, or, when it also holds words besides a child
    holding the links (the name hovered, in a wrapper of the name and its card named for the
    card), that child's card."""
    while True:
        children = [c for c in element if isinstance(c.tag, str)]  # not a comment
        holder = next((c for c in children if len(c.findall(".//a")) >= HOVER_CARD_MIN_LINKS), None)
        if holder is None:
            return element
        outside = [element.text, *(_flat(c) for c in children if c is not holder)]
        outside += [c.tail for c in element]
        if not any(piece and _WORD.search(piece) for piece in outside):
            return element
        element = holder


# class or id words of a card a page shows on hover ("rollover-people-block", "tooltip")
_HOVER_WORDS = frozenset(
    {"tooltip", "tooltips", "popover", "popovers", "hovercard", "hovercards", "rollover",
     "rollovers", "popup", "popups"}
)  # fmt: skip
# one of those words in a class or id, maybe within another (then read by element_words)
_HOVER_HINT = re.compile("tooltip|popover|hovercard|rollover|popup", re.IGNORECASE)
# where a sentence is written, and a card inside it is no part of it
_RUNNING_TEXT = frozenset({"p", "li", "td", "th", "dd", "blockquote"})
# what holds a paragraph's text, or paragraphs: never inside a card (a `div` may be)
_TEXT_BLOCKS = ("p", "ul", "ol", "li", "dl", "dd", "dt", "table", "td", "th", "blockquote",
                "pre", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section")  # fmt: skip
HOVER_CARD_MIN_LINKS = 2  # a card lists links; the name it belongs to is one


def _is_hover_card(element: Any) -> bool:
    parent = element.getparent()
    if parent is None or next(element.iterdescendants(*_TEXT_BLOCKS), None) is not None:
        return False
    if not any(str(up.tag) in _RUNNING_TEXT for up in element.iterancestors()):
        return False
    links = list(element.iter("a"))
    text = _flat(element)
    if len(links) < HOVER_CARD_MIN_LINKS or 2 * sum(len(_flat(a)) for a in links) < len(text):
        return False
    # words in the parent besides the card: the name hovered, the sentence around it
    outside = [parent.text, element.tail]
    for sibling in parent:
        if sibling is not element:
            own = _flat(sibling) if isinstance(sibling.tag, str) else None  # not a comment's
            outside += [own, sibling.tail]
    return any(piece and _WORD.search(piece) for piece in outside)


# classes of a whole story or post, never a part of one
_WHOLE_STORIES = frozenset({"post", "entry", "story", "article"})


def _class_tokens(element: Any) -> frozenset[str]:
    """The element's classes, without BEM modifiers (`part--last` is `part`'s)."""
    return frozenset(t for t in (element.get("class") or "").split() if "--" not in t)


def _holds_heading(element: Any) -> bool:
    """The element is, or holds, a heading h1-h3 (lxml's `iter` starts at the element)."""
    return next(element.iter("h1", "h2", "h3"), None) is not None


def _discarded(element: Any) -> bool:
    """Whether trafilatura's rules for every mode (hidden, aria-hidden, navigation…) or for
    teasers delete `element`. They read its own attributes only, so they are run on a bare
    copy of it, not on the whole page again."""
    bare = copy(element)  # a copy, as attribute names a parser takes ("@click") may not be
    del bare[:]  # valid for a new element
    holder = Element("div")
    holder.append(bare)
    return any(xpath(holder) for xpath in (*OVERALL_DISCARD_XPATH, *TEASER_DISCARD_XPATH))


def _in_running_text(element: Any) -> bool:
    """Whether words stand right before or right after `element` in its parent."""
    previous = element.getprevious()
    before = element.getparent().text if previous is None else previous.tail
    return any(text and _WORD.search(text) for text in (before, element.tail))


def _textless(element: Any) -> bool:
    """No text inside (scripts, styles and images hold none that is read), and no line break.
    An element holding only white space is left to trafilatura, which keeps it and its space."""
    if element.text:
        return False
    for child in element.iterdescendants():
        if child.tag == "br":
            return False
        own = child.text if isinstance(child.tag, str) and child.tag not in TEXTLESS else None
        if (own and own.strip()) or (child.tail and child.tail.strip()):
            return False
    return True
