"""Hot reload: a new index version is loaded beside the served one and swapped in whole.

A real `QAService` over real index versions built with the hashing fake embedder (no model).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from api.reload import IndexReloader
from api.service import QAService
from index.builder import rebuild_index
from index.loaded import open_index
from index.versions import current_version
from qa.settings import GenerationSettings, Settings
from tests.fakes import HashingEmbedder, OverlapSelector

pytestmark = pytest.mark.unit

FERRY = (
    "Ferry returns to Skarra island\n\n"
    "The ferry to Skarra island resumed service on Monday after a week of storms."
)
ORCHARD = (
    "Frost damages apple orchards\n\n"
    "A late frost destroyed about 3,000 tonnes of apples in the Brenna valley."
)


@pytest.fixture
def setting_up(tmp_path: Path) -> tuple[Path, QAService, IndexReloader]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ferry.txt").write_text(FERRY, encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", generation=GenerationSettings(backend="none"))
    embedder = HashingEmbedder()
    rebuild_index(corpus, settings.index_dir, embedder=embedder)
    loaded = open_index(current_version(settings.index_dir), embedder=embedder, settings=settings)
    service = QAService(settings, embedder, loaded, OverlapSelector(), None)  # type: ignore[arg-type]
    return corpus, service, IndexReloader(service)


def test_reload_swaps_in_a_new_version_and_skips_a_damaged_one(
    setting_up: tuple[Path, QAService, IndexReloader],
) -> None:
    corpus, service, reloader = setting_up
    index_dir = service.settings.index_dir
    first = service.index.version
    assert reloader.reload().status == "unchanged"

    (corpus / "orchard.txt").write_text(ORCHARD, encoding="utf-8")
    rebuild_index(corpus, index_dir, embedder=HashingEmbedder())
    result = reloader.reload()

    assert result.status == "reloaded"
    assert service.index.version == current_version(index_dir) != first
    assert set(service.corpus.articles) == {"ferry", "orchard"}

    (corpus / "ferry.txt").unlink()
    rebuild_index(corpus, index_dir, embedder=HashingEmbedder())
    damaged = current_version(index_dir)
    (damaged / "paragraphs.jsonl").write_text("{}", encoding="utf-8")
    refused = reloader.reload()
    assert refused.status == "failed"
    assert refused.detail is not None and "paragraphs.jsonl" in refused.detail
    assert set(service.corpus.articles) == {"ferry", "orchard"}  # the served one stays
    assert reloader.reload().status == "failed"  # not loaded again until `current` moves


def test_questions_asked_during_swaps_all_get_answers(
    setting_up: tuple[Path, QAService, IndexReloader],
) -> None:
    corpus, service, reloader = setting_up
    failures: list[BaseException] = []
    answers: list[str] = []
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            try:
                answers.append(service.ask("When did the ferry to Skarra resume service?").status)
            except BaseException as exc:  # noqa: BLE001 - any failure is what we look for
                failures.append(exc)

    thread = threading.Thread(target=ask)
    thread.start()
    try:
        for n in range(6):
            (corpus / f"extra-{n}.txt").write_text(
                f"Council note {n}\n\nThe council met {n} times about the harbour budget.",
                encoding="utf-8",
            )
            rebuild_index(corpus, service.settings.index_dir, embedder=HashingEmbedder())
            assert reloader.reload().status == "reloaded"
    finally:
        stop.set()
        thread.join()
    assert failures == []
    assert answers and set(answers) <= {"answered", "insufficient_evidence"}
    assert len(service.corpus.articles) == 7
