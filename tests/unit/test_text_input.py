"""The one input rule for client text: NFC, no control characters, no lone surrogates."""

from __future__ import annotations

import unicodedata

import pytest

from qa.errors import BadInput
from qa.text_input import (
    UnusableText,
    c1_controls_as_cp1252,
    c1_note,
    garbled_problem,
    has_visible_text,
    normalize_text,
    require_text,
    surrogate_problem,
)

pytestmark = pytest.mark.unit


def test_text_is_put_in_nfc_form() -> None:
    decomposed = "Cafe\u0301 in Zu\u0308rich"
    normalized = normalize_text(decomposed)
    assert normalized == "Café in Zürich"
    assert unicodedata.is_normalized("NFC", normalized)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Who\x00 won?", "Who won?"),
        ("Who\x07 won\x1b?", "Who won?"),
        ("a\x7fb\x81c\x8d\x8f\x90\x9dd", "abcd"),  # DEL, C1 controls cp1252 leaves undefined
        ("exa\u200bmple\ufeff", "example"),  # zero-width space in a word, byte-order mark
        ("zero\u200bwidth", "zero width"),  # between two words it stood for their space
        ("North\u200bKorea's 2\u200b024", "North Korea's 2024"),
        ("line one\r\nline two\rline three", "line one\nline two\nline three"),
        ("tab\tand\nnewline stay", "tab\tand\nnewline stay"),
    ],
)
def test_control_and_invisible_characters_are_removed(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


REPORT = (
    "the port\u2019s director said \u201cWe lost \u20ac2.5 million in trade,\u201d she told "
    "reporters \u2014 \u2026 \u0160koda\u2122 and \u0153uvre."
)


def test_windows_1252_text_decoded_as_latin1_is_read_as_written() -> None:
    """Its ’ “ ” € — … Š ™ œ arrive as C1 controls U+0080-U+009F, which used to be removed
    ("the ports director said We lost 2.5 million"); each is the cp1252 character of its byte."""
    as_latin1 = REPORT.encode("cp1252").decode("latin-1")
    assert any("\x80" <= c <= "\x9f" for c in as_latin1)
    assert normalize_text(as_latin1) == REPORT
    assert c1_controls_as_cp1252(as_latin1) == REPORT
    # every byte cp1252 defines in 0x80-0x9F; the five it leaves undefined are removed
    every = bytes(range(0x80, 0xA0))
    assert normalize_text(every.decode("latin-1")) == every.decode("cp1252", errors="ignore")
    assert normalize_text("\x85") == "\u2026"  # not a line end: the ellipsis


def test_what_is_read_as_windows_1252_is_said() -> None:
    as_latin1 = REPORT.encode("cp1252").decode("latin-1")
    note = c1_note("text", as_latin1)
    assert note is not None and note.startswith(
        "text: 9 C1 control character(s) (U+0080-U+009F) were read as the Windows-1252 "
        "characters of their bytes (\u2019 \u201c \u20ac \u201d \u2014 \u2026 \u0160 \u2122 "
        "\u0153): the text was decoded as Latin-1 (ISO-8859-1) though it was Windows-1252"
    )
    assert c1_note("text", REPORT) is None
    assert c1_note("text", "a\x81b") is None  # an undefined byte is removed, not repaired


def test_utf8_decoded_as_latin1_is_now_seen_as_mojibake() -> None:
    """UTF-8 read as Latin-1 gives "â\x80\x99" for "’": with the controls removed it was "â",
    past the check; read as cp1252 it is "â€™", which the check names."""
    normalized = normalize_text(REPORT.encode("utf-8").decode("latin-1"))
    problem = garbled_problem(normalized)
    assert problem is not None and "UTF-8 read as Windows-1252" in problem


def test_meaningful_format_characters_stay() -> None:
    # a zero-width joiner inside an emoji sequence, a right-to-left mark in Hebrew text
    for text in ("family 👨\u200d👩\u200d👧", "שלום\u200f world"):
        assert normalize_text(text) == text


def test_normalising_twice_changes_nothing() -> None:
    raw = "Cafe\u0301\x00 \u200bnews\r\n"
    assert normalize_text(normalize_text(raw)) == normalize_text(raw)


@pytest.mark.parametrize("surrogate", ["\ud800", "\udfff", "\udc00"])
def test_a_lone_surrogate_is_refused_and_located(surrogate: str) -> None:
    text = f"Who{surrogate} won?"
    with pytest.raises(UnusableText) as refused:
        normalize_text(text)
    assert isinstance(refused.value, BadInput)  # a 422 at the API
    message = str(refused.value)
    assert f"U+{ord(surrogate):04X}" in message and "character 4" in message
    assert surrogate_problem("a proper pair: 😀") is None


@pytest.mark.parametrize(
    "text", ["", "   ", "\x00", "\u0007\u0007", "\u200b\ufeff", "\u200d\u200c", "\t\n \u00a0"]
)
def test_text_without_visible_characters_is_empty(text: str) -> None:
    assert not has_visible_text(normalize_text(text))
    with pytest.raises(BadInput, match="question is empty: send a question"):
        require_text(text, field="question", what="a question")


@pytest.mark.parametrize("text", ["a", " ?", "١", "漢", "😀"])
def test_any_visible_character_counts(text: str) -> None:
    assert has_visible_text(text)
    assert require_text(text, field="question", what="a question") == text


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("B\ufffdckerei Schr\ufffdder schlie\ufffdt", "3 replacement character(s)"),
        (bytes(range(128, 256)).decode("latin-1") * 3, "Latin-1 symbols"),
        (
            "Jos\u00c3\u00a9 Mart\u00c3\u00adnez said \u00e2\u20ac\u0153yes\u00e2\u20ac.",
            "3 sequences of UTF-8 read as Windows-1252 (such as '\u00c3\u00a9' for '\u00e9')",
        ),
        ("Jos\u00c3\u00a9 came to the caf\u00e9.", None),  # one such pair may be meant
        ("\u00abCaf\u00e9\u00bb \u00e0 S\u00e3o Paulo, \u00c6r\u00f8 and \u00d6sterreich", None),
        # an accented letter before a quote or an ellipsis is well-formed UTF-8 by chance
        ("Disse: \u00abPerch\u00e9\u2026\u00bb e poi rispose \u00abCos\u00ec\u2026\u00bb.", None),
        ("\u201ccaf\u00e9\u2026\u201d \u2026 \u201col\u00e9\u2026\u201d", None),
        ("LE CAF\u00c9\u2019S MENU ET L\u2019\u00c9T\u00c9\u2026 PER\u00da\u00bb", None),
        ("N\u00c3O\u2026 S\u00c3O\u2026", None),
        ("Bäckerei Schröder schließt nach 90 Jahren in der Hauptstraße von Köln.", None),
        ("Hafnarfjörður er bær á höfuðborgarsvæðinu; þar búa um 30 þúsund manns.", None),
        ("北京市是中华人民共和国的首都，也是全国的政治、文化中心。" * 3, None),
    ],
)
def test_a_wrongly_decoded_or_binary_text_is_told_from_text(text: str, said: str | None) -> None:
    from qa.text_input import garbled_problem

    problem = garbled_problem(text)
    assert (problem is None) if said is None else (problem is not None and said in problem)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("<p>The navy seized a tanker.</p>\n<p>It had sailed from Riga.</p>", True),
        ('<div class="story">The navy seized a tanker.<br>It sailed.</div>', True),
        ("Hackers hid a <script> tag in the page, the report said.", False),  # one: words
        ("Prices rose as 3 < 5 and 7 > 2 in the index.", False),
        ("The navy seized a tanker on Monday.", False),
    ],
)
def test_markup_sent_as_text_is_told_apart_from_words(text: str, refused: bool) -> None:
    from qa.text_input import markup_problem

    problem = markup_problem(text)
    assert (problem is not None) is refused
    if refused:
        assert problem is not None and "send a saved web page as html" in problem
