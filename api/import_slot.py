"""One archive import at a time in this server, waited for without reading anything.

An import reads its export before it takes the index's build lock (index/builder.py): a long
Nexis Uni export saved as PDF takes minutes to read (child processes, index/pdf_pages.py), then
minutes more to clean and embed under the lock. A second import sent meanwhile (a colleague, a
retry after a dropped connection) read the whole export again beside the first, slowing it,
then waited `index.build_lock_timeout_s` for the lock and got a 409 that named neither what was
running nor how long it had run: 211 s for a 409 in a measured run. Here the second one waits
for the first before it reads a byte, and is refused saying which import runs and for how long;
so is a single add, replace or delete while the import holds the build lock. Each server
process has its own slot (`server.workers` > 1: the build lock still keeps builds one at a
time).

How long they wait (`index.import_busy_s`, 2 s): an import that has run (for a write: held the
build lock) for less may be about to finish (a few articles are read and indexed in well under
a second), so a request sent then waits until the import has run that long, and gets its turn
if the import ends by then; one that has run longer takes minutes as often as not (a long
export), so the request is refused at once rather than after the build lock's 60 s, which only
ever ended in the same 409. A write sent while the import reads its export, before it takes
the build lock, is not held back: it gets the lock first. A write that found no import holding
the lock and then waited for it (the import took it in between, or a build this server is not
running holds it) waits `index.build_lock_timeout_s` as before.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field

from qa.errors import BuildBusy, Conflict

# how often a write waiting for an import to have run `index.import_busy_s` looks again
_POLL_S = 0.05


@dataclass
class ImportSlot:
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _running: str | None = None  # the name of the export being imported
    _since: float = 0.0  # when it took the slot
    # when it took the build lock, while it holds it (set from the import's worker thread)
    _indexing_since: float | None = None

    @asynccontextmanager
    async def turn(self, name: str, *, wait_s: float, busy_s: float) -> AsyncIterator[None]:
        """Hold the slot while `name` is imported; `Conflict` saying which import holds it and
        since when, once that import has run `busy_s` seconds (at once, if it has run longer)
        or after `wait_s`, whichever comes first."""
        wait = wait_s
        if self._lock.locked():
            wait = min(wait_s, busy_s - (time.monotonic() - self._since))
        try:
            if wait <= 0:  # wait_for would not take even a free lock without waiting
                raise TimeoutError
            await asyncio.wait_for(self._lock.acquire(), timeout=wait)
        except TimeoutError:
            busy = self.busy(wait_s, unread=name, busy_s=_cut(wait, wait_s, busy_s))
            raise Conflict(busy) from None
        self._running, self._since = name, time.monotonic()
        try:
            yield
        finally:
            # a request sent before the next import has taken the slot does not count this one
            self._running, self._since = None, time.monotonic()
            self._lock.release()

    @contextmanager
    def indexing(self) -> Iterator[None]:
        """Mark the build lock held by this server's import (entered in its worker thread, once
        the lock is taken; left before it is released)."""
        self._indexing_since = time.monotonic()
        try:
            yield
        finally:
            self._indexing_since = None

    async def before_a_write(self, *, wait_s: float, busy_s: float) -> None:
        """Return once no import of this server holds the build lock (at once when none does:
        one reading its export holds no lock yet); `Conflict` naming the import once it has
        held the lock `busy_s` seconds (at once when it has held it longer), or after
        `wait_s`."""
        started = time.monotonic()
        while (since := self._indexing_since) is not None:
            now = time.monotonic()
            if now - since >= busy_s:
                raise Conflict(self.busy(wait_s, busy_s=busy_s, held="held the index's build lock"))
            if now - started >= wait_s:
                raise Conflict(self.busy(wait_s))
            await asyncio.sleep(min(_POLL_S, busy_s - (now - since), wait_s - (now - started)))

    def busy(
        self,
        wait_s: float,
        *,
        unread: str | None = None,
        busy_s: float | None = None,
        held: str = "run",
    ) -> str:
        """The refusal of a request sent while this server's import ran: another import
        (`unread`: its name; it was not read) or a single add, replace or delete. `busy_s`: it
        was refused once that import had `held` (run, or held the build lock) that long, else
        after waiting `wait_s` seconds (`index.build_lock_timeout_s`)."""
        running = f" ({self._running!r}, for {time.monotonic() - self._since:.0f} s)"
        unchanged = f"{unread!r} was not read and nothing" if unread is not None else "nothing"
        why = (
            f"had not finished after index.build_lock_timeout_s ({wait_s:g} s)"
            if busy_s is None
            else f"has {held} for more than index.import_busy_s ({busy_s:g} s), so it is not "
            "about to finish"
        )
        return (
            f"another import is running on this server{running if self._running else ''} and "
            f"{why}; {unchanged} was changed. A long export (a PDF of hundreds of pages) takes "
            "minutes: send it again once that import has answered"
        )

    @contextmanager
    def naming_the_import(self, wait_s: float) -> Iterator[None]:
        """Say which import held the build lock when a single add, replace or delete inside gave
        up waiting for it (`BuildBusy`, after `wait_s`: the import took the lock after
        `before_a_write` found it free): an import holds the lock while it indexes its export,
        minutes for a long one, and the build lock's own 409 (another build is running) named
        neither it nor how long it had run. Another build (a rebuild by the script, another
        server process) keeps that 409: this server runs no import."""
        try:
            yield
        except BuildBusy as exc:
            if self._running is None:
                raise
            raise Conflict(self.busy(wait_s)) from exc


def _cut(wait: float, wait_s: float, busy_s: float) -> float | None:
    """`busy_s` when it cut a wait short of `wait_s`, else None (the whole wait was waited)."""
    return busy_s if wait < wait_s else None
