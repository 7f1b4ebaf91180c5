"""A second import sent while a long one runs (api/import_slot.py): it waits for the first
before it reads anything, and is refused saying which import runs and for how long, at once
when that import has run past `index.import_busy_s` (else once it has, or after
`index.build_lock_timeout_s`); so is a single add, replace or delete while the import holds the
build lock."""

from __future__ import annotations

import asyncio
import time
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
        async with slot.turn("nexis-export-100.pdf", wait_s=1, busy_s=60):
            with pytest.raises(Conflict) as refused:
                async with slot.turn("other.jsonl", wait_s=0.05, busy_s=60):
                    pytest.fail("two imports at once")
            said.append(str(refused.value))
        async with slot.turn("other.jsonl", wait_s=0.05, busy_s=60):  # free again
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
    index = SimpleNamespace(build_lock_timeout_s=0.05, import_busy_s=60, max_document_bytes=1 << 20)
    service: Any = SimpleNamespace(settings=SimpleNamespace(index=index), imports=ImportSlot())

    async def run() -> None:
        async with service.imports.turn("long.pdf", wait_s=1, busy_s=60):
            with pytest.raises(Conflict, match="'long.pdf', for 0 s"):
                await documents_service.import_document("again.pdf", b"%PDF-", service, None)
            with pytest.raises(Conflict, match="'again.jsonl' was not read"):
                await documents_service.import_export("again.jsonl", "{}", service, None)

    asyncio.run(run())


def _service(index_dir: Path, wait_s: float, busy_s: float = 60) -> Any:
    index = SimpleNamespace(
        build_lock_timeout_s=wait_s, import_busy_s=busy_s, max_document_bytes=1 << 20
    )
    settings = SimpleNamespace(
        index=index,
        index_dir=index_dir,
        retrieval=SimpleNamespace(near_duplicate_threshold=None),
    )
    corpus = SimpleNamespace(corpus=SimpleNamespace(articles={}))
    return SimpleNamespace(settings=settings, index=corpus, embedder=None, imports=ImportSlot())


BODY = SimpleNamespace(
    text="The council voted on Tuesday to close the old library on Main Street.",
    html=None,
    title="Library vote",
    source=None,
    date=None,
    author=None,
)


def _writes(service: Any) -> list[Any]:
    """An add, a replace and a delete of one article, each a coroutine function."""
    return [
        lambda: documents_service.store_article(BODY, None, service, None, replace=False),
        lambda: documents_service.store_article(BODY, "library", service, None, replace=True),
        lambda: documents_service.delete_document("library", service, None),
    ]


def test_a_write_that_waits_for_the_build_lock_of_an_import_is_told_which_import(
    tmp_path: Path,
) -> None:
    """An add, replace or delete sent while a long import indexed its export waited the build
    lock's 60 s and was told only that 'another index build is running'; it is told which import
    holds it, for how long, and that nothing was changed, as a second import is. (Here the
    import took the lock after the write found it free: the write waited for it.)"""
    service = _service(tmp_path / "index", wait_s=0.05)

    async def run() -> list[str]:
        said = []
        # the import's build holds the lock (a real one: add_article and delete_article take it)
        async with service.imports.turn("nexis-export-100.pdf", wait_s=1, busy_s=60):
            with build_lock(tmp_path / "index"):
                for write in _writes(service):
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
        async with service.imports.turn("nexis-export-100.pdf", wait_s=1, busy_s=60):
            taken = pytest.raises(Conflict, match="^the id is taken$")
            with taken, service.imports.naming_the_import(0.05):
                raise Conflict("the id is taken")
        return str(refused.value)

    assert asyncio.run(run()) == "another index build is running; try again when it has finished"


def test_a_write_is_refused_at_once_while_the_import_has_held_the_build_lock_a_while(
    tmp_path: Path,
) -> None:
    """An add, replace or delete sent while a long import indexed its export waited the whole
    of index.build_lock_timeout_s (60 s) for a 409 it could have had at once: the import, which
    had held the build lock past index.import_busy_s, was not about to finish. Now it is told at
    once, and nothing was changed."""
    service = _service(tmp_path / "index", wait_s=5, busy_s=0.1)

    async def run() -> list[tuple[float, str]]:
        said = []
        async with service.imports.turn("nexis-export-100.pdf", wait_s=1, busy_s=0.1):
            with build_lock(tmp_path / "index"), service.imports.indexing():
                await asyncio.sleep(0.15)  # it has indexed for longer than import_busy_s
                for write in _writes(service):
                    started = time.monotonic()
                    with pytest.raises(Conflict) as refused:
                        await write()
                    said.append((time.monotonic() - started, str(refused.value)))
        return said

    for waited, refusal in asyncio.run(run()):
        assert waited < 1, refusal
        assert refusal == (
            "another import is running on this server ('nexis-export-100.pdf', for 0 s) and has "
            "held the index's build lock for more than index.import_busy_s (0.1 s), so it is not "
            "about to finish; nothing was changed. A long export (a PDF of hundreds of pages) "
            "takes minutes: send it again once that import has answered"
        )
    assert not (tmp_path / "index" / "current").exists()  # nothing built


def test_a_second_import_is_refused_at_once_when_the_first_has_run_a_while() -> None:
    """A second import waited index.build_lock_timeout_s (60 s) for a first that had run for
    minutes, only to be refused; it is refused at once once the first has run past
    index.import_busy_s."""

    async def run() -> tuple[float, str]:
        slot = ImportSlot()
        async with slot.turn("nexis-export-100.pdf", wait_s=60, busy_s=0.1):
            await asyncio.sleep(0.15)
            started = time.monotonic()
            with pytest.raises(Conflict) as refused:
                async with slot.turn("other.jsonl", wait_s=5, busy_s=0.1):
                    pytest.fail("two imports at once")
            return time.monotonic() - started, str(refused.value)

    waited, refusal = asyncio.run(run())
    assert waited < 1
    assert refusal == (
        "another import is running on this server ('nexis-export-100.pdf', for 0 s) and has run "
        "for more than index.import_busy_s (0.1 s), so it is not about to finish; 'other.jsonl' "
        "was not read and nothing was changed. A long export (a PDF of hundreds of pages) takes "
        "minutes: send it again once that import has answered"
    )


def test_an_import_that_may_be_about_to_finish_is_waited_for() -> None:
    """A first import that has run for less than index.import_busy_s may end in a moment: a
    second import waits for it and gets its turn; one that has not ended by then is refused
    once it has run that long, not after index.build_lock_timeout_s."""

    async def run() -> tuple[list[str], float]:
        slot = ImportSlot()
        said = []

        async def first(name: str, lasts: float) -> None:
            async with slot.turn(name, wait_s=60, busy_s=0.5):
                await asyncio.sleep(lasts)

        short = asyncio.create_task(first("short.jsonl", 0.1))
        await asyncio.sleep(0.02)
        async with slot.turn("second.jsonl", wait_s=60, busy_s=0.5):
            said.append("second ran")
        await short
        long = asyncio.create_task(first("long.pdf", 3))
        await asyncio.sleep(0.02)
        started = time.monotonic()
        with pytest.raises(Conflict, match=r"'long.pdf', for \d s\) and has run for more than"):
            async with slot.turn("third.jsonl", wait_s=60, busy_s=0.5):
                pytest.fail("two imports at once")
        waited = time.monotonic() - started
        long.cancel()
        return said, waited

    said, waited = asyncio.run(run())
    assert said == ["second ran"]
    assert 0.3 < waited < 1.5


def test_a_write_is_not_held_back_by_an_import_reading_its_export() -> None:
    """An import reads its export (minutes for a long PDF) before it takes the build lock: a
    write sent then gets the lock first, as before; one sent just after the import took the lock
    waits for it to end, up to index.import_busy_s."""

    async def run() -> tuple[float, float]:
        slot = ImportSlot()
        async with slot.turn("nexis-export-100.pdf", wait_s=60, busy_s=2):
            started = time.monotonic()
            await slot.before_a_write(wait_s=60, busy_s=2)  # reading: no build lock held
            reading = time.monotonic() - started

            async def indexes() -> None:
                with slot.indexing():
                    await asyncio.sleep(0.2)

            indexing = asyncio.create_task(indexes())
            await asyncio.sleep(0.02)
            started = time.monotonic()
            await slot.before_a_write(wait_s=60, busy_s=2)  # its build ends within import_busy_s
            ended = time.monotonic() - started
            await indexing
        return reading, ended

    reading, ended = asyncio.run(run())
    assert reading < 0.05
    assert 0.1 < ended < 1.5
