"""The ports the end-to-end tests' servers listen on: any free one, or, when `E2E_PORTS` names
a range ("8540-8549": a shared machine whose ports are shared out among its users), a free one
of that range, for every server a test starts (the app, llama_cpp.server, the scripted
generator) and for a port a test wants nothing to listen on."""

from __future__ import annotations

import os
import socket

__all__ = ["free_port"]

_handed: list[int] = []  # the ports of the range handed out, the latest last


def free_port() -> int:
    """A port nothing listens on now. In `E2E_PORTS`' range, the first free one after the one
    handed out last (round the range): a port is asked for before its server binds it, so the
    next ask (a test's port where nothing listens, then its server's) must not get it again."""
    wanted = os.environ.get("E2E_PORTS", "")
    if not wanted:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return int(s.getsockname()[1])
    first, _, last = wanted.partition("-")
    ports = list(range(int(first), int(last or first) + 1))
    after = ports.index(_handed[-1]) + 1 if _handed and _handed[-1] in ports else 0
    for port in ports[after:] + ports[:after]:
        if _free(port):
            _handed.append(port)
            return port
    raise RuntimeError(f"no free port in E2E_PORTS={wanted}")


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True
