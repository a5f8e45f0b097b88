"""ST102 mode-drift."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from seatrial.checks.registry import CellContext, MatrixContext, Scope, Violation, check
from seatrial.findings import Cell, Severity
from seatrial.objects.model import Container, FieldPath, Workload
from seatrial.render.locate import locate

_DEFAULTS = "defaults"
#: workloads whose pods run once to completion; the others serve until stopped
_RUN_ONCE = frozenset({"Job", "CronJob"})
_COMMAND_FIX = (
    "remove `command` so the image ENTRYPOINT runs in every mode, or set the same "
    "command in every mode (one shared container template)"
)
_TOGGLE_FIX = (
    "nothing, if the toggle replaces the command on purpose (a diagnostic mode); "
    "otherwise set the command in one place that every value of the toggle uses"
)


def _show(argv: tuple[str, ...] | list[str] | None) -> str:
    return "[" + ", ".join(argv) + "]" if argv is not None else "nothing"


def _mode(cell: Cell, w: Workload) -> str:
    return f"the {w.kind} mode ({cell.name})"


@dataclass(frozen=True)
class _Side:
    """One container of one mode: its workload, the cell that names the mode, the container."""

    w: Workload
    cell: Cell
    c: Container

    def label(self) -> str:
        return _mode(self.cell, self.w)

    def values(self, field: str) -> tuple[str, ...] | None:
        value: tuple[str, ...] | None = getattr(self.c, field)
        return value

    def path(self, field: str, *rest: int) -> FieldPath:
        return (*self.c.path, field, *rest)


def _groups(ctx: MatrixContext) -> dict[tuple[int, int, str, str, str], list[tuple[Cell, Cell]]]:
    """Cell pairs that differ only in one mode key, grouped by the two distinct renders they
    compare (every Kubernetes version of one pair usually compares the same renders)."""
    where: dict[Cell, CellContext] = {c: r for r in ctx.renders for c in r.cells}
    out: dict[tuple[int, int, str, str, str], list[tuple[Cell, Cell]]] = {}
    for cell, ref, key in ctx.mode_pairs:
        a, b = where.get(cell), where.get(ref)
        if a is None or b is None or a is b:
            continue
        out.setdefault((id(a), id(b), key, cell.name, ref.name), []).append((cell, ref))
    return out


def _counterpart(
    w: Workload, c: Container, other: CellContext, mine: CellContext
) -> tuple[Workload, Container] | None:
    """The workload of the other mode that `w` stands for: the one of the same name, else
    the only one with a container of the same name that this mode does not render too (a
    workload both modes render is itself, not what `w` replaced: consul's server
    StatefulSet beside the client DaemonSet that `client.enabled` adds)."""
    same_name = [x for x in other.objects.workloads if x.name == w.name]
    here = {(x.kind, x.name) for x in mine.objects.workloads}
    pool = same_name or [x for x in other.objects.workloads if (x.kind, x.name) not in here]
    hits = [(x, y) for x in pool for y in x.pod.all_containers if y.name == c.name]
    return hits[0] if len(hits) == 1 else None


def _template_line(
    side: _Side, path: FieldPath, files: Mapping[str, str]
) -> tuple[str, int, str] | None:
    loc = locate(side.w.obj, path, files)
    if loc.line is None or loc.file not in files:
        return None
    lines = files[loc.file].splitlines()
    return (loc.file, loc.line, lines[loc.line - 1].strip()) if loc.line <= len(lines) else None


def _reads(text: str, key: str) -> bool:
    return re.search(rf"\.Values\.{re.escape(key)}(?![\w-])", text) is not None


def _same_source(a: _Side, b: _Side, field: str, files: Mapping[str, str]) -> bool:
    """Both modes render the field from one template line, or from the same expression (the
    same `include`): the difference then comes from values, not from a mode's own copy."""
    la, lb = _template_line(a, a.path(field), files), _template_line(b, b.path(field), files)
    if la is None or lb is None:
        return False
    return la[:2] == lb[:2] or ("{{" in la[2] and la[2] == lb[2])


def _differing(
    a: _Side, b: _Side, field: str, key: str, files: Mapping[str, str]
) -> tuple[list[int], list[int]]:
    """Indexes of the elements of `field` that differ between the two modes, leaving out what
    the chart does on purpose or cannot avoid: an element whose template line reads the mode
    key itself (`--leader-elect={{ ne .Values.mode "daemonset" }}`), elements that differ only
    in the workload's own (templated) name, and elements rendered from the same template text."""
    va, vb = a.values(field) or (), b.values(field) or ()
    na = [x.replace(a.w.name, "\0") for x in va]
    nb = [x.replace(b.w.name, "\0") for x in vb]
    only_a: list[int] = []
    only_b: list[int] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, na, nb, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        ia, ib = list(range(i1, i2)), list(range(j1, j2))
        if op == "replace" and len(ia) == len(ib):
            # one element changed into another: nothing to report when both come from the
            # same template text, or when either side's line reads the mode key
            kept = [
                (i, j)
                for i, j in zip(ia, ib, strict=True)
                if not _same_text(a, b, field, i, j, files)
                and not _deliberate(a, field, i, key, files)
                and not _deliberate(b, field, j, key, files)
            ]
            ia, ib = [i for i, _ in kept], [j for _, j in kept]
        only_a += [i for i in ia if not _deliberate(a, field, i, key, files)]
        only_b += [j for j in ib if not _deliberate(b, field, j, key, files)]
    return only_a, only_b


def _same_text(a: _Side, b: _Side, field: str, i: int, j: int, files: Mapping[str, str]) -> bool:
    la, lb = _template_line(a, a.path(field, i), files), _template_line(b, b.path(field, j), files)
    return la is not None and lb is not None and "{{" in la[2] and la[2] == lb[2]


def _deliberate(side: _Side, field: str, i: int, key: str, files: Mapping[str, str]) -> bool:
    line = _template_line(side, side.path(field, i), files)
    return line is not None and _reads(line[2], key)


def _message(
    name: str, field: str, a: _Side, b: _Side, added: list[str], removed: list[str]
) -> str:
    if added and removed:
        return (
            f"container {name} has {field} {_show(added)} in {a.label()} where "
            f"{b.label()} has {_show(removed)}"
        )
    if added:
        return f"container {name} has {field} {_show(added)} in {a.label()} but not in {b.label()}"
    return f"container {name} lacks {field} {_show(removed)} in {a.label()} that {b.label()} has"


def _args_fix(a: _Side, b: _Side, added: list[str], removed: list[str]) -> str:
    shared = "; best, render the args of every mode from one shared template (a named `define`)"
    if added and removed:
        return (
            f"make the {a.w.kind} template pass {_show(removed)} instead of {_show(added)}, "
            f"as the {b.w.kind} template does" + shared
        )
    if added:
        return (
            f"drop {_show(added)} from the {a.w.kind} template's args, or pass them in the "
            f"{b.w.kind} mode too" + shared
        )
    return f"add {_show(removed)} to the {a.w.kind} template's args" + shared


_SHIPPED_FIX = (
    "nothing, if the mode runs its own setup script on purpose (ST301-ST303 check the script)"
)
#: volumes whose files come with the chart
_CHART_VOLUMES = frozenset({"configMap", "secret", "projected"})


def _shipped(side: _Side) -> str | None:
    """The kind of volume (configMap, secret) the program of the side's command is on, when
    the chart ships it: mongodb's replica set mode runs `/scripts/setup.sh` from a ConfigMap,
    the standalone mode the image ENTRYPOINT. Not S1's drift: no binary of the image can
    move away from under it (and ST302 checks it is there)."""
    command = side.c.command
    if not command:
        return None
    program = _program(command)[-1]
    for mount in side.c.volume_mounts:
        path = mount.mount_path.rstrip("/")
        if program == path or program.startswith(path + "/"):  # the file alone, or its folder
            volume = side.w.pod.volume(mount.name)
            if volume is not None and volume.kind in _CHART_VOLUMES:
                return volume.kind
    return None


#: shells whose `-c` script is the program a command runs
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})


def _words(argv: tuple[str, ...]) -> list[str]:
    """A command as words: a shell's `-c` script split on whitespace, `exec` dropped."""
    if len(argv) >= 3 and argv[0].rsplit("/", 1)[-1] in _SHELLS and "c" in argv[1].lstrip("-"):
        script = [w for w in " ".join(argv[2:]).split() if w not in ("exec", "\\")]
        return [*argv[:2], *script]
    return list(argv)


def _program(argv: tuple[str, ...]) -> tuple[str, ...]:
    """What a command starts: its binary, or a shell and the first word of its script."""
    words = _words(argv)
    return tuple(words[:3]) if words != list(argv) else tuple(words[:1])


def _same_program(
    a: _Side, b: _Side, kind_changed: bool, ca: tuple[str, ...], cb: tuple[str, ...]
) -> Violation | None:
    """Both modes start the same program with other arguments (minio: one server address
    in the Deployment mode, the StatefulSet peers in the other): not the binary drift S1
    is. Words only one mode passes are a warning (a flag one copy forgot), words replaced
    one for one only a note (each mode's own setting, most often on purpose)."""
    words_a, words_b = _words(ca), _words(cb)
    wa = [w.replace(a.w.name, "\0") for w in words_a]
    wb = [w.replace(b.w.name, "\0") for w in words_b]
    added: list[str] = []
    removed: list[str] = []
    replaced = False
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and i2 - i1 == j2 - j1:
            replaced = True
            continue
        added += words_a[i1:i2]
        removed += words_b[j1:j2]
    if not added and not removed and not replaced:
        return None
    if not added and not removed:
        return Violation(
            f"container {a.c.name} starts {' '.join(_program(ca))} with other arguments in "
            f"{a.label()} than in {b.label()}",
            field=a.path("command"),
            obj=a.w.obj,
            container=a.c.name,
            cells=(a.cell,),
            severity=Severity.INFO,
            fix="nothing, if each mode sets its own arguments on purpose; otherwise render "
            "the command from one shared template (a named `define`)",
        )
    return Violation(
        _message(a.c.name, "command", a, b, added, removed),
        field=a.path("command"),
        obj=a.w.obj,
        container=a.c.name,
        cells=(a.cell,),
        severity=Severity.WARNING if kind_changed else Severity.INFO,
        fix=f"start {' '.join(_program(ca))} with the same arguments in the {a.w.kind} and "
        f"the {b.w.kind} mode: render the command from one shared template (a named `define`)",
    )


def _command(
    a: _Side, b: _Side, key: str, files: Mapping[str, str], kind_changed: bool
) -> Violation | None:
    if a.c.command == b.c.command or _same_source(a, b, "command", files):
        return None
    only_a, only_b = _differing(a, b, "command", key, files)
    if not only_a and not only_b:
        return None
    ca, cb = a.c.command, b.c.command
    if ca is not None and cb is not None and _program(ca) == _program(cb):
        return _same_program(a, b, kind_changed, ca, cb)
    severity = None if kind_changed else Severity.INFO
    # report at the side that sets a command: that is the line to change
    side, other = (a, b) if a.c.command is not None else (b, a)
    if other.c.command is None:
        shipped = _shipped(side)
        return Violation(
            f"container {a.c.name} sets command {_show(side.c.command)} in {side.label()} but "
            f"not in {other.label()}"
            + (f" (a script the chart ships on its {shipped} volume)" if shipped else ""),
            field=side.path("command"),
            obj=side.w.obj,
            container=a.c.name,
            cells=(side.cell,),
            severity=Severity.INFO if shipped else severity,
            fix=_SHIPPED_FIX if shipped else _COMMAND_FIX if kind_changed else _TOGGLE_FIX,
        )
    va, vb = a.values("command") or (), b.values("command") or ()
    return Violation(
        _message(a.c.name, "command", a, b, [va[i] for i in only_a], [vb[j] for j in only_b]),
        field=a.path("command", only_a[0]) if only_a else a.path("command"),
        obj=a.w.obj,
        container=a.c.name,
        cells=(a.cell,),
        severity=severity,
        fix=(
            f"start the container with the same command in the {a.w.kind} and the "
            f"{b.w.kind} mode: render it from one shared container template (a named `define`)"
        )
        if kind_changed
        else _TOGGLE_FIX,
    )


def _same_lifecycle(a: str, b: str) -> bool:
    """Whether both kinds run their pods the same way (both once, or both until stopped): a
    CronJob mode and a Deployment mode pass different flags by nature (descheduler's
    `--descheduling-interval` only for the Deployment that loops)."""
    return (a in _RUN_ONCE) == (b in _RUN_ONCE)


def _args(a: _Side, b: _Side, key: str, files: Mapping[str, str]) -> Violation | None:
    if a.c.args == b.c.args or _same_source(a, b, "args", files):
        return None
    only_a, only_b = _differing(a, b, "args", key, files)
    if not only_a and not only_b:
        return None
    va, vb = a.values("args") or (), b.values("args") or ()
    added, removed = [va[i] for i in only_a], [vb[j] for j in only_b]
    return Violation(
        _message(a.c.name, "args", a, b, added, removed),
        field=a.path("args", only_a[0]) if only_a else a.path("args"),
        obj=a.w.obj,
        container=a.c.name,
        cells=(a.cell,),
        severity=Severity.WARNING,
        fix=_args_fix(a, b, added, removed),
    )


@check("ST102", "mode-drift", Severity.ERROR, scope=Scope.MATRIX)
def mode_drift(ctx: MatrixContext) -> Iterator[Violation]:
    """The same container starts differently in another workload mode.

    Compares cells that differ only in one mode key: a toggle cell
    (`manager.kind=DaemonSet`) with the defaults; a `ci/*-values.yaml` that switches a
    workload kind with the same file with the kind reset (so its other values are on both
    sides). A container of the same component whose `command` differs while the workload kind
    changes is an error; whose `args` differ then is a warning (not between a mode that runs
    once, a Job or CronJob, and one that serves until stopped: their flags differ by nature,
    descheduler's interval for the Deployment only). A toggle that changes
    `command` within the same kind (a diagnostic mode running `sleep infinity`) is only noted
    (info). So is a command only one mode sets that runs a script the chart ships on a
    ConfigMap or Secret volume (mongodb's replica set setup script; ST301-ST303 check it).
    A command that starts the same program in both modes (the same binary, or a
    shell's `-c` script starting the same one) is not that drift: words only one mode passes
    are a warning, words replaced one for one a note (minio's server addresses differ between
    its standalone and distributed modes on purpose). The container's workload in the other
    mode is the one of the same name, else the
    only one with that container that this mode does not render as well (consul's server
    StatefulSet stays beside the client DaemonSet `client.enabled` adds: not compared).
    It stays silent when both modes render the field from the same template line or
    the same expression (one `include`), for an element whose template line reads the mode key
    itself (`--leader-elect={{ ne .Values.mode "daemonset" }}` is deliberate), and for elements
    that differ only in the workload's templated name. The message lists only the elements
    that differ.

    ## Why is this bad?
    Only the default mode gets exercised by CI and users. A template for another mode that
    hard-codes `command` keeps pointing at the old binary when the image changes: the pod
    fails with `exec: "/manager": stat /manager: no such file or directory` in that mode
    only (Capsule's DaemonSet mode, S1). Args that one mode's copy of the container forgot
    (a flag added to the Deployment template only) change behaviour in that mode only.

    ## Example
        # templates/daemonset.yaml            # templates/deployment.yaml
        containers:                           containers:
          - name: manager                       - name: manager
            command: ["/manager"]                 image: ...  # ENTRYPOINT runs

    ## Fix
    Render the container from one shared template (a named `define`) in every mode. For a
    `command` only one mode sets, usually remove it and let the image ENTRYPOINT run; for
    args, pass the same flags in every mode.
    """
    files = ctx.template_sources
    where: dict[Cell, CellContext] = {c: r for r in ctx.renders for c in r.cells}
    found: dict[tuple[str, str, FieldPath | None], Violation] = {}
    # toggle pairs (against the defaults) first: their names are the shortest to read; a ci
    # pair finding the same drift only adds its cells
    groups = sorted(_groups(ctx).items(), key=lambda g: g[0][4] != _DEFAULTS)
    for (_, _, key, _, _), cells in groups:
        render, base = where[cells[0][0]], where[cells[0][1]]
        for w in render.objects.workloads:
            for c in w.pod.all_containers:
                match = _counterpart(w, c, base, render)
                if match is None:
                    continue
                a, b = _Side(w, cells[0][0], c), _Side(match[0], cells[0][1], match[1])
                kind_changed = a.w.kind != b.w.kind
                v = _command(a, b, key, files, kind_changed)
                if v is None and kind_changed and _same_lifecycle(a.w.kind, b.w.kind):
                    v = _args(a, b, key, files)
                if v is None:
                    continue
                mine = 0 if v.cells == (a.cell,) else 1
                at = ((v.obj or w.obj).key, c.name, v.field)
                v = replace(v, cells=tuple(pair[mine] for pair in cells))
                if at in found:
                    v = replace(found[at], cells=(*(found[at].cells or ()), *(v.cells or ())))
                found[at] = v
    yield from found.values()
