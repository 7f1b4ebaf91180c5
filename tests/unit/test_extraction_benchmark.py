"""scripts/extraction_benchmark.py on a tiny made-up folder, in both layouts it accepts."""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from tests.pages import news_page

pytestmark = pytest.mark.unit

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "extraction_benchmark.py"
_spec = importlib.util.spec_from_file_location("extraction_benchmark", SCRIPT)
assert _spec and _spec.loader
benchmark = importlib.util.module_from_spec(_spec)
sys.modules["extraction_benchmark"] = benchmark  # its dataclasses look their module up
_spec.loader.exec_module(benchmark)
ARTICLES = {
    "a1": ["The harbour of Skarra reopened on Monday after a week of storms had kept every "
           "boat in port, harbour master Ilse Brandt said."],
    "b2": ["A late frost destroyed about 3,000 tonnes of apples in the Brenna valley last "
           "week, the growers' association said on Thursday."],
}  # fmt: skip


def folder(root: Path, *, nested: bool) -> Path:
    pages = root / "html" if nested else root
    pages.mkdir(parents=True)
    truth = {}
    for page_id, body in ARTICLES.items():
        html = news_page(title=f"Story {page_id}", paragraphs=body)
        (pages / f"{page_id}.html.gz").write_bytes(gzip.compress(html.encode("utf-8")))
        truth[page_id] = {"articleBody": "\n".join(body), "url": f"https://x.example/{page_id}"}
    # a page the extractor gets only half of lowers recall, not precision
    truth["b2"]["articleBody"] += " It was the worst frost in living memory for the valley."
    (root / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return root


def run(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", [str(SCRIPT), *args])
    return int(benchmark.main())


@pytest.mark.parametrize("nested", [False, True])
def test_pages_are_found_flat_or_in_an_html_folder(tmp_path: Path, nested: bool) -> None:
    root = folder(tmp_path / "bench", nested=nested)
    assert list(benchmark.pages_in(root)) == ["a1", "b2"]


def test_scores_pages_and_writes_the_ground_truth_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = folder(tmp_path / "bench", nested=True)
    out = tmp_path / "out.json"
    assert run(monkeypatch, str(root), "--out", str(out)) == 0
    stdout = capsys.readouterr().out
    lines = dict(line.split(None, 1) for line in stdout.splitlines() if line.strip())
    assert lines["pages"] == "2"
    assert float(lines["precision"]) == 1.0
    assert 0.5 < float(lines["recall"]) < 1.0
    assert lines["skipped"] == "0"
    assert "ms_per_page" in lines and "cpu_ms_per_page" in lines
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written == {p: {"articleBody": "\n\n".join(b)} for p, b in ARTICLES.items()}


def test_a_folder_without_ground_truth_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        run(monkeypatch, str(tmp_path))
    assert exited.value.code == 2 and "ground-truth.json" in capsys.readouterr().err
