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
    "mtm_", "matomo_",  # Matomo's own names
    "hsa_", "_hs",  # HubSpot ads and mail (_hsenc, _hsmi)
)  # fmt: skip
# vendors whose prefix is a word a site may use for its own parameters ("pk_id", "at_id",
# "itm_id" may name an item): their documented names only
_TRACKING_NAMES = frozenset(
    {"fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "twclid", "ttclid",
     "yclid", "igshid", "igsh", "li_fat_id", "epik", "mc_cid", "mc_eid", "_ga", "_gl",
     "ocid", "cmpid", "cmp", "intcmp", "icid", "ncid", "smid", "smtyp", "mbid", "xtor",
     "referringsource", "ref_src", "ref_url", "s_cid", "wt.mc_id", "wt_mc", "soc_src",
     "soc_trk", "guccounter", "guce_referrer", "guce_referrer_sig", "sr_share", "fb_action_ids",
     "fb_action_types", "fb_ref", "fb_source", "trk", "trkcampaign", "sc_cid", "cx_testid",
     "cx_testvariant",
     # Matomo's older Piwik names
     "pk_campaign", "pk_kwd", "pk_keyword", "pk_source", "pk_medium", "pk_content", "pk_cid",
     # comScore (the BBC's)
     "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee",
     # AT Internet (Piano)
     "at_medium", "at_campaign", "at_format", "at_platform", "at_send_date", "at_link",
     "at_creation", "at_ptr_name", "at_recipient_id", "at_recipient_list",
     # internal-campaign, Olytics, Vero and Google Analytics 4 link tagging
     "itm_source", "itm_medium", "itm_campaign", "itm_content", "itm_term",
     "oly_anon_id", "oly_enc_id", "vero_conv", "vero_id",
     "ga_source", "ga_medium", "ga_campaign", "ga_content", "ga_term", "ga_place"}
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
