"""The patterns more than one of the cleaner's rule modules reads (qa/cleaning_blocks.py,
qa/cleaning_lines.py, qa/cleaning_paragraphs.py): what may close a sentence after its full stop,
a list's or a table's line, a writer's role words; and `Block`, the lines of one block."""

from __future__ import annotations

import re

Block = list[str]  # the lines of one blank-line separated block

CLOSING_MARKS = "”\"’'»)]"  # what may close a sentence after its full stop
CLOSERS = CLOSING_MARKS.replace("]", "\\]")  # the same, escaped for character classes
# a line of a list ("- item", "* item", "• item", "1. item", "1) item") or of a table
# ("| Item | 2024 |", as Markdown writes one and qa/markdown_text.py reads it)
LIST_LINE = re.compile(r"^(?:[-*•]|\d{1,3}[.)])\s+\S|^\|.*\S.*\|$")
# a section's label above the headline is of this many words at the most ("POLITICS", "Local
# news"): a kicker, not the headline (qa/cleaning_paragraphs.py: take_title)
KICKER_MAX_WORDS = 2
ROLE_WORDS = {
    "reporter", "writer", "correspondent", "editor", "columnist", "contributor",
    "journalist", "producer", "photographer", "intern", "staff",
}  # fmt: skip
