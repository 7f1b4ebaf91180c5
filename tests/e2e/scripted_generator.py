"""A scripted OpenAI-compatible generator on loopback, for the page tests that need a reader
whose speed the test sets (a real model's is whatever the CPU makes it).

It proposes nothing (empty text), so our server answers with the best-scoring article sentence,
as it does without a model; `delay_s` holds every completion back that long, which keeps a
question in the `reading` stage while a test stops it.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class ScriptedGenerator:
    def __init__(self) -> None:
        self.delay_s = 0.0
        self.completions = 0
        generator = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                return None

            def _json(self, payload: dict[str, Any]) -> None:
                body = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802 - the http.server hook's name
                self._json({"object": "list", "data": [{"id": "scripted", "object": "model"}]})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                request = json.loads(self.rfile.read(length) or b"{}")
                generator.completions += 1
                time.sleep(generator.delay_s)
                chat = self.path.endswith("/chat/completions")
                choice = (
                    {"index": 0, "message": {"role": "assistant", "content": ""}}
                    if chat
                    else {"index": 0, "text": ""}
                )
                if not request.get("stream"):
                    self._json({"id": "scripted", "choices": [{**choice, "finish_reason": "stop"}]})
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                chunk = {"id": "scripted", "choices": [{**choice, "finish_reason": "stop"}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\ndata: [DONE]\n\n".encode())

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def start(self) -> ScriptedGenerator:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
