"""The one adapter over the Helm engine.

The embedded engine is `helm-python-sdk` (Helm v4's Go SDK through a C ABI). Its public
`Chart.render` takes no Kubernetes version, but the native `helm_render` call accepts
`kube_version` and `api_versions` options (checked with 0.2.2); that use stays in this module
and `tests/render/test_helm_adapter.py` fails loudly if an upgrade changes it.
`--helm-bin PATH` swaps in a helm CLI (`helm template --kube-version --api-versions`).
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from seatrial.errors import SourceError

RELEASE_NAME = "release-name"
NAMESPACE = "default"


class TemplateError(Exception):
    """A cell failed to render; the message is Helm's."""


@dataclass(frozen=True)
class RenderRequest:
    values: dict[str, Any]
    kube_version: str  # "v1.32.10"
    api_versions: tuple[str, ...] = ()
    upgrade: bool = False


class Engine(Protocol):
    name: str

    def render(self, req: RenderRequest) -> dict[str, str]:
        """Template path (`chart/templates/x.yaml`) -> rendered text."""
        ...

    def close(self) -> None: ...


def sdk_version() -> str:
    """The Helm SDK version embedded in helm-python-sdk."""
    import helm_python

    return str(helm_python.helm_sdk_version())


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
    """Helm's Go SDK, in-process.

    A render processes dependency conditions by removing disabled subcharts from the loaded
    chart itself (seen with helm-python-sdk 0.2.2: after a render with `backend.enabled=false`
    every later render lacks the backend subchart). A chart with dependencies is therefore
    loaded afresh for each render (about 0.5 ms); one without is loaded once and shared.
    """

    name = "helm-python-sdk"

    def __init__(self, chart_path: Path) -> None:
        _quiet_helm_logs()
        self._path = chart_path
        self._chart = self._load()
        self._shared = not self._chart.metadata.get("dependencies")

    def _load(self) -> Any:
        from helm_python import Chart
        from helm_python.errors import HelmError

        try:
            return Chart.load(self._path)
        except HelmError as exc:
            raise SourceError(f"{self._path}: Helm cannot load the chart: {exc}") from None

    def render(self, req: RenderRequest) -> dict[str, str]:
        if self._shared:
            return self._render(self._chart, req)
        chart = self._load()
        try:
            return self._render(chart, req)
        finally:
            chart.close()

    def _render(self, chart: Any, req: RenderRequest) -> dict[str, str]:
        from helm_python import _native
        from helm_python.errors import HelmError

        opts: dict[str, Any] = {
            "name": RELEASE_NAME,
            "namespace": NAMESPACE,
            "kube_version": req.kube_version,
            "revision": 2 if req.upgrade else 1,
            "is_install": not req.upgrade,
            "is_upgrade": req.upgrade,
        }
        if req.api_versions:
            opts["api_versions"] = list(req.api_versions)
        try:
            out = _native.call_string(
                "helm_render", chart._raw(), json.dumps(req.values), json.dumps(opts)
            )
        except HelmError as exc:
            raise TemplateError(str(exc)) from None
        rendered: dict[str, str] = json.loads(out)
        return rendered

    def close(self) -> None:
        self._chart.close()


_SOURCE = re.compile(r"^# Source: (.+)$", re.M)


class CliEngine:
    """A helm CLI (`--helm-bin`). One process per render: much slower than the SDK."""

    name = "helm-cli"

    def __init__(self, helm_bin: str, chart_path: Path) -> None:
        self.helm_bin = helm_bin
        self.chart_path = chart_path
        try:
            proc = subprocess.run([helm_bin, "version", "--short"], capture_output=True,
                                  text=True, timeout=30, check=False)
        except OSError as exc:
            raise SourceError(f"--helm-bin {helm_bin}: cannot run: {exc.strerror}") from None
        if proc.returncode != 0:
            raise SourceError(f"--helm-bin {helm_bin}: `helm version` failed")
        self.version = proc.stdout.strip()

    def render(self, req: RenderRequest) -> dict[str, str]:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
            json.dump(req.values, fh)
            values_file = fh.name
        try:
            cmd = [self.helm_bin, "template", RELEASE_NAME, str(self.chart_path),
                   "--namespace", NAMESPACE, "--kube-version", req.kube_version,
                   "-f", values_file]
            for api in req.api_versions:
                cmd += ["--api-versions", api]
            if req.upgrade:
                cmd.append("--is-upgrade")
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False,
                                  env={**os.environ, "HELM_NO_PLUGINS": "1"})
        finally:
            os.unlink(values_file)
        if proc.returncode != 0:
            raise TemplateError(proc.stderr.strip() or "helm template failed")
        return split_sources(proc.stdout)

    def close(self) -> None:
        pass


def split_sources(stream: str) -> dict[str, str]:
    """Split `helm template` output on its `# Source:` comments."""
    out: dict[str, str] = {}
    for doc in re.split(r"^---\s*$", stream, flags=re.M):
        m = _SOURCE.search(doc)
        if not m:
            continue
        body = doc[m.end():].lstrip("\n")
        key = m.group(1).strip()
        out[key] = f"{out[key]}---\n{body}" if key in out else body
    return out


def make_engine(chart_path: Path, helm_bin: str | None) -> Engine:
    if helm_bin:
        return CliEngine(helm_bin, chart_path)
    return SdkEngine(chart_path)
