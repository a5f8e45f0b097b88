"""What a container starts, resolved against its image (shared by ST203 and ST205). The
kubelet's and the runtime's rules (argv from command/args/ENTRYPOINT/CMD, `$(VAR)`, PATH
lookup, the shells) are `seatrial.objects.kubelet`'s; `$(VAR)` references are expanded from
the container's literal env.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass

from seatrial.facts.files import DIR, FILE, SymlinkLoop
from seatrial.facts.image import ImageFacts
from seatrial.objects import kubelet
from seatrial.objects.kubelet import Origin, literal_env
from seatrial.objects.model import Container, Volume, VolumeMount

__all__ = [
    "Launch",
    "Problem",
    "check_file",
    "check_program",
    "config_keys",
    "expand",
    "launch",
    "literal_env",
    "mount_for",
    "path_env",
    "script_operand",
    "working_dir",
]


@dataclass(frozen=True)
class Launch:
    argv: tuple[str, ...]
    origin: Origin  # where argv[0] comes from


def launch(c: Container, image: ImageFacts) -> Launch | None:
    words = kubelet.argv(c, image.entrypoint, image.cmd)
    return Launch(tuple(w.text for w in words), words[0].origin) if words else None


def expand(arg: str, env: Mapping[str, str | None]) -> str | None:
    """`$(VAR)` expansion; None when a referenced value is unknown."""
    text, known = kubelet.expand_references(arg, env)
    return text if known else None


def path_env(c: Container, image: ImageFacts) -> str | None:
    """The PATH the program is searched on; None when it is not known (set from a ref)."""
    return kubelet.search_path(c, image.env_value("PATH"))


def working_dir(c: Container, image: ImageFacts) -> str:
    return c.working_dir or image.working_dir or "/"


def mount_for(c: Container, path: str) -> VolumeMount | None:
    """The volume mount `path` lies under (the deepest), if any."""
    best: VolumeMount | None = None
    for m in c.volume_mounts:
        mp = posixpath.normpath(m.mount_path or "/")
        if (path == mp or path.startswith(mp.rstrip("/") + "/")) and (
            best is None or len(mp) > len(best.mount_path)
        ):
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
    shell = kubelet.shell_invocation(argv)
    if shell is None:
        return None
    args = shell[1]
    for i, arg in enumerate(args):
        if arg == "--":
            return args[i + 1] if i + 1 < len(args) else None
        if arg.startswith("-") or arg.startswith("+"):
            if "c" in arg.lstrip("-+") and not arg.startswith("--"):
                return None
            if arg in ("-o", "+o", "-O", "+O", "--rcfile", "--init-file"):
                return None  # option argument forms we do not model
            continue
        return arg
    return None


def config_keys(
    volume: Volume,
    configs: Mapping[tuple[str, str], frozenset[str]],
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
