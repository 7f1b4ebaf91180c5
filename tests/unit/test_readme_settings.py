"""The README's configuration table says what the settings are: every setting has a row, each
row's default is the one `Settings` has, and each range a row states is the one `Settings`
enforces (a setting with an upper bound states its range)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, cast

import pytest
from annotated_types import Ge, Gt, Le
from pydantic import BaseModel

from qa.settings import MIN_API_KEY_CHARS, Settings

pytestmark = pytest.mark.unit

README = Path(__file__).resolve().parents[2] / "README.md"
ROW = re.compile(r"^\| `QA_([A-Z0-9_]+)` \| ([^|]*) \|", re.MULTILINE)
MEANING = re.compile(r"^\| `QA_([A-Z0-9_]+)` \| [^|]* \| (.*) \|$", re.MULTILINE)
# how a row's meaning states a range, in parentheses: "(1–65535)", "(Jaccard, 0–1)", "(at least
# 10)", "(at least 64 MiB)", "(at least 16 characters)", "(above 0, at most 1)"
NUMBER = r"(\d[\d,.]*)"
RANGE = re.compile(
    rf"\((?:[A-Za-z-]+, )?(?:{NUMBER}–{NUMBER}|at least {NUMBER}( MiB| characters)?"
    rf"|above {NUMBER}, at most {NUMBER})[);:]"
)
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


def bounds(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, dict[str, float]]]:
    """Each setting's bounds as its field declares them (`ge`, `gt`, `le`)."""
    for name, field in model.model_fields.items():
        key = prefix + name.upper()
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from bounds(annotation, key + "__")
            continue
        found: dict[str, float] = {}
        for rule in field.metadata:
            if isinstance(rule, Ge):
                found["ge"] = cast(float, rule.ge)
            elif isinstance(rule, Gt):
                found["gt"] = cast(float, rule.gt)
            elif isinstance(rule, Le):
                found["le"] = cast(float, rule.le)
        yield key, found


def stated(meaning: str) -> dict[str, float] | None:
    """The range a row's meaning states, as bounds, or None when it states none. An API key's
    "at least 16 characters" is its length, which a validator checks (`min_chars`)."""
    match = RANGE.search(meaning)
    if match is None:
        return None
    low, high, least, unit, above, most = match.groups()

    def number(text: str) -> float:
        return float(text.replace(",", "").rstrip("."))

    if low is not None:
        return {"ge": number(low), "le": number(high)}
    if above is not None:
        return {"gt": number(above), "le": number(most)}
    if unit == " characters":
        return {"min_chars": number(least)}
    return {"ge": number(least) * (1 << 20 if unit == " MiB" else 1)}


def test_every_range_the_table_states_is_the_settings_range() -> None:
    meanings = dict(MEANING.findall(README.read_text(encoding="utf-8")))
    declared = dict(bounds(Settings))
    wrong = {}
    for key, meaning in meanings.items():
        said = stated(meaning)
        if said is None:
            continue
        actual = (
            {"min_chars": float(MIN_API_KEY_CHARS)}
            if "min_chars" in said and key.endswith("_API_KEY")
            # a bound the row leaves out counts as stated wrongly when it is an upper one
            else {k: v for k, v in declared[key].items() if k in said or k == "le"}
        )
        if said != actual:
            wrong[key] = (said, declared[key])
    assert wrong == {}, "README range ≠ the setting's bounds"
    unstated = sorted(k for k, b in declared.items() if "le" in b and stated(meanings[k]) is None)
    assert unstated == [], "settings with an upper bound whose README row states no range"


@pytest.mark.parametrize(
    ("meaning", "bounds_said"),
    [
        ("port (1–65535)", {"ge": 1, "le": 65535}),
        ("overlap (Jaccard, 0–1) at or above which", {"ge": 0, "le": 1}),
        ("longer questions get a 422 (at least 10)", {"ge": 10}),
        ("address space (at least 64 MiB); a PDF", {"ge": 64 << 20}),
        ("key (at least 16 characters); unset", {"min_chars": 16}),
        ("nucleus sampling (above 0, at most 1)", {"gt": 0, "le": 1}),
        ("per-request limit (connecting: at most 5 s)", None),
        ("1.8× faster (0.47 → 0.37 s)", None),
    ],
)
def test_ranges_are_read_as_the_table_writes_them(
    meaning: str, bounds_said: dict[str, float] | None
) -> None:
    assert stated(meaning) == bounds_said
