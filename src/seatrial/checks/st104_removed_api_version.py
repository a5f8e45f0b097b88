"""ST104 removed-api-version."""

from __future__ import annotations

from collections.abc import Iterator

from seatrial.checks.registry import CellContext, Scope, Violation, check
from seatrial.findings import Severity

#: (apiVersion, kind) -> (first minor without it, replacement apiVersion); from the Kubernetes
#: deprecated API migration guide
REMOVED: dict[tuple[str, str], tuple[int, str]] = {
    **{
        ("extensions/v1beta1", k): (16, "apps/v1")
        for k in ("Deployment", "DaemonSet", "ReplicaSet")
    },
    **{("apps/v1beta1", k): (16, "apps/v1") for k in ("Deployment", "StatefulSet")},
    **{
        ("apps/v1beta2", k): (16, "apps/v1")
        for k in ("Deployment", "DaemonSet", "StatefulSet", "ReplicaSet")
    },
    ("extensions/v1beta1", "NetworkPolicy"): (16, "networking.k8s.io/v1"),
    ("extensions/v1beta1", "Ingress"): (22, "networking.k8s.io/v1"),
    ("networking.k8s.io/v1beta1", "Ingress"): (22, "networking.k8s.io/v1"),
    ("networking.k8s.io/v1beta1", "IngressClass"): (22, "networking.k8s.io/v1"),
    ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"): (22, "apiextensions.k8s.io/v1"),
    ("apiregistration.k8s.io/v1beta1", "APIService"): (22, "apiregistration.k8s.io/v1"),
    **{
        ("admissionregistration.k8s.io/v1beta1", k): (22, "admissionregistration.k8s.io/v1")
        for k in ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")
    },
    **{
        ("rbac.authorization.k8s.io/v1beta1", k): (22, "rbac.authorization.k8s.io/v1")
        for k in ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")
    },
    ("scheduling.k8s.io/v1beta1", "PriorityClass"): (22, "scheduling.k8s.io/v1"),
    ("coordination.k8s.io/v1beta1", "Lease"): (22, "coordination.k8s.io/v1"),
    ("certificates.k8s.io/v1beta1", "CertificateSigningRequest"): (22, "certificates.k8s.io/v1"),
    **{
        ("storage.k8s.io/v1beta1", k): (22, "storage.k8s.io/v1")
        for k in ("CSIDriver", "CSINode", "StorageClass", "VolumeAttachment")
    },
    ("batch/v1beta1", "CronJob"): (25, "batch/v1"),
    ("discovery.k8s.io/v1beta1", "EndpointSlice"): (25, "discovery.k8s.io/v1"),
    ("events.k8s.io/v1beta1", "Event"): (25, "events.k8s.io/v1"),
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler"): (25, "autoscaling/v2"),
    ("policy/v1beta1", "PodDisruptionBudget"): (25, "policy/v1"),
    ("policy/v1beta1", "PodSecurityPolicy"): (25, "Pod Security Admission (no replacement API)"),
    ("node.k8s.io/v1beta1", "RuntimeClass"): (25, "node.k8s.io/v1"),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): (26, "autoscaling/v2"),
    **{
        ("flowcontrol.apiserver.k8s.io/v1beta1", k): (26, "flowcontrol.apiserver.k8s.io/v1")
        for k in ("FlowSchema", "PriorityLevelConfiguration")
    },
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity"): (27, "storage.k8s.io/v1"),
    **{
        ("flowcontrol.apiserver.k8s.io/v1beta2", k): (29, "flowcontrol.apiserver.k8s.io/v1")
        for k in ("FlowSchema", "PriorityLevelConfiguration")
    },
    **{
        ("flowcontrol.apiserver.k8s.io/v1beta3", k): (32, "flowcontrol.apiserver.k8s.io/v1")
        for k in ("FlowSchema", "PriorityLevelConfiguration")
    },
}


def _minor(kube_version: str) -> int:
    return int(kube_version.split("-")[0].split(".")[1])


@check("ST104", "removed-api-version", Severity.ERROR, scope=Scope.CELL)
def removed_api_version(ctx: CellContext) -> Iterator[Violation]:
    """An object uses an apiVersion that the cell's Kubernetes version no longer serves.

    ## Why is this bad?
    `helm install` fails on that cluster with `no matches for kind "CronJob" in version
    "batch/v1beta1"`, and `helm upgrade` of an existing release fails until the manifest
    is migrated. Charts usually break this way on the first cluster upgrade after the
    removal, because CI renders against one, older, version.

    ## Example
        apiVersion: policy/v1beta1      # removed in 1.25
        kind: PodDisruptionBudget

    ## Fix
    Use the replacement apiVersion, choosing it with
    `.Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget"` when the chart still
    supports older clusters, or raise `kubeVersion` in Chart.yaml.
    """
    for obj in ctx.objects.objects:
        removed = REMOVED.get((obj.api_version, obj.kind))
        if removed is None:
            continue
        since, replacement = removed
        cells = tuple(c for c in ctx.cells if _minor(c.kube_version) >= since)
        if cells:
            yield Violation(
                f"{obj.kind} {obj.api_version} is not served since Kubernetes 1.{since}; "
                f"use {replacement}",
                field=("apiVersion",),
                obj=obj,
                cells=cells,
                fix=f"switch to {replacement} (guarded by .Capabilities.APIVersions.Has when "
                "older clusters are still supported), or raise kubeVersion",
            )
