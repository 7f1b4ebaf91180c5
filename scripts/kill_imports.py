#!/usr/bin/env python
"""Kill the server (SIGKILL) while it imports archive exports and deletes imported articles;
restart it and count damage.

    python scripts/kill_imports.py [--corpus seeds] [--kills 20] [--seed 0]
                                   [--max-seconds 3600] [--json]

Set-up as scripts/kill_documents.py: the corpus copied into a temporary folder and indexed
there, a server (extractive answers, admin key, index watcher every 0.5 s) started on it, and a
thread asking questions and listing the documents while the server is up.

Each round sends one change: `POST /documents/import` of a made-up `.jsonl` export (two to
five articles, a few paragraphs or tens each, so that builds last long enough to interrupt),
or a `DELETE` of an article imported earlier (acknowledged). The server is killed after a
random delay between 0 and 120 % of how long that kind of change took when left to finish, or,
for a third of the kills, as soon as the new index version is made current (before the change
is settled and answered), and restarted on the same data. Then the script checks:

* every acknowledged import's articles are served with their text; every acknowledged delete
  stays deleted (else: lost / resurrected documents);
* the change the kill interrupted (no answer) is all or nothing: an import's articles all
  served or none of them, a delete's article served or not, and its retry succeeds (an import
  200 or 201, listing every article as added or unchanged; a delete 204);
* the ids the corpus folder gives (its files and the lines of its archives, read as a build
  reads them) are exactly the ids served (else: orphan or missing articles);
* every folder under index/versions is a complete version, and nothing is left in the journal;
* /readyz is `ready`; questions are answered (200) while the server is up.

It prints the counts and exits 0 only when nothing was lost, orphaned, half done, broken or
failed.
"""

from __future__ import annotations

import json
import os
import random
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from index.archive_records import ids_in_folder  # noqa: E402
from index.pdf_pages import PdfLimits  # noqa: E402
from index.versions import check_version  # noqa: E402
from qa.archives import record_doc_id, record_of  # noqa: E402
from qa.errors import QAError  # noqa: E402
from qa.settings import Settings  # noqa: E402
from scripts.cli import print_figures, run_cli  # noqa: E402
from scripts.kill_documents import (  # noqa: E402
    WORDS,
    KilledServer,
    kill_arguments,
    kill_rounds,
)
from scripts.kill_rebuild import ADMIN_KEY, QUESTIONS, log  # noqa: E402

ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}


@dataclass
class Tally:
    kills: int = 0
    kills_during_import: int = 0
    kills_during_delete: int = 0
    kills_aimed_at_commit: int = 0
    changes_finished_before_kill: int = 0
    acknowledged_imports: int = 0
    acknowledged_deletes: int = 0
    interrupted_done: int = 0
    interrupted_undone: int = 0
    half_done_changes: int = 0
    retries: dict[str, int] = field(default_factory=dict)
    failed_retries: int = 0
    lost_documents: int = 0
    resurrected_documents: int = 0
    orphan_articles: int = 0  # given by the folder, not served
    missing_articles: int = 0  # served, not given by the folder
    broken_versions: int = 0
    leftovers_after_startup: int = 0
    not_ready_after_restart: int = 0
    recovered_at_startup: int = 0
    questions: int = 0
    failed_questions: int = 0
    interrupted_questions: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return (
            self.lost_documents == self.resurrected_documents == self.half_done_changes == 0
            and self.orphan_articles == self.missing_articles == self.broken_versions == 0
            and self.leftovers_after_startup == self.failed_questions == self.failed_retries == 0
            and self.not_ready_after_restart == 0
        )


@dataclass
class Change:
    op: str  # import | delete
    ids: dict[str, str]  # doc_id -> the first words of its text (what it is served with)
    body: dict[str, Any] | None = None  # import: what was sent
    status: int | None = None


def export(rng: random.Random, n: int) -> tuple[dict[str, Any], dict[str, str]]:
    """A made-up `.jsonl` export of two to five articles, each with its own address, and each
    article's id (as the server makes it) with its first paragraph."""
    lines, openings = [], {}
    for a in range(rng.randint(2, 5)):
        paragraphs = rng.choice([3, 12, 30])
        body = "\n\n".join(
            f"Item {p} of export {n}.{a}: the {rng.choice(WORDS)} board said the "
            f"{rng.choice(WORDS)} works in zone {p} would cost {rng.randrange(2, 900)} million."
            for p in range(paragraphs)
        )
        record = {"title": f"Export {n} article {a}", "text": body,
                  "url": f"https://kill.example/export-{n}/article-{a}"}  # fmt: skip
        lines.append(json.dumps(record))
        openings[record_doc_id(record_of(record))] = body.split("\n\n")[0]
    return {"name": f"export-{n}.jsonl", "content": "\n".join(lines) + "\n"}, openings


def main() -> int:
    args = kill_arguments(__doc__, kills=20)
    rng = random.Random(args.seed)
    tally = Tally()

    def progress() -> str:
        return (f"lost {tally.lost_documents}, half done {tally.half_done_changes}, orphans "
                f"{tally.orphan_articles}, missing {tally.missing_articles}, questions "
                f"{tally.questions} ({tally.failed_questions} failed)")  # fmt: skip

    tally.seconds = kill_rounds(
        args, tally, rng, prefix="kill-imports-", aimed="commit", progress=progress,
        run=lambda work, corpus, data_dir, env: Run(work, corpus, data_dir, env, tally, rng),
    )  # fmt: skip
    print_figures(asdict(tally), as_json=args.json)
    return 0 if tally.clean else 1


class Run(KilledServer):
    """What the script knows it acknowledged, and one round at a time."""

    def __init__(
        self, work: Path, corpus: Path, data_dir: Path, env: dict[str, str], tally: Tally,
        rng: random.Random,
    ) -> None:  # fmt: skip
        self.corpus, self.tally, self.rng = corpus, tally, rng
        self.imported: dict[str, str] = {}  # acknowledged and still there: doc_id -> opening
        self.deleted: set[str] = set()
        self.seconds: dict[str, list[float]] = {"import": [], "delete": []}
        self.counter = 0
        # the folder read as the server's builds read it: its settings are this environment's
        self.index_settings = Settings().index
        super().__init__(work, data_dir, env, tally)

    def next_change(self) -> Change:
        if self.imported and self.rng.random() < 0.4:
            doc_id = self.rng.choice(sorted(self.imported))
            return Change("delete", {doc_id: self.imported[doc_id]})
        self.counter += 1
        body, openings = export(self.rng, self.counter)
        return Change("import", openings, body)

    def send(self, change: Change) -> None:
        try:
            with httpx.Client(base_url=self.server.url, timeout=600) as client:
                response = self.request(client, change)
        except httpx.HTTPError:
            return
        self.answered(change, response)

    @staticmethod
    def request(client: httpx.Client, change: Change) -> httpx.Response:
        if change.op == "import":
            return client.post("/documents/import", json=change.body, headers=ADMIN)
        (doc_id,) = change.ids
        return client.delete(f"/documents/{doc_id}", headers=ADMIN)

    def answered(self, change: Change, response: httpx.Response) -> None:
        change.status = response.status_code
        if change.op == "import" and response.status_code in (200, 201):
            report = response.json()
            told = {d["doc_id"] for d in report["added"]} | set(report["unchanged"])
            if told != set(change.ids):
                self.tally.problems.append(
                    f"import {report.get('stored_as')} answered {sorted(told)}, not "
                    f"{sorted(change.ids)}"
                )

    def acknowledge(self, change: Change) -> None:
        if change.status is None:
            return
        if change.op == "import" and change.status in (200, 201):
            self.tally.acknowledged_imports += 1
            self.imported.update(change.ids)
            self.deleted.difference_update(change.ids)
        elif change.op == "delete" and change.status == 204:
            self.tally.acknowledged_deletes += 1
            for doc_id in change.ids:
                self.imported.pop(doc_id, None)
                self.deleted.add(doc_id)
        else:
            self.tally.problems.append(f"{change.op} {sorted(change.ids)} got {change.status}")

    def calibrate(self) -> None:
        for change in [self.next_change() for _ in range(2)]:
            self.timed(change)
        doc_id = sorted(self.imported)[0]
        self.timed(Change("delete", {doc_id: self.imported[doc_id]}))
        log("calibrated: " + ", ".join(f"{op} {max(took, default=0):.1f} s"
                                       for op, took in self.seconds.items()))  # fmt: skip

    def timed(self, change: Change) -> None:
        began = time.monotonic()
        self.send(change)
        self.seconds[change.op].append(time.monotonic() - began)
        self.acknowledge(change)

    def round(self, n: int, moment: str) -> None:
        change = self.next_change()
        current_before = os.readlink(self.index_dir / "current")
        began = time.monotonic()
        sender = threading.Thread(target=self.send, args=(change,))
        sender.start()
        if moment == "commit":
            self.tally.kills_aimed_at_commit += 1
            self.wait_for_commit(current_before, sender)
        else:
            longest = max(self.seconds[change.op], default=2.0)
            sender.join(timeout=self.rng.uniform(0.0, 1.2) * longest)
        finished = not sender.is_alive()
        self.kill()
        sender.join()
        self.tally.kills += 1
        if change.op == "import":
            self.tally.kills_during_import += 1
        else:
            self.tally.kills_during_delete += 1
        if finished and change.status is not None:
            self.tally.changes_finished_before_kill += 1
            self.seconds[change.op].append(time.monotonic() - began)
        self.acknowledge(change)
        self.server = self.start()
        self.check(n, change)

    def wait_for_commit(self, current_before: str, sender: threading.Thread) -> None:
        """Return as soon as the new version is made current (before the journal's record is
        settled and the answer sent), or when the change has finished."""
        while sender.is_alive():
            try:
                if os.readlink(self.index_dir / "current") != current_before:
                    return
            except OSError:
                pass
            time.sleep(0.0005)

    def served(self, client: httpx.Client) -> dict[str, dict[str, Any]]:
        listing = client.get("/documents", params={"limit": 1000}).json()
        return {d["doc_id"]: d for d in listing["documents"]}

    def check(self, n: int, change: Change) -> None:
        tally = self.tally
        with httpx.Client(base_url=self.server.url, timeout=120) as client:
            status = client.get("/admin/index", headers=ADMIN).json()
            tally.recovered_at_startup += len(status.get("recovered_at_startup", []))
            served = self.served(client)
            cut_off = change.status is None
            for doc_id, opening in self.imported.items():
                if cut_off and doc_id in change.ids:
                    continue
                document = client.get(f"/documents/{doc_id}")
                if document.status_code != 200 or opening not in document.text:
                    tally.lost_documents += 1
                    tally.problems.append(f"kill {n}: acknowledged {doc_id} is not served")
            for doc_id in self.deleted & set(served):
                tally.resurrected_documents += 1
                tally.problems.append(f"kill {n}: deleted {doc_id} is served again")
            if cut_off:
                self.check_cut_off(n, change, served)
                response = self.request(client, change)
                code = str(response.status_code)
                tally.retries[code] = tally.retries.get(code, 0) + 1
                ok = (200, 201) if change.op == "import" else (204,)
                if response.status_code not in ok:
                    tally.failed_retries += 1
                    tally.problems.append(f"kill {n}: retry of {change.op} got {code} "
                                          f"{response.text[:200]}")  # fmt: skip
                self.answered(change, response)
                self.acknowledge(change)
                served = self.served(client)
            self.check_disk(n, set(served))
            for question in QUESTIONS[:3]:
                tally.questions += 1
                if client.post("/ask", json={"question": question}).status_code != 200:
                    tally.failed_questions += 1
                    tally.problems.append(f"kill {n}: a question failed")

    def check_cut_off(self, n: int, change: Change, served: dict[str, dict[str, Any]]) -> None:
        """All or nothing: an import's articles (known by their addresses here) all served or
        none; a delete's article served or not (either is whole: `check_disk` compares)."""
        if change.op == "delete":
            (doc_id,) = change.ids
            if doc_id in served:
                self.tally.interrupted_undone += 1
            else:
                self.tally.interrupted_done += 1
            return
        there = [doc_id in served for doc_id in change.ids]
        if all(there):
            self.tally.interrupted_done += 1
        elif not any(there):
            self.tally.interrupted_undone += 1
        else:
            self.tally.half_done_changes += 1
            self.tally.problems.append(f"kill {n}: import half done: {there}")

    def check_disk(self, n: int, served: set[str]) -> None:
        tally = self.tally
        settings = self.index_settings
        given = set(
            ids_in_folder(
                self.corpus,
                max_bytes=settings.max_document_bytes,
                pdf_limits=PdfLimits.of(settings),
            )
        )
        tally.orphan_articles += len(given - served)
        tally.missing_articles += len(served - given)
        if given != served:
            tally.problems.append(
                f"kill {n}: folder and index differ: folder only {sorted(given - served)}, "
                f"index only {sorted(served - given)}"
            )
        for version in sorted((self.index_dir / "versions").iterdir()):
            try:
                check_version(version)
            except QAError as exc:
                tally.broken_versions += 1
                tally.problems.append(f"kill {n}: broken version {version.name}: {exc}")
        left = list((self.index_dir / "journal").glob("pending*"))
        tally.leftovers_after_startup += len(left)
        if left:
            tally.problems.append(f"kill {n}: left after start-up: {[p.name for p in left]}")


if __name__ == "__main__":
    run_cli(main)
