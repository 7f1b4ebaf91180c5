"""Word-level text helpers shared by retrieval fusion, sentence scoring and citation checking."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib.resources import files

import Stemmer

# Function words and question words carry no evidence: a sentence does not support a question
# by sharing "what" or "did" with it. (bm25s' English list has 33 words, too few for this.)
FUNCTION_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be been before being
    below between both but by can could did do does doing done down during each either else
    ever every few for from further had has have having he her here hers herself him himself
    his how however i if in into is it its itself just least less let like made make many may
    me might more most much must my myself no nor not now of off on once only or other others
    our ours ourselves out over own per rather same says say said she should since so some
    still such than that the their theirs them themselves then there these they this those
    though through thus to too under until up upon us very via was we were what whatever when
    where whether which while who whom whose why will with within without would yet you your
    yours yourself according one's s t
    """.split()
)

_LETTERS = re.compile(r"[^\W\d_]+")
_FIGURE = r"\d[\d,.]*\d|\d"
_TOKEN = re.compile(rf"{_FIGURE}|[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)

# An amount written short, as British and business news write it ("£620m", "$3bn", "€1.2bn",
# "2.5tn", "$10k"), is read as the same words as written out ("£620 million", "$3 billion",
# "€1.2 billion", "2.5 trillion", "$10,000", thousands in figures, as news writes them), in the
# articles and the questions alike. "m", "b" and "k" only after a currency sign: elsewhere they
# are metres, sizes and names ("100m sprint", "a 5k race", "4K television", "3M tape", "401k");
# "bn" and "tn" after any figure, where they are no unit (on the validation corpora and the
# training texts every "m", "k" or "bn" after a currency sign was an amount, and no "bn" or "tn"
# after a figure stood for anything else; docs/grounding.md, "Amounts written short").

# Unicode's currency symbols (category Sc: "$", "£", "€", "¥", "₹", …), as a character class
CURRENCY_SIGNS = (
    r"$\u00a2-\u00a5\u058f\u060b\u07fe\u07ff\u09f2\u09f3\u09fb\u0af1\u0bf9\u0e3f\u17db"
    r"\u20a0-\u20c0\ua838\ufdfc\ufe69\uff04\uffe0\uffe1\uffe5\uffe6\U00011fdd-\U00011fe0"
    r"\U0001e2ff\U0001ecb0"
)
_SCALES = {
    "m": "million", "mn": "million", "b": "billion", "bn": "billion", "bln": "billion",
    "tn": "trillion", "trn": "trillion",
}  # fmt: skip
_AMOUNT = (
    rf"(?<=[{CURRENCY_SIGNS}])"
    rf"(?P<priced>{_FIGURE})(?P<scale>(?i:bln|bn|trn|tn|mn|m|b|k))\b"
    rf"|\b(?P<figure>{_FIGURE})(?P<large>bln|bn|trn|tn)\b"
)
_AMOUNT_SHORT = re.compile(_AMOUNT)
# a quick look first: most texts hold none ("19th" neither)
_MAY_HOLD_AMOUNT = re.compile(r"\d(?:[bkm]|tr?n)", re.IGNORECASE)
_AMOUNT_OR_TOKEN = re.compile(rf"{_AMOUNT}|{_TOKEN.pattern}", re.UNICODE)


def _amount_written_out(found: re.Match[str]) -> str:
    figure, scale = found["priced"] or found["figure"], (found["scale"] or found["large"]).lower()
    if scale != "k":
        return f"{figure} {_SCALES[scale]}"
    try:
        thousands = Decimal(figure.replace(",", "")) * 1000
    except InvalidOperation:  # "1.2.3k": no figure
        return found.group()
    return format(thousands.normalize(), ",f")


def written_out_amounts(text: str, *, keep_short: bool = False) -> str:
    """`text` with its amounts written short written out: "£620m" → "£620 million", "$3bn" →
    "$3 billion", "2.5tn" → "2.5 trillion", "£45k" → "£45,000"; "100m", "5k", "4G", "10km",
    "5pm" are left as they are. `keep_short`: the short form stays before the written-out one
    ("£620m" → "£620m 620 million"), as BM25 reads them, so that a question that writes the
    amount without its sign ("the 620m contract"), read as written, still finds it."""
    if not _MAY_HOLD_AMOUNT.search(text):
        return text
    if keep_short:
        return _AMOUNT_SHORT.sub(lambda m: f"{m.group()} {_amount_written_out(m)}", text)
    return _AMOUNT_SHORT.sub(_amount_written_out, text)


_NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "twenty": "20", "hundred": "100", "thousand": "1000", "million": "1000000",
}  # fmt: skip


# British and American spellings of the same word must match ("defence" = "defense"); the
# stemmer does not unify them. Common news words only: a lookup, not a spelling corrector.
_SPELLING = {
    "defence": "defense", "offence": "offense", "licence": "license", "pretence": "pretense",
    "colour": "color", "favour": "favor", "honour": "honor", "labour": "labor",
    "neighbour": "neighbor", "behaviour": "behavior", "harbour": "harbor", "rumour": "rumor",
    "centre": "center", "theatre": "theater", "metre": "meter", "litre": "liter",
    "programme": "program", "catalogue": "catalog", "dialogue": "dialog", "travelled": "traveled",
    "cancelled": "canceled", "jewellery": "jewelry", "grey": "gray", "tyre": "tire",
    "aluminium": "aluminum", "manoeuvre": "maneuver", "judgement": "judgment", "ageing": "aging",
}  # fmt: skip
_BRITISH_ISE = re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|ation|ations)$")


# Latin letters that NFKD leaves whole, written as their usual plain-letter spelling (a table of
# nine letters in both cases, not a dependency: transliterating libraries also romanise other
# scripts, and `is_latin` must still tell "Москва" apart)
PLAIN_LETTERS = {
    "ß": "ss", "ẞ": "SS", "Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d",
    "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "Þ": "TH", "þ": "th", "Ð": "D", "ð": "d",
    "ı": "i",
}  # fmt: skip
_PLAIN = str.maketrans(PLAIN_LETTERS)


def without_accents(text: str) -> str:
    """`text` with its accents dropped ("Köppen" → "Koppen", "Łódź" → "Lodz", "Straße" →
    "Strasse")."""
    split = unicodedata.normalize("NFKD", text.translate(_PLAIN))
    return "".join(c for c in split if not unicodedata.combining(c))


_LATIN = re.compile(r"[A-Za-z'’]+")


def is_latin(word: str) -> bool:
    """Latin letters, accented or not ("Darüşşafaka" is; "Москва" and "東京" are not)."""
    return bool(_LATIN.fullmatch(without_accents(word)))


def fold_word(word: str) -> str:
    """`word` without its accents if it is Latin ("Kraków" → "Krakow"), else as it is ("й")."""
    return word if word.isascii() or not is_latin(word) else without_accents(word)


def fold_latin(text: str) -> str:
    """`text` with the accents of its Latin words dropped ("Kraków" → "Krakow"), so a name typed
    without them is found; words of other scripts are left as they are ("й" stays "й")."""
    return _LETTERS.sub(lambda m: fold_word(m.group()), text)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def normalise_token(token: str) -> str:
    """Lower-case, unify number forms (`12,000` = `12000`, `three` = `3`), strip possessives."""
    token = token.lower().replace("’", "'")
    token = fold_word(token)  # "kraków" = "krakow"
    if token[0].isdigit():
        return token.replace(",", "").rstrip(".")
    if token.endswith("'s"):
        token = token[:-2]
    token = _SPELLING.get(token, token)
    if token.endswith(("ise", "ises", "ised", "ising", "isation", "isations")):
        token = _BRITISH_ISE.sub(lambda m: "iz" + m.group(1), token)  # organise = organize
    return _NUMBER_WORDS.get(token, token)


def _token_spans(text: str) -> list[tuple[int, int, str]]:
    """Normalised word tokens with where each stands in `text`: (start, end, token). An amount
    written short gives the words written out, each where the amount stands ("£620m": "620" and
    "1000000", as "£620 million" gives them)."""
    if not _MAY_HOLD_AMOUNT.search(text):
        return [(m.start(), m.end(), normalise_token(m.group())) for m in _TOKEN.finditer(text)]
    spans: list[tuple[int, int, str]] = []
    for found in _AMOUNT_OR_TOKEN.finditer(text):
        start, end = found.span()
        if found.lastgroup is None:  # a word or a figure
            spans.append((start, end, normalise_token(found.group())))
            continue
        for token in _TOKEN.findall(_amount_written_out(found)):  # "scale" or "large" matched
            spans.append((start, end, normalise_token(token)))
    return spans


def words(text: str) -> list[str]:
    """Normalised word tokens, function words included."""
    if not _MAY_HOLD_AMOUNT.search(text):
        return [normalise_token(t) for t in _TOKEN.findall(text)]
    return [token for _, _, token in _token_spans(text)]


def content_terms(text: str) -> list[str]:
    """Stemmed content words: what two texts must share for one to support the other."""
    tokens = [t for t in words(text) if t not in FUNCTION_WORDS]
    return _stemmer().stemWords(tokens)


def content_term_spans(text: str) -> list[tuple[int, int, str]]:
    """`content_terms` with where each stands in `text`: (start, end, term)."""
    kept = [(start, end, token) for start, end, token in _token_spans(text)
            if token not in FUNCTION_WORDS]  # fmt: skip
    stems = _stemmer().stemWords([token for _, _, token in kept])
    return [(start, end, stem) for (start, end, _), stem in zip(kept, stems, strict=True)]


_JOINS = re.compile(r"[ \t\u00a0-]{1,2}")  # between two words of one highlighted span


def matched_spans(query: str, text: str) -> list[tuple[int, int]]:
    """Where `text` holds the content words of `query` (as `content_terms` reads both: "drones"
    finds "drone", "Kraków" finds "Krakow"), as (start, end) offsets; words next to each other,
    apart only by spaces or a hyphen, make one span ("Kim Jong Un")."""
    wanted = set(content_terms(query))
    spans: list[tuple[int, int]] = []
    if not wanted:
        return spans
    for start, end, term in content_term_spans(text):
        if not term_found(term, wanted):
            continue
        if spans and start < spans[-1][1]:  # the second word of an amount written short
            continue
        if spans and _JOINS.fullmatch(text[spans[-1][1] : start]):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def idf_weights(doc_freq: Mapping[str, int], n_docs: int, terms: Iterable[str]) -> dict[str, float]:
    """Smoothed inverse document frequency; unseen terms get the largest weight."""
    return {t: math.log(1 + (n_docs + 1) / (doc_freq.get(t, 0) + 0.5)) for t in set(terms)}


def term_found(term: str, haystack: set[str]) -> bool:
    """Exact, or a near form the stemmer keeps apart: "korea" ~ "korean", "russia" ~ "russian"."""
    if term in haystack:
        return True
    if len(term) < 5:
        return False
    for other in haystack:
        short, long = sorted((term, other), key=len)
        if (
            len(short) >= 5
            and long.startswith(short)
            and len(long) - len(short) <= (3 if len(short) >= 6 else 2)
        ):
            return True
    return False


def coverage(needles: Iterable[str], haystack: set[str], weights: Mapping[str, float]) -> float:
    """Weighted share of `needles` found in `haystack` (1.0 when there is nothing to find)."""
    unique = set(needles)
    total = sum(weights.get(t, 1.0) for t in unique)
    if total == 0:
        return 1.0
    return sum(weights.get(t, 1.0) for t in unique if term_found(t, haystack)) / total


def jaccard(a: AbstractSet[str], b: AbstractSet[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


_ENGLISH_LIST = "frequency_dictionary_en_82_765.txt"


@lru_cache(maxsize=1)
def english_word_counts() -> dict[str, int]:
    """Common English words, lower case, with how often each is written (symspellpy's frequency
    list: 82,765 words from Google Books n-grams, MIT); read once per process."""
    text = (files("symspellpy") / _ENGLISH_LIST).read_text(encoding="utf-8")
    counts: dict[str, int] = {}
    for line in text.splitlines():
        word, _, count = line.partition(" ")
        if word and count.strip().isdigit():
            counts[word] = int(count)
    return counts


def splits_a_word(before: str, after: str) -> bool:
    """Whether a break between the letters ending `before` and those opening `after` split one
    word: together they make an English word more common than either piece alone ("bi|ll" →
    "bill", "a|nd" → "and", "exa|mple"); not "said|that", nor "in|to", where "into" is rarer
    than "in"."""
    head = re.search(r"[A-Za-z]+$", before)
    tail = re.match(r"[A-Za-z]+", after)
    if head is None or tail is None:
        return False
    counts = english_word_counts()
    joined = counts.get((head[0] + tail[0]).lower(), 0)
    return joined > min(counts.get(head[0].lower(), 0), counts.get(tail[0].lower(), 0))


_ZERO_WIDTH_SPACE = re.compile("\u200b+")


def without_zero_width_spaces(text: str) -> str:
    """Zero-width spaces (U+200B, invisible break opportunities) taken out: one inside a word
    goes ("exa\u200bmple"), one standing for the space between two words becomes a space
    ("minister\u200bsaid", "North\u200bKorea"); next to anything but letters it goes."""
    if "\u200b" not in text:
        return text

    def replaced(found: re.Match[str]) -> str:
        before, after = text[: found.start()], text[found.end() :]
        between_letters = before[-1:].isalpha() and after[:1].isalpha()
        return " " if between_letters and not splits_a_word(before[-40:], after[:40]) else ""

    return _ZERO_WIDTH_SPACE.sub(replaced, text)
