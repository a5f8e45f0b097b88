"""What a container starts, resolved against its image (shared by ST203 and ST205).

Kubernetes runs `command + args` when `command` is set (the image Cmd is dropped), else the
image ENTRYPOINT followed by `args` (or the image Cmd), else `args` or the image Cmd alone.
A relative program is searched on PATH from the container env, else the image Env, else the
runtime default. `$(VAR)` references are expanded from the container's literal env.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from seatrial.facts.files import DIR, FILE, SymlinkLoop
from seatrial.facts.image import ImageFacts
from seatrial.objects.model import Container, Volume, VolumeMount

Origin = Literal["command", "args", "entrypoint", "cmd"]
SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"})
_VAR = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")


@dataclass(frozen=True)
class Launch:
    argv: tuple[str, ...]
    origin: Origin  # where argv[0] comes from


def launch(c: Container, image: ImageFacts) -> Launch | None:
    if c.command:
        return Launch(c.command + (c.args or ()), "command")
    if image.entrypoint:
        tail = c.args if c.args is not None else (image.cmd or ())
        return Launch(image.entrypoint + tail, "entrypoint")
    if c.args:
        return Launch(c.args, "args")
    if image.cmd:
        return Launch(image.cmd, "cmd")
    return None


def literal_env(c: Container) -> dict[str, str | None]:
    """Container env: name -> literal value, or None when set from a ref (unknown here)."""
    return {e.name: e.value if e.value_from is None else None for e in c.env}


def expand(arg: str, env: Mapping[str, str | None]) -> str | None:
    """Kubernetes `$(VAR)` expansion; None when a referenced value is unknown."""
    unknown = False

    def sub(m: re.Match[str]) -> str:
        nonlocal unknown
        value = env.get(m.group(1), "\x00")
        if value is None:
            unknown = True
            return ""
        return m.group(0) if value == "\x00" else value

    out = _VAR.sub(sub, arg.replace("$$", "\x01")).replace("\x01", "$")
    return None if unknown else out


def path_env(c: Container, image: ImageFacts) -> str | None:
    """The PATH the program is searched on; None when the container sets it from a ref."""
    env = literal_env(c)
    if "PATH" in env:
        return env["PATH"]
    return image.path_env


def working_dir(c: Container, image: ImageFacts) -> str:
    return c.working_dir or image.working_dir or "/"


def mount_for(c: Container, path: str) -> VolumeMount | None:
    """The volume mount `path` lies under (the deepest), if any."""
    best: VolumeMount | None = None
    for m in c.volume_mounts:
        mp = posixpath.normpath(m.mount_path or "/")
        if (path == mp or path.startswith(mp.rstrip("/") + "/")) and (
                best is None or len(mp) > len(best.mount_path)):
            best = m
    return best


@dataclass(frozen=True)
class Problem:
    what: str  # "does not exist", "is not executable", ...
    path: str  # as written (or resolved when relative)


def check_program(name: str, c: Container, image: ImageFacts) -> Problem | None:
    """Why `name` cannot be exec'd in this container, or None (fine, or unverifiable)."""
    expanded = expand(name, literal_env(c))
    if expanded is None or "$(" in expanded or not expanded:
        return None
    cwd = working_dir(c, image)
    if "/" not in expanded:
        search = path_env(c, image)
        if search is None:
            return None
        dirs = [d for d in search.split(":") if d]
        if any(mount_for(c, posixpath.join(cwd, d)) for d in dirs):
            return None
        if image.which(expanded, search, cwd):
            return None
        return Problem(f"is not on the PATH ({search})", expanded)
    path = posixpath.normpath(posixpath.join(cwd, expanded))
    if mount_for(c, path):
        return None
    return check_file(path, image, cwd, executable=True)


def check_file(path: str, image: ImageFacts, cwd: str, executable: bool) -> Problem | None:
    try:
        entry = image.resolve(path, cwd)
    except SymlinkLoop:
        return Problem("is a symlink loop", path)
    if entry is None:
        return Problem("does not exist", path)
    if entry.type == DIR:
        return Problem("is a directory", path)
    if entry.type != FILE:
        return Problem("is not a regular file", path)
    if executable and not entry.is_executable:
        return Problem("is not executable", path)
    return None


def script_operand(argv: tuple[str, ...]) -> str | None:
    """For `sh script.sh`, `bash -e /x.sh`: the script path; None for `-c` or stdin forms."""
    if not argv or posixpath.basename(argv[0]) not in SHELLS:
        return None
    for i, arg in enumerate(argv[1:], 1):
        if arg == "--":
            return argv[i + 1] if i + 1 < len(argv) else None
        if arg.startswith("-") or arg.startswith("+"):
            if "c" in arg.lstrip("-+") and not arg.startswith("--"):
                return None
            if arg in ("-o", "+o", "-O", "+O", "--rcfile", "--init-file"):
                return None  # option argument forms we do not model
            continue
        return arg
    return None


def config_keys(volume: Volume, configs: Mapping[tuple[str, str], frozenset[str]],
                ) -> frozenset[str] | None:
    """File names a configMap/secret volume shows, when its data is in the render."""
    kind = {"configMap": "ConfigMap", "secret": "Secret"}.get(volume.kind)
    if kind is None:
        return None
    keys = configs.get((kind, volume.ref_name))
    if keys is None:
        return None
    if volume.items:
        return frozenset(p for k, p in volume.items if k in keys)
    return keys
