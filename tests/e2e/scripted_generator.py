"""A scripted OpenAI-compatible generator on loopback, for tests of generate mode with a model
whose words and speed the test sets (a real model's are whatever the weights and CPU make them).

By default it answers like a careful model: the first sentence of passage [1] of the prompt,
cited `[1]`. `reply` (when set) is returned instead, word for word: a test sets a partly or wholly
wrong answer there. While `released` is clear, every completion waits for it (at most
`HOLD_LIMIT_S`), which keeps a question in the `writing` stage for as long as a test needs, on a
fast or a slow machine alike.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.ports import free_port

HOLD_LIMIT_S = 120.0  # a test that forgets to release its hold still ends
PASSAGE_ONE = re.compile(r"^\[1\] \([^)]*\) (.+)$", re.MULTILINE)


def careful_answer(prompt: str) -> str:
    """The first sentence of the last passage [1] in the prompt, cited."""
    found = PASSAGE_ONE.findall(prompt)
    if not found:
        return ""
    first = re.split(r"(?<=[.!?])\s+", found[-1].strip(), maxsplit=1)[0]
    return f"{first.rstrip('.')} [1]."


class ScriptedGenerator:
    def __init__(self) -> None:
        self.released = threading.Event()
        self.released.set()
        self.completions = 0
        self.reply: str | None = None
        self.prompts: list[str] = []
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
                generator.released.wait(HOLD_LIMIT_S)
                chat = self.path.endswith("/chat/completions")
                prompt = (
                    "\n".join(str(m.get("content", "")) for m in request.get("messages", []))
                    if chat
                    else str(request.get("prompt", ""))
                )
                generator.prompts.append(prompt)
                text = generator.reply if generator.reply is not None else careful_answer(prompt)
                choice = (
                    {"index": 0, "message": {"role": "assistant", "content": text}}
                    if chat
                    else {"index": 0, "text": text}
                )
                if not request.get("stream"):
                    self._json({"id": "scripted", "choices": [{**choice, "finish_reason": "stop"}]})
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                chunk = {"id": "scripted", "choices": [{**choice, "finish_reason": "stop"}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\ndata: [DONE]\n\n".encode())

        self._server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
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
