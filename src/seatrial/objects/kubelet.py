"""What the kubelet and the container runtime do with a container spec, in one place (checks,
the script follower and `converge` all ask here):

- env: `envFrom` sources first (each key with the prefix; keys that are not valid variable
  names are skipped, as the kubelet does), then `env` in order, later entries winning; an
  `env` entry with neither `value` nor `valueFrom` is the empty string;
- `$(VAR)` in `command`, `args` and `env` values: `$$` is a literal `$`, a defined variable is
  replaced by its value, an undefined one stays as written;
- the argv (containerd's CRI `WithProcessArgs`): a non-empty `command` replaces the image
  ENTRYPOINT and drops its CMD; `args` replace the CMD; an empty list counts as not set;
- a program named without a slash is looked up on the process PATH: the container env's,
  else the image Env's, else the runtime's `DEFAULT_PATH`;
- the shells: `SHELLS` run a script given as their first operand (`sh x.sh`) or as `-c TEXT`;
  `busybox SHELL ...` is that shell.

Standard library only (the model types are for annotations): the sandbox imports it, and runs
where only its own stdlib-only modules are readable.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from seatrial.objects.model import Container, EnvFrom, FieldPath

#: the PATH containerd gives a process whose image and container set none (runc and Docker use
#: the same)
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

#: programs that run `SHELL [OPTIONS] FILE ARGS...` and `SHELL -c TEXT`: the POSIX sh family
#: (sh, dash, ash: busybox's), bash, ksh and mksh, and zsh. A union: a check asking "which file
#: must exist for this container to start" must know every shell a base image ships.
SHELLS = frozenset({"sh", "bash", "dash", "ash", "ksh", "mksh", "zsh"})

#: the shells whose scripts seatrial parses and follows (tree-sitter-bash reads bash and the
#: POSIX sh dialects). Not zsh: its expansions differ (no word splitting of `$x`, arrays from
#: 1), so following its scripts as sh would report what zsh does not do.
PARSED_SHELLS = SHELLS - {"zsh"}

#: the multi-call binary whose first operand names the program it runs (`busybox sh -c ...`)
MULTI_CALL = "busybox"

_REF = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# --- env -----------------------------------------------------------------------------------


def literal_env(c: Container) -> dict[str, str | None]:
    """The container's `env`: name -> value, or None when it is set from a reference
    (`valueFrom`: not known from the spec alone)."""
    return {e.name: (e.value or "") if e.value_from is None else None for e in c.env}


def env_from_source(source: EnvFrom, data: Mapping[str, str]) -> dict[str, str]:
    """The variables one `envFrom` ConfigMap or Secret (its `data`) sets."""
    return {source.prefix + k: v for k, v in data.items() if _ENV_NAME.match(source.prefix + k)}


def expand_references(text: str, env: Mapping[str, str | None]) -> tuple[str, bool]:
    """`$(VAR)` expansion. `env`: name -> value, or None when the value is not known here. The
    text (unknown and undefined references stay as written) and whether every reference to a
    defined variable was known."""
    known = True

    def sub(m: re.Match[str]) -> str:
        nonlocal known
        name = m.group(1)
        if name is None:
            return "$"
        if name not in env:
            return m.group(0)
        value = env[name]
        if value is None:
            known = False
            return m.group(0)
        return value

    return _REF.sub(sub, text), known


# --- argv ----------------------------------------------------------------------------------

Origin = Literal["command", "args", "entrypoint", "cmd"]


@dataclass(frozen=True)
class Word:
    """One word of the argv the container starts, and where it comes from."""

    text: str
    origin: Origin
    index: int  # in its origin's list

    def field(self, container: Container) -> FieldPath:
        """The container field it is written in (empty for the image's words)."""
        if self.origin in ("command", "args"):
            return (*container.path, self.origin, self.index)
        return ()


def _words(items: Sequence[str], origin: Origin) -> list[Word]:
    return [Word(w, origin, i) for i, w in enumerate(items)]


def argv(
    c: Container, entrypoint: Sequence[str] | None, cmd: Sequence[str] | None
) -> tuple[Word, ...]:
    """The argv the runtime starts (empty: nothing to run), from the container and its image's
    ENTRYPOINT and CMD."""
    if c.command:
        return (*_words(c.command, "command"), *_words(c.args or (), "args"))
    # an ENTRYPOINT of one empty string is how an image resets its base image's
    head = () if list(entrypoint or ()) == [""] else (entrypoint or ())
    tail = _words(c.args, "args") if c.args else _words(cmd or (), "cmd")
    return (*_words(head, "entrypoint"), *tail)


def needs_image(c: Container) -> bool:
    """Whether the argv depends on the image config (no `command`)."""
    return not c.command


# --- PATH ----------------------------------------------------------------------------------


def search_path(c: Container, image_path: str | None) -> str | None:
    """The PATH a program named without a slash is looked up on. `image_path`: the image Env's
    PATH (None: it sets none). None when the container sets PATH from a reference or to the
    empty string (where the lookup goes is not known here)."""
    env = literal_env(c)
    if "PATH" in env:
        return env["PATH"] or None
    return image_path if image_path is not None else DEFAULT_PATH


def path_candidates(name: str, search: str, cwd: str = "/") -> list[str]:
    """Where exec looks for `name`: the name itself (relative to `cwd`) when it has a slash,
    else each absolute PATH directory in order."""
    if "/" in name:
        return [posixpath.normpath(posixpath.join(cwd, name))]
    return [posixpath.join(d, name) for d in search.split(":") if d.startswith("/")]


# --- shells --------------------------------------------------------------------------------


def shell_invocation(
    words: Sequence[str],
    shells: frozenset[str] = SHELLS,
) -> tuple[str, Sequence[str]] | None:
    """For `[busybox] SHELL ARGS...`: the shell's name and its ARGS; None for other programs."""
    if not words:
        return None
    base = posixpath.basename(words[0])
    if base == MULTI_CALL and len(words) > 1 and words[1] in shells:
        return words[1], words[2:]
    return (base, words[1:]) if base in shells else None
