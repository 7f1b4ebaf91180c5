"""Unit tests for qa.paragraphs: offsets, stable ids and numbering on small made-up articles."""

from __future__ import annotations

import pytest

from qa.articles import make_article
from qa.models import Article
from qa.paragraphs import paragraph_id, split_paragraphs

P1 = "The ferry to Skarra island resumed service on Monday after a week of storms."
P2 = "Harbour staff said the new timetable adds two crossings each evening."
P3 = "Islanders had relied on a fishing boat to bring bread and post."


def article(text: str, doc_id: str = "ferry-news") -> Article:
    return Article(doc_id=doc_id, text=text, content_hash="0" * 64)


@pytest.mark.unit
@pytest.mark.parametrize(
    "text",
    [
        f"{P1}\n\n{P2}\n\n{P3}",
        f"\n\n  {P1}  \n\n\n\n   {P2} \n \n\t{P3}\n\n",
        f"{P1}\n   \n{P2}\n\n\n\n\n{P3}   ",
        f"   {P1}\n\n{P2}\nstill the second paragraph.\n\n{P3}",
    ],
    ids=["plain", "extra-blank-lines-and-spaces", "whitespace-only-lines", "soft-line-break"],
)
def test_offsets_point_at_the_paragraph_text(text: str) -> None:
    a = article(text)
    paragraphs = split_paragraphs(a)
    assert len(paragraphs) == 3
    for p in paragraphs:
        assert a.text[p.start : p.end] == p.text
        assert p.text == p.text.strip() and p.text
    assert paragraphs[0].text == P1
    assert paragraphs[2].text == P3


@pytest.mark.unit
def test_offsets_are_increasing_and_do_not_overlap() -> None:
    paragraphs = split_paragraphs(article(f"\n{P1}\n\n {P2}\n\n{P3}"))
    for before, after in zip(paragraphs, paragraphs[1:], strict=False):
        assert before.end < after.start


@pytest.mark.unit
def test_blank_text_has_no_paragraphs() -> None:
    assert split_paragraphs(article("  \n\n \t\n\n")) == []


@pytest.mark.unit
def test_index_numbers_paragraphs_from_zero_skipping_blank_blocks() -> None:
    paragraphs = split_paragraphs(article(f"\n\n{P1}\n\n  \n\n{P2}\n\n\n{P3}"))
    assert [p.index for p in paragraphs] == [0, 1, 2]
    assert [p.text for p in paragraphs] == [P1, P2, P3]


@pytest.mark.unit
def test_ids_are_stable_across_calls() -> None:
    a = article(f"{P1}\n\n{P2}\n\n{P3}")
    first = [p.paragraph_id for p in split_paragraphs(a)]
    second = [p.paragraph_id for p in split_paragraphs(a)]
    assert first == second
    assert len(set(first)) == 3
    assert all(pid.startswith("ferry-news:") for pid in first)


@pytest.mark.unit
def test_id_depends_only_on_doc_and_own_text() -> None:
    alone = split_paragraphs(article(P2))[0]
    among_others = split_paragraphs(article(f"{P3}\n\n{P1}\n\n{P2}"))[2]
    assert among_others.text == P2
    assert alone.paragraph_id == among_others.paragraph_id == paragraph_id("ferry-news", P2)
    assert alone.index == 0 and among_others.index == 2


@pytest.mark.unit
def test_id_ignores_surrounding_white_space() -> None:
    tight = split_paragraphs(article(f"{P1}\n\n{P2}"))
    loose = split_paragraphs(article(f"\n\n   {P1}   \n\n\n  {P2}\n"))
    assert [p.paragraph_id for p in tight] == [p.paragraph_id for p in loose]


@pytest.mark.unit
def test_same_text_in_two_articles_gets_different_ids() -> None:
    one = split_paragraphs(article(P1, doc_id="first"))[0]
    two = split_paragraphs(article(P1, doc_id="second"))[0]
    assert one.paragraph_id != two.paragraph_id
    assert one.paragraph_id.startswith("first:")
    assert two.paragraph_id.startswith("second:")


@pytest.mark.unit
def test_id_changes_when_the_text_changes() -> None:
    assert paragraph_id("doc", P1) != paragraph_id("doc", P1.replace("Monday", "Tuesday"))


@pytest.mark.unit
def test_repeated_paragraph_in_one_article_gets_unique_ids() -> None:
    a = article(f"{P1}\n\n{P2}\n\n{P1}\n\n{P1}")
    paragraphs = split_paragraphs(a)
    ids = [p.paragraph_id for p in paragraphs]
    assert len(ids) == 4
    assert len(set(ids)) == 4
    base = paragraph_id("ferry-news", P1)
    assert ids[0] == base
    assert ids[2].startswith(base) and ids[3].startswith(base)
    # each copy points at its own occurrence
    assert [p.start for p in paragraphs if p.text == P1] == [
        0,
        len(P1) + len(P2) + 4,
        2 * len(P1) + len(P2) + 6,
    ]
    for p in paragraphs:
        assert a.text[p.start : p.end] == p.text


@pytest.mark.unit
def test_paragraphs_carry_article_metadata() -> None:
    raw = f"Ferry returns to Skarra island\n\n{P1}\n\n{P2}"
    a = make_article("skarra", raw)
    paragraphs = split_paragraphs(a)
    assert [p.text for p in paragraphs] == [P1, P2]
    assert all(p.doc_id == "skarra" for p in paragraphs)
    assert all(p.title == "Ferry returns to Skarra island" for p in paragraphs)
    for p in paragraphs:
        assert a.text[p.start : p.end] == p.text


@pytest.mark.unit
def test_untitled_article_uses_opening_words_as_title() -> None:
    paragraphs = split_paragraphs(article(f"{P1}\n\n{P2}"))
    assert paragraphs[0].title.startswith("The ferry to Skarra island")
    assert paragraphs[0].title.endswith("…")


@pytest.mark.unit
def test_an_untitled_article_is_named_by_its_opening_words_within_a_line() -> None:
    from qa.models import TITLE_MAX_CHARS, Article

    english = Article(doc_id="a", text="South Korea voiced regret on Tuesday after Russia "
                      "sided with the North over the drone claims.", content_hash="x")  # fmt: skip
    assert english.display_title == "South Korea voiced regret on Tuesday after Russia sided with…"
    opening = "東京都は六月一日、江東区に新しい防災センターを開設した。"
    japanese = Article(doc_id="b", text=opening * 8, content_hash="x")
    assert len(japanese.display_title) == TITLE_MAX_CHARS
    assert (
        japanese.display_title.startswith("東京都は六月一日") and japanese.display_title[-1] == "…"
    )
    short = Article(doc_id="c", text="Ferries resume.", content_hash="x")
    assert short.display_title == "Ferries resume."
