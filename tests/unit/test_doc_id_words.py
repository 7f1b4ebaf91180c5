"""A `doc_id` sent to POST or PUT /documents that cannot name a file is refused in words, with
an id that can, made from it (index/file_kinds.py `doc_id_problem`), not with pydantic's
"String should match pattern '^[A-Za-z0-9]…'"."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api.app import create_app
from api.routers.documents import NewDocument
from index.file_kinds import DOC_ID, doc_id_problem
from qa.settings import SecuritySettings, Settings
from tests.answers import StandInService, insufficient
from tests.clients import LocalClient

pytestmark = pytest.mark.unit

ALLOWED = (
    "may hold only letters A-Z (a-z), digits, '-', '_' and '.', starting with a letter or digit, "
    "at most 200 characters"
)


@pytest.mark.parametrize(
    ("doc_id", "found", "instead"),
    [
        ("Budget Übersicht 2025", "'Budget Übersicht 2025' has ' ', 'Ü'", "budget-ubersicht-2025"),
        ("Kraków tram", "'Kraków tram' has 'ó', ' '", "krakow-tram"),
        ("ä", "'ä' has 'ä'", "a"),
        ("2024/10/harbour", "'2024/10/harbour' has '/'", "2024-10-harbour"),
        ("-harbour", "'-harbour' starts with '-'", "harbour"),
        ("x" * 201, "it is 201 characters long", "x" * 60),
    ],
)
def test_an_unusable_id_is_said_in_words_with_one_made_from_it(
    doc_id: str, found: str, instead: str
) -> None:
    assert doc_id_problem(doc_id) == f"{ALLOWED} ({found}); e.g. {instead!r}"
    assert DOC_ID.fullmatch(instead)


def test_an_id_in_another_script_gets_one_that_keeps_it_apart() -> None:
    """Its slug would be "2024" alone, the same for every such title: `usable_id` adds a hash."""
    problem = doc_id_problem("Новости 2024")
    assert problem is not None
    instead = problem.rsplit("e.g. ", 1)[1].strip("'")
    assert instead.startswith("2024-") and len(instead) == len("2024-") + 8
    assert DOC_ID.fullmatch(instead)


@pytest.mark.parametrize("doc_id", ["harbour-2024", "Fire-Post", "a", "2024-10-21.harbour_1"])
def test_a_usable_id_is_no_problem(doc_id: str) -> None:
    assert doc_id_problem(doc_id) is None
    assert NewDocument.model_validate({"text": "A body.", "doc_id": doc_id}).doc_id == doc_id


def test_the_body_refusal_names_the_field_and_no_pattern() -> None:
    with pytest.raises(ValidationError) as refused:
        NewDocument.model_validate({"text": "A body.", "doc_id": "Budget Übersicht 2025"})
    (error,) = refused.value.errors()
    assert error["loc"] == ("doc_id",)
    assert error["msg"].startswith(ALLOWED) and "pattern" not in error["msg"]
    with pytest.raises(ValidationError, match="is empty: send an id, or leave doc_id out"):
        NewDocument.model_validate({"text": "A body.", "doc_id": ""})
    with pytest.raises(ValidationError, match="Input should be a valid string"):
        NewDocument.model_validate({"text": "A body.", "doc_id": 42})  # pydantic's, by type


ADMIN_KEY = "unit-doc-id-admin-key"


@pytest.fixture
def client() -> TestClient:
    settings = Settings(security=SecuritySettings(admin_api_key=ADMIN_KEY))  # type: ignore[arg-type]
    app = create_app(settings)
    app.state.service = StandInService(insufficient(), settings=settings)
    app.state.reloader = object()  # the document routes ask for one; bad input never uses it
    return LocalClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_post_and_put_answer_422_naming_doc_id(client: TestClient, method: str) -> None:
    body: dict[str, Any] = {"text": "A body.", "doc_id": "Budget Übersicht 2025"}
    path = "/documents" if method == "POST" else "/documents/budget"
    r = client.request(
        method,
        path,
        content=json.dumps(body).encode("ascii"),
        headers={"content-type": "application/json", "Authorization": f"Bearer {ADMIN_KEY}"},
    )
    assert r.status_code == 422, r.text
    assert r.json()["detail"] == (
        f"doc_id: {ALLOWED} ('Budget Übersicht 2025' has ' ', 'Ü'); e.g. 'budget-ubersicht-2025'"
    )
