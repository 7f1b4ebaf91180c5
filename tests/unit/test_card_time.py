"""The model card says what its post-processing minutes covered: a refit exports nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.scripts import load_script

pytestmark = pytest.mark.unit

SHIPPED = Path(__file__).resolve().parents[2] / "models" / "selector" / "training.json"


@pytest.mark.parametrize("refit", [False, True])
def test_card_names_what_the_minutes_after_training_were_spent_on(
    tmp_path: Path, refit: bool
) -> None:
    train = load_script("train_selector")
    report = json.loads(SHIPPED.read_text(encoding="utf-8")) | {"refit": refit}
    shutil.copy(SHIPPED, tmp_path / "training.json")
    train.write_card(tmp_path, report)
    card = (tmp_path / "MODEL_CARD.md").read_text(encoding="utf-8")
    line = " ".join(card.split("**Training time**")[1].split("(`python")[0].split())
    if refit:
        assert "refit with `--reuse`" in line and "the export" not in line
    else:
        assert "the export, the combiner and the tuning figures" in line
