"""ST101 only for values the chart vouches for; probes shaped, retried, dropped and counted;
the chart's own `required` as info; failures from a missing dependency on ST103."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.cli_runner import run
from tests.foundation.helpers import CHARTS

PROBES = CHARTS / "probes"


def check(chart: str | Path, *extra: str) -> Any:
    """`seatrial check` on a fixture chart of probes/ (by name) or a chart written here."""
    return run(
        "check",
        PROBES / chart if isinstance(chart, str) else chart,
        "--offline",
        "--no-images",
        "--kube-versions",
        "1.32",
        "--format",
        "json",
        *extra,
    )


def brief(findings: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (
            f["check"],
            f["severity"],
            f["source"]["file"],
            f["source"]["line"],
            sorted({c["name"] for c in f["cells"]}),
        )
        for f in findings
    ]


def test_vouched_literal_that_fails_is_an_error() -> None:
    res = check("vouched-fails")
    assert res.code == 1
    assert brief(res.findings()) == [
        ("ST101", "error", "templates/config.yaml", 8, ["mode=replicated"])
    ]
    assert "nil pointer evaluating interface {}.count" in res.findings()[0]["message"]


def test_probes_take_the_shape_the_chart_expects_or_are_dropped() -> None:
    res = check("shaped", "--verbose")
    assert res.code == 0, res.out
    assert res.findings() == []
    summary = res.json()["summary"]
    assert summary["probes_dropped"] == 1
    # defaults, rbac.create=false, remoteWrite, storageClass=-, tracing
    assert summary["cells"] == 5
    assert res.err == (
        "dropped probe: extraConfigString=seatrial-probe @ 1.32: rendered YAML "
        "does not parse: templates/extra.yaml, line 10 of its output: invalid YAML: could "
        "not find expected ':'\n"
    )


def test_dropped_probes_are_counted_in_the_text_summary() -> None:
    res = run("check", PROBES / "shaped", "--offline", "--no-images", "--kube-versions", "1.32")
    assert res.code == 0
    assert (
        "1 probe value dropped: no shape the chart accepts rendered (--verbose lists them)"
        in res.out.splitlines()
    )


def test_chart_required_in_a_mode_cell_is_a_declared_constraint() -> None:
    res = check("declared-constraint")
    assert res.code == 0
    (f,) = res.findings()
    assert brief([f]) == [
        ("ST101", "info", "templates/secret.yaml", 7, ["passwordUpdate.enabled=true"])
    ]
    assert f["message"] == (
        "mode passwordUpdate.enabled=true requires: The new password is required!"
    )


def test_chart_required_failing_a_ci_values_file_is_an_error() -> None:
    res = check("ci-misses-required")
    assert res.code == 1
    assert brief(res.findings()) == [
        ("ST101", "error", "templates/secret.yaml", 7, ["ci/update-values.yaml"]),
        ("ST101", "info", "templates/secret.yaml", 7, ["passwordUpdate.enabled=true"]),
    ]


def test_every_cell_failing_for_a_missing_dependency_names_it() -> None:
    res = check("needs-common")
    assert res.code == 2
    assert res.err.count("\n") == 1
    assert (
        "every cell failed to render (1 cells) because dependency common 2.x.x (offline) "
        "is missing from charts/: run `helm dependency build` or vendor it; first error: "
        "needs-common/templates/config.yaml:4:11 executing"
    ) in res.err
    assert 'no template "common.names.fullname"' in res.err


def test_the_same_chart_with_its_dependency_vendored_renders() -> None:
    res = check("has-common")
    assert res.code == 0, res.err
    assert res.findings() == []
    assert res.json()["summary"]["objects"] == 1


def test_failures_from_a_missing_dependency_go_to_st103_not_st101() -> None:
    res = check("needs-common-in-a-mode")
    assert res.code == 0
    (f,) = res.findings()
    assert brief([f]) == [
        ("ST103", "warning", "Chart.yaml", 5, ["metrics.enabled=true", "tls.enabled=true"])
    ]
    assert f["message"].startswith(
        "dependency common 2.x.x from oci://registry-1.docker.io/bitnamicharts is missing from "
        "charts/ (offline); 2 cells fail to render without it (first error: "
    )


def test_multi_document_ci_values_file_is_merged_as_helm_v4_does() -> None:
    from seatrial.render.matrix import MatrixOptions, plan_matrix
    from seatrial.source.load import load_source

    res = check("multidoc")
    assert res.code == 0, res.err
    plan = plan_matrix(load_source(str(PROBES / "multidoc")), MatrixOptions())
    (cell,) = [c for c in plan.cells if c.name == "ci/multi-values.yaml"][:1]
    # `y:` is a bool to Go's YAML: Helm's key is "true" (`helm template -f` prints
    # {"true":"2","x":"1"} for these labels)
    assert plan.values[cell] == {"name": "c", "labels": {"x": "1", "true": "2"}}


def test_schema_required_key_is_seeded_with_its_first_enum_member() -> None:
    from seatrial.render.matrix import MatrixOptions, plan_matrix
    from seatrial.source.load import load_source

    res = check("schema-required")
    assert res.code == 0, res.err
    assert res.findings() == []
    plan = plan_matrix(load_source(str(PROBES / "schema-required")), MatrixOptions())
    assert plan.base_values == {"region": "eu"}


def test_toggle_budget_spends_on_workload_switches_first_and_says_what_it_left_out() -> None:
    res = run(
        "check",
        PROBES / "budget",
        "--offline",
        "--no-images",
        "--kube-versions",
        "1.32",
        "--max-probes",
        "2",
    )
    assert res.code == 0
    assert (
        "2 toggle values left out by the probe budget (--max-probes N raises it)"
        in res.out.splitlines()
    )
    res = run(
        "matrix",
        PROBES / "budget",
        "--kube-versions",
        "1.32",
        "--max-probes",
        "2",
        "--format",
        "json",
    )
    assert [t["key"] for t in res.json()["toggles"]] == ["a.enabled", "zz.kind"]
    assert res.json()["toggles_left_out"] == 2
    res = check("budget", "--max-probes", "4")
    assert "toggles_left_out" not in res.json()["summary"]
    assert res.json()["summary"]["cells"] == 5


def test_dependency_cause_reads_helm_messages() -> None:
    from seatrial.render.matrix import dependency_cause

    deps = ["common", "prometheus-node-exporter"]
    assert (
        dependency_cause(
            "error calling include: template: no template "
            '"common.names.fullname" associated with template "gotpl"',
            deps,
        )
        == "common"
    )
    assert (
        dependency_cause(
            'x.yaml:43:55\n  executing "x.yaml" at <"prometheus-node-exporter">:'
            "\n    nil pointer evaluating interface {}.enabled",
            deps,
        )
        == "prometheus-node-exporter"
    )
    assert (
        dependency_cause(
            "at <.Values.common.tls.secretName>: nil pointer evaluating interface {}.secretName",
            deps,
        )
        == "common"
    )
    # the chart's own values that merely start with the name are not the dependency's
    assert (
        dependency_cause("at <.Values.commonLabels.a>: nil pointer evaluating interface {}.a", deps)
        is None
    )
    assert dependency_cause('no template "mychart.fullname"', deps) is None


def test_a_probe_refused_for_its_type_is_retried_with_the_next_shape() -> None:
    from seatrial.api import render
    from seatrial.render.kube import parse_kube_versions
    from seatrial.render.matrix import MatrixOptions

    matrix = render(
        str(PROBES / "shaped"),
        MatrixOptions(kube_versions=parse_kube_versions("1.32"), offline=True),
    )
    # `ternary` needs a bool: the string probe fails, `true` renders
    assert "tracing=true" in {c.name for c in matrix.plan.cells}
    assert "tracing=seatrial-probe" not in {c.name for c in matrix.plan.cells}
    assert matrix.failures == []
    assert [c.name for c, _ in matrix.plan.dropped] == ["extraConfigString=seatrial-probe"]


def test_a_mode_missing_a_value_declared_empty_is_info() -> None:
    """`mountPath:` left empty in values.yaml beside `enabled: false` is a value to set with
    the mode: info, naming it (a nil read below it too). An undeclared value stays an error
    (`test_vouched_literal_that_fails_is_an_error`)."""
    res = check("declared-null")
    assert res.code == 0, res.out
    assert brief(res.findings()) == [
        ("ST101", "info", "templates/config.yaml", 7, ["secret.enabled=true"]),
        ("ST101", "info", "templates/config.yaml", 10, ["tls.enabled=true"]),
    ]
    messages = [f["message"] for f in res.findings()]
    assert messages[0].startswith(
        "mode secret.enabled=true requires a value for secret.mountPath (null in values.yaml): "
    )
    assert messages[1].startswith(
        "mode tls.enabled=true requires a value for tls.cert (null in values.yaml): "
    )


def test_defaults_asking_for_values_are_one_info() -> None:
    """The chart's own `required` in its defaults (no values given): one info for the
    defaults and the modes failing on top of them, whatever their message (`extra.enabled`
    fails first in zz-extra.yaml: it cannot be judged without the value). Given the value,
    that mode's own defect is an error. The user's own values still failing: an error, with
    the modes failing the same way; a mode failing otherwise, an error of its own."""
    res = check("asks-values")
    assert res.code == 0, res.out
    assert brief(res.findings()) == [
        (
            "ST101",
            "info",
            "templates/deploy.yaml",
            16,
            ["defaults", "extra.enabled=true", "metrics.enabled=true"],
        )
    ]
    assert res.findings()[0]["message"] == (
        "the chart's defaults do not render: it asks for values: image.repository must be set"
    )
    given = check("asks-values", "--set", "image.repository=nginx")
    assert brief(given.findings()) == [
        ("ST101", "error", "templates/zz-extra.yaml", 5, ["extra.enabled=true"])
    ]
    mine = check("asks-values", "--set", "metrics.enabled=true")
    assert mine.code == 1
    assert brief(mine.findings()) == [
        ("ST101", "error", "templates/deploy.yaml", 16, ["defaults", "metrics.enabled=true"]),
        ("ST101", "error", "templates/zz-extra.yaml", 5, ["extra.enabled=true"]),
    ]


def _written(root: Path, files: dict[str, str]) -> Path:
    """A chart in `root` made of `files` (chart-relative path -> text)."""
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_a_values_file_of_several_documents_says_so(tmp_path: Path) -> None:
    """Helm 4 merges every document of a values file (Helm 3 read the first): the chart's ci
    file written as several test cases fails on the last, and the message says why."""
    chart = _written(
        tmp_path,
        {
            "Chart.yaml": "apiVersion: v2\nname: multi\nversion: 0.1.0\n",
            "values.yaml": "a: false\nb: false\n",
            "templates/cm.yaml": '{{- if and .Values.b (not .Values.a) }}{{ fail "b needs a" }}'
            "{{ end }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
            "ci/cases-values.yaml": "a: true\nb: true\n---\na: false\n",
            "ci/one-values.yaml": "a: true\nb: true\n",
        },
    )
    res = check(chart)
    assert res.code == 1, res.out
    assert sorted(brief(res.findings())) == [
        ("ST101", "error", "templates/cm.yaml", 1, ["ci/cases-values.yaml"]),
        ("ST101", "info", "templates/cm.yaml", 1, ["b=true"]),  # the chart's own `fail`
    ]
    assert res.findings("ST101")[0]["message"].endswith(
        "b needs a (ci/cases-values.yaml holds 2 YAML documents: Helm 4 merges them all in "
        "order, Helm 3 read only the first)"
    )


def test_defaults_and_a_values_file_failing_alike_are_one_error(tmp_path: Path) -> None:
    """A template bug in the defaults that a ci file of two documents hits the same way: one
    error naming both cells (the several-documents note is for a values file alone; a
    defaults cell in the group has no values and made the note fail with an IndexError)."""
    chart = _written(
        tmp_path,
        {
            "Chart.yaml": "apiVersion: v2\nname: broken\nversion: 0.1.0\n",
            "values.yaml": "a: 1\n",
            "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
            "data:\n  x: {{ .Values.missing.deeper | quote }}\n",
            "ci/two-values.yaml": "a: 2\n---\na: 3\n",
            "ci/set-values.yaml": "missing:\n  deeper: x\n",
        },
    )
    res = check(chart)
    assert res.code == 1, res.out + res.err
    assert brief(res.findings()) == [
        ("ST101", "error", "templates/cm.yaml", 6, ["ci/two-values.yaml", "defaults"])
    ]
    assert "YAML documents" not in res.findings()[0]["message"]
