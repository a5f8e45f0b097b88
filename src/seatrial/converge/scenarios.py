"""Scenarios: sequences of sandboxed runs on one scratch copy of the state, with a snapshot of
the state before the first run and after every run.

    restart   the same run N times: every run after the first must change nothing
    upgrade   the env of A, then of B, then B again: the last run must change nothing
    cleanup   install, then the cleanup command: the state must be back to where it started

The seed directory is only read (copied once into a scratch directory that is deleted at the
end). A run that fails ends its scenario: later runs would start from a half-done state.
"""

from __future__ import annotations

import fnmatch
import os
import shlex
import shutil
import stat
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from seatrial.converge import kit, layer, snapshot, trees
from seatrial.converge.beneath import EscapeError, open_beneath
from seatrial.converge.sandbox import Bind, Caps, RunResult, RunSpec, Sandbox, merge_binds
from seatrial.converge.snapshot import Change, Snapshot
from seatrial.errors import UsageError
from seatrial.findings import Location, ObjectRef

SCENARIOS = ("restart", "upgrade", "cleanup")


@dataclass(frozen=True)
class StateMount:
    """The state directory `state_path` (relative to the state root, "" for the root) seen
    at `dest` inside the sandbox, writable unless `read_only`."""

    dest: str
    state_path: str = ""
    read_only: bool = False


@dataclass(frozen=True)
class Invocation:
    """What one run executes and what it sees. `secrets` are values that must never be shown
    (they are masked in the output kept for the report)."""

    argv: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)
    mounts: tuple[StateMount, ...] = (StateMount("/host"),)
    binds: tuple[Bind, ...] = ()
    cwd: str = "/"
    hostname: str = "seatrial"
    label: str = ""
    secrets: tuple[str, ...] = ()
    #: the sandbox root: this machine's / unless the image filesystem was unpacked
    root: Path = Path("/")
    #: the workload, container and command line this run comes from (chart form)
    obj: ObjectRef | None = None
    container: str | None = None
    defined_at: Location | None = None
    #: the node kit's stand-ins first on PATH (kit.py)
    node_kit: bool = False

    def shown_command(self) -> str:
        return mask(shlex.join(self.argv), self.secrets)

    def sandbox_path(self, state_rel: str) -> str:
        """Where the container sees a state path (the deepest mount that covers it), or the
        path on the host when no mount covers it."""
        best: StateMount | None = None
        for m in self.mounts:
            base = m.state_path.strip("/")
            if (not base or state_rel == base or state_rel.startswith(base + "/")) and (
                best is None or len(base) > len(best.state_path.strip("/"))
            ):
                best = m
        if best is None:
            return f"(host) /{state_rel}"
        rest = state_rel[len(best.state_path.strip("/")) :].lstrip("/")
        return f"{best.dest.rstrip('/')}/{rest}" if rest else best.dest

    def host_file(self, sandbox_path: str) -> str | None:
        """The local file behind a path inside the sandbox (a script the run names in its
        output), or None when it is not a local file."""
        path = (
            sandbox_path if sandbox_path.startswith("/") else os.path.join(self.cwd, sandbox_path)
        )
        for b in sorted(self.binds, key=lambda b: -len(b.dest)):
            dest = b.dest.rstrip("/")
            if path == dest or path.startswith(dest + "/"):
                return _shown(str(b.source) + path[len(dest) :])
        if not any(
            path.startswith(m.dest.rstrip("/") + "/") for m in self.mounts
        ) and os.path.isfile(path):
            return _shown(path)
        return None


def _shown(path: str) -> str:
    """A local path as the user would type it: relative when under the working directory."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


@dataclass(frozen=True)
class Step:
    name: str  # "run 2", "cleanup"
    invocation: Invocation
    #: the input is the same as the previous run's, so the state must not change
    must_not_change: bool


@dataclass(frozen=True)
class StepResult:
    index: int  # 1-based
    step: Step
    run: RunResult
    before: Snapshot
    after: Snapshot
    changes: tuple[Change, ...]
    #: what the node kit's stand-ins were asked to do, in order
    calls: tuple[str, ...] = ()
    #: state path -> the script line whose command wrote it (from the bash trace)
    writers: Mapping[str, Location] = field(default_factory=dict)
    #: the time limit this run had, and why that much
    timeout: float = 0.0
    timeout_why: str = ""
    #: the last command bash traced, and its script line (where a failed run stopped)
    last_command: str = ""
    last_line: Location | None = None


@dataclass(frozen=True)
class Limits:
    #: the first run's time limit, and the cap of every later run's
    timeout: float = 600.0
    output_limit: int = 1 << 20
    caps: Caps = field(default_factory=Caps)
    #: a later run may take this many times the first run's time (at least `floor` seconds)
    factor: float = 3.0
    floor: float = 30.0
    #: seconds all runs together may take
    budget: float = 1800.0
    #: a run idle this long in a blocking wait is "started" (0: never)
    idle: float = 3.0

    def run_timeout(self, index: int, first: float | None, used: float) -> tuple[float, str]:
        """The time limit of run `index` (1-based) and why: the first run gets `timeout`,
        later ones `factor` x the first run's time within [floor, timeout]; never more than
        what is left of the budget."""
        limit, why = self.timeout, f"the time limit of {self.timeout:g}s"
        if index > 1 and first is not None:
            derived = min(self.timeout, max(self.floor, self.factor * first))
            if derived < limit:
                limit, why = (
                    derived,
                    (
                        f"the time limit of {derived:.3g}s ({self.factor:g}x the "
                        f"first run's {first:.3g}s, at least {self.floor:g}s)"
                    ),
                )
        left = self.budget - used
        if left < limit:
            limit, why = (
                max(left, 0.1),
                (
                    f"the total budget of {self.budget:g}s (--budget), "
                    f"{max(left, 0):.3g}s of it left"
                ),
            )
        return limit, why


@dataclass(frozen=True)
class ScenarioResult:
    scenario: str
    state_label: str  # the --state directory as the user named it
    steps: tuple[Step, ...]  # planned
    results: tuple[StepResult, ...]  # run (stops at the first failure)
    seed: Snapshot  # the scratch state before the first run
    limits: Limits
    allow_residue: tuple[str, ...] = ()

    @property
    def final(self) -> Snapshot:
        return self.results[-1].after if self.results else self.seed

    @property
    def completed(self) -> bool:
        return len(self.results) == len(self.steps) and all(r.run.ok for r in self.results)

    def state_file(self, rel: str) -> str:
        return os.path.join(self.state_label, rel)

    def allowed(self, rel: str, inv: Invocation) -> bool:
        shown = inv.sandbox_path(rel)
        return any(
            fnmatch.fnmatchcase(rel, g.lstrip("/")) or fnmatch.fnmatchcase(shown, g)
            for g in self.allow_residue
        )


def plan(
    scenario: str,
    runs: int,
    install: Invocation,
    *,
    upgrade_to: Invocation | None = None,
    cleanup: Invocation | None = None,
) -> tuple[Step, ...]:
    """The runs of a scenario."""
    if scenario == "restart":
        if runs < 2:
            raise UsageError("--runs must be at least 2: convergence needs a second run")
        return tuple(Step(f"run {i}", install, i > 1) for i in range(1, runs + 1))
    if scenario == "upgrade":
        if upgrade_to is None:
            raise UsageError("--scenario upgrade needs the env of B (--env-b K=V)")
        return (
            Step("run 1 (A)", install, False),
            Step("run 2 (B)", upgrade_to, False),
            Step("run 3 (B again)", upgrade_to, True),
        )
    if scenario == "cleanup":
        if cleanup is None:
            raise UsageError("--scenario cleanup needs the cleanup command (--cleanup-cmd)")
        return (Step("install", install, False), Step("cleanup", cleanup, False))
    raise UsageError(f"unknown scenario {scenario!r} (use {', '.join(SCENARIOS)})")


#: a seed state larger than this is refused (it is copied once, and hashed after every run)
MAX_SEED_ENTRIES = 200_000
MAX_SEED_BYTES = 4 << 30


def check_seed(seed: Path) -> None:
    """Refuse, before anything is copied, a seed that is not a plain tree of reasonable size
    on one filesystem (`--state /` would otherwise walk /proc)."""
    if not seed.is_dir():
        raise UsageError(f"--state {seed}: not a directory")
    root_dev = seed.stat().st_dev
    try:
        _check_seed_tree(seed, root_dev)
    except trees.TooDeep:
        raise UsageError(
            f"--state {seed}: directories nested more than "
            f"{snapshot.MAX_DEPTH} deep; give a copy of the node state"
        ) from None


def _check_seed_tree(seed: Path, root_dev: int) -> None:
    entries = total = 0
    for dirpath, dirnames, filenames in trees.walk(seed, snapshot.MAX_DEPTH):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            st = os.lstat(full)
            entries += 1
            if stat.S_ISDIR(st.st_mode) and st.st_dev != root_dev:
                raise UsageError(
                    f"--state {seed}: {full} is another filesystem; give a "
                    "directory that holds a copy of the node state"
                )
            if not (
                stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode)
            ):
                raise UsageError(
                    f"{full} is a special file (device, socket or fifo); a state "
                    "tree may hold only files, directories and symlinks"
                )
            total += st.st_size if stat.S_ISREG(st.st_mode) else 0
            if entries > MAX_SEED_ENTRIES or total > MAX_SEED_BYTES:
                raise UsageError(
                    f"--state {seed}: more than {MAX_SEED_ENTRIES} entries or "
                    f"{MAX_SEED_BYTES >> 30} GiB; give a smaller copy of the node "
                    "state (only what the command touches)"
                )


def _copy_seed(seed: Path, dest: Path) -> None:
    check_seed(seed)
    # symlinks are copied as symlinks, never followed
    shutil.copytree(seed, dest, symlinks=True, dirs_exist_ok=True)


@contextmanager
def scratch_state(seed: Path, extra: Mapping[str, Path] | None = None) -> Iterator[Path]:
    """A scratch copy of `seed` (and of each `extra` seed at its state path), deleted
    afterwards."""
    base = Path(
        tempfile.mkdtemp(prefix="seatrial-converge-", dir=os.environ.get("SEATRIAL_SCRATCH_DIR"))
    )
    try:
        state = base / "state"
        _copy_seed(seed, state)
        for rel, directory in sorted((extra or {}).items()):
            try:
                os.close(
                    open_beneath(
                        state, rel.rsplit("/", 1)[0] if "/" in rel else "", create_dirs=True
                    )
                )
            except EscapeError as exc:
                raise UsageError(f"--mount /{rel}: {exc}") from None
            _copy_seed(directory, state / rel)
        yield state
    finally:
        trees.remove(base)


def _prepare_mounts(state: Path, steps: Sequence[Step]) -> None:
    """Create the state directories the runs mount (as the kubelet creates a hostPath of type
    DirectoryOrCreate), before the first snapshot, never through a symlink of the seed."""
    for step in steps:
        for m in step.invocation.mounts:
            try:
                os.close(open_beneath(state, m.state_path, create_dirs=True))
            except EscapeError as exc:
                raise UsageError(
                    f"--state: {m.dest} cannot be mounted from the state path "
                    f"{m.state_path.strip('/')}: {exc} (seatrial never follows a symlink of "
                    "the state out of it; give the resolved path)"
                ) from None


def _spec(
    state: Path, inv: Invocation, limits: Limits, run_layer: layer.Layer, timeout: float
) -> RunSpec:
    binds = [
        Bind(m.dest, state / m.state_path.strip("/"), not m.read_only, beneath=state)
        for m in inv.mounts
    ]
    written = {
        state,
        *(
            b.beneath
            for b in run_layer.binds
            if b.writable and b.beneath is not None and b.beneath != run_layer.log
        ),
    }
    return RunSpec(
        inv.argv,
        run_layer.env,
        merge_binds([*binds, *run_layer.binds]),
        inv.cwd,
        inv.hostname,
        timeout,
        limits.output_limit,
        run_layer.root,
        limits.caps,
        watch=tuple(sorted(written)),
        root_writable=run_layer.root_writable,
        idle=limits.idle,
    )


def _writers(
    state: Path, changes: Sequence[Change], trace: Sequence[layer.Traced], inv: Invocation
) -> dict[str, Location]:
    """For each added or changed path, the script line that most likely wrote it."""
    out: dict[str, Location] = {}
    if not trace:
        return out
    sources: dict[str, list[str]] = {}

    def source(t: layer.Traced) -> str:
        if t.file not in sources:
            local = inv.host_file(t.file)
            try:
                sources[t.file] = (
                    Path(local).read_text(errors="replace").splitlines() if local else []
                )
            except OSError:
                sources[t.file] = []
        lines = sources[t.file]
        return lines[t.line - 1] if 0 < t.line <= len(lines) else ""

    for c in changes:
        if c.kind == "removed":
            continue
        try:
            mtime = os.lstat(state / c.path).st_mtime
        except OSError:
            continue
        t = layer.writer(trace, mtime, inv.sandbox_path(c.path), c.kind == "added", source)
        if t is not None:
            local = inv.host_file(t.file)
            out[c.path] = Location(local or t.file, t.line)
    return out


def _adopt(sandbox: Sandbox, state: Path, steps: Sequence[Step]) -> None:
    """Hand the private trees the runs use to the sandbox's root: the state, the volume
    directories and an unpacked image root."""
    trees = {state}
    for step in steps:
        trees.update(b.beneath for b in step.invocation.binds if b.beneath is not None)
        if step.invocation.root != Path("/"):
            trees.add(step.invocation.root)
    for tree in sorted(trees):
        sandbox.adopt(tree)


def _after(
    state: Path, store: dict[str, bytes], before: Snapshot, out: RunResult, inv: Invocation
) -> tuple[Snapshot, RunResult]:
    """The state after a run, and the run's result marked failed when it left what a node's
    state cannot hold (fifos, sockets, devices; more entries than a snapshot may hold)."""
    try:
        after = snapshot.take(state, store, MAX_SEED_ENTRIES)
    except snapshot.StateTooLarge as exc:
        why = out.stopped or f"left a state seatrial cannot check: {exc}"
        return before, replace(out, exit_code=None, stopped=why)
    special = sorted(
        p
        for p, e in after.items()
        if e.kind == "special" and (p not in before or before[p].kind != "special")
    )
    if special and out.ok:
        what = after[special[0]].target
        out = replace(
            out,
            exit_code=None,
            stopped=(
                f"created a {what} at {inv.sandbox_path(special[0])}: a node state seatrial "
                "checks may hold only files, directories and symlinks"
            ),
        )
    return after, out


def mask(text: str, secrets: Sequence[str]) -> str:
    """`text` with every secret value replaced by [secret]."""
    for s in sorted((s for s in secrets if len(s) >= 4), key=len, reverse=True):
        text = text.replace(s, "[secret]")
    return text


def _mask(result: RunResult, secrets: Sequence[str]) -> RunResult:
    text = mask(result.output_tail, secrets)
    if text == result.output_tail:
        return result
    return replace(result, output_tail=text)


def run(
    scenario: str,
    steps: Sequence[Step],
    seed: Path,
    sandbox: Sandbox,
    limits: Limits,
    *,
    state_label: str,
    allow_residue: Sequence[str] = (),
    answers: Mapping[str, str] | None = None,
    extra_seeds: Mapping[str, Path] | None = None,
) -> ScenarioResult:
    """Run `steps` in order on a scratch copy of `seed`."""
    sandbox.check()
    results: list[StepResult] = []
    with scratch_state(seed, extra_seeds) as state:
        _prepare_mounts(state, steps)
        _adopt(sandbox, state, steps)
        sup = state.parent / "support"
        layer.support(sup, any(s.invocation.node_kit for s in steps), dict(answers or {}))
        store: dict[str, bytes] = {}
        first: Snapshot = snapshot.take(state, store)
        current = first
        first_time: float | None = None
        used = 0.0
        for i, step in enumerate(steps, 1):
            inv = step.invocation
            run_layer = layer.fresh(
                state.parent / "layer",
                sup,
                inv.root,
                inv.binds,
                [m.dest for m in inv.mounts],
                inv.node_kit,
                dict(inv.env),
            )
            sandbox.adopt(state.parent / "layer")
            sandbox.adopt(run_layer.log)
            timeout, why = limits.run_timeout(i, first_time, used)
            out = sandbox.run(_spec(state, inv, limits, run_layer, timeout))
            used += out.duration
            if out.timed_out:
                out = replace(out, stopped=f"was stopped after {why}")
            out = _mask(out, inv.secrets)
            after, out = _after(state, store, current, out, inv)
            changes = tuple(snapshot.diff(current, after))
            calls = tuple(mask(c, inv.secrets) for c in kit.read_calls(run_layer.log))
            trace = layer.read_trace(run_layer.log)
            writers = _writers(state, changes, trace, inv)
            last = trace[-1] if trace else None
            results.append(
                StepResult(
                    i,
                    step,
                    out,
                    current,
                    after,
                    changes,
                    calls,
                    writers,
                    timeout,
                    why,
                    mask(last.command, inv.secrets) if last else "",
                    Location(inv.host_file(last.file) or last.file, last.line) if last else None,
                )
            )
            if i == 1:
                first_time = out.duration
            current = after
            if not out.ok:
                break
    return ScenarioResult(
        scenario, state_label, tuple(steps), tuple(results), first, limits, tuple(allow_residue)
    )
