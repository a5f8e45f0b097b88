"""Helm release Secrets decode as Helm encodes them, and owners are walked to the workload."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import yaml
from testkit.cluster import C, helm_release_secret, obj, pod

from seatrial.errors import SourceError
from seatrial.explain.evidence import EvidenceBuilder
from seatrial.explain.release import (
    decode_release_object,
    owner_chain,
    release_of,
    releases_in,
    write_chart,
)

ROOT = Path(__file__).resolve().parents[2]
S1_CHART = ROOT / "examples" / "s1-manager-kind"


def test_release_secret_round_trip(tmp_path: Path) -> None:
    config = {"manager": {"kind": "DaemonSet"}}
    sec = helm_release_secret(S1_CHART, "capsule", "capsule-system", 3, config)
    rel = decode_release_object(sec)
    assert rel is not None
    assert (rel.name, rel.namespace, rel.revision, rel.status) == (
        "capsule",
        "capsule-system",
        3,
        "deployed",
    )
    assert rel.config == config
    out = write_chart(rel, tmp_path / "chart")
    for f in S1_CHART.rglob("*"):
        if f.is_file() and f.name in ("values.yaml", "Chart.yaml"):
            assert yaml.safe_load((out / f.name).read_text()) == yaml.safe_load(f.read_text())
        elif f.is_file():
            assert (out / f.relative_to(S1_CHART)).read_bytes() == f.read_bytes(), f


def test_newest_revision_wins() -> None:
    b = EvidenceBuilder()
    for rev in (1, 4, 2):
        b.add_document(helm_release_secret(S1_CHART, "capsule", "capsule-system", rev, {}), "x")
    [rel] = releases_in(b.build()).values()
    assert rel.revision == 4


def test_configmap_driver_is_single_base64() -> None:
    sec = helm_release_secret(S1_CHART, "capsule", "ns", 1, {})
    cm = {
        **sec,
        "kind": "ConfigMap",
        "data": {"release": base64.b64decode(sec["data"]["release"]).decode()},
    }
    rel = decode_release_object(cm)
    assert rel is not None
    assert rel.chart_name == yaml.safe_load((S1_CHART / "Chart.yaml").read_text())["name"]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("not base64!", "not valid base64"),
        (base64.b64encode(base64.b64encode(b"\x1f\x8bxx")).decode(), "does not gunzip"),
        (base64.b64encode(base64.b64encode(b"[1]")).decode(), "not a JSON object"),
    ],
)
def test_broken_release_is_a_source_error(payload: str, message: str) -> None:
    sec = {
        "kind": "Secret",
        "metadata": {"name": "sh.helm.release.v1.x.v1"},
        "data": {"release": payload},
    }
    with pytest.raises(SourceError, match=message):
        decode_release_object(sec)


def test_unsafe_template_name_is_refused(tmp_path: Path) -> None:
    sec = helm_release_secret(S1_CHART, "capsule", "ns", 1, {})
    rel = decode_release_object(sec)
    assert rel is not None
    body = json.loads(json.dumps(rel.body))
    body["chart"]["templates"].append({"name": "../../etc/evil", "data": ""})
    bad = type(rel)(**{**rel.__dict__, "body": body})
    with pytest.raises(SourceError, match="unsafe file name"):
        write_chart(bad, tmp_path / "c")


def _chain(objects: list[dict[str, object]], pod_name: str) -> list[str]:
    b = EvidenceBuilder()
    for o in objects:
        b.add_document(o, "in.json")
    ev = b.build()
    p = ev.pods[("ns", pod_name)]
    return [f"{r.kind}/{r.name}" for r in owner_chain(p, ev)]


def test_owner_chains() -> None:
    rs = obj("ReplicaSet", "ns", "web-7d4b9c6f8d", {}, {}, owner=("Deployment", "web"))
    p1 = pod("ns", "web-7d4b9c6f8d-x2x9z", [C("c", "i")], owner=("ReplicaSet", "web-7d4b9c6f8d"))
    assert _chain([rs, p1], "web-7d4b9c6f8d-x2x9z") == [
        "Pod/web-7d4b9c6f8d-x2x9z",
        "ReplicaSet/web-7d4b9c6f8d",
        "Deployment/web",
    ]
    # ReplicaSet absent: inferred only when the pod-template-hash label agrees
    p2 = pod(
        "ns",
        "api-5f6d7c8b9-kq2lm",
        [C("c", "i")],
        owner=("ReplicaSet", "api-5f6d7c8b9"),
        labels={"pod-template-hash": "5f6d7c8b9"},
    )
    assert _chain([p2], "api-5f6d7c8b9-kq2lm")[-1] == "Deployment/api"
    p3 = pod("ns", "odd-5f6d7c8b9-kq2lm", [C("c", "i")], owner=("ReplicaSet", "odd-5f6d7c8b9"))
    assert _chain([p3], "odd-5f6d7c8b9-kq2lm")[-1] == "ReplicaSet/odd-5f6d7c8b9"
    job = obj("Job", "ns", "backup-28911340", {}, {}, owner=("CronJob", "backup"))
    p4 = pod("ns", "backup-28911340-7xk2p", [C("c", "i")], owner=("Job", "backup-28911340"))
    assert _chain([job, p4], "backup-28911340-7xk2p") == [
        "Pod/backup-28911340-7xk2p",
        "Job/backup-28911340",
        "CronJob/backup",
    ]
    p5 = pod("ns", "agent-x2vfp", [C("c", "i")], owner=("DaemonSet", "agent"))
    assert _chain([p5], "agent-x2vfp") == ["Pod/agent-x2vfp", "DaemonSet/agent"]


def test_release_from_annotations_then_labels() -> None:
    ds = obj(
        "DaemonSet",
        "ns",
        "agent",
        {},
        {},
        annotations={"meta.helm.sh/release-name": "from-annotation"},
    )
    p = pod(
        "ns",
        "agent-x2vfp",
        [C("c", "i")],
        owner=("DaemonSet", "agent"),
        labels={"app.kubernetes.io/instance": "from-label"},
    )
    b = EvidenceBuilder()
    b.add_document(p, "x")
    ev = b.build()
    pe = ev.pods[("ns", "agent-x2vfp")]
    assert release_of(owner_chain(pe, ev), pe, ev) == "from-label"
    b.add_document(ds, "x")
    assert release_of(owner_chain(pe, ev), pe, ev) == "from-annotation"
