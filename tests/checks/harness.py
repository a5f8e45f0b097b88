"""Run one check on one input, the way the engine calls it for the check's scope.

Every check has a test module `tests/checks/test_stNNN_<slug>.py` with two fixtures,
`failing(tmp: Path)` and `passing(tmp: Path)`, each returning the input of the check's scope:
a `CellContext` (CONTAINER, WORKLOAD and CELL checks), a `MatrixContext` (MATRIX) or the
command's result (COMMAND). `tests/test_meta.py` runs every registered check on both
(`fixture_problems`): the failing one must be flagged, the passing one left clean.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType

from seatrial.checks.registry import (
    CellContext,
    CheckSpec,
    ContainerContext,
    Facts,
    MatrixContext,
    MissingDependency,
    RenderFailure,
    Scope,
    Violation,
    WorkloadContext,
)
from seatrial.facts.files import DIR, FILE, FileEntry, FileIndex
from seatrial.facts.image import ImageFacts, ImageResult
from seatrial.findings import Cell, Location
from seatrial.images.index import read_image_file
from seatrial.objects.extract import ObjectSet
from seatrial.objects.parse import parse_objects
from seatrial.render.matrix import MatrixOptions, render_matrix
from seatrial.shell.gather import ScriptOptions, gather_scripts
from seatrial.source.load import load_source

Fixture = object  # CellContext | MatrixContext | a command's result


def violations(spec: CheckSpec, given: Fixture) -> list[Violation]:
    """What `spec` says about `given`, called per scope as `checks.engine.run_checks` does."""
    if spec.scope in (Scope.MATRIX, Scope.COMMAND):
        return list(spec.func(given))
    assert isinstance(given, CellContext), f"{spec.id}: a {spec.scope} check takes a CellContext"
    if spec.scope is Scope.CELL:
        return list(spec.func(given))
    out: list[Violation] = []
    for w in given.objects.workloads:
        if spec.scope is Scope.WORKLOAD:
            out += spec.func(WorkloadContext(w, given))
            continue
        for c in w.pod.all_containers:
            out += spec.func(ContainerContext(c, w, given))
    return out


def flagged(spec: CheckSpec, given: Fixture) -> list[str]:
    """The check ids a run of `spec` on `given` reports (one per violation)."""
    return [spec.id for _ in violations(spec, given)]


def fixture_module(spec: CheckSpec) -> ModuleType | None:
    name = f"tests.checks.test_{spec.id.lower()}_{spec.slug.replace('-', '_')}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None


def fixture_problems(spec: CheckSpec, tmp: Path) -> list[str]:
    """Why `spec` fails the contract with its fixtures ([] when it holds): its module is
    missing, its failing fixture is not flagged with its id, or its passing one is flagged."""
    module = fixture_module(spec)
    failing: Callable[[Path], Fixture] | None = getattr(module, "failing", None)
    passing: Callable[[Path], Fixture] | None = getattr(module, "passing", None)
    if module is None or failing is None or passing is None:
        return [
            f"{spec.id}: no tests/checks/test_{spec.id.lower()}_"
            f"{spec.slug.replace('-', '_')}.py with failing() and passing() fixtures"
        ]
    problems = []
    (tmp / "fail").mkdir(parents=True, exist_ok=True)
    (tmp / "pass").mkdir(parents=True, exist_ok=True)
    ids = flagged(spec, failing(tmp / "fail"))
    if not ids:
        problems.append(f"{spec.id}: its failing fixture is not flagged")
    elif set(ids) != {spec.id}:
        problems.append(f"{spec.id}: its failing fixture is flagged as {sorted(set(ids))}")
    clean = violations(spec, passing(tmp / "pass"))
    if clean:
        problems.append(f"{spec.id}: its passing fixture is flagged: {clean[0].message}")
    return problems


# --- building inputs ---------------------------------------------------------------------


NEWEST = Cell("1.31")


def cell(
    text: str,
    images: Mapping[str, ImageResult] | None = None,
    at: Cell = NEWEST,
    *,
    is_template: bool = True,
) -> CellContext:
    """One render of the manifests `text`, with its scripts gathered as the engine does."""
    objects = ObjectSet.build(parse_objects(text, "templates/t.yaml", is_template=is_template))
    imgs = dict(images or {})
    scripts = gather_scripts(objects, imgs, ScriptOptions(read_image_file=read_image_file))
    return CellContext((at,), objects, Facts(imgs, scripts))


def matrix(
    *renders: CellContext,
    images: Mapping[str, ImageResult] | None = None,
    failures: tuple[RenderFailure, ...] = (),
    upgrades: tuple[tuple[CellContext, CellContext], ...] = (),
    missing: tuple[MissingDependency, ...] = (),
    sources: Mapping[str, str] | None = None,
) -> MatrixContext:
    """A run made of `renders` (and what else a MATRIX check reads), built by hand."""
    return MatrixContext(
        tuple(renders),
        failures,
        upgrades,
        missing,
        frozenset(),
        dict(sources or {}),
        Facts(dict(images or {})),
    )


def rendered(chart: Path | str, **options: object) -> MatrixContext:
    """A chart rendered for real (offline) over its matrix, as `check` builds the run."""
    opts = MatrixOptions(offline=True, **options)  # type: ignore[arg-type]
    run = render_matrix(load_source(str(chart)), opts)
    contexts = [CellContext(r.cells, ObjectSet.build(r.objects), Facts()) for r in run.renders]
    return MatrixContext(
        renders=tuple(contexts),
        failures=tuple(
            RenderFailure(f.cell, f.message, f.source)
            for f in run.failures
            if f.cell not in run.plan.companions
        ),
        upgrades=tuple(
            (ctx, CellContext(ctx.cells, ObjectSet.build(r.upgrade), ctx.facts))
            for ctx, r in zip(contexts, run.renders, strict=True)
            if r.upgrade is not None
        ),
        missing_dependencies=tuple(
            MissingDependency(
                m.name, m.version, m.repository, m.reason, Location("Chart.yaml", m.line)
            )
            for m in run.missing
        ),
        mode_keys=run.plan.mode_keys,
        template_sources=run.files,
        facts=Facts(),
        mode_pairs=tuple(run.plan.pairs),
    )


def write_chart(
    root: Path,
    templates: Mapping[str, str],
    values: str = "",
    chart_yaml: str = "apiVersion: v2\nname: fixture\nversion: 1.0.0\n",
) -> Path:
    (root / "templates").mkdir(parents=True, exist_ok=True)
    (root / "Chart.yaml").write_text(chart_yaml, encoding="utf-8")
    (root / "values.yaml").write_text(values, encoding="utf-8")
    for name, text in templates.items():
        (root / "templates" / name).write_text(text, encoding="utf-8")
    return root


def converged(
    tmp: Path, script: str, *, scenario: str = "restart", cleanup: str | None = None
) -> object:
    """A real converge run (real bubblewrap) of the bash `script` on an empty state mounted at
    /host: two runs for `restart`, install then `cleanup` for `cleanup`."""
    from seatrial.converge.sandbox import Bind, Sandbox
    from seatrial.converge.scenarios import Invocation, Limits, StateMount, plan, run

    def invocation(name: str, text: str) -> Invocation:
        path = tmp / name
        path.write_text(text, encoding="utf-8")
        return Invocation(
            ("bash", str(path)), mounts=(StateMount("/host"),), binds=(Bind(str(path), path),)
        )

    (tmp / "seed").mkdir(exist_ok=True)
    install = invocation("install.sh", script)
    steps = plan(
        scenario,
        2,
        install,
        cleanup=invocation("cleanup.sh", cleanup) if cleanup is not None else None,
    )
    return run(
        scenario,
        steps,
        tmp / "seed",
        Sandbox(),
        Limits(timeout=60, floor=5.0, idle=0),
        state_label="seed",
    )


def image(
    ref: str,
    *,
    entrypoint: tuple[str, ...] | None = None,
    executables: tuple[str, ...] = (),
    env: tuple[str, ...] = (),
) -> ImageFacts:
    """An image the registry answered for: its config and a file tree holding `executables`."""
    entries = {"/": FileEntry("/", DIR, 0o755)}
    for path in executables:
        parts = path.strip("/").split("/")
        for i in range(1, len(parts)):
            d = "/" + "/".join(parts[:i])
            entries[d] = FileEntry(d, DIR, 0o755)
        entries[path] = FileEntry(path, FILE, 0o755, 1)
    return ImageFacts(
        ref, ref, "sha256:" + "0" * 64, entrypoint, None, env, "", "", FileIndex(entries)
    )
