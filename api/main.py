"""`python -m api.main`: serve on the configured host and port."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from pydantic import ValidationError
from pydantic_settings import SettingsError

from api.app import create_app
from api.middleware import configure_logging
from index.embedder import embedding_model_problem
from index.generation import gguf_problem, resolve_gguf
from index.manifest import Manifest
from index.selector import MODEL_FILE, resolve_selector
from index.versions import current_version
from qa.errors import IndexMismatch, QAError
from qa.settings import (
    BUNDLED_GEMMA,
    BUNDLED_SELECTOR,
    BUNDLED_SMOLLM2,
    Settings,
    settings_parse_problem,
    settings_problem,
)


def quiet_progress_bars() -> None:
    """The log is JSON lines: the model libraries' progress bars ("Loading weights: 100%|…")
    are not written to it. transformers is told so directly, as tqdm has read its environment
    by now; TQDM_DISABLE (tqdm's default for every bar) covers worker processes started later,
    which read it when they first import tqdm."""
    os.environ.setdefault("TQDM_DISABLE", "1")
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()


def app_factory() -> FastAPI:
    """One worker's app, for `uvicorn api.main:app_factory --factory --workers N`: every worker
    process reads the same `QA_*` settings and loads the index read-only on its own."""
    quiet_progress_bars()
    configure_logging()
    return create_app(Settings())


# command-line options that stand for settings, each written to its QA_* variable so that
# worker processes (which read only the environment) see it too
OPTIONS = {
    "--data-dir": ("QA_DATA_DIR", "the data folder (index, models); QA_DATA_DIR"),
    "--host": ("QA_SERVER__HOST", "address to listen on (default 127.0.0.1); QA_SERVER__HOST"),
    "--port": ("QA_SERVER__PORT", "port to listen on (default 8000); QA_SERVER__PORT"),
    "--workers": ("QA_SERVER__WORKERS", "worker processes (default 1); QA_SERVER__WORKERS"),
}


def parse_args(argv: Sequence[str]) -> None:
    """`--help`, or the options above into their QA_* variables. Every other setting is read
    from QA_* variables only (README, "Configuration"); an unknown option exits with code 2
    rather than starting a server that ignores it."""
    parser = argparse.ArgumentParser(
        prog="python -m api.main",
        description="Serve the question-answering API and chat page. Settings come from QA_* "
        "environment variables (README, 'Configuration'; e.g. QA_GENERATION__BACKEND=none); "
        "these options set the commonest ones for this run.",
    )
    for option, (_, help_text) in OPTIONS.items():
        parser.add_argument(option, help=help_text)
    args = parser.parse_args(argv)
    for option, (variable, _) in OPTIONS.items():
        value = getattr(args, option.removeprefix("--").replace("-", "_"))
        if value is not None:
            os.environ[variable] = value


# bundled models are assembled (Gemma) or found at start-up by the app itself, not checked here
BUNDLED_GGUFS = (BUNDLED_GEMMA, BUNDLED_SMOLLM2)


def start_problem(settings: Settings) -> str | None:
    """What stops the server before any model loads, in one line: no index built yet, an index
    built with another embedding model (or in another format), an embedding model path that is
    not there, a GGUF path that is no GGUF file or one llama.cpp cannot read (or a bundled name
    that is none), or an answer selector folder that is not there. (The app's start-up finds
    the rest, and a damaged index version is skipped for the last good one there.)"""
    try:
        current = current_version(settings.index_dir)
    except QAError as exc:
        return f"{exc} --data-dir {settings.data_dir}"
    if (mismatch := _index_mismatch(current, settings.index.embedding_model)) is not None:
        return mismatch
    if (problem := embedding_model_problem(settings.index.embedding_model)) is not None:
        return problem
    gguf = settings.generation.gguf_path
    if settings.generation.backend == "llama_cpp" and gguf and gguf not in BUNDLED_GGUFS:
        try:
            path = resolve_gguf(gguf, settings.models_dir)  # a path, or a bundled name that is none
        except (OSError, ImportError, ValueError) as exc:
            return str(exc)
        if (problem := gguf_problem(path)) is not None:  # a GGUF llama.cpp cannot read
            return problem
    selector = resolve_selector(settings.answer.selector_model)
    if not (selector / MODEL_FILE).is_file():
        return (
            f"the answer selector {settings.answer.selector_model!r} has no {MODEL_FILE} "
            "(setting answer.selector_model: a folder made by scripts/train_selector.py, or "
            f"{BUNDLED_SELECTOR!r})"
        )
    return None


def main(argv: Sequence[str] | None = None) -> None:
    parse_args(sys.argv[1:] if argv is None else argv)
    quiet_progress_bars()
    configure_logging()  # JSON lines; the app writes its own access log line per request
    try:
        settings = Settings()
    except ValidationError as exc:  # a misspelt or out-of-range QA_* setting: one line
        raise SystemExit(f"api.main: settings refused: {settings_problem(exc)}") from None
    except SettingsError as exc:  # a list setting that is not JSON: one line too
        raise SystemExit(f"api.main: settings refused: {settings_parse_problem(exc)}") from None
    problem = start_problem(settings)
    if problem is not None:  # said in one line, not at the end of the lifespan's traceback
        raise SystemExit(f"api.main: cannot start: {problem}")
    workers = settings.server.workers
    uvicorn.run(
        # several processes need an import string to start the app from; one can take the app
        "api.main:app_factory" if workers > 1 else create_app(settings),
        factory=workers > 1,
        workers=workers,
        host=settings.server.host,
        port=settings.server.port,
        log_config=None,
        access_log=False,
        # Longer than common clients' idle expiry (httpx: 5 s, the same as uvicorn's default):
        # with equal timers a client can reuse a connection the server is closing, and the
        # request fails with "server disconnected" (seen once in a 20-client load run).
        timeout_keep_alive=30,
        server_header=False,  # no "server: uvicorn" banner telling a scanner what runs here
    )


def _index_mismatch(version: Path, embedding_model: str) -> str | None:
    """The current version's manifest against the configured embedding model, read without
    loading it (the app checks the vectors' width too). A version whose manifest cannot be
    read is left to the app, which serves the last good one instead."""
    try:
        manifest = Manifest.load(version)
    except QAError:
        return None
    try:
        manifest.check_format()
        manifest.check_model_name(embedding_model)
    except IndexMismatch as exc:
        return str(exc)
    return None


if __name__ == "__main__":
    main()
