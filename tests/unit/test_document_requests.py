"""POST /documents bodies: an article as text or as a saved page, checked before anything is
written (api/routers/documents.py, api/documents_service.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pydantic import ValidationError

from api.documents_service import page_file
from api.routers.documents import ArchiveUpload, NewDocument
from qa.decoding import decode_html
from qa.errors import BadInput, TooLarge
from tests.factiva_files import EXPORT, export_page
from tests.pages import news_page

pytestmark = pytest.mark.unit

PAGE = news_page(
    title="Skarra harbour reopens",
    paragraphs=["The harbour of Skarra reopened on Monday after a week of storms had kept "
                "every boat in port, harbour master Ilse Brandt said."],
    charset="windows-1252",
)  # fmt: skip


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "exactly one of them"),
        ({"text": "A body.", "html": PAGE}, "exactly one of them"),
        ({"html": PAGE, "title": "Mine"}, "title cannot be sent with `html`"),
        ({"html": PAGE, "source": "S", "date": "2024-10-21"}, "source, date cannot be sent"),
        ({"html": PAGE, "url": "https://x.example"}, "Extra inputs are not permitted"),
        (
            {"text": "A body.", "title": "Strike ends\n\nSource: Reuters\n\nPublished: 1999-01-01"},
            "must be one line",
        ),
        ({"text": "A body.", "source": "Coast\nTimes"}, "must be one line"),
        ({"text": "A body.", "author": "Mira Hale\nSource: X"}, "must be one line"),
        ({"html": PAGE, "author": "Mira Hale"}, "author cannot be sent with `html`"),
        # the text under another name is told which name to use
        ({"body": "A body."}, "body: not a field of an article: send the article's text as `text`"),
        ({"content": "A body.", "title": "T"}, "content: not a field .* as `text`"),
        ({"article": "A body."}, "article: not a field .* as `text`"),
        ({"text": "A body.", "body": "x"}, "Extra inputs are not permitted"),
    ],
)
def test_a_request_with_both_neither_or_overrides_is_refused(
    body: dict[str, str], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        NewDocument.model_validate(body)


def test_an_empty_page_is_refused_like_empty_text() -> None:
    from api.documents_service import page_file
    from qa.errors import BadInput

    for html in ("", "\u0000", " \n"):
        with pytest.raises(BadInput, match="html is empty"):
            page_file(NewDocument.model_validate({"html": html}).html or "", None, 10_000)


def test_text_and_html_requests_are_accepted() -> None:
    assert NewDocument.model_validate({"text": "A body.", "title": "T"}).html is None
    assert NewDocument.model_validate({"html": PAGE, "doc_id": "skarra"}).text is None


def test_text_decoded_as_latin1_is_repaired_and_said() -> None:
    """Windows-1252 text a client decoded as Latin-1: its C1 controls are read as cp1252 (the
    input rule) and what was repaired is noted for the answer's `warnings`, field by field."""
    said = "The port\u2019s director said \u201cWe lost \u20ac2.5 million.\u201d"
    garbled = said.encode("cp1252").decode("latin-1")
    body = NewDocument.model_validate({"text": garbled, "title": "Port\x92s losses"})
    assert (body.text, body.title) == (said, "Port\u2019s losses")
    assert [note.split(" were ")[0] for note in body._repaired] == [
        "text: 4 C1 control character(s) (U+0080-U+009F)",
        "title: 1 C1 control character(s) (U+0080-U+009F)",
    ]
    assert NewDocument.model_validate({"text": said})._repaired == []
    page = NewDocument.model_validate({"html": PAGE.replace("storms", "storms\x97")})
    assert page.html is not None and "storms\u2014" in page.html
    assert page._repaired[0].startswith("html: 1 C1 control character(s)")


def test_an_export_decoded_as_latin1_is_repaired_and_said() -> None:
    line = '{"title": "Port\x92s losses", "text": "\x93We lost \x802.5 million.\x94"}\n'
    upload = ArchiveUpload.model_validate({"name": "port.jsonl", "content": line})
    assert upload.content == (
        '{"title": "Port\u2019s losses", "text": "\u201cWe lost \u20ac2.5 million.\u201d"}\n'
    )
    assert [note.split(" were ")[0] for note in upload._repaired] == [
        "content: 4 C1 control character(s) (U+0080-U+009F)"
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"name": "harbour.mhtml", "content": "<p>The ferry sailed.</p>"},
        {"name": "notes.md", "content": "The ferry sailed."},
        # the page's Add form sends a file that is no text, page or export as base64
        {"name": "minutes.odt", "content_base64": "UEsDBA=="},
        {"name": "scan.PNG", "content_base64": "iVBORw=="},
    ],
)
def test_an_import_of_a_file_no_route_format_names_both_kinds_and_where_articles_go(
    body: dict[str, str],
) -> None:
    # such a name was told only the archive formats (not .pdf), and an .odt sent as base64 was
    # told to "send an export's text as `content`", which was then refused for its name
    with pytest.raises(ValidationError) as refused:
        ArchiveUpload.model_validate(body)
    message = str(refused.value)
    assert f"name {body['name']!r} does not end in a format this route imports" in message
    assert ".jsonl" in message and ".xml" in message and "sent as `content`" in message
    assert ".txt for a LexisNexis text export" in message
    assert ".html or .htm for a Factiva export" in message
    assert ".pdf, .rtf, .docx" in message and "`content_base64`" in message
    assert "POST /documents" in message


@pytest.mark.parametrize(
    "body",
    [
        {"name": "gazette.JSONL", "content": "{}"},
        {"name": "feed.atom", "content": "<feed/>"},
        # a .txt may be a LexisNexis text export: its content decides (tests/unit/test_imports.py)
        {"name": "results.txt", "content": "1 of 2 DOCUMENTS"},
        # and a page a Factiva export (tests/unit/test_factiva.py)
        {"name": "Factiva.html", "content": "<html></html>"},
        {"name": "Factiva.HTM", "content": "<html></html>"},
        {"name": "results.docx", "content_base64": "UEsDBA=="},
        {"name": "harbour.pdf", "content_base64": "JVBERi0="},
    ],
)
def test_an_import_of_an_export_or_a_document_passes_the_name_check(
    body: dict[str, str],
) -> None:
    assert ArchiveUpload.model_validate(body).name == body["name"]


def test_a_page_is_stored_as_sent_whatever_charset_it_declares() -> None:
    doc_id, raw, suffix, _ = page_file(PAGE, None, 1_000_000)
    assert suffix == ".html" and doc_id.startswith("skarra-harbour-reopens-")
    assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark outranks the declared charset
    assert decode_html(raw) == PAGE
    assert page_file(PAGE, "mine", 1_000_000)[0] == "mine"


def test_a_factiva_export_sent_as_one_page_is_refused_saying_to_import_it() -> None:
    with pytest.raises(BadInput, match="html: the page is a Factiva export of 3 article") as no:
        page_file(export_page(EXPORT, layout="format"), None, 1_000_000)
    assert "POST /documents/import" in str(no.value)


def test_a_page_over_the_limit_or_without_an_article_is_refused() -> None:
    with pytest.raises(TooLarge, match="index.max_document_bytes"):
        page_file(PAGE, None, 1024)
    with pytest.raises(BadInput, match="no article text"):
        page_file("<html><body><nav><a href='/'>Home</a></nav></body></html>", None, 10_000)


def test_a_text_over_the_size_limit_is_refused_as_a_page_is() -> None:
    from api.documents_service import text_file

    body = NewDocument(title="Long read", text="The port grew. " * 100)
    with pytest.raises(TooLarge, match="more than index.max_document_bytes"):
        text_file(body, None, 1024)
    doc_id, raw, suffix, _ = text_file(body, None, 1_000_000)
    assert doc_id.startswith("long-read-") and suffix == ".txt" and "The port grew." in raw


@pytest.mark.parametrize(
    ("author", "read"),
    [("Mira Hale", "Mira Hale"), ("  Zoë Łukasik and  Li Wei ", "Zoë Łukasik and Li Wei"),
     (None, None)],
)  # fmt: skip
def test_a_text_article_keeps_the_author_sent_as_its_byline(
    author: str | None, read: str | None
) -> None:
    from api.documents_service import text_file
    from qa.articles import make_article

    body = NewDocument.model_validate(
        {"text": "The harbour of Skarra reopened on Monday.", "title": "Harbour reopens",
         "author": author}
    )  # fmt: skip
    doc_id, raw, _, _ = text_file(body, None, 10_000)
    article = make_article(doc_id, raw)  # as every later build reads the file
    assert article.author == read
    assert article.text == "The harbour of Skarra reopened on Monday."


@pytest.mark.parametrize("author", ["the harbour staff", "eva lund", "A B C D E F G H I J"])
def test_an_author_not_read_back_as_a_byline_is_refused(author: str) -> None:
    from api.documents_service import text_file

    body = NewDocument.model_validate({"text": "The harbour reopened.", "author": author})
    with pytest.raises(BadInput, match="is not read back as a byline"):
        text_file(body, None, 10_000)


@pytest.mark.parametrize(
    "body",
    [
        {"text": "A body."},
        {"text": "A body.", "title": "T", "date": "2024-10-21", "html": None},
        {"html": "<p>A page.</p>"},
        {"html": "<p>A page.</p>", "text": None, "title": None},
        {},
        {"text": None},
        {"text": "A body.", "html": "<p>A page.</p>"},
        {"html": "<p>A page.</p>", "author": "Jane Doe"},
    ],
    ids=["text", "text-null-html", "html", "html-nulls", "empty", "null-text", "both", "html-meta"],
)
def test_the_published_schema_accepts_what_the_model_accepts(body: dict[str, object]) -> None:
    """The OpenAPI schema's oneOf says what `_text_or_html` checks, so a client generating
    bodies from the schema sends none that the server refuses for this reason."""
    jsonschema_rs = pytest.importorskip("jsonschema_rs")  # comes with schemathesis
    schema = NewDocument.model_json_schema()
    try:
        NewDocument.model_validate(body)
        accepted = True
    except ValidationError:
        accepted = False
    assert jsonschema_rs.validator_for(schema).is_valid(body) == accepted


LOJA = [
    "A loja fantástica abriu na segunda-feira no centro da cidade, disse o prefeito.",
    "O prefeito disse que a loja é um sucesso e que outras lojas vão abrir em breve.",
    "Os moradores fizeram fila desde cedo para ver a inauguração da loja nova.",
]


@pytest.mark.parametrize(
    ("misread", "message"),
    [
        # a latin-1 page decoded as UTF-8 by the client: replacement characters
        (lambda text: text.encode("latin-1").decode("utf-8", errors="replace"),
         "replacement character"),
        # a UTF-8 page decoded as Windows-1252: "Ã¡" for "á"
        (lambda text: text.encode("utf-8").decode("cp1252"), "UTF-8 read as Windows-1252"),
    ],
)  # fmt: skip
def test_a_page_decoded_with_the_wrong_encoding_is_refused_as_its_text_would_be(
    misread: Callable[[str], str], message: str
) -> None:
    page = news_page(title="Loja abre no centro", paragraphs=LOJA)
    with pytest.raises(BadInput, match=f"html: the article read out of the page holds .*{message}"):
        page_file(misread(page), None, 1_000_000)
    assert page_file(page, None, 1_000_000)[2] == ".html"  # read right, it is taken


def test_the_same_article_with_other_white_space_is_found_indexed() -> None:
    from api.documents_service import text_file
    from qa.articles import indexed_as

    sent = NewDocument(title="Skarra bridge cost", text="The bridge will cost 52 million crowns.")
    doc_id, _, _, read = text_file(sent, None, 10_000)
    spaced = NewDocument(
        title="Skarra bridge cost", text="  The bridge will  cost 52 million crowns.\n\n\n"
    )
    other_id, _, _, again = text_file(spaced, None, 10_000)
    assert other_id != doc_id  # the id hashes what was sent
    assert indexed_as(again, {doc_id: read}) == doc_id
    # another figure, or another date, is another article
    changed = NewDocument(title=sent.title, text="The bridge will cost 53 million crowns.")
    assert indexed_as(text_file(changed, None, 10_000)[3], {doc_id: read}) is None
    dated = NewDocument(title=sent.title, text=sent.text, date="2024-11-16")
    assert indexed_as(text_file(dated, None, 10_000)[3], {doc_id: read}) is None


@pytest.mark.parametrize(
    ("source", "read"),
    [("Reuters", "Reuters"), ("The Coastal Courier.", "The Coastal Courier"),
     ("  Agence   France-Presse ", "Agence France-Presse")],
)  # fmt: skip
def test_a_source_is_stored_as_sent(source: str, read: str) -> None:
    from api.documents_service import text_file
    from qa.articles import make_article

    body = NewDocument.model_validate({"text": "The harbour reopened.", "source": source})
    doc_id, raw, _, _ = text_file(body, None, 10_000)
    article = make_article(doc_id, raw)
    assert (article.source, article.text) == (read, "The harbour reopened.")


def test_a_source_the_article_would_not_keep_is_refused_not_stored_as_its_text() -> None:
    """A "Source:" line of more than 8 words reads as a sentence of the article: sent as the
    source, it was lost, and the line became the article's first paragraph (helper-105)."""
    from api.documents_service import text_file

    long_name = "The Extremely Long Outlet Name Gazette and Evening Chronicle of the Faroe Islands"
    body = NewDocument.model_validate({"text": "The harbour reopened.", "source": long_name})
    with pytest.raises(BadInput, match="is not read back as the article's source.*at most 8"):
        text_file(body, None, 10_000)
