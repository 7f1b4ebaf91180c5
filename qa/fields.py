"""The names an article's fields go under outside this project: an archive export's record
(`qa/archives.py`) and a Markdown file's front matter (`qa/markdown_text.py`) read the same
ones, so an export and a clipped page name their title, date or author alike."""

from __future__ import annotations

# Each field's other names in exports, tried in order when a line lacks the field's own name
# (or leaves it empty); a value under another name that does not fit the field is ignored, as
# an unknown field is, so a line that loaded before still loads.
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("headline",),
    "text": ("body", "content", "articleBody", "article_text", "article",
             "content_html", "content_text"),  # the last two: a JSON Feed's items
    "date": ("published", "pubDate", "pub_date", "datePublished", "published_at",
             "publishedAt", "publish_date", "date_published"),
    "source": ("publisher", "site_name", "outlet", "publication"),
    "url": ("link", "canonical_url"),
    "author": ("authors", "byline", "creator"),
}  # fmt: skip
