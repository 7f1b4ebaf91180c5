"""Unit tests for news feeds and blog exports as archives (index/feed_exports.py, read through
index/formats.py): RSS 2.0 with full content, Atom, RSS 1.0 and a WordPress export (WXR), each
item an article with its own title, address, date and author, the feed's title its source."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from index.feed_exports import feed_entries
from index.formats import read_article_file
from qa.errors import BadInput
from qa.models import Article

pytestmark = pytest.mark.unit

FERRY = (
    "The ferry between Vester and Lillö will run every hour from Monday, the operator said, "
    "after the council agreed to pay for a second boat."
)
CRANE = (
    "A new harbour crane that can lift 60 tonnes was put to work in Vester on Tuesday, three "
    "weeks later than planned."
)
RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Vester Weekly</title>
  <link>https://vw.example</link>
  <image><title>Vester Weekly logo</title><url>https://vw.example/logo.png</url></image>
  <item>
    <title>Ferry to Lillö runs every hour</title>
    <link>https://vw.example/news/ferry-hourly</link>
    <pubDate>Mon, 04 Nov 2024 09:30:00 +0100</pubDate>
    <dc:creator>Aino Virtanen</dc:creator>
    <description>The ferry will run every hour.</description>
    <content:encoded><![CDATA[<p>{FERRY}</p><p>Tickets cost 4 euros.</p>]]></content:encoded>
  </item>
  <item>
    <title>New crane at the harbour</title>
    <link>https://vw.example/news/crane</link>
    <pubDate>Tue, 05 Nov 2024 14:00:00 +0100</pubDate>
    <author>news@vw.example (Mika Laine)</author>
    <description>&lt;p&gt;{CRANE}&lt;/p&gt;</description>
  </item>
  <item><title>Only a title</title><link>https://vw.example/news/title-only</link></item>
</channel>
</rss>
"""
ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Coast Times</title>
  <updated>2024-11-06T08:00:00Z</updated>
  <entry>
    <title type="html">Ferry to Lill&amp;ouml; runs &lt;em&gt;every hour&lt;/em&gt;</title>
    <link rel="alternate" href="https://coast.example/ferry"/>
    <link rel="edit" href="https://coast.example/api/ferry"/>
    <published>2024-11-04T08:30:00Z</published>
    <updated>2024-11-05T10:00:00Z</updated>
    <author><name>Aino Virtanen</name><email>aino@coast.example</email></author>
    <summary>The ferry will run every hour.</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>{FERRY}</p></div></content>
  </entry>
</feed>
"""
WXR = f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Harbour Gazette</title>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:author><wp:author_id>2</wp:author_id><wp:author_login><![CDATA[mlaine]]></wp:author_login>
    <wp:author_display_name><![CDATA[Mika Laine]]></wp:author_display_name></wp:author>
  <item>
    <title>New crane at the harbour</title>
    <link>https://gazette.example/2024/11/crane/</link>
    <pubDate>Tue, 05 Nov 2024 13:00:00 +0000</pubDate>
    <dc:creator><![CDATA[mlaine]]></dc:creator>
    <content:encoded><![CDATA[<!-- wp:paragraph -->
<p>{CRANE}</p>
<!-- /wp:paragraph -->]]></content:encoded>
    <excerpt:encoded><![CDATA[]]></excerpt:encoded>
    <wp:post_type><![CDATA[post]]></wp:post_type>
    <wp:status><![CDATA[publish]]></wp:status>
  </item>
  <item>
    <title>crane.jpg</title>
    <wp:post_type><![CDATA[attachment]]></wp:post_type>
    <wp:status><![CDATA[inherit]]></wp:status>
  </item>
  <item>
    <title>Ferry timetable (draft)</title>
    <content:encoded><![CDATA[<p>{FERRY}</p>]]></content:encoded>
    <wp:post_type><![CDATA[post]]></wp:post_type>
    <wp:status><![CDATA[draft]]></wp:status>
  </item>
</channel>
</rss>
"""


def read(tmp_path: Path, name: str, content: str) -> tuple[list[Article], list[str]]:
    (tmp_path / name).write_text(content, encoding="utf-8")
    found = read_article_file(tmp_path / name, max_bytes=1_000_000)
    return found.articles, list(found.warnings)


def test_an_rss_feed_gives_an_article_an_item(tmp_path: Path) -> None:
    articles, warnings = read(tmp_path, "vw.rss", RSS)
    assert [(a.title, a.url, a.date, a.author, a.source) for a in articles] == [
        ("Ferry to Lillö runs every hour", "https://vw.example/news/ferry-hourly",
         "2024-11-04", "Aino Virtanen", "Vester Weekly"),
        ("New crane at the harbour", "https://vw.example/news/crane",
         "2024-11-05", "Mika Laine", "Vester Weekly"),
    ]  # fmt: skip
    # the full content, not the summary; markup gone, paragraphs kept
    assert articles[0].text == f"{FERRY}\n\nTickets cost 4 euros."
    assert articles[1].text == CRANE  # no full content: the description, unescaped
    assert warnings == [
        "skipped vw.rss item 3: no article text in the item (no content, description or "
        "summary): only a headline"
    ]


def test_an_atom_feed_gives_its_entries(tmp_path: Path) -> None:
    (article,), warnings = read(tmp_path, "coast.atom", ATOM)
    assert warnings == []
    assert (article.title, article.url, article.date, article.author, article.source) == (
        "Ferry to Lillö runs every hour",  # a title of type html is plain text
        "https://coast.example/ferry",  # the alternate link, not the edit link
        "2024-11-04",  # published, not updated
        "Aino Virtanen",
        "Coast Times",
    )
    assert article.text == FERRY


def test_a_wordpress_export_gives_its_published_posts_by_their_authors_names(
    tmp_path: Path,
) -> None:
    articles, warnings = read(tmp_path, "gazette.xml", WXR)
    assert [(a.title, a.author, a.date) for a in articles] == [
        ("New crane at the harbour", "Mika Laine", "2024-11-05")
    ]
    assert articles[0].text == CRANE
    assert warnings == [
        "skipped gazette.xml item 2: a WordPress attachment, not a post",
        "skipped gazette.xml item 3: a WordPress post that is not published (draft)",
    ]


def test_an_rss_1_feed_is_read_too(tmp_path: Path) -> None:
    rdf = f"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://vw.example/"><title>Vester Weekly</title></channel>
  <item rdf:about="https://vw.example/news/ferry-hourly">
    <title>Ferry to Lillö runs every hour</title><link>https://vw.example/news/ferry-hourly</link>
    <dc:date>2024-11-04</dc:date><description>{FERRY}</description>
  </item>
</rdf:RDF>"""
    (article,), warnings = read(tmp_path, "vw.xml", rdf)
    assert warnings == []
    assert (article.source, article.date, article.text) == ("Vester Weekly", "2024-11-04", FERRY)


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("<urlset><url><loc>https://vw.example/a</loc></url></urlset>", "no <item> or <entry>"),
        ("{}", "the XML is broken"),
        ('<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">]><rss><channel><item><title>&a;&a;</title>',
         "the XML is broken"),
    ],
)  # fmt: skip
def test_a_file_that_is_no_feed_is_skipped_and_said_why(
    tmp_path: Path, content: str, said: str
) -> None:
    (tmp_path / "x.xml").write_text(content, encoding="utf-8")
    with pytest.raises(BadInput, match=said):
        list(feed_entries(tmp_path / "x.xml", max_bytes=1_000_000))
    articles, warnings = read(tmp_path, "x.xml", content)
    assert articles == [] and len(warnings) == 1 and warnings[0].startswith("skipped x.xml")


def test_a_feed_broken_part_way_keeps_the_items_before(tmp_path: Path) -> None:
    broken = RSS.split("<item><title>Only a title")[0] + "<item><title>Cut off"
    articles, warnings = read(tmp_path, "vw.xml", broken)
    assert [a.title for a in articles] == [
        "Ferry to Lillö runs every hour",
        "New crane at the harbour",
    ]
    assert len(warnings) == 1 and "the XML is broken from here on" in warnings[0]


def test_entities_are_not_expanded(tmp_path: Path) -> None:
    """An entity the document declares (the start of a "billion laughs") stays unexpanded:
    the title holds no copy of it."""
    declared = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "BIGBIGBIG">]>'
        f"<rss><channel><title>Feed</title><item><title>A &big; title</title>"
        f"<description>{FERRY}</description></item></channel></rss>"
    )
    entries = list(feed_entries(_write(tmp_path, declared), max_bytes=1_000_000))
    assert "BIGBIGBIG" not in str(entries[0].fields)


def test_an_item_over_the_limit_is_skipped_without_the_others(tmp_path: Path) -> None:
    long = RSS.replace("Tickets cost 4 euros.", "Tickets cost 4 euros. " * 200)
    entries = list(feed_entries(_write(tmp_path, long), max_bytes=2_000))
    assert entries[0].problem is not None and "larger than the limit" in entries[0].problem
    assert entries[1].fields["title"] == "New crane at the harbour"


def _write(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "feed.xml"
    path.write_text(content, encoding="utf-8")
    return path


def test_a_picture_s_media_content_is_not_the_item_s_text(tmp_path: Path) -> None:
    """Media RSS (`media:content`, as news feeds give each item's photo) holds a credit or a
    caption: the item's text is still its description."""
    feed = RSS.replace(
        "<author>news@vw.example",
        '<media:content xmlns:media="http://search.yahoo.com/mrss/" url="https://vw.example/c.jpg">'
        "<media:credit>Photograph: Vester Weekly</media:credit></media:content>"
        "<author>news@vw.example",
    )
    articles, _ = read(tmp_path, "vw.rss", feed)
    assert articles[1].text == CRANE


def test_relative_links_are_read_against_the_feed_s_address(tmp_path: Path) -> None:
    rss = RSS.replace("https://vw.example/news/crane", "/news/crane")
    articles, warnings = read(tmp_path, "vw.rss", rss)
    assert warnings[:-1] == [] and articles[1].url == "https://vw.example/news/crane"
    atom = ATOM.replace("<entry>", '<entry xml:base="https://coast.example/2024/">').replace(
        'href="https://coast.example/ferry"', 'href="ferry"'
    )
    (article,), warnings = read(tmp_path, "coast.atom", atom)
    assert warnings == [] and article.url == "https://coast.example/2024/ferry"


def test_a_guid_that_is_a_permalink_is_the_address_without_a_link(tmp_path: Path) -> None:
    rss = RSS.replace(
        "<link>https://vw.example/news/crane</link>",
        "<guid>https://vw.example/news/crane</guid>",
    ).replace(
        "<link>https://vw.example/news/ferry-hourly</link>",
        '<guid isPermaLink="false">https://vw.example/?p=12</guid>',
    )
    articles, _ = read(tmp_path, "vw.rss", rss)
    assert [a.url for a in articles] == [None, "https://vw.example/news/crane"]


def test_blank_lines_before_the_xml_declaration_are_passed_over(tmp_path: Path) -> None:
    """A WordPress site whose theme prints a line break before its feed (which XML forbids)."""
    for head in ("\n\n  ", "\ufeff\r\n"):
        articles, warnings = read(tmp_path, "vw.xml", head + RSS)
        assert [a.title for a in articles] == [
            "Ferry to Lillö runs every hour",
            "New crane at the harbour",
        ]
        assert len(warnings) == 1  # the item with only a headline


def test_a_french_feed_s_dates_are_read(tmp_path: Path) -> None:
    """A French site's RSS writes its pubDate in French ("lun., 04 nov. 2024"), not in the
    English RFC 822 names: the month's name is read in its language (qa/dates.py)."""
    rss = RSS.replace("Mon, 04 Nov 2024", "lun., 04 nov. 2024").replace(
        "Tue, 05 Nov 2024", "mar., 05 nov. 2024"
    )
    articles, warnings = read(tmp_path, "vw.rss", rss)
    assert [a.date for a in articles] == ["2024-11-04", "2024-11-05"]
    assert len(warnings) == 1  # the item with only a headline, as before


def test_an_item_whose_date_no_reader_knows_is_kept_undated_and_named(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Losing an article for its date would be worse than keeping it without one: the item is
    indexed undated (as a .jsonl line or a table's row is), with a warning naming the file,
    the item and what it wrote."""
    rss = RSS.replace("Mon, 04 Nov 2024 09:30:00 +0100", "Sometime in the autumn")
    with caplog.at_level(logging.WARNING, logger="index.formats"):
        articles, warnings = read(tmp_path, "vw.rss", rss)
    assert [(a.title, a.date) for a in articles] == [
        ("Ferry to Lillö runs every hour", None), ("New crane at the harbour", "2024-11-05"),
    ]  # fmt: skip
    assert len(warnings) == 1  # the item with only a headline, as before
    assert [r.getMessage() for r in caplog.records] == [
        "vw.rss item 1 is indexed undated: `date` 'Sometime in the autumn' is not a calendar "
        "date (a day, a month and a year), or its day and month could be either (write it as "
        "year-month-day, e.g. 2024-10-21)"
    ]
