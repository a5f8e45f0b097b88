"""Where a failing pod's controller is defined in a chart: the template line of its container
(or of the object), found by rendering the chart and matching the owner's kind and name (a
different release name prefix is allowed: `demo-installer` matches `release-name-installer`).
Used when no rule names a related check, so the diagnosis still points at the chart."""

from __future__ import annotations

from typing import Any

from seatrial.errors import SeatrialError
from seatrial.findings import Location, ObjectRef


def defined_at(
    chart: str, values: dict[str, Any] | None, owner: ObjectRef, container: str | None
) -> Location | None:
    from seatrial.explain.linkback import _name_score
    from seatrial.render.api import render_one
    from seatrial.render.locate import locate
    from seatrial.source.load import ChartSource, load_source

    try:
        objects = render_one(chart, values or None, None)
        src = load_source(chart)
    except SeatrialError:
        return None
    files = src.files if isinstance(src, ChartSource) else {}
    scored = sorted(
        ((_name_score(owner.name, w.name), w) for w in objects.workloads if w.kind == owner.kind),
        key=lambda sw: -sw[0],
    )
    if not scored or (scored[0][0] == 0 and len(scored) != 1):
        return None
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None  # ambiguous
    w = scored[0][1]
    c = next((c for c in w.pod.all_containers if c.name == container), None) if container else None
    loc = locate(w.obj, c.path if c is not None else None, files)
    if loc.file.startswith(chart.rstrip("/") + "/"):
        loc = Location(loc.file[len(chart.rstrip("/")) + 1 :], loc.line, loc.note)
    return loc
