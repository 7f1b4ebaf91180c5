"""Turn raw scraped article text into a title, metadata and clean body paragraphs.

The cleaner is a pipeline of small, general rules. Scraped pages carry web-page debris
(share-button icon text, image file names, photo credits, "related stories" link lists,
bylines) and layout damage (sentences split across paragraphs, words hard-wrapped mid-word).
Every rule is a text heuristic; none is keyed to a particular site or article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trafilatura.utils import trim

from qa.cleaning_blocks import (
    cleaned_characters,
    drop_related_sections,
    is_caption_block,
    is_icon_block,
    is_soft_wrapped,
    join_lines,
    normalise,
)
from qa.cleaning_lines import LineMeta, filter_lines, republished
from qa.cleaning_paragraphs import (
    dedupe,
    drop_dateline_place,
    drop_subheadings,
    drop_trailing_comment_labels,
    drop_trailing_roles,
    gather_lists,
    join_broken_paragraphs,
    take_title,
)
from qa.cleaning_patterns import Block
from qa.datelines import front_matter_date
from qa.markdown_text import FrontMatter, read_front_matter, read_markdown, split_front_matter
from qa.outlets import SOURCE_MAX_WORDS

# 2: site-furniture lines (share/follow prompts, copyright, tags, reading time, contact-only
# lines) and more related-story headers; saved pages and archives (articles gained author, url)
# 3: a byline ("By Jane Doe") of a text file is kept as the article's author
# 4: sentences end after a note mark that follows a full stop ("2000.[12] Next…", qa/sentences.py)
# 5: a sentence written in round brackets ends after them ("(It closes at 5 p.m.) “The…")
# 6: audio-player, newsletter, paywall and tip-line prompts, photo-credit lines and "Updated 2
#    hours ago" are furniture; a date line may give the time first ("Updated 5:35 AM EDT, Oct
#    21, 2024") or end in an offset ("9:12 AM GMT+2")
# 7: "Date:" and "Publication date:" label a date line, as "Published:" does
# 8: saved pages: no words of a sentence lost to trafilatura's precision rules (a linked phrase in
#    <span class="link">, the text after an empty inline element; qa/extraction.py); a page's
#    url is its canonical link, then og:url, found outside <head> too; its title loses a
#    trailing " - Site" that names the site; its authors, the site's or owner's name beside a person
#    A related-story line that carries its headline ("Also on example.com <headline>", "Read
#    more: <headline>") is dropped up to 40 words (was 15) when it does not end like a sentence
#    A comments label ("Comments", "12 comments") at the end of the article is dropped
# 9: sentences (qa/sentences.py): a dateline's dash ("HOPE, Ark. — Mike…") and a clock time
#    followed by a day, month or time zone ("at 5:30 a.m. Monday") no longer end a sentence
# 10: a first line labelled "Title:" or "Headline:" is the title, whatever its shape (a headline
#    that ends in a full stop or runs past 20 words; what POST /documents writes for its title)
# 11: ad-slot notes ("Advertisement", "Story continues below advertisement", "Continue reading
#    the main story"), a "Photo:" caption ending in its credit, a writer's e-mail contact line
#    and a row of share buttons are furniture; a saved page whose body is split in sibling parts
#    of one class (around ads) is read whole, and dated by its byline (qa/extraction.py); a date
#    line in another language is read ("8 de septiembre de 2025", "Veröffentlicht am 12. August
#    2025", qa/dates.py), a byline in another language ("Por Lucía Márquez") is the author and
#    a source line labelled in one ("Fuente: EFE") the source
# 12: archives read `publication` as the source and `article` as the text when their own
#    names are absent (qa/archives.py), so a .jsonl line indexed before is read again; a line
#    break between two words of one-line-per-paragraph text keeps a space ("said\nthat"),
#    only one inside a word is mended ("a bi\nll"); so does a zero-width space that stood
#    for the space between two words ("minister\u200bsaid")
# 13: a paragraph ending in a clock time's "a.m." or "p.m." is not joined to a capitalised
#    paragraph after it unless that goes on with a day, month or time zone ("at 3 a.m." +
#    "Firefighters arrived…" stay two paragraphs; "at 5:30 a.m." + "Monday, …" is one sentence)
# 14: a saved page's authors lose a "By"/"Analysis by" before a name and an English weekday
#    glued on after it ("Malcolm Owen Monday"), a job title beside a person ("Staff writer",
#    "CNN Editor-at-large") and a CMS placeholder ("Admin", "Editorial") (qa/extraction.py); a
#    cookie notice ("We use cookies to …", "Accept all cookies") is furniture
# 15: a C1 control character (U+0080-U+009F: Windows-1252 text decoded as Latin-1 before it
#    was saved) is read as the Windows-1252 character of its byte ("port\x92s" is "port’s"),
#    not removed; the five bytes Windows-1252 leaves undefined still are (qa/text_input.py)
# 16: Markdown text (a `# heading` at the start, or several Markdown constructs; every .md file)
#    is read as Markdown (qa/markdown_text.py): its first level-1 heading is the title, emphasis,
#    links and images leave their words (no `**`, `_`, `[]()`), and a header line of parts
#    ("*By Tom Carver* | **Published:** 2024-09-12") gives its byline and date
# 17: an author loses every "By"/"By:" before it, whatever its source ("By By Eva Lund", the
#    file of an author sent with its "By", gives "Eva Lund"; qa/authors.py), and a byline may end
#    in role words in lower case ("By Reuters staff", which was left in the text)
# 18: front matter (a leading `---` block of `key: value` lines) is not text: its title, author
#    and date are the article's (qa/markdown_text.py); a list (lines opening with "- ", "* ",
#    "• ", "1. ", "1) "; a Markdown list's items) or a table (`| a | b |` rows; a Markdown
#    table's) is one paragraph with the line that leads into it ("…at a glance:"), a line each,
#    never dropped as section headings
# 19: a saved page's lead written as a bare block in its body (`<div class="article__summary">`
#    holding its sentence, not a `p`) is the article's first paragraph (qa/extraction.py)
# 20: a card of links a saved page shows when a name in a sentence is hovered
#    (`<span class="rollover-people-block">`, "tooltip", "popover") is no part of the sentence
#    (qa/extraction.py)
# 21: a byline's "By" may be followed by a colon ("By: Eva Lund"), its names may be "; "-joined
#    ("By Eva Lund; Amir Haddad", what POST /documents writes for several authors, which it
#    refused), and a job title a comma sets off after the names is no part of the author ("By
#    Marta Kowalski, Staff Reporter" is "Marta Kowalski")
# 22: a line saying where a republished article first ran ("Originally published on The Coastal
#    Courier, March 13, 2024.", "This story originally appeared in …", "This article is
#    republished from … Read the original article.") is no text of a text file (a saved page's
#    is left: the benchmark's bodies keep it); "Originally published March 13, 2024" is a
#    date line
# 23: a saved page's line break (`<br>`) inside a sentence no longer splits it into two
#    paragraphs ("… journeys between<br>the town centre …"; qa/extraction.py)
# 24: every author (a page's, an archive's, one sent to POST /documents, a byline's) loses a job
#    title a comma sets off after the name ("Marta Kowalski, Staff Reporter"; qa/authors.py):
#    POST /documents refused that author once the byline read it so (cleaner 21)
# 25: a byline opening "Written by", "Posted by", "Words by", "Story by", "Text by", "Reported
#    by" or labelled "Author:", "Reporter:", "Writer:", "Byline:"; a line of a byline and its
#    date ("By Eva Lund | March 3, 2024", "By Eva Lund, March 3, 2024", "Posted by Eva Lund on
#    March 3, 2024") gives both, and is dropped, as a line of each would be
# 26: a date line may be an ISO 8601 timestamp ("2024-03-03T09:15:00Z"), give the time with its
#    seconds ("2024-03-03 09:15:00") or after a dash ("Sun, 03/03/2024 - 14:22"), and be
#    labelled "Modified" ("Last modified on Tue 5 Mar 2024 10.15 GMT"); each was kept as text
# 27: a scraped page's links and labels are furniture: "Skip to main content", "Print this
#    article", "Email the author", "Listen to article", "Click here …", "Follow Eva Lund on X",
#    BBC's "Image caption, …" and "Image source, …", "Contact the reporter: …@…"
# 28: archives read a WordPress REST export (`{"rendered": …}` title and content, a user id as
#    the author: left out), whose every post was refused (qa/archives.py), so an archive that
#    was read before is read again
# 29: a saved page with no author in its metadata or body takes it from a byline element
#    under the headline, read as a line of text is ("By Rosa Lindgren | 4 March 2024" in a
#    `<div class="meta">`; qa/extraction.py)
# 30: a text's kicker above its headline (a section's label of one or two words: "POLITICS",
#    "Local news") is no title: the headline under it is, and the kicker is no paragraph
# 31: short lines of a block that nearly all end a sentence (at least 80 %, of 3 or more) are
#    a paragraph each, not one soft-wrapped paragraph (an export's short paragraphs a line
#    each, one line break between them, were one paragraph)
# 32: a saved page laid out in a table (an old CMS's `<td>` holding the story, paragraphs set
#    apart by `<br><br>`) keeps its paragraphs, byline and date line (qa/extraction.py); it
#    was one paragraph of everything in the cell
# 33: a page saved or copied as text: its controls, a line each ("Menu", "Search", "Sign in",
#    "Subscribe"), are furniture ("Menu" was the title), and a related-story header with its
#    links on lines of one block ("Most popular\nFerry fares frozen…") is dropped as one in
#    blocks of their own is
# 34: a Markdown paragraph whose lines are each a label and its value ("Author: Eva Lund",
#    "Date: March 3, 2024", "Source: …", a notes app's properties) is a line each, so they
#    give the author, date and source (qa/markdown_text.py); it was one line of text
# 35: a news agency a comma sets off after an author ("By Eva Lund, Associated Press", "Eva Lund,
#    Reuters") is no part of the author (qa/authors.py); a text's byline gives it as the
#    source when no "Source:" line does
# 36: Markdown front matter gives the source and the address too, under the names archive
#    records use (`source`, `publisher`, `url`, `link`…; qa/fields.py), and a `source` that is
#    an address is the address (an Obsidian web clip's); wikilinks (`[[Eva Lund]]`,
#    `[[Page|shown]]`) are the words they show, embeds (`![[map.png]]`) nothing
# 37: Markdown keeps the text of code as written (a wikilink or `==` in a code span or block
#    was read as a link), drops Obsidian's highlight marks (`==words==` kept its `==`), and a
#    front matter `source` that is a site's domain ("www.harbourtimes.com") is the source: it was
#    taken for an address, and then dropped as no http(s) one
# 38: a date in words with its month's and weekday's names in another of DATE_LANGUAGES is
#    read wherever a date is (qa/dates.py: parse_date; a French feed's "lun., 04 nov. 2024",
#    front matter's "4 de noviembre de 2024", a page's byline date): such an article was undated
# 39: Markdown drops Obsidian's comments (`%%…%%`), lines of tags only (`#news #harbour`) and
#    a callout's marker (`> [!note] Title`: the title is a paragraph), which were article text
# 40: an author written in capitals ("By JOHN McDONALD and MARY O'NEILL", a Nexis or Factiva
#    byline, a page's metadata) is written as a name ("John McDonald and Mary O'Neill"; an
#    outlet's initials stay: "NYT Staff"; qa/authors.py: names_in_capitals)
# 41: a dateline in Russian or Ukrainian ("19 июня 2024 г.", "Опубликовано: 5 марта 2024 года")
#    or in Chinese, Japanese or Korean figures ("发布时间：2024年6月19日 10:30") is the date
#    (qa/dates.py: DATE_LANGUAGES, parse_date); such an article was undated
# 42: an author in capitals keeps a Roman numeral from IX to XX ("LOUIS XIV") in capitals, and
#    a figure's suffix in lower case ("2nd", not "2Nd"): qa/authors.py
# 43: a Chinese, Japanese or Korean dateline with the weekday in brackets, a time with its signs
#    or after a morning or afternoon word ("2024年6月19日（水） 10時30分", "입력 2024.06.19 오전
#    10:30"), and Korean dates with dots, are the date (qa/dates.py: _CJK; qa/datelines.py)
# 44: a Russian or Ukrainian dateline with its time after "в" or "о" ("19 июня 2024 года в
#    10:30", "19 червня 2024 р. о 10:30") is the date (qa/dates.py: AT_WORDS; qa/datelines.py)
# 45: a job title a comma sets off after a name may be followed by the outlet ("By Naomi
#    Fielding, Science Editor, The Lowland Herald"): the author is the name, and a byline's
#    outlet the source unless a "Source:" line names one (qa/authors.py: outlet_after_job_title)
# 46: a line that is a paper's name in the block of the article's byline ("By Hannah Okafor /
#    Marlow Evening Post / March 14, 2025") is the source, not a paragraph (qa/cleaning_lines.py:
#    filter_lines, qa/outlets.py: paper_name)
# 47: an archive record's, a feed's or an export's date with its time written with a dot after
#    "в", "о" or "at" ("19 июня 2024 года в 10.30") is the date (qa/dates.py: _in_english); it
#    was no date (a record's was a problem), though a dateline so written was read
# 48: a line in a paper's words above the byline ("Heat Wave Breaks All-Time Record / By …") is
#    the paper's name only when a block before holds the headline (qa/cleaning_lines.py:
#    filter_lines, _holds_headline): after a date line, a link, a kicker or the masthead's block
#    it is the headline, which cleaner 46 took for the source
# 49: a date with a dotted time after "at" before it ("At 9.05 on June 19, 2024") is that date:
#    dateutil read the time as a day and month (9 June 2019); qa/dates.py: _with_colon_times
# 50: one definition of an outlet's and a paper's name (qa/outlets.py) for the byline's outlet
#    after a job title and the paper's name beside the byline: a byline whose outlet has "of" or
#    "the" in it ("By Naomi Fielding, Science Editor, The Times of London") was no byline, and a
#    paper's name with "the" in it or ending in a hyphened word ("Voice of the Valley Gazette",
#    "Lowland Post-Gazette") beside the byline a paragraph; a paper's name a comma sets off
#    after a byline's names ("By Rhys Morgan, Dale Valley Gazette") is no part of the author
#    and is the source, when it cannot be a person's (qa/outlets.py: paper_not_person; "By Ana
#    Cruz, Tom Post" names two people); a line of a paper's name and the date ("Northgate
#    Chronicle, 10 September 2025") before the text's first sentence is the source and the date,
#    not a paragraph (qa/cleaning_lines.py: _paper_and_date; "Madrid, 8 de septiembre de 2025",
#    a place, stays text), and so is a paper's name as a part of a line of parts beside a
#    byline ("By Hannah Okafor | Marlow Evening Post | March 14, 2025" was text)
CLEANER_VERSION = "50"

_WEB_ADDRESS = re.compile(r"https?://\S+$", re.IGNORECASE)  # a front matter `source` that is one


@dataclass(frozen=True)
class CleanedArticle:
    """The result of cleaning one raw article."""

    title: str | None
    source: str | None
    date: str | None
    paragraphs: list[str]
    author: str | None = None
    url: str | None = None  # as the text states it (front matter), not yet checked as an address

    @property
    def text(self) -> str:
        """Body text: paragraphs separated by one blank line."""
        return "\n\n".join(self.paragraphs)


def clean_paragraphs(paragraphs: list[str], *, title: str | None = None) -> CleanedArticle:
    """The boilerplate rules for text an HTML extractor has already split into paragraphs.

    The line and block rules apply (icons, captions, credits, bylines, share labels, source and
    date lines, related-story sections, dateline places, trailing roles, repeats); a line of a
    paragraph is a line here. The layout repairs (soft wraps, split sentences, headings told
    by their shape) do not: the page's markup already said where paragraphs and headings are.
    `title` comes from the page's metadata; a paragraph repeating it is dropped.
    """
    meta = LineMeta()
    blocks = [[line.strip() for line in p.split("\n") if line.strip()] for p in paragraphs]
    blocks = [b for b in blocks if b and not is_icon_block(b) and not is_caption_block(b)]
    blocks = drop_related_sections(filter_lines(blocks, meta))
    kept = ["\n".join(b) for b in blocks]
    if title:
        kept = [p for p in kept if p.casefold() != title.casefold()]
    kept = dedupe(drop_trailing_comment_labels(drop_trailing_roles(drop_dateline_place(kept))))
    return CleanedArticle(
        title=title,
        source=meta.source or meta.agency or meta.masthead,
        date=meta.date,
        paragraphs=kept,
        author=meta.author,
    )


_TITLE_LABEL = re.compile(r"^(?:title|headline)\s*:\s*(\S.*)$", re.IGNORECASE)


def _labelled_title(blocks: list[Block]) -> tuple[str | None, list[Block]]:
    """A first line labelled "Title:" or "Headline:" names the title as written; the label
    says so, so the headline rules (rule 6) do not judge its shape."""
    if not blocks:
        return None, blocks
    found = _TITLE_LABEL.match(blocks[0][0])
    if found is None:
        return None, blocks
    rest = blocks[0][1:]
    return found.group(1), ([rest] if rest else []) + blocks[1:]


def _front_matter_address(front: FrontMatter) -> tuple[str | None, str | None]:
    """The address and the source front matter gives: its `url` (or `link`…), and its `source`
    (or `publisher`…), which is the address instead when it is one (an Obsidian web clip's
    `source` is the page's address) and is read as a "Source:" line's name is otherwise."""
    source = front.source
    if source and _WEB_ADDRESS.match(source):
        return front.url or source, None
    if source and len(source.split()) > SOURCE_MAX_WORDS:
        source = None
    return front.url, source


def clean_article(raw: str, *, markdown: bool = False) -> CleanedArticle:
    """Clean one raw article into title, source, date and body paragraphs.

    Text that is clearly Markdown, or any text when `markdown` says it is (a `.md` file) or it
    opens with front matter, is first read as Markdown (`qa.markdown_text.read_markdown`): its
    first level-1 heading is the title, unless a "Title:" line comes first (`compose_raw`'s,
    for a title sent with it) or the front matter names one. The front matter's author and date
    are the article's unless a byline or a date line says otherwise (the lines `compose_raw`
    writes for what was sent with it)."""
    meta = LineMeta()
    block, text = split_front_matter(cleaned_characters(raw))
    front = read_front_matter(block) if block else None
    read = read_markdown(text, declared=markdown or front is not None)
    labelled, blocks = _labelled_title(normalise(text if read is None else read.text))
    if labelled is None and front is not None and front.title:
        labelled = trim(front.title)  # as a "Title:" line is, over a `# heading`
    if labelled is None and read is not None and read.title:
        labelled = trim(read.title)
    blocks = [b for b in blocks if not is_icon_block(b) and not is_caption_block(b)]
    blocks = republished(filter_lines(blocks, meta))
    url = None
    if front is not None:
        meta.author = meta.author or front.author
        meta.date = meta.date or front_matter_date(front.date)
        url, source = _front_matter_address(front)
        meta.source = meta.source or source
    blocks = drop_related_sections(blocks)
    soft = is_soft_wrapped(blocks)
    paragraphs = gather_lists([p for b in blocks for p in join_lines(b, soft)])
    if labelled is None:
        title, paragraphs = take_title(paragraphs)
    else:
        title = labelled
        paragraphs = [p for p in paragraphs if p.casefold() != labelled.casefold()]
    paragraphs = drop_dateline_place(paragraphs)
    paragraphs = drop_trailing_comment_labels(drop_trailing_roles(paragraphs))
    paragraphs = join_broken_paragraphs(paragraphs)
    paragraphs = drop_subheadings(paragraphs)
    paragraphs = dedupe(["\n".join(trim(line) for line in p.split("\n")) for p in paragraphs])
    return CleanedArticle(
        title=title,
        source=meta.source or meta.agency or meta.masthead,
        date=meta.date,
        paragraphs=[p for p in paragraphs if p],
        author=meta.author,
        url=url,
    )
