"""A restricted search and the copies left out of the index: a copy of a paragraph (word for word
or nearly) in an article the restriction keeps stands in for the searched one it repeats, when
the restriction leaves that one out (a dated copy of an undated page; the article asked about)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from api.service import QAService
from index.builder import rebuild_index
from index.loaded import LoadedIndex, open_index
from index.versions import current_version
from qa.candidates import scoped_corpus
from qa.settings import GenerationSettings, Settings
from tests.fakes import HashingEmbedder, OverlapSelector

pytestmark = pytest.mark.unit

BRIDGE = (
    "Repairs to the Mill Road bridge will cost about 1.4 million dollars, the council said.\n\n"
    "Work on the Mill Road bridge starts in spring."
)
HARBOUR = (
    "Skarra harbour reopens\n\nPublished: 2019-11-25\n\n"
    "Harbour master Lene Aasgaard said repairs to the north breakwater would cost about "
    "2.3 million kroner."
)


def load(tmp_path: Path, articles: dict[str, str]) -> tuple[Settings, HashingEmbedder, LoadedIndex]:
    """The index of `articles` (file stem → text), built with the near-duplicate threshold the
    settings give, and loaded."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for stem, text in articles.items():
        (corpus / f"{stem}.txt").write_text(text, "utf-8")
    settings = Settings(data_dir=tmp_path / "data", generation=GenerationSettings(backend="none"))
    embedder = HashingEmbedder()
    rebuild_index(
        corpus,
        settings.index_dir,
        embedder=embedder,
        near_duplicate_threshold=settings.retrieval.near_duplicate_threshold,
    )
    loaded = open_index(current_version(settings.index_dir), embedder=embedder, settings=settings)
    return settings, embedder, loaded


@pytest.fixture
def service(tmp_path: Path) -> QAService:
    settings, embedder, loaded = load(
        tmp_path,
        {
            "a-notice": f"Council notice\n\n{BRIDGE}",  # undated
            "b-dated": f"Council notice\n\nPublished: 2019-11-20\n\n{BRIDGE}",
            "harbour": HARBOUR,
        },
    )
    # the copy's paragraphs are left out: only the undated notice's are searched
    assert {p.doc_id for p in loaded.corpus.paragraphs} == {"a-notice", "harbour"}
    assert sum(len(c) for c in loaded.copies.values()) == 2
    return QAService(settings, embedder, loaded, OverlapSelector(), None)  # type: ignore[arg-type]


QUESTION = "How much will the repairs to the Mill Road bridge cost?"


def test_unrestricted_the_article_read_first_answers(service: QAService) -> None:
    answer = service.ask(QUESTION)
    assert answer.status == "answered" and "1.4 million" in answer.answer
    assert answer.citations[0].doc_id == "a-notice"


def test_a_date_range_finds_the_dated_copy_and_cites_it(service: QAService) -> None:
    answer = service.ask(QUESTION, date_from=date(2019, 1, 1))
    assert answer.status == "answered" and "1.4 million" in answer.answer, answer
    cited = answer.citations[0]
    assert (cited.doc_id, cited.date) == ("b-dated", "2019-11-20")
    article = service.index.corpus.articles["b-dated"]
    assert article.text[cited.start : cited.end] == cited.text  # offsets into the copy
    assert all(r.doc_id != "a-notice" for r in answer.retrieved)


def test_asking_about_the_copy_finds_its_paragraphs(service: QAService) -> None:
    answer = service.ask(QUESTION, doc_ids=["b-dated"])
    assert answer.status == "answered" and "1.4 million" in answer.answer, answer
    assert {c.doc_id for c in answer.citations} == {"b-dated"}
    assert {r.doc_id for r in answer.retrieved} == {"b-dated"}


def test_a_near_copy_stands_in_with_its_own_words(tmp_path: Path) -> None:
    """A syndicated copy that differs by a word is left out of the index as a near-duplicate;
    asked about alone, its own sentence is quoted, with offsets into its own text."""
    edited = BRIDGE.replace("the council said", "the Vorontsky council said")
    settings, embedder, loaded = load(
        tmp_path,
        {
            "a-notice": f"Council notice\n\n{BRIDGE}",
            "b-edited": f"Town notice\n\n{edited}",
            "harbour": HARBOUR,
        },
    )
    assert {p.doc_id for p in loaded.corpus.paragraphs} == {"a-notice", "harbour"}
    copies = [c for found in loaded.copies.values() for c in found]
    assert any("Vorontsky council" in c.text for c in copies)  # not word for word, still a copy
    # its words are the articles' words: a name only it holds is not "mentioned nowhere"
    assert loaded.vocabulary.knows("Vorontsky")
    service = QAService(settings, embedder, loaded, OverlapSelector(), None)  # type: ignore[arg-type]

    answer = service.ask(QUESTION, doc_ids=["b-edited"])
    assert answer.status == "answered" and "the Vorontsky council said" in answer.answer, answer
    cited = answer.citations[0]
    assert cited.doc_id == "b-edited"
    article = service.index.corpus.articles["b-edited"]
    assert article.text[cited.start : cited.end] == cited.text
    assert cited.text[cited.span_start : cited.span_end] in answer.answer
    # the copy's sentences are numbered after the index's, their vectors kept apart
    near = next(c for c in copies if "Vorontsky" in c.text)
    original = BRIDGE.split("\n\n")[0]
    view = [near if p.text == original else p for p in loaded.corpus.paragraphs]
    scoped = scoped_corpus(loaded.corpus, view, embedder.embed)
    row = view.index(near)
    ids = [*scoped.sentences_by_row[row], 0]
    assert all(i >= len(loaded.corpus.sentences) for i in ids[:-1])
    assert [scoped.sentences[i].row for i in ids[:-1]] == [row] * (len(ids) - 1)
    assert scoped.extra_vectors is not None and len(scoped.extra_vectors) == len(ids) - 1
    every = np.vstack([loaded.corpus.sentence_vectors, scoped.extra_vectors])
    np.testing.assert_array_equal(scoped.vectors_of(ids), every[ids])
    found = service.search("Mill Road bridge repairs", limit=5, doc_ids=["b-edited"])
    assert "the Vorontsky council said" in found.paragraphs[0].text
    # unrestricted, the article read first is searched and cited, as before
    assert service.ask(QUESTION).citations[0].doc_id == "a-notice"
