"""A live cluster, read-only, through kubeconfig and the official `kubernetes` client.

Only GET requests: pods (by `--selector`, or `--release` through the Helm instance label),
their events and owners, Jobs, claims, nodes' versions, the logs of failing containers, and
the release Secrets of Helm. Responses are read raw (`_preload_content=False`) so the
evidence sees the API's own JSON shapes. A forbidden optional list is skipped; an
unreachable cluster is one error line.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from seatrial import yamlguard
from seatrial.errors import SourceError
from seatrial.explain.evidence import ContainerState, EvidenceBuilder, text_lines

TIMEOUT = 10
LOG_TAIL = 200


def _client(kubeconfig: str | None, context: str | None) -> tuple[Any, str]:
    from kubernetes import client, config
    from kubernetes.config.config_exception import ConfigException

    cfg = client.Configuration()
    try:
        config.load_kube_config(  # type: ignore[no-untyped-call]
            config_file=kubeconfig, context=context, client_configuration=cfg,
            persist_config=False)
        contexts, active = config.list_kube_config_contexts(  # type: ignore[no-untyped-call]
            config_file=kubeconfig)
    except (ConfigException, OSError, TypeError, ValueError) as exc:
        raise SourceError(f"kubeconfig: {str(exc).splitlines()[0] if str(exc) else exc!r}") \
            from None
    chosen = next((c for c in contexts if c.get("name") == context), active) if context \
        else active
    namespace = str(((chosen or {}).get("context") or {}).get("namespace") or "default")
    cfg.retries = False  # one attempt: an unreachable cluster fails fast
    return client.ApiClient(cfg), namespace


class _Reader:
    def __init__(self, api: Any, b: EvidenceBuilder) -> None:
        from kubernetes import client

        self.core = client.CoreV1Api(api)
        self.apps = client.AppsV1Api(api)
        self.batch = client.BatchV1Api(api)
        self.host = str(api.configuration.host)
        self.b = b

    def call(self, label: str, fn: Callable[..., Any], *args: Any, optional: bool = False,
             **kw: Any) -> str | None:
        from kubernetes.client.exceptions import ApiException
        from urllib3.exceptions import HTTPError

        try:
            resp = fn(*args, _preload_content=False, _request_timeout=TIMEOUT, **kw)
            return str(resp.data.decode("utf-8", "replace"))
        except ApiException as exc:
            if optional:
                return None
            raise SourceError(f"the cluster at {self.host} refused to {label}: "
                              f"{exc.status} {exc.reason}") from None
        except (HTTPError, OSError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise SourceError(f"cannot reach the cluster at {self.host}: "
                              f"{str(reason).splitlines()[0]}") from None

    def add_list(self, label: str, path: str, fn: Callable[..., Any], *args: Any,
                 optional: bool = True, keep: Callable[[dict[str, Any]], bool] | None = None,
                 **kw: Any) -> list[dict[str, Any]]:
        text = self.call(label, fn, *args, optional=optional, **kw)
        if text is None:
            return []
        try:
            doc = yamlguard.json_loads(text)
        except yamlguard.TooDeep as exc:
            raise SourceError(f"the cluster at {self.host} answered {path} with {exc}") \
                from None
        except json.JSONDecodeError:
            raise SourceError(f"the cluster at {self.host} answered {path} with non-JSON") \
                from None
        if keep is not None and isinstance(doc, dict) and isinstance(doc.get("items"), list):
            doc["items"] = [i for i in doc["items"] if isinstance(i, dict) and keep(i)]
        self.b.add_document(doc, f"live:{path}", text)
        items = doc.get("items") if isinstance(doc, dict) else None
        return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def read_live(b: EvidenceBuilder, *, context: str | None, namespace: str | None,
              release: str | None, selector: str | None, kubeconfig: str | None) -> None:
    api, default_ns = _client(kubeconfig, context)
    ns = namespace or default_ns
    r = _Reader(api, b)
    b.add_source(f"live:{r.host} (namespace {ns})")
    pods_path = f"/api/v1/namespaces/{ns}/pods"
    sel = selector
    if release and not sel:
        sel = f"app.kubernetes.io/instance={release}"
    pods = r.add_list(f"list pods in namespace {ns}", pods_path, r.core.list_namespaced_pod, ns,
                      optional=False, label_selector=sel or "")
    if release and not selector and not pods:
        pods = r.add_list(f"list pods in namespace {ns}", pods_path, r.core.list_namespaced_pod,
                          ns, optional=False, label_selector=f"release={release}")
    names = {str((p.get("metadata") or {}).get("name", "")) for p in pods}

    def about_selected(e: dict[str, Any]) -> bool:
        inv = e.get("involvedObject") or {}
        return inv.get("kind") != "Pod" or inv.get("name") in names

    r.add_list("list events", f"/api/v1/namespaces/{ns}/events",
               r.core.list_namespaced_event, ns, keep=about_selected)
    # With a selector, Jobs and claims are those of the selected pods (or selected themselves).
    owned = {str(o.get("name")) for p in pods for o in (p.get("metadata") or {}).get(
        "ownerReferences") or []}
    claims = {str((v.get("persistentVolumeClaim") or {}).get("claimName")) for p in pods
              for v in (p.get("spec") or {}).get("volumes") or []}

    def related(o: dict[str, Any]) -> bool:
        md = o.get("metadata") or {}
        return not sel or md.get("name") in owned | claims or _selected(md, sel)

    for path, fn in (
        (f"/apis/apps/v1/namespaces/{ns}/replicasets", r.apps.list_namespaced_replica_set),
        (f"/apis/apps/v1/namespaces/{ns}/deployments", r.apps.list_namespaced_deployment),
        (f"/apis/apps/v1/namespaces/{ns}/daemonsets", r.apps.list_namespaced_daemon_set),
        (f"/apis/apps/v1/namespaces/{ns}/statefulsets", r.apps.list_namespaced_stateful_set),
        (f"/apis/batch/v1/namespaces/{ns}/jobs", r.batch.list_namespaced_job),
        (f"/apis/batch/v1/namespaces/{ns}/cronjobs", r.batch.list_namespaced_cron_job),
        (f"/api/v1/namespaces/{ns}/persistentvolumeclaims",
         r.core.list_namespaced_persistent_volume_claim),
    ):
        r.add_list(f"list {path}", path, fn, ns, keep=related)
    r.add_list("list nodes", "/api/v1/nodes", r.core.list_node)
    helm_sel = "owner=helm" + (f",name={release}" if release else "")
    r.add_list("list Helm release Secrets", f"/api/v1/namespaces/{ns}/secrets",
               r.core.list_namespaced_secret, ns, label_selector=helm_sel)
    for p in pods:
        name = str((p.get("metadata") or {}).get("name", ""))
        ev_pod = b.pod(ns, name)
        for c in ev_pod.containers:
            if c.is_failing() or c.restart_count > 0:
                _read_logs(r, ns, name, c)


def _read_logs(r: _Reader, ns: str, pod: str, c: ContainerState) -> None:
    path = f"/api/v1/namespaces/{ns}/pods/{pod}/log?container={c.name}"
    for previous in ((True, False) if c.restart_count > 0 else (False,)):
        text = r.call("read logs", r.core.read_namespaced_pod_log, pod, ns, optional=True,
                      container=c.name, previous=previous, tail_lines=LOG_TAIL)
        if text:
            label = path + ("&previous=true" if previous else "")
            c.logs.extend(text_lines(text, f"live:{label}"))


def _selected(md: dict[str, Any], selector: str) -> bool:
    """Equality-based label selector match (`a=b,c=d`), enough for Helm instance labels."""
    labels = md.get("labels") or {}
    terms = [t.partition("=") for t in selector.split(",") if t]
    return all(op and labels.get(k.strip()) == v.strip().lstrip("=") for k, op, v in terms)
