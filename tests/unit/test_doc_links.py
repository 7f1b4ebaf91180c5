"""Every relative link of the README and docs/ reaches a file of the repository, and every
`#anchor` a heading of the page it names (as GitHub makes a heading's anchor)."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *ROOT.glob("models/*/*.md")])
PARSER = MarkdownIt("commonmark").enable("table")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading's text: lower case, every character but a letter, a digit,
    '-', '_' and a space dropped, each space a hyphen."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def inline_text(token: Token) -> str:
    return "".join(child.content for child in token.children or [])


def anchors(tokens: list[Token]) -> set[str]:
    """A page's anchors; a second heading of the same words gets '-1', a third '-2' …"""
    seen: Counter[str] = Counter()
    found = set()
    for opening, inline in zip(tokens, tokens[1:], strict=False):
        if opening.type == "heading_open":
            name = slug(inline_text(inline))
            found.add(f"{name}-{seen[name]}" if seen[name] else name)
            seen[name] += 1
    return found


def links(tokens: list[Token]) -> list[str]:
    """Every link and image target outside code (code spans and blocks hold no links)."""
    return [
        str(child.attrs["href" if child.type == "link_open" else "src"])
        for token in tokens
        if token.type == "inline"
        for child in token.children or []
        if child.type in ("link_open", "image")
    ]


@cache
def parsed(page: Path) -> list[Token]:
    return PARSER.parse(page.read_text(encoding="utf-8"))


def broken(page: Path) -> list[str]:
    problems = []
    for target in links(parsed(page)):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:: not the repository's
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            problems.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(parsed(linked)):
            problems.append(f"{target}: no heading gives #{anchor}")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_relative_links_reach_a_file_and_a_heading(page: Path) -> None:
    assert broken(page) == []


def test_anchors_are_made_as_github_makes_them(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# Top\n\n## `POST /ask`\n\n### Questions about an article: its author, date\n\n"
        "## Notes\n\n## Notes\n\n"
        "[a](#post-ask) [b](#questions-about-an-article-its-author-date) [c](#notes-1) "
        "[d](#notes-2) [e](#top) [f](missing.md) [g](page.md#nowhere) `[h](#in-code)` "
        "![i](missing.png)\n",
        encoding="utf-8",
    )
    assert broken(page) == [
        "#notes-2: no heading gives #notes-2",
        "missing.md: no such file",
        "page.md#nowhere: no heading gives #nowhere",
        "missing.png: no such file",
    ]
