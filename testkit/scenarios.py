"""Failing deployments, one per failure class: the five seed incidents (messages as the
seeds quote them) and common failures (messages as kubelet, scheduler and runtimes write
them). Each lists what `seatrial explain` must say: (class, related check, object name)."""

from __future__ import annotations

from testkit.cluster import (
    RUNNING,
    C,
    Scenario,
    event,
    node,
    obj,
    pod,
    secret,
    terminated,
    waiting,
)

EXEC_MSG = (
    "failed to create containerd task: failed to create shim task: OCI runtime create "
    'failed: runc create failed: unable to start container process: exec: "/manager": '
    "stat /manager: no such file or directory: unknown"
)
HELM = {
    "app.kubernetes.io/managed-by": "Helm",
    "app.kubernetes.io/instance": "capsule",
    "app.kubernetes.io/name": "capsule",
    "helm.sh/chart": "capsule-0.7.2",
}
HELM_ANN = {
    "meta.helm.sh/release-name": "capsule",
    "meta.helm.sh/release-namespace": "capsule-system",
}


def s1_exec_not_found() -> Scenario:
    ns = "capsule-system"
    p = "capsule-controller-manager-7tkx9"
    return Scenario(
        "s1-exec-not-found",
        [
            obj(
                "DaemonSet",
                ns,
                "capsule-controller-manager",
                {},
                {},
                labels=HELM,
                annotations=HELM_ANN,
            ),
            pod(
                ns,
                p,
                [
                    C(
                        "manager",
                        "docker.io/clastix/capsule:v0.10.0",
                        state=waiting(
                            "CrashLoopBackOff",
                            "back-off 2m40s restarting failed container=manager pod=" + p,
                        ),
                        last=terminated("StartError", 128, EXEC_MSG),
                        restarts=5,
                        command=["/manager"],
                    )
                ],
                owner=("DaemonSet", "capsule-controller-manager"),
                labels={**HELM, "controller-revision-hash": "6d8b9c7f5"},
            ),
            event(ns, "Pod", p, "Failed", "Error: " + EXEC_MSG, count=5, container="manager"),
            event(
                ns,
                "Pod",
                p,
                "BackOff",
                f"Back-off restarting failed container manager in pod {p}_{ns}(5b0f3e2a)",
                count=14,
                container="manager",
            ),
            node("kind-worker", "v1.31.2"),
        ],
        expect=[("exec-not-found", "ST203", p)],
    )


def s2_image_not_found() -> Scenario:
    ns = "capsule-system"
    p = "capsule-crds-9wz4c"
    image = "docker.io/seatrial-explain/kubectl:v1.32.0"
    msg = (
        f'rpc error: code = NotFound desc = failed to pull and unpack image "{image}": '
        f'failed to resolve reference "{image}": {image}: not found'
    )
    return Scenario(
        "s2-image-not-found",
        [
            obj(
                "Job",
                ns,
                "capsule-crds",
                {},
                {"active": 1},
                labels=HELM,
                annotations={
                    "helm.sh/hook": "pre-install,pre-upgrade",
                    "helm.sh/hook-delete-policy": "before-hook-creation,hook-succeeded",
                },
            ),
            pod(
                ns,
                p,
                [C("crds-hook", image, state=waiting("ErrImagePull", msg))],
                owner=("Job", "capsule-crds"),
                phase="Pending",
                labels={"batch.kubernetes.io/job-name": "capsule-crds"},
            ),
            event(
                ns,
                "Pod",
                p,
                "Failed",
                f'Failed to pull image "{image}": {msg}',
                count=4,
                container="crds-hook",
            ),
            event(ns, "Pod", p, "Failed", "Error: ErrImagePull", count=4, container="crds-hook"),
            node("kind-control-plane", "v1.32.0"),
        ],
        expect=[("image-not-found", "ST201", p)],
    )


S3_LOG = (
    "/opt/kata-artifacts/scripts/kata-deploy.sh: line 359: /host//opt/kata-cicd-cicd-cicd"
    "-cicd-cicd/bin/qemu-system-x86_64-installation-prefix-installation-prefix: No such "
    "file or directory\n"
)


def s3_repeated_segment() -> Scenario:
    ns = "kube-system"
    p = "kata-deploy-cicd-x2vfp"
    jobs = [
        "kata-deploy-cicd-cleanup-4nxq2",
        "kata-deploy-cicd-cleanup-bdckh",
        "kata-deploy-cicd-cleanup-ct2rt",
    ]
    objects = [
        obj("DaemonSet", ns, "kata-deploy-cicd", {}, {}),
        pod(
            ns,
            p,
            [
                C(
                    "kube-kata",
                    "quay.io/kata-containers/kata-deploy:3.17.0",
                    state=waiting("CrashLoopBackOff"),
                    last=terminated("Error", 1),
                    restarts=7,
                )
            ],
            owner=("DaemonSet", "kata-deploy-cicd"),
        ),
    ]
    for j in jobs:
        objects.append(
            obj("Job", ns, j, {}, {"succeeded": 1}, annotations={"helm.sh/hook": "post-delete"})
        )
        objects.append(
            pod(
                ns,
                f"{j}-q7k8p",
                [
                    C(
                        "kube-kata-cleanup",
                        "quay.io/kata-containers/kata-deploy:3.17.0",
                        state=terminated("Completed", 0),
                    )
                ],
                owner=("Job", j),
                phase="Succeeded",
            )
        )
    return Scenario(
        "s3-repeated-segment",
        objects,
        logs={(ns, p, "kube-kata"): "Add Kata Containers as a supported runtime\n" + S3_LOG},
        expect=[
            ("repeated-path-segment", "ST501", p),
            ("duplicate-jobs", "ST402", "kata-deploy-cicd-cleanup-*"),
        ],
    )


def s5_unbound_variable() -> Scenario:
    ns = "kube-system"
    p = "kubelet-kata-cleanup-m5tq7"
    return Scenario(
        "s5-unbound-variable",
        [
            obj("DaemonSet", ns, "kubelet-kata-cleanup", {}, {}),
            pod(
                ns,
                p,
                [
                    C(
                        "kube-kata-cleanup",
                        "quay.io/kata-containers/kata-deploy:3.17.0",
                        state=waiting("CrashLoopBackOff"),
                        last=terminated("Error", 1),
                        restarts=4,
                    )
                ],
                owner=("DaemonSet", "kubelet-kata-cleanup"),
            ),
            event(
                ns,
                "Pod",
                p,
                "BackOff",
                "Back-off restarting failed container kube-kata-cleanup",
                count=9,
                container="kube-kata-cleanup",
            ),
        ],
        logs={
            (ns, p, "kube-kata-cleanup"): "Cleaning up Kata Containers\n"
            "/opt/kata-artifacts/scripts/kata-deploy.sh: line 42: SHIMS: unbound variable\n"
        },
        expect=[("unbound-variable", "ST301", p)],
    )


def oom_killed() -> Scenario:
    ns, p = "shop", "cart-7d4b9c6f8d-x2x9z"
    return Scenario(
        "oom-killed",
        [
            obj("ReplicaSet", ns, "cart-7d4b9c6f8d", {}, {}, owner=("Deployment", "cart")),
            pod(
                ns,
                p,
                [
                    C(
                        "cart",
                        "registry.example/cart:1.4",
                        state=RUNNING,
                        last=terminated("OOMKilled", 137),
                        restarts=3,
                    )
                ],
                owner=("ReplicaSet", "cart-7d4b9c6f8d"),
                labels={"pod-template-hash": "7d4b9c6f8d"},
            ),
        ],
        expect=[("oom-killed", None, p)],
    )


def missing_secret_key() -> Scenario:
    ns, p = "shop", "orders-5f6d7c8b9-kq2lm"
    msg = "couldn't find key password in Secret shop/orders-db"
    return Scenario(
        "missing-secret-key",
        [
            pod(
                ns,
                p,
                [
                    C(
                        "orders",
                        "registry.example/orders:2.0",
                        state=waiting("CreateContainerConfigError", msg),
                    )
                ],
                owner=("ReplicaSet", "orders-5f6d7c8b9"),
                phase="Pending",
                labels={"pod-template-hash": "5f6d7c8b9"},
            ),
            event(ns, "Pod", p, "Failed", "Error: " + msg, count=6, container="orders"),
            secret(ns, "orders-db", {"username": "orders", "pw": "S3cr3t-Hunter2-Value"}),
        ],
        logs={(ns, p, "orders"): "connecting with password S3cr3t-Hunter2-Value\n"},
        expect=[("missing-config-reference", None, p)],
    )


def unschedulable(kind: str) -> Scenario:
    ns, p = "batch", f"worker-{kind}-6c9f8b7d5-pl4xw"
    msgs = {
        "resources": "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes "
        "are available: 3 No preemption victims found for incoming pod.",
        "taints": "0/3 nodes are available: 3 node(s) had untolerated taint "
        "{dedicated: gpu}. preemption: 0/3 nodes are available: 3 Preemption is "
        "not helpful for scheduling.",
        "affinity": "0/3 nodes are available: 3 node(s) didn't match Pod's node "
        "affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is "
        "not helpful for scheduling.",
    }
    msg = msgs[kind]
    return Scenario(
        f"unschedulable-{kind}",
        [
            pod(
                ns,
                p,
                [C("worker", "registry.example/worker:3")],
                phase="Pending",
                scheduled=False,
                owner=("ReplicaSet", f"worker-{kind}-6c9f8b7d5"),
                labels={"pod-template-hash": "6c9f8b7d5"},
                conditions=[
                    {
                        "type": "PodScheduled",
                        "status": "False",
                        "reason": "Unschedulable",
                        "message": msg,
                        "lastProbeTime": None,
                        "lastTransitionTime": "x",
                    }
                ],
            ),
            event(ns, "Pod", p, "FailedScheduling", msg, component="default-scheduler"),
        ],
        expect=[(f"unschedulable-{kind}", None, p)],
    )


def failed_mount_and_claim() -> Scenario:
    ns, p = "data", "db-0"
    return Scenario(
        "claim-pending",
        [
            obj("StatefulSet", ns, "db", {}, {}),
            pod(
                ns,
                p,
                [C("db", "postgres:16", state=waiting("ContainerCreating"))],
                owner=("StatefulSet", "db"),
                phase="Pending",
            ),
            obj(
                "PersistentVolumeClaim",
                ns,
                "data-db-0",
                {"storageClassName": "fast-ssd"},
                {"phase": "Pending"},
            ),
            event(
                ns,
                "PersistentVolumeClaim",
                "data-db-0",
                "ProvisioningFailed",
                'storageclass.storage.k8s.io "fast-ssd" not found',
                component="persistentvolume-controller",
            ),
            event(
                ns,
                "Pod",
                p,
                "FailedMount",
                'MountVolume.SetUp failed for volume "config" : configmap "db-config" not found',
                count=7,
            ),
        ],
        expect=[("failed-mount", None, p), ("claim-pending", None, "data-db-0")],
    )


def probes() -> Scenario:
    ns, p = "web", "api-6b8d9f7c4-zt5xq"
    return Scenario(
        "liveness-readiness",
        [
            pod(
                ns,
                p,
                [
                    C(
                        "api",
                        "registry.example/api:5",
                        state=RUNNING,
                        last=terminated("Error", 137),
                        restarts=6,
                    )
                ],
                owner=("ReplicaSet", "api-6b8d9f7c4"),
                labels={"pod-template-hash": "6b8d9f7c4"},
            ),
            event(
                ns,
                "Pod",
                p,
                "Unhealthy",
                'Liveness probe failed: Get "http://10.244.1.9:8080/'
                'healthz": dial tcp 10.244.1.9:8080: connect: connection refused',
                count=18,
                container="api",
            ),
            event(
                ns,
                "Pod",
                p,
                "Killing",
                "Container api failed liveness probe, will be restarted",
                type="Normal",
                count=6,
                container="api",
            ),
            event(
                ns,
                "Pod",
                p,
                "Unhealthy",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
                count=40,
                container="api",
            ),
        ],
        expect=[("liveness-probe-failed", None, p), ("readiness-probe-failed", None, p)],
    )


def rbac_forbidden() -> Scenario:
    ns, p = "ops", "reporter-84c6d5f9b7-2jx8k"
    return Scenario(
        "rbac-forbidden",
        [
            pod(
                ns,
                p,
                [
                    C(
                        "reporter",
                        "registry.example/reporter:1",
                        state=waiting("CrashLoopBackOff"),
                        last=terminated("Error", 1),
                        restarts=2,
                    )
                ],
                owner=("ReplicaSet", "reporter-84c6d5f9b7"),
                labels={"pod-template-hash": "84c6d5f9b7"},
            ),
        ],
        logs={
            (
                ns,
                p,
                "reporter",
            ): "E0304 10:15:01.123456       1 reflector.go:150] failed to list *v1.Pod: pods is "
            'forbidden: User "system:serviceaccount:ops:reporter" cannot list resource "pods" '
            'in API group "" at the cluster scope\n'
        },
        expect=[("rbac-forbidden", None, p)],
    )


def go_panic() -> Scenario:
    ns, p = "web", "gateway-5c7d8f9b6-wq8rt"
    return Scenario(
        "crash-panic",
        [
            pod(
                ns,
                p,
                [
                    C(
                        "gateway",
                        "registry.example/gateway:9",
                        state=waiting("CrashLoopBackOff"),
                        last=terminated("Error", 2),
                        restarts=5,
                    )
                ],
                owner=("ReplicaSet", "gateway-5c7d8f9b6"),
                labels={"pod-template-hash": "5c7d8f9b6"},
            ),
        ],
        logs={
            (
                ns,
                p,
                "gateway",
            ): "starting gateway\npanic: runtime error: invalid memory address or nil pointer "
            "dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x6a4f1e]"
            "\n\ngoroutine 1 [running]:\nmain.loadConfig(...)\n\t/src/main.go:42 +0x1e\n"
        },
        expect=[("crash-panic", None, p)],
    )


def pull_unauthorized() -> Scenario:
    ns, p = "web", "private-7f9c8d6b5-hh2kd"
    image = "registry.example.com/team/private:1.0"
    msg = (
        f'failed to pull and unpack image "{image}": failed to resolve reference "{image}": '
        "failed to authorize: failed to fetch oauth token: unexpected status from GET request "
        "to https://registry.example.com/token: 401 Unauthorized"
    )
    return Scenario(
        "image-pull-unauthorized",
        [
            pod(
                ns,
                p,
                [
                    C(
                        "private",
                        image,
                        state=waiting("ImagePullBackOff", f'Back-off pulling image "{image}"'),
                    )
                ],
                owner=("ReplicaSet", "private-7f9c8d6b5"),
                phase="Pending",
                labels={"pod-template-hash": "7f9c8d6b5"},
            ),
            event(
                ns,
                "Pod",
                p,
                "Failed",
                f'Failed to pull image "{image}": {msg}',
                count=3,
                container="private",
            ),
        ],
        expect=[("image-pull-unauthorized", "ST204", p)],
    )


def pull_rate_limited() -> Scenario:
    ns, p = "web", "nginx-66b6c48dd5-k7w2n"
    image = "docker.io/library/nginx:1.27"
    msg = (
        f'failed to pull and unpack image "{image}": failed to copy: httpReadSeeker: failed '
        "open: unexpected status code https://registry-1.docker.io/v2/library/nginx/manifests/"
        "sha256:1d2e: 429 Too Many Requests - Server message: toomanyrequests: You have "
        "reached your pull rate limit."
    )
    return Scenario(
        "image-pull-rate-limited",
        [
            pod(
                ns,
                p,
                [C("nginx", image, state=waiting("ErrImagePull", msg))],
                owner=("ReplicaSet", "nginx-66b6c48dd5"),
                phase="Pending",
                labels={"pod-template-hash": "66b6c48dd5"},
            ),
        ],
        expect=[("image-pull-rate-limited", "ST204", p)],
    )


def segfault_and_permission() -> Scenario:
    ns = "tools"
    return Scenario(
        "exit-126-139-143",
        [
            pod(
                ns,
                "legacy-6d5c4b3a2-aa1bb",
                [
                    C(
                        "legacy",
                        "registry.example/legacy:0.9",
                        state=waiting("CrashLoopBackOff"),
                        last=terminated("Error", 139),
                        restarts=3,
                    )
                ],
            ),
            pod(
                ns,
                "runner-5b4c3d2e1-cc3dd",
                [
                    C(
                        "runner",
                        "registry.example/runner:2",
                        state=waiting("CrashLoopBackOff"),
                        last=terminated("Error", 126),
                        restarts=3,
                    )
                ],
            ),
            pod(
                ns,
                "stopper-4a3b2c1d0-ee5ff",
                [
                    C(
                        "stopper",
                        "registry.example/stopper:1",
                        state=RUNNING,
                        last=terminated("Error", 143),
                        restarts=1,
                    )
                ],
            ),
        ],
        logs={
            (ns, "runner-5b4c3d2e1-cc3dd", "runner"): "/bin/sh: /entrypoint.sh: Permission denied\n"
        },
        expect=[
            ("exit-139-segfault", None, "legacy-6d5c4b3a2-aa1bb"),
            ("exec-permission-denied", "ST203", "runner-5b4c3d2e1-cc3dd"),
            ("exit-143-terminated", None, "stopper-4a3b2c1d0-ee5ff"),
        ],
    )


def unknown_failure() -> Scenario:
    ns, p = "misc", "mystery-7c6b5a4d3-gg7hh"
    return Scenario(
        "unknown",
        [
            pod(
                ns,
                p,
                [
                    C(
                        "mystery",
                        "registry.example/mystery:1",
                        state=waiting("CrashLoopBackOff"),
                        last=terminated("Error", 3),
                        restarts=8,
                    )
                ],
            ),
        ],
        logs={(ns, p, "mystery"): "loading\nerror: widget calibration drifted beyond 0.3\n"},
        expect=[("unknown", None, p)],
    )


def healthy() -> Scenario:
    ns = "web"
    return Scenario(
        "healthy",
        [
            pod(ns, "ok-1", [C("ok", "registry.example/ok:1", ready=True)]),
        ],
        expect=[],
    )


ALL = [
    s1_exec_not_found,
    s2_image_not_found,
    s3_repeated_segment,
    s5_unbound_variable,
    oom_killed,
    missing_secret_key,
    lambda: unschedulable("resources"),
    lambda: unschedulable("taints"),
    lambda: unschedulable("affinity"),
    failed_mount_and_claim,
    probes,
    rbac_forbidden,
    go_panic,
    pull_unauthorized,
    pull_rate_limited,
    segfault_and_permission,
    unknown_failure,
    healthy,
]
