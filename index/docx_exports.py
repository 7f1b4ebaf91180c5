"""The articles of a Word document (`.docx`), read with python-docx: a Nexis Uni (LexisNexis)
export holds many, one between its header and each "End of Document" (qa/nexis.py); any other
Word document holds one (qa/word_documents.py).

Each article comes out as an `Entry` (index/exports.py) whose fields are an archive record's
(`title`, `text`, and `source`, `date`, `author` when known), numbered from 1 as items of the
document, so it is checked, cleaned and given its id as any archive record is (qa/archives.py):
the id from its title and text, the same however often the export is downloaded again or
renamed. An item's content hash is of its fields as JSON with its keys sorted.

The file is refused as a whole (`BadInput`, one warning `skipped <file>: …`) when it is larger
than `max_bytes`, not a zip archive, a password-protected document (Word encrypts those into
an OLE compound file, not a zip), a zip with encrypted members, one whose members would unzip
to more than `unzipped_limit(max_bytes)` (a zip bomb: checked from the zip's directory before
python-docx reads a member; zipfile stops a member at the size the directory gives it), one
whose text holds more than 200,000 paragraphs (counted as its XML streams by: empty ones zip
to almost nothing, and python-docx would read millions for minutes), or a zip that is no Word
document.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.oxml.text.run import CT_R
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from index.exports import Entry, nexis_entries, record_entry, too_large
from qa.errors import BadInput
from qa.nexis import is_nexis_uni, nexis_uni_articles
from qa.word_documents import WordBlock, word_document_fields

DOCX_SUFFIX = ".docx"
# an OLE compound file: how Word saves a password-protected document (and the old .doc format)
_COMPOUND_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# a Word file's XML compresses 5 to 25 times (python-docx's empty template: 36 KB zipped, 830 KB
# unzipped, most of it styles); a zip bomb thousands of times
_UNZIPPED_RATIO = 5
_UNZIPPED_FLOOR = 32 * 1024 * 1024
_MAX_MEMBERS = 10_000
# an export of 1,000 articles of 100 paragraphs each has 100,000; an empty
# paragraph is 11 bytes of XML that zip to almost nothing, so a 100 KB file can hold millions,
# which python-docx would take a minute and a gigabyte to read
_MAX_PARAGRAPHS = 200_000
_BODY = "word/document.xml"
# what python-docx and the zip and XML readers under it raise on a file that is no Word document
_UNREADABLE = (
    PackageNotFoundError,
    KeyError,
    ValueError,
    NotImplementedError,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    etree.LxmlError,
)
# what holds a paragraph's runs beside the paragraph itself, in the document as it reads with
# its tracked changes accepted (what Word shows with markup off): a tracked insertion or move
# (`w:ins`, `w:moveTo`), a link, a content control, a simple field, a smart tag, custom XML and
# text direction; a tracked deletion or move away (`w:del`, `w:moveFrom`) is left out
_TEXT_HOLDERS = frozenset(
    qn(f"w:{name}")
    for name in (
        "ins", "moveTo", "hyperlink", "sdt", "sdtContent", "fldSimple", "smartTag",
        "customXml", "dir", "bdo",
    )
)  # fmt: skip


def unzipped_limit(max_bytes: int) -> int:
    """How many bytes a `.docx`'s members may unzip to, together: five times `max_bytes`, and
    never less than 32 MiB (the styles and theme every Word file carries do not grow with its
    text)."""
    return max(_UNZIPPED_RATIO * max_bytes, _UNZIPPED_FLOOR)


def docx_entries(path: Path, *, max_bytes: int) -> Iterator[Entry]:
    """The articles of the Word document `path`, each an `Entry`; `BadInput` (before the first)
    when the file cannot be read as one."""
    with path.open("rb") as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise BadInput(too_large(max_bytes))
    document = _document(data, max_bytes=max_bytes)
    try:  # python-docx reads the XML lazily: a bad value (a column span "abc") fails here
        entries = _entries(document)
    except _UNREADABLE as exc:
        raise BadInput(f"not a readable Word document ({_reason(exc)})") from exc
    yield from entries


def _entries(document: Document) -> list[Entry]:
    body = document.element.body
    paragraphs = [paragraph_text(p) for p in body.iter(qn("w:p"))]
    if is_nexis_uni(paragraphs):
        return nexis_entries(nexis_uni_articles(paragraphs))
    # one article: what keeps it from being one is said of the file ("skipped a.docx: …")
    properties = document.core_properties
    record = word_document_fields(
        _blocks(document), title=properties.title, author=properties.author
    )
    return [record_entry(1, dict(record))]


def paragraph_text(element: etree._Element) -> str:
    """The text of a paragraph (`w:p`), or of what holds some of its runs, as the document reads
    with its tracked changes accepted: each run read by python-docx (`CT_R.text`: tabs and
    breaks as characters), and the runs of a tracked insertion, a link, a content control or a
    field with them. python-docx's `Paragraph.text` reads only a paragraph's own runs and
    links, so the words an editor added with Track Changes on were lost from a reviewed
    article, and a content control's text from a template's (python-docx has no reading of
    tracked changes: python-openxml/python-docx#340)."""
    parts: list[str] = []
    for child in element.iterchildren():
        if isinstance(child, CT_R):
            parts.append(child.text)
        elif child.tag in _TEXT_HOLDERS:
            parts.append(paragraph_text(child))
    return "".join(parts)


def _document(data: bytes, *, max_bytes: int) -> Document:
    """The Word document of `data`, after its zip directory is checked; `BadInput` saying what
    the file is instead."""
    if data.startswith(_COMPOUND_FILE):
        raise BadInput(
            "a password-protected Word document (or one in the old .doc format named .docx), "
            "which cannot be read without the password: save it again as a Word Document "
            "(.docx) with no password"
        )
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise BadInput(
            f"not a Word document: a .docx is a zip archive, and this file is not one ({exc})"
        ) from exc
    members = package.infolist()
    if len(members) > _MAX_MEMBERS:
        raise BadInput(f"not a Word document: its zip holds {len(members):,} files")
    if any(member.flag_bits & 0x1 for member in members):
        raise BadInput("its zip members are encrypted: save it again with no password")
    unzipped = sum(member.file_size for member in members)
    limit = unzipped_limit(max_bytes)
    if unzipped > limit:
        raise BadInput(
            f"it would unzip to {unzipped:,} bytes, more than the limit of {limit:,} (five "
            "times index.max_document_bytes, at least 32 MiB); a Word file that large is "
            "likely a zip bomb: split the document, or raise index.max_document_bytes"
        )
    try:
        _count_paragraphs(package)
        return docx.Document(io.BytesIO(data))
    except _UNREADABLE as exc:
        raise BadInput(f"not a readable Word document ({_reason(exc)})") from exc


def _count_paragraphs(package: zipfile.ZipFile) -> None:
    """`BadInput` when the document's text part holds more than `_MAX_PARAGRAPHS` paragraphs,
    counted as its XML streams by (nothing of it kept), before python-docx reads it whole."""
    if _BODY not in package.namelist():
        return  # python-docx finds the part by its relationship, or says there is none
    count = 0
    with package.open(_BODY) as part:
        for _, element in etree.iterparse(
            part, events=("end",), tag=qn("w:p"), resolve_entities=False, no_network=True
        ):
            count += 1
            if count > _MAX_PARAGRAPHS:
                raise BadInput(
                    f"it holds more than {_MAX_PARAGRAPHS:,} paragraphs, far more than an export "
                    "of a thousand articles (a damaged or hostile file); split the document, or "
                    "export fewer articles at a time"
                )
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del element.getparent()[0]


def _reason(exc: Exception) -> str:
    if isinstance(exc, PackageNotFoundError | KeyError):
        return "the zip holds no Word document part"
    return str(exc) or type(exc).__name__


def _blocks(document: Document) -> list[WordBlock]:
    """The document's paragraphs in order, and its tables among them. A table's text counts (a
    box of figures holds facts people ask about, a fee or a vote count): it is one paragraph,
    a row a line with its cells between pipes ("| Small boats | 40 euros |"), the shape in
    which the text cleaner keeps a Markdown file's table. A table of one column is a box laid
    around paragraphs instead: each of its paragraphs is one. Text boxes, headers, footers and
    notes are not read: what they hold is the page's furniture or beside the article."""
    style_of = _paragraph_style_names(document)
    blocks: list[WordBlock] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            style_id = item._p.style
            blocks.append(
                WordBlock(paragraph_text(item._p), style_of.get(style_id, style_of[None]))
            )
        elif isinstance(item, Table):
            blocks.extend(_table_blocks(item))
    return blocks


def _paragraph_style_names(document: Document) -> dict[str | None, str]:
    """The name of each paragraph style by its id, and under None the default paragraph
    style's (that of a paragraph naming no style, or one the document does not define), as
    python-docx's `Paragraph.style` gives them: read once, since `Paragraph.style` looks the
    default style up anew for each paragraph, a millisecond each (a 40 KB file of empty
    paragraphs took minutes)."""
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    names: dict[str | None, str] = {
        style.style_id: style.name or ""
        for style in document.styles
        if style.type == WD_STYLE_TYPE.PARAGRAPH
    }
    names[None] = (default.name or "") if default is not None else ""
    return names


def _table_blocks(table: Table) -> list[WordBlock]:
    """A table's blocks (`_blocks`). Each cell of the file (`w:tc`) is read once, never
    python-docx's `row.cells`, which gives a merged cell once for each column it spans (a
    1 KB file whose cell spans 30 million columns took 10 s and 500 MB, and more columns
    more) and finds a vertically merged cell's text by recursion over the rows above it. The
    row under a vertically merged cell repeats its text, as `row.cells` did, from a map of
    the grid's columns."""
    rows: list[list[tuple[_Cell | None, str]]] = []
    above: dict[int, str] = {}  # the text of each grid column's last cell that holds its own
    for tr in table._tbl.tr_lst:
        cells: list[tuple[_Cell | None, str]] = []
        column = tr.grid_before
        for tc in tr.tc_lst:
            if tc.vMerge == "continue":  # the cell above goes on down: no text of its own
                cells.append((None, above.get(column, "")))
            else:
                cell = _Cell(tc, table)
                text = "\n".join(paragraph_text(p._p) for p in cell.paragraphs)
                cells.append((cell, text))
                above[column] = text
            column += tc.grid_span
        rows.append(cells)
    if all(len(cells) <= 1 for cells in rows):
        return [
            WordBlock(paragraph_text(p._p))
            for cells in rows
            for cell, _ in cells
            if cell is not None
            for p in cell.paragraphs
        ]
    lines = []
    for cells in rows:
        texts = [" ".join(text.split()) for _, text in cells]
        if any(texts):
            lines.append("| " + " | ".join(texts) + " |")
    return [WordBlock("\n".join(lines))]
