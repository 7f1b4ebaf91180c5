#!/usr/bin/env python
"""Make an earlier index version current again (a running server picks it up by itself).

    python scripts/rollback_index.py [--data-dir DIR] [--to VERSION] [--list] [--wait SECONDS]

Without --to, `current` goes back to the newest intact version older than it (every file is
checked against the checksums in its manifest first). Newer versions are kept, so a rollback
can be undone with --to. --list shows the complete versions, newest first, which is current,
and which fail their checksums.

exit status:
  0  `current` now points at the chosen version (or --list printed the versions)
     (--list: 1 when the data directory holds no version)
  1  nothing to roll back to, or the chosen version is missing or damaged; `current` unchanged
  2  bad command line
  3  a rebuild was running (waited --wait seconds); nothing was done
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from index.builder import build_lock  # noqa: E402
from index.versions import check_version, complete_versions, rollback  # noqa: E402
from qa.errors import Conflict, QAError  # noqa: E402
from qa.settings import Settings  # noqa: E402
from scripts.cli import run_cli  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--data-dir", type=Path, help="where the index is (default QA_DATA_DIR)")
    parser.add_argument("--to", metavar="VERSION", help="the version folder name to make current")
    parser.add_argument("--list", action="store_true", help="list the versions and stop")
    parser.add_argument("--wait", type=float, default=600.0, metavar="SECONDS",
                        help="how long to wait for a running rebuild (default 600)")  # fmt: skip
    args = parser.parse_args()
    settings = Settings() if args.data_dir is None else Settings(data_dir=args.data_dir)
    index_dir = settings.index_dir
    if args.list:
        link = index_dir / "current"
        current = link.resolve().name if link.exists() else None
        versions = complete_versions(index_dir)
        if not versions:
            print(f"no index versions in {index_dir}", file=sys.stderr)
            return 1
        for version in versions:
            try:  # every file against its checksum, as a rollback would
                check_version(version)
                damaged = ""
            except QAError as exc:
                damaged = f"  (damaged: {getattr(exc, 'damage', exc)})"
            print(("* " if version.name == current else "  ") + version.name + damaged)
        return 0
    try:
        # under the build lock: a rebuild finishing now must not swap over the rollback
        with build_lock(index_dir, timeout_s=args.wait):
            before = (index_dir / "current").resolve()
            version = rollback(index_dir, to=args.to)
    except Conflict as exc:
        print(f"rollback not started: {exc}", file=sys.stderr)
        return 3
    except QAError as exc:
        print(f"rollback failed: {exc}; current is unchanged", file=sys.stderr)
        return 1
    # version names sort by the time they were built: --to may name a newer one
    moved = "Moved forward" if version.name > before.name else "Rolled back"
    print(f"{moved}: current → {version.name} (was {before.name})")
    return 0


if __name__ == "__main__":
    run_cli(main)
