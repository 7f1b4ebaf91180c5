"""What every script does at its edges: a mistake is one line that says what to fix, not a
traceback, and the exit code says which kind of failure it was.

    if __name__ == "__main__":
        run_cli(main)

Exit codes: 0 done, 1 the run failed (an index that is not built, a server that does not
answer), 2 a usage mistake (a missing or unreadable file, a malformed question file, a value
out of range), 130 interrupted (Ctrl-C). A script may return its own codes from `main`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NoReturn

from pydantic import ValidationError
from pydantic_settings import SettingsError

from qa.errors import QAError
from qa.settings import Settings, settings_parse_problem, settings_problem

USAGE = 2
FAILED = 1
INTERRUPTED = 130


class UsageError(Exception):
    """A mistake in how the script was called or in a file it was given."""


def run_cli(main: Callable[[], int | None]) -> NoReturn:
    """Run `main` and exit with its code; known failures become one line on stderr."""
    prog = Path(sys.argv[0]).name
    try:
        code = main() or 0
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        code = INTERRUPTED
    except UsageError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        code = USAGE
    except OSError as exc:  # a missing, unreadable or misplaced file or folder
        where = f": {exc.filename}" if exc.filename else ""
        print(f"{prog}: {exc.strerror or exc}{where}", file=sys.stderr)
        code = USAGE
    except SettingsError as exc:  # a list setting that is not JSON
        print(f"{prog}: Settings: {settings_parse_problem(exc)}", file=sys.stderr)
        code = FAILED
    except ValidationError as exc:  # a misspelt or out-of-range QA_* setting
        problems = (
            settings_problem(exc)
            if exc.title == Settings.__name__
            else "; ".join(
                f"{'.'.join(map(str, e['loc'])) + ': ' if e['loc'] else ''}{e['msg']}"
                for e in exc.errors()
            )
        )
        print(f"{prog}: {exc.title}: {problems}", file=sys.stderr)
        code = FAILED
    except QAError as exc:  # no index, …
        print(f"{prog}: {exc}", file=sys.stderr)
        code = FAILED
    except Exception as exc:
        if type(exc).__module__.split(".")[0] not in ("httpx", "httpcore"):
            raise
        print(f"{prog}: could not reach the server: {exc}", file=sys.stderr)
        code = FAILED
    sys.exit(code)


def read_questions(path: Path, *, needs: tuple[str, ...] = ("question",)) -> list[dict[str, Any]]:
    """The questions of a JSON-lines file, each an object with the fields in `needs`; a usage
    error naming the line when one is not."""
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        missing = [f for f in needs if not isinstance(item, dict) or f not in item]
        if missing:
            raise UsageError(f"{path}:{number}: a question needs the field(s) {', '.join(missing)}")
        questions.append(item)
    if not questions:
        raise UsageError(f"{path} holds no questions")
    return questions


def at_least(value: int | float, low: int | float, name: str) -> None:
    """A usage error unless `value` is at least `low`."""
    if value < low:
        raise UsageError(f"{name} must be at least {low} (got {value})")


def print_figures(figures: Mapping[str, object], *, as_json: bool) -> None:
    """A run's figures: one JSON object (`--json`), or a `name: value` line each."""
    if as_json:
        print(json.dumps(figures))
    else:
        for name, value in figures.items():
            print(f"{name}: {value}")
