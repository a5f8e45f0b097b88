"""YAML as Helm and kubectl read it: plain scalars and keys by Go's rules (yamlguard
`GoLoader`, checked against helm v4), and the object parser's fast loader (objects/parse.py
`_Loader`) building what `GoLoader` builds through PyYAML's constructors, type for type and
in the same order, on what charts render and on YAML's corners."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from seatrial.objects.parse import _Loader
from seatrial.yamlguard import GoLoader

_Safe = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

CORNERS = [
    "a: &x {b: 1}\nc: *x\nd: [*x, *x]\n",  # aliases share one object
    "base: &b {a: 1, b: 2}\nthis:\n  <<: *b\n  b: 3\n",  # merge keys
    "<<: [{a: 1}, {a: 2, c: 3}]\nd: 4\n",
    "=: 1\n",  # a value key
    "a: 2001-12-14\nb: 2001-12-14t21:59:43.10-05:00\nc: 0o17\nd: 1_000\ne: yes\nf: ~\n"
    "g: .inf\nh: -.NaN\ni: 0x1F\nj: 1e3\nk: '1'\nl: \"true\"\nm: 190:20:30\nn: null\no:\n",
    "1: one\ntrue: t\ny: n\n3.5: f\n0x10: h\n",  # keys that are not strings
    "~: n\n",  # a null key: Go refuses it
    "a: !!binary aGVsbG8=\nb: !!str 12\nc: !!int '7'\nd: !!float 1\n",
    "s: !!set {x, y}\no: !!omap [{a: 1}, {b: 2}]\np: !!pairs [{a: 1}, {a: 2}]\n",
    "- &a [1, *a]\n",  # a recursive alias
    "a: {? b : c}\nd: [e, {f: g}]\n",
    "x: 1\nx: 2\n",  # the last duplicate wins
    "--- a\n--- [b]\n--- {c: d}\n---\n",
]
BROKEN = ["? [1]\n: 2\n", "a: !foo x\n", "a: !!set x\n", "a: [\n"]


def _load(text: str, loader: type) -> str:
    try:
        return repr(list(yaml.load_all(text, Loader=loader)))
    except yaml.YAMLError as exc:
        return f"{type(exc).__name__}: {exc}"


@pytest.mark.parametrize("text", CORNERS + BROKEN)
def test_yaml_corners_load_as_pyyaml_constructs_them(text: str) -> None:
    assert _load(text, _Loader) == _load(text, GoLoader)


def test_manifests_read_scalars_and_keys_as_go_does() -> None:
    """What the cluster gets from `helm install` or `kubectl apply` (sigs.k8s.io/yaml): a
    date and a base-60 number stay strings, `y` is true, keys are JSON keys."""
    text = "args: [2024-01-01, 12:30, y, 1e3]\ndata:\n  1: a\n  on: b\n  1.5: c\n"
    assert yaml.load(text, Loader=_Loader) == {
        "args": ["2024-01-01", "12:30", True, 1000.0],
        "data": {"1": "a", "true": "b", "1.5": "c"},
    }


def test_a_plain_equals_sign_is_a_string_as_in_go() -> None:
    """PyYAML refuses a plain `=` outside a mapping key (YAML 1.1's value type); Go's YAML,
    which Helm and kubectl use, reads the string "=" (Prometheus operator CRDs have one in
    an `enum`)."""
    text = "enum:\n- '!='\n- =\n- =~\n"
    assert yaml.load(text, Loader=_Loader) == {"enum": ["!=", "=", "=~"]}
    with pytest.raises(yaml.constructor.ConstructorError):
        yaml.load(text, Loader=_Safe)


def test_shared_nodes_stay_shared() -> None:
    data = yaml.load("a: &x {b: 1}\nc: *x\n", Loader=_Loader)
    assert data["a"] is data["c"]


def test_corpus_templates_load_as_pyyaml_constructs_them() -> None:
    """Every YAML file of the vendored charts (values, CI values, static templates, CRDs)."""
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    texts = [p.read_text() for p in sorted(corpus.rglob("*.yaml")) if "{{" not in p.read_text()]
    assert len(texts) > 100
    for text in texts:
        assert _load(text, _Loader) == _load(text, GoLoader)


def test_a_values_file_with_a_plain_equals_sign_renders(tmp_path: Path) -> None:
    """Helm reads `- =` in values.yaml as the string "="; so does seatrial (it refused the
    chart as invalid YAML)."""
    from seatrial import yamlguard

    assert yamlguard.safe_load("ops:\n- =\n- '!='\n") == {"ops": ["=", "!="]}
    data = _rendered_data(
        tmp_path, 'ops:\n- =\n- "!="\n', {}, '  ops: {{ join "," .Values.ops | quote }}\n'
    )
    assert data == {"defaults": {"ops": "=,!="}}


def _rendered_data(
    chart: Path, values: str, ci: dict[str, str], data: str
) -> dict[str, dict[str, str]]:
    """Each cell's ConfigMap data, for a chart of one ConfigMap template (its `data:` lines),
    its values.yaml and ci/ files."""
    from seatrial.render.matrix import MatrixOptions, render_matrix
    from seatrial.source.load import load_source

    (chart / "templates").mkdir()
    (chart / "ci").mkdir()
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text(values)
    for name, text in ci.items():
        (chart / "ci" / name).write_text(text)
    (chart / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n" + data
    )
    matrix = render_matrix(
        load_source(str(chart), offline=True), MatrixOptions(offline=True, discover_modes=False)
    )
    assert not matrix.failures
    return {c.name: r.objects[0].body["data"] for r in matrix.renders for c in r.cells}


#: plain scalars of a values file and what `helm template` (v4) made of them, read back
#: from `{{ .Values | toJson }}` (numbers are float64 there: compared as numbers)
HELM_READS = [
    ("y", True), ("n", False), ("yes", True), ("No", False), ("on", True), ("OFF", False),
    ("true", True), ("~", None), ("null", None), ("0", 0), ("-0", 0), ("00", 0), ("08", 8),
    ("017", 15), ("0o17", 15), ("0x1F", 31), ("0x", "0x"), ("1e", "1e"), ("1e3", 1000),
    ("+1.5e3", 1500), ("9223372036854775807", 9223372036854775807),
    ("-9223372036854775809", -9223372036854775809), ("0b101", 5), ("-0b101", -5),
    ("1_000", 1000), (".", "."), (".5", 0.5), ("-.5", -0.5), ("12:30", "12:30"),
    ("12:30:00", "12:30:00"), ("0.", 0), ("1.2.3", "1.2.3"), ("2024-01-01", "2024-01-01"),
    ("2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"), ("=", "="),
    ("abc", "abc"), ("-7", -7), ("+12", 12), ("1E5", 100000), ("5.", 5),
]  # fmt: skip


def _kind(v: object) -> str:
    return "number" if isinstance(v, int | float) and not isinstance(v, bool) else type(v).__name__


@pytest.mark.parametrize(("text", "helm"), HELM_READS)
def test_values_files_read_plain_scalars_as_helm_does(text: str, helm: object) -> None:
    from seatrial import yamlguard

    got = yamlguard.load_value(f"k: {text}\n")["k"]
    assert _kind(got) == _kind(helm)
    assert got == helm or float(got) == float(helm)  # type: ignore[arg-type]


def test_a_ci_values_file_with_a_date_renders_its_cells(tmp_path: Path) -> None:
    """PyYAML made `since: 2024-02-02` a date, which the engine could not take: every cell
    of the mode failed (after the render deadline). Helm reads the string."""
    data = _rendered_data(
        tmp_path,
        "since: 2024-01-01\nflag: y\n",
        {"date-values.yaml": "since: 2024-02-02\nflag: n\n"},
        "  since: {{ .Values.since | quote }}\n  flag: {{ .Values.flag | quote }}\n",
    )
    assert data == {
        "defaults": {"since": "2024-01-01", "flag": "true"},
        "ci/date-values.yaml": {"since": "2024-02-02", "flag": "false"},
    }
