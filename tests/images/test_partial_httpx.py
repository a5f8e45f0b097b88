"""An image gathered in one thread while another imports httpx."""

from __future__ import annotations

import sys
import types

import pytest

from seatrial.images import gather


def test_trouble_while_httpx_is_being_imported(monkeypatch: pytest.MonkeyPatch) -> None:
    """A warm run's fingerprints (a thread pool) read `sys.modules["httpx"]` while another
    thread was importing it: the partly initialized module had no `InvalidURL` yet, and the
    run ended in a traceback with nothing on stdout. What is not there cannot have been
    raised: only what the module already holds is caught."""
    partial = types.ModuleType("httpx")
    monkeypatch.setitem(sys.modules, "httpx", partial)
    assert gather._trouble() == gather._TROUBLE
    assert gather._http_error(ValueError("x")) is False

    class HTTPError(Exception):
        pass

    partial.HTTPError = HTTPError  # type: ignore[attr-defined]
    assert gather._trouble() == (*gather._TROUBLE, HTTPError)
    assert gather._http_error(HTTPError("x")) is True
