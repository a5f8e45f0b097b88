"""The one adapter over the Helm engine.

The embedded engine is `helm-python-sdk` (Helm v4's Go SDK through a C ABI). Its public
`Chart.render` takes no Kubernetes version, but the native `helm_render` call accepts
`kube_version` and `api_versions` options (checked with 0.2.2); that use stays in this module
and `tests/foundation/test_helm_adapter.py` fails loudly if an upgrade changes it.
`--helm-bin PATH` swaps in a helm CLI (`helm template --kube-version --api-versions`).
Both kinds run renders concurrently through `submit` with a deadline per render: the SDK in
worker processes (`render/pool.py`), the CLI as processes of its own.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import subprocess
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from seatrial.errors import SourceError

RELEASE_NAME = "release-name"
NAMESPACE = "default"


class TemplateError(Exception):
    """A cell failed to render; the message is Helm's."""


class RenderTimeout(TemplateError):
    """A render did not finish within its deadline; what ran it was killed."""

    def __init__(self, timeout: float) -> None:
        super().__init__(
            f"render did not finish within {timeout:g} s (--render-timeout); "
            "a template may loop without end"
        )


@dataclass(frozen=True)
class RenderRequest:
    values: dict[str, Any]
    kube_version: str  # "v1.32.10"
    api_versions: tuple[str, ...] = ()
    upgrade: bool = False
    release_name: str = RELEASE_NAME
    namespace: str = NAMESPACE
    #: a trimmed copy of the chart to render instead of the whole (render/deps.py); an
    #: engine may ignore it and render the whole chart, which gives the same merged result
    chart_dir: str | None = None


class Engine(Protocol):
    name: str

    def submit(self, req: RenderRequest) -> Future[dict[str, str]]:
        """Start a render; its result maps template path (`chart/templates/x.yaml`) to
        rendered text, or raises TemplateError (RenderTimeout past the deadline)."""
        ...

    def render(self, req: RenderRequest) -> dict[str, str]: ...

    def close(self) -> None:
        """Stop every render still running (kill its process) and free the engine."""
        ...


def sdk_version() -> str:
    """The Helm SDK version embedded in helm-python-sdk."""
    import helm_python

    return str(helm_python.helm_sdk_version())


def sdk_fingerprint() -> str:
    """Which embedded engine renders, without loading it (loading starts a Go runtime of
    ~60 MB in this process): helm-python-sdk's version and its native library's size and
    modification time. For cache keys; `sdk_version` names the Helm version for people."""
    import importlib.util

    spec = importlib.util.find_spec("helm_python")
    lib, dist = "unknown", ""
    if spec is not None and spec.origin:
        package = Path(spec.origin).parent
        with contextlib.suppress(OSError):
            st = (package / "lib" / "libhelm_c.so").stat()
            lib = f"{st.st_size}-{st.st_mtime_ns}"
        # the installed distribution's folder names its version (importlib.metadata costs
        # ~10 ms to import and scan: every run, warm ones included, asks for this)
        found = sorted(package.parent.glob("helm_python_sdk-*.dist-info"))
        dist = found[0].name.removesuffix(".dist-info").split("-", 1)[1] if len(found) == 1 else ""
    if not dist:
        import importlib.metadata

        try:
            dist = importlib.metadata.version("helm-python-sdk")
        except importlib.metadata.PackageNotFoundError:
            dist = "unknown"
    return f"helm-python-sdk {dist} {lib}"


_LOGGER = logging.getLogger("seatrial.helm")
_LOGGER.addHandler(logging.NullHandler())
_LOGGER.propagate = False


def _quiet_helm_logs() -> None:
    """The Go SDK logs to stderr by default ("found symbolic link in path", coalesce
    warnings): route its records into a silent Python logger instead, so the only stderr
    output is seatrial's. Render errors still arrive as exceptions."""
    import helm_python

    helm_python.enable_logging(logging.ERROR, logger=_LOGGER)


class SdkEngine:
    """Helm's Go SDK, in this process (each render worker holds one).

    A render processes dependency conditions by removing disabled subcharts from the loaded
    chart itself (seen with helm-python-sdk 0.2.2: after a render with `backend.enabled=false`
    every later render lacks the backend subchart). The chart is loaded once and kept while
    renders leave its loaded subcharts as they were; after a render that removed one, the
    next render loads it afresh. The other changes a render makes are the same for every
    render (aliases renamed, `import-values` merged, dependencies of absent charts dropped
    from the metadata) except the metadata's dependency list, which templates can read as
    `.Chart.Dependencies`: a chart whose templates mention it, whose subcharts have
    subcharts of their own (invisible from here) or that ships subcharts as archives (not
    scanned) is loaded afresh for every render, as before.
    """

    name = "helm-python-sdk"

    def __init__(self, chart_path: Path) -> None:
        _quiet_helm_logs()
        self._path = chart_path
        self._chart = self._load()
        self._subcharts = bool(self._chart.metadata.get("dependencies"))
        self._pristine = _loaded_shape(self._chart) if self._subcharts else ""
        self._keep = not self._subcharts or _keepable(chart_path, self._chart)
        self._stale = False

    def _load(self) -> Any:
        from helm_python import Chart
        from helm_python.errors import HelmError

        try:
            return Chart.load(self._path)
        except HelmError as exc:
            raise SourceError(f"{self._path}: Helm cannot load the chart: {exc}") from None

    def render(self, req: RenderRequest) -> dict[str, str]:
        rendered: dict[str, str] = json.loads(self.render_json(req))
        return rendered

    def render_json(self, req: RenderRequest) -> str:
        """The render as the engine answers it: a JSON object of template path -> text
        (Go writes map keys sorted: the same render gives the same text)."""
        if self._stale:
            self._chart.close()
            self._chart = self._load()
        try:
            return self._render(self._chart, req)
        finally:
            if self._subcharts:
                self._stale = not self._keep or _loaded_shape(self._chart) != self._pristine

    def _render(self, chart: Any, req: RenderRequest) -> str:
        from helm_python import _native
        from helm_python.errors import HelmError

        opts: dict[str, Any] = {
            "name": req.release_name,
            "namespace": req.namespace,
            "kube_version": req.kube_version,
            "revision": 2 if req.upgrade else 1,
            "is_install": not req.upgrade,
            "is_upgrade": req.upgrade,
        }
        if req.api_versions:
            opts["api_versions"] = list(req.api_versions)
        try:
            out: str = _native.call_string(
                "helm_render", chart._raw(), json.dumps(req.values), json.dumps(opts)
            )
        except HelmError as exc:
            raise TemplateError(str(exc)) from None
        return out

    def close(self) -> None:
        self._chart.close()


def _loaded_shape(chart: Any) -> str:
    """The subcharts a loaded chart holds, as JSON, without what every render sets afresh (the
    `enabled` flags, the order: a render puts them in Chart.yaml order)."""
    subcharts = [
        json.dumps({k: v for k, v in d.items() if k != "enabled"}, sort_keys=True)
        for d in chart.dependencies
    ]
    return "\n".join(sorted(subcharts))


_SCAN_LIMIT = 8 << 20  # a template larger than this is not read here: reload instead


def _keepable(chart_path: Path, chart: Any) -> bool:
    """Whether renders may share one loaded chart with subcharts (see SdkEngine): a chart
    directory, or a chart archive (render/deps.py writes trimmed copies as archives)."""
    if any(d.get("dependencies") for d in chart.dependencies):
        return False
    if chart_path.is_file():
        return _keepable_archive(chart_path)
    if not chart_path.is_dir():
        return False
    for path in chart_path.rglob("*"):
        rel = path.relative_to(chart_path).parts
        if rel[0] == "charts" and path.suffix == ".tgz":
            return False
        if "templates" not in rel or not path.is_file():
            continue
        try:
            if path.stat().st_size > _SCAN_LIMIT or b"Dependencies" in path.read_bytes():
                return False
        except OSError:
            return False
    return True


def _keepable_archive(archive: Path) -> bool:
    """`_keepable` for a chart archive: its members under the chart's top folder."""
    import tarfile

    try:
        with tarfile.open(archive) as tar:
            for member in tar:
                rel = member.name.split("/")[1:]
                if rel[:1] == ["charts"] and member.name.endswith(".tgz"):
                    return False
                if "templates" not in rel or not member.isfile():
                    continue
                if member.size > _SCAN_LIMIT:
                    return False
                data = tar.extractfile(member)
                if data is None or b"Dependencies" in data.read():
                    return False
    except (OSError, tarfile.TarError):
        return False
    return True


_SOURCE = re.compile(r"^# Source: (.+)$", re.M)


def cli_version(helm_bin: str) -> str:
    """`helm version --short` of a helm CLI; SourceError when it cannot run or fails."""
    try:
        proc = subprocess.run(
            [helm_bin, "version", "--short"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except OSError as exc:
        raise SourceError(f"--helm-bin {helm_bin}: cannot run: {exc.strerror}") from None
    except subprocess.TimeoutExpired:
        raise SourceError(f"--helm-bin {helm_bin}: `helm version` did not answer") from None
    if proc.returncode != 0:
        raise SourceError(f"--helm-bin {helm_bin}: `helm version` failed")
    return proc.stdout.strip()


class CliEngine:
    """A helm CLI (`--helm-bin`): one process per render, much slower than the SDK. Values go
    through stdin (`-f -`), never through a file: they may hold `--set` secrets."""

    name = "helm-cli"

    def __init__(
        self, helm_bin: str, chart_path: Path, *, workers: int = 2, timeout: float = 30.0
    ) -> None:
        self.helm_bin = helm_bin
        self.chart_path = chart_path
        self.timeout = timeout
        self.version = cli_version(helm_bin)
        self._pool = ThreadPoolExecutor(max_workers=max(1, workers))
        self._live: set[subprocess.Popen[str]] = set()
        self._lock = threading.Lock()

    def submit(self, req: RenderRequest) -> Future[dict[str, str]]:
        return self._pool.submit(self.render, req)

    def render(self, req: RenderRequest) -> dict[str, str]:
        cmd = [
            self.helm_bin,
            "template",
            req.release_name,
            str(self.chart_path),
            "--namespace",
            req.namespace,
            "--kube-version",
            req.kube_version,
            "-f",
            "-",
        ]
        for api in req.api_versions:
            cmd += ["--api-versions", api]
        if req.upgrade:
            cmd.append("--is-upgrade")
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "HELM_NO_PLUGINS": "1"},
        )
        with self._lock:
            self._live.add(proc)
        try:
            out, err = proc.communicate(json.dumps(req.values), timeout=self.timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise RenderTimeout(self.timeout) from None
        finally:
            with self._lock:
                self._live.discard(proc)
        if proc.returncode != 0:
            raise TemplateError(err.strip() or "helm template failed")
        return split_sources(out)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            for proc in self._live:
                proc.kill()


def split_sources(stream: str) -> dict[str, str]:
    """Split `helm template` output on its `# Source:` comments."""
    out: dict[str, str] = {}
    for doc in re.split(r"^---\s*$", stream, flags=re.M):
        m = _SOURCE.search(doc)
        if not m:
            continue
        body = doc[m.end() :].lstrip("\n")
        key = m.group(1).strip()
        out[key] = f"{out[key]}---\n{body}" if key in out else body
    return out


def make_engine(
    chart_path: Path, helm_bin: str | None, *, workers: int = 2, timeout: float = 30.0
) -> Engine:
    """The engine for a run: `workers` renders at a time, each killed after `timeout` s."""
    if helm_bin:
        return CliEngine(helm_bin, chart_path, workers=workers, timeout=timeout)
    from seatrial.render.pool import PoolEngine

    return PoolEngine(chart_path, size=workers, timeout=timeout)
