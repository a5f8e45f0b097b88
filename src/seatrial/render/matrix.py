"""The matrix: cells (mode x Kubernetes version), rendered once each, grouped by identical output.

A covering set, not the full product: the defaults cell, each chart-testing `ci/*-values.yaml`,
and one cell per discovered toggle value, each at every selected Kubernetes version.

With the embedded engine a cell renders only what can differ from its version's defaults cell
(see `_Partial` and render/deps.py). Outputs are grouped as they arrive, one copy kept per
distinct render; output that differs between two renders of one cell (random passwords,
generated certificates) is masked in the grouping key only.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import CancelledError, Future, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from seatrial import progress, yamlguard
from seatrial.errors import RenderError, SourceError, UsageError
from seatrial.findings import Cell, Location
from seatrial.objects.model import K8sObject
from seatrial.objects.parse import is_manifest_template, parse_objects
from seatrial.render.capabilities import VersionUse, probe_chart, version_use
from seatrial.render.deps import (
    Analysis,
    Masks,
    Switched,
    Trimmer,
    ValuePath,
    analyze,
    changed_paths,
    disabled_subcharts,
)
from seatrial.render.helm import (
    NAMESPACE,
    RELEASE_NAME,
    Engine,
    RenderRequest,
    RenderTimeout,
    TemplateError,
    make_engine,
)
from seatrial.render.kube import KubeVersion, api_versions_for, select_versions
from seatrial.render.modepairs import kind_switches, without
from seatrial.render.modes import (
    MAX_TOGGLE_VALUES,
    Toggle,
    discover_all,
    get_path,
    seed_required,
    set_path,
)
from seatrial.render.pool import content_key
from seatrial.render.values import _load_values_file, deep_merge, layer_values
from seatrial.source.load import ChartSource, ManifestSource, Source
from seatrial.source.pull import is_loopback, mirror_url

DEFAULTS = "defaults"


@dataclass(frozen=True)
class MatrixOptions:
    kube_versions: list[KubeVersion] | None = None
    value_files: tuple[str, ...] = ()
    set_values: tuple[str, ...] = ()
    #: --set-string, --set-json, --set-file (see render/values.py for the order)
    set_string: tuple[str, ...] = ()
    set_json: tuple[str, ...] = ()
    set_file: tuple[str, ...] = ()
    release_name: str = RELEASE_NAME
    namespace: str = NAMESPACE
    #: --api-versions: added to every cell's capabilities
    api_versions: tuple[str, ...] = ()
    helm_bin: str | None = None
    offline: bool = False
    discover_modes: bool = True
    upgrades: bool = True
    workers: int = 2
    max_probes: int = MAX_TOGGLE_VALUES
    render_timeout: float = 30.0  # seconds per render
    #: --registry-mirror SRC=DST pairs and --plain-http hosts: dependencies are fetched
    #: through them (see _fetch_dependencies)
    mirrors: tuple[tuple[str, str], ...] = ()
    plain_http: frozenset[str] = frozenset()


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
    #: probe cells' mode name -> (value key, the other shapes to try when it fails)
    probes: dict[str, tuple[str, tuple[Any, ...]]] = field(default_factory=dict)
    #: toggle values the budget left out
    toggles_left_out: int = 0
    #: probe modes dropped because no fitting shape rendered, with the last error
    dropped: list[tuple[Cell, str]] = field(default_factory=list)
    #: (mode cell, reference cell, key): cells that differ only in that mode key (ST102)
    pairs: list[tuple[Cell, Cell, str]] = field(default_factory=list)
    #: cells seatrial composed for those pairs (a ci file with its kind reset): the chart never
    #: vouched for them, so their render failures are not the chart's errors
    companions: frozenset[Cell] = frozenset()
    #: the user gave values (-f, --set...): the defaults cells are the user's configuration
    user_values: bool = False

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


def base_values(opts: MatrixOptions) -> dict[str, Any]:
    return layer_values(
        opts.value_files, opts.set_values, opts.set_string, opts.set_json, opts.set_file
    )


def _flat(values: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for k, v in sorted(values.items()):
        key = f"{prefix}{k}"
        if isinstance(v, Mapping) and v:
            out.extend(_flat(v, key + "."))
        else:
            out.append((key, v if not isinstance(v, list | dict) else str(v)))
    return out


@dataclass(frozen=True)
class _Head:
    """What the defaults cells need, known before the modes are discovered."""

    versions: list[KubeVersion]
    excluded: list[KubeVersion]
    base: dict[str, Any]


def _plan_head(source: Source, opts: MatrixOptions) -> _Head:
    constraint = source.kube_version_constraint if isinstance(source, ChartSource) else None
    versions, excluded = select_versions(constraint, opts.kube_versions)
    if not versions:
        raise UsageError(
            f"no Kubernetes version satisfies the chart's kubeVersion {constraint!r}"
            + (f" among {', '.join(v.label for v in excluded)}" if excluded else "")
        )
    base = base_values(opts)
    if isinstance(source, ChartSource):
        for key, seed in seed_required(source.schema, deep_merge(source.values, base)).items():
            base = set_path(base, key, seed)
    return _Head(list(versions), list(excluded), base)


def plan_matrix(source: Source, opts: MatrixOptions, head: _Head | None = None) -> Plan:
    head = head or _plan_head(source, opts)
    versions, excluded, base = head.versions, head.excluded, head.base
    modes: list[tuple[str, tuple[tuple[str, Any], ...], dict[str, Any]]] = [(DEFAULTS, (), base)]
    paired: list[tuple[int, int, str]] = []  # (mode index, reference index, key)
    toggles: list[Toggle] = []
    probes: dict[str, tuple[str, tuple[Any, ...]]] = {}
    left_out = 0
    if isinstance(source, ChartSource):
        defaults = deep_merge(source.values, base)
        for ci in source.ci_values():
            ci_values = _load_values_file(
                str(source.path / ci), ci, source.files[ci] if source.is_archive else None
            )
            modes.append((ci, (("values_file", ci),), deep_merge(base, ci_values)))
            at = len(modes) - 1
            for key in kind_switches(ci_values, defaults):
                reset = get_path(defaults, key)
                modes.append(
                    (
                        f"{ci} with {key}={_show(reset)}",
                        (("values_file", ci), (key, _hashable(reset))),
                        deep_merge(base, without(ci_values, key)),
                    )
                )
                paired.append((at, len(modes) - 1, key))
        if opts.discover_modes:
            found = discover_all(source, opts.max_probes)
            toggles, left_out = found.toggles, found.left_out
            for t in toggles:
                for i, v in enumerate(t.values):
                    name = f"{t.key}={_show(v)}"
                    modes.append((name, ((t.key, v),), set_path(base, t.key, v)))
                    paired.append((len(modes) - 1, 0, t.key))
                    if t.is_probe(i):
                        probes[name] = (t.key, t.alternates(i))
    cells: list[Cell] = []
    values: dict[Cell, dict[str, Any]] = {}
    by_label: dict[str, KubeVersion] = {}
    grid: dict[tuple[int, str], Cell] = {}
    for i, (name, overrides, vals) in enumerate(modes):
        for kv in versions:
            cell = Cell(kv.label, tuple((k, _hashable(v)) for k, v in overrides), name)
            cells.append(cell)
            values[cell] = vals
            by_label[kv.label] = kv
            grid[i, kv.label] = cell
    pairs = [(grid[m, kv.label], grid[r, kv.label], key) for m, r, key in paired for kv in versions]
    companions = frozenset(grid[r, kv.label] for _, r, _ in paired if r != 0 for kv in versions)
    return Plan(
        cells,
        values,
        by_label,
        excluded,
        toggles,
        base,
        probes,
        left_out,
        pairs=pairs,
        companions=companions,
        user_values=bool(base_values(opts)),
    )


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


def _chart_relative(key: str, chart_name: str) -> str:
    prefix = chart_name + "/"
    return key[len(prefix) :] if key.startswith(prefix) else key


def _objects(
    rendered: Mapping[str, str],
    chart_name: str,
    memo: dict[tuple[str, str], list[K8sObject]] | None = None,
) -> list[K8sObject]:
    """Parse every rendered template. Most templates render the same text in most cells (and
    in the upgrade render), so parses are memoized per run by (template, text); the objects
    are read-only, sharing them is safe."""
    objs: list[K8sObject] = []
    for key in sorted(rendered):
        rel = _chart_relative(key, chart_name)
        if not is_manifest_template(rel):
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
        out.append(
            MissingDep(
                name,
                str(dep.get("version") or ""),
                str(dep.get("repository") or ""),
                "not in charts/",
                chart.line_of_dependency(name),
            )
        )
    return out


def _loopback(repository: str) -> bool:
    return is_loopback(urlsplit(repository).netloc) if "://" in repository else False


def _through_mirrors(copy: Path, mirrors: Mapping[str, str], plain_http: frozenset[str]) -> None:
    """Point the scratch copy's dependency repositories at their mirrors. A Chart.lock
    records the repositories too (its digest covers them), so with a mirror in play the
    locked versions move into Chart.yaml and the lock goes: `update` then fetches exactly
    those versions from the mirror."""
    chart_yaml = copy / "Chart.yaml"
    meta = yamlguard.safe_load(chart_yaml.read_text(encoding="utf-8"))
    deps = meta.get("dependencies") if isinstance(meta, dict) else None
    if not isinstance(deps, list):
        return
    locked: dict[str, str] = {}
    lock = copy / "Chart.lock"
    if lock.is_file():
        doc = yamlguard.safe_load(lock.read_text(encoding="utf-8"))
        for d in doc.get("dependencies") or [] if isinstance(doc, dict) else []:
            if isinstance(d, dict) and d.get("name") and d.get("version"):
                locked[str(d["name"])] = str(d["version"])
    changed = False
    for dep in deps:
        if not isinstance(dep, dict) or not isinstance(dep.get("repository"), str):
            continue
        moved = mirror_url(dep["repository"], mirrors, plain_http)
        if moved != dep["repository"]:
            dep["repository"], changed = moved, True
    if not changed:
        return
    for dep in deps:
        if isinstance(dep, dict) and str(dep.get("name")) in locked:
            dep["version"] = locked[str(dep["name"])]
    lock.unlink(missing_ok=True)
    chart_yaml.write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")


def _fetch_dependencies(chart: ChartSource, opts: MatrixOptions) -> Path | None:
    """Try `helm dependency build` (with a Chart.lock) or `update` on a scratch copy, through
    the --registry-mirror mirrors; None when they cannot be fetched. Loopback registries are
    spoken to over plain HTTP, as Docker and Helm do for local registries; --offline fetches
    only from loopback (a mirror on this machine)."""
    import helm_python
    from helm_python.errors import HelmError

    tmp = Path(tempfile.mkdtemp(prefix="seatrial-deps-"))
    copy = tmp / chart.name
    try:
        shutil.copytree(chart.helm_path, copy, symlinks=True)
        _through_mirrors(copy, dict(opts.mirrors), opts.plain_http)
        meta = yamlguard.safe_load((copy / "Chart.yaml").read_text(encoding="utf-8"))
        repos = [
            str(d.get("repository") or "")
            for d in meta.get("dependencies") or []
            if isinstance(d, dict)
        ]
        wanted = [r for r in repos if r.startswith(("oci://", "http://", "https://"))]
        if opts.offline and not all(_loopback(r) for r in wanted):
            raise OSError("offline")
        plain_http = bool(wanted) and all(
            _loopback(r) or urlsplit(r).netloc in opts.plain_http for r in wanted
        )
        if (copy / "Chart.lock").is_file():
            helm_python.dependency_build(str(copy), plain_http=plain_http)
        else:
            helm_python.dependency_update(str(copy), plain_http=plain_http)
    except (HelmError, OSError, yaml.YAMLError, ValueError, AttributeError):
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
    meta["dependencies"] = [
        d
        for d in meta.get("dependencies") or []
        if not (isinstance(d, Mapping) and d.get("name") in names)
    ]
    (copy / "Chart.yaml").write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
    return copy


def render_matrix(source: Source, opts: MatrixOptions) -> RenderedMatrix:
    if isinstance(source, ManifestSource):
        return _manifest_matrix(source, plan_matrix(source, opts))
    missing = missing_dependencies(source)
    fetch = bool(missing) and not source.is_archive and (not opts.offline or bool(opts.mirrors))
    # the render workers start (an interpreter, the Go runtime, the chart) while the
    # matrix is planned, when the chart they render is already known
    early = _start_engine(source.helm_path, opts) if not (fetch or opts.helm_bin) else None
    ahead = _Ahead()
    try:
        head = _plan_head(source, opts)
        if opts.offline:  # before any render: Helm would download the schema
            from seatrial.source.remote import refuse_remote_schema

            refuse_remote_schema(source.path, source.is_archive, source.files)
        if early is not None:
            ahead = _start_ahead(source, opts, head, early)
        plan = plan_matrix(source, opts, head)
        return _render_planned(source, opts, plan, missing, fetch, early, ahead)
    finally:
        if early is not None:  # closed already when it rendered: closing twice is a no-op
            _discard(early)
        ahead.close()


def _start_engine(chart_path: Path, opts: MatrixOptions) -> Future[Engine]:
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seatrial-engine-start")
    try:
        return pool.submit(
            make_engine, chart_path, None, workers=opts.workers, timeout=opts.render_timeout
        )
    finally:
        pool.shutdown(wait=False)


def _discard(early: Future[Engine]) -> None:
    with contextlib.suppress(SourceError, OSError):
        early.result().close()


@dataclass(frozen=True)
class _Constraints:
    """What the chart does with the Kubernetes version (render/capabilities.py
    `version_use`), read once: None when the versions get different API versions or the
    chart uses the version some other way."""

    use: VersionUse | None

    @property
    def reads_version(self) -> bool:
        """Whether the chart may render differently at another Kubernetes version."""
        return self.use is None or bool(self.use.constraints or self.use.exact)


class _Again:
    """A second render of a cell, submitted by `engine` when its first render succeeds
    (random output shows as what differs: `_ChartRender._masks`). `result()` waits for
    that decision: None when the first failed."""

    def __init__(self, engine: Engine, first: Future[dict[str, str]], req: RenderRequest) -> None:
        import threading

        self._decided = threading.Event()
        self._box: list[Future[dict[str, str]]] = []
        self._engine, self._req = engine, req
        first.add_done_callback(self._first_done)

    def _first_done(self, fut: Future[dict[str, str]]) -> None:
        try:
            if not fut.cancelled() and fut.exception() is None:
                self._box.append(self._engine.submit(self._req))
        except RuntimeError:  # the engine is closing: no masks
            pass
        finally:
            self._decided.set()

    def result(self) -> Future[dict[str, str]] | None:
        self._decided.wait()
        return self._box[0] if self._box else None


@dataclass
class _Ahead:
    """The defaults cells' whole renders, submitted while the modes are discovered and the
    chart analysed (0.2-0.5 s on a large chart, the workers idle otherwise), and the
    trimmer whose copy they render (`_Partial.base`: without the subcharts the defaults
    switch off). The first defaults cell renders whole anyway; the later ones one at a time,
    each as the one before ends (`_Chain`): one core renders while the main thread plans on
    the other, and those still waiting when the planning ends render from their version's
    copy when it can take them (`_Partial.versions`; one already submitted is cancelled if it
    has not started, `_ChartRender._ahead`). A whole render of kyverno holds ~95 MB in the
    engine while it runs, its version's copy a few: two at a time took its peak RSS from
    220 to 260-330 MB, at the same wall time. A chart that never reads the Kubernetes version
    (`_Constraints.reads_version`: argo-cd) gets only the first ahead: the others render
    from their version's copy, and whole renders of them would take the cores the planning
    needs."""

    trimmer: Trimmer | None = None
    chain: _Chain | None = None
    constraints: _Constraints | None = None

    def take(self) -> dict[Cell, Future[dict[str, str]]]:
        """The renders submitted so far; no more are submitted."""
        return self.chain.stop() if self.chain is not None else {}

    def close(self) -> None:
        if self.chain is not None:
            self.chain.stop()
        if self.trimmer is not None:
            self.trimmer.close()


class _Chain:
    """Renders submitted `width` at a time: the next when one ends, until `stop()`."""

    def __init__(self, engine: Engine, width: int) -> None:
        import threading

        self._engine, self._width = engine, width
        self._lock = threading.Lock()
        self._waiting: deque[tuple[Cell, RenderRequest]] = deque()
        self._running = 0
        self._stopped = False
        self.renders: dict[Cell, Future[dict[str, str]]] = {}

    def submit(self, cell: Cell, req: RenderRequest) -> Future[dict[str, str]] | None:
        """Submit now if fewer than `width` run, else when one ends; the future when now."""
        with self._lock:
            if self._stopped or self._running >= self._width:
                self._waiting.append((cell, req))
                return None
            self._running += 1
        return self._submit(cell, req)

    def _submit(self, cell: Cell, req: RenderRequest) -> Future[dict[str, str]] | None:
        """Submit a render counted as running (never under the lock: a future that has
        ended already calls `_ended` at once, in this thread)."""
        try:
            fut = self._engine.submit(req)
        except RuntimeError:  # the engine is closing
            with self._lock:
                self._stopped = True
                self._running -= 1
            return None
        with self._lock:
            self.renders[cell] = fut
        fut.add_done_callback(self._ended)
        return fut

    def _ended(self, _fut: Future[dict[str, str]]) -> None:
        with self._lock:
            self._running -= 1
            if self._stopped or not self._waiting:
                return
            nxt = self._waiting.popleft()
            self._running += 1
        self._submit(*nxt)

    def stop(self) -> dict[Cell, Future[dict[str, str]]]:
        with self._lock:
            self._stopped = True
            self._waiting.clear()
            return dict(self.renders)


def _start_ahead(
    source: ChartSource, opts: MatrixOptions, head: _Head, early: Future[Engine]
) -> _Ahead:
    try:
        engine = early.result()
    except Exception:  # raised again, and reported, where the engine is used
        return _Ahead()
    if engine.name != "helm-python-sdk":
        return _Ahead()
    trimmer = _trimmer(source, source.helm_path, head.base)
    try:
        chart_dir = str(trimmer.whole()) if trimmer is not None and trimmer.prune else None
    except OSError:
        return _Ahead(trimmer)
    chain = _Chain(engine, 1)

    def submit(kv: KubeVersion) -> Future[dict[str, str]] | None:
        return chain.submit(
            Cell(kv.label, (), DEFAULTS), _request(kv, head.base, opts, False, chart_dir)
        )

    submit(head.versions[0])
    same = len({tuple(api_versions_for(kv)) for kv in head.versions}) == 1
    try:
        constraints = _Constraints(version_use(source.helm_path) if same else None)
    except OSError:  # an unreadable file: no answer (the render reports what it cannot read)
        constraints = _Constraints(None)
    if constraints.reads_version:
        for kv in head.versions[1:]:
            submit(kv)
    return _Ahead(trimmer, chain, constraints)


def _render_planned(
    source: ChartSource,
    opts: MatrixOptions,
    plan: Plan,
    missing: list[MissingDep],
    fetch: bool,
    early: Future[Engine] | None,
    ahead: _Ahead,
) -> RenderedMatrix:
    chart_path = source.helm_path
    if fetch:
        fetched = _fetch_dependencies(source, opts)
        if fetched is not None:
            chart_path, missing = fetched, []
    missing = [
        MissingDep(
            m.name,
            m.version,
            m.repository,
            "offline" if opts.offline else "could not be fetched",
            m.line,
        )
        for m in missing
    ]
    if missing and opts.helm_bin and not source.is_archive and chart_path == source.helm_path:
        chart_path = _without_dependencies(source, {m.name for m in missing})
    if early is not None and chart_path == source.helm_path:
        engine = early.result()
    else:
        if early is not None:
            _discard(early)
        engine = make_engine(
            chart_path, opts.helm_bin, workers=opts.workers, timeout=opts.render_timeout
        )
    trimmer = ahead.trimmer
    if trimmer is None and engine.name == "helm-python-sdk":
        trimmer = _trimmer(source, chart_path, plan.base_values)
    read = ahead.constraints if chart_path == source.helm_path else None
    partial = (
        _Partial.build(chart_path, plan, trimmer, read)
        if trimmer is not None and any(c.name != DEFAULTS for c in plan.cells)
        else None
    )
    try:
        return _render_chart(source, plan, engine, opts, missing, partial, ahead)
    finally:
        engine.close()
        if trimmer is not None:
            trimmer.close()
        if chart_path != source.helm_path:
            shutil.rmtree(chart_path.parent, ignore_errors=True)


def _trimmer(chart: ChartSource, chart_path: Path, base: Mapping[str, Any]) -> Trimmer | None:
    """Where the trimmed copies of a chart rendered partially go (`_Partial`), without the
    subcharts the defaults (`base`: the user's values) switch off; None for an archive."""
    if not chart_path.is_dir():
        return None
    defaults = chart.values if chart_path == chart.helm_path else _load_yaml_values(chart_path)
    try:
        return Trimmer(chart_path, None, disabled_subcharts(chart_path, deep_merge(defaults, base)))
    except OSError:
        return None


def _request(
    kv: KubeVersion,
    values: dict[str, Any],
    opts: MatrixOptions,
    upgrade: bool,
    chart_dir: str | None,
) -> RenderRequest:
    apis = tuple(dict.fromkeys([*api_versions_for(kv), *opts.api_versions]))
    return RenderRequest(
        values,
        kv.helm,
        apis,
        upgrade,
        release_name=opts.release_name,
        namespace=opts.namespace,
        chart_dir=chart_dir,
    )


class _Partial:
    """How each cell is rendered when only what can differ is rendered (render/deps.py).

    The defaults cell of each Kubernetes version is rendered whole: it is the base of every
    other cell at that version. Any other cell renders a trimmed copy of the chart holding
    only the templates that read a value path the cell changes (its values against the
    defaults cell's), and takes every other template's output from its base. A cell that
    changes a dependency condition or `tags` (subcharts come and go) renders a copy holding
    those subcharts whole (with the templates reading their values or their named
    templates), and their output replaces the base's: a subchart the cell switches off
    leaves nothing (render/deps.py `Analysis.switched`); whole when the chart reads
    `.Chart.Dependencies`. The upgrade render of a distinct output re-renders only the
    templates that read `.Release.IsUpgrade`/`IsInstall`/`Revision` or produce random output
    (from a copy holding the cell's switched subcharts); none: the upgrade render is the
    install render.
    """

    def __init__(
        self,
        trimmer: Trimmer,
        dirs: dict[Cell, str],
        upgrade: str | None,
        upgrade_same: bool,
        base: str | None,
        versions: dict[Cell, str] | None = None,
        keys: dict[Cell, str] | None = None,
        upgrade_subset: frozenset[str] = frozenset(),
    ) -> None:
        self.trimmer = trimmer
        self.upgrade_subset = upgrade_subset
        self.dirs = dirs
        #: cells with the same key get the same output from their trimmed copy: one render
        self.keys = keys or {}
        self.upgrade = upgrade
        self.upgrade_same = upgrade_same
        #: the defaults cells' chart: whole, without the subcharts they disable (a render
        #: that removes one from the loaded chart makes the worker load it again)
        self.base = base
        #: the defaults cells after the first: only the templates that read `.Capabilities`,
        #: the rest taken from the first defaults cell's output (`_version_dirs`)
        self.versions = versions or {}
        #: cells switching subcharts: their switch (whose output keys the copy owns), and
        #: their upgrade copy
        self.switched: dict[Cell, Switched] = {}
        self.upgrade_dirs: dict[Cell, str] = {}
        #: the copy the first defaults cell renders a second time to see what is random
        #: (`_masks`): the templates that produce random output, with what every copy holds
        #: (kyverno: a few KB, not 3.4 MB of CRDs again); None: no template produces any
        self.random: str | None = None
        #: cells whose copy can render as two: see `_split`
        self.split: dict[Cell, _Split] = {}
        #: the chart answering, at each Kubernetes version, the semver constraints the chart
        #: compares the version with (render/capabilities.py); None: versions are not grouped
        self.probe: str | None = None
        #: no constraint at all: every version renders alike
        self.one_class = False
        #: Kubernetes version -> the version it renders like (set after the defaults cells)
        self.classes: dict[str, str] = {}
        #: cells rendered whole -> whether they can change what a template using the version
        #: otherwise renders (`Analysis.version_exact`); such a cell renders at every version
        self.whole_exact: dict[Cell, bool] = {}
        #: whether those templates render alike at every version of each class in the
        #: defaults cells (then a cell that cannot change them renders once per class)
        self.exact_same = False

    def key(self, cell: Cell) -> str | None:
        """A cell's render key: its copy's key at its version's class."""
        found = self.keys.get(cell)
        return self.at_version(found, cell) if found is not None else None

    def whole_key(self, cell: Cell, values: Mapping[str, Any]) -> str | None:
        """The key of a cell rendered whole (a change the copies cannot take, such as a
        dependency switched without its subchart at hand): its values at its version's class.
        Without classes, None: rendered at every version."""
        if not self.classes:
            return None
        analysis = self.trimmer.analysis
        exact = analysis is not None and bool(analysis.version_exact)
        if exact and (self.whole_exact.get(cell, True) or not self.exact_same):
            version = cell.kube_version
        else:
            version = self._version(cell)
        return f"{version}\n{json.dumps(values, sort_keys=True)}"

    def at_version(self, key: str, cell: Cell) -> str:
        return key.replace(_VERSION, self._version(cell)).replace(_EXACT, cell.kube_version)

    def versions_differ(self, labels: Iterable[str]) -> bool:
        """Whether the Kubernetes versions `labels` fall in more than one class."""
        return len({self.classes.get(v, v) for v in labels}) > 1

    def split_pays(self, split: _Split, labels: Iterable[str]) -> bool:
        """Whether a cell's two renders (`_Split`) save work: when its `.Capabilities`
        templates render at more than one version (classes, or a template using the
        version otherwise), the costly rest still renders once."""
        return _EXACT in split.caps_key or self.versions_differ(labels)

    def _version(self, cell: Cell) -> str:
        return self.classes.get(cell.kube_version, cell.kube_version)

    def owned(self, cell: Cell, chart_name: str) -> tuple[str, ...]:
        """The output key prefixes a cell's copy renders in full (its switched subcharts)."""
        sw = self.switched.get(cell)
        return tuple(f"{chart_name}/{k}" for k in sw.keys) if sw is not None else ()

    @classmethod
    def build(
        cls, chart_path: Path, plan: Plan, trimmer: Trimmer, read: _Constraints | None = None
    ) -> _Partial | None:
        """How to render the cells partially, the copies made by `trimmer` (its caller
        closes it), with the version constraints when already `read`; None: render every
        cell whole."""
        distinct = {id(v): v for v in plan.values.values()}
        analysis = analyze(chart_path, distinct.values())
        if analysis is None:
            return None
        trimmer.analysis = analysis
        if not _same_apis(plan):
            use = None
        elif read is not None:
            use = read.use
        else:
            use = version_use(chart_path)
        constraints = use.constraints if use is not None else None
        analysis.version_exact = use.exact if use is not None else frozenset()
        try:
            bases = {c.kube_version: c for c in plan.cells if c.name == DEFAULTS}
            dirs: dict[Cell, str] = {}
            keys: dict[Cell, str] = {}
            switched: dict[Cell, Switched] = {}
            split: dict[Cell, _Split] = {}
            whole_exact: dict[Cell, bool] = {}
            for cell in plan.cells:
                ref = bases.get(cell.kube_version)
                if ref is None or cell == ref:
                    continue
                changed = changed_paths(plan.values[cell], plan.values[ref])
                structural = analysis.structural_change(changed)
                sw = analysis.switched(changed) if structural else None
                if structural and sw is None:  # rendered whole
                    whole_exact[cell] = any(
                        analysis.touches(t, changed) for t in analysis.version_exact
                    )
                    continue
                subset = analysis.subset(changed) if sw is None else sw.subset
                # NOTES.txt renders no object, but its `fail` fails the cell (bitnami)
                notes = analysis.notes_read(changed)
                dirs[cell] = str(
                    trimmer.dir_for(subset, notes=bool(notes), switched=sw.dirs if sw else ())
                )
                key = _render_key(
                    analysis,
                    subset,
                    dirs[cell],
                    plan.values[cell],
                    (*(sw.paths if sw else ()), *notes),
                )
                if key is not None:
                    keys[cell] = key
                if sw is not None:
                    switched[cell] = sw
                elif key is not None and not notes:
                    part = _split(analysis, trimmer, subset, plan.values[cell])
                    if part is not None:
                        split[cell] = part
            up = analysis.subset((), release=True)
            upgrade = str(trimmer.dir_for(up)) if up and len(up) < len(analysis.outputs) else None
            up_dirs = {
                cell: str(trimmer.dir_for(up, switched=sw.dirs))
                for cell, sw in switched.items()
                if upgrade is not None
            }
            base = str(trimmer.whole()) if trimmer.prune else None
            random = str(trimmer.dir_for(frozenset(analysis.random))) if analysis.random else None
            versions = _version_dirs(plan, analysis, trimmer)
            probe = (
                str(probe_chart(trimmer.root / "probe" / "seatrial-probe", constraints))
                if constraints
                else None
            )
        except OSError:
            return None
        made = cls(trimmer, dirs, upgrade, not up, base, versions, keys, up)
        made.switched, made.upgrade_dirs, made.split = switched, up_dirs, split
        made.whole_exact = whole_exact
        made.probe = probe
        made.random = random
        made.one_class = constraints == []
        return made

    def upgrade_dir(self, cell: Cell) -> str | None:
        """The copy a cell's upgrade render comes from (None: whole)."""
        return self.upgrade_dirs.get(cell, self.upgrade)

    def upgrade_key(self, cell: Cell, values: Mapping[str, Any]) -> str | None:
        """The key of a cell's upgrade render from its upgrade copy (see `keys`)."""
        up = self.upgrade_dir(cell)
        if up is None:
            return None
        sw = self.switched.get(cell)
        analysis = self.trimmer.analysis
        paths = sw.paths if sw else ()
        key = _render_key(analysis, self.upgrade_subset, up, values, paths, schema=False)
        return self.at_version(key, cell) if key is not None else None


@dataclass(frozen=True)
class _Split:
    """A cell's copy as two renders: the templates reading `.Capabilities` (once per version
    class) and the others (once)."""

    caps_dir: str
    caps_key: str
    rest_dir: str
    rest_key: str


def _split(
    analysis: Analysis, trimmer: Trimmer, subset: frozenset[str], values: Mapping[str, Any]
) -> _Split | None:
    """Two copies for a cell whose templates read `.Capabilities` beside costly templates:
    those reading the chart's files (`.Files`: kube-prometheus-stack's CRD upgrade job reads
    every CRD) or generating keys (`genCA`: metrics-server's certificates); the second
    renders once for all Kubernetes versions. Not when a template every copy renders (a
    value writer) reads `.Capabilities`."""
    caps, rest = subset & analysis.caps, subset - analysis.caps
    costly = analysis.reads_files | analysis.keygen
    if not caps or not rest & costly or analysis.always & analysis.caps:
        return None
    caps_dir, rest_dir = str(trimmer.dir_for(caps)), str(trimmer.dir_for(rest))
    caps_key = _render_key(analysis, caps, caps_dir, values)
    rest_key = _render_key(analysis, rest, rest_dir, values)
    if caps_key is None or rest_key is None:
        return None
    return _Split(caps_dir, caps_key, rest_dir, rest_key)


#: where a render key names the Kubernetes version (`_Partial.key` puts in its class)
_VERSION = "\0version\0"
#: where it names the version itself: the copy holds a template that uses the version
#: otherwise than comparing it (render/capabilities.py `VersionUse.exact`)
_EXACT = "\0exact version\0"


def _render_key(
    analysis: Analysis,
    subset: frozenset[str],
    chart_dir: str,
    values: Mapping[str, Any],
    extra: tuple[ValuePath, ...] = (),
    schema: bool = True,
) -> str | None:
    """Cells whose render of `chart_dir` (holding `subset`) can only give the same output
    share this key: the copy, the Kubernetes version (its class) when a template there reads
    `.Capabilities`, the values its templates read and the `extra` paths (render/deps.py
    `render_key`, which says when `schema` is False)."""
    key = analysis.render_key(subset, values, extra, schema)
    if key is None:
        return None
    if subset & analysis.version_exact:
        version = _EXACT
    else:
        version = _VERSION if subset & analysis.caps else ""
    return f"{chart_dir}\n{version}\n{key}"


def _same_apis(plan: Plan) -> bool:
    """Whether every Kubernetes version of the plan gets the same `.Capabilities.APIVersions`
    (then only `.Capabilities.KubeVersion` tells them apart)."""
    return len({tuple(api_versions_for(kv)) for kv in plan.versions.values()}) == 1


def _version_dirs(plan: Plan, analysis: Analysis, trimmer: Trimmer) -> dict[Cell, str]:
    """The trimmed chart of each defaults cell after the first (same values, another
    Kubernetes version): the templates reading `.Capabilities`. A random template's output
    is taken from the first (one random value is as good as another: generating a CA key
    cost metrics-server ~0.1 s a version)."""
    defaults = [c for c in plan.cells if c.name == DEFAULTS]
    if len(defaults) < 2:
        return {}
    subset = analysis.subset((), caps=True)
    if subset & analysis.by_name or len(subset) >= len(analysis.outputs):
        return {}
    ref = defaults[0]
    out: dict[Cell, str] = {}
    for cell in defaults[1:]:
        if not changed_paths(plan.values[cell], plan.values[ref]):
            out[cell] = str(trimmer.dir_for(frozenset(subset), notes=True))
    return out


def _masks(
    again: Future[dict[str, str]] | None,
    cell: Cell,
    bases: Mapping[str, dict[str, str]],
    parse: Callable[[str, str], list[K8sObject]],
) -> Masks | None:
    """`again` renders the first defaults cell a second time (whole, or the templates with
    random output: `_Partial.random`; submitted with the defaults cells): what differs is
    random (render/deps.py Masks), masked in the grouping key."""
    if again is None or cell.kube_version not in bases:
        return None
    try:
        return Masks(bases[cell.kube_version], again.result(), parse)
    except (TemplateError, CancelledError):
        return None


def _load_yaml_values(chart_path: Path) -> dict[str, Any]:
    try:
        data = yamlguard.load_value((chart_path / "values.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


#: modes tried for the version classes when no defaults cell renders (`_classes_from_modes`)
_CLASS_MODES = 3


def _render_chart(
    chart: ChartSource,
    plan: Plan,
    engine: Engine,
    opts: MatrixOptions,
    missing: list[MissingDep],
    partial: _Partial | None = None,
    ahead: _Ahead | None = None,
) -> RenderedMatrix:
    """Every cell through the engine's workers; outputs are grouped and parsed as they arrive
    (the engine hands back one dict per distinct output), then the upgrade render of each
    group. A render past the deadline fails its cell and skips the rest of its mode (all
    remaining cells when the defaults mode loops): when unsure, render less and say so.
    With `partial`, the defaults cells are rendered first and the others partially; `ahead`:
    defaults cells' whole renders already submitted."""
    return _ChartRender(chart, plan, engine, opts, missing, partial, ahead).run()


class _ChartRender:
    """The state of one `_render_chart` run: outputs kept once per grouping key, parsed once."""

    def __init__(
        self,
        chart: ChartSource,
        plan: Plan,
        engine: Engine,
        opts: MatrixOptions,
        missing: list[MissingDep],
        partial: _Partial | None,
        ahead: _Ahead | None = None,
    ) -> None:
        self.chart = chart
        self.plan = plan
        self.engine = engine
        self.opts = opts
        self.missing = missing
        self.partial = partial
        self.ahead = ahead.take() if ahead is not None else {}
        self.memo: dict[tuple[str, str], list[K8sObject]] = {}
        self.outs: dict[Cell, dict[str, str] | str] = {}
        self.digests: dict[int, str] = {}
        self.parsed: dict[str, list[K8sObject] | SourceError] = {}
        self.masks: Masks | None = None
        self.reps: dict[str, dict[str, str]] = {}  # grouping key -> the first output with it
        self.bases: dict[str, dict[str, str]] = {}  # kube version -> its defaults cell's output
        self.skipped: dict[Future[dict[str, str]], str] = {}
        self.looped: Cell | None = None  # a defaults cell past the deadline: skip later cells
        self.version_cells: list[Cell] = []  # defaults cells rendered from partial.versions
        #: versions whose defaults cell failed for a missing dependency: a cell there first
        #: renders its trimmed copy, whose failure is the cell's (the copy's templates fail in
        #: the whole chart too); only a cell whose copy renders is rendered whole (`recheck`)
        self.dep_failed: set[str] = set()
        self.recheck: list[Cell] = []
        #: upgrade renders by upgrade key, and the outputs whose upgrade was submitted
        self.up_shared: dict[str, Future[dict[str, str]]] = {}
        self.up_seen: set[str] = set()
        #: cells rendered as two parts (`_split`): their futures, in merge order, and what came
        self.parts: dict[
            Cell,
            tuple[list[Future[dict[str, str]]], dict[Future[dict[str, str]], dict[str, str] | str]],
        ] = {}

    def req(self, cell: Cell, upgrade: bool, chart_dir: str | None = None) -> RenderRequest:
        kv = self.plan.versions[cell.kube_version]
        return _request(kv, self.plan.values[cell], self.opts, upgrade, chart_dir)

    def _ahead(self, cell: Cell) -> Future[dict[str, str]] | None:
        """A defaults cell's whole render submitted ahead (`_Ahead`), unless its
        version's copy can still take it instead."""
        fut = self.ahead.pop(cell, None)
        if fut is None:
            return None
        if self.partial is not None and cell in self.partial.versions and fut.cancel():
            return None
        return fut

    def one(self, cell: Cell) -> tuple[Cell, dict[str, str] | str]:
        try:
            return cell, self.engine.render(self.req(cell, False))
        except TemplateError as exc:
            return cell, str(exc)

    def parse_one(self, key: str, text: str) -> list[K8sObject]:
        rel = _chart_relative(key, self.chart.name)
        if not is_manifest_template(rel):
            raise SourceError(f"{rel} is not a manifest")
        found = self.memo.get((rel, text))
        if found is None:
            found = self.memo[(rel, text)] = parse_objects(text, rel, is_template=True)
        return found

    def keep(self, out: dict[str, str]) -> dict[str, str]:
        """The one kept copy of `out` (merged outputs are new dicts: only the first of each
        distinct render stays alive)."""
        key = self.digests.get(id(out))
        if key is None:
            key = self.masks.key(out) if self.masks is not None else content_key(out)
        rep = self.reps.setdefault(key, out)
        self.digests[id(rep)] = key
        return rep

    def digest_and_parse(self, out: dict[str, str]) -> str:
        key = self.digests[id(self.keep(out))]
        if key not in self.parsed:
            try:
                self.parsed[key] = _objects(out, self.chart.name, self.memo)
            except SourceError as exc:
                self.parsed[key] = exc
        return key

    def run(self) -> RenderedMatrix:
        plan = self.plan
        first = [c for c in plan.cells if c.name == DEFAULTS]
        rest = [c for c in plan.cells if c not in set(first)]
        with progress.phase("rendering cells", len(plan.cells)) as advance:
            probes = self._submit_probes()
            jobs, kinds = self._submit_batch(first, True, advance, True)
            again = self._again(jobs, first[0]) if first else None
            self._collect_batch(jobs, kinds, True, advance)
            self._complete_versions(first[0] if first else None)
            if again is not None:
                self.masks = _masks(again(), first[0], self.bases, self.parse_one)
            self._set_classes(probes)
            names = [m.name for m in self.missing]
            for cell in first:
                done = self.outs.get(cell)
                if isinstance(done, str) and dependency_cause(done, names):
                    self.dep_failed.add(cell.kube_version)
            if not self.bases and self.partial and (probes or self.partial.one_class):
                rest = self._classes_from_modes(rest, probes, advance)
            jobs, kinds = self._submit_batch(rest, False, advance, True)
            # the defaults cells' objects are parsed while the workers render the rest
            # (argo-cd's CRDs: ~0.35 s the workers sat idle)
            for cell in first:
                done = self.outs.get(cell)
                if isinstance(done, dict):
                    self._early_upgrade(cell, self.digest_and_parse(done))
                    self.outs[cell] = self.keep(done)
            self._collect_batch(jobs, kinds, False, advance)
            if self.recheck:
                self._render_batch(self.recheck, False, lambda: None, probe=False)
        results = _retry_probes(
            [(c, self.outs[c]) for c in plan.cells], plan, self.one, self.missing
        )
        self.outs.clear()
        failures: list[CellFailure] = []
        groups: dict[str, tuple[list[Cell], dict[str, str]]] = {}
        for cell, out in results:
            if isinstance(out, str):
                failures.append(CellFailure(cell, out, _failure_location(out, self.chart.name)))
                continue
            groups.setdefault(self.digest_and_parse(out), ([], out))[0].append(cell)
        del results
        renders = self._with_upgrades(groups, failures)
        failures = _drop_failed_probes(failures, plan, self.missing)
        return RenderedMatrix(
            self.chart, plan, renders, failures, self.missing, self.engine.name, self.chart.files
        )

    def _again(
        self, jobs: Mapping[Future[dict[str, str]], list[Cell]], cell: Cell
    ) -> Callable[[], Future[dict[str, str]] | None]:
        """A second render of `cell` (random output shows as what differs: `_masks`),
        submitted as soon as its first render succeeds, while the other defaults cells
        render: of the templates with random output alone when the chart is rendered
        partially (`_Partial.random`; none has any: no second render). The returned call
        waits for that decision."""
        head = next((f for f, cells in jobs.items() if cell in cells), None)
        if head is None:
            return lambda: None
        chart_dir = None
        if self.partial is not None:
            if self.partial.random is None:
                return lambda: None
            chart_dir = self.partial.random
        return _Again(self.engine, head, self.req(cell, False, chart_dir)).result

    def _submit_probes(self) -> dict[str, Future[dict[str, str]]]:
        """The answers of the chart's version constraints at each Kubernetes version."""
        partial = self.partial
        if partial is None or partial.probe is None:
            return {}
        out: dict[str, Future[dict[str, str]]] = {}
        for label, kv in self.plan.versions.items():
            req = RenderRequest({}, kv.helm, tuple(api_versions_for(kv)), chart_dir=partial.probe)
            out[label] = self.engine.submit(req)
        return out

    def _classes_from_modes(
        self,
        rest: list[Cell],
        probes: Mapping[str, Future[dict[str, str]]],
        advance: Callable[[], None],
    ) -> list[Cell]:
        """When no defaults cell rendered (a chart that asks for a mode by design, as
        opentelemetry-collector does), check the version classes on the first modes instead:
        each mode's cells at every version render whole, as they would anyway, and the
        first whose outputs all render and agree within each class sets the classes. Every
        later cell then renders once per class. The cells not rendered yet are returned."""
        partial = self.partial
        if partial is None or len(self.plan.versions) < 2:
            return rest
        by_mode: dict[str, list[Cell]] = {}
        for cell in rest:
            by_mode.setdefault(cell.name, []).append(cell)
        done: set[Cell] = set()
        tried = 0
        for cells in by_mode.values():
            if len(cells) != len(self.plan.versions) or tried == _CLASS_MODES:
                continue
            tried += 1
            self._render_batch(cells, False, advance, probe=False)
            done.update(cells)
            outs = {c.kube_version: self.outs.get(c) for c in cells}
            if self._set_classes(probes, outs) or self.looped is not None:
                break
        return [c for c in rest if c not in done]

    def _set_classes(
        self,
        probes: Mapping[str, Future[dict[str, str]]],
        outs: Mapping[str, dict[str, str] | str | None] | None = None,
    ) -> bool:
        """Group the Kubernetes versions where the chart's version constraints all answer
        alike (render/capabilities.py), then check it on the defaults cells (or on `outs`,
        one mode's output at each version): their outputs at two versions of a class must
        be identical (random leaves masked), or every version is rendered on its own.
        Whether the classes were set."""
        partial = self.partial
        if partial is None or not (probes or partial.one_class):
            return False
        answers: dict[str, str] = {}
        for label, fut in probes.items():
            try:
                answers[label] = json.dumps(sorted(fut.result().items()))
            except (TemplateError, CancelledError):
                return False
        first: dict[str, str] = {}
        classes = {v: first.setdefault(answers.get(v, ""), v) for v in self.plan.versions}

        analysis = partial.trimmer.analysis
        exact = analysis.version_exact if analysis is not None else frozenset()

        def digest(out: dict[str, str]) -> str:
            # the templates that use the version otherwise differ by design
            if exact:
                name = self.chart.name
                out = {k: v for k, v in out.items() if _chart_relative(k, name) not in exact}
            return self.masks.key(out) if self.masks is not None else content_key(out)

        seen = self.bases if outs is None else outs
        for v, rep in classes.items():
            a, b = seen.get(v), seen.get(rep)
            if v != rep and (
                not isinstance(a, dict) or not isinstance(b, dict) or digest(a) != digest(b)
            ):
                return False
        partial.classes = classes
        if exact:
            name = self.chart.name

            def exact_only(out: dict[str, str] | str | None) -> str | None:
                if not isinstance(out, dict):
                    return None
                return content_key(
                    {k: v for k, v in out.items() if _chart_relative(k, name) in exact}
                )

            partial.exact_same = all(
                exact_only(seen.get(v)) is not None
                and exact_only(seen.get(v)) == exact_only(seen.get(rep))
                for v, rep in classes.items()
            )
        return True

    def _complete_versions(self, ref: Cell | None) -> None:
        """Give each defaults cell rendered from its version's trimmed chart the other
        templates' output from the first defaults cell (rendered whole), or render it whole
        when that one has none."""
        for cell in self.version_cells:
            out = self.outs.get(cell)
            if not isinstance(out, dict):
                continue
            base = self.outs.get(ref) if ref is not None else None
            if isinstance(base, dict):
                out = {**base, **out}
            else:
                whole = self.partial.base if self.partial is not None else None
                try:
                    out = self.engine.render(self.req(cell, False, whole))
                except TemplateError as exc:
                    self.outs[cell] = str(exc)
                    self.bases.pop(cell.kube_version, None)
                    continue
            self.outs[cell] = self.bases[cell.kube_version] = out

    def _how(self, cell: Cell, is_first: bool, probe: bool) -> tuple[str | None, str | None, str]:
        """The chart to render a cell from, its render key, and what its output is:
        "trimmed" (merged over its version's defaults), "probe" (see `dep_failed`), "whole"."""
        partial = self.partial
        if partial is None:
            return None, None, "whole"
        trim = partial.dirs.get(cell)
        key = partial.key(cell)
        if trim is not None and cell.kube_version in self.bases:
            return trim, key, "trimmed"
        if trim is not None and probe and cell.kube_version in self.dep_failed:
            return trim, key, "probe"
        if is_first and cell in partial.versions:
            self.version_cells.append(cell)
            return partial.versions[cell], None, "whole"
        if is_first:
            return partial.base, None, "whole"
        return None, partial.whole_key(cell, self.plan.values[cell]), "whole"

    def _submit_shared(
        self, shared: dict[str, Future[dict[str, str]]], key: str | None, req: RenderRequest
    ) -> Future[dict[str, str]]:
        """The render of `req`, or the one already submitted under the same render key."""
        fut = shared.get(key) if key is not None else None
        if fut is None:
            fut = self.engine.submit(req)
            if key is not None:
                shared[key] = fut
        return fut

    def _submit_batch(
        self, batch: list[Cell], is_first: bool, advance: Callable[[], None], probe: bool
    ) -> tuple[dict[Future[dict[str, str]], list[Cell]], dict[Future[dict[str, str]], str]]:
        """One render per cell, except that cells with the same render key (`_Partial.keys`)
        share one."""
        jobs: dict[Future[dict[str, str]], list[Cell]] = {}
        kinds: dict[Future[dict[str, str]], str] = {}
        shared: dict[str, Future[dict[str, str]]] = {}
        for cell in batch:
            if self.looped is not None:
                self.outs[cell] = _skip_reason(self.looped)
                advance()
                continue
            ahead = self._ahead(cell) if is_first else None
            if ahead is not None:
                kinds[ahead] = "whole"
                jobs.setdefault(ahead, []).append(cell)
                continue
            chart_dir, key, kind = self._how(cell, is_first, probe)
            sp = self.partial.split.get(cell) if self.partial and kind == "trimmed" else None
            if sp is not None and self.partial and self.partial.split_pays(sp, self.plan.versions):
                caps_key = self.partial.at_version(sp.caps_key, cell)
                parts = [
                    self._submit_shared(
                        shared, f"rest\n{sp.rest_key}", self.req(cell, False, sp.rest_dir)
                    ),
                    self._submit_shared(
                        shared, f"caps\n{caps_key}", self.req(cell, False, sp.caps_dir)
                    ),
                ]
                self.parts[cell] = (parts, {})
                for fut in parts:
                    kinds[fut] = kind
                    jobs.setdefault(fut, []).append(cell)
                continue
            # a trimmed render and a probe of the same copy are merged differently
            shared_key = f"{kind}\n{key}" if key is not None else None
            fut = self._submit_shared(shared, shared_key, self.req(cell, False, chart_dir))
            kinds[fut] = kind
            jobs.setdefault(fut, []).append(cell)
        return jobs, kinds

    def _render_batch(
        self,
        batch: list[Cell],
        is_first: bool,
        advance: Callable[[], None],
        *,
        probe: bool = True,
    ) -> None:
        jobs, kinds = self._submit_batch(batch, is_first, advance, probe)
        self._collect_batch(jobs, kinds, is_first, advance)

    def _collect_batch(
        self,
        jobs: Mapping[Future[dict[str, str]], list[Cell]],
        kinds: Mapping[Future[dict[str, str]], str],
        is_first: bool,
        advance: Callable[[], None],
    ) -> None:
        """Take each render as it arrives (see `_submit_batch`)."""
        try:
            for fut in as_completed(jobs):
                got = _outcome(fut, self.skipped)
                for cell in jobs[fut]:
                    if not fut.cancelled() and isinstance(fut.exception(), RenderTimeout):
                        self.skipped.update(_skip_mode(jobs, cell))
                        if cell.name == DEFAULTS:
                            self.looped = cell
                    whole = self._whole(cell, fut, got)
                    if whole is None:
                        continue  # its other part is still rendering
                    advance()
                    if kinds[fut] == "probe" and isinstance(whole, dict):
                        self.recheck.append(cell)
                        continue
                    self.outs[cell] = self._arrived(cell, whole, kinds[fut] == "trimmed", is_first)
        finally:
            for fut in jobs:
                fut.cancel()

    def _whole(
        self, cell: Cell, fut: Future[dict[str, str]], got: dict[str, str] | str
    ) -> dict[str, str] | str | None:
        """A cell's render once every part of it arrived (see `_split`): the parts merged,
        or the first part's failure; None while a part is missing."""
        found = self.parts.get(cell)
        if found is None:
            return got
        futures, done = found
        done[fut] = got
        if len(done) < len(futures):
            return None
        del self.parts[cell]
        outs = [done[f] for f in futures]
        failed = next((o for o in outs if isinstance(o, str)), None)
        if failed is not None:
            return failed
        merged: dict[str, str] = {}
        for o in outs:
            assert isinstance(o, dict)
            merged.update(o)
        return merged

    def _arrived(
        self, cell: Cell, out: dict[str, str] | str, trimmed: bool, is_first: bool
    ) -> dict[str, str] | str:
        """A cell's render as kept: a trimmed one merged over its version's defaults."""
        if isinstance(out, dict):
            if trimmed:
                base = self.bases[cell.kube_version]
                owned = self.partial.owned(cell, self.chart.name) if self.partial else ()
                if owned:
                    base = {k: v for k, v in base.items() if not k.startswith(owned)}
                out = {**base, **out}
            elif cell.name == DEFAULTS:
                self.bases[cell.kube_version] = out
            if not is_first:
                self._early_upgrade(cell, self.digest_and_parse(out))
                out = self.keep(out)
        return out

    def _early_upgrade(self, cell: Cell, key: str) -> None:
        """Submit the upgrade render of a distinct output when it first arrives, under its
        upgrade key (`_with_upgrades` takes it from there when the group's first cell has
        that key): the workers render it while the main thread takes the other cells."""
        partial = self.partial
        if partial is None or not self.opts.upgrades or partial.upgrade_same:
            return
        if key in self.up_seen:
            return
        self.up_seen.add(key)
        up_key = partial.upgrade_key(cell, self.plan.values[cell])
        if up_key is not None:
            req = self.req(cell, True, partial.upgrade_dir(cell))
            self._submit_shared(self.up_shared, up_key, req)

    def _with_upgrades(
        self,
        groups: dict[str, tuple[list[Cell], dict[str, str]]],
        failures: list[CellFailure],
    ) -> list[DistinctRender]:
        """One DistinctRender per group, with its upgrade render when asked for."""
        opts, partial, parsed = self.opts, self.partial, self.parsed
        upgrades: dict[str, Future[dict[str, str]]] = {}
        same = partial is not None and partial.upgrade_same
        if opts.upgrades and not same:
            shared = self.up_shared  # with those submitted as their outputs arrived
            for key, (cells, _out) in groups.items():
                if isinstance(parsed[key], SourceError):
                    continue
                values = self.plan.values[cells[0]]
                up_key = partial.upgrade_key(cells[0], values) if partial is not None else None
                up_dir = partial.upgrade_dir(cells[0]) if partial is not None else None
                upgrades[key] = self._submit_shared(
                    shared, up_key, self.req(cells[0], True, up_dir)
                )
        renders: list[DistinctRender] = []
        for key, (cells, out) in progress.track(
            groups.items(), "upgrade renders", len(groups) if opts.upgrades else 0
        ):
            objs = parsed[key]
            if isinstance(objs, SourceError):
                failures.extend(
                    CellFailure(c, f"rendered YAML does not parse: {objs}", None) for c in cells
                )
                continue
            upgrade = tuple(objs) if opts.upgrades and same else None
            if key in upgrades:
                upgrade = self._upgrade(upgrades, key, out, upgrade)
            values = self.plan.values[cells[0]]
            for o in (*objs, *(upgrade or ())):
                o.rendered_with(values)
            renders.append(DistinctRender(tuple(cells), tuple(objs), upgrade))
        return renders

    def _upgrade(
        self,
        upgrades: Mapping[str, Future[dict[str, str]]],
        key: str,
        out: dict[str, str],
        upgrade: tuple[K8sObject, ...] | None,
    ) -> tuple[K8sObject, ...] | None:
        try:
            up = upgrades[key].result()
            if self.partial is not None and self.partial.upgrade is not None:
                up = {**out, **up}
            return tuple(_objects(up, self.chart.name, self.memo))
        except RenderTimeout:  # one upgrade render loops: the others would too
            for fut in upgrades.values():
                fut.cancel()
        except (TemplateError, SourceError, CancelledError):
            return None
        return upgrade


def _outcome(
    fut: Future[dict[str, str]], skipped: Mapping[Future[dict[str, str]], str]
) -> dict[str, str] | str:
    """A finished render's output, or the message of its failure."""
    try:
        return fut.result()
    except CancelledError:
        return skipped.get(fut, "not rendered")
    except TemplateError as exc:
        return str(exc)


def _skip_reason(late: Cell) -> str:
    return (
        f"not rendered: the {late.name} mode at {late.kube_version} did not finish "
        "within the render deadline"
    )


def _skip_mode(
    jobs: Mapping[Future[dict[str, str]], list[Cell]], late: Cell
) -> dict[Future[dict[str, str]], str]:
    """After `late` missed the deadline, cancel the cells of its mode not yet started (every
    cell when it is the defaults mode: the other modes are small changes to it)."""
    reason = _skip_reason(late)
    return {
        fut: reason
        for fut, cells in jobs.items()
        if (late.name == DEFAULTS or any(c.name == late.name for c in cells)) and fut.cancel()
    }


CONSTRAINT = "execution error at ("


def is_constraint(message: str) -> bool:
    """Helm's wording for the chart's own `fail` / `required` message."""
    return message.startswith(CONSTRAINT)


def dependency_cause(message: str, missing: Iterable[str]) -> str | None:
    """The missing dependency a render failure comes from: a template of it that is not there
    (`no template "common.names.fullname"`), or a nil pointer on its values."""
    for name in missing:
        n = re.escape(name)
        if re.search(rf'no template "{n}\.', message):
            return name
        if ("nil pointer" in message or "untyped nil" in message) and re.search(
            rf'\.Values\.{n}\b|index \(?\$?\.Values\)? "{n}"|<"{n}">', message
        ):
            return name
    return None


def _retry_probes(
    results: list[tuple[Cell, dict[str, str] | str]],
    plan: Plan,
    one: Callable[[Cell], tuple[Cell, dict[str, str] | str]],
    missing: list[MissingDep],
) -> list[tuple[Cell, dict[str, str] | str]]:
    """A probe that fails to render (not by the chart's own `fail`/`required`, nor for a
    missing dependency) is tried again with its other fitting shapes; the first that renders
    replaces it in the plan."""
    names = [m.name for m in missing]
    out: list[tuple[Cell, dict[str, str] | str]] = []
    for cell, res in results:
        probe = plan.probes.get(cell.name)
        if (
            probe is None
            or not isinstance(res, str)
            or is_constraint(res)
            or dependency_cause(res, names)
        ):
            out.append((cell, res))
            continue
        key, alternates = probe
        for alt in alternates:
            new = Cell(cell.kube_version, ((key, _hashable(alt)),), f"{key}={_show(alt)}")
            plan.values[new] = set_path(plan.base_values, key, alt)
            plan.probes.setdefault(new.name, (key, ()))
            retried = one(new)[1]
            if not isinstance(retried, str):
                plan.cells[plan.cells.index(cell)] = new
                del plan.values[cell]
                plan.pairs = [
                    (new if m == cell else m, new if r == cell else r, k) for m, r, k in plan.pairs
                ]
                cell, res = new, retried
                break
            del plan.values[new]
        out.append((cell, res))
    return out


def _drop_failed_probes(
    failures: list[CellFailure], plan: Plan, missing: list[MissingDep]
) -> list[CellFailure]:
    """Probes that no fitting shape rendered leave the matrix: a value seatrial made up and
    the chart refuses is no finding. The chart's own `fail`/`required` and failures from a
    missing dependency stay (ST101 info, ST103)."""
    names = [m.name for m in missing]
    kept: list[CellFailure] = []
    for f in failures:
        if (
            f.cell.name in plan.probes
            and not is_constraint(f.message)
            and not dependency_cause(f.message, names)
        ):
            plan.dropped.append((f.cell, f.message))
            plan.cells.remove(f.cell)
            plan.values.pop(f.cell, None)
            plan.pairs = [p for p in plan.pairs if f.cell not in (p[0], p[1])]
            continue
        kept.append(f)
    return kept


def every_cell_failed(matrix: RenderedMatrix) -> str:
    """The one-line reason when no cell rendered, naming a missing dependency that caused it."""
    first = matrix.failures[0].message if matrix.failures else "no output"
    names = [m.name for m in matrix.missing]
    causes = {dependency_cause(f.message, names) for f in matrix.failures}
    head = f"every cell failed to render ({len(matrix.failures)} cells)"
    if matrix.failures and None not in causes:
        deps = ", ".join(
            f"{m.name} {m.version}".strip() + f" ({m.reason})"
            for m in matrix.missing
            if m.name in causes
        )
        return (
            f"{head} because dependency {deps} is missing from charts/: run `helm "
            f"dependency build` or vendor it; first error: {' '.join(first.split())}"
        )
    if is_constraint(first):  # the chart's own `fail` or `required`
        return (
            f"{head}; the chart asks for values it has no default for: give them with -f FILE "
            f"or --set (a ci/*-values.yaml file is checked as a mode of its own); "
            f"first error: {first}"
        )
    return f"{head}; first error: {first}"


def _failure_location(message: str, chart_name: str) -> Location | None:
    """Helm errors name `template: chart/templates/x.yaml:12:3: ...`."""
    m = re.search(
        r"(?:template: |parse error at \()?" + re.escape(chart_name) + r"/([^\s:()]+):(\d+)",
        message,
    )
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
    return RenderedMatrix(source, plan, [render], [], [], "manifests", dict(source.documents))
