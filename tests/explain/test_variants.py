"""The rules on messages they were not written around: other runtimes (Docker, CRI-O,
containerd), other shells, other languages, older and newer scheduler wordings. Each case is
one failing pod; the diagnosis must be exactly the expected class (and only it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from testkit.cluster import C, Obj, Scenario, event, pod, terminated, waiting, write_bundle
from tests.cli_runner import invoke

NS = "v"
POD = "app-5c7d8f9b6-wq8rt"


def crash(last: Obj, state: Obj | None = None) -> list[Obj]:
    return [
        pod(
            NS,
            POD,
            [
                C(
                    "app",
                    "registry.example/app:1",
                    state=state or waiting("CrashLoopBackOff"),
                    last=last,
                    restarts=4,
                )
            ],
        )
    ]


def pending(state: Obj) -> list[Obj]:
    return [pod(NS, POD, [C("app", "registry.example/app:1", state=state)], phase="Pending")]


def with_event(reason: str, message: str, *, container: str = "") -> list[Obj]:
    return [
        pod(
            NS,
            POD,
            [C("app", "registry.example/app:1", state=waiting("ContainerCreating"))],
            phase="Pending",
        ),
        event(NS, "Pod", POD, reason, message, container=container),
    ]


CASES: list[tuple[str, list[Obj], str, str]] = [
    (
        "docker-cannot-run",
        crash(
            terminated(
                "ContainerCannotRun",
                127,
                "OCI runtime create "
                'failed: container_linux.go:380: starting container process caused: exec: "/manager": '
                "stat /manager: no such file or directory: unknown",
            )
        ),
        "",
        "exec-not-found",
    ),
    (
        "crio-escaped-quotes",
        pending(
            waiting(
                "CreateContainerError",
                "container create failed: "
                'time="2025-03-04T10:15:02Z" level=error msg="runc create failed: unable to start container'
                ' process: exec: \\"/manager\\": stat /manager: no such file or directory"',
            )
        ),
        "",
        "exec-not-found",
    ),
    (
        "relative-not-in-path",
        pending(
            waiting(
                "RunContainerError",
                "failed to start container: "
                'exec: "manager": executable file not found in $PATH: unknown',
            )
        ),
        "",
        "exec-not-found",
    ),
    (
        "missing-interpreter",
        crash(terminated("Error", 1)),
        "exec /usr/local/bin/docker-entrypoint.sh: no such file or directory\n",
        "exec-not-found",
    ),
    (
        "dash-command-not-found",
        crash(terminated("Error", 127)),
        "/bin/sh: 1: kubectl: not found\n",
        "exec-not-found",
    ),
    (
        "wrong-architecture",
        crash(terminated("Error", 1)),
        "exec /app/server: exec format error\n",
        "exec-format-error",
    ),
    (
        "script-not-executable",
        crash(
            terminated(
                "StartError",
                128,
                "failed to create containerd "
                "task: OCI runtime create failed: runc create failed: unable to start container process: "
                'exec: "/entrypoint.sh": permission denied: unknown',
            )
        ),
        "",
        "exec-permission-denied",
    ),
    (
        "docker-manifest-unknown",
        pending(
            waiting(
                "ErrImagePull",
                "rpc error: code = Unknown desc "
                "= Error response from daemon: manifest for nginx:1.99 not found: manifest unknown: "
                "manifest unknown",
            )
        ),
        "",
        "image-not-found",
    ),
    (
        "docker-hub-pull-denied",
        pending(
            waiting(
                "ErrImagePull",
                "rpc error: code = Unknown desc = "
                "Error response from daemon: pull access denied for acme/private, repository does not "
                "exist or may require 'docker login': denied: requested access to the resource is "
                "denied",
            )
        ),
        "",
        "image-pull-unauthorized",
    ),
    (
        "pull-backoff-only",
        pending(waiting("ImagePullBackOff", 'Back-off pulling image "acme/x:1"')),
        "",
        "image-pull-backoff",
    ),
    (
        "dash-parameter-not-set",
        crash(terminated("Error", 2)),
        "/bin/sh: 1: SHIMS: parameter not set\n",
        "unbound-variable",
    ),
    (
        "busybox-parameter-not-set",
        crash(terminated("Error", 2)),
        "sh: SHIMS: parameter not set\n",
        "unbound-variable",
    ),
    (
        "termination-message",
        crash(terminated("Error", 1, "/scripts/run.sh: line 7: DB_HOST: unbound variable")),
        "",
        "unbound-variable",
    ),
    (
        "oom-current-state",
        crash(terminated("Error", 1), state=terminated("OOMKilled", 137)),
        "",
        "oom-killed",
    ),
    (
        "python-traceback",
        crash(terminated("Error", 1)),
        "Traceback (most recent call last):\n"
        "  File \"/app/main.py\", line 3, in <module>\nKeyError: 'DATABASE_URL'\n",
        "crash-panic",
    ),
    (
        "rust-panic",
        crash(terminated("Error", 101)),
        "thread 'main' panicked at src/main.rs:10:5:"
        "\ncalled `Option::unwrap()` on a `None` value\n",
        "crash-panic",
    ),
    (
        "java-exception",
        crash(terminated("Error", 1)),
        'Exception in thread "main" '
        "java.lang.IllegalStateException: no config\n\tat App.main(App.java:5)\n",
        "crash-panic",
    ),
    (
        "go-fatal-error",
        crash(terminated("Error", 2)),
        "fatal error: concurrent map writes\n\ngoroutine 7 [running]:\n",
        "crash-panic",
    ),
    (
        "rbac-namespaced",
        crash(terminated("Error", 1)),
        "E0304 leaderelection.go:330] error "
        'retrieving resource lock ns/leader: configmaps "leader" is forbidden: User '
        '"system:serviceaccount:ns:sa" cannot get resource "configmaps" in API group "" in the '
        'namespace "ns"\n',
        "rbac-forbidden",
    ),
    (
        "missing-configmap-env",
        pending(waiting("CreateContainerConfigError", 'configmap "app-config" not found')),
        "",
        "missing-config-reference",
    ),
    (
        "missing-secret-env",
        pending(waiting("CreateContainerConfigError", 'secret "db-creds" not found')),
        "",
        "missing-config-reference",
    ),
    (
        "mount-secret-missing",
        with_event(
            "FailedMount", 'MountVolume.SetUp failed for volume "tls" : secret "app-tls" not found'
        ),
        "",
        "failed-mount",
    ),
    (
        "mount-timeout",
        with_event(
            "FailedMount",
            "Unable to attach or mount volumes: unmounted "
            "volumes=[data], unattached volumes=[data kube-api-access-x2x9z]: timed out waiting for "
            "the condition",
        ),
        "",
        "failed-mount",
    ),
    (
        "old-taint-wording",
        with_event(
            "FailedScheduling",
            "0/1 nodes are available: 1 node(s) had "
            "taint {node.kubernetes.io/not-ready: }, that the pod didn't tolerate.",
        ),
        "",
        "unschedulable-taints",
    ),
    (
        "old-selector-wording",
        with_event(
            "FailedScheduling", "0/5 nodes are available: 5 node(s) didn't match node selector."
        ),
        "",
        "unschedulable-affinity",
    ),
    (
        "anti-affinity",
        with_event(
            "FailedScheduling",
            "0/3 nodes are available: 3 node(s) didn't "
            "match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption "
            "victims found for incoming pod.",
        ),
        "",
        "unschedulable-affinity",
    ),
    (
        "unbound-claim",
        with_event(
            "FailedScheduling",
            "0/3 nodes are available: pod has unbound "
            "immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is "
            "not helpful for scheduling.",
        ),
        "",
        "unschedulable-unbound-claim",
    ),
    (
        "exec-liveness-probe",
        with_event(
            "Unhealthy",
            "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory",
            container="app",
        ),
        "",
        "liveness-probe-failed",
    ),
    (
        "startup-probe",
        with_event(
            "Unhealthy",
            "Startup probe failed: HTTP probe failed with statuscode: 500",
            container="app",
        ),
        "",
        "liveness-probe-failed",
    ),
    (
        "containerd-rate-limit",
        pending(
            waiting(
                "ErrImagePull",
                "failed to pull and unpack image "
                '"docker.io/library/redis:7": failed to copy: httpReadSeeker: failed open: unexpected '
                "status code https://registry-1.docker.io/v2/library/redis/manifests/sha256:1d: 429 Too "
                "Many Requests",
            )
        ),
        "",
        "image-pull-rate-limited",
    ),
    ("sigkill-not-oom", crash(terminated("Error", 137)), "", "exit-137-killed"),
    ("plain-exit-code", crash(terminated("Error", 3)), "shutting down\n", "unknown"),
]


@pytest.mark.parametrize(
    ("objects", "log", "cls"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_variant(objects: list[Obj], log: str, cls: str, tmp_path: Path) -> None:
    s = Scenario("variant", objects, logs={(NS, POD, "app"): log} if log else {})
    r = invoke("explain", str(write_bundle(s, tmp_path / "b")), "--format", "json", "--no-link")
    data: dict[str, Any] = json.loads(r.stdout)
    assert [d["class"] for d in data["diagnoses"]] == [cls], r.stdout
    assert "?>" not in r.stdout
