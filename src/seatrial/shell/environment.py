"""What a container's environment provides, as far as the rendered objects and the image say:
`env`, `envFrom` (ConfigMaps and Secrets of the same render), the image config Env, and what
Kubernetes injects (the API server address and the service links of rendered Services)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from seatrial.facts.image import ImageFacts, ImageResult
from seatrial.objects.extract import ObjectSet
from seatrial.objects.kubelet import env_from_source
from seatrial.objects.model import Container, Workload

KUBERNETES_VARIABLES = frozenset(
    {
        "KUBERNETES_SERVICE_HOST",
        "KUBERNETES_SERVICE_PORT",
        "KUBERNETES_SERVICE_PORT_HTTPS",
        "KUBERNETES_PORT",
        "KUBERNETES_PORT_443_TCP",
        "KUBERNETES_PORT_443_TCP_PROTO",
        "KUBERNETES_PORT_443_TCP_PORT",
        "KUBERNETES_PORT_443_TCP_ADDR",
        "HOSTNAME",
        "HOME",
        "PATH",
    }
)


@dataclass(frozen=True)
class Provided:
    names: frozenset[str]
    #: envFrom sources that are not rendered here ("ConfigMap app-env"), which may set anything
    unresolved: tuple[str, ...] = ()
    #: why the image Env is unknown ("" when it was read)
    image_unknown: str = ""


def service_variables(objects: ObjectSet, namespace: str) -> frozenset[str]:
    """The `{SVC}_SERVICE_HOST`-style variables of the rendered Services in `namespace`."""
    out: set[str] = set()
    for svc in objects.of_kind(["Service"]):
        if svc.namespace != namespace:
            continue
        base = svc.name.upper().replace("-", "_").replace(".", "_")
        out |= {f"{base}_SERVICE_HOST", f"{base}_SERVICE_PORT", f"{base}_PORT"}
        spec = svc.body.get("spec")
        ports = spec.get("ports") if isinstance(spec, Mapping) else None
        for port in ports if isinstance(ports, list) else []:
            if not isinstance(port, Mapping):
                continue
            if port.get("name"):
                out.add(f"{base}_SERVICE_PORT_{str(port['name']).upper().replace('-', '_')}")
            number, proto = port.get("port"), str(port.get("protocol") or "TCP").upper()
            prefix = f"{base}_PORT_{number}_{proto}"
            out |= {prefix, f"{prefix}_PROTO", f"{prefix}_PORT", f"{prefix}_ADDR"}
    return frozenset(out)


def _service_links(workload: Workload) -> bool:
    body: Any = workload.obj.body
    for key in workload.pod.path:
        body = body.get(key) if isinstance(body, Mapping) else None
    return not (isinstance(body, Mapping) and body.get("enableServiceLinks") is False)


def provided_env(
    container: Container, workload: Workload, objects: ObjectSet, image: ImageResult | None
) -> Provided:
    names = set(container.env_names()) | KUBERNETES_VARIABLES
    unresolved: list[str] = []
    for ef in container.env_from:
        config = objects.config(ef.kind, ef.name)
        if config is None:
            unresolved.append(f"{ef.kind} {ef.name}")
            continue
        names |= set(env_from_source(ef, config.data))
    image_unknown = ""
    if isinstance(image, ImageFacts):
        names |= {item.split("=", 1)[0] for item in image.env}
    elif image is None:
        image_unknown = f"image {container.image} was not inspected"
    else:
        image_unknown = f"image {container.image} is unavailable"
    if _service_links(workload):
        names |= service_variables(objects, workload.obj.namespace)
    return Provided(frozenset(names), tuple(unresolved), image_unknown)
