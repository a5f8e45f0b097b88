"""ST401: `helm upgrade` with unchanged values changes objects (install and upgrade renders
differ), or templates call functions whose value changes at every render."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from seatrial.checks.registry import MatrixContext, Scope, Violation, check
from seatrial.checks.template_scan import Call, TemplateScan
from seatrial.findings import Cell, Location, Severity
from seatrial.objects.model import FieldPath, K8sObject
from seatrial.render.locate import locate

MAX_FIELDS = 8
#: a value read as the time of the render: within this many seconds of the check
TIME_WINDOW = 36 * 3600
_STAMP = re.compile(r"(20\d\d)-?(\d\d)-?(\d\d)[T _-]?(\d\d):?(\d\d):?(\d\d)")
_EPOCH = re.compile(r"(?<!\d)(1\d{9})(?!\d)")
#: what was reported for an object: (object key, template location or field)
_Reported = tuple[str, Location | str]


def _leaves(
    body: Any, path: FieldPath = (), out: dict[FieldPath, Any] | None = None
) -> dict[FieldPath, Any]:
    """Every leaf of `body` by its path (an empty mapping or list is a leaf)."""
    if out is None:
        out = {}
    if isinstance(body, Mapping):
        if not body:
            out[path] = {}
        for k, v in body.items():
            _leaves(v, (*path, str(k)), out)
    elif isinstance(body, list):
        if not body:
            out[path] = []
        for i, v in enumerate(body):
            _leaves(v, (*path, i), out)
    else:
        out[path] = body
    return out


def _dotted(path: FieldPath) -> str:
    return "".join(
        f"[{p}]" if isinstance(p, int) else ("." if i else "") + p for i, p in enumerate(path)
    )


def _decoded(value: str) -> str:
    """`value`, and its base64 decoding when it is base64 of text (Secret data)."""
    if len(value) < 8 or len(value) % 4:
        return value
    try:
        return value + "\n" + base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return value


def _is_render_time(value: Any, now: datetime) -> bool:
    """Whether a rendered value holds the time of the render (`now`, formatted by `date`)."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        return False
    text = _decoded(str(value))
    for m in _STAMP.finditer(text):
        try:
            y, mo, d, h, mi, sec = (int(g) for g in m.groups())
            at = datetime(y, mo, d, h, mi, sec, tzinfo=UTC)
        except ValueError:
            continue
        if abs((at - now).total_seconds()) < TIME_WINDOW:
            return True
    return any(abs(int(m.group(1)) - now.timestamp()) < TIME_WINDOW for m in _EPOCH.finditer(text))


def _effect(obj: K8sObject, path: FieldPath, func: str = "") -> str:
    if obj.kind == "Secret" and func == "now":
        return "rewrites the Secret with the time of the upgrade"
    if obj.kind == "Secret":
        return "rotates the credential (clients holding the old value break)"
    if path[:2] in (("spec", "template"), ("spec", "jobTemplate")):
        return "changes the pod template, which restarts every pod"
    return "changes it"


def _changes(
    obj: K8sObject, other: K8sObject, scan: TemplateScan, now: datetime
) -> tuple[list[FieldPath], set[FieldPath]]:
    """(fields that differ between the install and the upgrade render, or hold the time of
    the render; of those, the ones that hold the time but do not differ: two renders within
    one second agree on them, and only a `now` call explains them)."""
    same = obj.body == other.body
    now_reached = scan.reaches_now(obj.source)
    if same and not now_reached:
        return [], set()
    a = _leaves(obj.body)
    b = a if same else _leaves(other.body)
    changed = set() if same else {p for p in a.keys() | b.keys() if a.get(p) != b.get(p)}
    stamped: set[FieldPath] = set()
    if now_reached:
        stamped = {p for p, v in a.items() if p not in changed and _is_render_time(v, now)}
    return sorted(changed | stamped, key=str), stamped


_VAR = re.compile(r"\$([A-Za-z_]\w*)")


def _explain(
    obj: K8sObject, path: FieldPath, scan: TemplateScan, files: Mapping[str, str]
) -> tuple[Location, list[Call], bool]:
    """(the template line of the field, the calls that line reaches, whether it reads
    `.Release.Revision`). A line that prints a variable (`{{ $password | b64enc }}`) reaches
    the calls of the lines of its file that assign that variable."""
    loc = locate(obj, path, files)
    if loc.line is None:
        return loc, [], False
    text = scan.line_text(loc.file, loc.line)
    calls = scan.calls_from(text, loc.file, loc.line)
    lines = files.get(loc.file, "").splitlines()
    for var in set(_VAR.findall(text)):
        assign = re.compile(rf"\${var}\s*:?=")
        for i, line in enumerate(lines, 1):
            if i != loc.line and assign.search(line):
                calls += [c for c in scan.calls_from(line, loc.file, i) if c not in calls]
    return loc, calls, scan.line_reaches(loc.file, loc.line, ".Release.Revision")


@check("ST401", "upgrade-not-idempotent", Severity.WARNING, scope=Scope.MATRIX)
def upgrade_not_idempotent(ctx: MatrixContext) -> Iterator[Violation]:
    """`helm upgrade` with the same values changes objects.

    Each distinct render is rendered again as an upgrade (revision 2, same values) and the two
    are compared field by field; a field that holds the time of the render counts as changed
    too (two renders within one second agree on it). Only such confirmed differences are
    reported. Each is explained from the template line that produced the field: the
    function whose value differs at every render (`randAlphaNum`, `randAlpha`, `uuidv4`,
    `now`, `genCA`, `genSelfSignedCert`, `genPrivateKey`, ...) that the line reaches, directly,
    through named templates or through an included template file (a checksum annotation), or
    `.Release.Revision`. Templates that reach `lookup` (directly or through
    `include`/`template`, transitively) are skipped: in a cluster they reuse the live value.
    A call that is all a mode's switch adds (`{{- if .Values.manager.rolling }}`, `rollme:
    {{ randAlphaNum 5 }}`, `{{- end }}`) is a note in that mode: a restart at every upgrade is
    what the switch is for (never for a Secret). A difference that only
    `.Release.IsInstall`/`.Release.IsUpgrade` makes happens once, at the first upgrade, and is
    not reported.

    ## Why is this bad?
    An upgrade that should change nothing restarts pods (a random value in a checksum
    annotation changes the pod template) or rotates passwords and certificates that running
    clients still use. Scripts and hooks that assume a stable state run against a new one.

    ## Example
        data:
          password: {{ randAlphaNum 16 | b64enc }}
        ...
        checksum/secret: {{ include (print $.Template.BasePath "/secret.yaml") . | sha256sum }}

    ## Fix
    Keep the first value: `lookup` the existing Secret and reuse its data, or take the value
    from `.Values` (generated once by the user).
    """
    files = ctx.template_sources
    scan = TemplateScan(files)
    now = datetime.now(UTC)
    # most objects render identically in most cells: each (install text, upgrade text) pair is
    # analysed once, and its violations are given again, with this render's cells, elsewhere
    seen: dict[tuple[Any, ...], tuple[list[Violation], set[_Reported]]] = {}
    for install, upgrade in ctx.upgrades:
        # once per object and place in each render; the engine merges renders into cells
        reported: set[_Reported] = set()
        after = {o.key: o for o in upgrade.objects.objects}
        for obj in install.objects.objects:
            other = after.get(obj.key)
            if other is None or not obj.is_template:
                continue
            before = frozenset(r for r in reported if r[0] == obj.key)
            key = (obj.source, obj.text, other.text, before)
            if key not in seen:
                mine = set(before)
                found = list(_object(obj, other, scan, files, now, mine))
                seen[key] = found, mine - before
            found, added = seen[key]
            reported |= added
            for v in found:
                yield _asked_for(replace(v, cells=install.cells), files)


def _object(
    obj: K8sObject,
    other: K8sObject,
    scan: TemplateScan,
    files: Mapping[str, str],
    now: datetime,
    reported: set[_Reported],
) -> Iterator[Violation]:
    """The violations of one object, from its install and upgrade renders."""
    changed, stamped = _changes(obj, other, scan, now)
    if not changed or _guarded(obj, scan, files):
        return
    unexplained: list[FieldPath] = []
    for path in changed:
        loc, calls, revision = _explain(obj, path, scan, files)
        if path in stamped:
            calls = [c for c in calls if c.func == "now"]
            if not calls:
                continue
        if calls:
            yield from _random(obj, path, loc, calls, (), reported)
        elif revision and (obj.key, loc) not in reported:
            reported.add((obj.key, loc))
            yield Violation(
                f"{obj.kind} {obj.name} field {_dotted(path)} reads .Release.Revision: "
                f"every `helm upgrade` {_effect(obj, path)}",
                field=path,
                obj=obj,
                cells=(),
                fix="Derive the field from values only, not from .Release.Revision",
            )
        elif not _one_time(loc, scan):
            unexplained.append(path)
    yield from _unexplained(obj, unexplained, (), reported)


def _asked_for(v: Violation, files: Mapping[str, str]) -> Violation:
    """A random call that is all a mode's own switch adds there (opentelemetry-operator's
    `{{- if .Values.manager.rolling }}`, `rollme: {{ randAlphaNum 5 }}`, `{{- end }}`): a
    restart at every upgrade is what the switch is for, a note. Not for a Secret: no switch
    asks for a credential that rotates."""
    keys = {c.toggled() for c in v.cells or ()}
    if len(keys) != 1 or None in keys or v.source is None or v.source.line is None:
        return v
    if v.obj is not None and v.obj.kind == "Secret":
        return v
    (key,) = keys
    lines = files.get(v.source.file, "").splitlines()
    above = [ln for ln in lines[max(0, v.source.line - 3) : v.source.line - 1] if ln.strip()]
    below = [ln for ln in lines[v.source.line : v.source.line + 2] if ln.strip()]
    if not below or not re.match(r"\s*\{\{-?\s*end\b", below[0]):
        return v
    switch = re.compile(rf"\{{{{-?\s*if\s+\(?\s*\$?\.Values\.{re.escape(str(key))}\s*\)?\s*-?\}}}}")
    if not above or not switch.search(above[-1]):
        return v
    return replace(
        v,
        severity=Severity.INFO,
        message=f"{v.message} ({key} asks for it: nothing to fix if that is wanted)",
    )


def _guarded(obj: K8sObject, scan: TemplateScan, files: Mapping[str, str]) -> bool:
    """The object's document in its template reaches `lookup` (a template of several
    documents guards only those that look the live object up)."""
    at = locate(obj, ("metadata", "name"), files)
    if at.line is None or at.file != obj.source:
        return scan.reaches_lookup(obj.source)
    return scan.reaches_lookup(obj.source, scan.document_of(obj.source, at.line))


def _one_time(loc: Location, scan: TemplateScan) -> bool:
    """A line that branches on install vs upgrade differs once, at the first upgrade."""
    return loc.line is not None and any(
        scan.line_reaches(loc.file, loc.line, flag)
        for flag in (".Release.IsInstall", ".Release.IsUpgrade")
    )


def _random(
    obj: K8sObject,
    path: FieldPath,
    loc: Location,
    calls: list[Call],
    cells: tuple[Cell, ...],
    reported: set[_Reported],
) -> Iterator[Violation]:
    """Report at the call when the object renders it itself; at the field when the call is in
    another template file it includes (a checksum of a Secret with a random password)."""
    own = [c for c in calls if c.file == obj.source or c.file.endswith(".tpl")]
    for call in own[:2]:
        where = Location(call.file, call.line)
        if (obj.key, where) in reported:
            continue
        reported.add((obj.key, where))
        yield Violation(
            f"{call.func} at {call.file}:{call.line} gives {obj.kind} {obj.name} a new value at "
            f"every render: every `helm upgrade` with unchanged values "
            f"{_effect(obj, path, call.func)}",
            source=where,
            obj=obj,
            cells=cells,
            fix="Reuse the existing value (lookup the live object) or take it from .Values",
        )
    if own or (obj.key, loc) in reported:
        return
    reported.add((obj.key, loc))
    call = calls[0]
    yield Violation(
        f"{obj.kind} {obj.name} field {_dotted(path)} differs between the install and the "
        f"upgrade render with the same values ({call.func} at {call.file}:{call.line}): every "
        f"`helm upgrade` {_effect(obj, path, call.func)}",
        field=path,
        obj=obj,
        cells=cells,
        fix=f"Make {call.file} render the same value at every upgrade (lookup the live object "
        "or take the value from .Values)",
    )


def _unexplained(
    obj: K8sObject, changed: list[FieldPath], cells: tuple[Cell, ...], reported: set[_Reported]
) -> Iterator[Violation]:
    """One finding per object for the fields no call explains, naming them all (kyverno's
    CA Secret: `tls.crt` and `tls.key` in one finding, not two), at the first one's line."""
    fresh = [p for p in changed if (obj.key, _dotted(p)) not in reported]
    if not fresh:
        return
    reported.update((obj.key, _dotted(p)) for p in fresh)
    names = ", ".join(_dotted(p) for p in fresh[:MAX_FIELDS])
    if len(fresh) > MAX_FIELDS:
        names += f" and {len(fresh) - MAX_FIELDS} more"
    one = len(fresh) == 1
    yield Violation(
        f"{obj.kind} {obj.name} {'field' if one else 'fields'} {names} "
        f"{'differs' if one else 'differ'} between the install and the upgrade render with the "
        f"same values: every `helm upgrade` changes {'it' if one else 'them'}",
        field=fresh[0],
        obj=obj,
        cells=cells,
        fix="Derive the field from values only (not from random functions, `now`, "
        ".Release.Revision or .Release.IsUpgrade), or reuse the live value "
        "with lookup",
    )
