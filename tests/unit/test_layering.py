"""The layers import one way (docs/architecture.md, "Layering"): `api` → `index` → `qa`.

Read from the source with `ast`, not by importing it, so a lazy import inside a function (how
llama_cpp is loaded) counts as much as one at the top, and nothing heavy is loaded to check.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]

# qa/ is pure logic: none of the other layers, no vendor model library, HTTP client or server
# framework (those are adapters, index/, or the HTTP layer, api/)
QA_FORBIDDEN = frozenset(
    {
        "api",
        "index",
        "scripts",
        "tests",
        "bm25s",
        "docx",
        "faiss",
        "fastapi",
        "httpx",
        "httpx_sse",
        "llama_cpp",
        "onnx",
        "onnxruntime",
        "sentence_transformers",
        "sse_starlette",
        "starlette",
        "tokenizers",
        "torch",
        "transformers",
        "uvicorn",
    }
)
# index/ adapts vendor libraries for qa/; the HTTP layer is above it
INDEX_FORBIDDEN = frozenset(
    {"api", "scripts", "tests", "fastapi", "sse_starlette", "starlette", "uvicorn"}
)
API_FORBIDDEN = frozenset({"scripts", "tests"})


def imported(path: Path, root: Path = ROOT) -> Iterator[tuple[int, str]]:
    """Each top-level package the module at `path` (under `root`) imports, at the top or inside
    a function, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]
        elif isinstance(node, ast.ImportFrom):  # relative: counted from the module's package
            package = path.relative_to(root).parts[:-1][: 1 - node.level or None]
            if package:
                yield node.lineno, package[0]
            elif node.module:
                yield node.lineno, node.module.split(".")[0]
            else:
                for alias in node.names:
                    yield node.lineno, alias.name


def violations(package: str, forbidden: frozenset[str]) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, name in imported(path):
            if name in forbidden:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("qa", QA_FORBIDDEN), ("index", INDEX_FORBIDDEN), ("api", API_FORBIDDEN)],
)
def test_each_layer_imports_only_the_layers_below_it(
    package: str, forbidden: frozenset[str]
) -> None:
    assert violations(package, forbidden) == []


def test_the_check_sees_lazy_and_relative_imports(tmp_path: Path) -> None:
    """The reader itself: an import inside a function is found as one at the top is, and a
    relative one is named by the package it reaches."""
    module = tmp_path / "qa" / "module.py"
    module.parent.mkdir()
    module.write_text(
        "import httpx.client\nfrom qa.models import Answer\nfrom . import lexical\n"
        "from ..index import store\n\n"
        "def load():\n    from llama_cpp import Llama\n    import os\n",
        encoding="utf-8",
    )
    found = sorted(name for _, name in imported(module, tmp_path))
    assert found == ["httpx", "index", "llama_cpp", "os", "qa", "qa"]
