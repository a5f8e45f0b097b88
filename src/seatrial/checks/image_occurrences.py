"""Where each container's image appears across the matrix (for ST201, ST202, ST204).

One `Slot` per (object key, container name): the same container in every render, with the
image reference it has in each cell. Matrix-scope image checks group by slot so one finding
covers every cell and every tag the container takes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from seatrial.checks.registry import MatrixContext
from seatrial.findings import Cell
from seatrial.objects.model import Container, K8sObject


@dataclass
class Slot:
    obj: K8sObject  # from the first render that has it (for the template line)
    container: Container
    images: dict[Cell, str] = field(default_factory=dict)

    def cells_of(self, image: str) -> tuple[Cell, ...]:
        return tuple(sorted(c for c, i in self.images.items() if i == image))

    def distinct_images(self) -> list[str]:
        """Each image reference once, in cell order."""
        return list(dict.fromkeys(self.images[c] for c in sorted(self.images)))


def slots(ctx: MatrixContext) -> Iterator[Slot]:
    found: dict[tuple[str, str], Slot] = {}
    for render in ctx.renders:
        for w in render.objects.workloads:
            for c in w.pod.all_containers:
                if not c.image:
                    continue
                slot = found.setdefault((w.obj.key, c.name), Slot(w.obj, c))
                for cell in render.cells:
                    slot.images[cell] = c.image
    yield from found.values()


def kube_label(cells: tuple[Cell, ...]) -> str:
    """"Kubernetes 1.32, 1.33" (plus mode names when the cells differ in more than that)."""
    names = sorted({c.name for c in cells})
    versions = ", ".join(dict.fromkeys(c.kube_version for c in sorted(cells, key=_ver)))
    label = f"Kubernetes {versions}"
    return label if names == ["defaults"] else f"{label} ({', '.join(names)})"


def _ver(cell: Cell) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in cell.kube_version.lstrip("v").split("."))
    except ValueError:
        return (0,)
