"""An article's address as it is stored, cited and told apart by: an absolute http(s) URL
only (`safe_url`: never javascript: or data:), without the query parameters that only track
how a reader came to it (`without_tracking`: utm_source, fbclid, smid…). Every path that stores
an address goes through `safe_url`: a saved page's (qa/page_metadata.py), an archive record's,
a text file's `URL:` line, an export's."""

from __future__ import annotations

from urllib.parse import unquote_plus, urlsplit

from w3lib.url import url_query_cleaner

# the query parameters that say how a reader came to an article, not which article it is: a
# link from a newsletter, a share button, an ad or a feed carries them ("?utm_source=rss",
# "?fbclid=…", "?smid=tw-share"), so one article saved from two links had two addresses (and an
# archive record two ids). Names that every analytics, ad and mail tool documents, compared in
# any case; a name some sites also use for content ("ref", "src", "cid", "id") is none of them.
_TRACKING_PREFIXES = (
    "utm_",  # Google Analytics campaigns, and every tool that copied them
    "mtm_", "pk_", "matomo_",  # Matomo (Piwik)
    "hsa_", "_hs",  # HubSpot ads and mail (_hsenc, _hsmi)
    "ns_",  # comScore (the BBC's ns_mchannel, ns_source, ns_campaign)
    "at_",  # AT Internet (at_medium, at_campaign)
    "itm_", "oly_", "vero_", "ga_",
)  # fmt: skip
_TRACKING_NAMES = frozenset(
    {"fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "twclid", "ttclid",
     "yclid", "igshid", "igsh", "li_fat_id", "epik", "mc_cid", "mc_eid", "_ga", "_gl",
     "ocid", "cmpid", "cmp", "intcmp", "icid", "ncid", "smid", "smtyp", "mbid", "xtor",
     "referringsource", "ref_src", "ref_url", "s_cid", "wt.mc_id", "wt_mc", "soc_src",
     "soc_trk", "guccounter", "guce_referrer", "guce_referrer_sig", "sr_share", "fb_action_ids",
     "fb_action_types", "fb_ref", "fb_source", "trk", "trkcampaign", "sc_cid", "cx_testid",
     "cx_testvariant"}
)  # fmt: skip


def _tracking(name: str) -> bool:
    name = unquote_plus(name).strip().lower()
    return name in _TRACKING_NAMES or name.startswith(_TRACKING_PREFIXES)


def without_tracking(url: str) -> str:
    """`url` without the query parameters that only track how a reader came to it (`utm_source`,
    `fbclid`, `smid`, …: `_TRACKING_NAMES`), every other part as written, in its order; a `?`
    left with nothing after it goes too. w3lib's `url_query_cleaner` takes them out."""
    query = urlsplit(url).query
    found = [p.partition("=")[0] for p in query.split("&") if _tracking(p.partition("=")[0])]
    if not found:
        return url
    return url_query_cleaner(url, found, remove=True, unique=False, keep_fragments=True)


def safe_url(url: str | None) -> str | None:
    """`url` if it is an absolute http(s) address, else None (never javascript: or data:),
    without its tracking parameters (`without_tracking`): the address an article is stored,
    cited and told apart by."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.netloc
        or any(c.isspace() or ord(c) < 32 for c in url)
    ):
        return None
    return without_tracking(url)
