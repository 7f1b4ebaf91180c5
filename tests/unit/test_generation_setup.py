"""Generate mode's model, as configured: a bundled name, a path, or a file that is no model.
Each mistake stops the server at start-up with a message that names the setting to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.generation import LlamaCppGenerator, resolve_gguf
from qa.settings import BUNDLED_GEMMA, BUNDLED_SMOLLM2, GenerationSettings

pytestmark = pytest.mark.unit


def test_a_misspelt_bundled_name_lists_the_bundled_ones(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as refused:
        resolve_gguf("bundled:gemma", tmp_path)
    message = str(refused.value)
    assert "no bundled model is called 'bundled:gemma'" in message
    assert BUNDLED_GEMMA in message and BUNDLED_SMOLLM2 in message
    assert "generation.gguf_path" in message


def test_a_folder_or_a_missing_file_is_named_as_such(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="is a folder, not a .gguf file"):
        resolve_gguf(str(tmp_path), tmp_path)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        resolve_gguf(str(tmp_path / "nope.gguf"), tmp_path)
    real = tmp_path / "model.gguf"
    real.write_bytes(b"GGUF")
    assert resolve_gguf(str(real), tmp_path) == real


def test_a_file_that_is_no_model_names_the_setting(tmp_path: Path) -> None:
    pytest.importorskip("llama_cpp")
    garbage = tmp_path / "broken.gguf"
    garbage.write_bytes(b"this is not a model" * 100)
    generator = LlamaCppGenerator(garbage, GenerationSettings())
    with pytest.raises(ValueError) as refused:
        generator.warm_up()
    message = str(refused.value)
    assert str(garbage) in message and "generation.gguf_path" in message


def test_a_gguf_path_without_a_backend_loads_nothing_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from api.service import build_generator
    from qa.settings import Settings

    caplog.set_level("WARNING", logger="api.service")
    assert build_generator(Settings()) is None
    assert not caplog.records  # extract mode, nothing set: nothing to say
    configured = Settings(generation=GenerationSettings(gguf_path="/models/some.gguf"))
    assert build_generator(configured) is None
    (said,) = [r.getMessage() for r in caplog.records]
    assert "generation.backend is none" in said and "QA_GENERATION__BACKEND" in said
