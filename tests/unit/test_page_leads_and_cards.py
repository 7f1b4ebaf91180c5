"""Unit tests for qa.extraction's changes to a page before trafilatura reads it: a lead written
as a bare block in the body is a paragraph."""

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
