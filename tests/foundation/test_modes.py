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
        "manager.kind": ("DaemonSet",),
        "serviceAccount.create": (False,),
    }


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
    assert found == {
        "autoscaling.enabled": (True,),
        "httpRoute.enabled": (True,),
        "ingress.enabled": (True,),
        "serviceAccount.create": (False,),
    }


def test_object_level_with_is_a_mode(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "templates").mkdir()
    (tmp_path / "Chart.yaml").write_text("apiVersion: v2\nname: t\nversion: 0.1.0\n")
    (tmp_path / "values.yaml").write_text("pdb: {}\nkind: Deployment\nlabels: {}\n")
    (tmp_path / "templates" / "pdb.yaml").write_text(
        "{{- with .Values.pdb }}\napiVersion: policy/v1\nkind: PodDisruptionBudget\n{{- end }}\n"
        '---\nkind: {{ default "StatefulSet" .Values.kind }}\nmetadata:\n'
        "  {{- with .Values.labels }}\n  labels: {{ toYaml . }}\n  {{- end }}\n"
    )
    assert toggles(tmp_path) == {"pdb": ({"seatrial.io/probe": "true"},), "kind": ("StatefulSet",)}


def test_template_comparisons_both_orders_and_ternary(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "templates").mkdir()
    (tmp_path / "Chart.yaml").write_text("apiVersion: v2\nname: t\nversion: 0.1.0\n")
    (tmp_path / "values.yaml").write_text("mode: a\nstore: {kind: pvc}\nha: false\n")
    (tmp_path / "templates" / "x.yaml").write_text(
        '{{ if eq .Values.mode "b" }}x{{ else if eq "c" .Values.mode }}y{{ end }}\n'
        '{{- if ne $.Values.store.kind "emptyDir" }}z{{ end }}\n'
        "{{ ternary 3 1 .Values.ha }}\n"
    )
    found = toggles(tmp_path)
    assert found == {"mode": ("b", "c"), "store.kind": ("emptyDir",), "ha": (True,)}


def test_ci_values_are_cells() -> None:
    from seatrial.render.matrix import MatrixOptions, plan_matrix

    plan = plan_matrix(load_source(str(CHARTS / "webapp")), MatrixOptions())
    names = {c.name for c in plan.cells}
    assert "ci/ha-values.yaml" in names and "defaults" in names


def _chart(tmp_path, values: str, template: str, schema: str | None = None):  # type: ignore[no-untyped-def]
    (tmp_path / "templates").mkdir()
    (tmp_path / "Chart.yaml").write_text("apiVersion: v2\nname: t\nversion: 0.1.0\n")
    (tmp_path / "values.yaml").write_text(values)
    (tmp_path / "templates" / "x.yaml").write_text(template)
    if schema is not None:
        (tmp_path / "values.schema.json").write_text(schema)
    return tmp_path


def test_value_used_only_as_an_argument_is_not_a_toggle(tmp_path) -> None:  # type: ignore[no-untyped-def]
    chart = _chart(
        tmp_path,
        "rbac: {create: true}\ncm: {a: 1}\nx: {}\ny: {}\nz: {}\n",
        (
            '{{- with (omit .Values.rbac "create") }}\nkind: A\n{{- end }}\n'
            '{{- if (index .Values.cm "dex.config") }}\nkind: B\n{{- end }}\n'
            '{{- if hasKey .Values.x "k" }}\nkind: C\n{{- end }}\n'
            '{{- if and (pick .Values.y "k") (dig "a" "b" .Values.z) }}\nkind: D\n{{- end }}\n'
            "{{- if and .Values.rbac.create (not .Values.cm.off) }}\nkind: E\n{{- end }}\n"
        ),
    )
    assert toggles(chart) == {"rbac.create": (False,), "cm.off": ("seatrial-probe",)}


def test_truth_paths() -> None:
    from seatrial.render.modes import _tokens, truth_paths

    def paths(cond: str) -> list[str]:
        return list(truth_paths(_tokens(cond)))

    assert paths(".Values.a") == ["a"]
    assert paths("(.Values.a)") == ["a"]
    assert paths("$x := .Values.a") == ["a"]
    assert paths("or (not .Values.a) (and $.Values.b (empty .Values.c))") == ["a", "b", "c"]
    assert paths('omit .Values.a "create"') == []
    assert paths('eq (index .Values.a "k") "true"') == []
    assert paths(".Values.a | default false") == []


def test_probe_shapes_follow_schema_default_and_use(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from seatrial.render.modes import PROBE, discover

    chart = _chart(
        tmp_path,
        "level: info\nrules: {}\n",
        (
            "{{- if .Values.url }}\nkind: A\nurl: {{ tpl .Values.url . }}\n{{- end }}\n"
            "{{- if .Values.level }}\nkind: B\n{{- end }}\n"
            "{{- if .Values.remote }}\nkind: C\n{{- range $r := .Values.remote }}\n"
            "u: {{ tpl $r.url $ }}\n{{- end }}\n{{- end }}\n"
            "{{- if .Values.rules }}\nkind: D\n{{- range $n, $r := .Values.rules }}\n"
            "g: {{ toYaml $r.groups }}\n{{- end }}\n{{- end }}\n"
            "{{- if .Values.mode }}\nkind: E\n{{- end }}\n"
            "{{- if .Values.count }}\nkind: F\n{{- end }}\n"
        ),
        '{"properties": {"level": {"type": "string", "enum": ["info", "debug"]},'
        ' "count": {"type": "integer"}}}',
    )
    found = {t.key: t for t in discover(load_source(str(chart)))}  # type: ignore[arg-type]
    assert found["url"].values == (PROBE,)  # tpl: a string, never true
    assert found["level"].values == ("debug",)  # an enum member, no probe
    assert not found["level"].is_probe(0)
    assert found["remote"].values == ([{"url": PROBE}],)  # range + $r.url via tpl
    assert found["rules"].values == ({PROBE: {"groups": {}}},)  # map of maps
    assert found["mode"].values == (PROBE,) and found["mode"].alternates(0) == (True,)
    assert found["count"].values == (1,)  # schema type, not true
    assert all(t.is_probe(0) for k, t in found.items() if k != "level")


def test_no_null_for_a_map_whose_sub_keys_are_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    chart = _chart(
        tmp_path,
        "cfg: {create: true}\nann: {a: b}\n",
        (
            "{{- with .Values.cfg }}\nkind: A\n{{- end }}\ncreate: {{ .Values.cfg.create }}\n"
            "{{- with .Values.ann }}\nkind: B\n{{- end }}\n"
        ),
    )
    assert toggles(chart) == {"ann": (None,)}
