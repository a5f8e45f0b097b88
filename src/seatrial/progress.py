"""Progress bars for the long phases of a run (rendering cells, opening images, reading
scripts), drawn on stderr with counts and an ETA.

Off unless the command line turns it on (`enable(True)`; `check` does so without `--quiet`),
and even then drawn only when stderr is a terminal: piped or redirected runs, CI logs and the
Python API print nothing. A bar never goes to stdout, so it cannot end up in a report.

    with progress.phase("images", len(refs)) as advance:
        ...
        advance()          # thread-safe: workers call it as they finish

    for cell, out in progress.track(pool.map(one, cells), "rendering cells", len(cells)):
        ...
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import click

T = TypeVar("T")

_enabled = False


def enable(on: bool) -> None:
    """Allow bars for the rest of the process (the CLI's choice, not a library's)."""
    global _enabled
    _enabled = on


def active(show: bool | None = None) -> bool:
    """Whether a bar would be drawn: asked for (`show`, else the process-wide switch) and
    stderr is a terminal."""
    return (_enabled if show is None else show) and sys.stderr.isatty()


def _nothing() -> None:
    return None


@contextmanager
def phase(label: str, total: int, show: bool | None = None) -> Iterator[Callable[[], None]]:
    """A bar over `total` steps; yields `advance()`, one step. A no-op when bars are off
    (`show` overrides the process-wide switch, for callers with their own option)."""
    if not active(show) or total <= 0:
        yield _nothing
        return
    lock = threading.Lock()
    with click.progressbar(
        length=total, label=label, file=sys.stderr, show_eta=True, show_pos=True, width=24
    ) as bar:

        def advance() -> None:
            with lock:
                bar.update(1)

        yield advance


def track(items: Iterable[T], label: str, total: int) -> Iterator[T]:
    """Yield `items`, advancing a bar of `total` steps after each (total 0: no bar)."""
    with phase(label, total) as advance:
        for item in items:
            yield item
            advance()
