"""One archive import at a time in this server, waited for without reading anything.

An import reads its export before it takes the index's build lock (index/builder.py): a long
Nexis Uni export saved as PDF takes minutes to read (child processes, index/pdf_pages.py), then
minutes more to clean and embed under the lock. A second import sent meanwhile (a colleague, a
retry after a dropped connection) read the whole export again beside the first, slowing it,
then waited `index.build_lock_timeout_s` for the lock and got a 409 that named neither what was
running nor how long it had run: 211 s for a 409 in a measured run. Here the second one waits
for the first as a build waits for the lock, at most `index.build_lock_timeout_s`, before it
reads a byte, and is refused saying which import runs and for how long. Each server process
has its own slot (`server.workers` > 1: the build lock still keeps builds one at a time).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from qa.errors import Conflict


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
            raise Conflict(self.busy(name, wait_s)) from None
        self._running, self._since = name, time.monotonic()
        try:
            yield
        finally:
            self._running = None
            self._lock.release()

    def busy(self, name: str, wait_s: float) -> str:
        running = f" ({self._running!r}, for {time.monotonic() - self._since:.0f} s)"
        return (
            f"another import is running on this server{running if self._running else ''} and "
            f"had not finished after index.build_lock_timeout_s ({wait_s:g} s); {name!r} was not "
            "read and nothing was changed. A long export (a PDF of hundreds of pages) takes "
            "minutes: send it again once that import has answered"
        )
