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


def imported_modules(path: Path) -> Iterator[tuple[int, str]]:
    """Each module the module at `path` imports by its full name (`api.routers.ask`; for
    `from api.routers import ask`, each name imported from the package too), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def router_imports(folder: Path = ROOT / "api" / "routers") -> list[str]:
    """Each import of one router module by another: what two routers share lives in a module
    of api/ that is no router (api/inputs.py, api/queue.py, api/streaming.py …)."""
    routers = {f"api.routers.{p.stem}" for p in folder.glob("*.py") if p.stem != "__init__"}
    found = []
    for path in sorted(folder.glob("*.py")):
        for line, name in imported_modules(path):
            if name in routers and name != f"api.routers.{path.stem}":
                found.append(f"{path.name}:{line} imports {name}")
    return found


def test_no_router_imports_another_router() -> None:
    assert router_imports() == []


def test_the_router_check_sees_a_router_imported(tmp_path: Path) -> None:
    for name, source in {
        "ask.py": "from api.queue import BUSY_RESPONSES\n",
        "stream.py": "from api.routers.ask import AskRequest\n",
        "chat.py": "def f():\n    from api.routers import stream\n",
    }.items():
        (tmp_path / name).write_text(source, encoding="utf-8")
    assert router_imports(tmp_path) == [
        "chat.py:2 imports api.routers.stream",
        "stream.py:1 imports api.routers.ask",
    ]


def reads_current_link(folder: Path) -> list[str]:
    """Each place a module under `folder` names the index's `current` link itself (the string
    "current" as a path part): index/versions.py reads it (`pointed_at`, `current_version`,
    `missing_current`), so every reader agrees on what a missing or dangling link means."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value == "current":
                found.append(f"{path.relative_to(folder)}:{node.lineno}")
    return found


def test_the_http_layer_asks_the_index_layer_which_version_is_current(tmp_path: Path) -> None:
    assert reads_current_link(ROOT / "api") == []
    (tmp_path / "admin.py").write_text(
        'def status(index_dir):\n    return (index_dir / "current").resolve().name\n',
        encoding="utf-8",
    )
    assert reads_current_link(tmp_path) == ["admin.py:2"]
