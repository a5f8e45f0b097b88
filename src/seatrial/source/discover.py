"""What a command line of targets means: no target is `.`; a directory that is neither a chart
nor a kustomization but holds charts below it stands for those charts, as chart-testing's
`--chart-dirs` does: every directory with a `Chart.yaml` below it, without descending into a
chart found (its `charts/` subcharts belong to it) or into hidden directories (`.git`). A
directory with no chart below it stays one target (plain manifests)."""

from __future__ import annotations

import os
from pathlib import Path

from seatrial.source.pull import remote_kind

_KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
#: directories never searched for charts (vendored code, not the repository's charts)
_SKIP = {"node_modules", "vendor", "__pycache__"}


def charts_below(root: Path) -> list[Path]:
    """Chart directories below `root`, sorted, not descending into a chart found."""
    found: list[Path] = []
    for current, dirs, files in os.walk(root, followlinks=False):
        if "Chart.yaml" in files and Path(current) != root:
            found.append(Path(current))
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP)
    return sorted(found)


def expand_targets(targets: tuple[str, ...] | list[str]) -> list[str]:
    """The targets to check, in order, without duplicates."""
    out: list[str] = []
    for target in targets or (".",):
        path = Path(target)
        if (
            remote_kind(target) is None
            and path.is_dir()
            and not (
                (path / "Chart.yaml").is_file()
                or any((path / n).is_file() for n in _KUSTOMIZATION_NAMES)
            )
        ):
            below = charts_below(path)
            if below:
                out.extend(str(p) for p in below)
                continue
        out.append(target)
    return list(dict.fromkeys(out))


__all__ = ["charts_below", "expand_targets"]
