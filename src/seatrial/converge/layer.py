"""A container's writable layer, fresh at every run.

On a node, a container restart starts from the image again: what the previous run wrote
outside its volumes is gone, and the image's own files are writable (`sed -i` on a file the
image ships works). Each run here gets the same: a fresh copy of the image root (when it was
unpacked) or, over this machine's minimal root, fresh writable empty `/opt`, `/var`, `/srv`,
`/mnt` (`/etc` stays the read-only copy: copying it at every run costs about a second; not
`/root`, `/home`, `/run`: the host's stay hidden); and fresh
writable copies of the image directories bound into the sandbox (`--script-path`, the plain
form's working directory).
The copies live in a per-run directory next to the scratch state, deleted before the next
run; the hostPath volumes (the state) and emptyDirs are the only things that persist.

The layer also holds what seatrial itself puts in the sandbox: the node kit (kit.py), the
log its stand-ins write, and a bash start-up file (`BASH_ENV`) that traces bash scripts with
the time, file and line of every command into that log (to attribute writes to script lines).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from seatrial.converge import kit, trees
from seatrial.converge.sandbox import Bind
from seatrial.objects.kubelet import DEFAULT_PATH

#: fresh writable directories over this machine's minimal root (the image's would be there)
_HOST_WRITABLE = ("opt", "var", "srv", "mnt")
#: an image directory larger than this stays read-only (it is copied at every run)
MAX_COPY_BYTES = 64 << 20
MAX_COPY_ENTRIES = 20_000
#: the trace file's size read back after a run
MAX_TRACE_BYTES = 32 << 20

SUPPORT_DIR = "/.seatrial/sup"
TRACE_FILE = "trace"

_BASH_ENV = f"""if {{ exec {{__seatrial_fd}}>>{kit.LOG_DIR}/{TRACE_FILE}; }} 2>/dev/null; then
  BASH_XTRACEFD=$__seatrial_fd
  PS4='+${{EPOCHREALTIME:-0}}|${{BASH_SOURCE:-}}|${{LINENO}}| '
  set -x
fi
"""


@dataclass(frozen=True)
class Layer:
    binds: tuple[Bind, ...]
    root: Path
    root_writable: bool
    log: Path
    env: dict[str, str]


def support(dest: Path, node_kit: bool, answers: dict[str, str] | None) -> None:
    """What seatrial shows at SUPPORT_DIR (read-only), made once per scenario."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "bash_env").write_text(_BASH_ENV, encoding="utf-8")
    if node_kit:
        kit.build(dest / "kit", answers)
    for p in (dest, dest / "bash_env"):
        p.chmod(0o755)


def fresh(
    work: Path,
    sup: Path,
    root: Path,
    binds: Sequence[Bind],
    taken: Sequence[str],
    node_kit: bool,
    env: dict[str, str],
) -> Layer:
    """The layer of one run in `work` (emptied first). `binds` are the invocation's binds
    (image ones are replaced by writable copies), `taken` the mount points of the state."""
    if work.exists():
        trees.remove(work)
    work.mkdir(parents=True)
    work.chmod(0o755)
    out: list[Bind] = []
    for i, b in enumerate(binds):
        if not b.image or not _copyable(b.source):
            out.append(b)
            continue
        copy = work / "img" / str(i)
        copy.parent.mkdir(exist_ok=True)
        _copy(b.source, copy)
        out.append(Bind(b.dest, copy, True, beneath=work))
    dests = {d.rstrip("/") or "/" for d in [*taken, *(b.dest for b in out)]}
    root_writable = False
    if root != Path("/"):
        copy = work / "root"
        _copy(root, copy)
        root, root_writable = copy, True
    else:
        for name in _HOST_WRITABLE:
            if f"/{name}" not in dests:
                (work / "top" / name).mkdir(parents=True)
                out.append(Bind(f"/{name}", work / "top" / name, True, beneath=work))
    # apart from the layer: not counted in the bytes a run adds (RLIMIT_FSIZE caps the trace)
    log = work.parent / f"{work.name}-log"
    if log.exists():
        trees.remove(log)
    log.mkdir(0o755)
    out.append(Bind(kit.LOG_DIR, log, True, beneath=log))
    out.append(Bind(SUPPORT_DIR, sup))
    extra = dict(env)
    extra.setdefault("BASH_ENV", f"{SUPPORT_DIR}/bash_env")
    if node_kit:
        extra["PATH"] = f"{SUPPORT_DIR}/kit/bin:{extra.get('PATH') or DEFAULT_PATH}"
    return Layer(tuple(out), root, root_writable, log, extra)


def _copyable(source: Path) -> bool:
    if not source.is_dir():
        return source.is_file() and source.stat().st_size <= MAX_COPY_BYTES
    total = entries = 0
    for dirpath, dirnames, filenames in trees.walk(source):
        entries += len(dirnames) + len(filenames)
        for name in filenames:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                continue
        if entries > MAX_COPY_ENTRIES or total > MAX_COPY_BYTES:
            return False
    return True


def _copy(source: Path, dest: Path) -> None:
    """Copy files, directories and symlinks (never followed); skip fifos, sockets, devices."""
    if not source.is_dir():
        shutil.copy2(source, dest, follow_symlinks=False)
        return

    def special(directory: str, names: list[str]) -> set[str]:
        out = set()
        for name in names:
            try:
                mode = os.lstat(os.path.join(directory, name)).st_mode
            except OSError:
                out.add(name)
                continue
            if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
                out.add(name)
        return out

    shutil.copytree(source, dest, symlinks=True, ignore=special)


_TRACE = re.compile(r"^\++(?P<t>\d+\.\d+)\|(?P<file>[^|]*)\|(?P<line>\d+)\| (?P<cmd>.*)$")


@dataclass(frozen=True)
class Traced:
    time: float
    file: str
    line: int
    command: str


def read_trace(log: Path) -> list[Traced]:
    """The commands bash traced in one run, in order."""
    try:
        with open(log / TRACE_FILE, "rb") as f:
            raw = f.read(MAX_TRACE_BYTES)
    except OSError:
        return []
    out = []
    for text in raw.decode("utf-8", "replace").splitlines():
        m = _TRACE.match(text)
        if m and m.group("file"):
            out.append(
                Traced(float(m.group("t")), m.group("file"), int(m.group("line")), m.group("cmd"))
            )
    return out


#: file timestamps come from a coarse clock (one kernel tick): a write may look older than
#: the trace line of the command that made it, by this much at most
_SLACK = 0.012


_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?\+?=")
#: commands that only read the files they name (a redirect is not traced: echo, cat, printf
#: may write)
_READERS = frozenset(
    {
        "dirname",
        "basename",
        "[",
        "[[",
        "test",
        "grep",
        "egrep",
        "fgrep",
        "readlink",
        "realpath",
        "ls",
        "stat",
        "head",
        "tail",
        "wc",
        "diff",
        "cmp",
        "sha256sum",
        "md5sum",
        "file",
        "find",
        "jq",
        "yq",
        "tomlq",
    }
)


def _reads(command: str) -> bool:
    if _ASSIGNMENT.match(command):
        return True
    words = command.split()
    if not words:
        return True
    if words[0] in ("sed", "jq", "yq", "tomlq") and any(
        w == "-i" or w.startswith(("-i", "--in-place")) for w in words[1:]
    ):
        return False
    return words[0] in _READERS or (words[0] == "sed" and "-n" in words[1:])


def writer(
    trace: Sequence[Traced],
    mtime: float,
    path: str,
    added: bool,
    source: Callable[[Traced], str] = lambda t: "",
) -> Traced | None:
    """The traced command that most likely wrote `path` (last modified at `mtime`). The
    candidates are the commands that name the file, expanded (`sed -i ... /etc/x.toml`) or in
    their script line (a redirect, `>> "${dir}/x.toml"`, is not traced), and do not only read
    it. A path the run added was made by the first of them; a changed file by the last one
    that started before its modification time (file times come from a coarse clock: a tick
    of slack). Without a candidate: the last command started before that time."""
    name = path.rstrip("/").rsplit("/", 1)[-1]
    naming = [
        t
        for t in trace
        if name
        and not _reads(t.command)
        and (name in t.command or (name in (text := source(t)) and ">" in text))
    ]
    if naming and added:
        return naming[0]
    before = [t for t in naming if t.time <= mtime + _SLACK]
    if before:
        return before[-1]
    if naming:
        return naming[-1]
    earlier = [t for t in trace if t.time <= mtime + _SLACK]
    return earlier[-1] if earlier else None
