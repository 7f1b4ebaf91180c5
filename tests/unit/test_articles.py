"""Unit tests for qa.articles: the title filter the documents list uses, and the warning of
an article added with the url of an indexed one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from qa.articles import (
    LookAlike,
    address_look_alike,
    headline_look_alike,
    ids_by_headline,
    ids_by_url,
    title_matches,
)
from qa.models import Article

pytestmark = pytest.mark.unit

TITLE = "South Korea summons Russian envoy"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("korea summ", True),  # beginnings of words, in any order
        ("SUMMONS korea", True),  # any case
        ("envoy", True),
        ("", True),  # no words: nothing to filter by
        ("orea", False),  # inside a word is not the beginning of one
        ("korea tram", False),  # every word must match
        ("korea, summons!", True),  # punctuation is not a word
    ],
)
def test_title_filter_matches_word_beginnings(query: str, expected: bool) -> None:
    assert title_matches(TITLE, query) is expected


def test_a_symbol_in_the_filter_is_found_in_the_title() -> None:
    # an emoji or a currency sign holds no word, but is no reason to list every article
    assert title_matches("Harbour 🌉 bridge reopens", "🌉")
    assert title_matches("Harbour 🌉 bridge reopens", "harb 🌉")
    assert not title_matches(TITLE, "🌉")
    assert not title_matches(TITLE, "korea €")


@pytest.mark.parametrize(
    ("title", "query"),
    [("Kraków tram drivers win a pay rise", "krakow tram"), ("Lyon cafe reopens", "café")],
)
def test_the_title_filter_ignores_accents_both_ways(title: str, query: str) -> None:
    assert title_matches(title, query)
    assert not title_matches(title, "krakau")


def test_a_new_id_takes_the_accents_off_the_title() -> None:
    from qa.articles import new_doc_id

    assert new_doc_id("Kraków tram drivers", "x").startswith("krakow-tram-drivers-")
    assert new_doc_id("Bäckerei Schröder schließt", "x").startswith("backerei-schroder-schliesst-")
    assert new_doc_id(None, "Zoë Łukasik reports from Rostock.").startswith("zoe-lukasik-")


def _address_warning(article: Article, ids_at: Mapping[str, Sequence[str]]) -> str | None:
    found = address_look_alike(article, ids_at)
    return found.warning if found else None


def _headline_warning(
    article: Article, ids_at: Mapping[tuple[str, str, str], Sequence[str]]
) -> str | None:
    found = headline_look_alike(article, ids_at)
    return found.warning if found else None


def _article(doc_id: str, url: str | None) -> Article:
    return Article(
        doc_id=doc_id,
        title="Harbour reopens",
        text="The harbour reopened.",
        url=url,
        content_hash="ab" * 32,
    )


def test_an_article_with_the_url_of_indexed_ones_is_warned_of_naming_them() -> None:
    """The same page saved again, or an archive's record of it, is added under another id (an
    id hashes the content): both are kept, and the warning names the others and the PUT that
    would replace one instead."""
    url = "https://coast.example/harbour"
    indexed = {
        "harbour-1": _article("harbour-1", url),
        "harbour-2": _article("harbour-2", url),
        "ferry": _article("ferry", "https://coast.example/ferry"),
        "plain": _article("plain", None),
    }
    ids_at = ids_by_url(indexed)
    assert ids_at == {url: ["harbour-1", "harbour-2"], "https://coast.example/ferry": ["ferry"]}
    warning = _address_warning(_article("harbour-3", url), ids_at)
    assert warning is not None
    assert "'harbour-3' has the same url (https://coast.example/harbour)" in warning
    assert "articles 'harbour-1' and 'harbour-2'" in warning
    assert "PUT /documents/harbour-1" in warning and "DELETE /documents/harbour-3" in warning
    # itself (a retry, a PUT to its own id), another address or none: nothing to say
    assert _address_warning(indexed["ferry"], ids_at) is None
    assert _address_warning(_article("new", "https://coast.example/new"), ids_at) is None
    assert _address_warning(_article("plain-2", None), ids_at) is None
    one = _address_warning(indexed["harbour-1"], ids_at)
    assert one is not None and "the indexed article 'harbour-2';" in one


def test_the_same_story_with_other_tracking_parameters_is_the_same_address() -> None:
    """A feed's copy of a story ("?utm_source=rss"), a shared one ("&fbclid=…"), a fragment or
    an upper-case host is the address of the story indexed already; another query is not."""
    indexed = {"harbour-1": _article("harbour-1", "https://coast.example/harbour?id=7")}
    ids_at = ids_by_url(indexed)
    for same in (
        "https://coast.example/harbour?id=7&utm_source=rss&utm_medium=feed",
        "https://Coast.Example/harbour?id=7&fbclid=IwAR0abc#comments",
    ):
        warning = _address_warning(_article("harbour-2", same), ids_at)
        assert warning is not None and "'harbour-1'" in warning, same
    for other in ("https://coast.example/harbour?id=8", "https://coast.example/ferry?id=7"):
        assert _address_warning(_article("harbour-2", other), ids_at) is None, other
    # an address courlan cannot read is compared as it is
    odd = {"odd": _article("odd", "http://[::1")}
    assert _address_warning(_article("odd-2", "http://[::1"), ids_by_url(odd)) is not None


def _record(doc_id: str, title: str | None, *, source: str | None, date: str | None) -> Article:
    return Article(
        doc_id=doc_id,
        title=title,
        source=source,
        date=date,
        text=f"The harbour reopened ({doc_id}).",
        content_hash="cd" * 32,
    )


def test_an_edited_record_without_a_url_is_warned_of_naming_the_earlier_version() -> None:
    """A record or text with no url is named by its words, so an edited version of it is added
    beside the first: told when an indexed article without a url has its headline, outlet and
    date (case, accents and spacing aside), naming it and the DELETE that keeps one."""
    indexed = {
        "harbour-1": _record(
            "harbour-1", "Harbour reopens", source="Coast Post", date="2024-05-02"
        ),
        "harbour-2": _record(
            "harbour-2", "Harbour reopens", source="Coast Post", date="2024-05-03"
        ),
        "untitled": _record("untitled", None, source="Coast Post", date="2024-05-02"),
        "with-url": _article("with-url", "https://coast.example/harbour"),
    }
    headlines = ids_by_headline(indexed)
    edited = _record("harbour-9", "Harbour  REOPENS", source="coast post", date="2024-05-02")
    warning = _headline_warning(edited, headlines)
    assert warning is not None
    assert "'harbour-9' has the same headline, outlet and date as the indexed article " in warning
    assert "'harbour-1'" in warning and "'harbour-2'" not in warning  # another day's issue
    assert "DELETE /documents/harbour-1" in warning
    # itself, another outlet, another headline, no headline or a url: nothing to say
    assert _headline_warning(indexed["harbour-1"], headlines) is None
    for other in (
        _record("h", "Harbour reopens", source="Bay News", date="2024-05-02"),
        _record("h", "Harbour closes", source="Coast Post", date="2024-05-02"),
        _record("h", None, source="Coast Post", date="2024-05-02"),
        _article("h", "https://coast.example/other"),
    ):
        assert _headline_warning(other, headlines) is None, other
    # an article indexed with a url is told by its url, not its headline
    assert ids_by_headline({"with-url": indexed["with-url"]}) == {}


def test_a_look_alike_names_the_others_what_it_shares_and_its_warning() -> None:
    """What a client acts on (the chat page opens the others): the article, the indexed ids
    it looks like, whether it shares their url or their headline, and the warning said."""
    url = "https://coast.example/harbour"
    indexed = {
        "harbour-1": _article("harbour-1", url),
        "letters-1": _record("letters-1", "Letters", source="Coast Post", date="2024-05-02"),
    }
    by_url = address_look_alike(_article("harbour-2", url), ids_by_url(indexed))
    assert by_url == LookAlike(
        "harbour-2",
        "url",
        ("harbour-1",),
        _address_warning(_article("harbour-2", url), ids_by_url(indexed)) or "",
    )
    edited = _record("letters-2", "Letters", source="Coast Post", date="2024-05-02")
    by_headline = headline_look_alike(edited, ids_by_headline(indexed))
    assert by_headline is not None
    assert (by_headline.doc_id, by_headline.shares, by_headline.others) == (
        "letters-2",
        "headline",
        ("letters-1",),
    )
    assert by_headline.warning == _headline_warning(edited, ids_by_headline(indexed))
    assert headline_look_alike(indexed["letters-1"], ids_by_headline(indexed)) is None


def test_an_address_is_compared_as_it_is_stored() -> None:
    """Two articles whose addresses differ in a parameter the stored address keeps ("?story=12",
    "?ref=home") are two addresses; the host's case, a default port, a fragment and tracking
    parameters (dropped from every stored address) are no difference."""
    indexed = {"s12": _article("s12", "https://news.example/view?story=12&ref=home")}
    ids_at = ids_by_url(indexed)
    for other in (
        "https://news.example/view?story=13&ref=home",
        "https://news.example/view?story=12",
        "https://news.example/view?story=12&ref=feed",
    ):
        assert _address_warning(_article("s2", other), ids_at) is None, other
    for same in (
        "https://NEWS.example:443/view?story=12&ref=home#top",
        "https://news.example/view?story=12&utm_source=x&ref=home",
    ):
        assert _address_warning(_article("s2", same), ids_at) is not None, same


def test_undated_or_many_look_alikes_stay_few() -> None:
    """Undated articles are compared with none (every undated "Letters" of an outlet would look
    alike), and a thousand under one headline and date name five and count the rest."""
    undated = {f"l{i}": _record(f"l{i}", "Letters", source="Post", date=None) for i in range(3)}
    assert ids_by_headline(undated) == {}
    assert _headline_warning(_record("l9", "Letters", source="Post", date=None), {}) is None
    many = {
        f"l{i:04d}": _record(f"l{i:04d}", "Letters", source="Post", date="2024-05-02")
        for i in range(1000)
    }
    found = headline_look_alike(many["l0999"], ids_by_headline(many))
    assert found is not None and found.others == ("l0000", "l0001", "l0002", "l0003", "l0004")
    assert found.warning.count("'l0") == 7 and "'l0004' and 994 more," in found.warning
