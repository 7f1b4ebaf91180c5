#!/usr/bin/env python
"""Article-like synthetic paragraphs for scale runs, deterministic from a seed.

    python scripts/synthetic_corpus.py OUT_FOLDER --paragraphs 10000 [--seed 0]
                                       [--per-article 12] [--format txt|jsonl]

`txt` writes one article a file (a headline, then paragraphs separated by blank lines), ready
for `scripts/rebuild_index.py`; `jsonl` writes one `{"text": ...}` line a paragraph (what
`scripts/scale_benchmark.py` reads in memory through `paragraphs()`).

Each article has a topic (a set of subject nouns and verbs), a cast of people, organisations
and places, and a date; its paragraphs are two to four news-style sentences built from
templates over those, with numbers, dates and quotes. Names are made from syllables, so the
vocabulary keeps growing with the corpus (about as a real news archive's does) and BM25 sees
realistic term statistics: frequent function words, topic words shared by many articles, rare
names. Paragraph `i` depends only on `seed` and `i` (and the article it falls in), so a 10k
corpus is the first 10k paragraphs of the 1M one.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scripts.cli import run_cli  # noqa: E402

SYLLABLES = (
    "ka ri mo lan ta vel sor na bek ul dra min ost ha ze pir gon te lu var kos ed ni bra "
    "sil om tur fa yen cha dor iv mel qua rus en tol ab gri hav"
).split()
ROLES = (
    "minister spokesperson chairman director governor mayor general ambassador analyst "
    "economist prosecutor president chief executive commander senator professor"
).split()
ORG_KINDS = (
    "Ministry|Council|Agency|Bank|Institute|Commission|Party|Union|Group|Authority|Court|"
    "Federation|Company|Foundation|Army|Police|University|Observatory"
).split("|")
TOPICS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("drones", "missiles", "troops", "border", "ceasefire", "patrols", "soldiers"),
     ("launched", "deployed", "withdrew", "intercepted", "crossed", "reinforced")),
    (("election", "ballots", "voters", "campaign", "candidates", "parliament", "coalition"),
     ("won", "lost", "counted", "contested", "announced", "postponed")),
    (("harvest", "prices", "farmers", "drought", "exports", "wheat", "fertiliser"),
     ("rose", "fell", "doubled", "collapsed", "recovered", "stalled")),
    (("flood", "storm", "rainfall", "evacuations", "river", "levees", "shelters"),
     ("hit", "flooded", "damaged", "closed", "reopened", "evacuated")),
    (("vaccine", "hospital", "patients", "outbreak", "clinics", "doctors", "infections"),
     ("treated", "reported", "confirmed", "admitted", "tested", "vaccinated")),
    (("factory", "workers", "strike", "wages", "contract", "shifts", "union"),
     ("signed", "rejected", "ended", "extended", "negotiated", "halted")),
    (("satellite", "rocket", "launch", "orbit", "telescope", "mission", "engineers"),
     ("launched", "tested", "delayed", "recovered", "captured", "detected")),
    (("court", "trial", "verdict", "appeal", "judges", "charges", "lawyers"),
     ("ruled", "dismissed", "upheld", "filed", "overturned", "sentenced")),
    (("bank", "inflation", "rates", "currency", "bonds", "markets", "investors"),
     ("raised", "cut", "held", "weakened", "steadied", "surged")),
    (("ferry", "railway", "airport", "timetable", "passengers", "routes", "tickets"),
     ("resumed", "suspended", "added", "cancelled", "expanded", "delayed")),
    (("school", "teachers", "students", "exams", "curriculum", "classrooms", "funding"),
     ("opened", "closed", "reformed", "increased", "protested", "approved")),
    (("museum", "exhibition", "paintings", "festival", "artists", "visitors", "archive"),
     ("opened", "returned", "restored", "attracted", "acquired", "displayed")),
)  # fmt: skip
MONTHS = (
    "January February March April May June July August September October November December"
).split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
ADJECTIVES = (
    "new former senior local national regional independent emergency joint official "
    "annual unexpected temporary long-awaited disputed"
).split()
SAYING = "said|told reporters|warned|announced|confirmed|added|insisted|wrote in a statement"


def _name(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


@dataclass(frozen=True)
class Cast:
    """Who and what one article is about."""

    nouns: tuple[str, ...]
    verbs: tuple[str, ...]
    people: tuple[str, ...]
    orgs: tuple[str, ...]
    places: tuple[str, ...]
    year: int
    month: str

    @classmethod
    def of_article(cls, seed: int, article: int) -> Cast:
        rng = random.Random(f"{seed}:article:{article}")
        nouns, verbs = rng.choice(TOPICS)
        return cls(
            nouns=nouns,
            verbs=verbs,
            people=tuple(f"{_name(rng, 2)} {_name(rng, rng.randint(2, 3))}" for _ in range(3)),
            orgs=tuple(f"{_name(rng, 2)} {rng.choice(ORG_KINDS)}" for _ in range(2)),
            places=tuple(_name(rng, rng.randint(2, 3)) for _ in range(3)),
            year=rng.randint(1995, 2026),
            month=rng.choice(MONTHS),
        )

    def headline(self, seed: int, article: int) -> str:
        rng = random.Random(f"{seed}:headline:{article}")
        return (
            f"{rng.choice(self.orgs)} {rng.choice(self.verbs)} {rng.choice(self.nouns)} "
            f"in {rng.choice(self.places)}"
        )


def _sentence(rng: random.Random, c: Cast) -> str:
    noun, other = rng.sample(c.nouns, 2)
    person, org, place = rng.choice(c.people), rng.choice(c.orgs), rng.choice(c.places)
    verb, adj, role = rng.choice(c.verbs), rng.choice(ADJECTIVES), rng.choice(ROLES)
    number = f"{rng.randint(2, 90) * 10 ** rng.randint(0, 3):,}"
    date = f"{c.month} {rng.randint(1, 28)}, {c.year}"
    say = rng.choice(SAYING.split("|"))
    templates = (
        f"{person}, the {role} of the {org}, {say} on {rng.choice(WEEKDAYS)} that the {adj} "
        f"{noun} in {place} had {verb} the {other}.",
        f"The {org} {verb} {number} {noun} in {place} on {date}.",
        f"{number} {noun} were {verb} near {place}, according to the {org}.",
        f'"The {noun} will not wait," {person} {say}, adding that {number} {other} were at stake.',
        f"Officials in {place} {verb} the {adj} {noun} after {person} met the {role} of the {org}.",
        f"In {c.year}, the {org} {verb} its {other}, and critics in {place} called the "
        f"{noun} {adj}.",
        f"Residents of {place} said the {noun} had {verb} about {number} {other} since {date}.",
        f"{person} did not say when the {adj} {noun} would be {verb} again.",
    )
    return rng.choice(templates)


def paragraph(seed: int, i: int, per_article: int = 12) -> str:
    """Paragraph `i` of the corpus made from `seed`: two to four sentences of its article."""
    cast = Cast.of_article(seed, i // per_article)
    rng = random.Random(f"{seed}:paragraph:{i}")
    return " ".join(_sentence(rng, cast) for _ in range(rng.randint(2, 4)))


def paragraphs(
    count: int, seed: int = 0, *, start: int = 0, per_article: int = 12
) -> Iterator[str]:
    """Paragraphs `start` … `start + count - 1`; a held-out set is just another `start`."""
    for i in range(start, start + count):
        yield paragraph(seed, i, per_article)


def question(seed: int, i: int) -> str:
    """A question-like query about one held-out article's topic (for query vectors)."""
    cast = Cast.of_article(seed, 10**9 + i)
    rng = random.Random(f"{seed}:question:{i}")
    return (
        f"What did the {rng.choice(cast.orgs)} say about the {rng.choice(cast.nouns)} in "
        f"{rng.choice(cast.places)}?"
    )


def write(folder: Path, count: int, seed: int, per_article: int, form: str) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    if form == "jsonl":
        with (folder / "paragraphs.jsonl").open("w", encoding="utf-8") as f:
            for text in paragraphs(count, seed, per_article=per_article):
                f.write(json.dumps({"text": text}) + "\n")
        return 1
    articles = 0
    for first in range(0, count, per_article):
        article = first // per_article
        body = "\n\n".join(
            paragraphs(min(per_article, count - first), seed, start=first, per_article=per_article)
        )
        headline = Cast.of_article(seed, article).headline(seed, article)
        (folder / f"syn_{article:07d}.txt").write_text(f"{headline}\n\n{body}\n", encoding="utf-8")
        articles += 1
    return articles


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write into")
    parser.add_argument(
        "--paragraphs", type=int, default=10_000, help="how many paragraphs (default %(default)s)"
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="the same seed writes the same corpus (default 0)"
    )
    parser.add_argument(
        "--per-article", type=int, default=12, help="paragraphs per article (default %(default)s)"
    )
    parser.add_argument(
        "--format",
        choices=["txt", "jsonl"],
        default="txt",
        help="one .txt file per article, or one JSON-lines archive (default %(default)s)",
    )
    args = parser.parse_args()
    if args.paragraphs < 1 or args.per_article < 1:
        parser.error("--paragraphs and --per-article must be at least 1")
    files = write(args.out, args.paragraphs, args.seed, args.per_article, args.format)
    print(f"wrote {args.paragraphs} paragraphs ({files} files) to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    run_cli(main)
