"""A saved citation looked up again: `GET /paragraphs/{paragraph_id}` after the article changed.

A researcher keeps a citation's `paragraph_id` and checks it later. Before this route the only
way was to fetch the whole article and look for the id among its paragraphs; an edited
paragraph then showed as an article that answered 200 with the id missing, and the paragraph
number kept beside the id pointed at whatever paragraph had moved into its place. The route
gives the paragraph's words as indexed now, or a 404 that says whether the article or the words
are gone (a 410 Gone saying when for an article deleted through the API). The real app over
index versions built with the hashing fake embedder.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from index.builder import rebuild_index
from qa.models import Article
from qa.paragraphs import article_id_of, find_paragraph, paragraph_id, split_paragraphs
from tests.fakes import HashingEmbedder
from tests.served import served_with_fakes

pytestmark = pytest.mark.unit

ADMIN_KEY = "unit-paragraph-lookup-admin-key"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
P1 = "The ferry to Skarra island resumed service on Monday after a week of storms."
P2 = "Harbour master Ilse Varga said 42 boats had waited in the bay for the gale to pass."
P3 = "The council will spend 3 million crowns on a new breakwater next spring."
FERRY = f"Ferry returns to Skarra\n\n{P1}\n\n{P2}\n\n{P3}\n"
ORCHARD = "Frost hits orchards\n\nA late frost destroyed 3,000 tonnes of apples in Brenna.\n"


def serve(tmp_path: Path) -> TestClient:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ferry.txt").write_text(FERRY, encoding="utf-8")
    (corpus / "orchard.txt").write_text(ORCHARD, encoding="utf-8")
    return served_with_fakes(corpus, tmp_path / "data", admin_key=ADMIN_KEY)


def test_an_id_names_its_article_and_finds_only_the_words_it_was_made_from() -> None:
    before = Article(doc_id="ferry", text=f"{P1}\n\n{P2}\n\n{P3}", content_hash="0" * 64)
    cited = split_paragraphs(before)[1]
    assert article_id_of(cited.paragraph_id) == "ferry"
    assert find_paragraph(before, cited.paragraph_id) == cited
    # a paragraph put on top and the cited one edited: its old id finds nothing, not the words
    # now in its place; an unchanged one keeps its id and words at new offsets
    edited = P2.replace("42", "44")
    after = before.model_copy(
        update={"text": f"Damage is still counted.\n\n{P1}\n\n{edited}\n\n{P3}"}
    )
    assert find_paragraph(after, cited.paragraph_id) is None
    assert find_paragraph(after, paragraph_id("ferry", edited)) is not None
    kept = split_paragraphs(before)[2]
    moved = find_paragraph(after, kept.paragraph_id)
    assert moved is not None and moved.text == kept.text == P3
    assert (moved.index, moved.start) != (kept.index, kept.start)
    assert after.text[moved.start : moved.end] == P3


def test_a_cited_paragraph_is_found_by_its_id_with_its_article(tmp_path: Path) -> None:
    client = serve(tmp_path)
    listed = client.get("/documents/ferry").json()["paragraphs"]
    for paragraph in listed:
        found = client.get(f"/paragraphs/{paragraph['paragraph_id']}")
        assert found.status_code == 200, found.text
        assert found.json() == paragraph
    assert listed[1]["text"] == P2 and listed[1]["title"] == "Ferry returns to Skarra"


def test_an_edited_paragraph_is_a_404_saying_so_and_the_others_keep_their_ids(
    tmp_path: Path,
) -> None:
    client = serve(tmp_path)
    before = {p["text"]: p for p in client.get("/documents/ferry").json()["paragraphs"]}
    cited, kept = before[P2], before[P3]
    edited = P2.replace("42", "44")
    replaced = client.put(
        "/documents/ferry",
        headers=ADMIN,
        json={
            "title": "Ferry returns to Skarra",
            "text": f"A new top.\n\n{P1}\n\n{edited}\n\n{P3}",
        },
    )
    assert replaced.status_code == 200, replaced.text

    gone = client.get(f"/paragraphs/{cited['paragraph_id']}")
    assert gone.status_code == 404
    assert gone.headers["content-type"].startswith("application/problem+json")
    detail = gone.json()["detail"]
    assert f"article 'ferry' holds no paragraph {cited['paragraph_id']!r} now" in detail
    assert "words were changed" in detail and "GET /documents/ferry" in detail

    still = client.get(f"/paragraphs/{kept['paragraph_id']}").json()
    assert still["text"] == P3 and still["index"] == kept["index"] + 1
    assert still["start"] > kept["start"]
    new = client.get(f"/paragraphs/{paragraph_id('ferry', edited)}").json()
    assert new["text"] == edited


def test_an_article_deleted_through_the_api_is_a_410_saying_when(tmp_path: Path) -> None:
    """The journal remembers an id deleted through the API, and when: its document and its
    paragraphs answer 410 Gone saying so; an id never indexed stays a 404, and one added
    again is served again."""
    client = serve(tmp_path)
    ferry = client.get("/documents/ferry").json()
    cited = ferry["paragraphs"][0]["paragraph_id"]
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    assert client.delete("/documents/ferry", headers=ADMIN).status_code == 204
    for path in (f"/paragraphs/{cited}", "/documents/ferry"):
        gone = client.get(path)
        assert gone.status_code == 410, gone.text
        assert gone.headers["content-type"].startswith("application/problem+json")
        assert gone.json()["title"] == "Gone"
        detail = gone.json()["detail"]
        found = re.search(r"'ferry' was deleted at (\S+Z) \(DELETE /documents/ferry\)", detail)
        assert found is not None, detail
        at = dt.datetime.fromisoformat(found.group(1).replace("Z", "+00:00"))
        assert before <= at <= dt.datetime.now(dt.UTC)
    assert f"paragraph {cited!r} cannot be shown" in client.get(f"/paragraphs/{cited}").text
    never = client.get("/documents/never-indexed-here")
    assert never.status_code == 404 and never.json()["title"] == "Not found"
    unknown = client.get("/paragraphs/never-indexed-here:0123456789ab")
    assert unknown.status_code == 404
    assert "no article with id 'never-indexed-here' is indexed" in unknown.json()["detail"]
    assert "GET /documents?q=" in unknown.json()["detail"]
    # added again under its id: served again, no longer gone
    again = client.put(
        "/documents/ferry",
        headers=ADMIN,
        json={"title": ferry["title"], "text": "\n\n".join(p["text"] for p in ferry["paragraphs"])},
    )
    assert again.status_code == 201, again.text
    assert client.get(f"/paragraphs/{cited}").status_code == 200


def test_an_id_deleted_through_the_api_then_indexed_from_a_file_is_no_longer_gone(
    tmp_path: Path,
) -> None:
    """An article deleted through the API, then put back as a file and built (a rebuild, not
    the API), is served; taken out by hand after that it is a 404 as any such id is: the
    journal kept the old delete, and the id answered 410 'was deleted at <the first time>
    (DELETE /documents/ferry)', though it had been indexed since."""
    client = serve(tmp_path)
    corpus, index_dir = tmp_path / "corpus", tmp_path / "data" / "index"
    assert client.delete("/documents/ferry", headers=ADMIN).status_code == 204
    assert client.get("/documents/ferry").status_code == 410
    (corpus / "ferry.txt").write_text(FERRY, encoding="utf-8")
    rebuild_index(corpus, index_dir, embedder=HashingEmbedder())
    assert client.post("/admin/reload", headers=ADMIN).status_code == 200
    assert client.get("/documents/ferry").status_code == 200
    (corpus / "ferry.txt").unlink()
    rebuild_index(corpus, index_dir, embedder=HashingEmbedder())
    assert client.post("/admin/reload", headers=ADMIN).status_code == 200
    taken_out = client.get("/documents/ferry")
    assert taken_out.status_code == 404, taken_out.text
    assert "no document with id 'ferry'" in taken_out.json()["detail"]
    # a DELETE through the API of it now (retried or not) finds nothing to delete
    assert client.delete("/documents/ferry", headers=ADMIN).status_code == 404


@pytest.mark.parametrize(
    "bad",
    [
        "ferry",
        "ferry:",
        "ferry:e1a73a380f8",
        "ferry:E1A73A380F85",
        "ferry:e1a73a380f85-0",
        ":e1a73a380f85",
    ],
)
def test_something_that_is_no_paragraph_id_is_told_what_one_is(tmp_path: Path, bad: str) -> None:
    refused = serve(tmp_path).get(f"/paragraphs/{bad}")
    assert refused.status_code == 422
    assert (
        "is not a paragraph id: one is the article's id, ':' and 12 hex digits"
        in (refused.json()["detail"])
    )
