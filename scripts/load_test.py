#!/usr/bin/env python
"""Load a running server with N concurrent clients for T seconds and report what came back.

    python scripts/load_test.py [--url http://127.0.0.1:8000] [--clients 5] [--duration 15]
                                [--endpoint ask|stream|chat] [--questions FILE] [--json]

Each client asks one question after another (cycling through the questions, each client from
its own starting point) until the time is up. A 429 or 503 with `Retry-After` makes that client
wait as asked (up to the time left) before its next request, as a well-behaved client would.
It prints the number of requests, their outcomes by status (plus `timeout` and
`connection-error`, and `stream-error-<status>` for a stream that ended with an `error` event),
and latency percentiles in seconds over all requests and over the successful ones.

Bounded on purpose: at most 64 clients, 600 seconds and `--max-requests` requests, and only a
server on this machine (a loopback address or `localhost`) is accepted as a target.
The exit status is 1 if any request got a 5xx or no answer at all, else 0.

`--questions` takes a text file with one question a line, or JSONL with a `question` field;
without it a few general news questions are asked (whether they are answerable does not
matter for load). Percentiles: `statistics.quantiles(values, n=100, method="inclusive")`.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scripts.cli import UsageError, run_cli  # noqa: E402

MAX_CLIENTS = 64
MAX_DURATION_S = 600.0
DEFAULT_QUESTIONS = [
    "What did the spokesperson say about the agreement?",
    "How many troops were sent?",
    "When was the treaty signed?",
    "Who did the foreign ministry summon?",
    "What did the president say on Monday?",
    "What is the population of Iceland?",
]


@dataclass
class Outcome:
    status: str  # "200", "429", "timeout", "connection-error", "stream-error-503", ...
    seconds: float


@dataclass
class Run:
    outcomes: list[Outcome] = field(default_factory=list)
    wall_s: float = 0.0


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_questions(path: Path | None) -> list[str]:
    if path is None:
        return list(DEFAULT_QUESTIONS)
    questions = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        if not line.startswith("{"):  # a plain-text line is a question as it stands
            questions.append(line)
            continue
        try:
            questions.append(str(json.loads(line)["question"]))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise UsageError(f"{path}:{number}: not a JSON object with a question") from exc
    if not questions:
        raise UsageError(f"{path} holds no questions")
    return questions


def request_for(endpoint: str, question: str) -> tuple[str, dict[str, Any]]:
    if endpoint == "chat":
        return "/v1/chat/completions", {"messages": [{"role": "user", "content": question}]}
    return ("/ask/stream" if endpoint == "stream" else "/ask"), {"question": question}


def percentiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p95": None, "p99": None}
    if len(values) == 1:
        return {"p50": values[0], "p95": values[0], "p99": values[0]}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


def retry_after_s(response: httpx.Response) -> float:
    try:
        return max(0.0, float(response.headers.get("Retry-After", "1")))
    except ValueError:
        return 1.0


async def one_request(
    client: httpx.AsyncClient, endpoint: str, question: str
) -> tuple[Outcome, float]:
    """The outcome of one request, and how long to wait before the next one."""
    path, body = request_for(endpoint, question)
    started = time.perf_counter()
    wait = 0.0
    try:
        if endpoint == "stream":
            async with client.stream("POST", path, json=body) as response:
                status = str(response.status_code)
                text = (await response.aread()).decode("utf-8", "replace")
                if response.status_code == 200 and "event: error" in text:
                    error = text.split("event: error", 1)[1]
                    data = error.split("data:", 1)[1].splitlines()[0] if "data:" in error else ""
                    try:
                        status = f"stream-error-{json.loads(data)['status']}"
                    except (ValueError, KeyError):
                        status = "stream-error"
        else:
            response = await client.post(path, json=body)
            status = str(response.status_code)
        if response.status_code in (429, 503):
            wait = retry_after_s(response)
    except httpx.TimeoutException:
        status = "timeout"
    except httpx.HTTPError as exc:
        status = f"connection-error ({type(exc).__name__})"
        wait = 0.5  # do not spin on a server that is gone
    return Outcome(status, time.perf_counter() - started), wait


async def run_load(
    url: str,
    *,
    clients: int,
    duration_s: float,
    endpoint: str,
    questions: list[str],
    max_requests: int,
    timeout_s: float,
    api_key: str | None,
) -> Run:
    run = Run()
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    started = time.monotonic()
    deadline = started + duration_s
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx.AsyncClient(
        base_url=url, timeout=timeout_s, headers=headers, limits=limits
    ) as client:

        async def worker(offset: int) -> None:
            i = offset
            while time.monotonic() < deadline and len(run.outcomes) < max_requests:
                outcome, wait = await one_request(client, endpoint, questions[i % len(questions)])
                run.outcomes.append(outcome)
                i += 1
                if wait:
                    await asyncio.sleep(min(wait, max(0.0, deadline - time.monotonic())))

        await asyncio.gather(*(worker(n) for n in range(clients)))
    run.wall_s = time.monotonic() - started
    return run


def summary(run: Run, *, clients: int, duration_s: float, endpoint: str) -> dict[str, Any]:
    by_status = Counter(o.status for o in run.outcomes)
    ok = [o.seconds for o in run.outcomes if o.status == "200"]
    return {
        "endpoint": endpoint,
        "clients": clients,
        "duration_s": duration_s,
        "wall_s": round(run.wall_s, 1),
        "requests": len(run.outcomes),
        "by_status": dict(sorted(by_status.items())),
        "errors": sum(n for status, n in by_status.items() if status != "200"),
        "server_errors": sum(
            n for status, n in by_status.items() if not status[-3:].isdigit() or status[-3] == "5"
        ),
        "answers_per_s": round(len(ok) / run.wall_s, 2) if run.wall_s else None,
        "latency_s": percentiles([o.seconds for o in run.outcomes]),
        "latency_ok_s": percentiles(ok),
    }


def print_table(result: dict[str, Any]) -> None:
    def fmt(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    rows = [
        ("endpoint", result["endpoint"]),
        ("clients", result["clients"]),
        ("duration_s", f"{result['duration_s']:g} (wall {result['wall_s']})"),
        ("requests", result["requests"]),
        *((f"status {status}", n) for status, n in result["by_status"].items()),
        ("errors (not 200)", result["errors"]),
        ("5xx or no answer", result["server_errors"]),
        ("answers_per_s", result["answers_per_s"]),
    ]
    for name in ("p50", "p95", "p99"):
        rows.append((f"latency_{name}_s (all / 200)", "{} / {}".format(
            fmt(result["latency_s"][name]), fmt(result["latency_ok_s"][name])
        )))  # fmt: skip
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the server (loopback only)")
    parser.add_argument(
        "--clients", type=int, default=5, help=f"clients asking at once (1-{MAX_CLIENTS})"
    )
    parser.add_argument("--duration", type=float, default=15.0, help="seconds")
    parser.add_argument(
        "--endpoint",
        choices=["ask", "stream", "chat"],
        default="ask",
        help="POST /ask, /ask/stream or /v1/chat/completions (default %(default)s)",
    )
    parser.add_argument(
        "--questions",
        type=Path,
        help="questions to ask in turn: JSON lines with a question field, or plain lines",
    )
    parser.add_argument("--max-requests", type=int, default=100_000, help="stop after this many")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per request")
    parser.add_argument("--api-key", help="sent as Authorization: Bearer (a read key)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    if not is_loopback(args.url):
        parser.error(f"{args.url} is not on this machine: only loopback targets are allowed")
    if not 1 <= args.clients <= MAX_CLIENTS:
        parser.error(f"--clients must be between 1 and {MAX_CLIENTS}")
    if not 0 < args.duration <= MAX_DURATION_S:
        parser.error(f"--duration must be above 0 and at most {MAX_DURATION_S:g} seconds")
    if args.max_requests < 1:
        parser.error("--max-requests must be at least 1")
    if args.timeout <= 0:
        parser.error("--timeout must be above 0 seconds")

    print(
        f"{args.clients} clients, {args.duration:g} s, POST {args.endpoint} on {args.url} …",
        file=sys.stderr,
    )
    run = asyncio.run(
        run_load(
            args.url,
            clients=args.clients,
            duration_s=args.duration,
            endpoint=args.endpoint,
            questions=load_questions(args.questions),
            max_requests=args.max_requests,
            timeout_s=args.timeout,
            api_key=args.api_key,
        )
    )
    result = summary(run, clients=args.clients, duration_s=args.duration, endpoint=args.endpoint)
    if args.json:
        print(json.dumps(result))
    else:
        print_table(result)
    return 1 if result["server_errors"] else 0


if __name__ == "__main__":
    run_cli(main)
