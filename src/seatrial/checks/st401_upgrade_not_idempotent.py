"""ST401: `helm upgrade` with unchanged values changes objects (install and upgrade renders
differ), or templates call functions whose value changes at every render."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from seatrial.checks.registry import MatrixContext, Scope, Violation, check
from seatrial.findings import Location, Severity
from seatrial.objects.model import FieldPath, K8sObject

#: Sprig/Helm functions whose result differs at every render
NON_DETERMINISTIC = ("randAlphaNum", "randAlpha", "randNumeric", "randAscii", "randBytes",
                     "randInt", "uuidv4", "now", "genCA", "genCAWithKey", "genSelfSignedCert",
                     "genSelfSignedCertWithKey", "genSignedCert", "genSignedCertWithKey",
                     "genPrivateKey")
_FUNC = re.compile(r"\b(" + "|".join(NON_DETERMINISTIC) + r")\b")
_ACTION = re.compile(r"\{\{-?(.*?)-?\}\}", re.S)
_DEFINE = re.compile(r"\{\{-?\s*define\s+\"([^\"]+)\"")
_END_DEFINE = re.compile(r"\{\{-?\s*end\b")
_USES = re.compile(r"\b(?:include|template)\s+\"([^\"]+)\"")
_INCLUDE_FILE = re.compile(r"include\s*\(\s*print\s+\$?\.Template\.BasePath\s+\"(/[^\"]+)\"")
_WORKLOADS = frozenset({"Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job",
                        "CronJob", "Pod", "ReplicationController"})
MAX_FIELDS = 8


def _leaves(body: Any, path: FieldPath = ()) -> dict[FieldPath, Any]:
    if isinstance(body, Mapping):
        out: dict[FieldPath, Any] = {}
        for k, v in body.items():
            out.update(_leaves(v, (*path, str(k))))
        return out or {path: {}}
    if isinstance(body, list):
        out = {}
        for i, v in enumerate(body):
            out.update(_leaves(v, (*path, i)))
        return out or {path: []}
    return {path: body}


def _dotted(path: FieldPath) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else ("." if i else "") + p
                   for i, p in enumerate(path))


def _calls(text: str) -> list[tuple[int, str]]:
    """(line, function) of every non-deterministic call inside a template action."""
    out: list[tuple[int, str]] = []
    for m in _ACTION.finditer(text):
        for f in _FUNC.finditer(m.group(1)):
            out.append((text.count("\n", 0, m.start(1) + f.start()) + 1, f.group(1)))
    return out


def _defines(text: str) -> list[tuple[str, int, int]]:
    """(name, first line, last line) of every `define` block of a template file."""
    out: list[tuple[str, int, int]] = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = _DEFINE.search(line)
        if not m:
            continue
        depth, end = 0, len(lines)
        for j in range(i, len(lines)):
            depth += len(re.findall(r"\{\{-?\s*(?:if|range|with|define|block)\b", lines[j]))
            depth -= len(_END_DEFINE.findall(lines[j]))
            if depth <= 0:
                end = j + 1
                break
        out.append((m.group(1), i + 1, end))
    return out


def _random_sources(files: Mapping[str, str]) -> dict[str, list[tuple[str, int, str]]]:
    """Template path -> (file, line, function) of the non-deterministic calls that reach it,
    directly or through named templates; files that use `lookup` are taken as guarded."""
    named: dict[str, list[tuple[str, int, str]]] = {}
    direct: dict[str, list[tuple[str, int, str]]] = {}
    for path, text in files.items():
        if "lookup" in text:
            continue
        calls = _calls(text)
        spans = _defines(text)
        for line, func in calls:
            owner = next((n for n, a, b in spans if a <= line <= b), None)
            if owner is None:
                direct.setdefault(path, []).append((path, line, func))
            else:
                named.setdefault(owner, []).append((path, line, func))
    for _ in range(3):  # named templates that include other named templates
        for text in files.values():
            for name, a, b in _defines(text):
                body = "\n".join(text.splitlines()[a - 1:b])
                for used in _USES.findall(body):
                    if used != name and used in named:
                        for call in named[used]:
                            if call not in named.setdefault(name, []):
                                named[name].append(call)
    out = {p: list(v) for p, v in direct.items()}
    for path, text in files.items():
        if "lookup" in text:
            continue
        lines = text.splitlines()
        for _, a, b in _defines(text):  # uses inside named templates were followed above
            lines[a - 1:b] = [""] * (b - a + 1)
        for used in set(_USES.findall("\n".join(lines))):
            for call in named.get(used, []):
                if call not in out.setdefault(path, []):
                    out[path].append(call)
    return out


def _guarded(files: Mapping[str, str]) -> set[str]:
    """Templates whose values may come from the live cluster (`lookup`), directly or through
    an included template file (`include (print $.Template.BasePath "/secret.yaml")`): their
    install and upgrade renders differ here but not against a cluster."""
    direct = {p for p, t in files.items() if "lookup" in t}
    out = set(direct)
    for path, text in files.items():
        base = path.split("templates/", 1)[0] + "templates"
        if any(base + inc in direct for inc in _INCLUDE_FILE.findall(text)):
            out.add(path)
    return out


def _effect(obj: K8sObject) -> str:
    if obj.kind == "Secret":
        return "rotates the credential at every upgrade (clients holding the old value break)"
    return "changes the pod template at every upgrade, which restarts every pod"


@check("ST401", "upgrade-not-idempotent", Severity.WARNING, scope=Scope.MATRIX)
def upgrade_not_idempotent(ctx: MatrixContext) -> Iterator[Violation]:
    """`helm upgrade` with the same values changes objects.

    Each cell is rendered as an install and as an upgrade (revision 2, same values) and the
    two renders are compared field by field. Templates are also scanned for functions whose
    value differs at every render (`randAlphaNum`, `randAlpha`, `uuidv4`, `now`, `genCA`,
    `genSelfSignedCert`, `genPrivateKey`, ...) reaching workload or Secret fields, unless the
    template reuses the live value with `lookup`.

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
    reported: set[tuple[str, str]] = set()
    sources = _random_sources(ctx.template_sources)
    guarded = _guarded(ctx.template_sources)
    for install, upgrade in ctx.upgrades:
        after = {o.key: o for o in upgrade.objects.objects}
        for obj in install.objects.objects:
            calls = sources.get(obj.source, [])
            if calls and (obj.kind in _WORKLOADS or obj.kind == "Secret"):
                for file, line, func in calls:
                    key = (obj.key, f"{file}:{line}")
                    if key in reported:
                        continue
                    reported.add(key)
                    yield Violation(
                        f"{func} at {file}:{line} gives {obj.kind} {obj.name} a new value at "
                        f"every render: `helm upgrade` with unchanged values {_effect(obj)}",
                        source=Location(file, line), obj=obj, cells=install.cells,
                        fix="Reuse the existing value (lookup the live object) or take it "
                            "from .Values")
            other = after.get(obj.key)
            if other is None or other.body == obj.body or calls or obj.source in guarded:
                continue
            a, b = _leaves(obj.body), _leaves(other.body)
            changed = sorted({p for p in a.keys() | b.keys() if a.get(p) != b.get(p)}, key=str)
            for path in changed[:MAX_FIELDS]:
                key = (obj.key, _dotted(path))
                if key in reported:
                    continue
                reported.add(key)
                yield Violation(
                    f"{obj.kind} {obj.name} field {_dotted(path)} differs between the install "
                    "and the upgrade render with the same values: every `helm upgrade` "
                    "changes it" + (f" (and {len(changed) - MAX_FIELDS} more fields)"
                                    if len(changed) > MAX_FIELDS and path == changed[0] else ""),
                    field=path, obj=obj, cells=install.cells,
                    fix="Derive the field from values only (not from random functions, `now`, "
                        ".Release.Revision or .Release.IsUpgrade), or reuse the live value "
                        "with lookup")
