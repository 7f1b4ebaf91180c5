"""A second import sent while a long one runs (api/import_slot.py): it waits for the first
before it reads anything, and is refused after `index.build_lock_timeout_s` saying which import
runs and for how long; so is a single add, replace or delete that waited for the build lock."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import api.documents_service as documents_service
from api.import_slot import ImportSlot
from index.builder import build_lock
from qa.errors import BuildBusy, Conflict

pytestmark = pytest.mark.unit


def test_a_second_import_waits_then_is_told_which_import_runs() -> None:
    async def run() -> list[str]:
        slot = ImportSlot()
        said = []
        async with slot.turn("nexis-export-100.pdf", wait_s=1):
            with pytest.raises(Conflict) as refused:
                async with slot.turn("other.jsonl", wait_s=0.05):
                    pytest.fail("two imports at once")
            said.append(str(refused.value))
        async with slot.turn("other.jsonl", wait_s=0.05):  # free again
            said.append("second ran")
        return said

    refusal, ran = asyncio.run(run())
    assert refusal.startswith(
        "another import is running on this server ('nexis-export-100.pdf', for 0 s) and had "
        "not finished after index.build_lock_timeout_s (0.05 s); 'other.jsonl' was not read"
    )
    assert ran == "second ran"


def test_a_second_import_reads_nothing_while_the_first_holds_the_slot(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The export sent second was read whole beside the first (two minutes of a 400-page PDF)
    before it waited for the build lock; it is refused unread now."""

    def read(*args: Any, **kwargs: Any) -> bool:
        pytest.fail("the second export was read while the first import ran")

    monkeypatch.setattr(documents_service, "read_sent_document", read)
    monkeypatch.setattr(documents_service, "import_archive", read)
    monkeypatch.setattr(documents_service, "PdfLimits", SimpleNamespace(of=lambda index: None))
    index = SimpleNamespace(build_lock_timeout_s=0.05, max_document_bytes=1 << 20)
    service: Any = SimpleNamespace(settings=SimpleNamespace(index=index), imports=ImportSlot())

    async def run() -> None:
        async with service.imports.turn("long.pdf", wait_s=1):
            with pytest.raises(Conflict, match="'long.pdf', for 0 s"):
                await documents_service.import_document("again.pdf", b"%PDF-", service, None)
            with pytest.raises(Conflict, match="'again.jsonl' was not read"):
                await documents_service.import_export("again.jsonl", "{}", service, None)

    asyncio.run(run())


def _service(index_dir: Path, wait_s: float) -> Any:
    index = SimpleNamespace(build_lock_timeout_s=wait_s, max_document_bytes=1 << 20)
    settings = SimpleNamespace(
        index=index,
        index_dir=index_dir,
        retrieval=SimpleNamespace(near_duplicate_threshold=None),
    )
    corpus = SimpleNamespace(corpus=SimpleNamespace(articles={}))
    return SimpleNamespace(settings=settings, index=corpus, embedder=None, imports=ImportSlot())


def test_a_write_that_waits_for_the_build_lock_of_an_import_is_told_which_import(
    tmp_path: Path,
) -> None:
    """An add, replace or delete sent while a long import indexed its export waited the build
    lock's 60 s and was told only that 'another index build is running'; it is told which import
    holds it, for how long, and that nothing was changed, as a second import is."""
    service = _service(tmp_path / "index", wait_s=0.05)
    body = SimpleNamespace(
        text="The council voted on Tuesday to close the old library on Main Street.",
        html=None,
        title="Library vote",
        source=None,
        date=None,
        author=None,
    )

    async def run() -> list[str]:
        said = []
        # the import's build holds the lock (a real one: add_article and delete_article take it)
        async with service.imports.turn("nexis-export-100.pdf", wait_s=1):
            with build_lock(tmp_path / "index"):
                for write in (
                    lambda: documents_service.store_article(
                        body, None, service, None, replace=False
                    ),
                    lambda: documents_service.store_article(
                        body, "library", service, None, replace=True
                    ),
                    lambda: documents_service.delete_document("library", service, None),
                ):
                    with pytest.raises(Conflict) as refused:
                        await write()
                    said.append(str(refused.value))
        return said

    for refusal in asyncio.run(run()):
        assert refusal == (
            "another import is running on this server ('nexis-export-100.pdf', for 0 s) and had "
            "not finished after index.build_lock_timeout_s (0.05 s); nothing was changed. A long "
            "export (a PDF of hundreds of pages) takes minutes: send it again once that import "
            "has answered"
        )


def test_another_build_holding_the_lock_keeps_the_build_locks_refusal(tmp_path: Path) -> None:
    """No import of this server runs (a rebuild by the script, another server process): the
    build lock's own 409 stands, and a refusal that is not the lock's is left as it is."""
    service = _service(tmp_path / "index", wait_s=0.05)

    async def run() -> str:
        with build_lock(tmp_path / "index"), pytest.raises(BuildBusy) as refused:
            await documents_service.delete_document("library", service, None)
        async with service.imports.turn("nexis-export-100.pdf", wait_s=1):
            taken = pytest.raises(Conflict, match="^the id is taken$")
            with taken, service.imports.naming_the_import(0.05):
                raise Conflict("the id is taken")
        return str(refused.value)

    assert asyncio.run(run()) == "another index build is running; try again when it has finished"
