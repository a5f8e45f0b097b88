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


class OneLineUsageError(click.UsageError):
    """A usage error shown the way every other error is: one line, then exit 2."""

    def __init__(self, message: str, command: str) -> None:
        super().__init__(message)
        self.command = command

    def show(self, file: Any = None) -> None:
        message = self.format_message().rstrip(".")
        if message[:1].isupper() and message[1:2].islower():  # "No such option" -> "no ..."
            message = message[0].lower() + message[1:]
        click.echo(f"seatrial: error: {message} (see '{self.command} --help')", err=True)


def one_line_usage_error(exc: click.UsageError, ctx: click.Context) -> click.UsageError:
    """click's usage error as one line; `seatrial` alone still prints the help. `ctx` is the
    group's: when click does not say which command failed, the subcommand being invoked."""
    if isinstance(exc, (OneLineUsageError, click.exceptions.NoArgsIsHelpError)):
        return exc
    if exc.ctx is not None:
        words = ["seatrial", *exc.ctx.command_path.split()[1:]]
    else:
        words = ["seatrial", *([ctx.invoked_subcommand] if ctx.invoked_subcommand else [])]
    return OneLineUsageError(exc.format_message(), " ".join(words))


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
