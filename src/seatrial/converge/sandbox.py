"""Run one command in a bubblewrap sandbox, as a container would run it on a node.

What a run sees and what it can do (docs/security.md explains why each part is there):

- namespaces: all of them unshared (user, mount, pid, network with only a fresh loopback, IPC,
  UTS, cgroup), nested user namespaces disabled. Root inside is never root outside: started
  by root, seatrial runs bubblewrap as the otherwise unused uid SANDBOX_UID, so root in the
  sandbox is that uid on the host (a plain user's run maps root inside to that user). Files
  and /proc knobs owned by the host's root are out of reach even where they are visible.
- capabilities: all dropped, then only those a container runtime gives root by default that
  touch nothing but the sandbox's own files (_CAPS), valid in its user namespace only.
- files: a read-only root made of this machine's /usr, /bin, /sbin, /lib* and the
  world-readable part of /etc (not /etc/shadow, /root, /home, /run, /var: no host secret and
  no host unix socket), or an unpacked image; fresh /proc with /proc/sys, /proc/sysrq-trigger
  and the other kernel knobs read-only, fresh /dev, size-capped /tmp and /dev/shm; then the
  binds the caller asks for. A bind whose source must stay inside a directory (the scratch
  state) is opened component by component without following symlinks on every run
  (beneath.py) and mounted from that descriptor.
- limits: wall-clock time and output (counted here), memory per process (RLIMIT_AS),
  processes (RLIMIT_NPROC), file size (RLIMIT_FSIZE) and the bytes a run adds to the disk
  holding the state (watched here), no core dumps.

There is no fallback: if bubblewrap is missing or cannot create namespaces, `Sandbox.check`
raises SandboxError and nothing runs.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import resource
import selectors
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from seatrial.converge import trees
from seatrial.converge.beneath import EscapeError, open_beneath
from seatrial.errors import SandboxError
from seatrial.objects.kubelet import DEFAULT_PATH

DEFAULT_BWRAP = "/usr/bin/bwrap"
#: the host uid root in the sandbox is, when seatrial runs as root ("SEAT" 0x5EA7, unused)
SANDBOX_UID = 0x5EA7_0000
#: given back to root in the sandbox: file ownership and permission handling on its own files
_CAPS = ("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_SETUID", "CAP_SETGID")
#: replaced by fresh filesystems instead of being bound from the root
_FRESH = ("proc", "dev", "tmp", "sys")
#: what the sandbox shows of this machine's root (read-only)
_HOST_DIRS = frozenset({"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc"})
#: never shown from this machine's /etc, even when world-readable
_ETC_HIDDEN = frozenset(
    {"shadow", "shadow-", "gshadow", "gshadow-", "sudoers", "sudoers.d", "ssh", "security"}
)
#: kernel knobs under the fresh /proc made read-only (as container runtimes do)
_PROC_READ_ONLY = ("sys", "sysrq-trigger", "bus", "fs", "irq")
#: files under /proc replaced by /dev/null
_PROC_MASKED = ("kcore", "keys", "timer_list", "sched_debug", "latency_stats")


@dataclass(frozen=True)
class Bind:
    """`source` (a host path) seen at `dest` inside the sandbox. With `beneath`, `source` must
    stay inside that directory: it is resolved there without following symlinks, every run."""

    dest: str
    source: Path
    writable: bool = False
    beneath: Path | None = None
    #: part of the container's image (a script directory): each run gets a fresh writable copy
    image: bool = False


@dataclass(frozen=True)
class Caps:
    """Resource limits of one run."""

    #: address space of each process (RLIMIT_AS), bytes
    memory: int = 2 << 30
    #: processes and threads a run may start (RLIMIT_NPROC)
    procs: int = 512
    #: bytes a run may add to the disk that holds the state, and the largest file it may write
    state: int = 1 << 30
    #: size of the sandbox's /tmp and /dev/shm (memory-backed)
    tmp: int = 256 << 20


@dataclass(frozen=True)
class RunSpec:
    argv: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)
    binds: tuple[Bind, ...] = ()
    cwd: str = "/"
    hostname: str = "seatrial"
    timeout: float = 60.0
    output_limit: int = 1 << 20
    #: the read-only root: Path("/") for this machine's minimal root, or an unpacked image
    root: Path = Path("/")
    caps: Caps = Caps()
    #: the directories a run writes to (the state, emptyDir volumes): caps.state applies
    watch: tuple[Path, ...] = ()
    #: the root is a private copy made for this run: bound writable (a container's writable
    #: layer, discarded at the next run)
    root_writable: bool = False
    #: seconds without CPU use, new processes or output after which a run is "started" (a
    #: daemon in its final wait): it is stopped and counts as a success; 0: never
    idle: float = 0.0


@dataclass(frozen=True)
class RunResult:
    exit_code: int | None  # None when the run was stopped (a limit) or not started
    output_tail: str  # the last TAIL_BYTES of stdout and stderr, interleaved
    output_bytes: int
    duration: float
    timed_out: bool = False
    output_exceeded: bool = False
    #: why seatrial stopped the run or did not start it ("" when it did neither)
    stopped: str = ""
    #: which limit the output suggests the run hit ("" when none)
    hint: str = ""
    #: the run reached a final blocking wait and was stopped there: what it waited in
    started: str = ""

    @property
    def ok(self) -> bool:
        return (
            self.exit_code == 0
            and not self.timed_out
            and not self.output_exceeded
            and not self.stopped
        )

    def status(self) -> str:
        """ "started (...)" for a daemon-style run, else "ok"; call only when ok."""
        return f"started (then stopped: {self.started})" if self.started else "ok"

    def last_lines(self, n: int = 10) -> list[str]:
        return self.output_tail.rstrip("\n").splitlines()[-n:] if self.output_tail else []

    def reason(self, limit_s: float, limit_bytes: int) -> str:
        if self.stopped:
            why = self.stopped
        elif self.timed_out:
            why = f"was stopped after the time limit of {limit_s:g}s"
        elif self.output_exceeded:
            why = f"was stopped after writing more than {limit_bytes} bytes of output"
        elif self.exit_code == -signal.SIGXFSZ:
            why = (
                f"was killed by signal {signal.SIGXFSZ} (SIGXFSZ: a file reached the file "
                "size limit)"
            )
        elif self.exit_code is not None and self.exit_code < 0:
            why = f"was killed by signal {-self.exit_code}"
        else:
            why = f"exited with status {self.exit_code}"
        return f"{why} ({self.hint})" if self.hint else why


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


def host_shows(path: str) -> bool:
    """Whether this machine's `path` is part of the minimal root the sandbox shows."""
    parts = [p for p in path.split("/") if p]
    if not parts or parts[0] not in _HOST_DIRS:
        return False
    return parts[0] != "etc" or len(parts) == 1 or _etc_shown(parts[1])


@cache
def _etc_copy() -> Path:
    """A copy of this machine's /etc without what must stay hidden: _ETC_HIDDEN, and every
    entry not readable by others (made once per process; one bind instead of one per entry)."""
    dest = Path(tempfile.mkdtemp(prefix="seatrial-etc-"))
    atexit.register(shutil.rmtree, dest, True)

    def hidden(directory: str, names: list[str]) -> set[str]:
        out = set()
        for name in names:
            try:
                st = os.lstat(os.path.join(directory, name))
            except OSError:
                out.add(name)
                continue
            kind_ok = stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)
            if stat.S_ISLNK(st.st_mode):
                continue
            if (
                not kind_ok
                or not st.st_mode & stat.S_IROTH
                or (directory == "/etc" and name in _ETC_HIDDEN)
            ):
                out.add(name)
        return out

    shutil.copytree(
        "/etc", dest / "etc", symlinks=True, ignore=hidden, ignore_dangling_symlinks=True
    )
    dest.chmod(0o755)
    _check_reachable(dest)
    return dest / "etc"


def _etc_shown(name: str) -> bool:
    if name in _ETC_HIDDEN:
        return False
    try:
        st = os.lstat(f"/etc/{name}")
    except OSError:
        return False
    return stat.S_ISLNK(st.st_mode) or bool(st.st_mode & stat.S_IROTH)


@dataclass
class _Sources:
    """Every bind source opened as a descriptor, and how bubblewrap is to reach it: as root,
    each is bind-mounted (in a private mount namespace of bubblewrap's process, before it drops
    to SANDBOX_UID) onto a mount point in `stage`, a directory that uid can reach; otherwise
    bubblewrap is handed the descriptor itself (--bind-fd)."""

    staged: bool
    stage: Path | None = None
    fds: list[int] = field(default_factory=list)
    mounts: list[tuple[int, str]] = field(default_factory=list)

    def add(self, fd: int) -> tuple[str, str]:
        """Register `fd`; return how to name it to bubblewrap: ("path", P) or ("fd", N)."""
        self.fds.append(fd)
        if not self.staged:
            return "fd", str(fd)
        if self.stage is None:
            self.stage = Path(tempfile.mkdtemp(prefix="seatrial-stage-"))
            self.stage.chmod(0o711)
            _check_reachable(self.stage)
        point = self.stage / str(len(self.mounts))
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            point.mkdir(0o755)
        else:
            point.touch(0o644)
        self.mounts.append((fd, str(point)))
        return "path", str(point)

    def close(self) -> None:
        for fd in self.fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        if self.stage is not None:
            shutil.rmtree(self.stage, ignore_errors=True)


def _check_reachable(path: Path) -> None:
    for parent in path.parents:
        if not os.stat(parent).st_mode & stat.S_IXOTH:
            raise SandboxError(
                f"the sandbox user cannot reach {path}: {parent} is not "
                "searchable by others (set TMPDIR to a directory that is)"
            )


class Sandbox:
    """bubblewrap, and how this process may use it (as root or not)."""

    def __init__(self, bwrap: str | None = None) -> None:
        self.bwrap = bwrap_path(bwrap)
        self._privileged = os.geteuid() == 0

    @property
    def uid(self) -> int:
        """The host uid that root in the sandbox is."""
        return SANDBOX_UID if self._privileged else os.getuid()

    def adopt(self, tree: Path) -> None:
        """Give `tree` (a private copy: the scratch state, volumes, an unpacked image) to the
        sandbox's root, as the node's root owns its files. Nothing to do when not root."""
        if not self._privileged:
            return
        os.chown(tree, SANDBOX_UID, SANDBOX_UID, follow_symlinks=False)
        for dirpath, dirnames, filenames in trees.walk(tree):
            for name in dirnames + filenames:
                with contextlib.suppress(OSError):  # a path too long: the run will say so
                    os.chown(
                        os.path.join(dirpath, name), SANDBOX_UID, SANDBOX_UID, follow_symlinks=False
                    )

    # -- building the bubblewrap command line ------------------------------------------------

    def _root_args(
        self,
        root: Path,
        mount_points: Sequence[str],
        src: Callable[[Path], str],
        writable: bool = False,
    ) -> list[str]:
        """Bind the root read-only, entry by entry, leaving a writable tmpfs path down to each
        mount point that is not inside another bind (a read-only bind of / would make the
        mount point impossible to create). Of this machine's root only _HOST_DIRS are shown."""
        args: list[str] = []
        host = root == Path("/")

        def shown(sandbox_dir: str, name: str) -> bool:
            if not host:
                return sandbox_dir != "/" or name not in _FRESH
            return host_shows(f"{sandbox_dir.rstrip('/')}/{name}")

        def at(host_dir: Path, dest: str) -> Path:
            return _etc_copy() if host and dest == "/etc" else host_dir / dest.rsplit("/", 1)[1]

        def walk(host_dir: Path, sandbox_dir: str, targets: list[str], expose: bool) -> None:
            children = {t[len(sandbox_dir) :].lstrip("/").split("/", 1)[0] for t in targets}
            try:
                entries = sorted(os.listdir(host_dir)) if expose else []
            except OSError:
                entries = []
            for name in entries:
                dest = f"{sandbox_dir.rstrip('/')}/{name}"
                if name in children or not shown(sandbox_dir, name):
                    continue
                path = at(host_dir, dest)
                if path.is_symlink():
                    args.extend(["--symlink", os.readlink(path), dest])
                elif path.is_dir() or path.is_file():
                    args.extend(["--bind" if writable else "--ro-bind", src(path), dest])
            for name in sorted(children):
                dest = f"{sandbox_dir.rstrip('/')}/{name}"
                inner = [t for t in targets if _is_under(t, dest) and t != dest]
                if inner:
                    path = at(host_dir, dest)
                    visible = expose and shown(sandbox_dir, name)
                    if visible and path.is_symlink():
                        raise SandboxError(
                            f"mount point {inner[0]} passes through the symlink {dest}"
                        )
                    args.extend(["--dir", dest])
                    walk(path, dest, inner, visible and path.is_dir())

        walk(root, "/", list(mount_points), True)
        return args

    def _sources(self) -> _Sources:
        return _Sources(staged=self._privileged)

    def command(self, spec: RunSpec, sources: _Sources) -> list[str]:
        """The bubblewrap command line; every bind source is opened into `sources`."""
        binds = sorted(spec.binds, key=lambda b: (_norm(b.dest).count("/"), _norm(b.dest)))
        dests = [_norm(b.dest) for b in binds]
        if any(d == "/" for d in dests):
            raise SandboxError("a bind cannot replace the sandbox root")
        outer = [d for d in dests if not any(_is_under(d, o) and d != o for o in dests)]
        for d in dests:
            if any(_is_under(d, f"/{n}") for n in ("proc", "dev", "sys")):
                raise SandboxError(
                    f"cannot mount at {d}: /proc, /dev and /sys are the sandbox's own"
                )
        # binds under /tmp land on the fresh tmpfs (bound after it), not on the root
        outer = [d for d in outer if not _is_under(d, "/tmp")]
        args = [
            self.bwrap,
            "--unshare-all",
            "--unshare-user",
            "--uid",
            "0",
            "--gid",
            "0",
            "--disable-userns",
            "--die-with-parent",
            "--new-session",
            "--hostname",
            spec.hostname,
            "--cap-drop",
            "ALL",
        ]
        for cap in _CAPS:
            args.extend(["--cap-add", cap])
        src: Callable[[Path], str] = str
        host_root = spec.root == Path("/")
        if spec.root != Path("/") and sources.staged:
            kind, staged_root = sources.add(os.open(spec.root, os.O_PATH | os.O_DIRECTORY))
            src = lambda p: staged_root + "/" + str(p.relative_to(spec.root))  # noqa: E731
        args += self._root_args(spec.root, outer, src, spec.root_writable and not host_root)
        args += ["--proc", "/proc"]
        for name in _PROC_READ_ONLY:
            args += ["--ro-bind-try", f"/proc/{name}", f"/proc/{name}"]
        for name in _PROC_MASKED:
            if os.path.exists(f"/proc/{name}"):
                args += ["--ro-bind", "/dev/null", f"/proc/{name}"]
        tmp = str(spec.caps.tmp)
        args += [
            "--dev",
            "/dev",
            "--size",
            tmp,
            "--tmpfs",
            "/dev/shm",
            "--size",
            tmp,
            "--tmpfs",
            "/tmp",
        ]
        if (spec.root / "sys").is_dir():
            args += ["--ro-bind", src(spec.root / "sys"), "/sys"]
        for b, dest in zip(binds, dests, strict=True):
            kind, name = sources.add(_open_source(b))
            flag = "--bind" if b.writable else "--ro-bind"
            args += [flag + ("-fd" if kind == "fd" else ""), name, dest]
        args += ["--remount-ro", "/", "--clearenv", "--chdir", spec.cwd or "/"]
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
        """Run `spec`. A bind source that left the directory it must stay in is not an error
        but a refused run (the run before it did that)."""
        if not spec.argv:
            raise SandboxError("nothing to run: the command is empty")
        self.check()
        sources = self._sources()
        try:
            try:
                argv = self.command(spec, sources)
            except EscapeError as exc:
                return RunResult(None, "", 0, 0.0, stopped=f"was not started: {exc}")
            procs = _tasks_of(self.uid) + spec.caps.procs
            result = _execute(
                argv,
                spec.timeout,
                spec.output_limit,
                _confine(sources, self._privileged, spec.caps, procs),
                sources.fds,
                spec.watch,
                spec.caps.state,
                spec.idle,
            )
        finally:
            sources.close()
        return replace(result, hint=_hint(result, spec.caps))


def _open_source(b: Bind) -> int:
    if b.beneath is None:
        try:
            return os.open(b.source, os.O_PATH)
        except OSError as exc:
            raise SandboxError(f"cannot bind {b.source} at {b.dest}: {exc.strerror}") from None
    try:
        rel = str(b.source.relative_to(b.beneath))
    except ValueError:
        raise EscapeError(f"{b.source} is not inside {b.beneath}") from None
    try:
        return open_beneath(b.beneath, "" if rel == "." else rel)
    except EscapeError as exc:
        raise EscapeError(
            f"the source of {_norm(b.dest)} must stay inside its directory, but {exc}"
        ) from None


_LIBC = ctypes.CDLL(None, use_errno=True)
_CLONE_NEWNS = 0x00020000
_MS_BIND, _MS_REC, _MS_PRIVATE = 0x1000, 0x4000, 0x40000


def _syscall_ok(code: int) -> None:
    if code != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def _confine(sources: _Sources, privileged: bool, caps: Caps, procs: int) -> Callable[[], None]:
    """What bubblewrap's process does before it starts: as root, make the staged sources
    reachable in a mount namespace of its own and become SANDBOX_UID; always, set the limits.
    (Runs between fork and exec: system calls only.)"""
    # a descriptor opened here belongs to this mount namespace and cannot be bound in the new
    # one: bind its path there and check that the same file got mounted (as bubblewrap does)
    mounts = []
    for fd, point in sources.mounts:
        st = os.fstat(fd)
        mounts.append(
            (os.readlink(f"/proc/self/fd/{fd}").encode(), point.encode(), (st.st_dev, st.st_ino))
        )
    limits = (
        (resource.RLIMIT_AS, caps.memory),
        (resource.RLIMIT_NPROC, procs),
        (resource.RLIMIT_FSIZE, caps.state),
        (resource.RLIMIT_CORE, 0),
    )

    def before_exec() -> None:
        if privileged:
            _syscall_ok(_LIBC.unshare(_CLONE_NEWNS))
            _syscall_ok(_LIBC.mount(None, b"/", None, _MS_REC | _MS_PRIVATE, None))
            for source, point, identity in mounts:
                _syscall_ok(_LIBC.mount(source, point, None, _MS_BIND | _MS_REC, None))
                got = os.stat(point)
                if (got.st_dev, got.st_ino) != identity:
                    raise OSError(f"{source!r} changed while it was being mounted")
        for which, value in limits:
            resource.setrlimit(which, (value, value))
        if privileged:
            os.setgroups([])
            os.setresgid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID)
            os.setresuid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID)

    return before_exec


def _tasks_of(uid: int) -> int:
    """Processes and threads this machine runs as `uid` (RLIMIT_NPROC counts them all)."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if entry.stat().st_uid == uid:
                total += len(os.listdir(f"/proc/{entry.name}/task"))
    return total


_HINTS = (
    (("fork: ", "Resource temporarily unavailable"), "the process limit of {procs} was reached"),
    (("Cannot allocate memory",), "the memory limit of {memory} bytes per process was reached"),
    (("MemoryError",), "the memory limit of {memory} bytes per process was reached"),
    (("File too large",), "a file reached the size limit of {state} bytes"),
    (("File size limit exceeded",), "a file reached the size limit of {state} bytes"),
)


def _hint(result: RunResult, caps: Caps) -> str:
    if result.ok:
        return ""
    tail = result.output_tail
    for needles, text in _HINTS:
        if all(n in tail for n in needles):
            return text.format(procs=caps.procs, memory=caps.memory, state=caps.state)
    return ""


@cache
def _probe(bwrap: str, privileged: bool) -> None:
    if not os.path.isabs(bwrap):
        found = shutil.which(bwrap)
        if not found:
            raise SandboxError(
                f"bubblewrap not found: {bwrap} (install the bubblewrap package; "
                "seatrial converge never runs a command outside a sandbox)"
            )
        bwrap = found
    if not os.access(bwrap, os.X_OK):
        raise SandboxError(
            f"bubblewrap not found: {bwrap} is missing or not executable "
            "(install the bubblewrap package; seatrial converge never runs a "
            "command outside a sandbox)"
        )
    sb = Sandbox(bwrap)
    true = "/bin/true" if os.path.exists("/bin/true") else "/usr/bin/true"
    spec = RunSpec((true,), timeout=20, output_limit=64 * 1024)
    sources = sb._sources()
    try:
        result = _execute(
            sb.command(spec, sources),
            spec.timeout,
            spec.output_limit,
            _confine(sources, privileged, spec.caps, _tasks_of(sb.uid) + spec.caps.procs),
            sources.fds,
        )
    except OSError as exc:
        who = f" as uid {SANDBOX_UID}, the sandbox user" if privileged else ""
        raise SandboxError(f"cannot start bubblewrap {bwrap}{who}: {exc.strerror}") from None
    except subprocess.SubprocessError as exc:
        raise SandboxError(f"cannot start bubblewrap {bwrap}: {exc}") from None
    finally:
        sources.close()
    if not result.ok:
        detail = " ".join(result.last_lines(3)) or result.reason(20, 64 * 1024)
        who = f" as uid {SANDBOX_UID}" if privileged else ""
        raise SandboxError(
            f"bubblewrap cannot create its sandbox here{who}: {detail} (it needs "
            "unprivileged user namespaces: kernel.unprivileged_userns_clone=1, "
            "user.max_user_namespaces > 0, and in a container a seccomp profile "
            "that allows unshare)"
        )


def _kill(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def _free_bytes(fd: int) -> int:
    st = os.fstatvfs(fd)
    return st.f_bavail * st.f_frsize


def _tree_bytes(dirs: Sequence[Path]) -> int:
    total = 0
    for top in dirs:
        for dirpath, _dirnames, filenames in trees.walk(top):
            for name in filenames:
                with contextlib.suppress(OSError):
                    st = os.lstat(os.path.join(dirpath, name))
                    total += st.st_size if stat.S_ISREG(st.st_mode) else 0
    return total


class _Watch:
    """How much a run adds to the directories it writes to. The free space of their
    filesystem is checked often (one system call); only when it dropped by more than the
    limit are the directories measured (other programs may have written to that disk)."""

    def __init__(self, dirs: Sequence[Path], limit: int) -> None:
        self.dirs, self.limit = tuple(dirs), limit
        self.fd = os.open(dirs[0], os.O_RDONLY | os.O_DIRECTORY) if dirs else None
        self.size = _tree_bytes(self.dirs) if dirs else 0
        self.free = _free_bytes(self.fd) if self.fd is not None else 0

    def exceeded(self) -> bool:
        if self.fd is None:
            return False
        free = _free_bytes(self.fd)
        if self.free - free <= self.limit:
            return False
        grown = _tree_bytes(self.dirs) - self.size
        if grown > self.limit:
            return True
        self.free = free + max(grown, 0)
        return False

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)


def _execute(
    argv: list[str],
    timeout: float,
    output_limit: int,
    before_exec: Callable[[], None],
    pass_fds: Sequence[int] = (),
    watch: Sequence[Path] = (),
    state_limit: int = 0,
    idle: float = 0.0,
) -> RunResult:
    start = time.monotonic()
    watcher = _Watch(watch, state_limit)
    started = ""
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            pass_fds=tuple(pass_fds),
            preexec_fn=before_exec,
        )
        assert proc.stdout is not None
        tail: deque[bytes] = deque()
        kept = total = 0
        timed_out = exceeded = False
        stopped = ""
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        quiet = _Quiet(proc.pid, idle) if idle > 0 else None
        try:
            while True:
                if quiet is not None:
                    started = quiet.settled()
                    if started:
                        break
                left = timeout - (time.monotonic() - start)
                if left <= 0:
                    timed_out = True
                    break
                if watcher.exceeded():
                    stopped = (
                        f"was stopped after adding more than {state_limit} bytes to the "
                        "disk that holds the state"
                    )
                    break
                if not sel.select(min(left, 0.25)):
                    continue
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                total += len(chunk)
                if quiet is not None:
                    quiet.active()
                tail.append(chunk)
                kept += len(chunk)
                while kept - len(tail[0]) >= TAIL_BYTES:
                    kept -= len(tail.popleft())
                if total > output_limit:
                    exceeded = True
                    break
        finally:
            sel.close()
            if timed_out or exceeded or stopped or started:
                _kill(proc)
            proc.stdout.close()
        try:
            code = proc.wait(timeout=max(0.1, timeout - (time.monotonic() - start)))
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill(proc)
            code = proc.wait()
    finally:
        watcher.close()
    text = b"".join(tail)[-TAIL_BYTES:].decode("utf-8", "replace")
    halted = timed_out or exceeded or bool(stopped)
    if started and not halted:
        code = 0
    return RunResult(
        None if halted else code,
        text,
        total,
        time.monotonic() - start,
        timed_out,
        exceeded,
        stopped,
        started=started,
    )


class _Quiet:
    """Whether the process tree under `pid` has settled in a blocking wait: no CPU time used,
    no process started or ended and no output for `idle` seconds."""

    def __init__(self, pid: int, idle: float) -> None:
        self.pid, self.idle = pid, idle
        self.last: tuple[object, ...] = ()
        self.since = time.monotonic()

    def active(self) -> None:
        self.since = time.monotonic()

    def settled(self) -> str:
        tree = _tree(self.pid)
        sig = tuple(sorted((p, ticks) for p, (ticks, _leaf) in tree.items()))
        now = time.monotonic()
        if sig != self.last or len(tree) < 3:  # bwrap, its init, the command
            self.last, self.since = sig, now
            return ""
        if now - self.since < self.idle:
            return ""
        waits = sorted({leaf for _ticks, leaf in tree.values() if leaf})
        return f"idle for {self.idle:g}s in " + ", ".join(f"`{w}`" for w in waits[:3])


def _tree(root: int) -> dict[int, tuple[int, str]]:
    """pid -> (CPU ticks, command line when it has no child) of `root` and its descendants."""
    parent: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                raw = f.read()
        except OSError:
            continue
        fields = raw[raw.rfind(b")") + 2 :].split()
        pid = int(entry.name)
        parent[pid] = int(fields[1])
        ticks[pid] = int(fields[11]) + int(fields[12])
    members = {root}
    grew = True
    while grew:
        added = {p for p, pp in parent.items() if pp in members and p not in members}
        members |= added
        grew = bool(added)
    has_child = {parent[p] for p in members if p in parent}
    out: dict[int, tuple[int, str]] = {}
    for p in members:
        leaf = ""
        if p not in has_child and p != root:
            with contextlib.suppress(OSError), open(f"/proc/{p}/cmdline", "rb") as f:
                leaf = " ".join(a.decode("utf-8", "replace") for a in f.read().split(b"\0") if a)[
                    :80
                ]
        out[p] = (ticks.get(p, 0), leaf)
    return out


def merge_binds(binds: Iterable[Bind]) -> tuple[Bind, ...]:
    """Refuse two binds at the same place (the second would hide the first)."""
    seen: dict[str, Bind] = {}
    for b in binds:
        dest = _norm(b.dest)
        if dest in seen and seen[dest].source != b.source:
            raise SandboxError(f"two different directories would be mounted at {dest}")
        seen[dest] = b
    return tuple(seen.values())
