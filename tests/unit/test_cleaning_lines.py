"""Unit tests for the cleaner's rules on one line (qa/cleaning_lines.py, date lines
qa/datelines.py): rules 2 and 5, each on small made-up inputs through qa.cleaning."""

from __future__ import annotations

import pytest

from qa.cleaning import clean_article, clean_paragraphs
from tests.cleaning_texts import BODY_1, BODY_2, HEADLINE, body, doc

# --- rule 2: image file names -------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    "name", ["harbour_view.jpg", "IMG-0042.JPEG", "a b.Png", "x.gif", "y.webp"]
)
def test_image_file_name_line_is_dropped(name: str) -> None:
    assert body(name, BODY_1) == [BODY_1]


@pytest.mark.unit
def test_sentence_mentioning_an_image_file_is_kept() -> None:
    text = "The council posted a photo named plan.jpg on its website."
    assert body(text) == [text]


# --- rule 5: bylines, credits, source, date, dateline, roles ------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    "line",
    [
        "by Jane Doe",
        "By JANE DOE and JOHN ROE",
        "By Ana de la Cruz, Harbour Times",
        "SHARE",
        "Share",
        "Edited by Sam Poe.",
        "Reporting by Ann Lee; Editing by Bo Chan",
        "Updated to include comments from the mayor.",
        # site furniture
        "Like this story? Share it with a friend!",
        "Share this article with your friends",
        "Follow us on Twitter @coasttimes and on Facebook.",
        "Email Ann Lee at ann@coast.example or follow her @annlee.",
        "Copyright 2023 Coast Times. All rights reserved.",
        "© 2024 Harbour Media",
        "Filed under: Harbour, Storms |",
        "Tags: ferries, weather",
        "5 min read",
        "ann.lee@coast.example",
        "twitter.com/annlee",
        "Also on coast.example Ferry timetable changes from Monday",
        "Listen to this article 4 min",
        "Sign up for our morning newsletter to get the harbour news in your inbox.",
        "Subscribe to continue reading",
        "Already a subscriber? Log in to keep reading.",
        "Have a news tip? Email us at tips@coast.example.",
        "Photo: The ferry at the pier. Credit: Ann Lee/Coast Times",
        "Photo credit: Ann Lee",
        "Updated 2 hours ago",
        "We use cookies to improve your experience. Accept all cookies.",
        "This website uses cookies.",
        "Accept all cookies",
        "Our Standards: The Coast Times Trust Principles., opens new tab",
        "ADVERTISEMENT",
        "Story continues below advertisement",
        "Continue reading the main story",
        "Photo: Pickets outside the terminal on Sunday. (Ann Lee/Coast Times)",
        "Share on Facebook Share on Twitter Email",
        "Share on Facebook | Share on X | Print",
        "Ann Lee covers the harbour for the Times. Reach her at ann@coast.example.",
        # trafilatura's share-button labels
        "Facebook",
        "E-Mail",
        "Print",
    ],
)
def test_boilerplate_line_is_dropped(line: str) -> None:
    assert body(line, BODY_1, BODY_2) == [BODY_1, BODY_2]


@pytest.mark.unit
def test_boilerplate_lines_inside_one_block_are_dropped() -> None:
    assert body(f"by Jane Doe\nSHARE\n{HEADLINE}\n© Jo Smith / Some Images", BODY_1) == [BODY_1]


@pytest.mark.unit
@pytest.mark.parametrize(
    "line",
    [
        "Readers who follow us on the harbour walk can see the new light, the mayor said in a "
        "long speech that went on about the town, its people, its boats and its history for "
        "more than an hour before the lamps were lit and the crowd finally went home again.",
        "He said the copyright of the old photographs from 1923 belongs to the museum.",
        "Share prices of the ferry company rose by 4 percent on Monday.",
        "Subscribers to the ferry pass rose by a fifth last year, the company said.",
        "Listen to the recordings, the mayor said, and you will hear the storm.",
        "Photo: the ferry at the pier on Monday, before the storm.",
        "Sign up for the scheme closes on Friday; residents can register in the council "
        "newsletter.",
        "Photo: Residents credit the lifeboat crew with saving them.",
        "Listen to the story of the captain, he said.",
        "The advertisement ran for weeks before the vote.",
        "Anyone with information should contact them at tips@police.example, police said.",
        "He said he could not reach her at home.",
        "Print and save the form before Friday.",
        "Customers who cannot reach them at the branch can write to help@bank.example, the bank "
        "said.",
        "Contact them at the harbour office or by e-mail at info@harbour.example, the council "
        "said.",
        "Email and print services were down all day at the library.",
        "We use cookies from the market bakery, the café owner said.",
        "Accept all cookies and you are tracked, the regulator warned on Monday.",
        "Originally published in 1998, the report found that the harbour was silting up.",
        "This report, first published in 2019, found that rents had doubled.",
        "This story ran on the front page of the Courier for a week.",
        "First published by a small press, the novel sold a million copies.",
        "Follow the coast road on foot to reach the lighthouse.",
        "Skip to the next page of the report and the numbers change.",
        "Print this article's table before the meeting, the clerk told councillors.",
        "Image source files were lost when the archive flooded, the museum said.",
        "Listen to the story of the captain, he said.",
    ],
)
def test_sentences_like_furniture_are_kept(line: str) -> None:
    assert body(line, BODY_1) == [line, BODY_1]


@pytest.mark.unit
@pytest.mark.parametrize(
    "line",
    [
        "Skip to main content",
        "Print this article",
        "Email the author",
        "Listen to article",
        "Click here to subscribe",
        "Follow Eva Lund on X",
        "Follow Eva on Bluesky @evalund.example",
        "Image caption, Crowds gathered at the quay on Monday",
        "Image source, Getty Images",
        "Contact the reporter: eva.lund@courier.example",
    ],
)
def test_a_scraped_pages_links_and_labels_are_furniture(line: str) -> None:
    assert body(BODY_1, line, BODY_2) == [BODY_1, BODY_2]
    assert clean_paragraphs([BODY_1, line, BODY_2]).paragraphs == [BODY_1, BODY_2]


@pytest.mark.unit
@pytest.mark.parametrize(
    "line",
    [
        "Originally published on The Coastal Courier, March 13, 2024.",
        "Originally published by the Coastal Courier.",
        "This article originally appeared in the Island Gazette.",
        "This story was first published by ProPublica.",
        "A version of this story was first published by ProPublica.",
        "This article is republished from The Conversation under a Creative Commons license. "
        "Read the original article.",
        "Read the original article.",
    ],
)
def test_where_a_republished_article_first_ran_is_furniture(line: str) -> None:
    assert body(BODY_1, line) == [BODY_1]
    assert body(line, BODY_1) == [BODY_1]
    # a saved page's is left as text: the benchmark's hand-made bodies keep it
    assert clean_paragraphs([BODY_1, line]).paragraphs == [BODY_1, line]


@pytest.mark.unit
@pytest.mark.parametrize(
    "line", ["Originally published March 13, 2024", "Originally published on 13 March 2024"]
)
def test_an_originally_published_date_line_is_the_date(line: str) -> None:
    cleaned = clean_article(doc(line, BODY_1))
    assert (cleaned.date, cleaned.paragraphs) == ("2024-03-13", [BODY_1])


@pytest.mark.unit
def test_sentence_starting_with_by_is_kept() -> None:
    text = "By Friday, most of the boats had left the harbour."
    assert body(text) == [text]


@pytest.mark.unit
def test_source_line_is_captured_and_dropped() -> None:
    cleaned = clean_article(doc(BODY_1, "Source: Harbour News Agency"))
    assert cleaned.source == "Harbour News Agency"
    assert cleaned.paragraphs == [BODY_1]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Updated on Nov. 2, 2023 7:05 p.m. E.T.", "2023-11-02"),
        ("Published June 3, 2023", "2023-06-03"),
        ("Published: 3 June 2023", "2023-06-03"),
        ("Sept. 9, 2021", "2021-09-09"),
        ("Updated 2022-02-28 at 14:20 GMT", "2022-02-28"),
        ("Updated 5:35 AM EDT, Oct 21, 2024", "2024-10-21"),
        ("Published 9:35 a.m. ET Oct. 21, 2024", "2024-10-21"),
        ("October 21, 2024 9:12 AM GMT+2", "2024-10-21"),
        ("Date: 2024-02-08", "2024-02-08"),
        ("DATE: Feb. 8, 2024", "2024-02-08"),
        ("Publication date: 8 February 2024", "2024-02-08"),
        # in the other languages whose month names are read (qa/dates.py)
        ("8 de septiembre de 2025", "2025-09-08"),
        ("lunes, 8 de septiembre de 2025", "2025-09-08"),
        ("Publicado: 8 de septiembre de 2025", "2025-09-08"),
        ("12. August 2025", "2025-08-12"),
        ("Veröffentlicht am 12. August 2025", "2025-08-12"),
        ("Publié le 12 août 2025", "2025-08-12"),
        ("3 października 2025", "2025-10-03"),
        ("Mayo 3, 2025", "2025-05-03"),
        ("19 июня 2024 г.", "2024-06-19"),
        ("Опубликовано: 5 марта 2024 года", "2024-03-05"),
        ("Обновлено 19 июня 2024, 10:30", "2024-06-19"),
        ("19 червня 2024 р.", "2024-06-19"),
        # the time after "в" (Russian) or "о" (Ukrainian), as English writes "at"
        ("19 июня 2024 года в 10:30", "2024-06-19"),
        ("Опубликовано: 19 июня 2024 г. в 10:30 МСК", "2024-06-19"),
        ("19 червня 2024 р. о 10:30", "2024-06-19"),
        ("19 июня 2024 года в 10.30", "2024-06-19"),  # the time with a dot
        ("Оновлено: 19 червня 2024 р. о 10.30", "2024-06-19"),
        ("2024年6月19日", "2024-06-19"),
        ("发布时间：2024年6月19日 10:30", "2024-06-19"),
        ("2024년 6월 19일", "2024-06-19"),
        ("公開日：2024年6月19日 10時30分", "2024-06-19"),
        ("掲載日 2024年6月19日(水) 午後3時", "2024-06-19"),
        ("입력 2024.06.19 오전 10:30", "2024-06-19"),
        ("입력 2024년 6월 19일 오후 3:05", "2024-06-19"),
        # an ISO 8601 timestamp, a time with seconds or after a dash, a "modified" label
        ("2024-03-03T09:15:00Z", "2024-03-03"),
        ("Published: 2024-03-03T09:15:00.000+01:00", "2024-03-03"),
        ("2024-03-03 09:15:00", "2024-03-03"),
        ("Sun, 03/03/2024 - 14:22", "2024-03-03"),
        ("Last modified on Tue 5 Mar 2024 10.15 GMT", "2024-03-05"),
        ("Modified: March 5, 2024", "2024-03-05"),
    ],
)
def test_date_line_is_captured_as_iso_and_dropped(line: str, iso: str) -> None:
    cleaned = clean_article(doc(line, BODY_1))
    assert cleaned.date == iso
    assert cleaned.paragraphs == [BODY_1]


@pytest.mark.unit
@pytest.mark.parametrize(
    "text",
    [
        "Published June 3, 2023, the report angered fishermen.",
        "At 5:35 AM EDT, Oct 21, 2024 the storm reached the coast.",
        "June 3, 2023 3-1",  # a score, not a time zone's offset
        "10.45 The March 3, 2024",
        "Date: the band's first show since June 3, 2023",
        "Dated June 3, 2023, the letter was never sent.",
    ],
)
def test_sentence_containing_a_date_is_not_a_date_line(text: str) -> None:
    cleaned = clean_article(doc(text))
    assert cleaned.date is None
    assert cleaned.paragraphs == [text]


@pytest.mark.unit
def test_invalid_date_is_not_captured() -> None:
    assert clean_article(doc("Published Feb. 30, 2023", BODY_1)).date is None


@pytest.mark.unit
def test_dateline_place_before_the_body_is_dropped() -> None:
    dek = "Residents hope the project will bring back visitors"
    cleaned = clean_article(doc(dek, "Porto Vela, Nordland", "Updated June 3, 2023", BODY_1))
    assert cleaned.paragraphs == [dek, BODY_1]
    assert cleaned.date == "2023-06-03"


@pytest.mark.unit
@pytest.mark.parametrize("role", ["Harbour Reporter", "Staff Writer", "Senior Correspondent"])
def test_trailing_role_line_is_dropped(role: str) -> None:
    assert body(BODY_1, BODY_2, role) == [BODY_1, BODY_2]
