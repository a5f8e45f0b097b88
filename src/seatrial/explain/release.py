"""Helm releases and owners: which chart and which workload a failing pod comes from.

Helm 3 stores each revision in a Secret `sh.helm.release.v1.NAME.vN` (type
`helm.sh/release.v1`, labels owner=helm, name, version, status). Its `data.release` is
what the API base64-encodes for any Secret, around Helm's own base64 of a gzip of the
release JSON; the ConfigMap driver stores Helm's value as is. The release JSON carries the
chart (metadata, templates and files with base64 `data`, default values) and the user's
values (`config`), enough to write the chart back to a directory and render it again.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from seatrial import yamlguard
from seatrial.errors import SourceError
from seatrial.explain.evidence import Evidence, Pod
from seatrial.findings import ObjectRef

RELEASE_NAME = re.compile(r"^sh\.helm\.release\.v1\.(?P<name>.+)\.v(?P<version>\d+)$")
_GZIP_MAGIC = b"\x1f\x8b"
#: largest decompressed release JSON (a Secret holds at most 1 MiB; a chart's templates and
#: files compress well, but not 64-fold)
MAX_RELEASE_JSON = 64 * 1024 * 1024


def _gunzip(raw: bytes) -> bytes:
    """Decompress at most `MAX_RELEASE_JSON` bytes; a gzip bomb is refused, not inflated."""
    d = zlib.decompressobj(wbits=31)
    try:
        out = d.decompress(raw, MAX_RELEASE_JSON)
        if d.unconsumed_tail:
            raise SourceError(
                f"a Helm release expands beyond {MAX_RELEASE_JSON >> 20} MiB; refusing"
            )
        out += d.flush()
    except zlib.error:
        raise SourceError("a Helm release does not gunzip") from None
    if not d.eof:
        raise SourceError("a Helm release does not gunzip")
    return out


@dataclass(frozen=True)
class HelmRelease:
    name: str
    namespace: str
    revision: int
    status: str
    chart_name: str
    chart_version: str
    body: Mapping[str, Any]  # the decoded release JSON; never printed (values may be secret)

    def label(self) -> str:
        return (
            f"release {self.name} (revision {self.revision}, chart {self.chart_name}-"
            f"{self.chart_version})"
        )

    @property
    def config(self) -> dict[str, Any]:
        cfg = self.body.get("config")
        return dict(cfg) if isinstance(cfg, Mapping) else {}


def _b64(data: str | bytes) -> bytes:
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise SourceError("a Helm release is not valid base64") from None


def decode_payload(helm_value: bytes) -> dict[str, Any]:
    """Helm's stored value (base64 of gzip of JSON, or of plain JSON) -> release JSON."""
    raw = _b64(helm_value.strip())
    if raw[:2] == _GZIP_MAGIC:
        raw = _gunzip(raw)
    try:
        out = yamlguard.json_loads(raw)
    except yamlguard.TooDeep as exc:
        raise SourceError(f"a Helm release is {exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise SourceError("a Helm release is not JSON after decoding") from None
    if not isinstance(out, dict):
        raise SourceError("a Helm release is not a JSON object")
    return out


def decode_release_object(obj: Mapping[str, Any]) -> HelmRelease | None:
    """A Secret (or ConfigMap) holding a Helm release, decoded; None for anything else."""
    md = obj.get("metadata")
    md = md if isinstance(md, Mapping) else {}
    name = str(md.get("name", ""))
    m = RELEASE_NAME.match(name)
    data = obj.get("data")
    if m is None or not isinstance(data, Mapping) or not isinstance(data.get("release"), str):
        return None
    value = data["release"]
    helm_value = _b64(value) if obj.get("kind") == "Secret" else value.encode()
    body = decode_payload(helm_value)
    chart = body.get("chart") if isinstance(body.get("chart"), Mapping) else {}
    meta = chart.get("metadata") if isinstance(chart, Mapping) else {}
    meta = meta if isinstance(meta, Mapping) else {}
    info = body.get("info") if isinstance(body.get("info"), Mapping) else {}
    return HelmRelease(
        name=str(body.get("name") or m.group("name")),
        namespace=str(body.get("namespace") or md.get("namespace") or ""),
        revision=int(body.get("version") or m.group("version")),
        status=str(info.get("status", "")) if isinstance(info, Mapping) else "",
        chart_name=str(meta.get("name", "")),
        chart_version=str(meta.get("version", "")),
        body=body,
    )


_SECRET_KEY = re.compile(r"(?i)pass|secret|token|key|cred|auth")


def secret_values_of(values: Any, under_secret_key: bool = False) -> list[str]:
    """String values of a release's user values that sit under a secret-looking key."""
    out: list[str] = []
    if isinstance(values, Mapping):
        for k, v in values.items():
            out.extend(secret_values_of(v, under_secret_key or bool(_SECRET_KEY.search(str(k)))))
    elif isinstance(values, list):
        for v in values:
            out.extend(secret_values_of(v, under_secret_key))
    elif under_secret_key and isinstance(values, str | int) and len(str(values)) >= 4:
        out.append(str(values))
    return out


def releases_in(ev: Evidence) -> dict[tuple[str, str], HelmRelease]:
    """The newest revision of each release found among the input's Secrets/ConfigMaps.
    The values of secret-looking keys in every revision's values join the redaction list."""
    out: dict[tuple[str, str], HelmRelease] = {}
    for kind in ("Secret", "ConfigMap"):
        for obj in ev.of_kind(kind):
            rel = decode_release_object(obj)
            if rel is None:
                continue
            ev.secret_values.update(secret_values_of(rel.config))
            key = (rel.namespace, rel.name)
            if key not in out or out[key].revision < rel.revision:
                out[key] = rel
    return out


def _safe_rel(name: str) -> PurePosixPath:
    p = PurePosixPath(name)
    if p.is_absolute() or ".." in p.parts or not p.parts:
        raise SourceError(f"a Helm release holds an unsafe file name {name!r}")
    return p


def write_chart(rel: HelmRelease, dest: Path) -> Path:
    """Write the release's chart (Chart.yaml, values.yaml, values.schema.json, templates,
    files) under `dest`; subcharts, when the release JSON holds them (`dependencies`), under
    charts/ the same way."""
    chart = rel.body.get("chart")
    if not isinstance(chart, Mapping):
        raise SourceError(f"{rel.label()} holds no chart")
    _write_chart(chart, dest)
    return dest


def _write_chart(chart: Mapping[str, Any], dest: Path) -> None:
    meta = chart.get("metadata") if isinstance(chart.get("metadata"), Mapping) else {}
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "Chart.yaml").write_text(yaml.safe_dump(dict(meta or {}), sort_keys=False))
    values = chart.get("values") if isinstance(chart.get("values"), Mapping) else {}
    (dest / "values.yaml").write_text(yaml.safe_dump(dict(values or {}), sort_keys=False))
    if isinstance(chart.get("schema"), str) and chart["schema"]:
        (dest / "values.schema.json").write_bytes(_b64(chart["schema"]))
    for key in ("templates", "files"):
        for item in chart.get(key) or []:
            if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
                continue
            rel_path = _safe_rel(item["name"])
            if rel_path.name in ("Chart.yaml", "values.yaml") and len(rel_path.parts) == 1:
                continue
            target = dest / rel_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_b64(str(item.get("data", ""))))
    for i, sub in enumerate(chart.get("dependencies") or []):
        if isinstance(sub, Mapping):
            sub_meta = sub.get("metadata") if isinstance(sub.get("metadata"), Mapping) else {}
            name = str((sub_meta or {}).get("name") or f"dep{i}")
            _write_chart(sub, dest / "charts" / _safe_rel(name).name)


# -- owners ------------------------------------------------------------------------------------

_HASH_SUFFIX = re.compile(r"^(?P<base>.+)-(?P<hash>[a-z0-9]{6,10})$")
_CRONJOB_JOB = re.compile(r"^(?P<base>.+)-(?P<minutes>\d{8,})$")


def _owners_of(ev: Evidence, kind: str, ns: str, name: str) -> list[ObjectRef]:
    obj = ev.get(kind, ns, name)
    if obj is None:
        return []
    md = obj.get("metadata")
    refs = md.get("ownerReferences") if isinstance(md, Mapping) else None
    out = []
    for r in refs if isinstance(refs, list) else []:
        if isinstance(r, Mapping) and r.get("kind") and r.get("name"):
            out.append(ObjectRef(str(r["kind"]), str(r["name"]), ns, str(r.get("apiVersion", ""))))
    return out


def owner_chain(pod: Pod, ev: Evidence) -> list[ObjectRef]:
    """Pod -> ReplicaSet -> Deployment, Pod -> DaemonSet/StatefulSet, Pod -> Job -> CronJob.
    Owner objects missing from the input are inferred only where Kubernetes names them
    predictably: a ReplicaSet is `<deployment>-<pod-template-hash>`, a CronJob's Job is
    `<cronjob>-<scheduled minutes>`."""
    chain: list[ObjectRef] = [pod.ref]
    current = next((o for o in pod.owners if o.name), None)
    seen: set[tuple[str, str]] = set()
    while current is not None and (current.kind, current.name) not in seen:
        seen.add((current.kind, current.name))
        chain.append(current)
        parents = _owners_of(ev, current.kind, current.namespace, current.name)
        if parents:
            current = parents[0]
            continue
        current = _inferred_parent(current, pod)
    return chain


def _inferred_parent(ref: ObjectRef, pod: Pod) -> ObjectRef | None:
    if ref.kind == "ReplicaSet":
        template_hash = pod.labels.get("pod-template-hash", "")
        m = _HASH_SUFFIX.match(ref.name)
        if m and template_hash and m.group("hash") == template_hash:
            return ObjectRef("Deployment", m.group("base"), ref.namespace, "apps/v1")
    if ref.kind == "Job":
        m = _CRONJOB_JOB.match(ref.name)
        if m:
            return ObjectRef("CronJob", m.group("base"), ref.namespace, "batch/v1")
    return None


def release_of(chain: list[ObjectRef], pod: Pod, ev: Evidence) -> str:
    """The Helm release that made a pod: `meta.helm.sh/release-name` on an owner, else the
    `app.kubernetes.io/instance` or `release` label of the pod."""
    for ref in reversed(chain[1:]):
        obj = ev.get(ref.kind, ref.namespace, ref.name)
        md = obj.get("metadata") if obj is not None else None
        ann = md.get("annotations") if isinstance(md, Mapping) else None
        if isinstance(ann, Mapping) and ann.get("meta.helm.sh/release-name"):
            return str(ann["meta.helm.sh/release-name"])
    for key in ("meta.helm.sh/release-name",):
        if pod.annotations.get(key):
            return pod.annotations[key]
    for key in ("app.kubernetes.io/instance", "release"):
        if pod.labels.get(key):
            return pod.labels[key]
    return ""
