#!/usr/bin/env python
"""Kill index rebuilds at random moments while a server answers questions; count the damage.

    python scripts/kill_rebuild.py [--corpus seeds] [--runs 20] [--swaps 3] [--seed 0]
                                   [--max-seconds 1200] [--json]

Set-up: the corpus is copied into a temporary folder and indexed there (a temporary data dir,
never data/), and a server (`python -m api.main`, extractive answers, index watcher every
0.5 s) is started on it. A thread then asks questions (POST /ask) and lists the documents
without pause until the end.

Each run changes the corpus (adds an article, or rewrites an added one), starts
`scripts/rebuild_index.py` (alternately `--full` and incremental, so kills land in cleaning,
embedding, writing and swapping) and sends it SIGKILL after a random delay between 20 % and
100 % of the longest whole rebuild measured so far (a rebuild that finished first counts as
"finished before kill"; a kill that left an unfinished version folder, i.e. hit after the
build had started writing its version (embedding, saving, swapping), is counted as "killed with
unfinished version"). `--swaps` runs are left
to finish instead, and the script waits until the server serves the new version. After every
run it checks, on disk and over HTTP:

* the `current` version loads and every file matches its checksum (else: corrupt index);
* every article of the last version known to be current is still indexed (else: lost);
* the server still lists them.

Questions that get anything but a 200 are failed queries. It prints runs, kills, corrupt
indexes found, lost articles, queries sent and failed, swaps seen by the server and the time
taken, and exits 0 only when nothing was corrupt, lost or failed. Runs stop early when
`--max-seconds` is reached (then fewer runs are reported).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from index.store import CorpusIndex  # noqa: E402
from index.versions import current_version  # noqa: E402
from qa.errors import QAError  # noqa: E402
from scripts.cli import run_cli  # noqa: E402

ADMIN_KEY = "kill-rebuild-admin-key-0123456789"
QUESTIONS = [
    "What did South Korea say about the drones?",
    "How many troops were sent?",
    "Who opened the new line?",
    "What was destroyed by the frost?",
]


@dataclass
class Tally:
    runs: int = 0
    killed_mid_build: int = 0
    killed_with_unfinished_version: int = 0  # its version folder existed, without manifest
    finished_before_kill: int = 0
    swaps: int = 0
    swaps_seen_by_server: int = 0
    corrupt_indexes: int = 0
    lost_articles: int = 0
    queries: int = 0
    failed_queries: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


class Asker(threading.Thread):
    """Asks questions and lists documents until stopped; counts every non-200 answer."""

    def __init__(self, url: str, tally: Tally) -> None:
        super().__init__(daemon=True)
        self._url = url
        self._tally = tally
        self._halt = threading.Event()
        self._lock = threading.Lock()

    def run(self) -> None:
        with httpx.Client(base_url=self._url, timeout=60) as client:
            i = 0
            while not self._halt.is_set():
                i += 1
                try:
                    if i % 3:
                        body = {"question": QUESTIONS[i % len(QUESTIONS)]}
                        response = client.post("/ask", json=body)
                    else:
                        response = client.get("/documents", params={"limit": 1000})
                    ok = response.status_code == 200
                    detail = f"{response.status_code} {response.text[:200]}"
                except httpx.HTTPError as exc:
                    ok, detail = False, repr(exc)
                with self._lock:
                    self._tally.queries += 1
                    if not ok:
                        self._tally.failed_queries += 1
                        self._tally.problems.append(f"query failed: {detail}")

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=120)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--corpus", type=Path, default=ROOT / "seeds", help="articles to rebuild (default seeds/)"
    )
    parser.add_argument("--runs", type=int, default=20, help="rebuilds to kill (default 20)")
    parser.add_argument("--swaps", type=int, default=3, help="rebuilds left to finish")
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the random kill times (default %(default)s)"
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=1200.0,
        help="stop the loop after this long, runs done or not (default %(default)s)",
    )
    parser.add_argument("--json", action="store_true", help="print the tally as one JSON object")
    args = parser.parse_args()
    if args.runs < 1 or args.swaps < 0 or args.max_seconds <= 0:
        parser.error("--runs must be at least 1, --swaps at least 0, --max-seconds above 0")
    if not args.corpus.is_dir():
        parser.error(f"--corpus {args.corpus} is not a folder")
    rng = random.Random(args.seed)
    tally = Tally()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kill-rebuild-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        shutil.copytree(args.corpus, corpus)
        data_dir = work / "data"
        env = {**os.environ, "HF_HUB_OFFLINE": "1"}
        first = time.monotonic()
        run_rebuild(corpus, data_dir, env, full=True).wait()
        build_seconds = time.monotonic() - first
        log(f"first build: {build_seconds:.1f} s")
        expected = indexed_articles(data_dir, tally) or set()
        server = start_server(data_dir, work / "server.log", env)
        asker = Asker(server.url, tally)
        asker.start()
        try:
            plan = ["kill"] * args.runs + ["swap"] * args.swaps
            rng.shuffle(plan)
            for n, action in enumerate(plan, start=1):
                if time.monotonic() - started > args.max_seconds:
                    tally.problems.append(f"stopped after {n - 1} runs: --max-seconds reached")
                    break
                change_corpus(corpus, n, rng)
                folders_before = version_folders(data_dir)
                began = time.monotonic()
                process = run_rebuild(corpus, data_dir, env, full=n % 2 == 0)
                if action == "swap":
                    tally.swaps += 1
                    code = process.wait()
                    build_seconds = max(build_seconds, time.monotonic() - began)
                    if code != 0:
                        tally.problems.append(f"run {n}: a rebuild left to finish failed")
                    expected = indexed_articles(data_dir, tally) or expected
                    if wait_until_served(server.url, data_dir):
                        tally.swaps_seen_by_server += 1
                    else:
                        tally.problems.append(f"run {n}: the server did not load the new version")
                else:
                    tally.runs += 1
                    # start-up (imports, model load) is most of a rebuild: skip its first part
                    delay = rng.uniform(0.2, 1.0) * build_seconds
                    try:
                        process.wait(timeout=delay)
                        tally.finished_before_kill += 1
                    except subprocess.TimeoutExpired:
                        process.send_signal(signal.SIGKILL)
                        process.wait()
                        tally.killed_mid_build += 1
                        unfinished = version_folders(data_dir) - folders_before
                        if any(not (f / "manifest.json").exists() for f in unfinished):
                            tally.killed_with_unfinished_version += 1
                now = indexed_articles(data_dir, tally)
                if now is not None:
                    lost = expected - now
                    tally.lost_articles += len(lost)
                    if lost:
                        tally.problems.append(f"run {n}: lost {sorted(lost)}")
                    expected = now  # a finished rebuild may have added the new article
                    check_server_lists(server.url, expected, tally, n)
                log(f"run {n}/{len(plan)} {action}: killed {tally.killed_mid_build}, "
                    f"corrupt {tally.corrupt_indexes}, lost {tally.lost_articles}, "
                    f"queries {tally.queries} ({tally.failed_queries} failed)")  # fmt: skip
        finally:
            asker.stop()
            server.stop()
    tally.seconds = round(time.monotonic() - started, 1)
    report(tally, as_json=args.json)
    clean = tally.corrupt_indexes == tally.lost_articles == tally.failed_queries == 0
    return 0 if clean and tally.swaps_seen_by_server == tally.swaps else 1


def run_rebuild(
    corpus: Path, data_dir: Path, env: dict[str, str], *, full: bool
) -> subprocess.Popen[bytes]:
    command = [sys.executable, str(ROOT / "scripts" / "rebuild_index.py"), str(corpus),
               "--data-dir", str(data_dir)] + (["--full"] if full else [])  # fmt: skip
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def change_corpus(corpus: Path, n: int, rng: random.Random) -> None:
    """Add an article, or (every third run) rewrite one added before: real work to interrupt."""
    number = rng.randrange(1, n + 1) if n % 3 == 0 else n
    words = rng.sample(["harbour", "council", "storm", "budget", "tram", "library", "festival",
                        "bridge", "school", "orchard", "ferry", "museum"], 4)  # fmt: skip
    text = (
        f"Kill test article {number}\n\n"
        f"The {words[0]} and the {words[1]} were discussed at meeting {n} on Tuesday.\n\n"
        f"Officials said the {words[2]} plan would cost {rng.randrange(2, 900)} million.\n\n"
        f"A vote on the {words[3]} is expected next month."
    )
    (corpus / f"kill-{number:03d}.txt").write_text(text, encoding="utf-8")


def version_folders(data_dir: Path) -> set[Path]:
    return set((data_dir / "index" / "versions").iterdir())


def indexed_articles(data_dir: Path, tally: Tally) -> set[str] | None:
    """Articles of the current version, or None (and one corrupt index counted) if it is bad."""
    index_dir = data_dir / "index"
    try:
        return set(CorpusIndex.load(current_version(index_dir)).articles)
    except QAError as exc:
        tally.corrupt_indexes += 1
        tally.problems.append(f"current index is unusable: {exc}")
        return None


def check_server_lists(url: str, expected: set[str], tally: Tally, n: int) -> None:
    # the server may still serve the version before a rebuild that just finished: it must
    # list at least every article that was indexed before this run
    response = httpx.get(f"{url}/documents", params={"limit": 1000}, timeout=60)
    listed = {d["doc_id"] for d in response.json()["documents"]}
    missing = {d for d in expected if not d.startswith("kill-")} - listed
    if missing:
        tally.lost_articles += len(missing)
        tally.problems.append(f"run {n}: the server does not list {sorted(missing)}")


def wait_until_served(url: str, data_dir: Path, timeout_s: float = 60) -> bool:
    target = (data_dir / "index" / "current").resolve().name
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = httpx.get(f"{url}/admin/index", headers=headers, timeout=30).json()
        if status.get("served") == target:
            return True
        time.sleep(0.25)
    return False


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_server(
    data_dir: Path, log_path: Path, env: dict[str, str], *, deadline_s: float = 180, port: int = 0
) -> Server:
    """A server on `data_dir` at `port` (0: a free one), ready to answer."""
    if not port:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
    environ = {
        **env,
        "QA_DATA_DIR": str(data_dir),
        "QA_SERVER__PORT": str(port),
        "QA_GENERATION__BACKEND": "none",  # the index is under test, not the model
        "QA_INDEX__RELOAD_INTERVAL_S": "0.5",
        "QA_SECURITY__ADMIN_API_KEY": ADMIN_KEY,
        "QA_SERVER__GENERATION_QUEUE_SIZE": "64",
    }
    handle = log_path.open("wb")
    process = subprocess.Popen([sys.executable, "-m", "api.main"], cwd=ROOT, env=environ,
                               stdout=handle, stderr=handle)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log_path.read_text()}")
        try:
            if httpx.get(f"{url}/documents", timeout=2).status_code == 200:
                return Server(url, process)
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    process.kill()
    raise RuntimeError(f"server did not become ready:\n{log_path.read_text()}")


def report(tally: Tally, *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(asdict(tally)))
        return
    for name, value in asdict(tally).items():
        if name != "problems":
            print(f"{name:24} {value}")
    for problem in tally.problems[:20]:
        print(f"problem: {problem}")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    run_cli(main)
