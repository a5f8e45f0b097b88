from __future__ import annotations

from tests.foundation.helpers import CHARTS, EXAMPLES

from seatrial.render.modes import discover
from seatrial.source.load import ChartSource, load_source


def toggles(path) -> dict[str, tuple[object, ...]]:  # type: ignore[no-untyped-def]
    src = load_source(str(path))
    assert isinstance(src, ChartSource)
    return {t.key: t.values for t in discover(src)}


def test_s1_schema_enum_and_if() -> None:
    assert toggles(EXAMPLES / "s1-manager-kind") == {
        "manager.kind": ("DaemonSet",), "serviceAccount.create": (False,)}


def test_webapp_if_not_with() -> None:
    found = toggles(CHARTS / "webapp")
    assert found["autoscaling.enabled"] == (True,)
    assert found["ingress.enabled"] == (True,)
    assert found["metrics.enabled"] == (True,)
    # passed-through configuration is not a mode
    assert "nodeSelector" not in found


def test_helm_create_scaffold_modes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from helm_python import Chart

    Chart.create("scaffold", str(tmp_path)).close()
    found = toggles(tmp_path / "scaffold")
    assert found == {"autoscaling.enabled": (True,), "httpRoute.enabled": (True,),
                     "ingress.enabled": (True,), "serviceAccount.create": (False,)}


def test_object_level_with_is_a_mode(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "templates").mkdir()
    (tmp_path / "Chart.yaml").write_text("apiVersion: v2\nname: t\nversion: 0.1.0\n")
    (tmp_path / "values.yaml").write_text("pdb: {}\nkind: Deployment\nlabels: {}\n")
    (tmp_path / "templates" / "pdb.yaml").write_text(
        "{{- with .Values.pdb }}\napiVersion: policy/v1\nkind: PodDisruptionBudget\n{{- end }}\n"
        "---\nkind: {{ default \"StatefulSet\" .Values.kind }}\nmetadata:\n"
        "  {{- with .Values.labels }}\n  labels: {{ toYaml . }}\n  {{- end }}\n")
    assert toggles(tmp_path) == {"pdb": ({"seatrial.io/probe": "true"},),
                                 "kind": ("StatefulSet",)}


def test_template_comparisons_both_orders_and_ternary(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "templates").mkdir()
    (tmp_path / "Chart.yaml").write_text("apiVersion: v2\nname: t\nversion: 0.1.0\n")
    (tmp_path / "values.yaml").write_text("mode: a\nstore: {kind: pvc}\nha: false\n")
    (tmp_path / "templates" / "x.yaml").write_text(
        '{{ if eq .Values.mode "b" }}x{{ else if eq "c" .Values.mode }}y{{ end }}\n'
        '{{- if ne $.Values.store.kind "emptyDir" }}z{{ end }}\n'
        '{{ ternary 3 1 .Values.ha }}\n')
    found = toggles(tmp_path)
    assert found == {"mode": ("b", "c"), "store.kind": ("emptyDir",), "ha": (True,)}


def test_ci_values_are_cells() -> None:
    from seatrial.render.matrix import MatrixOptions, plan_matrix

    plan = plan_matrix(load_source(str(CHARTS / "webapp")), MatrixOptions())
    names = {c.name for c in plan.cells}
    assert "ci/ha-values.yaml" in names and "defaults" in names
