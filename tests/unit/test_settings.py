"""Unit tests for qa.settings: `QA_*` environment overrides, validation, unknown keys."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from qa.settings import (
    AnswerSettings,
    GenerationSettings,
    IndexSettings,
    RetrievalSettings,
    ServerSettings,
    Settings,
    settings_problem,
)

pytestmark = pytest.mark.usefixtures("no_qa_environment")


@pytest.mark.unit
def test_defaults() -> None:
    s = Settings()
    assert s.data_dir == Path("data")
    assert s.index_dir == Path("data") / "index"
    assert s.models_dir == Path("data") / "models"
    assert s.retrieval.top_k == RetrievalSettings().top_k
    assert s.generation.backend == "none"


@pytest.mark.unit
def test_top_level_env_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_DATA_DIR", "/srv/qa-data")
    s = Settings()
    assert s.data_dir == Path("/srv/qa-data")
    assert s.index_dir == Path("/srv/qa-data/index")


@pytest.mark.unit
def test_nested_env_override_with_double_underscore(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_RETRIEVAL__TOP_K", "3")
    monkeypatch.setenv("QA_SERVER__PORT", "9123")
    monkeypatch.setenv("QA_GENERATION__BACKEND", "none")
    monkeypatch.setenv("QA_ANSWER__MIN_SUPPORT", "0.75")
    s = Settings()
    assert s.retrieval.top_k == 3
    assert s.server.port == 9123
    assert s.generation.backend == "none"
    assert s.answer.min_support == 0.75
    # the rest of each group keeps its defaults
    assert s.retrieval.dense_k == RetrievalSettings().dense_k
    assert s.server.host == ServerSettings().host


@pytest.mark.unit
def test_the_document_size_limit_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().index.max_document_bytes == 10 * 1024 * 1024
    monkeypatch.setenv("QA_INDEX__MAX_DOCUMENT_BYTES", "2097152")
    assert Settings().index.max_document_bytes == 2 * 1024 * 1024


@pytest.mark.unit
def test_env_without_prefix_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETRIEVAL__TOP_K", "3")
    monkeypatch.setenv("DATA_DIR", "/elsewhere")
    s = Settings()
    assert s.retrieval.top_k == RetrievalSettings().top_k
    assert s.data_dir == Path("data")


@pytest.mark.unit
def test_init_kwargs_override_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_RETRIEVAL__TOP_K", "3")
    assert Settings(retrieval=RetrievalSettings(top_k=5)).retrieval.top_k == 5


@pytest.mark.unit
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("QA_SERVER__PORT", "0"),
        ("QA_SERVER__PORT", "70000"),
        ("QA_SERVER__PORT", "eighty"),
        ("QA_RETRIEVAL__TOP_K", "0"),
        ("QA_RETRIEVAL__NEAR_DUPLICATE_THRESHOLD", "1.5"),
        ("QA_GENERATION__BACKEND", "vllm"),
        ("QA_GENERATION__PROMPT_FORMAT", "instruct"),
        ("QA_GENERATION__TOP_P", "0"),
        ("QA_ANSWER__MIN_SUPPORT", "-0.1"),
        ("QA_ANSWER__MAX_ANSWER_WORDS", "2"),
        ("QA_SERVER__MAX_QUESTION_CHARS", "5"),
        ("QA_INDEX__MAX_DOCUMENT_BYTES", "100"),
    ],
)
def test_invalid_env_values_are_rejected(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()


@pytest.mark.unit
def test_misspelt_key_inside_a_group_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_RETRIEVAL__TOPK", "3")
    with pytest.raises(ValidationError, match="topk"):
        Settings()


@pytest.mark.unit
@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("QA_RETRIEVAL__TOPK", "unknown setting QA_RETRIEVAL__TOPK; known ones: QA_RETRIEVAL__"),
        ("QA_RETREIVAL__TOP_K", "unknown setting QA_RETREIVAL__TOP_K; known ones: QA_DATA_DIR"),
        ("QA_DATADIR", "unknown setting QA_DATADIR; known ones: QA_DATA_DIR, QA_SERVER"),
    ],
)
def test_a_misspelt_setting_is_named_in_one_line(
    monkeypatch: pytest.MonkeyPatch, name: str, says: str
) -> None:
    monkeypatch.setenv(name, "3")
    with pytest.raises(ValidationError) as caught:
        Settings()
    problem = settings_problem(caught.value)
    assert problem.startswith(says) and "\n" not in problem, problem
    assert "Value error" not in problem and "Extra inputs" not in problem


@pytest.mark.unit
def test_the_server_stops_with_that_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from api.main import main

    monkeypatch.setenv("QA_SERVER__PORTT", "8080")
    with pytest.raises(SystemExit) as caught:
        main([])
    assert str(caught.value).startswith(
        "api.main: settings refused: unknown setting QA_SERVER__PORTT; known ones: QA_SERVER__HOST"
    )


@pytest.mark.unit
def test_a_list_setting_that_is_not_json_stops_the_server_with_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from api.main import main

    monkeypatch.setenv("QA_SECURITY__CORS_ALLOW_ORIGINS", "notjson")
    with pytest.raises(SystemExit) as caught:
        main([])
    said = str(caught.value)
    assert said.startswith(
        "api.main: settings refused: a value of QA_SECURITY__CORS_ALLOW_ORIGINS could not be read"
    )
    assert "\n" not in said and "written as JSON" in said


@pytest.mark.unit
def test_no_index_or_no_selector_stops_the_server_with_one_line_before_any_model_loads(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import api.main

    monkeypatch.setattr(api.main.uvicorn, "run", lambda *a, **k: pytest.fail("server started"))
    monkeypatch.setattr(api.main, "create_app", lambda *a, **k: pytest.fail("models loaded"))
    monkeypatch.setenv("QA_DATA_DIR", str(tmp_path))  # what --data-dir sets, undone after
    with pytest.raises(SystemExit) as caught:
        api.main.main([])
    said = str(caught.value)
    assert said.startswith("api.main: cannot start: no index has been built yet")
    assert f"--data-dir {tmp_path}" in said and "\n" not in said

    (tmp_path / "index" / "v1").mkdir(parents=True)
    (tmp_path / "index" / "current").symlink_to("v1")
    monkeypatch.setenv("QA_ANSWER__SELECTOR_MODEL", str(tmp_path / "nope"))
    with pytest.raises(SystemExit) as caught:
        api.main.main([])
    assert "has no selector.onnx (setting answer.selector_model" in str(caught.value)

    monkeypatch.delenv("QA_ANSWER__SELECTOR_MODEL")
    monkeypatch.setenv("QA_GENERATION__BACKEND", "llama_cpp")
    for gguf, says in (
        (str(tmp_path / "nope.gguf"), "nope.gguf does not exist (setting generation.gguf_path)"),
        ("bundled:nope", "no bundled model is called 'bundled:nope'"),
    ):
        monkeypatch.setenv("QA_GENERATION__GGUF_PATH", gguf)
        with pytest.raises(SystemExit) as caught:
            api.main.main([])
        assert str(caught.value).startswith("api.main: cannot start: ") and says in str(
            caught.value
        )


@pytest.mark.unit
def test_another_embedding_model_or_a_file_that_is_no_gguf_stops_the_server_with_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Said before any model loads, as a missing index is (before: the models loaded, then a
    traceback, exit status 3)."""
    import api.main
    from index.manifest import FORMAT_VERSION

    monkeypatch.setattr(api.main.uvicorn, "run", lambda *a, **k: pytest.fail("server started"))
    monkeypatch.setattr(api.main, "create_app", lambda *a, **k: pytest.fail("models loaded"))
    monkeypatch.setenv("QA_DATA_DIR", str(tmp_path))
    version = tmp_path / "index" / "v1"
    version.mkdir(parents=True)
    (tmp_path / "index" / "current").symlink_to("v1")
    manifest = {
        "format_version": FORMAT_VERSION,
        "embedding_model": "bundled:all-MiniLM-L6-v2",
        "dimension": 384,
        "cleaner_version": "13",
        "corpus_dir": str(tmp_path / "articles"),
        "articles": {"a": "0" * 64},
        "paragraph_count": 1,
        "sentence_count": 1,
    }
    (version / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    def refusal() -> str:
        with pytest.raises(SystemExit) as caught:
            api.main.main([])
        said = str(caught.value)
        assert said.startswith("api.main: cannot start: ") and "\n" not in said, said
        return said

    other = str(tmp_path / "other-model")
    monkeypatch.setenv("QA_INDEX__EMBEDDING_MODEL", other)
    said = refusal()
    assert "the index was built with the embedding model 'bundled:all-MiniLM-L6-v2'" in said
    assert f"configured for {other!r}" in said and "QA_INDEX__EMBEDDING_MODEL" in said

    manifest["embedding_model"] = other  # built with a model whose folder is gone since
    (version / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert f"the embedding model {other!r} does not exist" in refusal()

    monkeypatch.delenv("QA_INDEX__EMBEDDING_MODEL")
    manifest["embedding_model"] = "bundled:all-MiniLM-L6-v2"
    (version / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    notes = tmp_path / "notes.gguf"
    notes.write_text("not a model", encoding="utf-8")
    monkeypatch.setenv("QA_GENERATION__BACKEND", "llama_cpp")
    monkeypatch.setenv("QA_GENERATION__GGUF_PATH", str(notes))
    said = refusal()
    assert f"{notes} is not a GGUF model" in said and "generation.gguf_path" in said

    # the right signature, but nothing llama.cpp can read after it (a cut-off download, say)
    notes.write_bytes(b"GGUF" + (3).to_bytes(4, "little") + bytes(64))
    said = refusal()
    assert f"{notes} could not be loaded by llama.cpp" in said and "generation.gguf_path" in said


@pytest.mark.unit
def test_help_and_unknown_options_never_start_a_server(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import api.main

    monkeypatch.setattr(api.main.uvicorn, "run", lambda *a, **k: pytest.fail("server started"))
    for argv, code in ((["--help"], 0), (["--bogus"], 2), (["serve"], 2)):
        with pytest.raises(SystemExit) as caught:
            api.main.main(argv)
        assert caught.value.code == code
    out, err = capsys.readouterr()
    assert "QA_* environment variables" in " ".join(out.split()) and "--port PORT" in out
    assert "unrecognized arguments: --bogus" in err


@pytest.mark.unit
def test_options_set_their_settings_for_every_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    import api.main

    for name in ("QA_SERVER__PORT", "QA_SERVER__HOST", "QA_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    api.main.parse_args(["--port", "8765", "--host", "0.0.0.0", "--data-dir", "/srv/qa"])
    assert os.environ["QA_SERVER__PORT"] == "8765"  # workers read the environment
    settings = Settings()
    assert (settings.server.port, settings.server.host, str(settings.data_dir)) == (
        8765,
        "0.0.0.0",
        "/srv/qa",
    )
    for name in ("QA_SERVER__PORT", "QA_SERVER__HOST", "QA_DATA_DIR"):
        monkeypatch.delenv(name)  # set by parse_args, not by monkeypatch: undone by hand


@pytest.mark.unit
@pytest.mark.parametrize("name", ["QA_RETREIVAL__TOP_K", "QA_DATADIR"])
def test_misspelt_group_or_top_level_env_is_rejected(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv(name, "3")
    with pytest.raises(ValidationError):
        Settings()


@pytest.mark.unit
@pytest.mark.parametrize(
    ("group", "kwargs"),
    [
        (ServerSettings, {"prot": 8001}),
        (IndexSettings, {"corpus": "seeds"}),
        (RetrievalSettings, {"topk": 3}),
        (GenerationSettings, {"gguf": "x.gguf"}),
        (AnswerSettings, {"min_score": 0.4}),
    ],
)
def test_groups_reject_unknown_keys(group: type[Any], kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        group(**kwargs)


@pytest.mark.unit
def test_unknown_keys_rejected_through_settings() -> None:
    with pytest.raises(ValidationError):
        Settings(retrieval={"topk": 3})  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Settings(colour="blue")  # type: ignore[call-arg]


@pytest.mark.unit
def test_nested_dict_is_validated_into_the_group() -> None:
    s = Settings(retrieval={"top_k": 4}, server={"port": "8080"})  # type: ignore[arg-type]
    assert s.retrieval.top_k == 4
    assert s.server.port == 8080
    with pytest.raises(ValidationError):
        Settings(retrieval={"top_k": -1})  # type: ignore[arg-type]


@pytest.mark.unit
def test_groups_are_not_shared_between_instances() -> None:
    a, b = Settings(), Settings()
    a.retrieval.top_k = 2
    assert b.retrieval.top_k == RetrievalSettings().top_k
    assert Settings().retrieval.top_k == RetrievalSettings().top_k


@pytest.mark.unit
def test_an_embedding_model_that_cannot_be_loaded_offline_is_named_before_anything_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import huggingface_hub.constants

    from index.embedder import embedding_model_problem

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    assert embedding_model_problem("bundled:all-MiniLM-L6-v2") is None
    assert (
        embedding_model_problem(str(tmp_path)) is None
    )  # a folder: sentence-transformers reads it
    missing = str(tmp_path / "gone")
    assert f"the embedding model {missing!r} does not exist" in (
        embedding_model_problem(missing) or ""
    )
    # a model id: only what the Hugging Face cache holds (nothing is downloaded at run time)
    said = embedding_model_problem("acme/news-embedder") or ""
    assert "'acme/news-embedder' is neither a folder nor in the Hugging Face cache" in said
    assert "QA_INDEX__EMBEDDING_MODEL" in said and "\n" not in said
    assert "nor in the Hugging Face cache" in (embedding_model_problem("not a model id") or "")
    snapshot = tmp_path / "hub" / "models--acme--news-embedder" / "snapshots" / "abc123"
    snapshot.mkdir(parents=True)
    (snapshot / "config.json").write_text("{}", encoding="utf-8")
    (tmp_path / "hub" / "models--acme--news-embedder" / "refs").mkdir()
    (tmp_path / "hub" / "models--acme--news-embedder" / "refs" / "main").write_text("abc123")
    assert embedding_model_problem("acme/news-embedder") is None


@pytest.mark.unit
def test_a_model_stopped_before_it_could_write_is_refused_as_a_setting() -> None:
    with pytest.raises(ValidationError, match="must be less than server.request_timeout_s"):
        Settings(
            server=ServerSettings(request_timeout_s=5),
            generation=GenerationSettings(backend="llama_cpp", stop_before_limit_s=5),
        )
    # without a model it does not matter: a short time limit is fine in extract mode
    Settings(server=ServerSettings(request_timeout_s=0.5))
    Settings(
        server=ServerSettings(request_timeout_s=5),
        generation=GenerationSettings(stop_before_limit_s=4),
    )
