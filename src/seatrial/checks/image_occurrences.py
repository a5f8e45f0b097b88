"""Where each container's image appears across the matrix (for ST201, ST202, ST204).

One `Slot` per (object key, container name): the same container in every render, with the
image reference it has in each cell. Matrix-scope image checks group by slot so one finding
covers every cell and every tag the container takes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from seatrial.checks.registry import MatrixContext
from seatrial.facts.image import ImageFacts, ImageProblem
from seatrial.findings import Cell, Location
from seatrial.images.gather import nearest_tags
from seatrial.images.refs import InvalidReference, parse_reference
from seatrial.objects.extract import get_field
from seatrial.objects.model import Container, K8sObject
from seatrial.render.locate import locate


@dataclass
class Slot:
    obj: K8sObject  # from the first render that has it (for the template line)
    container: Container
    images: dict[Cell, str] = field(default_factory=dict)
    #: cells where the container says `imagePullPolicy: Never`: the image is preloaded on the
    #: nodes, and the registry's copy (if any) is not what runs
    preloaded: set[Cell] = field(default_factory=set)

    def cells_of(self, image: str) -> tuple[Cell, ...]:
        return tuple(sorted(c for c, i in self.images.items() if i == image))

    def distinct_images(self) -> list[str]:
        """Each image reference once, in cell order."""
        return list(dict.fromkeys(self.images[c] for c in sorted(self.images)))


def is_preloaded(obj: K8sObject, container: Container) -> bool:
    """`imagePullPolicy: Never`: the kubelet never pulls; the image must already be on the
    node (kind load, a node image, an air-gapped preload)."""
    return bool(get_field(obj.body, (*container.path, "imagePullPolicy")) == "Never")


def slots(ctx: MatrixContext) -> Iterator[Slot]:
    found: dict[tuple[str, str], Slot] = {}
    for render in ctx.renders:
        for w in render.objects.workloads:
            for c in w.pod.all_containers:
                if not c.image:
                    continue
                slot = found.setdefault((w.obj.key, c.name), Slot(w.obj, c))
                preloaded = is_preloaded(w.obj, c)
                for cell in render.cells:
                    slot.images[cell] = c.image
                    if preloaded:
                        slot.preloaded.add(cell)
    yield from found.values()


#: an image-level finding names at most this many of the other workloads that run the image
MAX_NAMED = 5


def also_run_by(
    first: tuple[K8sObject, Container],
    others: list[tuple[K8sObject, Container]],
    sources: Mapping[str, str],
) -> tuple[str, tuple[Location, ...]]:
    """For a finding about an image, reported once on `first`: the message suffix naming the
    other workloads that run it (" (also run by Deployment/a, Job/b)") and their `image:`
    lines other than the finding's own, for `see:`. Other containers of the first workload
    come first, by name (" (also run by its containers b, c; Deployment/a)")."""
    first_obj = first[0]
    own = list(dict.fromkeys(c.name for o, c in others if o.key == first_obj.key))
    named = list(dict.fromkeys(f"{o.kind}/{o.name}" for o, _ in others if o.key != first_obj.key))
    parts = []
    if own:
        more = f" and {len(own) - MAX_NAMED} more" if len(own) > MAX_NAMED else ""
        noun = "its container" if len(own) == 1 else "its containers"
        parts.append(f"{noun} {', '.join(own[:MAX_NAMED])}{more}")
    if named:
        more = f" and {len(named) - MAX_NAMED} more" if len(named) > MAX_NAMED else ""
        parts.append(f"{', '.join(named[:MAX_NAMED])}{more}")
    suffix = f" (also run by {'; '.join(parts)})" if parts else ""
    at = locate(first_obj, (*first[1].path, "image"), sources)
    related = tuple(
        loc
        for loc in dict.fromkeys(locate(o, (*c.path, "image"), sources) for o, c in others)
        if loc != at
    )
    return suffix, related


def tag_of(ref: str) -> str:
    """The tag (or digest) of a reference, or the reference itself when it does not parse."""
    try:
        parsed = parse_reference(ref)
    except InvalidReference:
        return ref
    return parsed.tag or parsed.digest or ref


def suggested_tag(slot: Slot, images: Mapping[str, Any]) -> str | None:
    """The one published tag ST201 and ST202 both suggest for a container: among the tags the
    registry listed as nearest to each missing tag and the tags the container has in other
    cells, the nearest by version to the newest missing tag, in its form (`v1.31.0` for a
    wanted `v1.33.0`): the closest lower one, else the closest higher one. Without a missing
    tag, the newest published one."""
    refs = slot.distinct_images()
    wanted = [
        tag_of(r)
        for r in refs
        if isinstance(p := images.get(r), ImageProblem) and p.kind == "not-found"
    ]
    published = {tag_of(r) for r in refs if isinstance(images.get(r), ImageFacts)}
    candidates = published | {
        t for r in refs if isinstance(p := images.get(r), ImageProblem) for t in p.nearest_tags
    }
    if not candidates:
        return None
    if not wanted:
        return max(candidates, key=version_key)
    target = max(wanted, key=version_key)
    near = nearest_tags(target, sorted(candidates))
    return near[0] if near else None


def version_key(tag: str) -> tuple[tuple[int, ...], str]:
    """Orders tags by the numbers in them (`v1.9` before `v1.10`)."""
    digits = "".join(ch if ch.isdigit() else " " for ch in tag).split()
    return tuple(int(d) for d in digits[:4]), tag


def kube_label(cells: tuple[Cell, ...]) -> str:
    """ "Kubernetes 1.32, 1.33" (plus mode names when the cells differ in more than that)."""
    names = sorted({c.name for c in cells})
    versions = ", ".join(dict.fromkeys(c.kube_version for c in sorted(cells, key=_ver)))
    label = f"Kubernetes {versions}"
    return label if names == ["defaults"] else f"{label} ({', '.join(names)})"


def _ver(cell: Cell) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in cell.kube_version.lstrip("v").split("."))
    except ValueError:
        return (0,)
