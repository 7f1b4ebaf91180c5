"""How `scripts/distractor_eval.py` puts several corpora and distractors into one folder."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from types import ModuleType

import pytest

from tests.scripts import load_script

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return load_script("distractor_eval")


def _folder(root: Path, name: str, files: dict[str, str]) -> Path:
    folder = root / name
    folder.mkdir()
    for file, text in files.items():
        (folder / file).write_text(text, encoding="utf-8")
    return folder


def test_articles_of_every_folder_and_the_distractors_land_in_one_folder(
    script: ModuleType, tmp_path: Path
) -> None:
    a = _folder(tmp_path, "a", {"one.txt": "One\n\nText.", "notes.odt": "not an article"})
    b = _folder(tmp_path, "b", {"two.html": "<p>Two</p>"})
    d = _folder(tmp_path, "d", {"d-000-x.txt": "X\n\nY.\n"})
    dest = tmp_path / "all"
    total = script.assemble([a, b, d], dest)
    assert total == 3
    assert sorted(p.name for p in dest.iterdir()) == ["d-000-x.txt", "one.txt", "two.html"]
    assert (dest / "one.txt").is_symlink() and (dest / "one.txt").read_text() == "One\n\nText."
    assert (dest / "d-000-x.txt").read_text() == "X\n\nY.\n"


def test_a_second_run_drops_what_is_no_longer_asked_for(script: ModuleType, tmp_path: Path) -> None:
    a = _folder(tmp_path, "a", {"one.txt": "One", "two.txt": "Two"})
    d = _folder(tmp_path, "d", {"d-000-x.txt": "X"})
    dest = tmp_path / "all"
    script.assemble([a, d], dest)
    (a / "two.txt").unlink()
    assert script.assemble([a], dest) == 1
    assert [p.name for p in dest.iterdir()] == ["one.txt"]


def test_two_articles_with_one_id_stop_the_run(script: ModuleType, tmp_path: Path) -> None:
    a = _folder(tmp_path, "a", {"same.txt": "One"})
    b = _folder(tmp_path, "b", {"same.html": "<p>Other</p>"})
    with pytest.raises(SystemExit, match="'same'"):
        script.assemble([a, b], tmp_path / "all")


def test_an_archive_line_clashing_with_a_file_stops_the_run(
    script: ModuleType, tmp_path: Path
) -> None:
    record = '{"title": "One", "text": "The pier reopened on Monday."}\n'
    a = _folder(tmp_path, "a", {"archive.jsonl": record})
    (ident,) = script.corpus_ids(a)  # an archive's ids are its records', not its file name
    assert ident.startswith("one-") and ident != "archive"
    b = _folder(tmp_path, "b", {f"{ident}.txt": "Other\n\nText."})
    with pytest.raises(SystemExit, match=f"'{ident}'"):
        script.assemble([a, b], tmp_path / "all")


def test_squad_articles_are_written_as_the_training_corpora_are(
    script: ModuleType, tmp_path: Path
) -> None:
    data = {
        "data": [
            {"title": "Ice_hockey", "paragraphs": [{"context": " First. ", "qas": []},
                                                   {"context": "Next.", "qas": []}]},
        ]
    }  # fmt: skip
    squad = tmp_path / "squad.json"
    squad.write_text(json.dumps(data), encoding="utf-8")
    folder = tmp_path / "squad0"
    (folder / "stale.txt").parent.mkdir()
    (folder / "stale.txt").write_text("a last run's article")
    script.squad_folder(squad, "d0-", folder)
    files = list(folder.iterdir())
    assert [f.name for f in files] == ["d0-000-0000-ice-hockey.txt"]
    assert files[0].read_text() == "Ice hockey\n\nFirst.\n\nNext.\n"


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ({"status": "answered", "citations": [{"doc_id": "own"}]}, False),
        ({"status": "answered", "citations": [{"doc_id": "own"}, {"doc_id": "d-1"}]}, True),
        ({"status": "insufficient_evidence", "citations": [{"doc_id": "d-1"}]}, False),
    ],
)
def test_an_answer_citing_an_article_outside_the_set_is_counted(
    script: ModuleType, response: dict[str, object], expected: bool
) -> None:
    assert script.foreign(response, {"own"}) is expected


def test_a_set_is_questions_then_corpus(script: ModuleType) -> None:
    got = script.parse_set("../eval/nyt-dev/nyt-dev.jsonl:../eval/nyt-dev/corpus")
    assert (got.name, got.corpus) == ("nyt-dev", Path("../eval/nyt-dev/corpus"))
    with pytest.raises(argparse.ArgumentTypeError):
        script.parse_set("only-questions.jsonl")


def test_an_article_id_is_its_name_without_the_extension(script: ModuleType) -> None:
    assert script.article_ids(Path("x/page.html.gz")) == ["page"]
    assert script.article_ids(Path("x/000_f7.txt")) == ["000_f7"]
