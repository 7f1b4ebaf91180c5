"""tests/ports.py: the ports the end-to-end tests' servers take within `E2E_PORTS`."""

from __future__ import annotations

import os
import socket

import pytest

from tests.ports import free_port

pytestmark = pytest.mark.unit


def _range() -> tuple[int, int]:
    """The range this machine gives the tests, or five ports from a free one."""
    wanted = os.environ.get("E2E_PORTS", "")
    if wanted:
        first, _, last = wanted.partition("-")
        return int(first), int(last or first)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        start = int(s.getsockname()[1])
    return start, start + 4


def test_a_port_of_the_range_is_not_handed_out_twice_in_a_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A test asks for a port where nothing listens ("a generator that is not there"), then
    starts a server, which asks for one too: the first free port of the range, given twice,
    made the server listen where the test meant nothing to, and its generator call the app
    itself. The range's ports come round in turn, a taken one passed over."""
    first, last = _range()
    if last <= first:
        pytest.skip("E2E_PORTS names one port")
    monkeypatch.setenv("E2E_PORTS", f"{first}-{last}")
    closed, server = free_port(), free_port()
    assert first <= closed <= last and first <= server <= last
    assert closed != server
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", server))
        taken.listen()
        handed = [free_port() for _ in range(last - first + 1)]
    assert server not in handed and all(first <= port <= last for port in handed)
