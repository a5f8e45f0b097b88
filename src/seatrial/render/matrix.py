"""The matrix: cells (mode x Kubernetes version), rendered once each, grouped by identical output.

A covering set, not the full product: the defaults cell, each chart-testing `ci/*-values.yaml`,
and one cell per discovered toggle value, each at every selected Kubernetes version.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from seatrial import yamlguard
from seatrial.errors import RenderError, SourceError, UsageError
from seatrial.findings import Cell, Location
from seatrial.objects.model import K8sObject
from seatrial.objects.parse import parse_objects
from seatrial.render.helm import Engine, RenderRequest, TemplateError, make_engine
from seatrial.render.kube import KubeVersion, api_versions_for, select_versions
from seatrial.render.modes import Toggle, discover, set_path
from seatrial.source.load import ChartSource, ManifestSource, Source

DEFAULTS = "defaults"


@dataclass(frozen=True)
class MatrixOptions:
    kube_versions: list[KubeVersion] | None = None
    value_files: tuple[str, ...] = ()
    set_values: tuple[str, ...] = ()
    helm_bin: str | None = None
    offline: bool = False
    discover_modes: bool = True
    upgrades: bool = True
    workers: int = 2


@dataclass(frozen=True)
class MissingDep:
    name: str
    version: str
    repository: str
    reason: str
    line: int | None


@dataclass
class Plan:
    cells: list[Cell]
    values: dict[Cell, dict[str, Any]]
    versions: dict[str, KubeVersion]
    excluded: list[KubeVersion]
    toggles: list[Toggle]
    base_values: dict[str, Any] = field(default_factory=dict)

    @property
    def mode_keys(self) -> frozenset[str]:
        return frozenset(t.key for t in self.toggles)


@dataclass(frozen=True)
class DistinctRender:
    cells: tuple[Cell, ...]
    objects: tuple[K8sObject, ...]
    upgrade: tuple[K8sObject, ...] | None


@dataclass(frozen=True)
class CellFailure:
    cell: Cell
    message: str
    source: Location | None


@dataclass
class RenderedMatrix:
    source: Source
    plan: Plan
    renders: list[DistinctRender]
    failures: list[CellFailure]
    missing: list[MissingDep]
    engine: str
    files: Mapping[str, str]


def deep_merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = deep_merge(dict(out[k]), v)
        else:
            out[k] = v
    return out


def _load_values_file(path: str, where: str | None = None) -> dict[str, Any]:
    try:
        data = yamlguard.safe_load(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise SourceError(f"{where or path}: values file is not UTF-8 text") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read values file: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise SourceError(f"{where or path}{line}: invalid YAML in values file") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SourceError(f"{where or path}: a values file must be a YAML mapping")
    return data


def base_values(opts: MatrixOptions) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in opts.value_files:
        values = deep_merge(values, _load_values_file(f))
    if opts.set_values:
        import helm_python
        from helm_python.errors import HelmError

        for s in opts.set_values:
            try:
                values = deep_merge(values, helm_python.parse_set_string(s))
            except HelmError as exc:
                raise UsageError(f"--set {s}: {exc}") from None
    return values


def _flat(values: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for k, v in sorted(values.items()):
        key = f"{prefix}{k}"
        if isinstance(v, Mapping) and v:
            out.extend(_flat(v, key + "."))
        else:
            out.append((key, v if not isinstance(v, list | dict) else str(v)))
    return out


def plan_matrix(source: Source, opts: MatrixOptions) -> Plan:
    constraint = source.kube_version_constraint if isinstance(source, ChartSource) else None
    versions, excluded = select_versions(constraint, opts.kube_versions)
    if not versions:
        raise UsageError(
            f"no Kubernetes version satisfies the chart's kubeVersion {constraint!r}"
            + (f" among {', '.join(v.label for v in excluded)}" if excluded else ""))
    base = base_values(opts)
    modes: list[tuple[str, tuple[tuple[str, Any], ...], dict[str, Any]]] = [(DEFAULTS, (), base)]
    toggles: list[Toggle] = []
    if isinstance(source, ChartSource):
        for ci in source.ci_values():
            ci_values = _load_values_file(str(source.path / ci), ci) if not source.is_archive \
                else (yamlguard.safe_load(source.files[ci]) or {})
            modes.append((ci, (("values_file", ci),), deep_merge(base, ci_values)))
        if opts.discover_modes:
            toggles = discover(source)
            for t in toggles:
                for v in t.values:
                    modes.append((f"{t.key}={_show(v)}", ((t.key, v),), set_path(base, t.key, v)))
    cells: list[Cell] = []
    values: dict[Cell, dict[str, Any]] = {}
    by_label: dict[str, KubeVersion] = {}
    for name, overrides, vals in modes:
        for kv in versions:
            cell = Cell(kv.label, tuple((k, _hashable(v)) for k, v in overrides), name)
            cells.append(cell)
            values[cell] = vals
            by_label[kv.label] = kv
    return Plan(cells, values, by_label, excluded, toggles, base)


def _show(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return str(v).lower()
    return str(v)


def _hashable(v: Any) -> Any:
    if isinstance(v, dict | list):
        return str(v)
    return v


def _digest(rendered: Mapping[str, str]) -> str:
    h = hashlib.sha256()
    for k in sorted(rendered):
        h.update(k.encode())
        h.update(b"\0")
        h.update(rendered[k].encode())
        h.update(b"\0")
    return h.hexdigest()


def _chart_relative(key: str, chart_name: str) -> str:
    prefix = chart_name + "/"
    return key[len(prefix):] if key.startswith(prefix) else key


def _objects(rendered: Mapping[str, str], chart_name: str,
             memo: dict[tuple[str, str], list[K8sObject]] | None = None) -> list[K8sObject]:
    """Parse every rendered template. Most templates render the same text in most cells (and
    in the upgrade render), so parses are memoized per run by (template, text); the objects
    are read-only, sharing them is safe."""
    objs: list[K8sObject] = []
    for key in sorted(rendered):
        rel = _chart_relative(key, chart_name)
        if not rel.endswith((".yaml", ".yml", ".json")) or rel.endswith("NOTES.txt"):
            continue
        text = rendered[key]
        if memo is None:
            objs.extend(parse_objects(text, rel, is_template=True))
            continue
        parsed = memo.get((rel, text))
        if parsed is None:
            parsed = memo[(rel, text)] = parse_objects(text, rel, is_template=True)
        objs.extend(parsed)
    return objs


def missing_dependencies(chart: ChartSource) -> list[MissingDep]:
    """Dependencies declared in Chart.yaml that are not in charts/."""
    present: set[str] = set()
    for rel in chart.files:
        parts = rel.split("/")
        if len(parts) >= 3 and parts[0] == "charts" and parts[2] == "Chart.yaml":
            present.add(parts[1])
    if not chart.is_archive:
        for tgz in (chart.path / "charts").glob("*.tgz"):
            present.add(tgz.name.rsplit("-", 1)[0])
    out = []
    for dep in chart.metadata.get("dependencies") or []:
        if not isinstance(dep, Mapping) or not dep.get("name"):
            continue
        name = str(dep["name"])
        if name in present or str(dep.get("alias") or "") in present:
            continue
        out.append(MissingDep(name, str(dep.get("version") or ""),
                              str(dep.get("repository") or ""), "not in charts/",
                              chart.line_of_dependency(name)))
    return out


def _loopback(repository: str) -> bool:
    host = repository.removeprefix("oci://").split("/", 1)[0].rsplit(":", 1)[0]
    return host in ("127.0.0.1", "localhost", "[::1]")


def _fetch_dependencies(chart: ChartSource, missing: list[MissingDep]) -> Path | None:
    """Try `helm dependency build` (with a Chart.lock) or `update` on a scratch copy; None
    when they cannot be fetched. Loopback registries are spoken to over plain HTTP, as Docker
    and Helm do for local registries."""
    import helm_python
    from helm_python.errors import HelmError

    plain_http = all(_loopback(m.repository) for m in missing)
    tmp = Path(tempfile.mkdtemp(prefix="seatrial-deps-"))
    copy = tmp / chart.name
    try:
        shutil.copytree(chart.helm_path, copy, symlinks=True)
        if (copy / "Chart.lock").is_file():
            helm_python.dependency_build(str(copy), plain_http=plain_http)
        else:
            helm_python.dependency_update(str(copy), plain_http=plain_http)
    except (HelmError, OSError):
        shutil.rmtree(tmp, ignore_errors=True)
        return None
    return copy


def _without_dependencies(chart: ChartSource, names: set[str]) -> Path:
    """A scratch copy whose Chart.yaml omits `names`: the helm CLI refuses to render a chart
    with missing dependencies, the SDK renders without them; both then render the same."""
    tmp = Path(tempfile.mkdtemp(prefix="seatrial-nodeps-"))
    copy = tmp / chart.name
    shutil.copytree(chart.helm_path, copy, symlinks=True)
    meta = dict(chart.metadata)
    meta["dependencies"] = [d for d in meta.get("dependencies") or []
                            if not (isinstance(d, Mapping) and d.get("name") in names)]
    (copy / "Chart.yaml").write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
    return copy


def render_matrix(source: Source, opts: MatrixOptions) -> RenderedMatrix:
    plan = plan_matrix(source, opts)
    if isinstance(source, ManifestSource):
        return _manifest_matrix(source, plan)
    missing = missing_dependencies(source)
    chart_path = source.helm_path
    if missing and not source.is_archive and not opts.offline:
        fetched = _fetch_dependencies(source, missing)
        if fetched is not None:
            chart_path, missing = fetched, []
    missing = [MissingDep(m.name, m.version, m.repository,
                          "offline" if opts.offline else "could not be fetched", m.line)
               for m in missing]
    if missing and opts.helm_bin and not source.is_archive and chart_path == source.helm_path:
        chart_path = _without_dependencies(source, {m.name for m in missing})
    engine = make_engine(chart_path, opts.helm_bin)
    try:
        return _render_chart(source, plan, engine, opts, missing)
    finally:
        engine.close()
        if chart_path != source.helm_path:
            shutil.rmtree(chart_path.parent, ignore_errors=True)


def _render_chart(chart: ChartSource, plan: Plan, engine: Engine, opts: MatrixOptions,
                  missing: list[MissingDep]) -> RenderedMatrix:
    def req(cell: Cell, upgrade: bool) -> RenderRequest:
        kv = plan.versions[cell.kube_version]
        return RenderRequest(plan.values[cell], kv.helm, tuple(api_versions_for(kv)), upgrade)

    def one(cell: Cell) -> tuple[Cell, dict[str, str] | str]:
        try:
            return cell, engine.render(req(cell, False))
        except TemplateError as exc:
            return cell, str(exc)

    with ThreadPoolExecutor(max_workers=max(1, opts.workers)) as pool:
        results = list(pool.map(one, plan.cells))

    failures: list[CellFailure] = []
    groups: dict[str, tuple[list[Cell], dict[str, str]]] = {}
    for cell, out in results:
        if isinstance(out, str):
            failures.append(CellFailure(cell, out, _failure_location(out, chart.name)))
            continue
        groups.setdefault(_digest(out), ([], out))[0].append(cell)

    renders: list[DistinctRender] = []
    memo: dict[tuple[str, str], list[K8sObject]] = {}
    for cells, out in groups.values():
        try:
            objs = _objects(out, chart.name, memo)
        except SourceError as exc:
            failures.extend(CellFailure(c, f"rendered YAML does not parse: {exc}", None)
                            for c in cells)
            continue
        upgrade = None
        if opts.upgrades:
            try:
                upgrade = tuple(_objects(engine.render(req(cells[0], True)), chart.name, memo))
            except (TemplateError, SourceError):
                upgrade = None
        renders.append(DistinctRender(tuple(cells), tuple(objs), upgrade))
    return RenderedMatrix(chart, plan, renders, failures, missing, engine.name, chart.files)


def _failure_location(message: str, chart_name: str) -> Location | None:
    """Helm errors name `template: chart/templates/x.yaml:12:3: ...`."""
    import re

    m = re.search(r"(?:template: |parse error at \()?" + re.escape(chart_name)
                  + r"/([^\s:()]+):(\d+)", message)
    if not m:
        return None
    return Location(m.group(1), int(m.group(2)))


def _manifest_matrix(source: ManifestSource, plan: Plan) -> RenderedMatrix:
    objs: list[K8sObject] = []
    for path, text in source.documents:
        objs.extend(parse_objects(text, path, is_template=False))
    if not objs:
        raise RenderError(f"{source.path}: no Kubernetes objects found")
    cells = tuple(c for c in plan.cells if c.name == DEFAULTS)
    render = DistinctRender(cells, tuple(objs), None)
    return RenderedMatrix(source, plan, [render], [], [], "manifests",
                          dict(source.documents))
