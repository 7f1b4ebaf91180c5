"""The README's configuration table says what the settings are: every setting has a row, and
each row's default is the one `Settings` has."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from qa.settings import Settings

pytestmark = pytest.mark.unit

README = Path(__file__).resolve().parents[2] / "README.md"
ROW = re.compile(r"^\| `QA_([A-Z0-9_]+)` \| ([^|]*) \|", re.MULTILINE)
# how the table writes a default that is not a value
WORDS = {"unset": None, "empty": ""}


def settings_defaults(values: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for name, value in values.items():
        key = prefix + name.upper()
        if isinstance(value, dict):
            yield from settings_defaults(value, key + "__")
        else:
            yield key, value


def same(shown: str, actual: Any) -> bool:
    text = shown.strip().strip("`")
    if text in WORDS:
        return WORDS[text] == actual
    if isinstance(actual, bool):
        return text == str(actual).lower()
    if isinstance(actual, int | float):
        return math.isclose(float(text), float(actual))
    return text == str(actual)


@pytest.mark.usefixtures("no_qa_environment")
def test_every_setting_has_a_row_with_its_default() -> None:
    found = ROW.findall(README.read_text(encoding="utf-8"))
    rows = dict(found)
    assert len(rows) == len(found), "a setting has two rows"
    defaults = dict(settings_defaults(Settings().model_dump()))
    assert sorted(set(defaults) - set(rows)) == [], "settings without a README row"
    assert sorted(set(rows) - set(defaults)) == [], "README rows for no setting"
    wrong = {
        key: (rows[key], defaults[key]) for key in defaults if not same(rows[key], defaults[key])
    }
    assert wrong == {}, "README default ≠ Settings default"
