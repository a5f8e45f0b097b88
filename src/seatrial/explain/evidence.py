"""One evidence model for every input of `seatrial explain`.

Every reader (text logs, `kubectl describe`, `kubectl get -o json|yaml`, a cluster-info dump,
a support bundle, a live cluster) feeds the same `EvidenceBuilder`; the matcher only ever
sees `Evidence`. Each fact keeps the `Origin` it came from (file and line when known) so a
diagnosis can show where its evidence lines are.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from seatrial.findings import ObjectRef
from seatrial.redact import secret_values

# Kinds read as raw objects for owner walking, sibling counting and claims.
KEPT_KINDS = frozenset(
    {
        "ReplicaSet",
        "Deployment",
        "DaemonSet",
        "StatefulSet",
        "Job",
        "CronJob",
        "PersistentVolumeClaim",
        "ConfigMap",
        "Secret",
        "ReplicationController",
    }
)


@dataclass(frozen=True)
class Origin:
    """Where a fact was read: a file (or `live:` URL path) and a 1-based line when known."""

    file: str
    line: int | None = None

    def label(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line}


@dataclass(frozen=True)
class Line:
    """One line of evidence as shown to the user."""

    text: str
    origin: Origin


_FIELD_CONTAINER = re.compile(r"(?:initContainers|containers|ephemeralContainers)\{([^}]+)\}")


@functools.lru_cache(maxsize=4096)
def _event_container(field_path: str) -> str | None:
    m = _FIELD_CONTAINER.search(field_path)
    return m.group(1) if m else None


@dataclass(frozen=True)
class Event:
    involved: ObjectRef
    field_path: str
    type: str
    reason: str
    message: str
    count: int
    origin: Origin

    def container(self) -> str | None:
        """The container an event is about (`spec.containers{name}`), if any."""
        return _event_container(self.field_path)

    def line(self) -> Line:
        times = f" (x{self.count})" if self.count > 1 else ""
        return Line(f"event {self.type} {self.reason}{times}: {self.message}", self.origin)


@dataclass
class ContainerState:
    """One container's status: its current state and the last terminated one."""

    name: str
    image: str = ""
    init: bool = False
    state: str = ""  # waiting | running | terminated | ""
    reason: str = ""
    message: str = ""
    exit_code: int | None = None
    signal: int | None = None
    last_reason: str = ""
    last_message: str = ""
    last_exit_code: int | None = None
    restart_count: int = 0
    ready: bool | None = None
    logs: list[Line] = field(default_factory=list)
    origin: Origin = field(default_factory=lambda: Origin(""))
    last_origin: Origin | None = None  # where the last state was read, when it differs

    def is_failing(self) -> bool:
        if self.state == "waiting" and self.reason not in (
            "",
            "ContainerCreating",
            "PodInitializing",
        ):
            return True
        if self.state == "terminated" and self.exit_code not in (None, 0):
            return True
        return self.restart_count > 0 and self.last_exit_code not in (None, 0)

    def status_lines(self) -> list[Line]:
        out: list[Line] = []
        if self.state and (self.reason or self.message or self.exit_code is not None):
            code = f" exit code {self.exit_code}" if self.exit_code is not None else ""
            msg = f": {self.message}" if self.message else ""
            out.append(
                Line(
                    f"container {self.name} {self.state} {self.reason}{code}{msg}".replace(
                        "  ", " "
                    ),
                    self.origin,
                )
            )
        if self.last_reason or self.last_exit_code is not None:
            code = f" exit code {self.last_exit_code}" if self.last_exit_code is not None else ""
            msg = f": {self.last_message}" if self.last_message else ""
            out.append(
                Line(
                    f"container {self.name} last terminated {self.last_reason}{code}{msg}".replace(
                        "  ", " "
                    ),
                    self.last_origin or self.origin,
                )
            )
        return out


@dataclass
class Condition:
    type: str
    status: str
    reason: str
    message: str


@dataclass
class Pod:
    ref: ObjectRef
    phase: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    owners: list[ObjectRef] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    containers: list[ContainerState] = field(default_factory=list)
    origin: Origin = field(default_factory=lambda: Origin(""))

    def container(self, name: str) -> ContainerState:
        for c in self.containers:
            if c.name == name:
                return c
        c = ContainerState(name=name, origin=self.origin)
        self.containers.append(c)
        return c

    def is_failing(self) -> bool:
        if any(c.is_failing() for c in self.containers):
            return True
        if self.phase in ("Pending", "Failed", "Unknown"):
            return True
        return any(c.type == "PodScheduled" and c.status == "False" for c in self.conditions)


@dataclass
class Evidence:
    """Everything gathered from the inputs, keyed by object."""

    pods: dict[tuple[str, str], Pod] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    objects: dict[tuple[str, str, str], Mapping[str, Any]] = field(default_factory=dict)
    object_origins: dict[tuple[str, str, str], Origin] = field(default_factory=dict)
    loose_lines: list[Line] = field(default_factory=list)
    secret_values: set[str] = field(default_factory=set)
    sources: list[str] = field(default_factory=list)
    kube_versions: list[str] = field(default_factory=list)  # from Nodes' kubeletVersion

    _event_index: dict[tuple[str, str], list[Event]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _indexed: int = field(default=0, init=False, repr=False, compare=False)

    def events_for(self, kind: str, namespace: str, name: str) -> list[Event]:
        if self._indexed != len(self.events):  # (re)built once after the inputs are read
            self._event_index = {}
            for e in self.events:
                self._event_index.setdefault((e.involved.kind, e.involved.name), []).append(e)
            self._indexed = len(self.events)
        return [
            e
            for e in self._event_index.get((kind, name), ())
            if not namespace or not e.involved.namespace or e.involved.namespace == namespace
        ]

    def of_kind(self, kind: str) -> list[Mapping[str, Any]]:
        return [body for (k, _, _), body in sorted(self.objects.items()) if k == kind]

    def get(self, kind: str, namespace: str, name: str) -> Mapping[str, Any] | None:
        return self.objects.get((kind, namespace, name))


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


class Locator:
    """Finds the line of a string in a file's text (first occurrence), for structured
    inputs whose parser keeps no marks. JSON escapes are tried as well as the raw text."""

    #: characters searched per character of text before giving up on lines: objects come in
    #: file order, so searching on from the last hit is linear; misses scan to the end
    SEARCH_BUDGET = 64
    WINDOW = 64 * 1024

    def __init__(self, text: str) -> None:
        self._text = text
        self._newlines: list[int] | None = None
        self._cursor = 0
        self._budget = self.SEARCH_BUDGET * len(text) + (1 << 20)
        self._json = text.lstrip()[:1] in ("{", "[")

    def line_of(self, needle: str) -> int | None:
        if not needle or not self._text:
            return None
        quoted = json.dumps(needle)[1:-1]
        # in JSON a message is written escaped; a needle in JSON syntax ('"name"') is not
        escaped_first = self._json and not (needle.startswith('"') and needle.endswith('"'))
        first = (quoted, needle) if escaped_first else (needle, quoted)
        # Prefixes too: YAML output folds long strings over several lines.
        candidates = [first[0]] if quoted == needle else list(first)
        if len(needle) > 80:
            candidates += [needle[:80], json.dumps(needle[:80])[1:-1], needle[:40], needle[:24]]
        elif len(needle) > 40:
            candidates += [needle[:40], needle[:24]]
        elif len(needle) > 24:
            candidates.append(needle[:24])
        for candidate in candidates:
            pos = self._find(candidate)
            if pos >= 0:
                if self._newlines is None:
                    self._newlines = [m.start() for m in re.finditer("\n", self._text)]
                return bisect.bisect_left(self._newlines, pos) + 1
        return None

    def _find(self, candidate: str) -> int:
        """The next occurrence from the last hit, else the first one; -1 once the budget is
        spent (a hostile file of messages that are not in it cannot make this quadratic)."""
        if self._budget <= 0:
            return -1
        text, start = self._text, self._cursor
        # near the last hit first (the next object), then anywhere
        end = min(len(text), start + self.WINDOW + len(candidate))
        pos = text.find(candidate, start, end)
        self._budget -= (pos if pos >= 0 else end) - start
        if pos < 0:
            pos = text.find(candidate)
            self._budget -= pos if pos >= 0 else len(text)
        if pos >= 0:
            self._cursor = pos
        return pos


class EvidenceBuilder:
    """Accumulates facts from any number of inputs into one `Evidence`."""

    def __init__(self) -> None:
        self.ev = Evidence()

    # -- objects ---------------------------------------------------------------------------
    def add_document(self, doc: Any, file: str, text: str = "", kind_hint: str = "") -> int:
        """Add a parsed JSON/YAML document: one object, a `List`/`*List`, or a bare array
        (`kind_hint` names the kind of a bare array's items, as older support bundles write
        them). Returns how many objects were read."""
        loc = Locator(text)
        if isinstance(doc, list):
            return sum(self._add_object(item, file, loc, kind_hint) for item in doc)
        if not isinstance(doc, Mapping):
            return 0
        if isinstance(doc.get("items"), list) and (
            str(doc.get("kind", "")).endswith("List") or "kind" not in doc
        ):
            item_kind = str(doc.get("kind", ""))[: -len("List")] or kind_hint
            if item_kind == "":
                item_kind = kind_hint
            return sum(self._add_object(item, file, loc, item_kind) for item in doc["items"])
        return self._add_object(doc, file, loc, kind_hint)

    def _add_object(self, obj: Any, file: str, loc: Locator, kind_hint: str) -> int:
        if not isinstance(obj, Mapping):
            return 0
        kind = _str(obj.get("kind")) or kind_hint
        md = _map(obj.get("metadata"))
        name = _str(md.get("name"))
        ns = _str(md.get("namespace"))
        if not kind or not name:
            return 0
        origin = Origin(file, loc.line_of(f'"{name}"') or loc.line_of(name))
        if kind == "Pod":
            self._add_pod(obj, kind, ns, name, file, loc, origin)
        elif kind == "Event":
            self._add_event(obj, file, loc)
        elif kind == "Node":
            info = _map(_map(obj.get("status")).get("nodeInfo"))
            version = _str(info.get("kubeletVersion"))
            m = re.match(r"v?(\d+\.\d+)", version)
            if m and m.group(1) not in self.ev.kube_versions:
                self.ev.kube_versions.append(m.group(1))
        elif kind in KEPT_KINDS:
            if kind == "Secret":
                self._remember_secret(obj)
            self.ev.objects[(kind, ns, name)] = obj
            self.ev.object_origins[(kind, ns, name)] = origin
        return 1

    def _remember_secret(self, obj: Mapping[str, Any]) -> None:
        for value in secret_values(obj):
            self.add_secret_value(value)

    def add_secret_value(self, value: str) -> None:
        """The whole value (any length) and each of its lines of 4 characters or more."""
        self.ev.secret_values.update(
            {value} | {p.strip() for p in value.splitlines() if len(p.strip()) >= 4}
        )

    def pod(self, namespace: str, name: str, origin: Origin | None = None) -> Pod:
        key = (namespace, name)
        pod = self.ev.pods.get(key)
        if pod is None:
            pod = Pod(ObjectRef("Pod", name, namespace, "v1"), origin=origin or Origin(""))
            self.ev.pods[key] = pod
        return pod

    def _add_pod(
        self,
        obj: Mapping[str, Any],
        kind: str,
        ns: str,
        name: str,
        file: str,
        loc: Locator,
        origin: Origin,
    ) -> None:
        md = _map(obj.get("metadata"))
        status = _map(obj.get("status"))
        spec = _map(obj.get("spec"))
        pod = self.pod(ns, name, origin)
        pod.origin = origin
        pod.phase = _str(status.get("phase"))
        pod.labels = {str(k): str(v) for k, v in _map(md.get("labels")).items()}
        pod.annotations = {str(k): str(v) for k, v in _map(md.get("annotations")).items()}
        pod.owners = [
            ObjectRef(_str(o.get("kind")), _str(o.get("name")), ns, _str(o.get("apiVersion")))
            for o in map(_map, _list(md.get("ownerReferences")))
        ]
        pod.conditions = [
            Condition(
                _str(c.get("type")),
                _str(c.get("status")),
                _str(c.get("reason")),
                _str(c.get("message")),
            )
            for c in map(_map, _list(status.get("conditions")))
        ]
        images = {
            _str(c.get("name")): _str(c.get("image"))
            for key in ("initContainers", "containers")
            for c in map(_map, _list(spec.get(key)))
        }
        for key, init in (("initContainers", True), ("containers", False)):
            for spec_c in map(_map, _list(spec.get(key))):
                state = pod.container(_str(spec_c.get("name")))
                state.init = init
                state.image = _str(spec_c.get("image"))
        for key, init in (("initContainerStatuses", True), ("containerStatuses", False)):
            for cs in map(_map, _list(status.get(key))):
                cname = _str(cs.get("name"))
                c = pod.container(cname)
                c.init = init
                c.image = _str(cs.get("image")) or images.get(cname, "")
                c.restart_count = _int(cs.get("restartCount")) or 0
                ready = cs.get("ready")
                c.ready = ready if isinstance(ready, bool) else None
                self._read_state(c, _map(cs.get("state")), _map(cs.get("lastState")), loc, file)

    @staticmethod
    def _read_state(
        c: ContainerState,
        state: Mapping[str, Any],
        last: Mapping[str, Any],
        loc: Locator,
        file: str,
    ) -> None:
        for which in ("waiting", "terminated", "running"):
            if which in state:
                detail = _map(state[which])
                c.state = which
                c.reason = _str(detail.get("reason"))
                c.message = _str(detail.get("message")).strip()
                c.exit_code = _int(detail.get("exitCode"))
                c.signal = _int(detail.get("signal"))
                break
        term = _map(last.get("terminated"))
        if term:
            c.last_reason = _str(term.get("reason"))
            c.last_message = _str(term.get("message")).strip()
            c.last_exit_code = _int(term.get("exitCode"))
        needle = c.message or c.last_message or c.reason or c.name
        c.origin = Origin(file, loc.line_of(needle))

    def _add_event(self, obj: Mapping[str, Any], file: str, loc: Locator) -> None:
        md = _map(obj.get("metadata"))
        inv = _map(obj.get("involvedObject")) or _map(obj.get("regarding"))
        message = _str(obj.get("message")) or _str(obj.get("note"))
        count = _int(obj.get("count")) or _int(_map(obj.get("series")).get("count")) or 1
        self.ev.events.append(
            Event(
                involved=ObjectRef(
                    _str(inv.get("kind")),
                    _str(inv.get("name")),
                    _str(inv.get("namespace")) or _str(md.get("namespace")),
                    _str(inv.get("apiVersion")),
                ),
                field_path=_str(inv.get("fieldPath")),
                type=_str(obj.get("type")) or "Normal",
                reason=_str(obj.get("reason")),
                message=message.strip(),
                count=count,
                origin=Origin(file, loc.line_of(message) if message else None),
            )
        )

    def add_event(self, event: Event) -> None:
        self.ev.events.append(event)

    # -- logs and text ---------------------------------------------------------------------
    def add_logs(self, namespace: str, pod: str, container: str, lines: Iterable[Line]) -> None:
        self.pod(namespace, pod).container(container).logs.extend(lines)

    def add_loose_lines(self, lines: Iterable[Line]) -> None:
        self.ev.loose_lines.extend(lines)

    def add_source(self, label: str) -> None:
        self.ev.sources.append(label)

    def build(self) -> Evidence:
        # A pod known only from its events (a `kubectl get events` table) is still a subject.
        for e in self.ev.events:
            if e.involved.kind == "Pod" and e.involved.name:
                self.pod(e.involved.namespace, e.involved.name, e.origin)
        from seatrial.explain.owners import resolve

        resolve(self.ev)  # owners and states the events imply; one pod per object
        return self.ev


def text_lines(text: str, file: str, first_line: int = 1) -> list[Line]:
    """Split `text` into evidence lines numbered from `first_line`, dropping blank ones."""
    return [
        Line(t.rstrip(), Origin(file, first_line + i))
        for i, t in enumerate(text.splitlines())
        if t.strip()
    ]
