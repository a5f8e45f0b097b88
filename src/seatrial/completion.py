"""`seatrial completion [bash|zsh|fish]`: print the shell completion script."""

from __future__ import annotations

import os
import sys

import click
from click.shell_completion import get_completion_class

from seatrial.cli_support import run_guarded
from seatrial.errors import UsageError

SHELLS = ("bash", "zsh", "fish")
PROG = "seatrial"
#: the variable click's completion protocol reads; the script calls `seatrial` with it set
COMPLETE_VAR = "_SEATRIAL_COMPLETE"

_HINTS = {
    "bash": 'eval "$(seatrial completion bash)"   # in ~/.bashrc',
    "zsh": 'eval "$(seatrial completion zsh)"    # in ~/.zshrc',
    "fish": "seatrial completion fish > ~/.config/fish/completions/seatrial.fish",
}


def completion_script(shell: str) -> str:
    from seatrial.cli import main

    cls = get_completion_class(shell)
    if cls is None:
        raise UsageError(f"no completion for shell {shell!r} (use {', '.join(SHELLS)})")
    return cls(main, {}, PROG, COMPLETE_VAR).source()


@click.command("completion")
@click.argument("shell", required=False, type=click.Choice(SHELLS))
@run_guarded
def completion(shell: str | None) -> None:
    """Print the completion script for SHELL (default: the one in $SHELL).

    \b
    bash: eval "$(seatrial completion bash)"   # in ~/.bashrc
    zsh:  eval "$(seatrial completion zsh)"    # in ~/.zshrc
    fish: seatrial completion fish > ~/.config/fish/completions/seatrial.fish
    """
    if shell is None:
        shell = os.path.basename(os.environ.get("SHELL", ""))
        if shell not in SHELLS:
            raise UsageError(f"name the shell: seatrial completion {{{'|'.join(SHELLS)}}}")
    click.echo(completion_script(shell))
    if sys.stdout.isatty():
        click.echo(f"# enable it with: {_HINTS[shell]}", err=True)
