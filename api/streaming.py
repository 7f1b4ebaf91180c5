"""A finished answer's text sent as a stream of tokens, as POST /ask/stream
(api/routers/stream.py) and a streamed /v1/chat/completions (api/openai_response.py)
both send it: word by word, every whitespace character kept."""

from __future__ import annotations

import re

# A word with the whitespace after it; or whitespace before the first word.
_PIECE = re.compile(r"\S+\s*|\s+")


def token_pieces(text: str) -> list[str]:
    """Split `text` word by word, keeping every whitespace character: `"".join(...) == text`."""
    return _PIECE.findall(text)
