"""The OpenAI-compatible endpoint asked of some articles: `doc_ids`, `date_from` and `date_to`
sent as extra body fields, honoured as on POST /ask or refused by name.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.openai_compat.conftest import MODEL, TROOPS, user

openai = pytest.importorskip("openai")

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("stream", [False, True])
def test_a_client_asks_of_some_articles_with_doc_ids_as_an_extra_field(
    client: Any, stream: bool
) -> None:
    question, _, doc_id = TROOPS
    others = ["000_f7372d653e73062b"]  # another seed article, about other things
    asked = {"model": MODEL, "messages": [user(question)]}
    if not stream:
        there = client.chat.completions.create(**asked, extra_body={"doc_ids": [doc_id]})
        assert there.model_extra["status"] == "answered", there.model_extra
        assert {c["doc_id"] for c in there.model_extra["citations"]} == {doc_id}
        elsewhere = client.chat.completions.create(**asked, extra_body={"doc_ids": others})
        assert {p["doc_id"] for p in elsewhere.model_extra["retrieved"]} == set(others)
    for bad, says in ((["nowhere"], "no article has the id(s) 'nowhere'"), ([], "doc_ids")):
        with pytest.raises(openai.BadRequestError) as caught:
            client.chat.completions.create(**asked, stream=stream, extra_body={"doc_ids": bad})
        assert says in str(caught.value)


def test_a_date_range_as_extra_fields_is_honoured_or_refused_by_name(client: Any) -> None:
    """`date_from`/`date_to` restrict the articles as on POST /ask; they were once accepted and
    ignored, so an answer came from outside the range."""
    question, _, _ = TROOPS
    asked = {"model": MODEL, "messages": [user(question)]}
    later = client.chat.completions.create(**asked, extra_body={"date_from": "2030-01-01"})
    assert later.model_extra["status"] == "insufficient_evidence", later.model_extra
    assert "date range" in later.model_extra["reason"], later.model_extra
    assert later.model_extra["citations"] == []
    for bad, param, says in (
        ({"date_from": "2024-13-01"}, "date_from", "not a calendar date"),
        ({"date_from": "2024-10-02", "date_to": "2024-10-01"}, "date_to", "is after date_to"),
    ):
        with pytest.raises(openai.BadRequestError) as caught:
            client.chat.completions.create(**asked, extra_body=bad)
        assert says in str(caught.value)
        if param:
            assert caught.value.param == param
