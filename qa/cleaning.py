"""Turn raw scraped article text into a title, metadata and clean body paragraphs.

The cleaner is a pipeline of small, general rules. Scraped pages carry web-page debris
(share-button icon text, image file names, photo credits, "related stories" link lists,
bylines) and layout damage (sentences split across paragraphs, words hard-wrapped mid-word).
Every rule is a text heuristic; none is keyed to a particular site or article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trafilatura.utils import RE_FILTER, remove_control_characters, trim

from qa.authors import author_name, wire_agency
from qa.dates import is_weekday_name, month_number, parse_date
from qa.lexical import splits_a_word, without_zero_width_spaces
from qa.markdown_text import FrontMatter, read_front_matter, read_markdown, split_front_matter
from qa.sentences import CLOCK_END, goes_on_after_clock
from qa.text_input import c1_controls_as_cp1252

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
CLEANER_VERSION = "41"

Block = list[str]  # the lines of one blank-line separated block

# --- patterns -----------------------------------------------------------------------------

_ICON = re.compile(r"\bicons?\b", re.IGNORECASE)
_AN_ICON = re.compile(r"\ban? icon\b", re.IGNORECASE)
_IMAGE_FILE = re.compile(r"^\S+(?: \S+){0,2}\.(?:jpe?g|png|gif|webp)$", re.IGNORECASE)
_AGENCY = re.compile(
    r"\b(?:AP|Reuters|AFP|Getty|EPA|Yonhap|Sputnik|Xinhua|Bloomberg|via|Pool|Images|"
    r"Shutterstock|Alamy|PA|Anadolu|Kyodo|TASS)\b"
)
_TRAILING_PAREN = re.compile(r"\(([^()]{1,200})\)$")
_LINK_RESIDUE = re.compile(r"opens? (?:in )?(?:a )?new (?:window|tab)\s*\]?$", re.IGNORECASE)
_RELATED_HEADER = re.compile(
    r"^(?:related(?: stories| articles| coverage| content| links| reading| news)?|read more|"
    r"read also|also read|see also|more on this(?: story| topic)?|you may also like|"
    r"recommended(?: stories| reading| for you)?|further reading|more stories|see more|"
    r"don['’]t miss|most (?:read|popular|viewed)|trending(?: now| stories)?|related posts|"
    r"you might also like|more from [\w .&'’-]{1,40}?)\s*(?::.*)?$"
    r"|^also on [\w-]+(?:\.[\w-]+)+\b.*$",  # "Also on example.com <linked headline>"
    re.IGNORECASE,
)
_RELATED_MAX_WORDS = 15
# a related header and the linked headline on its line: "Read more: <headline>" (a colon after
# the header) or "Also on example.com <headline>"
_RELATED_WITH_HEADLINE = re.compile(r"^[^:]{1,40}:\s*\S|^also on [\w-]+(?:\.[\w-]+)+\s+\S", re.I)
_HEADLINE_MAX_WORDS = 40
# a word of a name: a letter, then word characters; that the letter is a capital ("Łukasik",
# "Ólafur" too, which [A-Z] would miss) is checked in `_byline`
_NAME = r"[^\W\d_][\w.'’-]*[,;]?"  # "Eva Lund; Amir Haddad": names "; "-joined, as stored
_PARTICLES = (
    "and", "&", "de", "del", "da", "van", "von", "der", "al", "bin", "le", "la",
    "y", "und", "et", "e", "en", "i", "och", "og",  # "and" in the byline languages below
)  # fmt: skip
_PARTICLE = "|".join(_PARTICLES)
# "By" and the word other languages' bylines open with (Spanish and Portuguese, German, French,
# Dutch, Italian, Swedish and Norwegian, Danish, Polish), capitalised or in capitals
_BY = r"(?:[Bb]y|[Pp]or|[Vv]on|[Pp]ar|[Dd]oor|[Dd]i|[Aa]v|[Aa]f|[Pp]rzez)"
# a byline's other openings in English: "Written by", "Posted by", a label ("Author: Eva Lund")
_BY_LABEL = (r"(?i:(?:written|words|story|text|posted|reported) by"
             r"|(?:authors?|reporters?|writers?|byline)\s*:)")  # fmt: skip
_FOREIGN_BY = frozenset({"por", "von", "par", "door", "di", "av", "af", "przez"})
# the opening word, then a space or a colon ("By: Eva Lund", as many CMS templates write it)
_BYLINE = re.compile(rf"^(?P<by>{_BY}|(?-i:BY|POR|VON|PAR|DOOR|DI|AV|AF|PRZEZ)|{_BY_LABEL})"
                     rf"(?:\s*:\s*|\s+)"
                     rf"(?P<names>{_NAME}(?:\s+(?:{_NAME}|{_PARTICLE}))*)$")  # fmt: skip
# a line of a byline, a date line and a source line set apart ("By Eva Lund | March 3, 2024"),
# or a byline and then its date ("By Eva Lund, March 3, 2024", "Posted by Eva Lund on March 3,
# 2024"): `_metadata_line`
_PARTS = re.compile(r"\s+[|·•]\s+")
_BEFORE_DATE = re.compile(r",\s+|\s+(?:on|[—–-])\s+")
_METADATA_LINE_WORDS = 24
_SHARE = re.compile(
    r"^(?:share|share this(?: article| story| page)?|share on \w+|share via \w+)\s*:?$",
    re.IGNORECASE,
)
_CREDIT_LINE = re.compile(
    r"^\(?(?:additional\s+)?(?:edited|editing|reporting|writing|compiled|translated|produced)"
    r"\s+by\b|^\(?updated\s+to\s+(?:include|add|reflect|correct|clarify)\b",
    re.IGNORECASE,
)
# Site furniture that is never article text: social follow and share prompts, copyright
# notices, taxonomy lines, reading times, and lines holding only an e-mail address or a
# social-media profile. Checked on short lines only (`_FURNITURE_MAX_WORDS`).
_FURNITURE = re.compile(
    r"^(?:like this (?:story|article)\?\s*)?share (?:it|this)\b.*"
    r"|.*\bfollow (?:us|him|her|them|me)(?: on (?:twitter|x|facebook|instagram|linkedin|"
    r"threads|bluesky|tiktok|youtube)\b| @\w+).*"
    # the writer by name ("Follow Eva Lund on X", "Follow Eva on Bluesky @evalund")
    r"|^follow (?-i:[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3}) on (?:twitter|x|facebook|instagram|"
    r"linkedin|threads|bluesky|tiktok|youtube|mastodon)\b.*"
    # a page's links as a scraper keeps them: "Skip to main content", "Print this article",
    # "Email the author", and the labels of a picture's caption and credit ("Image caption,
    # Crowds at the quay", "Image source, Getty Images", as BBC pages put them)
    r"|^skip to (?:the )?(?:main )?(?:content|navigation|article)$"
    # a page's controls, each a line of its own in a page saved or copied as text
    r"|^(?:(?:main |open |close )?menu|search|sign in|sign out|log ?in|log ?out|register"
    r"|subscribe(?: now)?|home|close|toggle navigation|navigation|my account)$"
    r"|^(?:print|e-?mail|save) (?:this )?(?:article|story|page)$"
    r"|^e-?mail (?:the )?(?:author|reporter|writer)$"
    r"|^(?:image|media|video|photo) (?:caption|source|credit)\s*[,:]\s*\S.*"
    r"|^(?:copyright|©|\(c\))\s.*\b(?:19|20)\d\d\b.*|.*\ball rights reserved\b.*"
    r"|^(?:filed under|tagged|tags?|categories|category|topics)\s*:.*"
    r"|^\d+\s*min(?:ute)?s?\s+read$|^reading time\s*:.*"
    r"|^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$|^@\w+$"
    r"|^(?:https?://)?(?:www\.)?(?:twitter|x|facebook|instagram|linkedin)\.com/\S+$"
    # ad slots and their notes, NYT's "Continue reading the main story" among them
    r"|^advertisements?$|^continue reading the main story$"
    r"|^(?:story|article) continues below(?: (?:this |the )?(?:advertisement|ad))?\.?$"
    # a caption labelled as one that ends in its credit ("Photo: … (Ann Lee/Coast Times)"), and
    # a writer's contact line ("Reach her at …@….com")
    r"|^(?:photo|photograph|image|picture)\s*:\s*\S.*\([^()/]+/[^()]+\)\.?$"
    # (a sentence of its own, the address right after "at": "… for the Courier. Reach her at
    # ann@coast.example"; not "customers who cannot reach them at the branch …")
    r"|^(?:[^.!?]*[.!?]\s+)?(?:reach|contact|e-?mail) (?:him|her|me|the (?:author|writer|"
    r"reporter))(?: at|\s*:) [\w.+-]+@[\w-]+(?:\.[\w-]+)+\b.*",
    re.IGNORECASE,
)
# a row of share buttons on one line ("Share on Facebook Share on Twitter Email"): read word by
# word (`_share_row`), as a pattern of repeated optional parts would backtrack without end on a
# line of many "share"s
_SHARE_WORDS = frozenset({"share", "tweet", "email", "e-mail", "print", "save", "copy", "link"})
_SHARE_TARGETS = frozenset(
    {"on", "via", "facebook", "twitter", "x", "linkedin", "whatsapp", "reddit", "pinterest",
     "telegram", "threads", "bluesky", "messenger", "flipboard", "email", "e-mail"}
)  # fmt: skip
_SHARE_ROW_WORD = re.compile(r"[\w-]+")
_NOT_IN_SHARE_ROW = re.compile(r"[^\w\s|·•,/-]")  # a row holds words and separators only
_FURNITURE_MAX_WORDS = 40
# Where a republished article first ran, a line of its own in a text file (`_republished`):
# "Originally published on The Coastal Courier, March 13, 2024.", "This story originally
# appeared in …", "This article is republished from The Conversation under a Creative Commons
# license. Read the original article." Not "Originally published in 1998, the report found …"
# (a sentence goes on after its comma), nor "This report, first published in 2019, found …".
_REPUBLISHED = re.compile(
    r"^(?:a version of )?this (?:article|story|piece|post|column|interview|essay) (?:was |is "
    r"|has been )?(?:(?:originally|first) (?:published|appeared|ran|posted)|(?:re-?)?published"
    r"|appeared) (?:on|in|by|at|with|from)\b.*"
    r"|^(?:originally|first) (?:published|appeared|ran|posted) (?:on|in|by|at)\b"
    r"(?![^,]*,\s+(?-i:[a-z])).*"
    r"|^read the original (?:article|story|post)\.?$",
    re.IGNORECASE,
)
# The page's prompts to the reader: audio players, "Updated 2 hours ago", newsletter, paywall
# and tip-line prompts, photo credit lines. Written tighter, and checked on shorter lines
# (`_PROMPT_MAX_WORDS`), as their opening words also open sentences ("Sign up for the scheme
# closes on Friday…", "Listen to the story of the captain…").
_PROMPT = re.compile(
    r"^listen to (?:(?:this|the) )?(?:article|story)(?:\s*[·|:-]?\s*\d+(?::\d{2})?\s*"
    r"(?:min(?:ute)?s?)?)?\s*$"
    r"|^(?:updated|published|posted)\s+(?:\d+|an?|one)\s+(?:second|minute|min|hour|day|week)s?"
    r"\s+ago$"
    r"|^(?:sign up|subscribe) (?:for|to) (?:(?:our|the|my|a)\s+)?(?:[\w'’-]+\s+){0,3}"
    r"newsletters?\b.*"
    r"|^(?:subscribe|log in|sign in) to (?:continue|keep) reading\b.*"
    r"|^already an? (?:subscriber|member)\?.*"
    r"|^(?:have|got) a (?:news )?tip\?.*"
    r"|^click here\b.*"  # "Click here to subscribe", "Click here for the full results"
    r"|^(?:photo|image|picture|video|illustration)s?\s*:.*\bcredits?\s*:.*"
    r"|^(?:photo|image)\s+credits?\s*:.*"
    # a cookie notice ("We use cookies to improve your experience. Accept all cookies.")
    # (a bakery's "We use cookies from the market" is news: the site's notice says what for)
    r"|^(?:we|this (?:web)?site) uses? cookies(?:\W*$| (?:to|and similar|on (?:this|our))\b.*)"
    r"|^(?:accept|reject|allow|manage) (?:all )?cookies\W*$",
    re.IGNORECASE,
)
_PROMPT_MAX_WORDS = 16
_COMMENTS_LABEL = re.compile(
    r"^(?:\d+\s+)?(?:comments?|(?:leave|add|post|write) a comment|(?:show|view|read) (?:all )?"
    r"comments)\s*(?:\(\d+\))?\s*:?$",
    re.IGNORECASE,
)
# "Source:" and the same label in the languages whose date lines are read (qa/dates.py)
# a longer "Source: …" line is a sentence of the article ("Source: figures the ministry gave
# the paper in March …"), not the outlet's name
SOURCE_MAX_WORDS = 8
_WEB_ADDRESS = re.compile(r"https?://\S+$", re.IGNORECASE)  # a front matter `source` that is one
_SOURCE = re.compile(
    r"^(?:source|fuente|quelle|fonte|bron|[źz]r[óo]d[łl]o|kilde|k[äa]lla|l[äa]hde|sursa)\s*:\s*"
    r"(.+?)\.?$",
    re.IGNORECASE,
)
_ROLE_WORDS = {
    "reporter", "writer", "correspondent", "editor", "columnist", "contributor",
    "journalist", "producer", "photographer", "intern", "staff",
}  # fmt: skip
_CAP = r"[A-Z][\w.'’-]*"
_PLACE = re.compile(rf"^{_CAP}(?: {_CAP}){{0,2}}, {_CAP}(?: {_CAP}){{0,2}}$")

_DATE_PREFIX = (
    r"^(?:(?:(?:last|originally)\s+)?(?:updated|modified|published|posted|first\s+published|date"
    r"|publication\s+date"
    # the same labels in the languages whose month names are read (qa/dates.py)
    r"|publicado|actualizado|fecha|ver[öo]ffentlicht|aktualisiert|datum|publi[ée]|mis\s+[àa]\s+jour"
    r"|pubblicato|aggiornato|data|gepubliceerd|bijgewerkt|opublikowano|publicat|publicerad"
    r"|julkaistu|опубликовано|обновлено|дата(?:\s+публикации)?|опубліковано|оновлено"
    # Chinese (simplified, traditional), Japanese and Korean labels, before a full-width colon
    r"|发布时间|發布時間|发布日期|發布日期|更新时间|更新時間|时间|時間|日期|公開日|更新日|掲載日"
    r"|配信日|입력|수정|발행일|등록일)(?:\s+(?:on|el|am|le|il|op|den|em))?\s*[:：]?\s*)?"
    r"(?:(?P<weekday>[^\W\d_]{2,12})\.?,?\s+)?"  # "Monday, ", "lunes, ": a weekday's name
)
# a time of day before the date, as AP writes it: "Updated 5:35 AM EDT, Oct 21, 2024"
_TIME_FIRST = (  # the zone in capitals only ("EDT", "E.T."), so "10.45 The …" is no time
    r"(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+(?-i:[A-Z]{1,4}\.?(?:[A-Z]\.?)?))?,?\s+)?"
)
_MON = r"(?P<mon>[^\W\d_]{3,12})\.?"  # a month's name, in English or another language
_DAY, _YEAR, _REST = r"(?P<day>\d{1,2})", r"(?P<year>\d{4})", r"(?P<rest>.*)$"
# a year's word after it (qa/dates.py: YEAR_WORDS), "г." or "года" in Russian, "р." in Ukrainian
_YEAR_WORD = r"(?:\s+(?:г|р)\.?|\s+(?:года|год|року))?(?!\w)"
_DATE_FORMS = [
    re.compile(_DATE_PREFIX + _TIME_FIRST + body + _REST, re.IGNORECASE)
    for body in (
        rf"{_MON}\s+{_DAY},?\s+{_YEAR}",  # Oct. 21, 2024
        rf"{_DAY}\.?\s+(?:de\s+)?{_MON},?\s+(?:de\s+)?{_YEAR}{_YEAR_WORD}",  # 21 October
        # 2024, 8 de septiembre de 2025, 12. August 2025, 19 июня 2024 г.
        r"(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})",  # 2024-10-21
        # 2024年6月19日 (Chinese, Japanese), 2024년 6월 19일 (Korean)
        r"(?P<year>\d{4})\s*[年년]\s*(?P<mon>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})\s*[日일号號]",
    )
]
# day and month in figures ("Published: 14/03/2024", "14.03.2024", "03/14/2024"): read only when
# one reading is possible (qa/dates.py: "03/04/2024" could be either and stays in the text)
_NUMERIC_DATE = re.compile(
    _DATE_PREFIX + r"(?P<numeric>\d{1,2}[./]\d{1,2}[./]\d{4})" + _REST, re.IGNORECASE
)
# After the date only a time of day may follow, e.g. ", 5:35 a.m. E.T." or "at 14:20 GMT".
_TIME_REST = re.compile(
    # seconds too ("09:15:00"), after a dash ("Sun, 03/03/2024 - 14:22", as Drupal writes it)
    r"^(?:(?:[\s,|]|\s[-–—])*(?:at\s+)?\d{1,2}(?:[:.]\d{2}){0,2}\s*(?:[ap]\.?m\.?)?"
    r"[\sA-Z.]{0,12}"
    r"(?:(?<=GMT|UTC)[+-]\d{1,2}(?::?\d{2})?)?)?$"  # an offset after GMT or UTC: "GMT+2"
    # an ISO 8601 time after its date ("2024-03-03T09:15:00Z", "…T09:15:00.000+01:00")
    r"|^T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
)

_CLOSING_MARKS = "”\"’'»)]"  # what may close a sentence after its full stop
_CLOSERS = _CLOSING_MARKS.replace("]", "\\]")  # the same, escaped for character classes
_TERMINAL = re.compile(rf"[.!?:;…][{_CLOSERS}]*$")  # a sentence or clause really ends here
_COMPLETE_END = re.compile(rf"[.!?:;…{_CLOSERS}]$")  # rule 8: such a paragraph is complete
_SENTENCE_END = re.compile(rf"\.[{_CLOSERS}]*$")  # rule 4: a headline does not end so
_INITIALISM = re.compile(r"(?:\b[A-Za-z]\.){2,}$")  # U.S., U.N., D.C.
_TITLE_ABBREVS = {"mr", "mrs", "ms", "dr", "st", "sen", "rep", "gov", "gen", "lt", "col",
                  "capt", "sgt", "prof", "rev", "mt", "ft"}  # fmt: skip
_DANGLING = {"the", "a", "an", "of", "in", "to", "and", "or", "for", "with", "by", "at",
             "on", "from", "that", "as", "its", "his", "her", "their"}  # fmt: skip
# Capitalised words that usually open a new sentence (so "... the U.S." + "But ..." stays split).
_OPENERS = {
    "The", "But", "And", "However", "He", "She", "It", "They", "We", "I", "In", "On", "At", "A",
    "An", "This", "That", "These", "Those", "There", "His", "Her", "Their", "Its", "After",
    "Before", "When", "While", "If", "As", "Although", "Meanwhile", "Still", "Yet", "So", "Mr",
    "Ms", "Mrs", "Dr", "Our", "My", "You", "Your", "For", "With", "Since", "Because", "Then",
    "Now", "Also", "Some", "Many", "Most", "One", "No", "Not", "Of", "To", "By", "From", "Under",
    "During", "Despite", "Last", "Earlier", "Later", "Today", "Yesterday", "Such", "Both", "All",
    "Each", "Other", "What", "Who", "Why", "How", "Where", "Which", "Instead", "Even", "Only",
    "Here", "Thus", "Or", "Once", "Until", "Unlike", "Like", "Given", "According", "Separately",
    "Furthermore", "Moreover", "Indeed", "Nevertheless", "Nonetheless", "Overall", "Finally",
}  # fmt: skip
_OPEN_QUOTES = "“\"‘'«("
ADDRESS_LINE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)  # a link's line: no sentence
# a line of a list ("- item", "* item", "• item", "1. item", "1) item") or of a table
# ("| Item | 2024 |", as Markdown writes one and qa/markdown_text.py reads it)
_LIST_LINE = re.compile(r"^(?:[-*•]|\d{1,3}[.)])\s+\S|^\|.*\S.*\|$")
_LIST_MARKER = re.compile(r"^(?:[-*•]|\d{1,3}[.)]|\|)\s*")
# an item longer than this is a paragraph of its own (a briefing's "3. The 30-year-old man
# charged…"), not gathered with the others
_LIST_ITEM_WORDS = 30
# rule 9: lines that end a sentence ("…said.", "…she said.”"), and how many of a text's
# wrapped lines must, of at least how many, for them to be paragraphs rather than a margin's
_SENTENCE_ENDS_LINE = re.compile(rf"[.!?…][{_CLOSERS}]*$")
_ENDING_SHARE = 0.8
_LINES_TO_TELL = 3
_HEADLINE_UNDER_KICKER = 4


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


@dataclass
class _Meta:
    """Metadata captured while boilerplate lines are dropped."""

    source: str | None = None
    date: str | None = None
    author: str | None = None
    agency: str | None = None  # a news agency after the byline's names: the source, after a
    # "Source:" line


# --- small helpers ------------------------------------------------------------------------


def _first_word(text: str) -> str:
    words = text.lstrip(_OPEN_QUOTES).split()
    return words[0].rstrip(".,;:") if words else ""


def _starts_upper(text: str) -> bool:
    """Uppercase start, looking past an opening quote (quotes often open a paragraph)."""
    stripped = text.lstrip(_OPEN_QUOTES)
    return bool(stripped) and stripped[0].isupper()


def _ends_with_abbreviation(text: str) -> bool:
    """True when the last word is an abbreviation like "U.S." or "Dr." (not a sentence end)."""
    words = text.split()
    if not words:
        return False
    last = words[-1]
    return bool(_INITIALISM.search(last)) or (
        last.endswith(".") and last[:-1].lower() in _TITLE_ABBREVS
    )


def _is_heading_like(text: str) -> bool:
    """Short line with no sentence punctuation: a section heading, not body text."""
    words = text.split()
    if not words or len(words) > 8 or re.search(r"[,;]", text) or text[0].islower():
        return False
    if words[-1].lower() in _DANGLING:  # a heading never ends on "the"/"of": it is a fragment
        return False
    if not _TERMINAL.search(text):
        return True
    # "Ties With the U.S." is a heading; "It was found by Dr." is a sentence fragment.
    capitalised = sum(1 for w in words if w[0].isupper())
    return _ends_with_abbreviation(text) and capitalised >= 0.6 * len(words)


def _is_title_like(text: str) -> bool:
    """Headline: at most 20 words, capitalised, not ending like a sentence or clause; the full
    stop of an initialism it ends on ends no sentence ("Sierra Nevada (U.S.)", "Talks resume
    in Washington, D.C."), while a title's "Dr." leaves a sentence unfinished ("It was found
    by Dr." is the first line of a paragraph broken in two)."""
    words = text.split()
    if not 0 < len(words) <= 20 or not (_starts_upper(text) or text[0].isdigit()):
        return False
    if _INITIALISM.search(words[-1].rstrip(_CLOSING_MARKS)):
        return True
    return not re.search(rf"[.,;:…][{_CLOSERS}]*$", text)


def _parse_date(line: str) -> str | None:
    """ISO date of a line that holds only a (publication/update) date, else None."""
    for form in _DATE_FORMS:
        m = form.match(line)
        if not m or not _TIME_REST.match(m["rest"]):
            continue
        if m["weekday"] is not None and not is_weekday_name(m["weekday"]):
            continue  # "Madrid, 8 de septiembre de 2025" is a dateline with a place, not a date
        # the line's shape is checked above; the date itself is read by dateutil, or a month's
        # name in another language by the calendar's own words (qa/dates.py)
        mon, day, year = m["mon"], m["day"], m["year"]
        numeric = f"{year}-{int(mon):02d}-{int(day):02d}" if mon.isdigit() else None
        parsed = parse_date(numeric or f"{day} {mon} {year}")
        if parsed is None and not mon.isdigit() and (number := month_number(mon)) is not None:
            parsed = parse_date(f"{year}-{number:02d}-{int(day):02d}")
        if parsed is not None:
            return parsed.isoformat()
    numeric = _numeric_dateline(line)
    if numeric is not None:
        parsed = parse_date(numeric)
        return parsed.isoformat() if parsed is not None else None
    return None


def _numeric_dateline(line: str) -> str | None:
    """The date in figures of a line that holds only one ("Published: 14/03/2024"), else None."""
    numeric = _NUMERIC_DATE.match(line)
    return numeric["numeric"] if numeric and _TIME_REST.match(numeric["rest"]) else None


def _front_matter_date(value: str | None) -> str | None:
    """A front matter date ("2024-11-02", "2024-11-02T10:00:00Z", "Nov 2, 2024") as the ISO
    date a date line gives (qa/dates.py reads it as it reads an archive record's); None when
    it is no full calendar date."""
    parsed = parse_date(value) if value else None
    return parsed.isoformat() if parsed is not None else None


def unread_dateline(paragraph: str) -> bool:
    """Whether `paragraph` is a date line in figures that has no one reading as a date
    ("Published: 03/04/2024": the 3rd of April or the 4th of March): the cleaner keeps it as
    text and the article stays undated, which the index build says."""
    numeric = _numeric_dateline(paragraph)
    return numeric is not None and parse_date(numeric) is None


# --- rules on raw blocks ------------------------------------------------------------------


def _characters(raw: str) -> str:
    """Rule 10, the characters: newlines unified, control characters removed (trafilatura's
    helper); a zero-width space goes too, or becomes a space where it stood between two words
    (`without_zero_width_spaces`). A C1 control character is first read as the Windows-1252
    character it stands for (`c1_controls_as_cp1252`: "port\x92s" is "port’s"), as in text a
    client sends."""
    unified = c1_controls_as_cp1252(raw.replace("\r\n", "\n").replace("\r", "\n"))
    return remove_control_characters(without_zero_width_spaces(unified))


def _normalise(text: str) -> list[Block]:
    """Rule 10: split `_characters`' text into blocks of stripped lines.

    trafilatura's `trim` does the spaces: invisible characters (zero-width joiners, byte-order
    marks, soft hyphens) go, and every run of white space (non-breaking and thin spaces too)
    becomes one space.
    """
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [trim(line) for line in chunk.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            blocks.append(lines)
    return blocks


def _is_icon_block(block: Block) -> bool:
    """Rule 1: share-button sprites describe themselves ("Email An icon of an envelope.")."""
    text = " ".join(block)
    mentions = len(_ICON.findall(text))
    sentences = max(1, len(re.findall(r"[.!?](?:\s|$)", text)))
    # Prose about (religious or cultural) icons rarely says "an icon" three times over.
    return len(_AN_ICON.findall(text)) >= 3 and mentions / sentences >= 0.4


def _is_caption_block(block: Block) -> bool:
    """Rule 3: a block ending in a parenthesised photo credit naming an agency is a caption.

    A bare "(AP)" after a full story is a wire attribution, not a photo credit, so the credit
    must name someone besides the agency ("Name/AP", "Agency via AP"); long blocks are body.
    """
    text = " ".join(block)
    m = _TRAILING_PAREN.search(text)
    if not m or len(text.split()) > 80:
        return False
    credit = m.group(1)
    multi_part = "/" in credit or len(credit.split()) > 1
    return multi_part and len(credit.split()) <= 12 and bool(_AGENCY.search(credit))


def _is_copyright_credit(line: str) -> bool:
    """Rule 3: "©" followed by a short name tail is a photo credit, wherever it is glued on."""
    return "©" in line and len(line.rsplit("©", 1)[1].split()) <= 10


def _drop_line(line: str, meta: _Meta) -> bool:
    """Rules 2-5: True for one-line boilerplate; captures source and date on the way."""
    if (m := _SOURCE.match(line)) and len(m.group(1).split()) <= SOURCE_MAX_WORDS:
        meta.source = meta.source or m.group(1).strip()
        return True
    if (date := _parse_date(line)) is not None:
        meta.date = meta.date or date
        return True
    words = len(line.split())
    return bool(
        _IMAGE_FILE.match(line)
        or _is_copyright_credit(line)
        or _LINK_RESIDUE.search(line)
        or _SHARE.match(line)
        or RE_FILTER.match(line)  # trafilatura's list of share-button labels ("Facebook", "Print")
        or _CREDIT_LINE.match(line)
        or (words <= _FURNITURE_MAX_WORDS and bool(_FURNITURE.match(line)))
        or _share_row(line)
        or (words <= _PROMPT_MAX_WORDS and bool(_PROMPT.match(line)))
        or _byline(line, meta)
        or _metadata_line(line, meta)
    )


def _share_row(line: str) -> bool:
    """A line of share buttons only, two or more ("Share on Facebook | Share on X | Email"): its
    words are share words and the places shared to, with separators between."""
    words = _SHARE_ROW_WORD.findall(line.lower())
    if not 2 <= len(words) <= _FURNITURE_MAX_WORDS or _NOT_IN_SHARE_ROW.search(line):
        return False
    if not all(w in _SHARE_WORDS or w in _SHARE_TARGETS for w in words):
        return False
    buttons = sum(w in _SHARE_WORDS for w in words)
    return buttons >= 2 or (buttons == 1 and len(words) >= 3 and words[0] != "share")


def _byline(line: str, meta: _Meta) -> bool:
    """Rule 3: a byline ("by Jane Doe and Li Wei", "By Reuters staff", "By: Eva Lund") is
    dropped; the first one is the author, stored as every author is (`qa.authors.author_name`:
    "By By Eva Lund", the file of an author sent with its "By", gives "Eva Lund"; "Marta
    Kowalski, Staff Reporter" gives "Marta Kowalski"); a news agency after the names ("By Eva
    Lund, Reuters") is the source when no "Source:" line names one."""
    found = _BYLINE.match(line)
    if found is None or len(line.split()) > 10:
        return False
    names = _without_trailing_roles(found["names"].split())
    if not names or not all(w[0].isupper() or w in _PARTICLES for w in names):
        return False  # "by the river", "by then": not a name
    if found["by"].lower() in _FOREIGN_BY and len(found["names"].split()) < 2:
        return False  # "Di Maio", "Von Braun": a name of two words, not a byline
    if len(names) == 1 and (is_weekday_name(names[0]) or month_number(names[0]) is not None):
        return False  # "By Friday", "By March": a time, not a name
    people, agency = wire_agency(found["names"].strip(" ,;"))
    if meta.author is None:  # "By Eva Lund, Reuters": Reuters' story, unless "Source:" says
        meta.agency = agency
    meta.author = meta.author or author_name(people)
    return True


def _metadata_line(line: str, meta: _Meta) -> bool:
    """Rule 3: a line of parts set apart by `|`, `·` or `•`, each a byline, a date line, a
    source line or other furniture ("By Eva Lund | Published: March 3, 2024 | Source: Reuters",
    "By Eva Lund · 3 min read"), or a byline and its date ("By Eva Lund, March 3, 2024",
    "Posted by Eva Lund on March 3, 2024"): dropped, each part read as it is on a line of its
    own. A part of anything else (a name without "By": "Eva Lund | March 3, 2024"), or no
    byline among them (two dates: a range), keeps the line as text."""
    if len(line.split()) > _METADATA_LINE_WORDS:
        return False
    parts = _PARTS.split(line)
    if len(parts) > 1:
        # each part as a line of its own (a reading time beside a byline is furniture too),
        # a byline among them ("29 November 2018 | 20 January 2019" is a range: text)
        scratch = _Meta()
        if not all(_drop_line(part, scratch) for part in parts) or scratch.author is None:
            return False
        for part in parts:
            _drop_line(part, meta)
        return True
    return _byline_and_date(line, meta)


def _byline_and_date(line: str, meta: _Meta) -> bool:
    """A byline, then its date after a comma, "on" or a dash ("By Eva Lund, March 3, 2024")."""
    for found in _BEFORE_DATE.finditer(line):
        date = _parse_date(line[found.end() :])
        if date is not None and _byline(line[: found.start()], _Meta()):
            _byline(line[: found.start()], meta)
            meta.date = meta.date or date
            return True
    return False


def _without_trailing_roles(words: list[str]) -> list[str]:
    """A byline's words without the role words in lower case that end it ("Reuters staff",
    "Science X staff writer"): a desk or an agency's staff is an author as a person is."""
    while words and words[-1] in _ROLE_WORDS:
        words = words[:-1]
    return words


def _filter_lines(blocks: list[Block], meta: _Meta) -> list[Block]:
    """Apply the line rules inside each block, and drop repeated identical lines."""
    kept: list[Block] = []
    for block in blocks:
        lines: Block = []
        for line in block:
            if not _drop_line(line, meta) and (not lines or lines[-1] != line):
                lines.append(line)
        if lines:
            kept.append(lines)
    return kept


def _republished(blocks: list[Block]) -> list[Block]:
    """A text's lines without those saying where a republished article first ran
    (`_REPUBLISHED`). Not applied to a saved page's paragraphs: the benchmark's hand-made
    bodies keep such a line ("Originally published on Live Science."), so there it is text."""
    kept = [[line for line in b if len(line.split()) > _FURNITURE_MAX_WORDS
             or not _REPUBLISHED.match(line)] for b in blocks]  # fmt: skip
    return [b for b in kept if b]


def _drop_related_sections(blocks: list[Block]) -> list[Block]:
    """Rule 4: drop a "Related stories" header and the link titles after it.

    Link titles are short and unpunctuated, so dropping stops at the first block that
    ends like a sentence or is too long to be a link.
    """
    kept: list[Block] = []
    in_section = False
    for block in blocks:
        text = " ".join(block)
        if len(block) == 1 and _RELATED_HEADER.match(text) and _related_line_length(text):
            in_section = True
            continue
        if len(block) > 1 and _RELATED_HEADER.match(block[0]) and _related_line_length(block[0]):
            # the header and its link titles on lines of one block ("Most popular\nFerry
            # fares frozen\nLifeboat crew rescue kayaker", as a page saved as text has them)
            rest = block[1:]
            while rest and _link_title(rest[0]):
                rest = rest[1:]
            in_section = not rest
            if rest:
                kept.append(rest)
            continue
        if in_section and _link_title(text):
            continue
        in_section = False
        kept.append(block)
    return kept


def _link_title(text: str) -> bool:
    """Rule 4: short and not ending like a sentence, as a related story's linked headline."""
    return len(text.split()) <= 20 and not re.search(r"\.[”\"’']?$", text)


def _related_line_length(text: str) -> bool:
    """A related-story header is short; one that carries its linked headline ("Read more:
    <headline>", "Also on example.com <headline>") may be as long as a headline, which does not
    end like a sentence."""
    words = len(text.split())
    if words <= _RELATED_MAX_WORDS:
        return True
    with_headline = _RELATED_WITH_HEADLINE.match(text) is not None
    return with_headline and words <= _HEADLINE_MAX_WORDS and not _SENTENCE_END.search(text)


def _is_soft_wrapped(blocks: list[Block]) -> bool:
    """Rule 9: a document is soft-wrapped when most real paragraphs span short lines. A list's
    or a table's lines are short by nature and say nothing of the wrapping: left out. Short
    lines that nearly all end a sentence are a paragraph each, not a wrapped paragraph (an
    export's text of short paragraphs a line each, one line break between them: "No one was
    hurt, the fire service said.\nCrews fought the blaze for four hours."), as text wrapped
    at a margin ends a sentence at a line's end only now and then."""
    blocks = [[line for line in b if not _LIST_LINE.match(line)] for b in blocks]
    substantial = [b for b in blocks if len(" ".join(b).split()) >= 8]
    wrapped = [line for b in substantial if len(b) > 1 for line in b[:-1]]
    multi = sum(1 for b in substantial if len(b) > 1)
    if not substantial or multi * 2 <= len(substantial):
        return False
    ending = sum(1 for line in wrapped if _SENTENCE_ENDS_LINE.search(line))
    if len(wrapped) >= _LINES_TO_TELL and ending >= _ENDING_SHARE * len(wrapped):
        return False
    lengths = sorted(len(line) for line in wrapped)
    return lengths[len(lengths) // 2] <= 120


def _join_lines(block: Block, soft: bool) -> list[str]:
    """Rule 9: turn a block's lines into one or more paragraphs. A list item or a table row
    starts one, soft-wrapped or not (`_gather_lists` puts them together again)."""
    paragraphs = [block[0]]
    for line in block[1:]:
        prev = paragraphs[-1]
        if _LIST_LINE.match(line):
            paragraphs.append(line)
        elif prev[-1] == "-" and prev[-2:-1].isalpha() and line[0].islower():
            paragraphs[-1] = prev + line  # "well-\nknown": a hyphenated word split at the margin
        elif soft:
            paragraphs[-1] = f"{prev} {line}"
        elif line[0].islower():
            # a sentence going on; one-line-per-paragraph text broken inside a word ("a bi\nll")
            # is mended, one broken between words ("the minister said\nthat") keeps its space
            glue = "" if splits_a_word(prev, line) else " "
            paragraphs[-1] = prev + glue + line
        else:
            paragraphs.append(line)  # separate lines in such text are separate paragraphs
    return paragraphs


# --- rules on paragraphs ------------------------------------------------------------------


def _gather_lists(paragraphs: list[str]) -> list[str]:
    """Rule 11: a run of list items or table rows is one paragraph, a line each, with the line
    that leads into it when that ends in a colon ("The new service at a glance:"). Its items
    are short and unpunctuated, so one by one they read as headings (rule 7) or fragments; as
    one paragraph, the citation of an item carries what it is an item of, and each line
    still reads as a sentence of its own (qa/sentences.py ends one at a line break). An item
    of more than `_LIST_ITEM_WORDS` words is a paragraph of its own."""
    gathered: list[str] = []
    in_list = False
    for p in paragraphs:
        item = _LIST_LINE.match(p) is not None and len(p.split()) <= _LIST_ITEM_WORDS
        lead_in = bool(gathered) and "\n" not in gathered[-1] and gathered[-1].endswith(":")
        if item and (in_list or lead_in):
            gathered[-1] = f"{gathered[-1]}\n{p}"
        else:
            gathered.append(p)
        in_list = item
    return gathered


def _take_title(paragraphs: list[str]) -> tuple[str | None, list[str]]:
    """Rule 6: the first paragraph is the title when it reads as a headline (a list never
    does); drop repeats. A kicker above the headline (a section's label of one or two words,
    "POLITICS", "Local news") is dropped, and the headline under it is the title."""
    if len(paragraphs) > 1 and _is_kicker(paragraphs[0], paragraphs[1]):
        paragraphs = paragraphs[1:]
    if not paragraphs or "\n" in paragraphs[0] or not _is_title_like(paragraphs[0]):
        return None, paragraphs
    title = paragraphs[0]
    key = title.casefold()
    return title, [p for p in paragraphs[1:] if p.casefold() != key]


def _is_kicker(first: str, second: str) -> bool:
    """A section's label above the headline: one or two words that do not end a sentence,
    then a headline of at least `_HEADLINE_UNDER_KICKER` words (a headline of two words,
    "Obituary" and a sentence under it, is the title still)."""
    words = first.split()
    return (
        0 < len(words) <= 2
        and "\n" not in first + second
        and _is_title_like(first)
        and _is_title_like(second)
        and len(second.split()) >= _HEADLINE_UNDER_KICKER
    )


def _drop_dateline_place(paragraphs: list[str]) -> list[str]:
    """Rule 5: a bare "City, Country" line in the header region (before the body) is a dateline."""
    kept: list[str] = []
    in_header = True
    for p in paragraphs:
        if in_header and _PLACE.match(p) and len(p.split()) <= 5:
            continue
        in_header = in_header and not _TERMINAL.search(p)
        kept.append(p)
    return kept


def _drop_trailing_roles(paragraphs: list[str]) -> list[str]:
    """Rule 5: author role lines ("Staff Writer") trail the body; drop them from the end."""
    while paragraphs:
        words = paragraphs[-1].split()
        if len(words) > 4 or words[-1].lower() not in _ROLE_WORDS:
            break
        paragraphs = paragraphs[:-1]
    return paragraphs


def _drop_trailing_comment_labels(paragraphs: list[str]) -> list[str]:
    """Rule 5: a comments section's label ("Comments", "12 comments", "Leave a comment") left
    after the article by its comment widget is dropped from the end; never mid-text."""
    while paragraphs and _COMMENTS_LABEL.match(paragraphs[-1]):
        paragraphs = paragraphs[:-1]
    return paragraphs


def _continues(a: str, b: str) -> bool:
    """Rule 8: does paragraph b continue the sentence that paragraph a leaves unfinished?"""
    if b[0].islower():
        return _ends_with_abbreviation(a) or not _COMPLETE_END.search(a)
    if not _starts_upper(b) or b[0] in _OPEN_QUOTES:
        return False  # a quotation opens a new paragraph, never continues one
    if _ends_with_abbreviation(a):
        if CLOCK_END.search(a):  # "at 3 a.m." ends a sentence unless "Monday"/"EDT" goes on
            return goes_on_after_clock(b)
        return not _is_heading_like(a) and _first_word(b) not in _OPENERS
    last = a.split()[-1].lower()
    return last in _DANGLING and len(a.split()) > 1  # "... talks in" + "Geneva on Monday"


def continues_sentence(line: str, after: str) -> bool:
    """Whether `after` goes on with the sentence `line` leaves unfinished (rule 8's test): it
    opens in lower case after a line that does not end a sentence ("… journeys between" +
    "the town centre …"), or goes on after a dangling word or a title's abbreviation ("… talks
    in" + "Geneva on Monday", "Dr." + "Ruth Adeyemi"). For a saved page's line breaks (`<br>`)
    inside a paragraph (qa/extraction.py), where a line that reads as a heading or a label
    ("About my6sense", "Flos Showroom") is left on its own line, whatever follows it."""
    if not line or not after or _is_heading_like(line) or ADDRESS_LINE.match(after):
        return False
    return _continues(line, after)


def _join_broken_paragraphs(paragraphs: list[str]) -> list[str]:
    """Rule 8: rejoin sentences split across paragraphs."""
    joined: list[str] = []
    for p in paragraphs:
        if joined and _continues(joined[-1], p):
            joined[-1] = f"{joined[-1]} {p}"
        else:
            joined.append(p)
    return joined


def _drop_subheadings(paragraphs: list[str]) -> list[str]:
    """Rule 7: a heading-like line followed by a capitalised paragraph is a section heading.

    The first paragraph is spared: right under the title it is a dek, and a section
    heading always has body text above it. A list or a table (`_gather_lists`) is content,
    however short its lines; a heading above one is still a heading.
    """
    return [
        p
        for i, p in enumerate(paragraphs)
        if not (
            0 < i < len(paragraphs) - 1
            and "\n" not in p
            and not _LIST_LINE.match(p)
            and _is_heading_like(p)
            and _starts_upper(_LIST_MARKER.sub("", paragraphs[i + 1]))
        )
    ]


def _dedupe(paragraphs: list[str]) -> list[str]:
    """Repeated identical paragraphs (scraped twice) are kept once."""
    return [p for i, p in enumerate(paragraphs) if i == 0 or p != paragraphs[i - 1]]


# --- pipeline -----------------------------------------------------------------------------


def clean_paragraphs(paragraphs: list[str], *, title: str | None = None) -> CleanedArticle:
    """The boilerplate rules for text an HTML extractor has already split into paragraphs.

    The line and block rules apply (icons, captions, credits, bylines, share labels, source and
    date lines, related-story sections, dateline places, trailing roles, repeats); a line of a
    paragraph is a line here. The layout repairs (soft wraps, split sentences, headings told
    by their shape) do not: the page's markup already said where paragraphs and headings are.
    `title` comes from the page's metadata; a paragraph repeating it is dropped.
    """
    meta = _Meta()
    blocks = [[line.strip() for line in p.split("\n") if line.strip()] for p in paragraphs]
    blocks = [b for b in blocks if b and not _is_icon_block(b) and not _is_caption_block(b)]
    blocks = _drop_related_sections(_filter_lines(blocks, meta))
    kept = ["\n".join(b) for b in blocks]
    if title:
        kept = [p for p in kept if p.casefold() != title.casefold()]
    kept = _dedupe(_drop_trailing_comment_labels(_drop_trailing_roles(_drop_dateline_place(kept))))
    return CleanedArticle(
        title=title,
        source=meta.source or meta.agency,
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
    meta = _Meta()
    block, text = split_front_matter(_characters(raw))
    front = read_front_matter(block) if block else None
    read = read_markdown(text, declared=markdown or front is not None)
    labelled, blocks = _labelled_title(_normalise(text if read is None else read.text))
    if labelled is None and front is not None and front.title:
        labelled = trim(front.title)  # as a "Title:" line is, over a `# heading`
    if labelled is None and read is not None and read.title:
        labelled = trim(read.title)
    blocks = [b for b in blocks if not _is_icon_block(b) and not _is_caption_block(b)]
    blocks = _republished(_filter_lines(blocks, meta))
    url = None
    if front is not None:
        meta.author = meta.author or front.author
        meta.date = meta.date or _front_matter_date(front.date)
        url, source = _front_matter_address(front)
        meta.source = meta.source or source
    blocks = _drop_related_sections(blocks)
    soft = _is_soft_wrapped(blocks)
    paragraphs = _gather_lists([p for b in blocks for p in _join_lines(b, soft)])
    if labelled is None:
        title, paragraphs = _take_title(paragraphs)
    else:
        title = labelled
        paragraphs = [p for p in paragraphs if p.casefold() != labelled.casefold()]
    paragraphs = _drop_dateline_place(paragraphs)
    paragraphs = _drop_trailing_comment_labels(_drop_trailing_roles(paragraphs))
    paragraphs = _join_broken_paragraphs(paragraphs)
    paragraphs = _drop_subheadings(paragraphs)
    paragraphs = _dedupe(["\n".join(trim(line) for line in p.split("\n")) for p in paragraphs])
    return CleanedArticle(
        title=title,
        source=meta.source or meta.agency,
        date=meta.date,
        paragraphs=[p for p in paragraphs if p],
        author=meta.author,
        url=url,
    )
