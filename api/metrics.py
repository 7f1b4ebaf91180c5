"""Prometheus metrics: requests by route and status, latency, and the answering queue's depth.

Each app gets its own registry (tests build many apps in one process). Routes are labelled by
their template (`/documents/{doc_id}`), and anything that matched no route as `unmatched`, so
a scan of random paths cannot blow up the number of series.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.queue import GenerationQueue
from api.security import ReadAccess

# seconds; answers take from a fraction of a second to the request time limit
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class Metrics:
    def __init__(self, queue: GenerationQueue, *, degraded: Callable[[], bool]) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "qa_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "qa_http_request_duration_seconds",
            "Time from request to the end of the response, by method and route template.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        depth = Gauge(
            "qa_generation_queue_depth",
            "Questions in hand: the one being answered plus those waiting.",
            registry=self.registry,
        )
        depth.set_function(lambda: queue.depth)
        capacity = Gauge(
            "qa_generation_queue_capacity",
            "Questions the queue holds before refusing with 429.",
            registry=self.registry,
        )
        capacity.set(queue.capacity)
        # refusals are the 429s in qa_http_requests_total
        index_degraded = Gauge(
            "qa_index_degraded",
            "1 while an older index version than `current` is served (see /readyz), else 0.",
            registry=self.registry,
        )
        index_degraded.set_function(lambda: 1.0 if degraded() else 0.0)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class MetricsMiddleware:
    """Counts and times every HTTP request (plain ASGI, so streams are timed to their end)."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            route = scope.get("route")
            label = getattr(route, "path", None) or "unmatched"
            method = scope["method"]
            self.metrics.requests.labels(method, label, str(status)).inc()
            self.metrics.latency.labels(method, label).observe(time.perf_counter() - started)


router = APIRouter(tags=["operations"])


def get_metrics(request: Request) -> Metrics:
    metrics: Metrics = request.app.state.metrics
    return metrics


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    dependencies=[ReadAccess],
    responses={
        200: {"description": "Prometheus text format.", "content": {"text/plain": {}}},
        401: {"description": "A read API key is configured and was not sent."},
    },
)
async def metrics_endpoint(metrics: Annotated[Metrics, Depends(get_metrics)]) -> Response:
    return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
