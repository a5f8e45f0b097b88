"""From a field of a rendered object back to the line of the file the user edits.

Plain manifests: exact (the YAML parser's marks). Templates: the rendered line of the field
is matched back into the template source, first literally, then against the template line
with its `{{ ... }}` actions as wildcards, then by key alone; ties are broken by order of
occurrence. When no single line fits, the location says so rather than guess.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from seatrial.findings import Location
from seatrial.objects.model import FieldPath, K8sObject

_ACTION = re.compile(r"\{\{.*?\}\}")


@lru_cache(maxsize=4096)
def _pattern(template_line: str) -> re.Pattern[str] | None:
    stripped = template_line.strip()
    if "{{" not in stripped:
        return None
    parts = _ACTION.split(stripped)
    if not "".join(parts).strip(" -:\"'[]"):
        return None  # nothing literal to anchor on
    return re.compile(".*?".join(re.escape(p) for p in parts) + r"\Z", re.S)


def _norm(line: str) -> str:
    return line.strip().rstrip(",")


def _occurrence(lines: list[str], idx: int, pred_line: str) -> int:
    """How many lines before `idx` in `lines` have the same text."""
    return sum(1 for ln in lines[:idx] if _norm(ln) == pred_line)


_KIND = re.compile(r"^kind:\s*(\S.*?)\s*$")


def _narrow(tlines: list[str], candidates: list[int], kind: str | None) -> list[int]:
    """In a template of several documents, keep the candidates inside a document of the
    object's kind (or of a templated kind)."""
    if kind is None or len(candidates) < 2:
        return candidates
    kept = []
    for i in candidates:
        section = next((m.group(1) for t in reversed(tlines[:i + 1]) if (m := _KIND.match(t))),
                       None)
        if section is None or section == kind or "{{" in section:
            kept.append(i)
    return kept or candidates


def _define_lines(text: str) -> set[int]:
    """0-based lines inside `{{ define }}` blocks: where named templates live."""
    inside, depth, out = False, 0, set()
    for i, line in enumerate(text.splitlines()):
        if re.search(r"\{\{-?\s*define\b", line):
            inside, depth = True, 0
            continue
        if inside:
            depth += len(re.findall(r"\{\{-?\s*(?:if|range|with|block)\b", line))
            if re.search(r"\{\{-?\s*end\b", line):
                if depth == 0:
                    inside = False
                    continue
                depth -= len(re.findall(r"\{\{-?\s*end\b", line))
            out.add(i)
    return out


def _match_in(template: str, rendered_line: str, occurrence: int, kind: str | None = None,
              only: set[int] | None = None) -> tuple[int | None, str]:
    tlines = template.splitlines()
    target = _norm(rendered_line)
    if not target:
        return None, "empty line"
    allowed = range(len(tlines)) if only is None else sorted(only)
    exact = _narrow(tlines, [i for i in allowed if _norm(tlines[i]) == target], kind)
    if len(exact) == 1:
        return exact[0] + 1, ""
    if len(exact) > 1:
        return (exact[occurrence] + 1, "") if occurrence < len(exact) else (exact[0] + 1, "")
    fuzzy = []
    for i in allowed:
        pat = _pattern(tlines[i])
        if pat is not None and pat.match(target):
            fuzzy.append(i)
    fuzzy = _narrow(tlines, fuzzy, kind)
    if len(fuzzy) == 1:
        return fuzzy[0] + 1, ""
    key = target.split(":", 1)[0].lstrip("- ").strip() if ":" in target else ""
    if key:
        keyed = _narrow(tlines, [i for i in allowed
                                 if _norm(tlines[i]).lstrip("- ").startswith(key + ":")], kind)
        if len(keyed) == 1:
            return keyed[0] + 1, ""
        if fuzzy:
            return None, f"{len(fuzzy)} template lines could have produced it"
        if keyed:
            return None, f"{len(keyed)} template lines set `{key}`"
    return None, "produced by a template expression (e.g. toYaml of values)"


def locate(obj: K8sObject, path: FieldPath | None, files: Mapping[str, str]) -> Location:
    """The file and line of `path` in `obj`'s source."""
    line = obj.line_of(path) if path else None
    if not obj.is_template:
        if line is None:
            line = obj.line_of(("metadata",)) or obj.line_of(("kind",))
        return Location(obj.source, obj.doc_line + line if line else None)
    if line is None:
        return Location(obj.source, None, "field not in the rendered object")
    rlines = obj.text.splitlines()
    if line > len(rlines):
        return Location(obj.source, None, "rendered line out of range")
    rendered = rlines[line - 1]
    occ = _occurrence(rlines, line - 1, _norm(rendered))
    template = files.get(obj.source)
    if template is not None:
        found, note = _match_in(template, rendered, occ, obj.kind)
        if found:
            return Location(obj.source, found)
    else:
        note = "template source not available"
    # the line may come from a named template (`define`) of the same chart: only lines inside
    # define blocks are candidates, never another object's template body
    chart_dir = obj.source.rsplit("templates/", 1)[0]
    hits = []
    for name, text in files.items():
        if name.startswith(chart_dir + "templates/") and name.endswith((".tpl", ".yaml", ".yml")):
            defines = _define_lines(text)
            if not defines:
                continue
            at, _ = _match_in(text, rendered, 0, only=defines)
            if at:
                hits.append(Location(name, at))
    if len(hits) == 1:
        return hits[0]
    # a block passed through with toYaml: the line is the user's values.yaml entry
    values_file = chart_dir + "values.yaml"
    target = _norm(rendered)
    if values_file in files and sum(ch.isalnum() for ch in target) >= 3:
        same = [i for i, t in enumerate(files[values_file].splitlines()) if _norm(t) == target]
        if len(same) == 1:
            return Location(values_file, same[0] + 1)
    return Location(obj.source, None, f"line not found: {note}")


def suppressions_near(files: Mapping[str, str], loc: Location) -> dict[str, str]:
    """`{{/* seatrial:ignore ST203 reason */}}` on or just above a template line:
    check id (optionally id/container) -> reason."""
    text = files.get(loc.file)
    if text is None or not loc.line:
        return {}
    lines = text.splitlines()
    out: dict[str, str] = {}
    for i in (loc.line - 1, loc.line - 2):
        if 0 <= i < len(lines):
            for m in re.finditer(r"seatrial:ignore\s+([A-Za-z0-9,/_-]+)\s*(.*?)\s*(?:\*/|#|$)",
                                 lines[i]):
                for cid in m.group(1).split(","):
                    out[normalize_ignore_key(cid)] = m.group(2).strip()
    return out


def normalize_ignore_key(text: str) -> str:
    """`st203/Manager` -> `ST203/Manager`: ids are case-insensitive, container names are not."""
    check_id, _, container = text.strip().partition("/")
    return check_id.upper() + (f"/{container}" if container else "")
