"""Unit tests for qa.page_repairs, the changes to a page before trafilatura reads it (through
qa.extraction.extract_page): a lead written as a bare block in the body is a paragraph, and a
card of links shown on hover inside a sentence is no part of it."""

from __future__ import annotations

import pytest

from qa.extraction import ExtractionOptions, extract_page
from tests.pages import news_page

pytestmark = pytest.mark.unit

BODY = [
    "In addition to the three fatalities at the harbour on Tuesday, the coast guard said another "
    "30 people had been injured, but added that the circumstances remained unclear.",
    "The port authority called on the town council to close the eastern quay until the storm "
    "damage to the breakwater has been assessed by engineers.",
    "Repair crews replaced forty metres of the eastern breakwater, which the waves had torn "
    "open on Tuesday night, and the ferry will run twice a day.",
]
LEAD = (
    "Three people have died in Skarra after a storm tore open the harbour's breakwater, the "
    "coast guard said on Wednesday."
)
NO_LEADS = ExtractionOptions(keep_leads=False)


def with_lead(lead: str, paragraphs: list[str] = BODY) -> str:
    """A news page whose article body opens with `lead` (markup, not escaped)."""
    page = news_page(title="Storm kills three in Skarra", paragraphs=paragraphs, site="Coast Times")
    return page.replace('<div class="article-body">', f'<div class="article-body">{lead}', 1)


@pytest.mark.parametrize(
    "markup",
    [
        f'<div class="article__summary summary ">  {LEAD}  </div>',
        f'<div class="standfirst"><strong>{LEAD}</strong></div>',
        f'<section id="story-lede">{LEAD}</section>',
        f'<div class="c-entry-dek">{LEAD[:40]}<a href="/skarra">{LEAD[40:60]}</a>{LEAD[60:]}</div>',
    ],
)
def test_a_lead_written_as_a_bare_block_is_the_first_paragraph(markup: str) -> None:
    page = with_lead(markup)
    assert extract_page(page).paragraphs == [LEAD, *BODY]
    # trafilatura reads a div's own text only when the body has too few paragraphs
    assert extract_page(page, options=NO_LEADS).paragraphs == BODY


def test_a_lead_the_body_repeats_is_read_once() -> None:
    page = with_lead(f'<div class="article__summary">{LEAD}</div>', [LEAD, *BODY])
    assert extract_page(page).paragraphs == [LEAD, *BODY]


@pytest.mark.parametrize(
    "markup",
    [
        '<div class="summary">Summary</div>',  # a label, no sentence
        '<div class="lead">Three people died <a href="/a">in the storm that tore open the '
        "harbour breakwater at Skarra on Tuesday night</a></div>",  # mostly a link
        '<div class="lead-asset"><figure><img src="a.jpg"></figure></div>',
        '<div class="article-summary"><ul><li>Three people have died in Skarra after the storm '
        "tore open the breakwater</li><li>Thirty people were injured</li></ul></div>",
    ],
)
def test_what_is_not_a_lead_sentence_is_left_to_trafilatura(markup: str) -> None:
    page = with_lead(markup)
    assert extract_page(page).paragraphs == extract_page(page, options=NO_LEADS).paragraphs


def test_a_summary_outside_the_article_body_is_not_taken() -> None:
    teaser = f'<div class="sidebar"><div class="summary">{LEAD}</div></div>'
    page = with_lead("").replace("<footer>", teaser + "<footer>", 1)
    assert extract_page(page).paragraphs == BODY


# --- a card of links shown on hover inside a sentence ------------------------------------------

CARD_LINKS = (
    '<a class="name" href="/people/ilse-brandt">Ilse Margarethe Brandt</a>'
    '<a class="people-articles" href="/a">Skarra harbour master warns of winter storms</a> '
    '<a class="people-articles" href="/b">Ferry timetable to change in May</a> '
    '<a class="more" href="/people/ilse-brandt">MORE</a>'
)
SENTENCE = (
    "Harbour master Ilse Brandt (independent) is defending the decision to close the eastern "
    "quay until the breakwater has been repaired."
)
NO_CARDS = ExtractionOptions(drop_hover_cards=False)


def with_paragraph(markup: str) -> str:
    """A news page whose article body opens with the paragraph `markup` (not escaped)."""
    return with_lead(f"<p>{markup}</p>")


@pytest.mark.parametrize(
    "markup",
    [  # the name hovered and its card in one wrapper, as thehill.com writes it
        'Harbour master <span class="rollover-people"><a class="rollover-people-link" '
        'href="/people/ilse-brandt">Ilse Brandt</a><span class="rollover-people-block">'
        f'<span class="rollover-block"><span><img src="a.jpg">{CARD_LINKS}</span></span></span>'
        "</span> (independent) is defending the decision to close the eastern quay until the "
        "breakwater has been repaired.",
        # the card right after the name, in the paragraph itself
        'Harbour master <a href="/people/ilse-brandt">Ilse Brandt</a><small class="c-tooltip">'
        f"{CARD_LINKS}</small> (independent) is defending the decision to close the eastern "
        "quay until the breakwater has been repaired.",
        # a wrapper of the name and its card named for the card: the name stays
        'Harbour master <span class="tooltip"><a href="/people/ilse-brandt">Ilse Brandt</a>'
        f'<span class="card-body">{CARD_LINKS}</span></span> (independent) is defending the '
        "decision to close the eastern quay until the breakwater has been repaired.",
        # before the name it belongs to
        f'Harbour master <span class="hovercard-wrap"><span class="hovercard">{CARD_LINKS}</span>'
        '<a href="/people/ilse-brandt">Ilse Brandt</a></span> (independent) is defending the '
        "decision to close the eastern quay until the breakwater has been repaired.",
    ],
)
def test_a_card_of_links_shown_on_hover_is_no_part_of_the_sentence(markup: str) -> None:
    page = with_paragraph(markup)
    assert extract_page(page).paragraphs == [SENTENCE, *BODY]
    # trafilatura reads the card's links into the sentence
    assert "Ilse Margarethe Brandt" in extract_page(page, options=NO_CARDS).paragraphs[0]


@pytest.mark.parametrize(
    "markup",
    [  # a link that opens a popup is the name itself
        'Harbour master <a class="popup-trigger" href="/people/ilse-brandt">Ilse Brandt</a> '
        "(independent) is defending the decision to close the eastern quay until the breakwater "
        "has been repaired.",
        # a tooltip of words, not links: a note the sentence may need
        'Harbour master Ilse Brandt <span class="tooltip">(independent, elected in 2019 for '
        "a term of six years)</span> is defending the decision to close the eastern quay.",
        # a paragraph that is a card and nothing else is never removed whole
        f'<span class="popover">Ilse Brandt, harbour master of Skarra: {CARD_LINKS}</span>',
        f'<span class="popup"><span class="popup">{CARD_LINKS}</span></span>',
    ],
)
def test_what_is_not_a_card_beside_words_is_left_to_trafilatura(markup: str) -> None:
    page = with_paragraph(markup)
    assert extract_page(page).paragraphs == extract_page(page, options=NO_CARDS).paragraphs


def test_cards_side_by_side_never_empty_their_paragraph() -> None:
    first = f'<span class="tooltip">Ilse Brandt, harbour master: {CARD_LINKS}</span>'
    second = (
        '<span class="tooltip">Jon Holm, port authority chairman since 2021, who ordered the '
        'closure: <a href="/c">Port authority closes quay</a> <a href="/d">Repairs to cost '
        "more</a></span>"
    )
    paragraphs = extract_page(with_paragraph(first + " " + second), options=NO_CARDS).paragraphs
    kept = extract_page(with_paragraph(first + " " + second)).paragraphs
    assert len(kept) == len(paragraphs)  # no paragraph lost, one card's words left in it
    assert "Jon Holm" in kept[0] and "Ilse Brandt" not in kept[0]
