"""What every command shares: turning user errors into one line and exit code 2."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from seatrial.errors import SeatrialError
from seatrial.redact import clean, scope

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str) -> None:
    """Print one clear error line and exit 2."""
    click.echo(f"seatrial: error: {clean(message)}", err=True)
    sys.exit(2)


def run_guarded(fn: F) -> F:
    """Wrap a command body: SeatrialError -> one line on stderr, exit 2; Ctrl-C -> exit 130.
    Secret values seen during the command are known to the redaction layer until it ends."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with scope():
            try:
                return fn(*args, **kwargs)
            except SeatrialError as exc:
                fail(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            except KeyboardInterrupt:
                click.echo("seatrial: interrupted", err=True)
                sys.exit(130)
        return None

    return wrapper  # type: ignore[return-value]
