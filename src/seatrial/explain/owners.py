"""Who owns a pod, and one pod per object, when the inputs are partial (a `kubectl get events`
table alone, a log file next to it).

- owner: the pod's ownerReferences when an input had them; else the controller event that
  created it (`daemonset/x  Created pod: x-7k2p9`, from DaemonSet, ReplicaSet, StatefulSet and
  Job controllers); else, for a name of the form `<base>-<pod-template-hash>-<5 chars>`, the
  ReplicaSet `<base>-<hash>` (and through it the Deployment, see release.owner_chain).
- state: a pod known only from events is crash-looping when an event says `Back-off
  restarting failed container C` (CrashLoopBackOff of C), unless an input gave its state.
- one pod: the same pod named without a namespace by one input (a log file) and with one by
  another is one pod (the evidence of both is merged), when the name is unambiguous.
"""

from __future__ import annotations

import re

from seatrial.explain.evidence import Evidence, Pod
from seatrial.findings import ObjectRef

_CONTROLLERS = {
    "DaemonSet": "apps/v1",
    "ReplicaSet": "apps/v1",
    "StatefulSet": "apps/v1",
    "Job": "batch/v1",
    "ReplicationController": "v1",
}
_CREATED = re.compile(r"^Created pod:\s*(?P<pod>[a-z0-9][a-z0-9.-]*)")
_BACKOFF = re.compile(r"Back-off restarting failed container (?P<c>[a-z0-9][a-z0-9-]*)")
#: pod-template-hash values use this alphabet (k8s.io/apimachinery rand.SafeEncodeString)
_HASHED = re.compile(
    r"^(?P<base>[a-z0-9][a-z0-9.-]*)-(?P<hash>[bcdfghjklmnpqrstvwxz2456789]"
    r"{6,10})-[bcdfghjklmnpqrstvwxz2456789]{5}$"
)


def resolve(ev: Evidence) -> None:
    """Fill in what the inputs imply (in place): merged pods, owners, crash-loop states."""
    _merge_unnamespaced(ev)
    created: dict[tuple[str, str], ObjectRef] = {}
    for e in ev.events:
        kind = e.involved.kind
        m = _CREATED.match(e.message)
        if m and kind in _CONTROLLERS and e.involved.name:
            created[(e.involved.namespace, m.group("pod"))] = ObjectRef(
                kind, e.involved.name, e.involved.namespace, _CONTROLLERS[kind]
            )
    for (ns, name), pod in ev.pods.items():
        if not pod.owners:
            owner = created.get((ns, name)) or next(
                (o for (n, p), o in created.items() if p == name and not (n and ns)), None
            )
            if owner is not None:
                pod.owners = [
                    ObjectRef(owner.kind, owner.name, ns or owner.namespace, owner.api_version)
                ]
            elif (m := _HASHED.match(name)) and not pod.labels:
                pod.owners = [
                    ObjectRef("ReplicaSet", f"{m.group('base')}-{m.group('hash')}", ns, "apps/v1")
                ]
                pod.labels["pod-template-hash"] = m.group("hash")
        _crash_loop_from_events(pod, ev)


def _crash_loop_from_events(pod: Pod, ev: Evidence) -> None:
    for e in ev.events_for("Pod", pod.ref.namespace, pod.ref.name):
        m = _BACKOFF.search(e.message)
        if e.reason != "BackOff" or not m:
            continue
        c = pod.container(m.group("c"))
        if not c.state:
            c.state, c.reason, c.origin = "waiting", "CrashLoopBackOff", e.origin
            c.message = e.message


def _merge_unnamespaced(ev: Evidence) -> None:
    for ns, name in [k for k in ev.pods if not k[0]]:
        others = [k for k in ev.pods if k[1] == name and k[0]]
        if len(others) != 1:
            continue
        loose, target = ev.pods.pop((ns, name)), ev.pods[others[0]]
        for c in loose.containers:
            into = target.container(c.name)
            into.logs.extend(c.logs)
            for attr in ("image", "state", "reason", "message", "last_reason", "last_message"):
                if not getattr(into, attr) and getattr(c, attr):
                    setattr(into, attr, getattr(c, attr))
            for attr in ("exit_code", "last_exit_code", "signal"):
                if getattr(into, attr) is None and getattr(c, attr) is not None:
                    setattr(into, attr, getattr(c, attr))
            into.restart_count = max(into.restart_count, c.restart_count)
        target.owners = target.owners or loose.owners
        target.labels = target.labels or loose.labels
