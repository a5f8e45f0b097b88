"""What every command shares: turning user errors into one line and exit code 2."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from seatrial.errors import SeatrialError, UsageError
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


def registry_mirrors(pairs: Sequence[str]) -> dict[str, str]:
    """`--registry-mirror SRC=DST` (repeatable): pull SRC registry's images from DST."""
    out = {}
    for pair in pairs:
        src, sep, dst = pair.partition("=")
        if not sep or not src or not dst:
            raise UsageError(
                f"--registry-mirror {pair!r}: expected SRC=DST (docker.io=127.0.0.1:5000)"
            )
        out[src] = dst
    return out


def script_paths(pairs: Sequence[str]) -> dict[str, Path]:
    """`--script-path IMAGE_DIR=LOCAL_DIR` (repeatable): what the image has at IMAGE_DIR (an
    absolute path) is read from LOCAL_DIR on this machine (which must exist)."""
    out = {}
    for pair in pairs:
        image_dir, sep, local = pair.partition("=")
        if not sep or not image_dir.startswith("/") or not local:
            raise UsageError(
                f"--script-path {pair!r}: expected IMAGE_DIR=LOCAL_DIR, IMAGE_DIR "
                "an absolute path inside the image"
            )
        if not os.path.exists(local):
            raise UsageError(f"--script-path {pair!r}: {local} does not exist")
        out[image_dir] = Path(local)
    return out


def policy_options(*, chart: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--config`, `--fail-on`, `--only`, `--disable`, `--show-suppressed` (and
    `--trust-chart-config` for commands that take a chart): the same flags, with the same help,
    on every command."""
    opts = [
        click.option(
            "--fail-on",
            type=click.Choice(["error", "warning", "info"]),
            default=None,
            help="Lowest severity that makes the exit code 1 (default: the config's "
            "fail-on, else error).",
        ),
        click.option(
            "--config",
            "config_path",
            metavar="PATH",
            help="A .seatrial.yaml to use (default: the chart's, else the working directory's)."
            if chart
            else "A .seatrial.yaml (default: the one in the working directory).",
        ),
        *(
            [
                click.option(
                    "--trust-chart-config",
                    is_flag=True,
                    help="Apply a .seatrial.yaml inside the checked chart in full "
                    "(without it, only its stricter settings apply).",
                )
            ]
            if chart
            else []
        ),
        click.option("--only", metavar="IDS", help="Run only these checks (ST203,ST301)."),
        click.option("--disable", metavar="IDS", help="Do not run these checks (ST205,ST303)."),
        click.option(
            "--show-suppressed", is_flag=True, help="List suppressed findings and reasons."
        ),
    ]

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        for o in reversed(opts):
            f = o(f)
        return f

    return decorate
