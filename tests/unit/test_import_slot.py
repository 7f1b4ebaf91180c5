"""A second import sent while a long one runs (api/import_slot.py): it waits for the first
before it reads anything, and is refused after `index.build_lock_timeout_s` saying which import
runs and for how long."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

import api.documents_service as documents_service
from api.import_slot import ImportSlot
from qa.errors import Conflict

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

    monkeypatch.setattr(documents_service, "is_document_export", read)
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
