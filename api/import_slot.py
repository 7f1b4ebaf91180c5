"""One archive import at a time in this server, waited for without reading anything.

An import reads its export before it takes the index's build lock (index/builder.py): a long
Nexis Uni export saved as PDF takes minutes to read (child processes, index/pdf_pages.py), then
minutes more to clean and embed under the lock. A second import sent meanwhile (a colleague, a
retry after a dropped connection) read the whole export again beside the first, slowing it,
then waited `index.build_lock_timeout_s` for the lock and got a 409 that named neither what was
running nor how long it had run: 211 s for a 409 in a measured run. Here the second one waits
for the first as a build waits for the lock, at most `index.build_lock_timeout_s`, before it
reads a byte, and is refused saying which import runs and for how long; so is a single add,
replace or delete that waited for the build lock the import holds. Each server process
has its own slot (`server.workers` > 1: the build lock still keeps builds one at a time).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field

from qa.errors import BuildBusy, Conflict


@dataclass
class ImportSlot:
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _running: str | None = None  # the name of the export being imported
    _since: float = 0.0

    @asynccontextmanager
    async def turn(self, name: str, *, wait_s: float) -> AsyncIterator[None]:
        """Hold the slot while `name` is imported; `Conflict` when another import still holds
        it after `wait_s` seconds, saying which and since when."""
        try:
            await asyncio.wait_for(self._lock.acquire(), timeout=wait_s)
        except TimeoutError:
            raise Conflict(self.busy(wait_s, unread=name)) from None
        self._running, self._since = name, time.monotonic()
        try:
            yield
        finally:
            self._running = None
            self._lock.release()

    def busy(self, wait_s: float, *, unread: str | None = None) -> str:
        """The refusal of a request that waited `wait_s` seconds while this server's import ran:
        another import (`unread`: its name; it was not read) or a single add, replace or delete
        (`naming_the_import`)."""
        running = f" ({self._running!r}, for {time.monotonic() - self._since:.0f} s)"
        unchanged = f"{unread!r} was not read and nothing" if unread is not None else "nothing"
        return (
            f"another import is running on this server{running if self._running else ''} and "
            f"had not finished after index.build_lock_timeout_s ({wait_s:g} s); {unchanged} was "
            "changed. A long export (a PDF of hundreds of pages) takes minutes: send it again "
            "once that import has answered"
        )

    @contextmanager
    def naming_the_import(self, wait_s: float) -> Iterator[None]:
        """Say which import held the build lock when a single add, replace or delete inside gave
        up waiting for it (`BuildBusy`, after `wait_s`): an import holds the lock while it indexes
        its export, minutes for a long one, and the build lock's own 409 (another build is
        running) named neither it nor how long it had run. Another build (a rebuild
        by the script, another server process) keeps that 409: this server runs no import."""
        try:
            yield
        except BuildBusy as exc:
            if self._running is None:
                raise
            raise Conflict(self.busy(wait_s)) from exc
