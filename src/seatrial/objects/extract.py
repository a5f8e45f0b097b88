"""Shared extractors: every pod spec of every workload kind, once (as kube-linter does)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from seatrial.objects.model import (
    ConfigData,
    Container,
    EnvFrom,
    EnvVar,
    FieldPath,
    HelmHook,
    K8sObject,
    PodSpec,
    Volume,
    VolumeMount,
    Workload,
)
from seatrial.redact import remember, secret_values

#: where the pod spec lives in each workload kind
POD_SPEC_PATHS: Mapping[str, FieldPath] = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}

_VOLUME_KINDS = (
    "configMap",
    "secret",
    "hostPath",
    "emptyDir",
    "persistentVolumeClaim",
    "projected",
    "downwardAPI",
    "csi",
    "ephemeral",
    "nfs",
)


def get_field(body: Any, path: FieldPath) -> Any:
    """The value at `path` in a raw object, or None when any step is missing or mistyped."""
    for key in path:
        if isinstance(key, int):
            body = body[key] if isinstance(body, list) and key < len(body) else None
        else:
            body = body.get(key) if isinstance(body, Mapping) else None
    return body


def _strs(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, list):
        return tuple("" if v is None else str(v) for v in value)
    return (str(value),)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _container(c: Mapping[str, Any], path: FieldPath, init: bool) -> Container:
    env = tuple(
        EnvVar(
            str(e.get("name", "")),
            None if e.get("value") is None else str(e.get("value")),
            e.get("valueFrom") if isinstance(e.get("valueFrom"), Mapping) else None,
        )
        for e in _list(c.get("env"))
        if isinstance(e, Mapping)
    )
    env_from: list[EnvFrom] = []
    for e in _list(c.get("envFrom")):
        if not isinstance(e, Mapping):
            continue
        for key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
            ref = e.get(key)
            if isinstance(ref, Mapping):
                env_from.append(
                    EnvFrom(
                        kind,
                        str(ref.get("name", "")),
                        str(e.get("prefix") or ""),
                        bool(ref.get("optional", False)),
                    )
                )
    mounts = tuple(
        VolumeMount(
            str(m.get("name", "")),
            str(m.get("mountPath", "")),
            str(m.get("subPath") or ""),
            bool(m.get("readOnly", False)),
        )
        for m in _list(c.get("volumeMounts"))
        if isinstance(m, Mapping)
    )
    return Container(
        name=str(c.get("name", "")),
        image=str(c.get("image") or ""),
        command=_strs(c.get("command")),
        args=_strs(c.get("args")),
        env=env,
        env_from=tuple(env_from),
        volume_mounts=mounts,
        working_dir=str(c.get("workingDir") or ""),
        init=init,
        path=path,
    )


def _volume(v: Mapping[str, Any]) -> Volume:
    name = str(v.get("name", ""))
    for kind in _VOLUME_KINDS:
        src = v.get(kind)
        if not isinstance(src, Mapping):
            continue
        items = tuple(
            (str(i.get("key", "")), str(i.get("path", "")))
            for i in _list(src.get("items"))
            if isinstance(i, Mapping)
        )
        ref = src.get("name") or src.get("secretName") or src.get("claimName") or ""
        return Volume(
            name,
            kind,
            str(ref),
            items,
            str(src.get("path") or ""),
            bool(src.get("optional", False)),
        )
    return Volume(name, "unknown")


def pod_spec(obj: K8sObject) -> PodSpec | None:
    path = POD_SPEC_PATHS.get(obj.kind)
    if path is None:
        return None
    spec = get_field(obj.body, path)
    if not isinstance(spec, Mapping):
        return None
    containers = tuple(
        _container(c, (*path, "containers", i), False)
        for i, c in enumerate(_list(spec.get("containers")))
        if isinstance(c, Mapping)
    )
    inits = tuple(
        _container(c, (*path, "initContainers", i), True)
        for i, c in enumerate(_list(spec.get("initContainers")))
        if isinstance(c, Mapping)
    )
    return PodSpec(
        containers=containers,
        init_containers=inits,
        volumes=tuple(_volume(v) for v in _list(spec.get("volumes")) if isinstance(v, Mapping)),
        restart_policy=str(spec.get("restartPolicy") or ""),
        service_account=str(spec.get("serviceAccountName") or spec.get("serviceAccount") or ""),
        path=path,
    )


def helm_hook(obj: K8sObject) -> HelmHook | None:
    ann = obj.annotations
    events = ann.get("helm.sh/hook")
    if not events:
        return None
    policies = ann.get("helm.sh/hook-delete-policy", "")
    try:
        weight = int(ann.get("helm.sh/hook-weight", "0"))
    except ValueError:
        weight = 0
    return HelmHook(
        tuple(e.strip() for e in events.split(",") if e.strip()),
        tuple(p.strip() for p in policies.split(",") if p.strip()),
        weight,
    )


def workload(obj: K8sObject) -> Workload | None:
    spec = pod_spec(obj)
    return Workload(obj, spec, helm_hook(obj)) if spec is not None else None


def _decode_secret(value: Any) -> str:
    try:
        return base64.b64decode(str(value), validate=True).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return ""


def config_data(obj: K8sObject) -> ConfigData | None:
    if obj.kind not in ("ConfigMap", "Secret") or obj.api_version not in ("v1", ""):
        return None
    data: dict[str, str] = {}
    if obj.kind == "ConfigMap":
        raw = obj.body.get("data")
        if isinstance(raw, Mapping):
            data = {str(k): "" if v is None else str(v) for k, v in raw.items()}
    else:
        raw = obj.body.get("data")
        if isinstance(raw, Mapping):
            data = {str(k): _decode_secret(v) for k, v in raw.items()}
        string_data = obj.body.get("stringData")
        if isinstance(string_data, Mapping):
            data.update({str(k): "" if v is None else str(v) for k, v in string_data.items()})
        remember(*secret_values(obj.body))  # never shown in any output
    return ConfigData(obj, obj.kind == "Secret", data)


@dataclass(frozen=True)
class ObjectSet:
    """Every object of one rendered cell, with the typed views built once."""

    objects: tuple[K8sObject, ...]
    workloads: tuple[Workload, ...]
    configs: tuple[ConfigData, ...]

    @classmethod
    def build(cls, objects: Iterable[K8sObject]) -> ObjectSet:
        objs = tuple(objects)
        workloads = tuple(w for w in (workload(o) for o in objs) if w is not None)
        configs = tuple(c for c in (config_data(o) for o in objs) if c is not None)
        return cls(objs, workloads, configs)

    def config(self, kind: str, name: str) -> ConfigData | None:
        want_secret = kind == "Secret"
        return next(
            (c for c in self.configs if c.is_secret == want_secret and c.name == name), None
        )

    def of_kind(self, kinds: Sequence[str]) -> list[K8sObject]:
        return [o for o in self.objects if o.kind in kinds]
