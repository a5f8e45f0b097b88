"""The embedded engine's native options we depend on. If a helm-python-sdk upgrade changes
them, these fail loudly: `Chart.render` has no kube_version, `helm_render` does."""

from __future__ import annotations

from pathlib import Path

import helm_python
import pytest

from seatrial.render.helm import RenderRequest, SdkEngine, TemplateError, split_sources

CHART = """\
apiVersion: v2
name: probe
version: 0.1.0
"""
TEMPLATE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: probe
data:
  version: {{ .Capabilities.KubeVersion.Version | quote }}
  minor: {{ .Capabilities.KubeVersion.Minor | quote }}
  has: {{ .Capabilities.APIVersions.Has "example.io/v9" | quote }}
  revision: {{ .Release.Revision | quote }}
  upgrade: {{ .Release.IsUpgrade | quote }}
"""


@pytest.fixture()
def probe(tmp_path: Path) -> Path:
    (tmp_path / "templates").mkdir()
    (tmp_path / "Chart.yaml").write_text(CHART)
    (tmp_path / "templates" / "cm.yaml").write_text(TEMPLATE)
    return tmp_path


def test_pinned_sdk_version() -> None:
    assert helm_python.__version__ == "0.2.2"


def test_native_render_honours_kube_version_api_versions_and_upgrade(probe: Path) -> None:
    engine = SdkEngine(probe)
    out = engine.render(RenderRequest({}, "v1.31.4", ("example.io/v9",), upgrade=True))
    text = out["probe/templates/cm.yaml"]
    assert 'version: "v1.31.4"' in text
    assert 'minor: "31"' in text
    assert 'has: "true"' in text
    assert 'revision: "2"' in text
    assert 'upgrade: "true"' in text
    out = engine.render(RenderRequest({}, "v1.29.0"))
    text = out["probe/templates/cm.yaml"]
    assert 'minor: "29"' in text and 'has: "false"' in text and 'revision: "1"' in text


def test_template_error_is_reported_not_raised_as_helm_error(probe: Path) -> None:
    (probe / "templates" / "bad.yaml").write_text('{{ required "x is required" .Values.x }}\n')
    with pytest.raises(TemplateError, match="x is required"):
        SdkEngine(probe).render(RenderRequest({}, "v1.31.0"))


def test_disabled_subchart_does_not_leak_into_later_renders() -> None:
    from tests.foundation.helpers import CHARTS

    engine = SdkEngine(CHARTS / "shop")
    off = engine.render(RenderRequest({"backend": {"enabled": False}}, "v1.31.0"))
    on = engine.render(RenderRequest({}, "v1.31.0"))
    assert "shop/charts/backend/templates/deployment.yaml" not in off
    assert "shop/charts/backend/templates/deployment.yaml" in on


def test_split_sources_of_helm_template_output() -> None:
    stream = (
        "---\n# Source: c/templates/a.yaml\nkind: A\n---\n# Source: c/templates/b.yaml\n"
        "kind: B\n---\n# Source: c/templates/a.yaml\nkind: A2\n"
    )
    out = split_sources(stream)
    assert out == {
        "c/templates/a.yaml": "kind: A\n---\nkind: A2\n",
        "c/templates/b.yaml": "kind: B\n",
    }


def _count_loads(engine: SdkEngine) -> list[int]:
    calls = [0]
    load = engine._load

    def counted() -> object:
        calls[0] += 1
        return load()

    engine._load = counted  # type: ignore[method-assign]
    return calls


def test_loaded_chart_is_kept_until_a_render_removes_a_subchart() -> None:
    from tests.foundation.helpers import CHARTS

    engine = SdkEngine(CHARTS / "shop")
    loads = _count_loads(engine)
    first = engine.render(RenderRequest({}, "v1.31.0"))
    assert engine.render(RenderRequest({}, "v1.31.0")) == first
    assert loads[0] == 0
    engine.render(RenderRequest({"backend": {"enabled": False}}, "v1.31.0"))
    assert engine.render(RenderRequest({}, "v1.31.0")) == first
    assert loads[0] == 1
    engine.render(RenderRequest({}, "v1.31.0"))
    assert loads[0] == 1


def _ghost_chart(root: Path, template: str) -> Path:
    """A chart declaring a dependency that is not in charts/ (as offline corpus charts do)."""
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text(
        "apiVersion: v2\nname: ghost\nversion: 1.0.0\ndependencies:\n"
        "  - name: sub\n    version: 1.0.0\n    repository: https://example.invalid\n"
        "    condition: sub.enabled\n"
    )
    (root / "values.yaml").write_text("sub:\n  enabled: false\n")
    (root / "templates" / "cm.yaml").write_text(template)
    return root


def test_chart_reading_its_dependency_list_is_loaded_afresh_for_every_render(
    tmp_path: Path,
) -> None:
    chart = _ghost_chart(tmp_path / "ghost", 'n: "{{ len .Chart.Dependencies }}"\n')
    engine = SdkEngine(chart)
    loads = _count_loads(engine)
    assert engine.render(RenderRequest({}, "v1.31.0"))["ghost/templates/cm.yaml"] == 'n: "0"\n'
    on = engine.render(RenderRequest({"sub": {"enabled": True}}, "v1.31.0"))
    assert on["ghost/templates/cm.yaml"] == 'n: "1"\n'
    assert loads[0] == 1


def test_chart_with_an_absent_dependency_is_loaded_once(tmp_path: Path) -> None:
    chart = _ghost_chart(tmp_path / "ghost", 'n: "{{ .Values.sub.enabled }}"\n')
    engine = SdkEngine(chart)
    loads = _count_loads(engine)
    assert engine.render(RenderRequest({}, "v1.31.0"))["ghost/templates/cm.yaml"] == 'n: "false"\n'
    on = engine.render(RenderRequest({"sub": {"enabled": True}}, "v1.31.0"))
    assert on["ghost/templates/cm.yaml"] == 'n: "true"\n'
    assert loads[0] == 0
