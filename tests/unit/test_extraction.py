"""Unit tests for qa.extraction (with qa.page_metadata, qa.page_repairs and qa.addresses): the
article and its metadata out of small made-up pages; and for qa.decoding, a page's and a text
file's bytes to text."""

from __future__ import annotations

import html
import logging

import pytest

from qa.addresses import safe_url
from qa.articles import article_from_page
from qa.decoding import decode_html, decode_text, utf16_without_mark
from qa.errors import BadInput
from qa.extraction import ExtractionOptions, extract_page
from tests.pages import FURNITURE, news_page

pytestmark = pytest.mark.unit

TITLE = "Skarra harbour reopens after storms"
BODY = [
    "The harbour of Skarra reopened on Monday after a week of storms had kept every boat in "
    "port, harbour master Ilse Brandt said.",
    "Repair crews replaced forty metres of the eastern breakwater, which the waves had torn "
    "open on Tuesday night.",
    "“We worked through the nights to get the fleet out again,” Brandt said, adding that the "
    "ferry to the mainland would run twice a day until the summer timetable starts.",
]
URL = "https://coast.example/news/skarra-harbour-reopens"


def page(**overrides: object) -> str:
    fields: dict[str, object] = {
        "title": TITLE, "paragraphs": BODY, "date": "2023-05-02", "author": "Anna Berg",
        "site": "Coast Times", "url": URL,
    }  # fmt: skip
    fields.update(overrides)
    return news_page(**fields)  # type: ignore[arg-type]


def no_furniture(paragraphs: list[str]) -> None:
    for piece in FURNITURE:
        assert not any(piece.casefold() in p.casefold() for p in paragraphs), piece


# --- the article and its metadata -----------------------------------------------------------


def test_the_article_is_extracted_without_the_page_around_it() -> None:
    extracted = extract_page(page())
    assert extracted.paragraphs == BODY
    no_furniture(extracted.paragraphs)


def test_metadata_comes_from_the_page() -> None:
    extracted = extract_page(page())
    assert (extracted.title, extracted.author, extracted.date) == (TITLE, "Anna Berg", "2023-05-02")
    assert (extracted.sitename, extracted.url) == ("Coast Times", URL)


def test_metadata_from_json_ld() -> None:
    extracted = extract_page(page(json_ld=True, author="Jon Holm", date="2022-11-30"))
    assert (extracted.author, extracted.date) == ("Jon Holm", "2022-11-30")


def test_an_article_from_a_page_carries_its_metadata_into_the_model() -> None:
    data = page().encode("utf-8")
    article = article_from_page("skarra", data)
    assert (article.title, article.source, article.date) == (TITLE, "Coast Times", "2023-05-02")
    assert (article.author, article.url) == ("Anna Berg", URL)
    assert article.text == "\n\n".join(BODY)
    assert len(article.content_hash) == 64


def test_a_page_without_an_address_uses_the_one_it_came_from() -> None:
    assert extract_page(page(url=None), url="https://saved.example/a").url == (
        "https://saved.example/a"
    )


def test_the_canonical_link_wins_over_og_url() -> None:
    share = '<meta property="og:url" content="http://share.coast.example/skarra">'
    assert extract_page(page(head_extra=share)).url == URL
    assert extract_page(page(url=None, head_extra=share)).url == "http://share.coast.example/skarra"
    bad = page(url="javascript:alert(1)", head_extra=share)  # not usable: og:url is next
    assert extract_page(bad).url == "http://share.coast.example/skarra"


def test_the_address_is_found_when_the_page_closes_its_head_early() -> None:
    # an ad script before the metadata: the parser puts the metadata after it in <body>
    early = page(url=None).replace(
        "<head>", f'<head></head><body><div class="ad"></div><link rel="canonical" href="{URL}">'
    )
    assert extract_page(early).url == URL


@pytest.mark.parametrize(
    ("title", "site", "url", "kept"),
    [
        (f"{TITLE} - Coast Times", "Coast Times", URL, TITLE),  # the page's site name
        (f"{TITLE} – COAST TIMES", "Coast Times", URL, TITLE),
        (f"{TITLE} | Skarrapost", None, "https://www.skarrapost.com/a", TITLE),  # its domain
        (f"{TITLE} — skarrapost.com", None, "https://news.skarrapost.com/a", TITLE),
        (f"{TITLE} - Coast - Times and Tides", "Coast - Times and Tides", URL, TITLE),
        (f"{TITLE} | Editorial", "Coast Times", URL, f"{TITLE} | Editorial"),  # a section
        (f"{TITLE} - the storm damage", "Coast Times", URL, f"{TITLE} - the storm damage"),
        ("Coast Times | Coast Times", "Coast Times", URL, "Coast Times"),  # never all of it
    ],
)
def test_the_site_name_after_a_title_is_dropped(
    title: str, site: str | None, url: str, kept: str
) -> None:
    assert extract_page(page(title=title, site=site, url=url)).title == kept


COMPANY = (
    '<meta name="author" content="Skarra Média Group">'
    '<meta name="copyright" content="Copyright (c) Skarra Media Group 2023">'
)
PERSON = (
    '<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
    '"NewsArticle", "author": [{"@type": "Person", "name": "Anna Berg"}]}</script>'
)


@pytest.mark.parametrize(
    ("head", "site", "author"),
    [
        (COMPANY + PERSON, None, "Anna Berg"),  # the copyright holder is no author
        ('<meta name="author" content="Coast Times">' + PERSON, "Coast Times", "Anna Berg"),
        ('<meta name="author" content="Coast Times">', "Coast Times", "Coast Times"),  # all
    ],
)
def test_the_site_or_its_owner_is_not_an_author_beside_a_person(
    head: str, site: str | None, author: str
) -> None:
    assert extract_page(page(author=None, site=site, head_extra=head)).author == author


@pytest.mark.parametrize(
    ("written", "author"),
    [
        ("Anna Berg; Staff writer", "Anna Berg"),  # a job title beside the person
        ("Anna Berg; CNN Editor-at-large", "Anna Berg"),
        ("Analysis by Anna Berg", "Anna Berg"),  # a "by" kept from the byline
        ("Anna Berg Monday", "Anna Berg"),  # the dateline's weekday glued on
        ("Li Sun", "Li Sun"),  # a short weekday ("Sun") is also a family name
        ("Science X staff", "Science X staff"),  # the only author named stays
        ("Admin", None),  # a CMS placeholder names nobody
        ("Editorial", None),
    ],
)
def test_an_author_is_a_name_without_the_byline_around_it(written: str, author: str | None) -> None:
    assert extract_page(page(author=written)).author == author


def _bare_page(before: str, after: str = "") -> str:
    """A page with no author in its metadata: `before` between the headline and the body."""
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in BODY)
    return (
        f"<html><head><title>{TITLE}</title></head><body><article><h1>{TITLE}</h1>{before}"
        f"{paragraphs}{after}</article></body></html>"
    )


@pytest.mark.parametrize(
    "byline",
    [
        '<div class="meta">By <a href="/staff/rosa">Rosa Lindgren</a> | 4 March 2024</div>',
        '<div class="story-info"><span>Written by</span> <a href="/rosa">Rosa Lindgren</a></div>',
    ],
)
def test_a_byline_element_under_the_headline_names_the_author(byline: str) -> None:
    """A byline in an element whose class does not say so: trafilatura finds no author in it
    and leaves it out of the body; it was lost."""
    assert extract_page(_bare_page(byline)).author == "Rosa Lindgren"


def test_a_byline_after_the_body_names_no_author() -> None:
    teaser = '<div class="teaser"><a href="/x">Ferry fares frozen</a><div>By Tom Lee</div></div>'
    assert extract_page(_bare_page("", teaser)).author is None


def test_furniture_inside_the_article_is_dropped_by_the_line_rules() -> None:
    furniture = [
        '<p>Related: <a href="/x">Storm closes ferry routes for a week</a></p>',
        "<p>Like this story? Share it with a friend!</p>",
        "<p>Follow us on Twitter @coasttimes and on Facebook.</p>",
        "<p>Tags: harbour, storms, Skarra</p>",
        "<p>Copyright 2023 Coast Times. All rights reserved.</p>",
        "<p>5 min read</p>",
        "<p>(Reporting by Anna Berg; editing by Jon Holm)</p>",
        "<p>Facebook</p><p>Twitter</p>",
    ]
    body = "".join(f"<p>{p}</p>" for p in BODY) + "".join(furniture)
    html = page(paragraphs=[]).replace('<div class="article-body">', f"<div>{body}", 1)
    assert extract_page(html).paragraphs == BODY
    kept = extract_page(html, options=ExtractionOptions(line_rules=False)).paragraphs
    assert len(kept) > len(BODY)  # trafilatura alone keeps some of it: the rules are needed


def test_lists_and_tables_keep_their_items_on_lines_of_one_paragraph() -> None:
    extra = (
        "<p>The five new ferries are:</p><ul><li>Brenna</li><li>Skarra</li><li>Holm</li></ul>"
        "<table><tr><th>Route</th><th>Crossings</th></tr>"
        "<tr><td>Skarra - Brenna</td><td>12</td></tr></table>"
    )
    paragraphs = extract_page(page(body_extra=extra)).paragraphs
    assert "Brenna\nSkarra\nHolm" in paragraphs
    assert "Route | Crossings\nSkarra - Brenna | 12" in paragraphs


# --- no words cut out of a sentence -----------------------------------------------------------


def test_a_linked_phrase_wrapped_as_a_link_keeps_its_words_in_the_sentence() -> None:
    extra = (
        '<p>The council has said that <span class="link"><a href="/closure">the harbour will '
        'close</a></span> for the winter, and <span class="link"><a href="/f">the ferry'
        "</a></span> will stop.</p>"
    )
    paragraphs = extract_page(page(body_extra=extra)).paragraphs
    assert (
        "The council has said that the harbour will close for the winter, and the ferry will stop."
        in paragraphs
    )


def test_the_text_after_an_empty_inline_element_is_kept() -> None:
    extra = (
        '<p>The mayor <i class="icon-quote"></i>spoke to reporters about the plan.</p>'
        "<p><strong></strong>The repairs will cost the town two million crowns.</p>"
        '<p>Bids open <span><img src="x.png"></span>on Monday.</p>'
    )
    paragraphs = extract_page(page(body_extra=extra)).paragraphs
    assert "The mayor spoke to reporters about the plan." in paragraphs
    assert "The repairs will cost the town two million crowns." in paragraphs
    assert "Bids open on Monday." in paragraphs


def test_a_hidden_link_inside_a_sentence_stays_out() -> None:
    extra = (
        '<p>The council said <span class="link" aria-hidden="true"><a href="/x">Skip to '
        "map</a></span>the quay opens at dawn.</p>"
    )
    paragraphs = extract_page(page(body_extra=extra)).paragraphs
    assert "The council said the quay opens at dawn." in paragraphs


def test_a_line_break_inside_a_sentence_does_not_split_it() -> None:
    extra = (
        "<p>Drivers will be diverted via the ring road, adding fifteen minutes to journeys "
        "between<br>the town centre and the business park.<br>Cyclists can still cross on a "
        "temporary walkway.</p>"
        "<p>The bridge, built in 1897, was last refurbished in 1989, when its<br>\n timber deck "
        "was replaced with steel.</p>"
    )
    paragraphs = extract_page(page(body_extra=extra)).paragraphs
    assert (
        "Drivers will be diverted via the ring road, adding fifteen minutes to journeys between "
        "the town centre and the business park." in paragraphs
    )
    assert "Cyclists can still cross on a temporary walkway." in paragraphs  # a sentence of its own
    assert (
        "The bridge, built in 1897, was last refurbished in 1989, when its timber deck was "
        "replaced with steel." in paragraphs
    )


def test_a_page_laid_out_in_a_table_keeps_its_paragraphs() -> None:
    """An old CMS's page: the story in one `<td>`, its paragraphs set apart by `<br><br>`.
    trafilatura reads it as a table; its one cell was one paragraph of the whole story, byline
    and date line included, and the article had no author or date."""
    story = "<br><br>".join(
        ["By Jane Pryce<br>Published: 12 March 2003", BODY[0], BODY[1].replace(" the ", " the<br>")]
    )
    page = (
        f"<html><head><title>{TITLE}</title></head><body><table><tr><td>"
        f"<font size=4><b>{TITLE}</b></font><br><br>{story}</td></tr></table></body></html>"
    )
    extracted = extract_page(page)
    assert (extracted.author, extracted.date) == ("Jane Pryce", "2003-03-12")
    assert extracted.paragraphs == BODY[:2]


def test_a_line_break_after_a_label_or_before_a_link_stays() -> None:
    extra = (
        "<p>About the harbour trust<br>the trust runs the quay, the slipway and the ferry "
        "office for the town council.</p>"
        "<p>The full timetable for the winter ferries, with every crossing, is online at"
        "<br>https://coast.example/ferries</p>"
    )
    paragraphs = extract_page(page(body_extra=extra)).paragraphs
    assert "About the harbour trust" in paragraphs
    assert "https://coast.example/ferries" in paragraphs


# --- dates: the page's metadata wins over the text's dateline -------------------------------


def test_the_metadata_date_wins_over_a_dateline_in_the_text() -> None:
    extracted = extract_page(page(paragraphs=["May 9, 2023", *BODY], date="2023-05-02"))
    assert extracted.date == "2023-05-02"
    assert "May 9, 2023" not in extracted.text  # a date line is not a paragraph


def test_the_dateline_is_used_when_the_page_states_no_date() -> None:
    extracted = extract_page(page(paragraphs=["Published: May 9, 2023", *BODY], date=None))
    assert extracted.date == "2023-05-09"


def dated_page(byline: str, *, before: str = "", after: str = "") -> str:
    """A page with no date in its metadata nor its text; `byline` after its headline, `before`
    the headline, `after` the article."""
    e = html.escape
    return (
        f"<html><head><title>{e(TITLE)}</title></head><body>{before}<h1>{e(TITLE)}</h1>"
        f"{byline}<div class='article-body'>"
        + "".join(f"<p>{e(p)}</p>" for p in BODY)
        + f"</div>{after}</body></html>"
    )


@pytest.mark.parametrize(
    ("month", "number"), [("Oct.", 10), ("October", 10), ("Sept.", 9), ("May", 5)]
)
def test_a_byline_element_dates_a_page_that_states_no_date_elsewhere(
    month: str, number: int
) -> None:
    extracted = extract_page(dated_page(f'<p class="byline">By Anna Berg | {month} 10, 2025</p>'))
    assert extracted.date == f"2025-{number:02d}-10"
    # never a piece of the date as an author ("Anna Berg; Oct")
    names = (extracted.author or "").split("; ")
    assert month.strip(".") not in names and not any(c.isdigit() for n in names for c in n)


def test_only_the_storys_own_byline_dates_it() -> None:
    byline = '<p class="byline">By Anna Berg | Published Oct. 10, 2025</p>'
    rail = '<div class="latest"><span class="date">Oct. 3, 2025</span> Ferry fares rise</div>'
    masthead = '<div class="masthead-date">Tuesday, Oct. 14, 2025</div>'
    comment = '<div class="comments"><span class="date">Nov. 2, 2025</span> Great news!</div>'
    events = '<aside><span class="event-date">Dec. 6, 2025</span> Harbour festival</aside>'
    both = (
        '<p class="byline"><span class="updated">Updated Oct. 12, 2025</span> · '
        '<span class="published">Oct. 10, 2025</span></p>'
    )
    story = dated_page(byline, before=rail + masthead, after=comment)
    assert extract_page(story).date == "2025-10-10"
    assert extract_page(dated_page(both)).date == "2025-10-10"  # published, not updated
    # with no byline date, neither what is around the story nor a copyright year dates it
    footer = "<footer><p class='date'>© 2025 Coast Times</p></footer>"
    around = dated_page(
        "<p class='byline'>By Anna Berg</p>",
        before=rail + masthead,
        after=comment + events + footer,
    )
    assert extract_page(around).date is None


# --- a body the page splits into parts --------------------------------------------------------


STORY = [
    "About 640 harbour workers and four tugs were assigned to the clean-up on Tuesday, and crews "
    "focused on the quay walls along the western edge of the old town, the port authority said.",
    "An information centre opened at the ferry terminal in Skarra, and the town hall is taking "
    "calls from boat owners whose moorings were lost. The Red Cross said 310 people had asked "
    "for help.",
    "The cost of the storm damage is still being assessed. Mooring in the outer basin had been "
    "restricted to commercial boats since January because of the work on the breakwater.",
]


def split_page(parts: list[list[str]], between: str) -> str:
    """A page whose article body is cut into sibling parts of one class, with `between` (an
    ad, a photo, related links) after each part but the last."""
    e = html.escape
    pieces = [
        '<div class="article-body__part">' + "".join(f"<p>{e(p)}</p>" for p in part) + "</div>"
        for part in parts
    ]
    body = between.join(pieces)
    return page(paragraphs=[]).replace('<div class="article-body">', f"<div>{body}", 1)


def test_a_body_split_into_parts_around_ads_is_read_whole() -> None:
    ad = (
        '<div class="inline-ad"><p>ADVERTISEMENT</p>'
        "<p>Story continues below advertisement</p></div>"
    )
    parts = [BODY, STORY[:2], STORY[2:]]
    html = split_page(parts, ad)
    assert extract_page(html).paragraphs == [*BODY, *STORY]
    # trafilatura alone reads the first part only
    first = extract_page(html, options=ExtractionOptions(join_body_parts=False)).paragraphs
    assert first == BODY
    # a last part with a modifier class is a part too
    last = html.replace(
        '<div class="article-body__part">' + "<p>" + STORY[2][:20],
        '<div class="article-body__part article-body__part--last">' + "<p>" + STORY[2][:20],
    )
    assert "--last" in last
    assert extract_page(last).paragraphs == [*BODY, *STORY]


def test_what_starts_another_story_is_not_joined_to_the_body() -> None:
    # the next story of an endless page, and teasers under a "More from" heading, written
    # with the body's own class
    for heading in ("<h2>Frost damages apple orchards</h2>", "<h3>More from Coast Times</h3>"):
        page_html = split_page([BODY, STORY], heading)
        alone = extract_page(page_html, options=ExtractionOptions(join_body_parts=False))
        assert extract_page(page_html).paragraphs == alone.paragraphs


# --- encodings --------------------------------------------------------------------------------

WESTERN = [
    "Le maître d’hôtel du Café Brûlé a dit « merci » à 200 clients — naïve joie, déjà vue.",
    "Die Straße am Hafen bleibt für drei Wochen gesperrt, sagte die Bürgermeisterin am Dienstag.",
    "El puerto reabrió el lunes; según el capitán, “la flota saldrá mañana a las seis”.",
]
JAPANESE = [
    "東京都は月曜日、新しい図書館を開館したと発表した。館長の山田花子さんは「多くの市民に来て"
    "ほしい」と話した。",
    "図書館には約三十万冊の本が並び、子ども向けの読書室も設けられた。開館時間は午前九時から"
    "午後八時までとなる。",
    "建設費は約四十億円で、区民の寄付も一部に充てられた。初日には二千人以上が訪れたという。",
]


@pytest.mark.parametrize(
    ("encoding", "declared", "body"),
    [
        ("windows-1252", "windows-1252", WESTERN),
        ("windows-1252", "iso-8859-1", WESTERN),  # browsers read latin-1 labels as cp1252
        ("windows-1252", None, WESTERN),
        ("shift_jis", "Shift_JIS", JAPANESE),
        ("shift_jis", None, JAPANESE),
        ("utf-8", None, WESTERN),
    ],
)
def test_legacy_encodings_are_decoded(encoding: str, declared: str | None, body: list[str]) -> None:
    html = page(paragraphs=body, charset=declared, title=body[0][:20])
    data = html.encode(encoding)
    assert decode_html(data) == html
    assert extract_page(data).paragraphs == body


def test_a_page_declared_in_http_equiv_is_decoded() -> None:
    html = page(charset=None, head_extra=(
        '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
    ), paragraphs=JAPANESE)  # fmt: skip
    assert extract_page(html.encode("shift_jis")).paragraphs == JAPANESE


def test_a_byte_order_mark_wins_and_a_wrong_declaration_is_not_trusted() -> None:
    html = page(charset="windows-1252", paragraphs=WESTERN)
    assert decode_html(b"\xef\xbb\xbf" + html.encode("utf-8")) == html
    wrong = page(charset="utf-8", paragraphs=WESTERN)  # says UTF-8, is windows-1252
    assert decode_html(wrong.encode("windows-1252")) == wrong


# English prose in ASCII and curly quotes: UTF-16 of it is well-formed UTF-8 too, NULs and all
PLAIN = [
    "The ferry operator will cut the number of daily crossings from twelve to eight from the "
    "first of December, the company said on Monday.",
    "Commuters who rely on the \u201cearly boat\u201d at 06:10 will keep it, a spokeswoman said.",
]
RUSSIAN = [
    "Новый пешеходный мост через реку открылся в среду после трёх лет строительства, сообщили "
    "в городской администрации.",
]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("declared", [None, "utf-16", "windows-1252"])
@pytest.mark.parametrize("paragraphs", [PLAIN, RUSSIAN, JAPANESE], ids=["en", "ru", "ja"])
def test_a_page_in_utf16_without_its_mark_is_read(
    encoding: str, declared: str | None, paragraphs: list[str]
) -> None:
    """Word and other Windows programs save pages in "Unicode" without a byte-order mark; an
    English one was refused as binary content (its NULs read as UTF-8 or as the declared
    windows-1252), whatever it declared."""
    html = page(paragraphs=paragraphs, charset=declared)
    assert decode_html(html.encode(encoding)) == html
    assert extract_page(html.encode(encoding)).paragraphs == paragraphs


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_text_in_utf16_without_its_mark_is_read_and_said(encoding: str) -> None:
    text = "Ferry crossings cut\n\n" + "\n\n".join(PLAIN) + "\n"
    assert decode_text(text.encode(encoding)) == (text, encoding, True, 0)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "text", ["Call me", "Renée Dupré", "Да, 10 мая", "“Yes”, 6:10", "5 m²", "CO₂ 5%", "x½ cup"]
)
def test_a_short_note_in_utf16_without_its_mark_is_read(encoding: str, text: str) -> None:
    """A one-line note has fewer than the eight NULs a longer text is told by: it was read as
    UTF-8, its NULs then dropped (or "Renée" guessed into another code page). Its NULs, all on
    one side in half its code units or more, tell it (qa/decoding.py: _short_utf16). A
    fraction, superscript or subscript beside a letter ("x½", "m²", "CO₂") is no letter of
    another script: Python's \\w took "½" for one, and the server read "x½ cup" as Chinese
    ("砀봀 挀甀瀀"), where the page's Add form, whose rule asks for letters (\\p{L}), read it."""
    assert decode_text(text.encode(encoding)) == (text, encoding, True, 0)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", ["Call me", "Ferry crossings cut\n\n" + "\n\n".join(PLAIN)])
def test_a_last_odd_byte_of_utf16_is_left_out(encoding: str, text: str) -> None:
    """A UTF-16 file without a byte-order mark with one byte too many (a line break a tool
    added, or cut short) ended in U+FFFD, which the server refuses in an article; the odd byte
    is no character. (After a byte-order mark an odd length keeps its U+FFFD: the bytes FF FE
    then " not text" of test_index_files are no text.)"""
    data = text.encode(encoding) + b"\n"
    assert decode_text(data).text == text
    assert decode_html(data) == text


def test_a_nul_byte_is_no_utf16() -> None:
    """A UTF-8 page or text with a stray NUL is read as UTF-8 (the NUL is then refused or
    removed as before), and binary bytes with NULs are not read as UTF-16 text."""
    html = page(paragraphs=PLAIN, charset="utf-8")
    assert decode_html(html.encode("utf-8") + b"\x00") == html + "\x00"
    assert decode_text(b"Ferry crossings cut\x00\n").encoding == "utf-8"
    # short ones too: too few NULs, NULs on both sides, control characters, or a-z letters
    # beside a Chinese character in one word (b"se" read as UTF-16 is "敳")
    for short in (
        b"Hi\x00",
        b"ok\x00 go\x00",
        b"s\x00sed\x00 ",
        b"\x01\x00\x02\x00\x03\x00",
        b"\x00\x01\x02 data\x00",
        b"PK\x03\x04\x14\x00\x06\x00",
        b"\x00\x00\x00",
    ):
        assert utf16_without_mark(short) is None, short
    with pytest.raises(BadInput, match="binary content"):
        extract_page(b"SQLite format 3\x00" + bytes(range(256)) * 8 + b"<p>" + bytes(2000))


LOSSES = [
    "The port\u2019s director said \u201cWe lost \u20ac2.5 million in trade,\u201d she told "
    "reporters on Monday \u2014 the worst year since the harbour was dredged.",
    "Ferries resume on Tuesday, the port authority said in a statement to the press.",
]


@pytest.mark.parametrize("declared", ["windows-1252", "iso-8859-1"])
def test_a_windows_1252_page_with_an_undefined_byte_is_read_as_declared(declared: str) -> None:
    """Python's cp1252 refuses 0x81, 0x8D, 0x8F, 0x90 and 0x9D; the page used to be guessed
    into another code page ("portís director … ìWe lost Ä2.5"). The HTML standard reads such a
    byte as a C1 control, which cleaning removes."""
    html = page(paragraphs=LOSSES, charset=declared)
    data = html.encode("cp1252").replace(b"the press.", b"the press.\x81")
    assert decode_html(data) == html.replace("the press.", "the press.\x81")
    assert extract_page(data).paragraphs == LOSSES


def test_a_page_decoded_as_latin1_is_read_as_windows_1252() -> None:
    """Sent as a string (POST /documents `html`), or saved as UTF-8 afterwards with its
    windows-1252 declaration kept: its quotes and euro signs are C1 controls."""
    html = page(paragraphs=LOSSES, charset="windows-1252")
    as_latin1 = html.encode("cp1252").decode("latin-1")
    assert extract_page(as_latin1).paragraphs == LOSSES
    saved = as_latin1.encode("utf-8")  # declared windows-1252, written as UTF-8
    assert extract_page(saved).paragraphs == LOSSES  # not "portÂ’s"
    undeclared = page(paragraphs=LOSSES, charset=None).encode("cp1252").decode("latin-1")
    assert extract_page(undeclared.encode("utf-8")).paragraphs == LOSSES


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Jos\u00e9 Mart\u00ednez wins\n\nThe mayor said it was \u201ca good day\u201d.", "cp1252"),
        ("M\u00fcller resigns\n\nJ\u00fcrgen M\u00fcller quit on Monday.", "cp1252"),
        ("\u20ac5m deal\n\nThe club paid \u20ac5m for N\u00fa\u00f1ez.", "cp1252"),
        ("\u00c6r\u00f8 ferry\n\nThe \u00c6r\u00f8sk\u00f8bing ferry resumes on Monday.", "cp1252"),
        ("Stra\u00dfe closed\n\nThe Hauptstra\u00dfe is closed until Friday.", "cp1252"),
        # "ß“" is well-formed UTF-8 by chance: not a UTF-8 text with a stray byte
        ("Er sagte \u201eDas ist gro\u00df\u201c. Dann ging er nach Hause.", "cp1252"),
        ("Ma\u0142gorzata \u017b\u00f3\u0142kiewska of Gda\u0144sk said the z\u0142oty rose.",
         "cp1250"),
        ("Anton\u00edn Dvo\u0159\u00e1k se narodil v Nelahozevsi. P\u0159\u00ed\u0161t\u00ed "
         "koncert bude v Brn\u011b.", "cp1250"),
        ("\u0130stanbul opens \u015ei\u015fli bridge\n\nMayor \u00d6mer \u00c7a\u011flar said "
         "it cost 420 million lira.", "cp1254"),
        ("Owner H\u00e9l\u00e8ne B\u00e9langer said \u201cevery morning\u201d in Qu\u00e9bec.",
         "mac_roman"),
        ("\u041c\u044d\u0440 \u041c\u043e\u0441\u043a\u0432\u044b \u043e\u0442\u043a\u0440"
         "\u044b\u043b \u043c\u043e\u0441\u0442.", "cp1251"),
        ("\u03a4\u03bf \u03bd\u03ad\u03bf \u03bc\u03b5\u03c4\u03c1\u03cc \u03c4\u03b7\u03c2 "
         "\u0391\u03b8\u03ae\u03bd\u03b1\u03c2 \u03ac\u03bd\u03bf\u03b9\u03be\u03b5.", "cp1253"),
    ],
)  # fmt: skip
def test_a_text_in_a_legacy_code_page_is_read_in_it(text: str, encoding: str) -> None:
    decoded = decode_text(text.encode(encoding))
    assert decoded.text == text
    assert decoded.guessed


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no-mark", "utf-8-mark"])
def test_a_utf8_text_with_a_pasted_windows_paragraph_keeps_both(bom: bytes) -> None:
    utf8 = "The drivers\u2019 strike ended after Fr\u00e9d\u00e9ric Lema\u00eetre signed.\n\n"
    pasted = "They waited \u201cnine days\u201d \u2014 the longest strike.\n"
    decoded = decode_text(bom + utf8.encode("utf-8") + pasted.encode("cp1252"))
    assert decoded.text == utf8 + pasted
    assert (decoded.encoding, decoded.guessed, decoded.foreign_bytes) == ("utf-8", True, 3)


def test_utf8_and_marked_texts_are_not_guessed() -> None:
    text = "Caf\u00e9 \u201cNo\u00ebl\u201d"
    assert decode_text(text.encode("utf-8")) == (text, "utf-8", False, 0)
    assert decode_text(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8", False, 0)
    assert decode_text(text.encode("utf-16")).text == text


# --- what never reaches the text ------------------------------------------------------------


def test_scripts_styles_and_event_handlers_never_reach_the_text() -> None:
    hostile = [
        "<script>document.write('stolen cookies')</script>",
        "<style>p { color: red; content: 'styled away' }</style>",
        '<p onclick="steal()">Officials said the quay will open at dawn.</p>',
        '<img src="x.png" onerror="alert(1)">',
        "<noscript>Enable JavaScript to read this</noscript>",
    ]
    html = page(body_extra="".join(hostile), url="javascript:alert(1)")
    extracted = extract_page(html)
    text = extracted.text
    for leaked in ("stolen cookies", "styled away", "steal()", "onclick", "alert", "color: red",
                   "window.analytics", "<", "Enable JavaScript"):  # fmt: skip
        assert leaked not in text, leaked
    assert "Officials said the quay will open at dawn." in extracted.paragraphs
    assert extracted.url is None  # only http(s) addresses are kept


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://a.example/x?y=1", True),
        ("http://a.example", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("//a.example/x", False),
        ("/relative/path", False),
        ("https://a.example/x y", False),
        ("", False),
        (None, False),
    ],
)
def test_only_absolute_http_addresses_are_kept(url: str | None, kept: bool) -> None:
    assert (safe_url(url) is not None) is kept


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://town.example/library?utm_source=newsletter&utm_medium=email&id=7",
         "https://town.example/library?id=7"),
        ("https://town.example/library?id=7&fbclid=IwAR0abc", "https://town.example/library?id=7"),
        ("https://news.example/2024/06/19/port.html?smid=nytcore-ios-share&referringSource=articleShare",
         "https://news.example/2024/06/19/port.html"),
        ("https://news.example/port?CMP=share_btn_tw#comments", "https://news.example/port#comments"),
        ("https://news.example/port?ocid=BingNewsSearch", "https://news.example/port"),
        ("https://news.example/port?gclid=Cj0&mc_cid=5f1e&mc_eid=9a8b&_ga=2.1", "https://news.example/port"),
        ("https://news.example/port?at_medium=RSS&ns_source=twitter&xtor=RSS-3", "https://news.example/port"),
        ("https://news.example/port?UTM_Source=X&page=2", "https://news.example/port?page=2"),
        # what names the article, in its order and as written, stays
        ("https://news.example/view?story=12&ref=home&src=rss&b=%20c+d",
         "https://news.example/view?story=12&ref=home&src=rss&b=%20c+d"),
        ("https://news.example/view?q=1&q=2", "https://news.example/view?q=1&q=2"),
        # a vendor's prefix on a site's own parameter: only the vendor's documented names go
        ("https://shop.example/view?pk_id=1&pk_campaign=spring", "https://shop.example/view?pk_id=1"),
        ("https://shop.example/view?at_id=101&itm_id=7&ga_id=3&ns_id=2&oly_id=4&vero_x=5",
         "https://shop.example/view?at_id=101&itm_id=7&ga_id=3&ns_id=2&oly_id=4&vero_x=5"),
        ("https://news.example/port", "https://news.example/port"),
    ],
)  # fmt: skip
def test_an_address_keeps_no_tracking_parameters(url: str, kept: str) -> None:
    """The same article saved from a newsletter's, a share's or an ad's link is one address."""
    assert safe_url(url) == kept


def test_a_page_saved_from_a_tracked_link_has_its_clean_address() -> None:
    html = page(url=None)
    tracked = "https://coast.example/news/skarra?utm_source=facebook&fbclid=IwAR0abc"
    assert extract_page(html, url=tracked).url == "https://coast.example/news/skarra"
    assert extract_page(page(url=tracked)).url == "https://coast.example/news/skarra"


# --- bad pages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4, "binary"),
        (page(paragraphs=[]).encode(), "no article"),
        (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article"),
    ],
)
def test_a_page_without_an_article_says_why(data: bytes, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        extract_page(data)


@pytest.mark.unit
def test_a_fragment_of_html_is_read_as_a_page(caplog: pytest.LogCaptureFixture) -> None:
    """trafilatura reads whole documents only; "<p>…</p>" pasted alone is a page's body."""
    fragment = (
        "<p>The council of Port Alder approved the lighthouse plan on Tuesday after a long "
        "debate about the costs of the work.</p><p>Work is expected to start next spring.</p>"
    )
    with caplog.at_level(logging.ERROR):
        page = extract_page(fragment)
    assert page.paragraphs[0].startswith("The council of Port Alder approved")
    assert "Work is expected to start next spring." in page.paragraphs
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.unit
def test_plain_text_sent_as_a_page_says_what_to_send() -> None:
    with pytest.raises(BadInput, match="no HTML tags in it: this is plain text"):
        extract_page("just some words, no tags at all")
