"""Run one command in a bubblewrap sandbox, as a container would run it on a node.

The sandbox has no network (every namespace unshared, so only a fresh loopback), a fresh
/proc, /dev and /tmp, the host (or image) root filesystem read-only, and only the binds the
caller asks for writable. Each run has a wall-clock limit and an output limit.

Capabilities: bubblewrap keeps every capability when it is started by root, and with
CAP_SYS_ADMIN inside its namespaces a script can `mount -o remount,rw` a read-only bind and
write to the host. So every run drops all capabilities and adds back only the few a container
runtime gives root by default that touch nothing outside the sandbox's own files (see _CAPS).

There is no fallback: if bubblewrap is missing or cannot create namespaces, `Sandbox.check`
raises SandboxError and nothing runs.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import shutil
import signal
import subprocess
import time
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from seatrial.errors import SandboxError

DEFAULT_BWRAP = "/usr/bin/bwrap"
#: what a container's PATH is when the image sets none
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#: given back to root in the sandbox: file ownership and permission handling on its own files
_CAPS = ("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_SETUID",
         "CAP_SETGID")
#: replaced by fresh filesystems instead of being bound from the root
_FRESH = ("proc", "dev", "tmp", "sys")


@dataclass(frozen=True)
class Bind:
    """`source` (a host path) seen at `dest` inside the sandbox."""

    dest: str
    source: Path
    writable: bool = False


@dataclass(frozen=True)
class RunSpec:
    argv: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)
    binds: tuple[Bind, ...] = ()
    cwd: str = "/"
    hostname: str = "seatrial"
    timeout: float = 60.0
    output_limit: int = 1 << 20
    #: the read-only root: this machine's / or an unpacked image filesystem
    root: Path = Path("/")


@dataclass(frozen=True)
class RunResult:
    exit_code: int | None  # None when the run was stopped (time or output limit)
    output_tail: str  # the last TAIL_BYTES of stdout and stderr, interleaved
    output_bytes: int
    duration: float
    timed_out: bool = False
    output_exceeded: bool = False

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out and not self.output_exceeded

    def last_lines(self, n: int = 10) -> list[str]:
        return self.output_tail.rstrip("\n").splitlines()[-n:] if self.output_tail else []

    def reason(self, limit_s: float, limit_bytes: int) -> str:
        if self.timed_out:
            return f"was stopped after the time limit of {limit_s:g}s"
        if self.output_exceeded:
            return f"was stopped after writing more than {limit_bytes} bytes of output"
        if self.exit_code is not None and self.exit_code < 0:
            return f"was killed by signal {-self.exit_code}"
        return f"exited with status {self.exit_code}"


TAIL_BYTES = 16 * 1024


def bwrap_path(explicit: str | None = None) -> str:
    """The bubblewrap binary: `explicit`, else $SEATRIAL_BWRAP, else /usr/bin/bwrap."""
    return explicit or os.environ.get("SEATRIAL_BWRAP") or DEFAULT_BWRAP


def _norm(path: str) -> str:
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise SandboxError(f"sandbox path {path!r} must not contain '..'")
    return "/" + "/".join(parts)


def _is_under(path: str, parent: str) -> bool:
    return parent == "/" or path == parent or path.startswith(parent + "/")


class Sandbox:
    """bubblewrap, and how this process may use it (as root or not)."""

    def __init__(self, bwrap: str | None = None) -> None:
        self.bwrap = bwrap_path(bwrap)
        self._privileged = os.geteuid() == 0

    # -- building the bubblewrap command line ------------------------------------------------

    def _root_args(self, root: Path, mount_points: Sequence[str]) -> list[str]:
        """Bind the root read-only, entry by entry, leaving a writable tmpfs path down to each
        mount point that is not inside another bind (a read-only bind of / would make the
        mount point impossible to create)."""
        args: list[str] = []

        def walk(host_dir: Path, sandbox_dir: str, targets: list[str], top: bool) -> None:
            children = {t[len(sandbox_dir):].lstrip("/").split("/", 1)[0] for t in targets}
            try:
                entries = sorted(os.listdir(host_dir))
            except OSError:
                entries = []
            for name in entries:
                if top and name in _FRESH:
                    continue
                dest = f"{sandbox_dir.rstrip('/')}/{name}"
                host = host_dir / name
                if name in children:
                    continue
                if host.is_symlink():
                    args.extend(["--symlink", os.readlink(host), dest])
                elif host.is_dir() or host.is_file():
                    args.extend(["--ro-bind", str(host), dest])
            for name in sorted(children):
                dest = f"{sandbox_dir.rstrip('/')}/{name}"
                inner = [t for t in targets if _is_under(t, dest) and t != dest]
                if inner:
                    host = host_dir / name
                    if host.is_symlink():
                        raise SandboxError(
                            f"mount point {inner[0]} passes through the symlink {dest}")
                    args.extend(["--dir", dest])
                    walk(host, dest, inner, False)

        walk(root, "/", list(mount_points), True)
        return args

    def command(self, spec: RunSpec) -> list[str]:
        binds = sorted(spec.binds, key=lambda b: (_norm(b.dest).count("/"), _norm(b.dest)))
        dests = [_norm(b.dest) for b in binds]
        if any(d == "/" for d in dests):
            raise SandboxError("a bind cannot replace the sandbox root")
        outer = [d for d in dests if not any(_is_under(d, o) and d != o for o in dests)]
        for d in dests:
            if any(_is_under(d, f"/{n}") for n in ("proc", "dev", "sys")):
                raise SandboxError(f"cannot mount at {d}: /proc, /dev and /sys are the "
                                   "sandbox's own")
        # binds under /tmp land on the fresh tmpfs (bound after it), not on the root
        outer = [d for d in outer if not _is_under(d, "/tmp")]
        args = [self.bwrap, "--unshare-all", "--die-with-parent", "--new-session",
                "--hostname", spec.hostname, "--cap-drop", "ALL"]
        if self._privileged:
            for cap in _CAPS:
                args.extend(["--cap-add", cap])
        else:
            args.extend(["--unshare-user", "--uid", "0", "--gid", "0"])
        args += self._root_args(spec.root, outer)
        args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
        if (spec.root / "sys").is_dir():
            args += ["--ro-bind", str(spec.root / "sys"), "/sys"]
        for b, dest in zip(binds, dests, strict=True):
            args += ["--bind" if b.writable else "--ro-bind", str(b.source), dest]
        args += ["--clearenv", "--chdir", spec.cwd or "/"]
        env = {"PATH": DEFAULT_PATH, "HOME": "/root", "HOSTNAME": spec.hostname, **spec.env}
        for key, value in sorted(env.items()):
            args += ["--setenv", key, value]
        args += ["--", *spec.argv]
        return args

    # -- checking and running ---------------------------------------------------------------

    def check(self) -> None:
        """Raise SandboxError unless bubblewrap is there and can create its namespaces (probed
        once per process, over this machine's root)."""
        _probe(self.bwrap, self._privileged)

    def run(self, spec: RunSpec) -> RunResult:
        if not spec.argv:
            raise SandboxError("nothing to run: the command is empty")
        self.check()
        return _execute(self.command(spec), spec.timeout, spec.output_limit)


@cache
def _probe(bwrap: str, privileged: bool) -> None:
    if not os.path.isabs(bwrap):
        found = shutil.which(bwrap)
        if not found:
            raise SandboxError(f"bubblewrap not found: {bwrap} (install the bubblewrap package; "
                               "seatrial converge never runs a command outside a sandbox)")
        bwrap = found
    if not os.access(bwrap, os.X_OK):
        raise SandboxError(f"bubblewrap not found: {bwrap} is missing or not executable "
                           "(install the bubblewrap package; seatrial converge never runs a "
                           "command outside a sandbox)")
    sb = Sandbox(bwrap)
    true = "/bin/true" if os.path.exists("/bin/true") else "/usr/bin/true"
    spec = RunSpec((true,), timeout=20, output_limit=64 * 1024)
    try:
        result = _execute(sb.command(spec), spec.timeout, spec.output_limit)
    except OSError as exc:
        raise SandboxError(f"cannot start bubblewrap {bwrap}: {exc.strerror}") from None
    if not result.ok:
        detail = " ".join(result.last_lines(3)) or result.reason(20, 64 * 1024)
        raise SandboxError(f"bubblewrap cannot create its sandbox here: {detail} (user "
                           "namespaces may be disabled: kernel.unprivileged_userns_clone=1 or "
                           "run as root)")


def _kill(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def _execute(argv: list[str], timeout: float, output_limit: int) -> RunResult:
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    assert proc.stdout is not None
    tail: deque[bytes] = deque()
    kept = total = 0
    timed_out = exceeded = False
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    try:
        while True:
            left = timeout - (time.monotonic() - start)
            if left <= 0:
                timed_out = True
                break
            if not sel.select(min(left, 0.5)):
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            total += len(chunk)
            tail.append(chunk)
            kept += len(chunk)
            while kept - len(tail[0]) >= TAIL_BYTES:
                kept -= len(tail.popleft())
            if total > output_limit:
                exceeded = True
                break
    finally:
        sel.close()
        if timed_out or exceeded:
            _kill(proc)
        proc.stdout.close()
    try:
        code = proc.wait(timeout=max(0.1, timeout - (time.monotonic() - start)))
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill(proc)
        code = proc.wait()
    text = b"".join(tail)[-TAIL_BYTES:].decode("utf-8", "replace")
    stopped = timed_out or exceeded
    return RunResult(None if stopped else code, text, total, time.monotonic() - start,
                     timed_out, exceeded)


def merge_binds(binds: Iterable[Bind]) -> tuple[Bind, ...]:
    """Refuse two binds at the same place (the second would hide the first)."""
    seen: dict[str, Bind] = {}
    for b in binds:
        dest = _norm(b.dest)
        if dest in seen and seen[dest].source != b.source:
            raise SandboxError(f"two different directories would be mounted at {dest}")
        seen[dest] = b
    return tuple(seen.values())
