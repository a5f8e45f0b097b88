"""Typed, read-only views of rendered Kubernetes objects.

Checks never walk raw YAML: they get `Workload`, `PodSpec`, `Container`, `ConfigData` and
`HelmHook` built once per object by `objects.extract`. Every view keeps the field path it came
from, so a finding about `containers[0].command` can be traced back to a rendered line and from
there to the template line.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from seatrial.findings import ObjectRef

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class K8sObject:
    """One rendered document.

    `source` is the chart-relative template path (`templates/daemonset.yaml`) or the manifest
    file; `text` is the rendered document and `lines` maps a field path to its 1-based line in
    `text` (from the YAML parser's marks, exact; computed when first asked for). `doc_line` is
    where `text` starts in `source` for plain manifests (0 for templates, whose rendered text
    is not the source).
    """

    api_version: str
    kind: str
    name: str
    namespace: str
    body: Mapping[str, Any]
    source: str
    text: str = ""
    doc_line: int = 0
    is_template: bool = True
    #: where the object is in `text`: the YAML document's index, and the item's index when
    #: it came from a `List` kind's `items` (for `lines`)
    doc_index: int = 0
    item_index: int | None = None
    #: the user values of one cell that rendered it (set once by render/matrix.py; a parse
    #: shared by several renders keeps the first): render/locate.py prints the values a
    #: template line reads to tell apart lines that differ only in them
    values: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)

    def rendered_with(self, values: Mapping[str, Any]) -> None:
        """Record `values` as the values it was rendered with, unless some already are."""
        if self.values is None:
            object.__setattr__(self, "values", values)

    @functools.cached_property
    def lines(self) -> Mapping[FieldPath, int]:
        """Field path -> 1-based line in `text`, read from the YAML parser's marks when first
        asked for (most objects never are: holding them for every field of every object costs
        more memory than the objects themselves)."""
        from seatrial.objects.parse import field_lines

        return field_lines(self.text, self.doc_index, self.item_index)

    @property
    def ref(self) -> ObjectRef:
        return ObjectRef(self.kind, self.name, self.namespace, self.api_version)

    @property
    def key(self) -> str:
        """Stable identity across cells: kind/namespace/name."""
        return f"{self.kind}/{self.namespace}/{self.name}"

    @property
    def metadata(self) -> Mapping[str, Any]:
        md = self.body.get("metadata")
        return md if isinstance(md, Mapping) else {}

    @property
    def annotations(self) -> Mapping[str, str]:
        a = self.metadata.get("annotations")
        return {str(k): str(v) for k, v in a.items()} if isinstance(a, Mapping) else {}

    @property
    def labels(self) -> Mapping[str, str]:
        a = self.metadata.get("labels")
        return {str(k): str(v) for k, v in a.items()} if isinstance(a, Mapping) else {}

    def line_of(self, path: FieldPath) -> int | None:
        """The rendered line of `path`, or of its nearest ancestor that has one."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return None


@dataclass(frozen=True)
class EnvVar:
    name: str
    value: str | None = None
    value_from: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class EnvFrom:
    kind: str  # "ConfigMap" or "Secret"
    name: str
    prefix: str = ""
    optional: bool = False


@dataclass(frozen=True)
class VolumeMount:
    name: str
    mount_path: str
    sub_path: str = ""
    read_only: bool = False


@dataclass(frozen=True)
class Volume:
    """A pod volume. `kind` is the volume source key (configMap, secret, hostPath, emptyDir,
    projected, persistentVolumeClaim, ...); `ref_name` the ConfigMap/Secret/claim name;
    `items` the (key, path) pairs of a configMap/secret volume; `host_path` for hostPath."""

    name: str
    kind: str
    ref_name: str = ""
    items: tuple[tuple[str, str], ...] = ()
    host_path: str = ""
    optional: bool = False


@dataclass(frozen=True)
class Container:
    name: str
    image: str
    command: tuple[str, ...] | None
    args: tuple[str, ...] | None
    env: tuple[EnvVar, ...]
    env_from: tuple[EnvFrom, ...]
    volume_mounts: tuple[VolumeMount, ...]
    working_dir: str
    init: bool
    path: FieldPath  # field path of this container inside the object

    def env_names(self) -> frozenset[str]:
        return frozenset(e.name for e in self.env)


@dataclass(frozen=True)
class PodSpec:
    containers: tuple[Container, ...]
    init_containers: tuple[Container, ...]
    volumes: tuple[Volume, ...]
    restart_policy: str
    service_account: str
    path: FieldPath

    @property
    def all_containers(self) -> tuple[Container, ...]:
        return self.init_containers + self.containers

    def volume(self, name: str) -> Volume | None:
        return next((v for v in self.volumes if v.name == name), None)


@dataclass(frozen=True)
class HelmHook:
    events: tuple[str, ...]
    delete_policies: tuple[str, ...]
    weight: int = 0


@dataclass(frozen=True)
class Workload:
    """An object that runs pods: Deployment, DaemonSet, StatefulSet, ReplicaSet, Job,
    CronJob or Pod."""

    obj: K8sObject
    pod: PodSpec
    hook: HelmHook | None

    @property
    def kind(self) -> str:
        return self.obj.kind

    @property
    def name(self) -> str:
        return self.obj.name

    @property
    def ref(self) -> ObjectRef:
        return self.obj.ref


@dataclass(frozen=True)
class ConfigData:
    """A ConfigMap or Secret. Secret values are decoded for script lookup only and never
    printed: reporters get object names and keys, not data."""

    obj: K8sObject
    is_secret: bool
    data: Mapping[str, str]

    @property
    def name(self) -> str:
        return self.obj.name
