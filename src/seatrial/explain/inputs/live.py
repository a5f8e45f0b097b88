"""A live cluster, read-only, through kubeconfig and the official `kubernetes` client.

Only GET requests: pods (by `--selector`, or `--release` through the Helm instance label),
their events and owners, Jobs, claims, nodes' versions, the logs of failing containers, and
the release Secrets of Helm. Responses are read raw so the evidence sees the API's own JSON
shapes. A forbidden optional list is skipped; an unreachable cluster is one error line. Each
exchange has a total deadline (`DEADLINE`) and a size limit (`MAX_BODY`, error bodies
`MAX_ERROR_BODY`): a trickling or endless answer is one error line too.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from seatrial import yamlguard
from seatrial.errors import SourceError, UsageError
from seatrial.explain.evidence import ContainerState, EvidenceBuilder, text_lines

TIMEOUT = 10
DEADLINE = 60.0
MAX_BODY = 64 << 20
MAX_ERROR_BODY = 64 << 10
LOG_TAIL = 200


def _client(kubeconfig: str | None, context: str | None) -> tuple[Any, str]:
    try:
        from kubernetes import client, config
        from kubernetes.config.config_exception import ConfigException
    except ImportError:
        raise UsageError(
            "explain --live needs the kubernetes client: "
            "pip install 'seatrial[live]' (or pip install kubernetes)"
        ) from None

    cfg = client.Configuration()
    try:
        config.load_kube_config(  # type: ignore[no-untyped-call]
            config_file=kubeconfig, context=context, client_configuration=cfg, persist_config=False
        )
        contexts, active = config.list_kube_config_contexts(  # type: ignore[no-untyped-call]
            config_file=kubeconfig
        )
    except (ConfigException, OSError, TypeError, ValueError) as exc:
        raise SourceError(
            f"kubeconfig: {str(exc).splitlines()[0] if str(exc) else exc!r}"
        ) from None
    chosen = next((c for c in contexts if c.get("name") == context), active) if context else active
    namespace = str(((chosen or {}).get("context") or {}).get("namespace") or "default")
    cfg.retries = False  # one attempt: an unreachable cluster fails fast
    return client.ApiClient(cfg), namespace


class _Reader:
    """Raw GETs through the client's own connection pool, TLS and auth (so an exec plugin's
    token refreshes as usual), each one bounded: a deadline for the whole exchange (a
    server trickling bytes is cut) and a size limit on every body, errors included."""

    def __init__(self, api: Any, b: EvidenceBuilder) -> None:
        self.api = api
        self.pool = api.rest_client.pool_manager
        self.host = str(api.configuration.host)
        self.b = b

    def _headers(self) -> dict[str, str]:
        """The bearer token (refreshed by the client's hook when it expires); client
        certificates are in the pool itself."""
        headers = {"Accept": "application/json, */*", "User-Agent": "seatrial"}
        for setting in (self.api.configuration.auth_settings() or {}).values():
            if setting.get("in") == "header" and setting.get("value"):
                headers[str(setting["key"])] = str(setting["value"])
        return headers

    def _exchange(self, path: str, query: dict[str, str]) -> tuple[int, str, bytes, bool]:
        """(status, reason, body, cut) within DEADLINE; the work runs where it can be
        abandoned, since a socket read cannot be given a total deadline."""
        import urllib3

        box: dict[str, Any] = {}
        done = threading.Event()
        url = self.host.rstrip("/") + path
        headers = self._headers()

        def work() -> None:
            try:
                resp = self.pool.request(
                    "GET",
                    url,
                    fields=query,
                    headers=headers,
                    preload_content=False,
                    timeout=urllib3.Timeout(connect=TIMEOUT, read=TIMEOUT),
                    retries=False,
                )
                box["resp"] = resp
                limit = MAX_BODY if resp.status < 400 else MAX_ERROR_BODY
                chunks, total, cut = [], 0, False
                for chunk in resp.stream(1 << 16):
                    total += len(chunk)
                    if total > limit:
                        cut = True
                        break
                    chunks.append(chunk)
                resp.close()
                box["result"] = (resp.status, str(resp.reason or ""), b"".join(chunks), cut)
            except BaseException as exc:  # handed to the caller's thread
                box["error"] = exc
            finally:
                done.set()

        threading.Thread(target=work, daemon=True, name="seatrial-live").start()
        if not done.wait(DEADLINE):
            resp = box.get("resp")
            if resp is not None:
                with contextlib.suppress(Exception):
                    resp.shutdown()
            raise SourceError(
                f"the cluster at {self.host} sent no complete answer to GET "
                f"{path} within {DEADLINE:.0f}s"
            )
        if "error" in box:
            raise box["error"]
        result: tuple[int, str, bytes, bool] = box["result"]
        return result

    def call(
        self, label: str, path: str, query: dict[str, str] | None = None, *, optional: bool = False
    ) -> str | None:
        from urllib3.exceptions import HTTPError

        try:
            status, reason, body, cut = self._exchange(path, query or {})
        except (HTTPError, OSError) as exc:
            why = getattr(exc, "reason", None) or exc
            raise SourceError(
                f"cannot reach the cluster at {self.host}: "
                f"{str(why).splitlines()[0] if str(why) else type(exc).__name__}"
            ) from None
        if status >= 400:
            if optional:
                return None
            raise SourceError(f"the cluster at {self.host} refused to {label}: {status} {reason}")
        if cut:
            raise SourceError(
                f"the cluster at {self.host} answered GET {path} with more than "
                f"{MAX_BODY >> 20} MiB"
            )
        return body.decode("utf-8", "replace")

    def add_list(
        self,
        label: str,
        path: str,
        query: dict[str, str] | None = None,
        *,
        optional: bool = True,
        keep: Callable[[dict[str, Any]], bool] | None = None,
    ) -> list[dict[str, Any]]:
        text = self.call(label, path, query, optional=optional)
        if text is None:
            return []
        try:
            doc = yamlguard.json_loads(text)
        except yamlguard.TooDeep as exc:
            raise SourceError(f"the cluster at {self.host} answered {path} with {exc}") from None
        except json.JSONDecodeError:
            raise SourceError(f"the cluster at {self.host} answered {path} with non-JSON") from None
        if keep is not None and isinstance(doc, dict) and isinstance(doc.get("items"), list):
            doc["items"] = [i for i in doc["items"] if isinstance(i, dict) and keep(i)]
        self.b.add_document(doc, f"live:{path}", text)
        items = doc.get("items") if isinstance(doc, dict) else None
        return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def read_live(
    b: EvidenceBuilder,
    *,
    context: str | None,
    namespace: str | None,
    release: str | None,
    selector: str | None,
    kubeconfig: str | None,
) -> None:
    api, default_ns = _client(kubeconfig, context)
    ns = namespace or default_ns
    qns = quote(ns, safe="")
    r = _Reader(api, b)
    b.add_source(f"live:{r.host} (namespace {ns})")
    pods_path = f"/api/v1/namespaces/{qns}/pods"
    sel = selector
    if release and not sel:
        sel = f"app.kubernetes.io/instance={release}"
    pods = r.add_list(f"list pods in namespace {ns}", pods_path, _selector(sel), optional=False)
    if release and not selector and not pods:
        pods = r.add_list(
            f"list pods in namespace {ns}",
            pods_path,
            _selector(f"release={release}"),
            optional=False,
        )
    names = {str((p.get("metadata") or {}).get("name", "")) for p in pods}

    def about_selected(e: dict[str, Any]) -> bool:
        inv = e.get("involvedObject") or {}
        return inv.get("kind") != "Pod" or inv.get("name") in names

    r.add_list("list events", f"/api/v1/namespaces/{qns}/events", keep=about_selected)
    # With a selector, Jobs and claims are those of the selected pods (or selected themselves).
    owned = {
        str(o.get("name"))
        for p in pods
        for o in (p.get("metadata") or {}).get("ownerReferences") or []
    }
    claims = {
        str((v.get("persistentVolumeClaim") or {}).get("claimName"))
        for p in pods
        for v in (p.get("spec") or {}).get("volumes") or []
    }

    def related(o: dict[str, Any]) -> bool:
        md = o.get("metadata") or {}
        return not sel or md.get("name") in owned | claims or _selected(md, sel)

    for path in (
        f"/apis/apps/v1/namespaces/{qns}/replicasets",
        f"/apis/apps/v1/namespaces/{qns}/deployments",
        f"/apis/apps/v1/namespaces/{qns}/daemonsets",
        f"/apis/apps/v1/namespaces/{qns}/statefulsets",
        f"/apis/batch/v1/namespaces/{qns}/jobs",
        f"/apis/batch/v1/namespaces/{qns}/cronjobs",
        f"/api/v1/namespaces/{qns}/persistentvolumeclaims",
    ):
        r.add_list(f"list {path}", path, keep=related)
    r.add_list("list nodes", "/api/v1/nodes")
    helm_sel = "owner=helm" + (f",name={release}" if release else "")
    r.add_list(
        "list Helm release Secrets", f"/api/v1/namespaces/{qns}/secrets", _selector(helm_sel)
    )
    for p in pods:
        name = str((p.get("metadata") or {}).get("name", ""))
        ev_pod = b.pod(ns, name)
        for c in ev_pod.containers:
            if c.is_failing() or c.restart_count > 0:
                _read_logs(r, qns, name, c)


def _selector(sel: str | None) -> dict[str, str]:
    return {"labelSelector": sel} if sel else {}


def _read_logs(r: _Reader, qns: str, pod: str, c: ContainerState) -> None:
    path = f"/api/v1/namespaces/{qns}/pods/{quote(pod, safe='')}/log"
    for previous in (True, False) if c.restart_count > 0 else (False,):
        query = {"container": c.name, "tailLines": str(LOG_TAIL)}
        if previous:
            query["previous"] = "true"
        text = r.call("read logs", path, query, optional=True)
        if text:
            label = f"{path}?container={c.name}" + ("&previous=true" if previous else "")
            c.logs.extend(text_lines(text, f"live:{label}"))


def _selected(md: dict[str, Any], selector: str) -> bool:
    """Equality-based label selector match (`a=b,c=d`), enough for Helm instance labels."""
    labels = md.get("labels") or {}
    terms = [t.partition("=") for t in selector.split(",") if t]
    return all(op and labels.get(k.strip()) == v.strip().lstrip("=") for k, op, v in terms)
