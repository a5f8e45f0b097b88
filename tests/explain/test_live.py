"""Live mode through the real `kubernetes` client against a recorded API on 127.0.0.1:
API JSON shapes (lists without item kinds, Status objects for errors, text logs)."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from testkit.cluster import Scenario, api_list
from testkit.scenarios import s1_exec_not_found, s3_repeated_segment, s5_unbound_variable
from tests.cli_runner import invoke

ROUTES = {
    ("api/v1", "pods"): "Pod",
    ("api/v1", "events"): "Event",
    ("api/v1", "persistentvolumeclaims"): "PersistentVolumeClaim",
    ("api/v1", "secrets"): "Secret",
    ("apis/apps/v1", "replicasets"): "ReplicaSet",
    ("apis/apps/v1", "deployments"): "Deployment",
    ("apis/apps/v1", "daemonsets"): "DaemonSet",
    ("apis/apps/v1", "statefulsets"): "StatefulSet",
    ("apis/batch/v1", "jobs"): "Job",
    ("apis/batch/v1", "cronjobs"): "CronJob",
}


def _matches(o: dict[str, Any], selector: str) -> bool:
    labels = o["metadata"].get("labels") or {}
    return all(
        labels.get(k) == v
        for k, _, v in (term.partition("=") for term in selector.split(",") if term)
    )


class FakeAPI:
    def __init__(self, scenario: Scenario, forbidden: set[str] | None = None) -> None:
        self.s = scenario
        self.forbidden = forbidden or set()
        self.requests: list[tuple[str, str]] = []

    def answer(self, method: str, raw: str) -> tuple[int, str, str]:
        self.requests.append((method, raw))
        url = urlparse(raw)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        parts = url.path.strip("/").split("/")
        if method != "GET":
            return 405, "application/json", json.dumps({"kind": "Status", "code": 405})
        if parts[-1] in self.forbidden:
            return (
                403,
                "application/json",
                json.dumps(
                    {
                        "kind": "Status",
                        "apiVersion": "v1",
                        "status": "Failure",
                        "reason": "Forbidden",
                        "message": f'{parts[-1]} is forbidden: User "dev" cannot list',
                        "code": 403,
                    }
                ),
            )
        if parts[-1] == "log":  # /api/v1/namespaces/NS/pods/POD/log
            ns, pod = parts[3], parts[5]
            text = self.s.logs.get((ns, pod, q.get("container", "")), "")
            return 200, "text/plain", text
        if parts == ["api", "v1", "nodes"]:
            nodes = [o for o in self.s.objects if o["kind"] == "Node"]
            return 200, "application/json", json.dumps(api_list("Node", nodes))
        group = "/".join(parts[:-3])
        ns, resource = parts[-2], parts[-1]
        kind = ROUTES.get((group, resource))
        if kind is None:
            return 404, "application/json", json.dumps({"kind": "Status", "code": 404})
        items = [
            o
            for o in self.s.objects
            if o["kind"] == kind
            and o["metadata"].get("namespace") == ns
            and _matches(o, q.get("labelSelector", ""))
        ]
        return 200, "application/json", json.dumps(api_list(kind, items))


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Any]:
    servers: list[ThreadingHTTPServer] = []

    def start(api: FakeAPI, namespace: str) -> Path:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                code, ctype, body = api.answer("GET", self.path)
                data = body.encode()
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        servers.append(srv)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        return _kubeconfig(tmp_path, f"http://127.0.0.1:{srv.server_address[1]}", namespace)

    yield start
    for srv in servers:
        srv.shutdown()
        srv.server_close()


def _kubeconfig(tmp: Path, server: str, namespace: str) -> Path:
    f = tmp / "kubeconfig"
    f.write_text(
        json.dumps(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "current-context": "other",
                "clusters": [
                    {"name": "rec", "cluster": {"server": server}},
                    {"name": "nowhere", "cluster": {"server": "http://127.0.0.1:9"}},
                ],
                "users": [{"name": "dev", "user": {"token": "test-token-not-a-secret"}}],
                "contexts": [
                    {
                        "name": "recorded",
                        "context": {"cluster": "rec", "user": "dev", "namespace": namespace},
                    },
                    {"name": "other", "context": {"cluster": "nowhere", "user": "dev"}},
                ],
            }
        )
    )
    return f


def _run(args: list[str]) -> tuple[int, dict[str, Any], str]:
    r = invoke("explain", *args, "--format", "json", "--no-link")
    return r.exit_code, (json.loads(r.stdout) if r.exit_code in (0, 1) else {}), r.output


@pytest.mark.parametrize("make", [s1_exec_not_found, s3_repeated_segment, s5_unbound_variable])
def test_live_explains_like_a_dump(serve: Any, make: Any) -> None:
    s = make()
    api = FakeAPI(s)
    ns = s.objects[0]["metadata"]["namespace"]
    cfg = serve(api, ns)
    code, data, out = _run(["--kubeconfig", str(cfg), "--context", "recorded"])
    assert code == 1, out
    got = sorted((d["class"], d["related_check"], d["object"]["name"]) for d in data["diagnoses"])
    assert got == sorted(s.expect)
    assert all(m == "GET" for m, _ in api.requests)
    assert any("/log?" in p and "previous=true" in p for _, p in api.requests)
    log_evidence = [e for d in data["diagnoses"] for e in d["evidence"] if "/log?" in e["file"]]
    assert bool(log_evidence) == bool(s.logs)
    assert data["inputs"][0].startswith("live:http://127.0.0.1:")
    assert all(e["file"].startswith("live:/") for d in data["diagnoses"] for e in d["evidence"])


def test_release_selects_pods_by_instance_label(serve: Any) -> None:
    s = s1_exec_not_found()
    api = FakeAPI(s)
    cfg = serve(api, "capsule-system")
    code, data, _ = _run(
        ["--kubeconfig", str(cfg), "--context", "recorded", "--release", "capsule"]
    )
    assert code == 1 and [d["class"] for d in data["diagnoses"]] == ["exec-not-found"]
    selectors = {
        (urlparse(p).path, parse_qs(urlparse(p).query).get("labelSelector", [""])[0])
        for _, p in api.requests
    }
    assert (
        "/api/v1/namespaces/capsule-system/pods",
        "app.kubernetes.io/instance=capsule",
    ) in selectors
    assert ("/api/v1/namespaces/capsule-system/secrets", "owner=helm,name=capsule") in selectors
    code, data, _ = _run(
        ["--kubeconfig", str(cfg), "--context", "recorded", "--release", "someone-else"]
    )
    assert code == 0 and data["diagnoses"] == []


def test_forbidden_optional_lists_are_skipped(serve: Any) -> None:
    s = s5_unbound_variable()
    cfg = serve(FakeAPI(s, forbidden={"secrets", "nodes", "daemonsets"}), "kube-system")
    code, data, _ = _run(["--kubeconfig", str(cfg), "--context", "recorded"])
    assert code == 1 and [d["class"] for d in data["diagnoses"]] == ["unbound-variable"]


def test_forbidden_pods_is_one_line_exit_2(serve: Any) -> None:
    cfg = serve(FakeAPI(s5_unbound_variable(), forbidden={"pods"}), "kube-system")
    r = invoke("explain", "--kubeconfig", str(cfg), "--context", "recorded")
    assert r.exit_code == 2
    assert r.stderr == (
        f"seatrial: error: the cluster at {_host(cfg)} refused to list pods in "
        "namespace kube-system: 403 Forbidden\n"
    )


def _host(cfg: Path) -> str:
    return str(json.loads(cfg.read_text())["clusters"][0]["cluster"]["server"])


def test_no_cluster_reachable_is_one_line_exit_2(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cfg = _kubeconfig(tmp_path, f"http://127.0.0.1:{port}", "default")
    r = invoke("explain", "--kubeconfig", str(cfg), "--context", "recorded")
    assert r.exit_code == 2
    assert r.stderr.startswith(
        f"seatrial: error: cannot reach the cluster at http://127.0.0.1:{port}: "
    )
    assert r.stderr.count("\n") == 1


def test_bad_kubeconfig_is_one_line_exit_2(tmp_path: Path) -> None:
    r = invoke("explain", "--kubeconfig", str(tmp_path / "none"), "--live")
    assert r.exit_code == 2
    assert r.stderr.startswith("seatrial: error: kubeconfig: ")
    r = invoke(
        "explain",
        "--kubeconfig",
        str(_kubeconfig(tmp_path, "http://x", "d")),
        "--context",
        "missing",
    )
    assert r.exit_code == 2 and "kubeconfig: " in r.stderr
