"""Small made-up web pages for the tests: an article wrapped in the furniture real news pages
carry (navigation, share buttons, a cookie notice, related stories, comments, a footer)."""

from __future__ import annotations

import base64
import html
import json
import plistlib
import quopri

# every piece of furniture the page builder adds; none of it may become a paragraph
FURNITURE = [
    "Home", "World news", "Business desk", "Sport results", "Culture and arts",
    "We use cookies to improve your experience", "Accept all cookies", "Manage preferences",
    "Share on Facebook", "Share on Twitter", "Email this story", "Print",
    "Related stories", "Storm closes ferry routes for a week",
    "Lighthouse keeper retires after forty years", "Fishing quotas cut again",
    "Subscribe to our newsletter", "Comments", "Great news for the town!", "Log in to reply",
    "All rights reserved", "Privacy policy", "Contact the newsroom",
]  # fmt: skip


def news_page(
    *,
    title: str,
    paragraphs: list[str],
    date: str | None = None,
    author: str | None = None,
    site: str | None = None,
    url: str | None = None,
    charset: str | None = "utf-8",
    head_extra: str = "",
    body_extra: str = "",
    json_ld: bool = False,
) -> str:
    """An HTML news page holding `paragraphs` as its article, with its metadata in the head
    (Open Graph and article tags, a canonical link, or JSON-LD) and furniture all around."""
    e = html.escape
    meta = [f'<meta charset="{charset}">' if charset else ""]
    meta.append(f"<title>{e(title)} | {e(site or 'News')}</title>")
    meta.append(f'<meta property="og:title" content="{e(title)}">')
    if site:
        meta.append(f'<meta property="og:site_name" content="{e(site)}">')
    if author:
        meta.append(f'<meta name="author" content="{e(author)}">')
    if date and not json_ld:
        meta.append(f'<meta property="article:published_time" content="{e(date)}T08:00:00Z">')
    if url:
        meta.append(f'<link rel="canonical" href="{e(url)}">')
    if json_ld:
        data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title}
        if date:
            data["datePublished"] = date
        if author:
            data["author"] = {"@type": "Person", "name": author}  # type: ignore[assignment]
        meta.append(f'<script type="application/ld+json">{json.dumps(data)}</script>')
    article = "\n".join(f"<p>{e(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head>{"".join(meta)}{head_extra}
<style>body {{ font-family: serif; }} .cookie-banner {{ position: fixed; }}</style>
<script>window.analytics = {{track: function() {{}}}};</script>
</head>
<body>
<header class="site-header"><a class="logo" href="/">{e(site or "News")}</a>
<nav class="main-nav"><ul>
<li><a href="/">Home</a></li><li><a href="/world">World news</a></li>
<li><a href="/business">Business desk</a></li><li><a href="/sport">Sport results</a></li>
<li><a href="/culture">Culture and arts</a></li></ul></nav></header>
<div id="cookie-consent" class="cookie-banner" role="dialog">
<p>We use cookies to improve your experience on our site.</p>
<button>Accept all cookies</button> <button>Manage preferences</button></div>
<main>
<article class="story">
<h1>{e(title)}</h1>
<div class="share-buttons"><ul>
<li><a href="https://facebook.example/share">Share on Facebook</a></li>
<li><a href="https://twitter.example/share">Share on Twitter</a></li>
<li><a href="mailto:?subject=story">Email this story</a></li><li><a href="#">Print</a></li>
</ul></div>
<div class="article-body">
{article}
{body_extra}
</div>
</article>
<aside class="related"><h2>Related stories</h2><ul>
<li><a href="/a">Storm closes ferry routes for a week</a></li>
<li><a href="/b">Lighthouse keeper retires after forty years</a></li>
<li><a href="/c">Fishing quotas cut again</a></li></ul></aside>
<div class="newsletter"><a href="/newsletter">Subscribe to our newsletter</a></div>
<section id="comments" class="comments"><h2>Comments</h2>
<div class="comment"><p>Great news for the town!</p><a href="/login">Log in to reply</a></div>
</section>
</main>
<footer><p>Copyright 2023 {e(site or "News")}. All rights reserved.</p>
<ul><li><a href="/privacy">Privacy policy</a></li>
<li><a href="/contact">Contact the newsroom</a></li></ul></footer>
</body></html>
"""


SINGLE_FILE_BOUNDARY = "----MultipartBoundary--Yx2ZqGk1b4Bq3----"


def single_file_page(
    page: str, *, address: str, charset: str | None = None, part_address: bool = True
) -> bytes:
    """`page` saved as one file, as Chrome's "Webpage, Single File" writes it (`.mhtml`): a
    `multipart/related` MIME message, the page quoted-printable with the address it was saved
    from in `Content-Location` (`part_address`), then a picture in base64."""
    declared = f"text/html; charset={charset}" if charset else "text/html"
    encoded = quopri.encodestring(page.encode(charset or "utf-8")).decode("ascii")
    picture = base64.encodebytes(b"\x89PNG\r\n\x1a\n" + bytes(64)).decode("ascii")
    where = f"Content-Location: {address}\r\n" if part_address else ""
    boundary = SINGLE_FILE_BOUNDARY
    return (
        "From: <Saved by Blink>\r\n"
        f"Snapshot-Content-Location: {address}\r\n"
        "Subject: a saved page\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n'
        f'\tboundary="{boundary}"\r\n\r\n\r\n'
        f"--{boundary}\r\nContent-Type: {declared}\r\n"
        "Content-ID: <frame-5F1D@mhtml.blink>\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        f"{where}\r\n{encoded}\r\n"
        f"--{boundary}\r\nContent-Type: image/png\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        f"Content-Location: {address}/picture.png\r\n\r\n{picture}\r\n"
        f"--{boundary}--\r\n"
    ).encode("ascii")


def safari_web_archive(
    page: str, *, address: str, charset: str = "UTF-8", binary: bool = True
) -> bytes:
    """`page` saved by Safari as a "Web Archive" (`.webarchive`): a property list (binary, as
    Safari writes it, or XML) whose main resource is the page, with a picture beside it."""
    archive = {
        "WebMainResource": {
            "WebResourceData": page.encode(charset),
            "WebResourceFrameName": "",
            "WebResourceMIMEType": "text/html",
            "WebResourceTextEncodingName": charset,
            "WebResourceURL": address,
        },
        "WebSubresources": [
            {
                "WebResourceData": b"\x89PNG\r\n\x1a\n" + bytes(64),
                "WebResourceMIMEType": "image/png",
                "WebResourceURL": f"{address}/picture.png",
            }
        ],
    }
    return plistlib.dumps(archive, fmt=plistlib.FMT_BINARY if binary else plistlib.FMT_XML)
