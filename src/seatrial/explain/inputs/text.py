"""Text inputs: container logs, `kubectl get events` tables and `kubectl describe` output."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from seatrial.explain.evidence import (
    ContainerState,
    Event,
    EvidenceBuilder,
    Origin,
    text_lines,
)
from seatrial.findings import ObjectRef

_DESCRIBE_START = re.compile(r"^Name:\s+\S")
_EVENTS_HEADER = re.compile(r"^\s*Type\s+Reason\s+Age\s+From\s+Message\s*$")
_GET_EVENTS_HEADER = re.compile(r"^(NAMESPACE\s+)?LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\s*$")
_KEY_VALUE = re.compile(
    r"^(?P<indent> *)(?P<key>[A-Za-z][A-Za-z0-9 ()/-]*?):(?:\s+(?P<value>.*))?$"
)
_AGE_COUNT = re.compile(r"\(x(\d+) over")


def is_describe(text: str) -> bool:
    lines = text.splitlines()
    return any(_DESCRIBE_START.match(t) for t in lines[:5]) and any(
        t.startswith(("Containers:", "Events:", "Status:", "StorageClass:")) for t in lines
    )


def read_text(text: str, file: str, b: EvidenceBuilder) -> None:
    """Read any text input: describe output, an events table, or plain log lines."""
    if is_describe(text):
        _read_describe(text, file, b)
        return
    lines = text.splitlines()
    header = next((i for i, t in enumerate(lines) if _GET_EVENTS_HEADER.match(t)), None)
    if header is not None:
        _read_events_table(lines, header, file, b)
        return
    b.add_loose_lines(text_lines(text, file))


def _columns(header: str, names: list[str]) -> list[int]:
    return [header.index(n) for n in names]


def _cut(row: str, starts: list[int], i: int) -> str:
    end = starts[i + 1] if i + 1 < len(starts) else None
    return row[starts[i] : end].strip() if end is not None else row[starts[i] :].strip()


def _read_events_table(lines: list[str], header: int, file: str, b: EvidenceBuilder) -> None:
    """`kubectl get events` (optionally `-A`): columns are aligned under the header."""
    head = lines[header]
    names = (["NAMESPACE"] if head.startswith("NAMESPACE") else []) + [
        "LAST SEEN",
        "TYPE",
        "REASON",
        "OBJECT",
        "MESSAGE",
    ]
    starts = _columns(head, names)
    off = 1 if names[0] == "NAMESPACE" else 0
    for i, row in enumerate(lines[header + 1 :], start=header + 2):
        if not row.strip():
            continue
        obj = _cut(row, starts, off + 3)
        kind, _, name = obj.partition("/")
        b.add_event(
            Event(
                involved=ObjectRef(_kind_of(kind), name, _cut(row, starts, 0) if off else ""),
                field_path="",
                type=_cut(row, starts, off + 1),
                reason=_cut(row, starts, off + 2),
                message=_cut(row, starts, off + 4),
                count=1,
                origin=Origin(file, i),
            )
        )


_KINDS = {
    "pod": "Pod",
    "job": "Job",
    "deployment": "Deployment",
    "daemonset": "DaemonSet",
    "replicaset": "ReplicaSet",
    "statefulset": "StatefulSet",
    "cronjob": "CronJob",
    "persistentvolumeclaim": "PersistentVolumeClaim",
    "node": "Node",
}


def _kind_of(word: str) -> str:
    base = word.split(".")[0].lower()
    return _KINDS.get(base, word)


@dataclass
class _Section:
    """One `kubectl describe` block (one object)."""

    start: int
    lines: list[str] = field(default_factory=list)


def _read_describe(text: str, file: str, b: EvidenceBuilder) -> None:
    sections: list[_Section] = []
    for i, row in enumerate(text.splitlines(), start=1):
        if _DESCRIBE_START.match(row):
            sections.append(_Section(i))
        if sections:
            sections[-1].lines.append(row)
    for s in sections:
        _read_describe_section(s, file, b)


def _read_describe_section(s: _Section, file: str, b: EvidenceBuilder) -> None:
    top: dict[str, str] = {}
    for row in s.lines:
        m = _KEY_VALUE.match(row)
        if m and not m.group("indent"):
            top.setdefault(m.group("key"), (m.group("value") or "").strip())
    name, ns = top.get("Name", ""), top.get("Namespace", "")
    is_pod = any(r.startswith("Containers:") for r in s.lines)
    is_claim = "StorageClass" in top or "Access Modes" in top
    kind = "Pod" if is_pod else "PersistentVolumeClaim" if is_claim else ""
    if is_pod:
        pod = b.pod(ns, name, Origin(file, s.start))
        pod.phase = top.get("Status", "")
        pod.labels = _label_block(s.lines, "Labels")
        controlled = top.get("Controlled By", "")
        if "/" in controlled:
            okind, oname = controlled.split("/", 1)
            pod.owners = [ObjectRef(okind, oname, ns)]
        _read_containers(s, file, b, ns, name)
    elif is_claim:
        b.add_document(
            {
                "kind": "PersistentVolumeClaim",
                "metadata": {"name": name, "namespace": ns},
                "status": {"phase": top.get("Status", "")},
            },
            file,
        )
    _read_describe_events(s, file, b, ObjectRef(kind, name, ns))


def _label_block(rows: list[str], key: str) -> dict[str, str]:
    out: dict[str, str] = {}
    inside = False
    for row in rows:
        if row.startswith(f"{key}:"):
            inside = True
            row = row[len(key) + 1 :]
        elif inside and not row.startswith(" "):
            break
        if inside:
            k, sep, v = row.strip().partition("=")
            if sep:
                out[k] = v
    return out


def _read_containers(s: _Section, file: str, b: EvidenceBuilder, ns: str, pod: str) -> None:
    current: ContainerState | None = None
    init = False
    block = ""  # "state" or "last" while reading a State/Last State block
    in_containers = False
    for offset, row in enumerate(s.lines):
        lineno = s.start + offset
        if not row.startswith(" "):
            in_containers = row.startswith(("Containers:", "Init Containers:"))
            init = row.startswith("Init Containers:")
            current = None
            continue
        if not in_containers:
            continue
        m = _KEY_VALUE.match(row)
        if m is None:
            continue
        indent, key, value = len(m.group("indent")), m.group("key"), (m.group("value") or "")
        value = value.strip()
        if indent == 2 and not value:
            current = b.pod(ns, pod).container(key)
            current.init = init
            current.origin = Origin(file, lineno)
            block = ""
            continue
        if current is None:
            continue
        if indent == 4:
            block = ""
            if key == "Image":
                current.image = value
            elif key == "State":
                block = "state"
                current.state = value.lower()
                current.origin = Origin(file, lineno)
            elif key == "Last State":
                block = "last"
            elif key == "Restart Count" and value.isdigit():
                current.restart_count = int(value)
            elif key == "Ready":
                current.ready = value == "True"
        elif indent == 6 and block:
            _set_state(current, block, key, value, Origin(file, lineno))


def _set_state(c: ContainerState, block: str, key: str, value: str, origin: Origin) -> None:
    """One `Reason:`/`Message:`/`Exit Code:` line of a State or Last State block."""
    prefix = "" if block == "state" else "last_"
    if prefix and c.last_origin is None:
        c.last_origin = origin
    if key == "Reason":
        setattr(c, f"{prefix}reason", value)
    elif key == "Message":
        setattr(c, f"{prefix}message", value)
        if not prefix:
            c.origin = origin
        else:
            c.last_origin = origin
    elif key == "Exit Code" and value.lstrip("-").isdigit():
        setattr(c, f"{prefix}exit_code", int(value))
    elif key == "Signal" and value.isdigit() and not prefix:
        c.signal = int(value)


def _read_describe_events(s: _Section, file: str, b: EvidenceBuilder, ref: ObjectRef) -> None:
    header = next((i for i, r in enumerate(s.lines) if _EVENTS_HEADER.match(r)), None)
    if header is None:
        return
    head = s.lines[header]
    starts = _columns(head, ["Type", "Reason", "Age", "From", "Message"])
    for i in range(header + 1, len(s.lines)):
        row = s.lines[i]
        if not row.strip() or set(row.strip()) <= {"-", " "}:
            continue
        if not row.startswith(" "):
            break
        age = _cut(row, starts, 2)
        count = _AGE_COUNT.search(age)
        b.add_event(
            Event(
                involved=ref,
                field_path="",
                type=_cut(row, starts, 0),
                reason=_cut(row, starts, 1),
                message=_cut(row, starts, 4),
                count=int(count.group(1)) if count else 1,
                origin=Origin(file, s.start + i),
            )
        )
