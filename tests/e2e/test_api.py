"""The HTTP API over the seed articles, through a real uvicorn server (session `server` fixture).

The questions are written for these tests from the seed articles; answers are checked for
grounding (a known fact, verified citations whose text is really a paragraph of the cited
article) rather than for exact wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e

MAX_ANSWER_WORDS = 60

# (question, a fact string the answer must contain, the seed article that states it)
ANSWERABLE = [
    pytest.param(
        "How many special forces troops did North Korea send to Russia for training?",
        "1,500",
        "001_b3038a76a4f135e0",
        id="special-forces-troops",
    ),
    pytest.param(
        "How many soldiers did the National Intelligence Service estimate the North could send?",
        "12,000",
        "001_b3038a76a4f135e0",
        id="nis-estimate",
    ),
    pytest.param(
        "In what year did Kim Jong-un last oversee nuclear testing?",
        "2017",
        "003_6d9b07edcc481eb6",
        id="nuclear-test-year",
    ),
    pytest.param(
        "Who is the spokesperson for Russia's foreign ministry?",
        "Zakharova",
        None,  # named in more than one seed article
        id="foreign-ministry-spokesperson",
    ),
]

NEAR_MISS = (
    "a known error of the shipped selector: a question that nearly matches a sentence (another "
    "country's minister, another step of the same bill) is answered with it; its training data "
    "holds no such questions (docs/grounding.md)"
)

UNANSWERABLE = [
    pytest.param("Who won the 2022 football World Cup final?", id="sports-result"),
    pytest.param("What is a good recipe for banana bread?", id="recipe"),
    # the articles name South Korea's vice foreign minister, never North Korea's foreign minister
    pytest.param(
        "What is the name of North Korea's foreign minister?",
        id="near-miss-minister",
        marks=pytest.mark.xfail(strict=True, reason=NEAR_MISS),
    ),
    # they say Putin submitted the bill to the State Duma, not when the Duma will vote
    pytest.param(
        "When will the State Duma vote on the treaty?",
        id="near-miss-vote",
        marks=pytest.mark.xfail(strict=True, reason=NEAR_MISS),
    ),
]


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as c:
        yield c


_documents: dict[str, dict[str, Any]] = {}


def get_document(client: httpx.Client, doc_id: str) -> dict[str, Any]:
    if doc_id not in _documents:
        r = client.get(f"/documents/{doc_id}")
        assert r.status_code == 200, r.text
        _documents[doc_id] = r.json()
    return _documents[doc_id]


def ask(client: httpx.Client, question: str) -> dict[str, Any]:
    r = client.post("/ask", json={"question": question})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


def check_grounded(
    client: httpx.Client, body: dict[str, Any], fact: str, doc_id: str | None = None
) -> None:
    """An answered body whose answer states `fact` and whose citations are real paragraphs."""
    assert body["status"] == "answered", body
    assert fact in body["answer"], f"{fact!r} missing from answer: {body['answer']!r}"
    assert "[1]" in body["answer"], body["answer"]
    words = [w for w in body["answer"].split() if not (w.startswith("[") and w.endswith("]"))]
    assert len(words) <= MAX_ANSWER_WORDS, body["answer"]
    assert body["citations"], body
    markers = {c["marker"] for c in body["citations"]}
    assert 1 in markers
    for citation in body["citations"]:
        assert f"[{citation['marker']}]" in body["answer"]
        assert citation["verified"] is True, citation
        document = get_document(client, citation["doc_id"])
        by_id = {p["paragraph_id"]: p for p in document["paragraphs"]}
        assert citation["paragraph_id"] in by_id, (
            f"cited paragraph {citation['paragraph_id']} is not a paragraph of {citation['doc_id']}"
        )
        paragraph = by_id[citation["paragraph_id"]]
        assert (paragraph["start"], paragraph["end"]) == (citation["start"], citation["end"])
        assert document["text"][citation["start"] : citation["end"]] == citation["text"]
        assert paragraph["text"] == citation["text"]
        span = citation["text"][citation["span_start"] : citation["span_end"]]
        assert span.strip(), citation
    # the fact comes from a cited paragraph, not from nowhere
    assert any(fact in c["text"] for c in body["citations"]), body["citations"]
    if doc_id is not None:
        assert any(c["doc_id"] == doc_id for c in body["citations"] if fact in c["text"])
    assert body["retrieved"], body
    for hit in body["retrieved"]:
        assert isinstance(hit["score"], float)


# --- answers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("question", "fact", "doc_id"), ANSWERABLE)
def test_answerable_question_is_grounded(
    client: httpx.Client, question: str, fact: str, doc_id: str | None
) -> None:
    body = ask(client, question)
    assert body["question"] == question
    check_grounded(client, body, fact, doc_id)


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        # "“…,” he noted." after "“…,” said Evan Medeiros, an Asia expert …"
        (
            "Who said Russia could give North Korea confidence to resume nuclear testing?",
            "Evan Medeiros",
        ),
        # "“…,” he told reporters …" after "UN secretary-general Antonio Guterres warned …"
        (
            "Who told reporters at the UN headquarters that any relationship with the DPRK "
            "must abide by sanctions?",
            "Antonio Guterres",
        ),
    ],
)
def test_who_is_answered_with_the_speaker_of_a_quote_given_to_a_pronoun(
    client: httpx.Client, question: str, speaker: str
) -> None:
    body = ask(client, question)
    # the sentence before, which names the speaker, is quoted and cited too, and the short
    # answer is the speaker (not a name from inside the quote)
    check_grounded(client, body, speaker)
    assert body["short_answer"] == speaker, body
    claims = re.split(r"\s*\[\d+\]\s*", body["answer"].strip())
    assert speaker in claims[0] and re.search(r"\b(he|she) (noted|told)\b", claims[1]), claims


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        # keyword search ranks these paragraphs first or second, the vector search outside its
        # top 20 (every seed paragraph is about the two Koreas); fused from lists cut at 20 they
        # fell to 10th and 11th, out of the 8 paragraphs an answer is chosen from
        ("Who is the South Korean defense minister?", "Kim Yong-Hyun"),
        ("Who was the spokesman for the U.S. State Department?", "Matthew Miller"),
    ],
)
def test_a_paragraph_only_keyword_search_ranks_high_is_still_retrieved(
    client: httpx.Client, question: str, fact: str
) -> None:
    body = ask(client, question)
    assert any(fact in hit["text"] for hit in body["retrieved"]), [
        hit["text"][:80] for hit in body["retrieved"]
    ]


@pytest.mark.parametrize("question", UNANSWERABLE)
def test_unanswerable_question_abstains(client: httpx.Client, question: str) -> None:
    body = ask(client, question)
    assert body["status"] == "insufficient_evidence", body
    assert body["citations"] == []
    assert "[1]" not in body["answer"]
    assert isinstance(body["reason"], str) and body["reason"].strip()
    assert body["retrieved"], "the closest paragraphs should be listed"
    for hit in body["retrieved"]:
        assert isinstance(hit["score"], float)
        document = get_document(client, hit["doc_id"])
        assert document["text"][hit["start"] : hit["end"]] == hit["text"]


# --- bad input -------------------------------------------------------------------------------

# (request kwargs for POST /ask, words the `detail` must contain to say what to fix)
BAD_ASK = [
    pytest.param({"json": {"question": ""}}, ["question"], id="empty"),
    pytest.param({"json": {"question": " \n\t  "}}, ["question", "empty"], id="whitespace"),
    pytest.param({"json": {"question": "x" * 501}}, ["500"], id="over-long"),
    pytest.param({"json": {}}, ["question", "required"], id="missing-field"),
    pytest.param({"json": {"question": 42}}, ["question", "string"], id="wrong-type"),
    pytest.param(
        {"json": {"question": "Who is Kim Yo-jong?", "colour": "blue"}},
        ["colour"],
        id="extra-field",
    ),
    pytest.param(
        {"json": {"question": "Who is Kim Yo-jong?", "body": "x"}},
        ["body: extra inputs are not permitted"],
        id="extra-field-named-body",
    ),
    pytest.param(
        {"content": b'{"question": "abc', "headers": {"content-type": "application/json"}},
        ["json"],
        id="malformed-json",
    ),
    pytest.param(
        {"content": b'{"question": "caf\xe9?"}', "headers": {"content-type": "application/json"}},
        ["not UTF-8: byte 0xE9 at position 17", "encode the JSON as UTF-8"],
        id="windows-1252-bytes",
    ),
    pytest.param(
        {
            "content": b'{"question": "Who is Kim Yo-jong?"}',
            "headers": {"content-type": "text/plain"},
        },
        [],  # what the detail should say is checked in the xfail test below
        id="non-json-content-type",
    ),
]


def problem(r: httpx.Response) -> dict[str, Any]:
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    body = r.json()
    assert isinstance(body, dict), body
    assert isinstance(body.get("detail"), str) and body["detail"].strip(), body
    return body


@pytest.mark.parametrize(("request_kwargs", "hints"), BAD_ASK)
def test_bad_question_is_rejected_with_a_useful_detail(
    client: httpx.Client, request_kwargs: dict[str, Any], hints: list[str]
) -> None:
    body = problem(client.post("/ask", **request_kwargs))
    for hint in hints:
        assert hint.lower() in body["detail"].lower(), body


def test_non_json_content_type_detail_says_to_send_json(client: httpx.Client) -> None:
    r = client.post(
        "/ask",
        content=b'{"question": "Who is Kim Yo-jong?"}',
        headers={"content-type": "text/plain"},
    )
    body = problem(r)
    assert "json" in body["detail"].lower(), body


def test_unknown_document_is_404_with_detail(client: httpx.Client) -> None:
    r = client.get("/documents/no-such-article-2024")
    assert r.status_code == 404
    assert "no-such-article-2024" in problem(r)["detail"]


@pytest.mark.parametrize(
    "raw_path",
    [
        "/documents/..%2F..%2Fetc%2Fpasswd",
        "/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/documents/..%5C..%5Cwindows",
        "/documents/.env",
        "/documents/a%00b",
    ],
)
def test_path_traversal_document_id_is_refused(client: httpx.Client, raw_path: str) -> None:
    r = client.get(raw_path)
    assert r.status_code in (404, 422), (r.status_code, r.text)
    assert "root:" not in r.text
    assert r.json().get("detail")


def test_routing_errors_use_problem_details_too(client: httpx.Client) -> None:
    for r in (client.get("/documents/..%2F..%2Fetc%2Fpasswd"), client.delete("/ask")):
        assert r.headers["content-type"].startswith("application/problem+json"), r.headers
        assert {"title", "status", "detail"} <= set(r.json())


def test_server_still_answers_after_bad_input(client: httpx.Client) -> None:
    for param in BAD_ASK:
        request_kwargs: dict[str, Any] = param.values[0]  # type: ignore[assignment]
        problem(client.post("/ask", **request_kwargs))
    for _ in range(3):
        assert client.get("/documents/..%2F..%2Fetc%2Fpasswd").status_code in (404, 422)
    body = ask(
        client, "How many special forces troops did North Korea send to Russia for training?"
    )
    check_grounded(client, body, "1,500", "001_b3038a76a4f135e0")


# --- documents -------------------------------------------------------------------------------


def test_documents_are_listed_with_titles(client: httpx.Client) -> None:
    r = client.get("/documents")
    assert r.status_code == 200
    listing = r.json()
    assert listing["total"] == 5
    assert len(listing["documents"]) == 5
    ids = {d["doc_id"] for d in listing["documents"]}
    assert ids == {
        "000_f7372d653e73062b",
        "001_b3038a76a4f135e0",
        "002_8f97f7dac706e322",
        "003_6d9b07edcc481eb6",
        "004_ef56e6841386378c",
    }
    for summary in listing["documents"]:
        assert summary["title"].strip(), summary
        assert "icon" not in summary["title"].lower(), summary  # web debris is not a title
        assert summary["paragraphs"] > 0


def test_document_paragraph_offsets_point_into_text(client: httpx.Client) -> None:
    listing = client.get("/documents").json()
    for summary in listing["documents"]:
        document = get_document(client, summary["doc_id"])
        assert document["doc_id"] == summary["doc_id"]
        assert document["title"] == summary["title"]
        assert document["text"].strip()
        paragraphs = document["paragraphs"]
        assert len(paragraphs) == summary["paragraphs"]
        assert len({p["paragraph_id"] for p in paragraphs}) == len(paragraphs)
        previous_end = 0
        for i, p in enumerate(paragraphs):
            assert p["index"] == i
            assert p["doc_id"] == summary["doc_id"]
            assert previous_end <= p["start"] < p["end"] <= len(document["text"])
            assert document["text"][p["start"] : p["end"]] == p["text"]
            previous_end = p["end"]


# --- documentation and the page ----------------------------------------------------------------


def test_openapi_documents_the_endpoints_with_examples(client: httpx.Client) -> None:
    r = client.get("/openapi.json")
    assert r.status_code == 200
    spec = r.json()
    paths = spec["paths"]
    assert "post" in paths["/ask"]
    assert "get" in paths["/documents"]
    assert "get" in paths["/documents/{doc_id}"]
    for path, method in (("/ask", "post"), ("/documents", "get"), ("/documents/{doc_id}", "get")):
        assert paths[path][method].get("summary"), path

    def examples(node: Any) -> int:
        if isinstance(node, dict):
            own = sum(1 for k in node if k in ("example", "examples"))
            return own + sum(examples(v) for v in node.values())
        if isinstance(node, list):
            return sum(examples(v) for v in node)
        return 0

    assert examples(spec) >= 1
    ask_schema = spec["components"]["schemas"]["AskRequest"]
    assert ask_schema.get("examples") or ask_schema["properties"]["question"].get("examples")
    assert "question" in ask_schema["required"]


def test_swagger_docs_page(client: httpx.Client) -> None:
    r = client.get("/docs")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "swagger" in r.text.lower()


def test_root_serves_the_chat_page(client: httpx.Client) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "<html" in r.text.lower()
    assert 'id="question"' in r.text


def test_a_question_in_a_script_no_article_uses_is_declined_saying_so(
    client: httpx.Client,
) -> None:
    body = ask(
        client, "러시아는 언제 우크라이나를 침공했습니까?"
    )  # when did Russia invade Ukraine?
    assert body["status"] == "insufficient_evidence", body
    assert "another script" in body["reason"], body


def test_a_name_from_an_articles_byline_is_not_reported_as_found_nowhere(
    client: httpx.Client,
) -> None:
    documents = client.get("/documents").json()["documents"]
    authors = [get_document(client, d["doc_id"]).get("author") for d in documents]
    named = [a for a in authors if a and all(w[:1].isupper() for w in a.split())]
    assert named, authors  # a seed article carries a byline
    body = client.post("/ask", json={"question": f"Who is {named[0]}?"}).json()
    assert body["unknown_words"] == [], body


def test_a_question_about_someone_no_article_names_is_declined_saying_so(
    client: httpx.Client,
) -> None:
    # the seed articles quote several officials' words about South Korea, never Lavrov's
    body = ask(client, "What did Sergei Lavrov say about South Korea?")
    assert body["status"] == "insufficient_evidence", body
    assert "no article mentions “Lavrov”" in body["reason"], body
    assert body["retrieved"], body  # the closest paragraphs, to check for oneself
    # a name the articles hold, misspelt by two letters, is still answered
    spelt = ask(client, "What did Zakharowa say South Korean authorities should do?")
    assert spelt["status"] == "answered", spelt


def test_a_question_in_another_latin_language_is_declined_saying_why(
    client: httpx.Client,
) -> None:
    for question in (
        "Quand la Corée du Nord a-t-elle envoyé des troupes en Russie ?",
        # German capitalises its nouns: they are no names the articles lack
        "Wann hat Nordkorea Truppen nach Russland geschickt?",
    ):
        body = ask(client, question)
        assert body["status"] == "insufficient_evidence", body
        assert "ask it in the articles' language" in body["reason"], body


def test_a_question_asked_with_a_preamble_is_answered_as_the_question_alone(
    client: httpx.Client,
) -> None:
    core = "How many special forces troops did North Korea send to Russia for training?"
    typed = (
        "I am writing a story about the Korean peninsula and need to check a fact for my "
        "editor, who is strict about sourcing. Could you please tell me, based on the "
        f"articles you have, {core[0].lower()}{core[1:]}"
    )
    plain, wrapped = ask(client, core), ask(client, typed)
    assert plain["status"] == wrapped["status"] == "answered", wrapped
    assert wrapped["answer"] == plain["answer"] and "1,500" in wrapped["answer"]
    assert wrapped["question"] == typed  # echoed as typed
