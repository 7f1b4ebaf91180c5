#!/usr/bin/env python
"""Kill the server (SIGKILL) while it adds, replaces and deletes documents; restart it and count
damage.

    python scripts/kill_documents.py [--corpus seeds] [--kills 30] [--seed 0]
                                     [--max-seconds 3600] [--json]

Set-up: the corpus is copied into a temporary folder and indexed there (a temporary data dir,
never data/), and a server (`python -m api.main`, extractive answers, admin key, index watcher
every 0.5 s) is started on it. A thread asks questions (POST /ask) and lists the documents
without pause while the server is up.

Each round sends one change through the API: an add of a made-up article (a few paragraphs,
or tens, so that builds last long enough to interrupt), a replacement (PUT) of an article added
earlier by another made-up text, or a delete of an article added earlier (acknowledged). The
server is killed in the middle of it, at one of two kinds of moment:

* random: after a random delay between 0 and 120 % of how long that kind of change took when
  it was left to finish (measured first, and updated by every change that finished);
* pruning: as soon as an old index version is being removed (its folder appears under
  index/.pruning), or right after the new version was made current if that is not seen in
  time. A round counts as "during pruning" only when start-up then finished a removal.

Then the server is restarted on the same data, and the script checks:

* every acknowledged add or replacement (200/201) is served, with its text; every acknowledged
  delete stays deleted (else: lost documents / resurrected documents);
* the change the kill interrupted (no answer) is either fully done or fully undone: served
  with its file in the corpus folder, or absent without it; a replacement served with either
  its earlier or its new text, the file holding the one served;
* its retry succeeds (an add or replacement 200 or 201, a delete 204; a 409 is counted apart);
* the corpus folder and the served index hold the same articles (else: orphan or missing files);
* every folder under index/versions is a complete version whose files match their checksums,
  and nothing is left under index/.pruning or in the journal (else: broken versions, leftovers);
* /readyz is `ready`; a few questions are answered (200); any question the asking thread got
  anything but a 200 for while the server was up is a failed question.

It prints the counts and exits 0 only when nothing was lost, orphaned, broken, failed, or
answered 409 on a retry. Rounds stop early at `--max-seconds` (then fewer kills are reported).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from index.checksums import sha256_file  # noqa: E402
from index.versions import PRUNING_DIR, check_version  # noqa: E402
from qa.errors import QAError  # noqa: E402
from scripts.cli import run_cli  # noqa: E402
from scripts.kill_rebuild import (  # noqa: E402
    ADMIN_KEY,
    QUESTIONS,
    Server,
    log,
    run_rebuild,
    start_server,
)

ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
WORDS = ("harbour council budget ferry tram library orchard bridge school museum storm festival "
         "pier lighthouse market station vineyard quarry glacier canal").split()  # fmt: skip


@dataclass
class Tally:
    kills: int = 0
    kills_during_add: int = 0
    kills_during_delete: int = 0
    kills_during_replace: int = 0
    kills_aimed_at_pruning: int = 0
    kills_during_pruning: int = 0  # start-up finished removing a half-removed version
    changes_finished_before_kill: int = 0
    acknowledged_adds: int = 0
    acknowledged_deletes: int = 0
    acknowledged_replaces: int = 0
    interrupted_done: int = 0  # the change the kill cut off (no answer) was fully done
    interrupted_undone: int = 0  # ... or fully undone
    half_done_changes: int = 0
    retries: dict[str, int] = field(default_factory=dict)  # status -> count
    retry_409s: int = 0
    lost_documents: int = 0
    resurrected_documents: int = 0
    orphan_files: int = 0
    missing_files: int = 0
    broken_versions: int = 0
    leftovers_after_startup: int = 0
    not_ready_after_restart: int = 0
    recovered_at_startup: int = 0  # notes start-up gave
    questions: int = 0
    failed_questions: int = 0
    interrupted_questions: int = 0  # cut off by a kill: not a failure
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return (
            self.lost_documents == self.resurrected_documents == self.orphan_files == 0
            and self.missing_files == self.broken_versions == self.leftovers_after_startup == 0
            and self.failed_questions == self.retry_409s == self.half_done_changes == 0
            and self.not_ready_after_restart == 0
        )


class Counts(Protocol):
    """What the asking thread and a restart count (this script's `Tally`, kill_imports.py's)."""

    questions: int
    failed_questions: int
    interrupted_questions: int
    not_ready_after_restart: int
    problems: list[str]


class Asker(threading.Thread):
    """Asks questions while the server is up; a kill turns cut-off requests into interruptions."""

    def __init__(self, tally: Counts) -> None:
        super().__init__(daemon=True)
        self._tally = tally
        self._halt = threading.Event()
        self._lock = threading.Lock()
        self._url: str | None = None
        self._generation = 0  # bumped by every kill

    def up(self, url: str) -> None:
        with self._lock:
            self._url = url

    def down(self) -> None:
        with self._lock:
            self._url = None
            self._generation += 1

    def run(self) -> None:
        i = 0
        while not self._halt.is_set():
            with self._lock:
                url, generation = self._url, self._generation
            if url is None:
                time.sleep(0.05)
                continue
            i += 1
            try:
                with httpx.Client(base_url=url, timeout=60) as client:
                    if i % 3:
                        response = client.post("/ask", json={"question": QUESTIONS[i % 4]})
                    else:
                        response = client.get("/documents", params={"limit": 1000})
                outcome = "ok" if response.status_code == 200 else f"{response.status_code}"
            except httpx.HTTPError as exc:
                outcome = repr(exc)
            with self._lock:
                self._tally.questions += 1
                if outcome == "ok":
                    continue
                if generation != self._generation:  # the server was killed under it
                    self._tally.interrupted_questions += 1
                else:
                    self._tally.failed_questions += 1
                    self._tally.problems.append(f"question failed: {outcome[:200]}")

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=120)


@dataclass
class Change:
    op: str  # add | replace | delete
    doc_id: str
    body: dict[str, Any] | None = None  # add, replace: what was sent
    previous: str | None = None  # replace: the text it replaces
    text: str | None = None  # the article text it should be served with, if not body["text"]
    status: int | None = None  # the answer, if one came before the kill
    document: dict[str, Any] | None = None


def article(rng: random.Random, n: int) -> dict[str, Any]:
    """A made-up article: short, medium or long (so that its build takes a while)."""
    paragraphs = rng.choice([3, 12, 30, 60])
    body = "\n\n".join(
        f"Item {p}: the {rng.choice(WORDS)} committee said the {rng.choice(WORDS)} plan for "
        f"district {p} would cost {rng.randrange(2, 900)} million and take {p % 7 + 2} years. "
        f"Residents asked about the {rng.choice(WORDS)} and the {rng.choice(WORDS)} in ward {p}."
        for p in range(paragraphs)
    )
    return {"doc_id": f"kill-doc-{n:03d}", "title": f"Fault report {n}", "text": body}


def main() -> int:
    args = kill_arguments(__doc__, kills=30)
    rng = random.Random(args.seed)
    tally = Tally()

    def progress() -> str:
        return (f"lost {tally.lost_documents}, orphans {tally.orphan_files}, broken "
                f"{tally.broken_versions}, 409s {tally.retry_409s}, questions {tally.questions} "
                f"({tally.failed_questions} failed)")  # fmt: skip

    tally.seconds = kill_rounds(
        args, tally, rng, prefix="kill-documents-", aimed="pruning", progress=progress,
        run=lambda work, corpus, data_dir, env: Run(work, corpus, data_dir, env, tally, rng),
    )  # fmt: skip
    report(tally, as_json=args.json)
    return 0 if tally.clean else 1


# --- what this script and kill_imports.py share: the options, the set-up and the rounds --------


def kill_arguments(doc: str | None, *, kills: int) -> argparse.Namespace:
    """The options of a crash test (this script's, kill_imports.py's), `kills` by default,
    checked; the description is the first paragraph of the script's `doc`."""
    parser = argparse.ArgumentParser(
        description=(doc or "").split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=ROOT / "seeds",
        help="articles to start from (default seeds/)",
    )
    parser.add_argument("--kills", type=int, default=kills, help=f"server kills (default {kills})")
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the random kill times (default %(default)s)"
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=3600.0,
        help="stop the loop after this long, kills done or not (default %(default)s)",
    )
    parser.add_argument("--json", action="store_true", help="print the tally as one JSON object")
    args = parser.parse_args()
    if args.kills < 1 or args.max_seconds <= 0:
        parser.error("--kills must be at least 1 and --max-seconds above 0")
    if not args.corpus.is_dir():
        parser.error(f"--corpus {args.corpus} is not a folder")
    return args


class Rounds(Protocol):
    """What `kill_rounds` drives (this script's `Run`, kill_imports.py's)."""

    def calibrate(self) -> None: ...
    def round(self, n: int, moment: str) -> None: ...
    def stop(self) -> None: ...


def kill_rounds(
    args: argparse.Namespace,
    tally: Counts,
    rng: random.Random,
    *,
    prefix: str,
    aimed: str,
    progress: Callable[[], str],
    run: Callable[[Path, Path, Path, dict[str, str]], Rounds],
) -> float:
    """A crash test's rounds: the corpus copied into a temporary folder (named `prefix`…) and
    indexed there, the `run` made on it (work folder, corpus, data dir, environment)
    calibrated, then `args.kills` rounds, a third of them at the `aimed` moment and the rest at
    `random`, in an order `rng` draws, until `args.max_seconds`; each logged with `progress`.
    The seconds it took."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        shutil.copytree(args.corpus, corpus)
        data_dir = work / "data"
        # questions embed with torch: the ONNX export would only slow every start-up here
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "QA_INDEX__QUERY_BACKEND": "torch"}
        if run_rebuild(corpus, data_dir, env, full=True).wait() != 0:
            raise SystemExit(f"could not index {args.corpus}")
        rounds = run(work, corpus, data_dir, env)
        try:
            rounds.calibrate()
            plan = ["random"] * (args.kills - args.kills // 3) + [aimed] * (args.kills // 3)
            rng.shuffle(plan)
            for n, moment in enumerate(plan, start=1):
                if time.monotonic() - started > args.max_seconds:
                    tally.problems.append(f"stopped after {n - 1} kills: --max-seconds reached")
                    break
                rounds.round(n, moment)
                log(f"kill {n}/{len(plan)} ({moment}): {progress()}")
        finally:
            rounds.stop()
    return round(time.monotonic() - started, 1)


class KilledServer:
    """The server under test on `data_dir`, started again after each kill, with the thread
    asking questions while it is up (this script's `Run`, and kill_imports.py's)."""

    def __init__(self, work: Path, data_dir: Path, env: dict[str, str], tally: Counts) -> None:
        self.work, self.data_dir, self.env = work, data_dir, env
        self.index_dir = data_dir / "index"
        self.counts = tally
        self.asker = Asker(tally)
        self.asker.start()
        self.server = self.start()

    def start(self) -> Server:
        log_path = self.work / f"server-{time.monotonic_ns()}.log"
        # a busy machine can take minutes to load the embedder
        server = start_server(self.data_dir, log_path, self.env, deadline_s=900)
        ready = httpx.get(f"{server.url}/readyz", timeout=30)
        if ready.status_code != 200 or ready.json().get("status") != "ready":
            self.counts.not_ready_after_restart += 1
            self.counts.problems.append(f"not ready after start-up: {ready.text[:300]}")
        self.asker.up(server.url)
        return server

    def kill(self) -> None:
        self.asker.down()
        self.server.process.send_signal(signal.SIGKILL)
        self.server.process.wait()

    def stop(self) -> None:
        self.asker.stop()
        self.server.stop()


class Run(KilledServer):
    """What the script knows it acknowledged, and one round at a time."""

    def __init__(
        self, work: Path, corpus: Path, data_dir: Path, env: dict[str, str], tally: Tally,
        rng: random.Random,
    ) -> None:  # fmt: skip
        self.corpus, self.tally, self.rng = corpus, tally, rng
        self.added: dict[str, str] = {}  # acknowledged adds still present: doc_id -> text
        self.deleted: set[str] = set()  # acknowledged deletes
        self.seconds: dict[str, list[float]] = {"add": [], "replace": [], "delete": []}
        self.counter = 0
        super().__init__(work, data_dir, env, tally)

    # --- changes -----------------------------------------------------------------------

    def next_change(self) -> Change:
        draw = self.rng.random()
        if self.added and draw < 0.3:
            return self.new_replace()
        if self.added and (draw < 0.6 or len(self.added) > 6):
            return Change("delete", self.rng.choice(sorted(self.added)))
        return self.new_add()

    def new_replace(self) -> Change:
        """Another text for an article added earlier; one time in three a saved page, so the
        file changes kind too (<id>.txt becomes <id>.html, and back)."""
        doc_id = self.rng.choice(sorted(self.added))
        self.counter += 1
        body = article(self.rng, self.counter)
        del body["doc_id"]  # the path names it
        if self.rng.random() < 1 / 3:
            paragraphs = "".join(f"<p>{p}</p>" for p in body["text"].split("\n\n"))
            page = (f"<html><head><title>{body['title']}</title></head><body><article>"
                    f"{paragraphs}</article></body></html>")  # fmt: skip
            return Change("replace", doc_id, {"html": page}, self.added[doc_id], body["text"])
        return Change("replace", doc_id, body, previous=self.added[doc_id])

    def new_add(self) -> Change:
        self.counter += 1
        body = article(self.rng, self.counter)
        return Change("add", body["doc_id"], body)

    def send(self, change: Change) -> None:
        """Send the change and note the answer (nothing, if the server dies first)."""
        try:
            with httpx.Client(base_url=self.server.url, timeout=600) as client:
                response = self.request(client, change)
        except httpx.HTTPError:
            return
        change.status = response.status_code
        if change.op != "delete" and response.status_code in (200, 201):
            change.document = response.json()

    @staticmethod
    def request(client: httpx.Client, change: Change) -> httpx.Response:
        if change.op == "add":
            return client.post("/documents", json=change.body, headers=ADMIN)
        if change.op == "replace":
            return client.put(f"/documents/{change.doc_id}", json=change.body, headers=ADMIN)
        return client.delete(f"/documents/{change.doc_id}", headers=ADMIN)

    def acknowledge(self, change: Change) -> None:
        if change.status is None:
            return
        if change.op != "delete" and change.status in (200, 201) and change.body is not None:
            if change.op == "add":
                self.tally.acknowledged_adds += 1
            else:
                self.tally.acknowledged_replaces += 1
            self.added[change.doc_id] = change.text or change.body["text"]
            self.deleted.discard(change.doc_id)
        elif change.op == "delete" and change.status == 204:
            self.tally.acknowledged_deletes += 1
            self.added.pop(change.doc_id, None)
            self.deleted.add(change.doc_id)
        else:
            self.tally.problems.append(f"{change.op} {change.doc_id} got {change.status}")

    def calibrate(self) -> None:
        """Three adds, a replacement and a delete, left to finish: how long changes take."""
        for change in [self.new_add() for _ in range(3)]:
            self.timed(change)
        self.timed(self.new_replace())
        self.timed(Change("delete", sorted(self.added)[0]))
        log("calibrated: " + ", ".join(f"{op} {max(took, default=0):.1f} s"
                                       for op, took in self.seconds.items()))  # fmt: skip

    def timed(self, change: Change) -> None:
        began = time.monotonic()
        self.send(change)
        self.seconds[change.op].append(time.monotonic() - began)
        self.acknowledge(change)

    # --- one round ---------------------------------------------------------------------

    def round(self, n: int, moment: str) -> None:
        change = self.next_change()
        current_before = os.readlink(self.index_dir / "current")
        began = time.monotonic()
        sender = threading.Thread(target=self.send, args=(change,))
        sender.start()
        if moment == "pruning":
            self.tally.kills_aimed_at_pruning += 1
            self.wait_for_pruning(current_before, sender)
        else:
            longest = max(self.seconds[change.op], default=2.0)
            sender.join(timeout=self.rng.uniform(0.0, 1.2) * longest)
        finished = not sender.is_alive()
        self.kill()
        sender.join()
        self.tally.kills += 1
        if change.op == "add":
            self.tally.kills_during_add += 1
        elif change.op == "replace":
            self.tally.kills_during_replace += 1
        else:
            self.tally.kills_during_delete += 1
        if finished and change.status is not None:
            self.tally.changes_finished_before_kill += 1
            self.seconds[change.op].append(time.monotonic() - began)
        self.acknowledge(change)
        self.server = self.start()
        self.check(n, change)

    def wait_for_pruning(self, current_before: str, sender: threading.Thread) -> None:
        """Return when an old version starts being removed (or soon after the new version is
        made current, if that is missed), or when the change has finished."""
        pruning = self.index_dir / PRUNING_DIR
        committed_at: float | None = None
        while sender.is_alive():
            if pruning.is_dir() and any(pruning.iterdir()):
                return
            if committed_at is None:
                try:
                    if os.readlink(self.index_dir / "current") != current_before:
                        committed_at = time.monotonic()
                except OSError:
                    pass
            elif time.monotonic() - committed_at > 0.05:
                return
            time.sleep(0.0005)

    # --- checks after the restart ------------------------------------------------------

    def check(self, n: int, change: Change) -> None:
        tally = self.tally
        with httpx.Client(base_url=self.server.url, timeout=120) as client:
            status = client.get("/admin/index", headers=ADMIN).json()
            recovered = status.get("recovered_at_startup", [])
            tally.recovered_at_startup += len(recovered)
            if any(note.startswith("finished removing") for note in recovered):
                tally.kills_during_pruning += 1
            listing = client.get("/documents", params={"limit": 1000}).json()
            served = {d["doc_id"] for d in listing["documents"]}

            interrupted = change.doc_id if change.status is None else None
            for doc_id, text in self.added.items():
                if doc_id == interrupted:  # a delete cut off: all or nothing, checked below
                    continue
                document = client.get(f"/documents/{doc_id}")
                if document.status_code != 200 or text.split("\n\n")[0] not in document.text:
                    tally.lost_documents += 1
                    tally.problems.append(f"kill {n}: acknowledged {doc_id} is not served")
            for doc_id in self.deleted & served:
                tally.resurrected_documents += 1
                tally.problems.append(f"kill {n}: deleted {doc_id} is served again")

            if change.status is None and change.op == "replace":
                self.check_replacement(client, n, change)
                self.retry(client, n, change)
            elif change.status is None:  # interrupted: all or nothing, then a retry
                file_there = self.file_of(change.doc_id) is not None
                is_served = change.doc_id in served
                if is_served != file_there:
                    tally.half_done_changes += 1
                    tally.problems.append(
                        f"kill {n}: {change.op} of {change.doc_id} half done: served "
                        f"{is_served}, file {file_there}"
                    )
                elif is_served == (change.op == "add"):
                    tally.interrupted_done += 1
                else:
                    tally.interrupted_undone += 1
                self.retry(client, n, change)
                served = {
                    d["doc_id"]
                    for d in client.get("/documents", params={"limit": 1000}).json()["documents"]
                }

            self.check_disk(n, served)
            for question in QUESTIONS[:3]:
                answer = client.post("/ask", json={"question": question})
                tally.questions += 1
                if answer.status_code != 200:
                    tally.failed_questions += 1
                    tally.problems.append(f"kill {n}: question got {answer.status_code}")

    def check_replacement(self, client: httpx.Client, n: int, change: Change) -> None:
        """A replacement cut off is served with its earlier text or its new one, whole (its
        file holding the same: `check_disk` compares every file with the index)."""
        assert change.body is not None and change.previous is not None
        document = client.get(f"/documents/{change.doc_id}")
        text = document.json().get("text", "") if document.status_code == 200 else ""
        wanted = change.text or change.body["text"]
        new, old = (t.split("\n\n")[0] in text for t in (wanted, change.previous))
        if new == old:  # neither (lost) or, impossibly, both
            self.tally.half_done_changes += 1
            self.tally.problems.append(
                f"kill {n}: replacement of {change.doc_id} half done: served "
                f"{document.status_code}, new text {new}, earlier text {old}"
            )
        elif new:
            self.tally.interrupted_done += 1
        else:
            self.tally.interrupted_undone += 1

    def retry(self, client: httpx.Client, n: int, change: Change) -> None:
        response = self.request(client, change)
        ok = response.status_code in ((204,) if change.op == "delete" else (200, 201))
        code = str(response.status_code)
        self.tally.retries[code] = self.tally.retries.get(code, 0) + 1
        if response.status_code == 409:
            self.tally.retry_409s += 1
        if not ok:
            self.tally.problems.append(
                f"kill {n}: retry of {change.op} {change.doc_id} got {response.status_code} "
                f"{response.text[:200]}"
            )
        change.status = response.status_code
        self.acknowledge(change)

    def file_of(self, doc_id: str) -> Path | None:
        """The article's file, a text or (after a page replaced it) a page."""
        found = [self.corpus / f"{doc_id}{suffix}" for suffix in (".txt", ".html")]
        return next((path for path in found if path.exists()), None)

    def check_disk(self, n: int, served: set[str]) -> None:
        tally = self.tally
        files = {p.stem for p in [*self.corpus.glob("*.txt"), *self.corpus.glob("*.html")]}
        tally.orphan_files += len(files - served)
        tally.missing_files += len(served - files)
        if files != served:
            tally.problems.append(
                f"kill {n}: folder and index differ: files only {sorted(files - served)}, "
                f"index only {sorted(served - files)}"
            )
        current = (self.index_dir / "current").resolve()
        manifest = json.loads((current / "manifest.json").read_text("utf-8"))
        for doc_id, digest in manifest["articles"].items():
            path = self.file_of(doc_id)
            if path is not None and sha256_file(path) != digest:
                tally.orphan_files += 1
                tally.problems.append(f"kill {n}: {path.name} differs from what is indexed")
            if (self.corpus / f"{doc_id}.txt").exists() and (
                self.corpus / f"{doc_id}.html"
            ).exists():
                tally.orphan_files += 1
                tally.problems.append(f"kill {n}: {doc_id} has both a .txt and a .html file")
        for version in sorted((self.index_dir / "versions").iterdir()):
            try:
                check_version(version)
            except QAError as exc:
                tally.broken_versions += 1
                tally.problems.append(f"kill {n}: broken version {version.name}: {exc}")
        pruning = self.index_dir / PRUNING_DIR
        left = list(pruning.iterdir()) if pruning.is_dir() else []
        left += [p for p in (self.index_dir / "journal").glob("pending*")]
        tally.leftovers_after_startup += len(left)
        if left:
            tally.problems.append(f"kill {n}: left after start-up: {[p.name for p in left]}")


def report(tally: Tally, *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(asdict(tally)))
        return
    for name, value in asdict(tally).items():
        if name == "retries":
            value = ", ".join(f"{k}: {v}" for k, v in sorted(Counter(value).items())) or "none"
        if name != "problems":
            print(f"{name:30} {value}")
    for problem in tally.problems[:30]:
        print(f"problem: {problem}")


if __name__ == "__main__":
    run_cli(main)
