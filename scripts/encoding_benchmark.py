#!/usr/bin/env python
"""How often a text file in a legacy code page is read back exactly (`qa.decoding.decode_text`).

    python scripts/encoding_benchmark.py [--man-dir /usr/share/man] [--pages 25] [--seed 0]

The samples are text nobody tuned the guess for: the translated manual pages a Debian machine
carries (`<man-dir>/<lang>/**/*.gz`, roff markup stripped). From each of the first `--pages`
pages (shuffled with `--seed`) of each language, one snippet of 80, 250 and 700 characters is
cut at a random place. It is kept when it has a character beyond ASCII, its language's legacy
code page can write it, and the bytes are not UTF-8 too (a few pages are themselves UTF-8 read
as windows-1252, "nÃºmero", whose bytes are the UTF-8 of "número"). The code pages:
windows-1250 for Czech, Croatian, Hungarian, Polish, Slovene and Romanian; windows-1252 for
Danish, Dutch, Finnish, French, German, Indonesian, Italian, Portuguese, Spanish and Swedish;
windows-1251 for Russian and Serbian; windows-1254 for Turkish; Shift_JIS (cp932) for
Japanese; CP949 for Korean. Each snippet is encoded so and decoded by the project. It prints,
per language and snippet length, how many came back exactly, and the total. The man pages
installed differ between machines, so compare runs on one machine (docs/extraction.md).
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from qa.decoding import decode_text  # noqa: E402
from scripts.cli import UsageError, run_cli  # noqa: E402

CODE_PAGES = {
    **dict.fromkeys(["cs", "hr", "hu", "pl", "sl", "ro"], "cp1250"),
    **dict.fromkeys(["da", "de", "es", "fi", "fr", "id", "it", "nl", "pt", "sv"], "cp1252"),
    **dict.fromkeys(["ru", "sr"], "cp1251"),
    "tr": "cp1254",
    "ja": "cp932",
    "ko": "cp949",
}
SIZES = (80, 250, 700)
_ROFF_ESCAPE = re.compile(r"\\f[BIRP]|\\\(..|\\[-&e]|\\\*.|\\s[-+]?\d")


def page_text(path: Path) -> str:
    """A manual page's running text: request lines and escapes removed, white space collapsed."""
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
        raw = f.read()
    lines = [line for line in raw.splitlines() if line and not line.startswith((".", "'"))]
    return " ".join(_ROFF_ESCAPE.sub("", " ".join(lines)).split())


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--man-dir", type=Path, default=Path("/usr/share/man"), help="default %(default)s"
    )
    parser.add_argument("--pages", type=int, default=25, help="pages a language (default 25)")
    parser.add_argument("--seed", type=int, default=0, help="shuffle and cut seed (default 0)")
    args = parser.parse_args()
    if not args.man_dir.is_dir():
        raise UsageError(f"--man-dir {args.man_dir} is not a folder")
    rng = random.Random(args.seed)
    counts: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])  # right, all
    for lang, code_page in CODE_PAGES.items():
        pages = sorted((args.man_dir / lang).rglob("*.gz"))
        rng.shuffle(pages)
        used = 0
        for path in pages:
            if used >= args.pages:
                break
            text = page_text(path)
            if len(text) <= max(SIZES):
                continue
            used += 1
            for size in SIZES:
                start = rng.randrange(0, len(text) - size)
                snippet = text[start : start + size]
                if all(ord(c) < 128 for c in snippet):
                    continue
                try:
                    data = snippet.encode(code_page)
                    data.decode("utf-8")  # nothing to guess (or the page is itself mojibake)
                    continue
                except UnicodeEncodeError:
                    continue
                except UnicodeDecodeError:
                    pass
                count = counts[(lang, size)]
                count[0] += decode_text(data).text == snippet
                count[1] += 1
    right = sum(c[0] for c in counts.values())
    total = sum(c[1] for c in counts.values())
    if total == 0:
        raise UsageError(f"no translated manual pages under {args.man_dir}")
    for lang, code_page in CODE_PAGES.items():
        cells = "  ".join(
            f"{size}: {counts[(lang, size)][0]}/{counts[(lang, size)][1]}" for size in SIZES
        )
        print(f"{lang:3} {code_page:7} {cells}")
    print(f"read exactly   {right}/{total} ({right / total:.1%})")
    return 0


if __name__ == "__main__":
    run_cli(main)
