"""From a field of a rendered object back to the line of the file the user edits.

Plain manifests: exact (the YAML parser's marks). Templates: the rendered line of the field
is matched back into the template source, first literally, then against the template line
with its `{{ ... }}` actions as wildcards, then by key alone; ties are broken by order of
occurrence. When no single line fits, the location says so rather than guess.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import yaml

from seatrial import yamlguard
from seatrial.errors import SourceError
from seatrial.findings import Location
from seatrial.objects.extract import get_field
from seatrial.objects.model import FieldPath, K8sObject
from seatrial.objects.parse import iter_documents
from seatrial.render.deps import ACTION_SPAN
from seatrial.source.load import KUSTOMIZE_SOURCES


def _parts(template_line: str) -> list[str] | None:
    """The literal text around the `{{ ... }}` actions of a template line (None for a line
    without actions, or with nothing literal to anchor on)."""
    stripped = template_line.strip()
    if "{{" not in stripped:
        return None
    parts = ACTION_SPAN.split(stripped)
    if not "".join(parts).strip(" -:\"'[]"):
        return None  # nothing literal to anchor on
    return parts


def _norm(line: str) -> str:
    return line.strip().rstrip(",")


def _occurrence(lines: list[str], idx: int, pred_line: str) -> int:
    """How many lines before `idx` in `lines` have the same text."""
    return sum(1 for ln in lines[:idx] if _norm(ln) == pred_line)


_KIND = re.compile(r"^kind:\s*(\S.*?)\s*$")
_DEFINE_OPEN = re.compile(r"\{\{-?\s*define\b")
_BLOCK_OPEN = re.compile(r"\{\{-?\s*(?:if|range|with|block)\b")
_BLOCK_END = re.compile(r"\{\{-?\s*end\b")


def _define_lines(text: str) -> frozenset[int]:
    """0-based lines inside `{{ define }}` blocks: where named templates live."""
    inside, depth, out = False, 0, set()
    for i, line in enumerate(text.splitlines()):
        if _DEFINE_OPEN.search(line):
            inside, depth = True, 0
            continue
        if inside:
            depth += len(_BLOCK_OPEN.findall(line))
            if _BLOCK_END.search(line):
                if depth == 0:
                    inside = False
                    continue
                depth -= len(_BLOCK_END.findall(line))
            out.add(i)
    return frozenset(out)


class _Template:
    """What `_match_in` needs of one template file, computed once per file text: its
    normalized lines, the line patterns (compiled once), the `kind:` of the document around
    each line, the lines inside `define` blocks, and the answers already given."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.norm = [_norm(t) for t in self.lines]
        self.by_norm: dict[str, list[int]] = {}
        for i, t in enumerate(self.norm):
            self.by_norm.setdefault(t, []).append(i)
        #: per line split so far: its literal parts, or None when it has no wildcard form
        self._parts: dict[int, list[str] | None] = {}
        section: str | None = None
        self.section: list[str | None] = []
        for t in self.lines:
            if m := _KIND.match(t):
                section = m.group(1)
            self.section.append(section)
        self.defines = _define_lines(text)
        self.answers: dict[tuple[str, int, str | None, bool], tuple[int | None, str]] = {}

    def fits(self, i: int, target: str) -> bool:
        """Whether line `i`, its actions as wildcards, could have rendered `target`."""
        if i not in self._parts:
            self._parts[i] = _parts(self.lines[i])
        parts = self._parts[i]
        return parts is not None and _fits(parts, target)


def _fits(parts: list[str], target: str) -> bool:
    """Whether `target` is `parts` joined by anything (each action renders to any text): the
    first part at the start, the last at the end, the others in order, each placed as early
    as it can be (which finds a placement whenever one exists)."""
    if len(parts) == 1:
        return target == parts[0]
    first, *middle, last = parts
    if not target.startswith(first):
        return False
    at = len(first)
    for part in middle:
        found = target.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return len(target) - len(last) >= at and target.endswith(last)


@lru_cache(maxsize=4096)
def _template(text: str) -> _Template:
    return _Template(text)


#: an action that prints one value as it is: `{{ .Values.a.b }}`, `{{- $.Values.a.b -}}`
_PLAIN_VALUE = re.compile(r"\{\{-?\s*\$?\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*-?\}\}")


class _Values:
    """The values a top chart's template line prints, as Helm prints them: the object's cell
    values over the chart's values.yaml (a null deletes a default; a value set nowhere prints
    as nothing). Only strings, booleans and integers are known; anything else prints as
    anything."""

    def __init__(self, cell: Mapping[str, Any], defaults: Mapping[str, Any]) -> None:
        self.cell, self.defaults = cell, defaults

    def printed(self, action: str) -> str | None:
        m = _PLAIN_VALUE.fullmatch(action)
        if m is None:
            return None
        path = m.group(1)[1:].split(".")
        for tree in (self.cell, self.defaults):
            cur: Any = tree
            for k in path:
                if not isinstance(cur, Mapping):
                    return None  # a value where the path goes on: Helm fails or prints it
                if k not in cur:
                    cur = _ABSENT
                    break
                cur = cur[k]
            if cur is _ABSENT:
                continue
            if cur is None:
                return ""  # Helm prints a missing value as nothing
            if isinstance(cur, bool):
                return "true" if cur else "false"
            if isinstance(cur, (str, int)):
                return str(cur)
            return None
        return ""


_ABSENT = object()


@lru_cache(maxsize=64)
def _defaults(text: str) -> Mapping[str, Any] | None:
    try:
        data = yamlguard.safe_load(text)
    except (yaml.YAMLError, SourceError):
        return None
    return data if isinstance(data, Mapping) else {} if data is None else None


def _values_for(obj: K8sObject, files: Mapping[str, str]) -> _Values | None:
    """What `obj`'s template lines print, for a top chart's template rendered with known
    values (a subchart's `.Values` is its own scope: not followed)."""
    if obj.values is None or not obj.source.startswith("templates/"):
        return None
    defaults = _defaults(files.get("values.yaml", ""))
    return _Values(obj.values, defaults) if defaults is not None else None


def _printed_parts(line: str, values: _Values) -> list[str]:
    """`_parts` of a template line with the values its plain `.Values` actions print put in:
    the literal texts around the actions still unknown. A `{{-`/`-}}` at either end of the
    line may join it to its neighbours: an unknown text there."""
    stripped = line.strip()
    parts = ["", ""] if stripped.startswith("{{-") else [""]
    pos, trim = 0, False
    for m in ACTION_SPAN.finditer(stripped):
        literal = stripped[pos : m.start()]
        action = m.group(0)
        if trim:
            literal = literal.lstrip()
        if action.startswith("{{-"):
            literal = literal.rstrip()
        parts[-1] += literal
        known = values.printed(action)
        if known is None:
            parts.append("")
        else:
            parts[-1] += known
        pos, trim = m.end(), action.endswith("-}}")
    rest = stripped[pos:]
    parts[-1] += rest.lstrip() if trim else rest
    if stripped.endswith("-}}"):
        parts.append("")
    return parts


def _printing(
    tmpl: _Template, candidates: list[int], target: str, values: _Values | None
) -> list[int]:
    """The candidates that still fit `target` once the values they print are known (a line
    inside a `define`, whose `.` may be anything, always does). Sound for any cell whose
    render gave the object: the line that rendered it prints what that cell's values hold."""
    if values is None or len(candidates) < 2:
        return candidates
    return [
        i
        for i in candidates
        if i in tmpl.defines or _fits(_printed_parts(tmpl.lines[i], values), target)
    ]


def _narrow(tmpl: _Template, candidates: list[int], kind: str | None) -> list[int]:
    """In a template of several documents, keep the candidates inside a document of the
    object's kind (or of a templated kind)."""
    if kind is None or len(candidates) < 2:
        return candidates
    kept = []
    for i in candidates:
        section = tmpl.section[i]
        if section is None or section == kind or "{{" in section:
            kept.append(i)
    return kept or candidates


def _match_in(
    template: str,
    rendered_line: str,
    occurrence: int,
    kind: str | None = None,
    in_defines: bool = False,
) -> tuple[int | None, str]:
    """(1-based line of `template` that rendered `rendered_line`, or None and why); with
    `in_defines`, only lines inside `define` blocks are candidates."""
    tmpl = _template(template)
    key = (rendered_line, occurrence, kind, in_defines)
    answer = tmpl.answers.get(key)
    if answer is None:
        answer = tmpl.answers[key] = _match(
            tmpl, _norm(rendered_line), occurrence, kind, tmpl.defines if in_defines else None
        )
    return answer


def _field_key(target: str) -> str:
    """The key a rendered line sets (`- name: x` -> `name`), or "" for a line without one."""
    return target.split(":", 1)[0].lstrip("- ").strip() if ":" in target else ""


def _match(
    tmpl: _Template, target: str, occurrence: int, kind: str | None, only: frozenset[int] | None
) -> tuple[int | None, str]:
    if not target:
        return None, "empty line"
    allowed = range(len(tmpl.lines)) if only is None else sorted(only)
    same = tmpl.by_norm.get(target, [])
    exact = _narrow(tmpl, same if only is None else [i for i in same if i in only], kind)
    if len(exact) == 1:
        return exact[0] + 1, ""
    if len(exact) > 1:
        return (exact[occurrence] + 1, "") if occurrence < len(exact) else (exact[0] + 1, "")
    fuzzy = []
    for i in allowed:
        if tmpl.fits(i, target):
            fuzzy.append(i)
    fuzzy = _narrow(tmpl, fuzzy, kind)
    if len(fuzzy) == 1:
        return fuzzy[0] + 1, ""
    key = _field_key(target)
    if key:
        keyed = _narrow(
            tmpl, [i for i in allowed if tmpl.norm[i].lstrip("- ").startswith(key + ":")], kind
        )
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
    sources = _kustomize_sources(files.get(obj.source, "")) if not obj.is_template else None
    if sources is not None:
        return kustomize_location(obj, path or (), sources)
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
    inside = _in_container(obj, path, files, template) if path and template else None
    if inside is not None:
        return inside
    if template is not None:
        found, note = _match_in(template, rendered, occ, obj.kind)
        if found:
            return Location(obj.source, found)
        if note.endswith("could have produced it"):
            tmpl = _template(template)
            target = _norm(rendered)
            fits = _narrow(
                tmpl, [i for i in range(len(tmpl.lines)) if tmpl.fits(i, target)], obj.kind
            )
            printing = _printing(tmpl, fits, target, _values_for(obj, files))
            if len(printing) == 1:
                return Location(obj.source, printing[0] + 1)
    else:
        note = "template source not available"
    # the line may come from a named template (`define`) of the same chart: only lines inside
    # define blocks are candidates, never another object's template body
    chart_dir = obj.source.rsplit("templates/", 1)[0]
    hits = []
    for name, text in files.items():
        if name.startswith(chart_dir + "templates/") and name.endswith((".tpl", ".yaml", ".yml")):
            if not _template(text).defines:
                continue
            at, _ = _match_in(text, rendered, 0, in_defines=True)
            if at:
                hits.append(Location(name, at))
    if len(hits) == 1:
        return hits[0]
    # a block passed through with toYaml: the line is the user's values.yaml entry
    values_file = chart_dir + "values.yaml"
    target = _norm(rendered)
    if values_file in files and sum(ch.isalnum() for ch in target) >= 3:
        same = _template(files[values_file]).by_norm.get(target, [])
        if len(same) == 1:
            return Location(values_file, same[0] + 1)
    return Location(obj.source, None, f"line not found: {note}")


_CONTAINER_LISTS = frozenset({"containers", "initContainers", "ephemeralContainers"})


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _in_container(
    obj: K8sObject, path: FieldPath, files: Mapping[str, str], template: str
) -> Location | None:
    """A field of a container, looked for only among the lines of that container's item in
    the template (from its `- name:` line to the next item): postgresql's `command:` in the
    diagnostic mode was placed on the TLS init container's `command:`, the first in the file,
    because the init container did not render. The line found there; when several lines of
    the item could have produced it, none (saying so); None (look as for any field) when the
    item's `- name:` line is not found or the field is not on one of its lines."""
    at = next((i for i, step in enumerate(path) if step in _CONTAINER_LISTS), None)
    if at is None or len(path) < at + 3 or not isinstance(path[at + 1], int):
        return None
    item = path[: at + 2]
    if path[at + 2] == "name" and len(path) == at + 3:
        return None
    named = locate(obj, (*item, "name"), files)
    if (
        named.file != obj.source  # a helper's line fits: the object's own may too
        or named.line is None  # several lines fit, or none: an item written in a helper
        or not _template(template).lines[named.line - 1].lstrip().startswith("- ")
    ):
        named = _item_named(obj, item, files, str(path[at]))
    # the item may be written in a named template of another file (fluent-bit's `_pod.tpl`)
    text = template if named.file == obj.source else files.get(named.file)
    if text is None or named.line is None:
        return None
    tmpl = _template(text)
    start = named.line - 1
    head = tmpl.lines[start]
    if not head.lstrip().startswith("- "):
        return None
    dash = _indent(head)
    end = len(tmpl.lines)
    for j in range(start + 1, len(tmpl.lines)):
        text = tmpl.lines[j]
        stripped = text.strip()
        if not stripped or stripped.startswith(("{{", "#")):
            continue
        indent = _indent(text)
        if indent < dash or (indent == dash and stripped.startswith("- ")):
            end = j
            break
    rlines = obj.text.splitlines()
    line = obj.line_of(path)
    first = obj.line_of(item)
    name_line = obj.line_of((*item, "name"))
    if line is None or first is None or name_line is None:
        return None
    rendered = rlines[line - 1]
    target = _norm(rendered)
    # a literal line of the template renders at its own indentation, shifted as the item's
    # `- name:` line is (`nindent` of an included template): a probe's `command:` is deeper
    # than the container's
    shift = _indent(rlines[name_line - 1]) - dash
    depth = _indent(rendered)
    span = [i for i in range(start, end) if _indent(tmpl.lines[i]) + shift == depth]
    exact = [i for i in span if tmpl.norm[i] == target]
    occ = sum(
        1 for ln in rlines[first - 1 : line - 1] if _norm(ln) == target and _indent(ln) == depth
    )
    if occ < len(exact):
        return Location(named.file, exact[occ] + 1)
    fits = [i for i in span if tmpl.fits(i, target)]
    key = _field_key(target)
    keyed = [i for i in span if key and tmpl.norm[i].lstrip("- ").startswith(key + ":")]
    found = _printing(tmpl, fits, target, _values_for(obj, files)) or fits or keyed
    if len(found) == 1:
        return Location(named.file, found[0] + 1)
    if found:
        return Location(
            named.file,
            None,
            f"{len(found)} lines of the container at line {named.line} could have produced it",
        )
    return None


def _item_named(obj: K8sObject, item: FieldPath, files: Mapping[str, str], lists: str) -> Location:
    """The `- name:` line of a container item when several lines could have rendered it,
    told apart by the list holding it: `- name: {{ . }}` under `imagePullSecrets:` and
    `- name: delete-{{ . }}` under `initContainers:` both fit `- name: delete-restore`.
    Looked for in the object's template, then in the named templates of its chart
    (fluent-bit's `- name: {{ .Chart.Name }}` under `containers:` in `_pod.tpl`)."""
    line = obj.line_of((*item, "name"))
    if line is None:
        return Location(obj.source, None)
    target = _norm(obj.text.splitlines()[line - 1])

    def under(tmpl: _Template, only: frozenset[int] | None, exact: bool) -> list[int]:
        return [
            i
            for i in (range(len(tmpl.lines)) if only is None else sorted(only))
            if (tmpl.norm[i] == target if exact else tmpl.fits(i, target))
            and _enclosing_key(tmpl, i) == lists
        ]

    chart_dir = obj.source.rsplit("templates/", 1)[0]
    helpers = [
        (name, _template(text))
        for name, text in files.items()
        if name != obj.source and name.startswith(chart_dir + "templates/")
    ]
    for exact in (True, False):  # a literal `- name: reloader` before `- name: {{ .x }}`
        own = under(_template(files[obj.source]), None, exact) if obj.source in files else []
        if own:
            return Location(obj.source, own[0] + 1 if len(own) == 1 else None)
        hits = [
            Location(name, i + 1)
            for name, tmpl in helpers
            if tmpl.defines
            for i in under(tmpl, tmpl.defines, exact)
        ]
        if hits:
            return hits[0] if len(hits) == 1 else Location(obj.source, None)
    return Location(obj.source, None)


def _enclosing_key(tmpl: _Template, i: int) -> str | None:
    """The key of the nearest line above `i` that is less indented (actions and comments
    skipped): `initContainers` for an item of that list."""
    indent = _indent(tmpl.lines[i])
    for j in range(i - 1, -1, -1):
        text = tmpl.lines[j]
        stripped = text.strip()
        if not stripped or stripped.startswith(("{{", "#")) or _indent(text) >= indent:
            continue
        return stripped.lstrip("- ").split(":", 1)[0].strip() if ":" in stripped else None
    return None


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
            for m in re.finditer(
                r"seatrial:ignore\s+([A-Za-z0-9,/_-]+)\s*(.*?)\s*(?:\*/|#|$)", lines[i]
            ):
                for cid in m.group(1).split(","):
                    out[normalize_ignore_key(cid)] = m.group(2).strip()
    return out


def normalize_ignore_key(text: str) -> str:
    """`st203/Manager` -> `ST203/Manager`: ids are case-insensitive, container names are not."""
    check_id, _, container = text.strip().partition("/")
    return check_id.upper() + (f"/{container}" if container else "")


def locate_text(
    obj: K8sObject, path: FieldPath, files: Mapping[str, str], text: str | None
) -> Location | None:
    """For an object of a kustomize build (None for any other): `locate`, or with `text` (a
    multi-line string at `path`, such as a script in a ConfigMap) the line where `text` starts
    in the source file: the line after its `|` key when the next line is the text's first, the
    key's own line for a one-line value (else the file with line None)."""
    sources = _kustomize_sources(files.get(obj.source, "")) if not obj.is_template else None
    if sources is None:
        return None
    loc = kustomize_location(obj, path, sources)
    if text is None or loc.line is None:
        return loc
    source_files = sources.get("files")
    body = source_files.get(loc.file) if isinstance(source_files, Mapping) else None
    lines = body.splitlines() if isinstance(body, str) else []
    here = lines[loc.line - 1].rstrip() if loc.line <= len(lines) else ""
    first = text.split("\n", 1)[0].strip()
    if (
        here.endswith(("|", "|-", "|+"))
        and loc.line < len(lines)
        and lines[loc.line].strip() == first
    ):
        return Location(loc.file, loc.line + 1)
    if here and "\n" not in text.rstrip("\n") and not here.endswith((">", ">-", ">+")):
        return loc
    return Location(loc.file, None)


# --- kustomize: from the built stream back to the resource or patch file ----------------------

#: list items are matched by these keys, as a strategic merge patch merges them
_MERGE_KEYS = ("name", "mountPath", "containerPort", "devicePath", "ip", "topologyKey", "key")


@lru_cache(maxsize=8)
def _kustomize_sources(stream: str) -> Mapping[str, Any] | None:
    """The record `source.load` appends to a kustomize stream, or None for other manifests."""
    marker = stream.rfind(f"\n{KUSTOMIZE_SOURCES}:")
    if marker < 0:
        return None
    try:
        data = yamlguard.safe_load(stream[marker:])
    except yaml.YAMLError:  # a broken record only loses the lines
        return None
    record = data.get(KUSTOMIZE_SOURCES) if isinstance(data, dict) else None
    return record if isinstance(record, dict) else None


@lru_cache(maxsize=64)
def _documents(text: str, name: str) -> tuple[tuple[int, Any, dict[FieldPath, int]], ...]:
    try:
        return tuple(iter_documents(text, name))
    except SourceError:
        return ()


def _map_path(rendered: Any, source: Any, path: FieldPath) -> tuple[FieldPath, bool]:
    """`path` of the rendered object, as a path in a source document (list items matched by
    their merge key), and whether all of it exists there."""
    out: list[str | int] = []
    for step in path:
        if isinstance(step, int):
            if (
                not isinstance(rendered, list)
                or not isinstance(source, list)
                or step >= len(rendered)
            ):
                return tuple(out), False
            item = rendered[step]
            key = next((k for k in _MERGE_KEYS if isinstance(item, dict) and k in item), None)
            if key is not None:
                j = next(
                    (
                        i
                        for i, s in enumerate(source)
                        if isinstance(s, dict) and s.get(key) == item[key]
                    ),
                    None,
                )
            else:
                j = step if step < len(source) else None
            if j is None:
                return tuple(out), False
            out.append(j)
            rendered, source = item, source[j]
        else:
            if not isinstance(rendered, dict) or not isinstance(source, dict) or step not in source:
                return tuple(out), False
            out.append(step)
            rendered, source = rendered.get(step), source[step]
    return tuple(out), True


def _line(lines: Mapping[FieldPath, int], path: FieldPath) -> int | None:
    p = tuple(path)
    while p:
        if p in lines:
            return lines[p]
        p = p[:-1]
    return None


def _patch_docs(
    file: str, text: str, kustomization: bool
) -> list[tuple[str, int, Any, dict[FieldPath, int], Any]]:
    """(file, first line, body, lines, target) of each patch a file holds: the file's
    documents, or the inline patches of a kustomization (their lines offset into it)."""
    docs = _documents(text, file)  # field lines count from the top of the file
    if not kustomization:
        return [(file, 0, body, lines, None) for _, body, lines in docs]
    out: list[tuple[str, int, Any, dict[FieldPath, int], Any]] = []
    for _, body, lines in docs:
        if not isinstance(body, dict):
            continue
        for section in ("patches", "patchesStrategicMerge", "patchesJson6902"):
            items = body.get(section)
            for i, item in enumerate(items if isinstance(items, list) else []):
                inline = item.get("patch") if isinstance(item, dict) else item
                target = item.get("target") if isinstance(item, dict) else None
                at = (
                    lines.get((section, i, "patch"))
                    if isinstance(item, dict)
                    else lines.get((section, i))
                )
                if not isinstance(inline, str) or "\n" not in inline.strip() or at is None:
                    continue
                for _, pbody, plines in _documents(inline, file):
                    out.append((file, at, pbody, plines, target))  # the block follows `at`
    return out


def _patch_files(kfile: str, text: str) -> list[tuple[str, Any]]:
    """(file, target) of each patch file a kustomization lists, in order."""
    folder = posixpath.dirname(kfile)
    out: list[tuple[str, Any]] = []
    for _, body, _ in _documents(text, kfile):
        for section in ("patches", "patchesStrategicMerge", "patchesJson6902"):
            items = body.get(section) if isinstance(body, dict) else None
            for item in items if isinstance(items, list) else []:
                file = item.get("path") if isinstance(item, dict) else item
                target = item.get("target") if isinstance(item, dict) else None
                if isinstance(file, str) and "\n" not in file:
                    out.append((posixpath.normpath(posixpath.join(folder, file)), target))
    return out


def _targets(obj: K8sObject, name: str, body: Any, target: Any) -> bool:
    if isinstance(target, dict):
        return target.get("kind", obj.kind) == obj.kind and target.get("name") in (
            None,
            name,
            obj.name,
        )
    md = body.get("metadata") if isinstance(body, dict) else None
    return (
        isinstance(body, dict)
        and body.get("kind") == obj.kind
        and isinstance(md, dict)
        and md.get("name") in (name, obj.name)
    )


def _from_patches(
    obj: K8sObject, path: FieldPath, entry: Mapping[str, Any], files: Mapping[str, str]
) -> Location | None:
    """The line of the last patch that sets `path` (strategic merge or JSON 6902)."""
    name = str(entry.get("name") or obj.name)
    pointer = "/" + "/".join(str(p) for p in path)
    found: Location | None = None
    for kfile in entry.get("kustomizations") or []:
        candidates = _patch_docs(kfile, files.get(kfile, ""), True)
        for f, target in _patch_files(kfile, files.get(kfile, "")):
            candidates += [
                (file, start, body, lines, target)
                for file, start, body, lines, _ in _patch_docs(f, files.get(f, ""), False)
            ]
        for file, start, body, lines, target in candidates:
            if isinstance(body, list):  # JSON 6902 operations
                if not isinstance(target, dict) or not _targets(obj, name, body, target):
                    continue
                for i, op in enumerate(body):
                    where = op.get("path") if isinstance(op, dict) else None
                    if isinstance(where, str) and (
                        pointer == where or pointer.startswith(where + "/")
                    ):
                        found = Location(file, start + lines.get((i, "path"), 0))
                continue
            if not _targets(obj, name, body, target):
                continue
            mapped, complete = _map_path(obj.body, body, path)
            if complete and mapped in lines:
                found = Location(file, start + lines[mapped])
    return found


def _from_images(
    obj: K8sObject, path: FieldPath, entry: Mapping[str, Any], files: Mapping[str, str]
) -> Location | None:
    """An `image` a kustomization's `images:` rewrote: the line of that entry's new value."""
    if not path or path[-1] != "image":
        return None
    image = str(get_field(obj.body, path) or "")
    repo = re.split(r"[@]|:(?=[^/]*$)", image, maxsplit=1)[0]
    for kfile in reversed(entry.get("kustomizations") or []):
        for _, body, lines in _documents(files.get(kfile, ""), kfile):
            items = body.get("images") if isinstance(body, dict) else None
            for i, item in enumerate(items if isinstance(items, list) else []):
                if isinstance(item, dict) and repo in (item.get("newName"), item.get("name")):
                    for key in ("digest", "newTag", "newName", "name"):
                        if ("images", i, key) in lines:
                            return Location(kfile, lines[("images", i, key)])
    return None


def kustomize_location(obj: K8sObject, path: FieldPath, sources: Mapping[str, Any]) -> Location:
    """The line of `path` in the file that set it: a patch, a kustomization's `images:`, or the
    resource file the object comes from."""
    objects = sources.get("objects")
    files = sources.get("files")
    entry = objects.get(obj.key) if isinstance(objects, dict) else None
    if not isinstance(entry, dict) or not isinstance(files, dict):
        return Location(obj.source, None, "line not found: no kustomize origin for the object")
    if path:
        hit = _from_patches(obj, path, entry, files) or _from_images(obj, path, entry, files)
        if hit is not None:
            return hit
    resource = entry.get("resource")
    if isinstance(resource, str) and isinstance(entry.get("doc"), int):
        docs = _documents(files.get(resource, ""), resource)
        if entry["doc"] < len(docs):
            _, body, lines = docs[entry["doc"]]
            mapped, _ = _map_path(obj.body, body, path)
            line = _line(lines, mapped) or _line(lines, ("metadata",)) or _line(lines, ("kind",))
            return Location(resource, line)
    generator = entry.get("generator")
    if isinstance(generator, str):
        return Location(generator, None, "line not found: generated by this kustomization")
    return Location(obj.source, None, "line not found: no kustomize origin for the object")
