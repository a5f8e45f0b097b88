"""Text inputs: `kubectl describe`, `kubectl get events`, plain logs (file or stdin), CRI
container logs; each explained with the right class, and evidence pointing at its line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.cli_runner import invoke

FIX = Path(__file__).parent / "fixtures"


def run(args: list[str], stdin: str | None = None) -> tuple[int, dict[str, Any]]:
    r = invoke("explain", *args, "--format", "json", "--no-link", input=stdin)
    assert r.exit_code in (0, 1), r.output
    return r.exit_code, json.loads(r.stdout)


@pytest.mark.parametrize(
    ("fixture", "cls", "check", "obj", "line"),
    [
        ("s1-describe-pod.txt", "exec-not-found", "ST203", "capsule-controller-manager-7tkx9", 66),
        ("s2-get-events.txt", "image-not-found", "ST201", "capsule-crds-9wz4c", 4),
        ("s3-kubectl-logs.txt", "repeated-path-segment", "ST501", None, 2),
        ("s4-nodeup.log", "ambiguous-asset", "ST602", None, 4),
        ("s5-kubectl-logs.txt", "unbound-variable", "ST301", None, 2),
        ("unknown.log", "unknown", None, None, 2),
    ],
)
def test_text_fixture(
    fixture: str, cls: str, check: str | None, obj: str | None, line: int
) -> None:
    code, data = run([str(FIX / fixture)])
    assert code == 1
    [d] = data["diagnoses"]
    assert (d["class"], d["related_check"]) == (cls, check)
    assert (d["object"] or {}).get("name") == obj
    assert line in [e["line"] for e in d["evidence"]]


def test_describe_reads_owner_and_state() -> None:
    _, data = run([str(FIX / "s1-describe-pod.txt")])
    [d] = data["diagnoses"]
    assert d["owner"]["kind"] == "DaemonSet"
    assert d["owner"]["name"] == "capsule-controller-manager"
    assert d["container"] == "manager"
    assert '"/manager"' in d["symptom"]
    assert any("StartError exit code 128" in e["text"] for e in d["evidence"])


def test_stdin_pipe_and_dash() -> None:
    text = (FIX / "s5-kubectl-logs.txt").read_text()
    for args in ([], ["-"]):
        _, data = run(args, stdin=text)
        assert [d["class"] for d in data["diagnoses"]] == ["unbound-variable"]
        assert data["inputs"] == ["<stdin>"]


def test_s3_names_the_growing_segments() -> None:
    _, data = run([str(FIX / "s3-kubectl-logs.txt")])
    [d] = data["diagnoses"]
    assert "'-cicd' 5 times" in d["symptom"]


def test_unknown_never_guesses() -> None:
    _, data = run([str(FIX / "unknown.log")])
    [d] = data["diagnoses"]
    assert d["root_cause"].startswith("No known cause")
    assert d["related_check"] is None
    assert [e["text"] for e in d["evidence"]] == ["calibrating widgets failed: flux out of range"]


def test_healthy_input_exits_zero(tmp_path: Path) -> None:
    f = tmp_path / "pods.json"
    f.write_text(
        json.dumps(
            {
                "kind": "Pod",
                "apiVersion": "v1",
                "metadata": {"name": "ok", "namespace": "a"},
                "status": {
                    "phase": "Running",
                    "containerStatuses": [
                        {"name": "c", "ready": True, "restartCount": 0, "state": {"running": {}}}
                    ],
                },
            }
        )
    )
    r = invoke("explain", str(f), "--no-link")
    assert r.exit_code == 0
    assert r.stdout.startswith("no failing pods")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: str(p / "missing"), "no such file or directory"),
        (lambda p: str(p), "not a cluster-info dump or a support bundle"),
        (lambda p: _broken_tar(p), "cannot unpack"),
    ],
)
def test_bad_input_is_one_line_exit_2(tmp_path: Path, make: Any, message: str) -> None:
    r = invoke("explain", make(tmp_path), "--no-link")
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1 and message in r.stderr
    assert "Traceback" not in r.output


def _broken_tar(p: Path) -> str:
    import gzip
    import io
    import tarfile

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        data = b"x" * 4096
        info = tarfile.TarInfo("bundle/cluster-resources/pods/a.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    f = p / "bundle.tar.gz"
    f.write_bytes(gzip.compress(buf.getvalue()[:1500]))
    return str(f)


def test_markdown_is_an_incident_write_up() -> None:
    r = invoke("explain", str(FIX / "s1-describe-pod.txt"), "--format", "markdown", "--no-link")
    out = r.stdout
    headings = [ln for ln in out.splitlines() if ln.startswith("#")]
    assert headings[0].startswith("# The program the container starts does not exist")
    assert headings[1:] == [
        "## Background",
        "## Symptom",
        "## Root cause",
        "## Fix",
        "## Best practice",
        "## Summary",
    ]
    assert 'exec: "/manager": stat /manager: no such file or directory' in out


def test_text_format_sections() -> None:
    r = invoke("explain", str(FIX / "s1-describe-pod.txt"), "--no-link")
    lines = r.stdout.splitlines()
    assert lines[0].startswith("exec-not-found: Pod/capsule-controller-manager-7tkx9")
    for label in ("symptom:", "root cause:", "fix:", "best practice:", "evidence:"):
        assert any(ln.strip().startswith(label) for ln in lines), label
    assert any("s1-describe-pod.txt:66: event Warning Failed" in ln for ln in lines)


@pytest.mark.parametrize("archive", [False, True])
def test_s4_node_journal_in_a_support_bundle(tmp_path: Path, archive: bool) -> None:
    import tarfile

    root = tmp_path / "support-bundle-2025-03-04T10_30_00"
    (root / "cluster-resources" / "pods").mkdir(parents=True)
    (root / "cluster-resources" / "pods" / "kube-system.json").write_text(
        '{"kind": "PodList", "apiVersion": "v1", "metadata": {}, "items": []}'
    )
    run_host = root / "host-collectors" / "run-host"
    run_host.mkdir(parents=True)
    (run_host / "journalctl-nodeup.txt").write_text((FIX / "s4-nodeup.log").read_text())
    target = root
    if archive:
        target = tmp_path / "bundle.tar.gz"
        with tarfile.open(target, "w:gz") as tar:
            tar.add(root, arcname=root.name)
    _, data = run([str(target)])
    [d] = data["diagnoses"]
    assert (d["class"], d["related_check"]) == ("ambiguous-asset", "ST602")
    assert d["evidence"][0]["file"].endswith("host-collectors/run-host/journalctl-nodeup.txt")
    assert d["evidence"][0]["line"] == 4
    assert 'key "crictl"' not in d["symptom"] and '"crictl"' in d["symptom"]


def test_describe_pending_pod_with_init_container() -> None:
    _, data = run([str(FIX / "pending-describe.txt")])
    got = sorted(
        (d["class"], d["object"]["name"], d["owner"]["kind"], d["owner"]["name"])
        for d in data["diagnoses"]
    )
    assert got == [
        ("unschedulable-resources", "worker-7f8c9d6b5-q2x7l", "Deployment", "worker"),
        ("unschedulable-taints", "worker-7f8c9d6b5-q2x7l", "Deployment", "worker"),
    ]
    taint = next(d for d in data["diagnoses"] if d["class"] == "unschedulable-taints")
    assert "node-role.kubernetes.io/control-plane: " in taint["symptom"]
    assert taint["evidence"][0]["line"] == 42
    assert taint["container"] is None


def test_events_table_of_all_namespaces() -> None:
    _, data = run([str(FIX / "all-events.txt")])
    got = sorted(
        (d["class"], d["object"]["kind"], d["object"]["namespace"], d["object"]["name"])
        for d in data["diagnoses"]
    )
    assert got == [
        ("failed-mount", "Pod", "data", "db-0"),
        ("readiness-probe-failed", "Pod", "web", "api-6b8d9f7c4-zt5xq"),
    ]


def test_yaml_documents_as_kubectl_prints_them(tmp_path: Path) -> None:
    import yaml
    from testkit.scenarios import s1_exec_not_found

    s = s1_exec_not_found()
    f = tmp_path / "pods.yaml"
    f.write_text(yaml.safe_dump_all(s.objects))
    _, data = run([str(f)])
    [d] = data["diagnoses"]
    assert (d["class"], d["object"]["name"]) == ("exec-not-found", s.expect[0][2])
    text = f.read_text().splitlines()
    assert all(e["line"] for e in d["evidence"])
    event = next(e for e in d["evidence"] if e["text"].startswith("event Warning Failed"))
    assert "Error: failed to create containerd task" in text[event["line"] - 1]


def test_archive_escaping_its_directory_is_refused(tmp_path: Path) -> None:
    import io
    import tarfile

    f = tmp_path / "evil.tar.gz"
    with tarfile.open(f, "w:gz") as tar:
        data = b"{}"
        info = tarfile.TarInfo("../../escaped.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    r = invoke("explain", str(f), "--no-link")
    assert r.exit_code == 2
    assert "cannot unpack" in r.stderr
    assert not (tmp_path.parent / "escaped.json").exists()
