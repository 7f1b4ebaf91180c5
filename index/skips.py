"""What reading an article file gives besides its articles: a warning for each file or part
of a file skipped, at most `LISTED_SKIPS` of one file named and the rest counted (`Skips`),
which of a build's warnings are about given files (`skips_of_files`), and the articles with
their warnings and origins (`FileArticles`, what index/formats.py `read_article_file` returns)."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from qa.models import Article

# skips named one a line for each file; the rest of a file's are counted in one line after them
LISTED_SKIPS = 20


class Skips(list[str]):
    """A warning for each file or archive record skipped, but at most `LISTED_SKIPS` of one
    file named one by one: the rest of that file's are counted in one line after them (`close`),
    so a table of a million broken rows is 21 lines, in memory, in the log and in the document
    API's answers, not a million. Every skip is `total`."""

    def __init__(self) -> None:
        super().__init__()
        self._listed: dict[str, int] = {}
        self._unlisted: dict[str, int] = {}
        self.counted = 0  # skips not named one by one (in the lines `close` adds)

    @property
    def total(self) -> int:
        """Every file and archive record skipped: the named ones and the counted ones."""
        return len(self) + self.counted

    def skip(self, name: str, warning: str) -> None:
        """`warning` about file `name`: kept, or counted once the file has its share."""
        if self._listed.get(name, 0) < LISTED_SKIPS:
            self._listed[name] = self._listed.get(name, 0) + 1
            self.append(warning)
        else:
            self._unlisted[name] = self._unlisted.get(name, 0) + 1

    def close(self) -> None:
        """A line for each file with skips past its share, saying how many."""
        for name, more in self._unlisted.items():
            self.append(
                f"skipped {more:,} more part(s) of {name}, for reasons like those above (the "
                f"first {LISTED_SKIPS} are named); fix those and rebuild to see the rest"
            )
            self.counted += more - 1  # the line itself is counted as a warning
        self._unlisted.clear()

    def merge(self, other: Skips) -> None:
        """`other`'s warnings after these, each file's share counting what it named there."""
        self.extend(other)
        self.counted += other.counted
        for name, listed in other._listed.items():
            self._listed[name] = self._listed.get(name, 0) + listed


_MORE_OF = re.compile(r"skipped ([\d,]+) more part\(s\) of (.+), for reasons like those above")


def skips_of_files(warnings: Sequence[str], names: Collection[str]) -> tuple[list[str], int]:
    """The warnings of a build's `Skips` that are about the files `names` (the file or a part
    of it skipped, or another file skipped because one of them holds its id already), and how
    many skips those lines count: the document API names a request's own skips and only counts
    the corpus folder's others, which GET /admin/index lists."""
    own: list[str] = []
    counted = 0
    for warning in warnings:
        more = _MORE_OF.match(warning)
        if more is not None:
            if more.group(2) in names:
                own.append(warning)
                counted += int(more.group(1).replace(",", ""))
            continue
        if any(_is_about(warning, name) for name in names):
            own.append(warning)
            counted += 1
    return own, counted


def _is_about(warning: str, name: str) -> bool:
    used = f" is already used by {name}"
    return warning.startswith((f"skipped {name}:", f"skipped {name} ")) or (
        warning.endswith(used) or f"{used} " in warning
    )


@dataclass
class FileArticles:
    """What one file gave: its articles, and a warning for each part of it that was skipped
    (`Skips`: at most `LISTED_SKIPS` named, the rest counted)."""

    articles: list[Article] = field(default_factory=list)
    warnings: Skips = field(default_factory=Skips)
    origins: list[str] = field(default_factory=list)  # "file" or "file line N", per article
