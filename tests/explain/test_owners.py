"""explain from a `kubectl get events` table alone (issue 13): the pod's owner comes from the
controller's `Created pod:` event or the pod-template-hash naming, its state from the BackOff
event, and the chart line from rendering the chart; evidence about one pod from several
inputs is one write-up."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_runner import invoke

from seatrial.explain.evidence import Event, EvidenceBuilder, Origin, text_lines
from seatrial.explain.release import owner_chain
from seatrial.findings import ObjectRef

FIX = Path(__file__).parent / "fixtures"
CHART = Path(__file__).parents[1] / "converge" / "fixtures" / "installer-chart"


def test_events_table_alone_links_a_daemonset_pod_to_the_chart_line() -> None:
    r = invoke(
        "explain", str(FIX / "installer-get-events.txt"), "--chart", str(CHART), "--format", "json"
    )
    assert r.exit_code == 1, r.output
    (d,) = json.loads(r.stdout)["diagnoses"]
    assert d["object"]["name"] == "demo-installer-x7k2p"
    assert d["owner"] == {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "namespace": "kube-system",
        "name": "demo-installer",
    }
    assert d["container"] == "install"
    assert d["source"] == {"file": "templates/daemonset.yaml", "line": 15}
    assert "install: CrashLoopBackOff" in d["symptom"]


def test_without_the_created_event_there_is_no_owner_and_no_chart_line(tmp_path: Path) -> None:
    events = tmp_path / "events.txt"
    lines = (FIX / "installer-get-events.txt").read_text().splitlines()
    events.write_text("\n".join(line for line in lines if "Created pod" not in line) + "\n")
    r = invoke("explain", str(events), "--chart", str(CHART), "--format", "json")
    (d,) = json.loads(r.stdout)["diagnoses"]
    assert d["owner"]["kind"] == "Pod" and d["source"] is None


def _event(kind: str, name: str, reason: str, message: str, ns: str = "default") -> Event:
    return Event(
        involved=ObjectRef(kind, name, ns),
        field_path="",
        type="Warning",
        reason=reason,
        message=message,
        count=1,
        origin=Origin("events.txt", 1),
    )


def test_pod_template_hash_naming_gives_replicaset_and_deployment() -> None:
    b = EvidenceBuilder()
    b.add_event(
        _event(
            "Pod",
            "web-7d4b9c8f6d-x2k9p",
            "BackOff",
            "Back-off restarting failed container app in pod web-7d4b9c8f6d-x2k9p",
        )
    )
    ev = b.build()
    pod = ev.pods[("default", "web-7d4b9c8f6d-x2k9p")]
    assert [(r.kind, r.name) for r in owner_chain(pod, ev)] == [
        ("Pod", "web-7d4b9c8f6d-x2k9p"),
        ("ReplicaSet", "web-7d4b9c8f6d"),
        ("Deployment", "web"),
    ]
    assert (pod.containers[0].name, pod.containers[0].reason) == ("app", "CrashLoopBackOff")


def test_a_daemonset_pod_name_is_not_taken_for_a_template_hash() -> None:
    b = EvidenceBuilder()
    b.add_event(
        _event(
            "Pod", "demo-installer-x7k2p", "BackOff", "Back-off restarting failed container install"
        )
    )
    ev = b.build()
    assert ev.pods[("default", "demo-installer-x7k2p")].owners == []


def test_logs_without_namespace_and_events_with_one_are_one_pod() -> None:
    b = EvidenceBuilder()
    b.add_logs(
        "",
        "demo-installer-x7k2p",
        "install",
        text_lines("mkdir: cannot create directory '/opt/x': File exists", "logs.txt"),
    )
    b.add_event(
        _event(
            "DaemonSet",
            "demo-installer",
            "SuccessfulCreate",
            "Created pod: demo-installer-x7k2p",
            ns="kube-system",
        )
    )
    b.add_event(
        _event(
            "Pod",
            "demo-installer-x7k2p",
            "BackOff",
            "Back-off restarting failed container install",
            ns="kube-system",
        )
    )
    ev = b.build()
    assert list(ev.pods) == [("kube-system", "demo-installer-x7k2p")]
    pod = ev.pods[("kube-system", "demo-installer-x7k2p")]
    assert [o.label() for o in pod.owners] == ["DaemonSet/demo-installer (ns kube-system)"]
    (c,) = pod.containers
    assert (c.name, c.reason, len(c.logs)) == ("install", "CrashLoopBackOff", 1)
