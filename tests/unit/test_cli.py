"""Unit tests for scripts/cli.py: a script's mistakes are one line and an exit code."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from qa.errors import IndexNotBuilt
from scripts.cli import UsageError, read_questions, run_cli

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[2]


def exit_of(main: Callable[[], int | None], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as caught:
        run_cli(main)
    return int(caught.value.code or 0), capsys.readouterr().err


def raising(exc: BaseException) -> Callable[[], int]:
    def main() -> int:
        raise exc

    return main


@pytest.mark.parametrize(
    ("exc", "code", "said"),
    [
        (FileNotFoundError(2, "No such file or directory", "q.jsonl"), 2, "q.jsonl"),
        (UsageError("--sizes must be at least 1"), 2, "--sizes must be at least 1"),
        (IndexNotBuilt("no index has been built yet"), 1, "no index"),
        (KeyboardInterrupt(), 130, "interrupted"),
    ],
)
def test_a_known_failure_is_one_line_and_its_exit_code(
    exc: BaseException, code: int, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    got, err = exit_of(raising(exc), capsys)
    assert got == code
    assert said in err and "Traceback" not in err and err.count("\n") == 1


def test_a_returned_code_is_the_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_of(lambda: 3, capsys) == (3, "")
    assert exit_of(lambda: None, capsys) == (0, "")


def test_an_unknown_failure_is_not_hidden(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ZeroDivisionError):
        run_cli(raising(ZeroDivisionError("a bug")))


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('{"question": "Who?"}\nnot json\n', "q.jsonl:2: not JSON"),
        ('{"id": "a"}\n', "q.jsonl:1: a question needs the field(s) question"),
        ("\n\n", "holds no questions"),
    ],
)
def test_a_malformed_question_file_names_its_line(tmp_path: Path, text: str, said: str) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=re.escape(said)):
        read_questions(path)


@pytest.mark.parametrize(
    ("script", "args", "said"),
    [
        # a size of 0 once started the full default sweep
        ("scale_benchmark.py", ["--sizes", "0"], "--sizes must be at least 1"),
        # a paragraph it cannot send
        ("long_paragraph_benchmark.py", ["--kb", "0"], "--kb must be 1–1000"),
    ],
)
def test_scripts_exit_with_a_line_not_a_traceback(script: str, args: list[str], said: str) -> None:
    """A real script, a real process: a usage mistake is one line and exit code 2."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / script), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert said in done.stderr and "Traceback" not in done.stderr


def test_every_script_option_says_what_it_does() -> None:
    import ast

    silent = [
        f"{path.name}: {[a.value for a in call.args if isinstance(a, ast.Constant)]}"
        for path in sorted((ROOT / "scripts").glob("*.py"))
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "add_argument"
        and "help" not in {k.arg for k in call.keywords}
    ]
    assert not silent, f"options without help text: {silent}"


def test_a_rebuild_without_a_folder_indexes_the_folder_the_index_was_built_from(
    tmp_path: Path,
) -> None:
    from index.builder import rebuild_index
    from qa.settings import IndexSettings, Settings
    from scripts.rebuild_index import default_folder
    from tests.fakes import HashingEmbedder

    settings = Settings(data_dir=tmp_path / "data")
    assert default_folder(settings) == settings.index.corpus_dir  # no index yet: seeds/
    mine = tmp_path / "my-articles"
    mine.mkdir()
    (mine / "ferry.txt").write_text("Ferry returns\n\nThe ferry ran on Monday.", "utf-8")
    rebuild_index(mine, settings.index_dir, embedder=HashingEmbedder())
    assert default_folder(settings) == mine  # not back to seeds/
    chosen = Settings(data_dir=tmp_path / "data", index=IndexSettings(corpus_dir=tmp_path))
    assert default_folder(chosen) == tmp_path  # QA_INDEX__CORPUS_DIR, when set, wins


def test_a_rebuild_without_a_folder_refuses_when_that_folder_is_gone(tmp_path: Path) -> None:
    # indexing seeds/ instead would drop every article of the index without a word
    from index.builder import rebuild_index
    from qa.settings import Settings
    from scripts.rebuild_index import FolderGone, default_folder
    from tests.fakes import HashingEmbedder

    settings = Settings(data_dir=tmp_path / "data")
    mine = tmp_path / "my-articles"
    mine.mkdir()
    (mine / "ferry.txt").write_text("Ferry returns\n\nThe ferry ran on Monday.", "utf-8")
    rebuild_index(mine, settings.index_dir, embedder=HashingEmbedder())
    mine.rename(tmp_path / "moved")
    with pytest.raises(FolderGone, match="my-articles, which is not a folder any more"):
        default_folder(settings)


@pytest.mark.parametrize("damage", ["manifest", "link"])
def test_a_rebuild_without_a_folder_reads_the_folder_from_the_last_good_version(
    tmp_path: Path, damage: str
) -> None:
    # a current version whose manifest is unreadable, or a `current` link to a removed version
    # (the server serves the last good one then): indexing seeds/ instead dropped every article
    import shutil

    from index.builder import rebuild_index
    from index.versions import current_version
    from qa.settings import Settings
    from scripts.rebuild_index import FolderGone, default_folder
    from tests.fakes import HashingEmbedder

    settings = Settings(data_dir=tmp_path / "data")
    mine = tmp_path / "my-articles"
    mine.mkdir()
    (mine / "ferry.txt").write_text("Ferry returns\n\nThe ferry ran on Monday.", "utf-8")
    rebuild_index(mine, settings.index_dir, embedder=HashingEmbedder())
    (mine / "port.txt").write_text("Port opens\n\nThe port opened on Friday.", "utf-8")
    current = rebuild_index(mine, settings.index_dir, embedder=HashingEmbedder()).version
    assert current_version(settings.index_dir) == current
    if damage == "manifest":
        (current / "manifest.json").write_text('{"broken', "utf-8")
    else:
        shutil.rmtree(current)
    assert default_folder(settings) == mine
    for version in (settings.index_dir / "versions").iterdir():  # no manifest reads any more
        (version / "manifest.json").write_text("{", "utf-8")
    with pytest.raises(FolderGone, match="give the folder to index"):
        default_folder(settings)


def test_a_bad_setting_is_one_line_naming_it(capsys: pytest.CaptureFixture[str]) -> None:
    from qa.settings import ServerSettings, Settings

    def main() -> int:
        Settings(server=ServerSettings(port=0))
        return 0

    code, err = exit_of(main, capsys)
    assert code == 1
    assert err.count("\n") == 1 and "port: Input should be greater than or equal to 1" in err


def test_a_failed_rebuild_says_so_last_after_its_progress_bars(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # the bars were closed after the message, so their last lines were printed below it and a
    # terminal showed "embedding sentences: 100%" as the last word of a failed build
    import scripts.rebuild_index as script
    from index.builder import Progress

    def failing_build(folder: Path, settings: object, *, progress: Progress, **_: object) -> None:
        progress("articles", 2, 2)
        progress("paragraphs", 3, 3)
        raise OSError("41472 requested and 23520 written")

    monkeypatch.setattr(script, "rebuild_configured", failing_build)
    monkeypatch.setattr(script, "embedding_model_problem", lambda model: None)
    monkeypatch.setattr(script, "SentenceTransformerEmbedder", lambda *a, **k: None)
    monkeypatch.setattr(
        sys, "argv", ["rebuild_index.py", str(tmp_path), "--data-dir", str(tmp_path)]
    )
    assert script.main() == script.EXIT_FAILED
    lines = [line for line in re.split(r"[\r\n]+", capsys.readouterr().err) if line.strip()]
    assert lines[-1].startswith("rebuild failed: 41472 requested and 23520 written")
    assert any(line.startswith("embedding paragraphs") for line in lines)
