"""A Nexis Uni export saved as PDF, read back into the paragraphs its Word export gives (pure
logic; the PDF is read by index/pdf_pages.py, its articles are then read by qa/nexis.py).

Nexis Uni's PDF download lays out the same lines as its `.docx` (a cover page, then each
document's title, publication, date line, labelled fields, "Body", the text, the
"Classification"/"Load-Date:" tail and "End of Document") on pages, with what a page adds: the
search's running header at the top of every page and a "Page N of M" footer. Here:

- **The page's furniture goes**, as for an article saved as PDF (qa/pdf_text.py): a box in the
  top or bottom band of the page whose text, digits aside, comes back on most pages, and a
  page number alone ("Page 2 of 9"). The export's own lines ("Body", "End of Document",
  "Classification", a labelled field) are never taken for furniture, though "End of
  Document" may stand at the foot of nearly every page. At the top of a page that opens a
  document, such a box is furniture only when its text also stands at the top of a page
  within a document's text: an export of one paper's stories, each from a new page, has the
  paper's name (and a date line of one weekday and month) at the top of most pages, and they
  are the document's own lines. With no page within a text to tell by, a running header there
  is kept, and stands above the title, which `qa.nexis` passes over. After a document's
  "Body" line, a box in a page's band that repeats a line of that document's header (its
  title, as a running header that names the document on each of its pages) is furniture too.
- **A text box is a paragraph**, its lines joined (a word hyphenated at the margin made whole),
  except that a marker line or a labelled field ("Length: 834 words", "Byline: …") is a
  paragraph of its own wherever the layout put it: a block of fields set close together is
  one box to the layout analysis, one line each to Nexis.
- **A paragraph broken by a page break is joined**: in an article's text, a box that opens a
  page and goes on with the sentence the last one left unfinished (the text cleaner's rule 8,
  `qa.cleaning_paragraphs.continues_sentence`) is the rest of that paragraph, so the article's
  text, and its id, are the Word export's.
- **The cover page is set off** from the first document by the page break after it, as the
  Word export sets it off by empty paragraphs (`qa.nexis`: three or more).

Whether the result is an export at all is `qa.nexis.is_nexis_uni`'s rule, the Word export's:
an "End of Document" line with a "Body" line before it. Any other PDF is one article. A PDF
longer than an article is read past its first pages only while they may open an export
(`opens_export`); index/pdf_pages.py reads it in chunks, and its pages come here all at once.
"""

from __future__ import annotations

from qa.cleaning_paragraphs import continues_sentence
from qa.nexis import (
    BODY_MARK,
    END_MARK,
    FIELD,
    TAIL,
    NexisArticle,
    is_nexis_uni,
    nexis_uni_articles,
)
from qa.pdf_text import (
    BAND,
    PdfDocument,
    PdfPage,
    TextBox,
    in_band,
    is_page_number,
    joined_lines,
    running_key,
    running_keys,
    without_ligatures,
)

__all__ = ["nexis_pdf_articles", "nexis_pdf_paragraphs", "opens_export"]

# empty paragraphs for the page break after the cover page (qa/nexis.py's gap)
_COVER_GAP = ["", "", ""]
_MARKERS = (BODY_MARK, END_MARK)


def _at_foot(box: TextBox, page: PdfPage) -> bool:
    """Whether the box stands in the page's bottom band (its footer)."""
    return box.top >= page.height * (1 - BAND)


def _own_line(line: str, *, in_body: bool) -> bool:
    """A line that is a paragraph of its own wherever it stands: a marker, the start of what
    Nexis adds after the text, and in a header a labelled field."""
    if line in _MARKERS or TAIL.match(line):
        return True
    return not in_body and FIELD.match(line) is not None


class _Paragraphs:
    """The paragraphs gathered so far, and where the reading stands."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.in_body = False  # between a "Body" line and the end of that text
        self.seen_body = False
        self.opens_page = True  # nothing of the current page gathered yet
        # the lines of the current document's header (its title, publication …) once its
        # "Body" line is read; None before it
        self.header: set[str] | None = None
        self._heading: list[str] = []  # the lines read since the last "End of Document"

    def add_lines(self, lines: list[str]) -> None:
        """A box's lines as one paragraph; in an article's text, the first on a page that
        goes on with the sentence the last one left unfinished is the rest of that one."""
        if not lines:
            return
        text = joined_lines(tuple(lines))
        last = self.items[-1] if self.items else ""
        if self.in_body and self.opens_page and last and continues_sentence(last, text):
            self.items[-1] = f"{last} {text}"
        else:
            self.items.append(text)
            self._heading.append(text)
        self.opens_page = False

    def add_own_line(self, line: str) -> None:
        self.items.append(line)
        self.opens_page = False
        if line == BODY_MARK:
            self.in_body = self.seen_body = True
            if self.header is None:
                self.header = set(self._heading)
        elif line == END_MARK:
            self.in_body = False
            self.header, self._heading = None, []
        elif self.in_body:  # what Nexis adds after the text
            self.in_body = False

    def repeats_header(self, text: str) -> bool:
        """Whether `text`, in a page's band after the document's "Body" line, is a line of its
        header: the document's title (or publication) a page's running header repeats."""
        return self.header is not None and " ".join(text.split()) in self.header


def _within_documents(document: PdfDocument) -> list[bool]:
    """For each page, whether it opens within a document: after its "Body" line, before its
    "End of Document" (a page that opens between documents, or on the cover, may start with
    a document's title, publication and date)."""
    within: list[bool] = []
    last = None  # the last marker line read
    for page in document.pages:
        within.append(last == BODY_MARK)
        for box in page.boxes:
            for raw in box.lines:
                line = " ".join(without_ligatures(raw).split())
                if line in _MARKERS:
                    last = line
    return within


def nexis_pdf_paragraphs(document: PdfDocument) -> list[str]:
    """The paragraphs of a PDF read as a Nexis Uni export's (see the module's notes): what
    `qa.nexis` reads its Word export's paragraphs as."""
    running = running_keys(document.pages)
    within = _within_documents(document)
    # what stands in the top band of a page within a document's text is furniture for sure;
    # at the top of a page that opens a document, the text that comes back on most pages may
    # be the document's own publication or date line (an export of one paper's stories, each
    # from a new page), so only that is taken for furniture there
    proven = {
        running_key(box.text)
        for page, inside in zip(document.pages, within, strict=True)
        if inside
        for box in page.boxes
        if in_band(box, page)
    }
    found = _Paragraphs()
    for number, page in enumerate(document.pages):
        if number and not found.seen_body:
            found.items.extend(_COVER_GAP)
        found.opens_page = True
        for box in page.boxes:
            text = without_ligatures(box.text)
            if not text:
                continue
            if (
                in_band(box, page)
                and not _own_line(text, in_body=False)
                and (
                    is_page_number(text)
                    or found.repeats_header(text)
                    or (
                        running_key(text) in running
                        and (within[number] or _at_foot(box, page) or running_key(text) in proven)
                    )
                )
            ):
                continue
            block: list[str] = []  # the lines of the paragraph being gathered
            for raw in box.lines:
                line = " ".join(without_ligatures(raw).split())
                if not line:
                    continue
                if _own_line(line, in_body=found.in_body):
                    found.add_lines(block)
                    block = []
                    found.add_own_line(line)
                else:
                    block.append(raw)
            found.add_lines(block)
    return found.items


def opens_export(document: PdfDocument, *, article_pages: int) -> bool:
    """Whether the first pages of a PDF longer than an article (`document`, as far as it was
    read) may be a Nexis Uni export's, so that the rest is worth reading: a "Body" line among
    them (a document's text begun, after the cover page) and, once they are `article_pages`
    or more, an export by `is_nexis_uni`'s rule (a first document longer than an article is
    no export read here either)."""
    paragraphs = nexis_pdf_paragraphs(document)
    if len(document.pages) >= article_pages:
        return is_nexis_uni(paragraphs)
    return BODY_MARK in paragraphs


def nexis_pdf_articles(document: PdfDocument) -> list[NexisArticle] | None:
    """The articles of the PDF when it is a Nexis Uni export, else None (one article)."""
    paragraphs = nexis_pdf_paragraphs(document)
    if not is_nexis_uni(paragraphs):
        return None
    return nexis_uni_articles(paragraphs)
