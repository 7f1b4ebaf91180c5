"""What reading a file of the corpus folder found, kept by its content: whether it is an export
of many articles, and an export's articles.

Telling an export from one article takes reading it whole (a PDF's pages are a child process
of a second or more, index/pdf_pages.py; a large RTF document's paragraphs and items take
seconds, index/rtf_documents.py), and every import and delete asks it of every file of the
folder (`index.archive_records.ids_in_folder`). Kept by a key of the file's bytes (their
SHA-256, and for a PDF the limits it was read under), a reading is never stale, and a file is
read again only when its bytes are new, or when the articles of an export were let go to keep
the memory they take bounded.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)
Kept = TypeVar("Kept")

# whether a file is an export costs a few bytes each; an export's articles are kept up to a
# bound on their size (`size`: characters of text), some seventy exports of a hundred news
# stories. A folder's exports are all read again by each import and delete, so a bound of a
# few exports had a folder of more read every one of them every time.
VERDICTS = 4096
KEPT_SIZE = 32_000_000


class Verdicts(Generic[Key, Kept]):
    """Whether the file read under `key` is an export, and an export's articles (`Kept`), or
    why it was refused for good (`refusal`: a PDF too long, which reading it again would only
    say again). A file that could not be read otherwise is kept as no export by whoever reads
    it so (its reading says why, each time it is read for its articles). When the size of what
    is kept passes `kept_size`, the least recently used export's articles go; its verdict
    stays."""

    def __init__(
        self,
        *,
        size: Callable[[Kept], int],
        verdicts: int = VERDICTS,
        kept_size: int = KEPT_SIZE,
    ) -> None:
        self._exports: OrderedDict[Key, bool] = OrderedDict()
        self._kept: OrderedDict[Key, Kept] = OrderedDict()
        self._refusals: dict[Key, str] = {}
        self._sizes: dict[Key, int] = {}
        self._total = 0
        self._size = size
        self._verdicts = verdicts
        self._kept_size = kept_size
        self._lock = threading.Lock()

    def verdict(self, key: Key) -> bool | None:
        """Whether the file is an export, None when it was not read (or is long forgotten)."""
        with self._lock:
            found = self._exports.get(key)
            if found is not None:
                self._exports.move_to_end(key)
            return found

    def kept(self, key: Key) -> Kept | None:
        """The export's articles when they are kept."""
        with self._lock:
            found = self._kept.get(key)
            if found is None:
                return None
            self._kept.move_to_end(key)
            self._exports.move_to_end(key)
            return found

    def refusal(self, key: Key) -> str | None:
        """Why the file is refused for good, when it was (`put`'s `refusal`)."""
        with self._lock:
            found = self._refusals.get(key)
            if found is not None:
                self._exports.move_to_end(key)
            return found

    def put(self, key: Key, kept: Kept | None, *, refusal: str | None = None) -> None:
        """What reading the file found: an export's articles, or None for no export (and
        `refusal`, why it is refused for good, when it is)."""
        with self._lock:
            self._exports[key] = kept is not None
            self._exports.move_to_end(key)
            while len(self._exports) > self._verdicts:
                gone, _ = self._exports.popitem(last=False)
                self._forget(gone)
                self._refusals.pop(gone, None)
            self._forget(key)
            self._refusals.pop(key, None)
            if kept is None:
                if refusal is not None:
                    self._refusals[key] = refusal
                return
            self._kept[key] = kept
            self._sizes[key] = max(1, self._size(kept))  # an export of empty articles too
            self._total += self._sizes[key]
            while self._total > self._kept_size and len(self._kept) > 1:
                self._forget(next(iter(self._kept)))  # the oldest's articles; its verdict stays

    def _forget(self, key: Key) -> None:
        """Let an export's articles go (the lock held)."""
        if key in self._kept:
            del self._kept[key]
            self._total -= self._sizes.pop(key)
