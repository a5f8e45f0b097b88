"""Build Kubernetes API objects in their real JSON shapes, and write them out in the layouts
the tools that collect them use: `kubectl get -o json`, `kubectl cluster-info dump
--output-directory`, a troubleshoot.sh support bundle (directory or .tar.gz), and Helm's
release Secret."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import tarfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Obj = dict[str, Any]
T0 = "2025-03-04T10:12:31Z"
T1 = "2025-03-04T10:15:02Z"

# plural used by `kubectl cluster-info dump` files and troubleshoot's cluster-resources dirs
DUMP_FILES = {
    "Pod": "pods",
    "Event": "events",
    "Deployment": "deployments",
    "ReplicaSet": "replicasets",
    "DaemonSet": "daemonsets",
    "Job": "jobs",
    "StatefulSet": "statefulsets",
    "ReplicationController": "replicationcontrollers",
}
BUNDLE_DIRS = {
    "Pod": "pods",
    "Event": "events",
    "Deployment": "deployments",
    "ReplicaSet": "replicasets",
    "DaemonSet": "daemonsets",
    "Job": "jobs",
    "CronJob": "cronjobs",
    "PersistentVolumeClaim": "pvcs",
    "StatefulSet": "statefulsets",
}
API_VERSIONS = {
    "Pod": "v1",
    "Event": "v1",
    "PersistentVolumeClaim": "v1",
    "Secret": "v1",
    "Node": "v1",
    "Deployment": "apps/v1",
    "ReplicaSet": "apps/v1",
    "DaemonSet": "apps/v1",
    "StatefulSet": "apps/v1",
    "Job": "batch/v1",
    "CronJob": "batch/v1",
}


def uid(*parts: str) -> str:
    h = hashlib.sha256("/".join(parts).encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def meta(
    kind: str,
    ns: str,
    name: str,
    *,
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
    owner: tuple[str, str] | None = None,
) -> Obj:
    md: Obj = {
        "name": name,
        "namespace": ns,
        "uid": uid(kind, ns, name),
        "resourceVersion": str(int(hashlib.md5(name.encode()).hexdigest()[:5], 16)),
        "creationTimestamp": T0,
    }
    if labels:
        md["labels"] = labels
    if annotations:
        md["annotations"] = annotations
    if owner:
        okind, oname = owner
        md["ownerReferences"] = [
            {
                "apiVersion": API_VERSIONS[okind],
                "kind": okind,
                "name": oname,
                "uid": uid(okind, ns, oname),
                "controller": True,
                "blockOwnerDeletion": True,
            }
        ]
    return md


def obj(
    kind: str, ns: str, name: str, spec: Obj | None = None, status: Obj | None = None, **kw: Any
) -> Obj:
    out: Obj = {
        "apiVersion": API_VERSIONS[kind],
        "kind": kind,
        "metadata": meta(kind, ns, name, **kw),
    }
    if spec is not None:
        out["spec"] = spec
    if status is not None:
        out["status"] = status
    return out


def waiting(reason: str, message: str = "") -> Obj:
    w: Obj = {"reason": reason}
    if message:
        w["message"] = message
    return {"waiting": w}


def terminated(reason: str, code: int, message: str = "") -> Obj:
    t: Obj = {
        "exitCode": code,
        "reason": reason,
        "startedAt": T0,
        "finishedAt": T1,
        "containerID": "containerd://" + hashlib.sha1(reason.encode()).hexdigest(),
    }
    if message:
        t["message"] = message
    return {"terminated": t}


RUNNING: Obj = {"running": {"startedAt": T0}}


@dataclass
class C:
    """One container: spec and status."""

    name: str
    image: str
    state: Obj = field(default_factory=lambda: dict(RUNNING))
    last: Obj = field(default_factory=dict)
    restarts: int = 0
    ready: bool = False
    command: list[str] | None = None
    env: list[Obj] = field(default_factory=list)


def pod(
    ns: str,
    name: str,
    containers: list[C],
    *,
    owner: tuple[str, str] | None = None,
    labels: dict[str, str] | None = None,
    phase: str = "Running",
    conditions: list[Obj] | None = None,
    scheduled: bool = True,
) -> Obj:
    spec_cs = []
    for c in containers:
        sc: Obj = {
            "name": c.name,
            "image": c.image,
            "imagePullPolicy": "IfNotPresent",
            "resources": {},
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File",
        }
        if c.command:
            sc["command"] = c.command
        if c.env:
            sc["env"] = c.env
        spec_cs.append(sc)
    spec: Obj = {
        "containers": spec_cs,
        "restartPolicy": "Always",
        "dnsPolicy": "ClusterFirst",
        "serviceAccountName": "default",
        "schedulerName": "default-scheduler",
    }
    status: Obj = {"phase": phase, "qosClass": "BestEffort"}
    if scheduled:
        spec["nodeName"] = "kind-worker"
        status.update({"hostIP": "172.18.0.3", "podIP": "10.244.1.7", "startTime": T0})
        status["containerStatuses"] = [
            {
                "name": c.name,
                "image": c.image,
                "imageID": "",
                "containerID": "containerd://" + hashlib.sha1(c.name.encode()).hexdigest(),
                "ready": c.ready,
                "restartCount": c.restarts,
                "started": False,
                "state": c.state,
                "lastState": c.last,
            }
            for c in containers
        ]
    status["conditions"] = conditions or [
        {"type": "PodScheduled", "status": "True", "lastProbeTime": None, "lastTransitionTime": T0}
    ]
    return obj("Pod", ns, name, spec, status, labels=labels, owner=owner)


def event(
    ns: str,
    kind: str,
    name: str,
    reason: str,
    message: str,
    *,
    type: str = "Warning",
    count: int = 1,
    container: str = "",
    component: str = "kubelet",
) -> Obj:
    involved: Obj = {
        "kind": kind,
        "namespace": ns,
        "name": name,
        "uid": uid(kind, ns, name),
        "apiVersion": API_VERSIONS.get(kind, "v1"),
        "resourceVersion": "812",
    }
    if container:
        involved["fieldPath"] = f"spec.containers{{{container}}}"
    ev_name = f"{name}.{hashlib.sha1((reason + message).encode()).hexdigest()[:16]}"
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {
            "name": ev_name,
            "namespace": ns,
            "uid": uid("Event", ns, ev_name),
            "resourceVersion": "913",
            "creationTimestamp": T0,
        },
        "involvedObject": involved,
        "reason": reason,
        "message": message,
        "source": {"component": component, "host": "kind-worker"},
        "firstTimestamp": T0,
        "lastTimestamp": T1,
        "count": count,
        "type": type,
        "eventTime": None,
        "reportingComponent": component,
        "reportingInstance": "kind-worker",
    }


def node(name: str, version: str) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "uid": uid("Node", "", name), "resourceVersion": "1"},
        "status": {
            "nodeInfo": {
                "kubeletVersion": version,
                "kubeProxyVersion": version,
                "containerRuntimeVersion": "containerd://1.7.18",
                "operatingSystem": "linux",
                "architecture": "amd64",
            }
        },
    }


def secret(
    ns: str,
    name: str,
    data: dict[str, str],
    *,
    type: str = "Opaque",
    labels: dict[str, str] | None = None,
) -> Obj:
    out = obj("Secret", ns, name, labels=labels)
    out["type"] = type
    out["data"] = {k: base64.b64encode(v.encode()).decode() for k, v in data.items()}
    return out


# -- Helm ---------------------------------------------------------------------------------------


def chart_json(chart_dir: Path) -> Obj:
    """A chart as Helm's release JSON holds it: metadata, templates and files as base64."""
    meta_ = yaml.safe_load((chart_dir / "Chart.yaml").read_text())
    values = yaml.safe_load((chart_dir / "values.yaml").read_text()) or {}
    templates, files = [], []
    for f in sorted(chart_dir.rglob("*")):
        if not f.is_file():
            continue
        rel = f.relative_to(chart_dir).as_posix()
        item = {"name": rel, "data": base64.b64encode(f.read_bytes()).decode()}
        if rel.startswith("templates/"):
            templates.append(item)
        elif rel not in ("Chart.yaml", "values.yaml"):
            files.append(item)
    schema = chart_dir / "values.schema.json"
    return {
        "metadata": meta_,
        "lock": None,
        "templates": templates,
        "values": values,
        "schema": base64.b64encode(schema.read_bytes()).decode() if schema.exists() else None,
        "files": [f for f in files if f["name"] != "values.schema.json"],
    }


def helm_release_secret(
    chart_dir: Path, release: str, ns: str, revision: int, config: Obj, manifest: str = ""
) -> Obj:
    """`sh.helm.release.v1.NAME.vN` as Helm's Secret driver writes it: the release JSON,
    gzipped, base64-encoded by Helm, and base64-encoded again as any Secret data value."""
    body = {
        "name": release,
        "namespace": ns,
        "version": revision,
        "info": {
            "first_deployed": T0,
            "last_deployed": T0,
            "deleted": "",
            "description": "Install complete",
            "status": "deployed",
        },
        "chart": chart_json(chart_dir),
        "config": config,
        "manifest": manifest,
    }
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as gz:
        gz.write(json.dumps(body).encode())
    helm_value = base64.b64encode(buf.getvalue())
    out = obj(
        "Secret",
        ns,
        f"sh.helm.release.v1.{release}.v{revision}",
        labels={
            "modifiedAt": "1741083151",
            "name": release,
            "owner": "helm",
            "status": "deployed",
            "version": str(revision),
        },
    )
    out["type"] = "helm.sh/release.v1"
    out["data"] = {"release": base64.b64encode(helm_value).decode()}
    return out


# -- scenarios and layouts -----------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    objects: list[Obj]
    logs: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (ns, pod, container)
    previous: dict[tuple[str, str, str], str] = field(default_factory=dict)
    expect: list[tuple[str, str | None, str]] = field(default_factory=list)  # class, check, obj

    def by_ns_kind(self) -> dict[tuple[str, str], list[Obj]]:
        out: dict[tuple[str, str], list[Obj]] = defaultdict(list)
        for o in self.objects:
            out[(o["metadata"].get("namespace", ""), o["kind"])].append(o)
        return out


def api_list(kind: str, items: list[Obj]) -> Obj:
    """A list as the API server returns it: `PodList`, items without kind/apiVersion."""
    stripped = [{k: v for k, v in i.items() if k not in ("kind", "apiVersion")} for i in items]
    return {
        "kind": f"{kind}List",
        "apiVersion": API_VERSIONS.get(kind, "v1"),
        "metadata": {"resourceVersion": "1024"},
        "items": stripped,
    }


def write_get_json(s: Scenario, path: Path) -> Path:
    """`kubectl get pods,events,... -o json`: a `List` whose items carry kind."""
    path.write_text(
        json.dumps(
            {
                "apiVersion": "v1",
                "kind": "List",
                "metadata": {"resourceVersion": ""},
                "items": s.objects,
            },
            indent=4,
        )
    )
    return path


def write_dump(s: Scenario, root: Path) -> Path:
    """`kubectl cluster-info dump --output-directory=root`."""
    root.mkdir(parents=True, exist_ok=True)
    nodes = [o for o in s.objects if o["kind"] == "Node"] or [node("kind-worker", "v1.31.2")]
    (root / "nodes.json").write_text(json.dumps(api_list("Node", nodes), indent=4))
    namespaces = {ns for (ns, _) in s.by_ns_kind() if ns}
    for ns in sorted(namespaces):
        d = root / ns
        d.mkdir(exist_ok=True)
        for kind, fname in DUMP_FILES.items():
            items = s.by_ns_kind().get((ns, kind), [])
            (d / f"{fname}.json").write_text(json.dumps(api_list(kind, items), indent=4))
        for o in s.by_ns_kind().get((ns, "Pod"), []):
            pname = o["metadata"]["name"]
            parts = []
            for c in o["spec"]["containers"]:
                text = s.logs.get((ns, pname, c["name"]), "")
                parts.append(
                    f"==== START logs for container {c['name']} of pod {ns}/{pname} "
                    f"====\n{text}==== END logs for container {c['name']} of pod "
                    f"{ns}/{pname} ====\n"
                )
            (d / pname).mkdir(exist_ok=True)
            (d / pname / "logs.txt").write_text("".join(parts))
    # Objects a dump does not collect (claims, Secrets) come as separate `kubectl get` files.
    extra = [o for o in s.objects if o["kind"] not in (*DUMP_FILES, "Node")]
    if extra:
        write_get_json(Scenario(s.name, extra), root.parent / f"{root.name}-extra.json")
    return root


def extra_inputs(dump_root: Path) -> list[str]:
    extra = dump_root.parent / f"{dump_root.name}-extra.json"
    return [str(extra)] if extra.exists() else []


def write_bundle(s: Scenario, root: Path, *, bare_arrays: bool = False) -> Path:
    """A troubleshoot.sh support bundle directory: `cluster-resources/<res>/<ns>.json` and
    `cluster-resources/pods/logs/<ns>/<pod>/<container>[-previous].log`."""
    res = root / "cluster-resources"
    res.mkdir(parents=True, exist_ok=True)
    (root / "version.yaml").write_text(
        "apiVersion: troubleshoot.sh/v1beta2\nkind: "
        "SupportBundle\nspec:\n  versionNumber: v0.107.1\n"
    )
    for (ns, kind), items in s.by_ns_kind().items():
        if kind == "Node":
            (res / "nodes.json").write_text(json.dumps(api_list("Node", items), indent=2))
            continue
        if kind not in BUNDLE_DIRS:
            continue
        d = res / BUNDLE_DIRS[kind]
        d.mkdir(exist_ok=True)
        payload: Any = items if bare_arrays else api_list(kind, items)
        (d / f"{ns}.json").write_text(json.dumps(payload, indent=2))
    for logs, suffix in ((s.logs, ""), (s.previous, "-previous")):
        for (ns, pname, cname), text in logs.items():
            d = res / "pods" / "logs" / ns / pname
            d.mkdir(parents=True, exist_ok=True)
            (d / f"{cname}{suffix}.log").write_text(text)
    secrets = [o for o in s.objects if o["kind"] == "Secret"]
    if secrets:  # as a `run`/`copy` collector would save `kubectl get secret -o json`
        (root / "helm").mkdir(exist_ok=True)
        write_get_json(Scenario(s.name, secrets), root / "helm" / "release-secrets.json")
    return root


def write_bundle_tar(s: Scenario, path: Path, tmp: Path) -> Path:
    root = write_bundle(s, tmp / "support-bundle-2025-03-04T10_20_00", bare_arrays=True)
    with tarfile.open(path, "w:gz") as tar:
        tar.add(root, arcname=root.name)
    return path


def write_container_logs(s: Scenario, root: Path) -> list[str]:
    """A node's `/var/log/containers/<pod>_<ns>_<container>-<id>.log` files, CRI format."""
    root.mkdir(parents=True, exist_ok=True)
    out = []
    for (ns, pname, cname), text in s.logs.items():
        cid = hashlib.sha256(f"{ns}/{pname}/{cname}".encode()).hexdigest()
        f = root / f"{pname}_{ns}_{cname}-{cid}.log"
        f.write_text(
            "".join(
                f"2025-03-04T10:15:0{i % 10}.{i:09d}Z stderr F {line}\n"
                for i, line in enumerate(text.splitlines())
            )
        )
        out.append(str(f))
    return out
