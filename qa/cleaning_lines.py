"""The cleaner's rules on one line (qa/cleaning.py runs them on each line of a block, or of a
page's paragraph): site furniture, prompts, credits, share rows and notes of where an article
was republished are dropped (rules 2-5), and so are a byline, a source line and a date line,
whose author, source and date are kept as the article's (`LineMeta`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from trafilatura.utils import RE_FILTER

from qa.authors import author_name, outlet_after_job_title, paper_after_names, wire_agency
from qa.cleaning_patterns import CLOSERS, KICKER_MAX_WORDS, ROLE_WORDS, Block
from qa.datelines import parse_date_line
from qa.dates import is_weekday_name, month_number
from qa.outlets import SOURCE_MAX_WORDS, paper_name

_IMAGE_FILE = re.compile(r"^\S+(?: \S+){0,2}\.(?:jpe?g|png|gif|webp)$", re.IGNORECASE)
_LINK_RESIDUE = re.compile(r"opens? (?:in )?(?:a )?new (?:window|tab)\s*\]?$", re.IGNORECASE)
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
# Where a republished article first ran, a line of its own in a text file (`republished`):
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
# "Source:" and the same label in the languages whose date lines are read (qa/dates.py), before
# a name of `SOURCE_MAX_WORDS` at the most
_SOURCE = re.compile(
    r"^(?:source|fuente|quelle|fonte|bron|[źz]r[óo]d[łl]o|kilde|k[äa]lla|l[äa]hde|sursa)\s*:\s*"
    r"(.+?)\.?$",
    re.IGNORECASE,
)


@dataclass
class LineMeta:
    """Metadata captured while boilerplate lines are dropped."""

    source: str | None = None
    date: str | None = None
    author: str | None = None
    agency: str | None = None  # a news agency after the byline's names: the source, after a
    # "Source:" line
    masthead: str | None = None  # the paper's name on a line beside the byline: the source,
    # after those two


def _is_copyright_credit(line: str) -> bool:
    """Rule 3: "©" followed by a short name tail is a photo credit, wherever it is glued on."""
    return "©" in line and len(line.rsplit("©", 1)[1].split()) <= 10


def _drop_line(line: str, meta: LineMeta) -> bool:
    """Rules 2-5: True for one-line boilerplate; captures source and date on the way."""
    if (m := _SOURCE.match(line)) and len(m.group(1).split()) <= SOURCE_MAX_WORDS:
        meta.source = meta.source or m.group(1).strip()
        return True
    if (date := parse_date_line(line)) is not None:
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


def _byline(line: str, meta: LineMeta) -> bool:
    """Rule 3: a byline ("by Jane Doe and Li Wei", "By Reuters staff", "By: Eva Lund") is
    dropped; the first one is the author, stored as every author is (`qa.authors.author_name`:
    "By By Eva Lund", the file of an author sent with its "By", gives "Eva Lund"; "Marta
    Kowalski, Staff Reporter" gives "Marta Kowalski"); a news agency after the names ("By Eva
    Lund, Reuters"), or an outlet after a job title ("By Naomi Fielding, Science Editor, The
    Lowland Herald"), is the source when no "Source:" line names one."""
    found = _BYLINE.match(line)
    if found is None or len(line.split()) > 10:
        return False
    people, agency = wire_agency(found["names"].strip(" ,;"))
    outlet = outlet_after_job_title(people) or paper_after_names(people)[1]
    # an outlet's words are an outlet's name's (qa/outlets.py: "The Times of London"), the
    # rest a person's
    named = people.removesuffix(outlet) if outlet else found["names"]
    names = _without_trailing_roles(named.split())
    if not names or not all(w[0].isupper() or w in _PARTICLES for w in names):
        return False  # "by the river", "by then": not a name
    if found["by"].lower() in _FOREIGN_BY and len(found["names"].split()) < 2:
        return False  # "Di Maio", "Von Braun": a name of two words, not a byline
    first = names[0].strip(",;")
    if len(names) == 1 and (is_weekday_name(first) or month_number(first) is not None):
        return False  # "By Friday", "By March, The Herald": a time, not a name
    if meta.author is None:  # "By Eva Lund, Reuters": Reuters' story, unless "Source:" says;
        # so is the paper named after a job title ("By Ana Cruz, Staff Writer, Harbour Times")
        # or after the names ("By Rhys Morgan, Dale Valley Gazette")
        meta.agency = agency or outlet
    meta.author = meta.author or author_name(people)
    return True


def _metadata_line(line: str, meta: LineMeta) -> bool:
    """Rule 3: a line of parts set apart by `|`, `·` or `•`, each a byline, a date line, a
    source line or other furniture ("By Eva Lund | Published: March 3, 2024 | Source: Reuters",
    "By Eva Lund · 3 min read", "By Eva Lund | Harbour Times | March 3, 2024": a paper's name
    beside the byline is the source unless a "Source:" line or the byline names one), or a
    byline and its date ("By Eva Lund, March 3, 2024", "Posted by Eva Lund on March 3, 2024"):
    dropped, each part read as it is on a line of its own. A part of anything else (a name
    without "By": "Eva Lund | March 3, 2024"), or no byline among them (two dates: a range),
    keeps the line as text."""
    if len(line.split()) > _METADATA_LINE_WORDS:
        return False
    parts = _PARTS.split(line)
    if len(parts) > 1:
        # each part as a line of its own (a reading time beside a byline is furniture too),
        # a byline among them ("29 November 2018 | 20 January 2019" is a range: text)
        # a paper's name among them is the masthead, as on a line of its own beside the byline
        # ("By Hannah Okafor | Marlow Evening Post | March 14, 2025")
        scratch = LineMeta()
        if (
            not all(_drop_line(part, scratch) or paper_name(part) for part in parts)
            or scratch.author is None
        ):
            return False
        for part in parts:
            if not _drop_line(part, meta):
                meta.masthead = meta.masthead or part
        return True
    return _byline_and_date(line, meta)


def _byline_and_date(line: str, meta: LineMeta) -> bool:
    """A byline, then its date after a comma, "on" or a dash ("By Eva Lund, March 3, 2024")."""
    for found in _BEFORE_DATE.finditer(line):
        date = parse_date_line(line[found.end() :])
        if date is not None and _byline(line[: found.start()], LineMeta()):
            _byline(line[: found.start()], meta)
            meta.date = meta.date or date
            return True
    return False


def _without_trailing_roles(words: list[str]) -> list[str]:
    """A byline's words without the role words in lower case that end it ("Reuters staff",
    "Science X staff writer"): a desk or an agency's staff is an author as a person is."""
    while words and words[-1] in ROLE_WORDS:
        words = words[:-1]
    return words


# a paper's name, then its date on the same line ("Northgate Chronicle, 10 September 2025",
# "The Lowland Herald | Wednesday, 10 September 2025"), as a text copied from a paper's page
# writes it under the headline or beside the byline: `_paper_and_date`
_BEFORE_PAPERS_DATE = re.compile(r",\s+|\s+[|·•—–-]\s+")
_SENTENCE_END = re.compile(rf"[.!?…][{CLOSERS}]*$")  # a line of the text's body ends so


def _paper_and_date(line: str, meta: LineMeta) -> bool:
    """A line of a paper's name (`qa.outlets.paper_name`) and a date line after a comma, a bar
    or a dash ("Northgate Chronicle, 10 September 2025"): its date is the article's and the
    paper its source unless a "Source:" line or the byline names one (`LineMeta.masthead`).
    A place before the date is no paper ("Madrid, 8 de septiembre de 2025": the dateline of the
    story, which stays text; `qa.datelines.parse_date_line`)."""
    for found in _BEFORE_PAPERS_DATE.finditer(line):
        paper = line[: found.start()]
        if paper_name(paper) and (date := parse_date_line(line[found.end() :])) is not None:
            meta.masthead = meta.masthead or paper
            meta.date = meta.date or date
            return True
    return False


def _holds_headline(blocks: list[Block]) -> bool:
    """Whether `blocks` hold a line that may be the text's headline: one of more words than a
    kicker (`KICKER_MAX_WORDS`; a date line, a link or "WEATHER" above the headline is none)
    that is no paper's name."""
    return any(
        len(line.split()) > KICKER_MAX_WORDS and not paper_name(line)
        for block in blocks
        for line in block
    )


def filter_lines(blocks: list[Block], meta: LineMeta) -> list[Block]:
    """Apply the line rules inside each block, and drop repeated identical lines. In the block
    of the article's byline, a line left that is a paper's name ("By Hannah Okafor / Marlow
    Evening Post / March 14, 2025", as a story copied from a paper's page or e-edition reads) is
    dropped too, and kept as the source unless a "Source:" line or the byline names one
    (`LineMeta.masthead`). Above the byline, such a line is the headline unless a block kept
    before holds one (`_holds_headline`): a text may open with a date line, a link or a kicker,
    and "Heat Wave Breaks All-Time Record" over its byline is no paper. Before the text's
    first sentence, a line of a paper's name and a date (`_paper_and_date`) is the source and
    the date; after it, such a line is text (a reference: "Harbour Times, 3 March 2024")."""
    kept: list[Block] = []
    header = True  # no line kept yet ends a sentence
    for n, block in enumerate(blocks):
        lines: Block = []
        had_author = meta.author is not None
        above_byline: int | None = None  # the lines kept in this block before its byline
        for line in block:
            dropped = (header and _paper_and_date(line, meta)) or _drop_line(line, meta)
            if not dropped and (not lines or lines[-1] != line):
                lines.append(line)
                header = header and not _SENTENCE_END.search(line)
            elif not had_author and meta.author is not None and above_byline is None:
                above_byline = len(lines)
        # the first byline's block, not the text's first, whose line left may be the headline
        bylined = n > 0 and not had_author and meta.author is not None
        if (
            bylined
            and len(lines) == 1 < len(block)
            and paper_name(lines[0])
            and (above_byline == 0 or _holds_headline(kept))
        ):
            meta.masthead = meta.masthead or lines[0]
            lines = []
        if lines:
            kept.append(lines)
    return kept


def republished(blocks: list[Block]) -> list[Block]:
    """A text's lines without those saying where a republished article first ran
    (`_REPUBLISHED`). Not applied to a saved page's paragraphs: the benchmark's hand-made
    bodies keep such a line ("Originally published on Live Science."), so there it is text."""
    kept = [[line for line in b if len(line.split()) > _FURNITURE_MAX_WORDS
             or not _REPUBLISHED.match(line)] for b in blocks]  # fmt: skip
    return [b for b in kept if b]
