"""Kubernetes versions a chart cannot tell apart (render/capabilities.py) are rendered once:
the chart's semver constraints are read from its templates, answered by Helm at each version,
and checked on the defaults cells."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.foundation.partial_equivalence import mismatches
from tests.foundation.test_partial_render import _Counting, _write

from seatrial.render.capabilities import EXPRESSION, VersionUse, version_constraints, version_use
from seatrial.render.helm import RenderRequest
from seatrial.render.kube import parse_kube_versions
from seatrial.render.matrix import MatrixOptions

CHART = "apiVersion: v2\nname: c\nversion: 0.1.0\n"
CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n"
VERSIONED = (
    '{{- define "c.kubeVersion" -}}\n'
    "{{- default .Capabilities.KubeVersion.Version .Values.kubeVersion -}}\n"
    "{{- end -}}\n"
)


def _chart(tmp_path: Path, files: dict[str, str]) -> Path:
    return _write(tmp_path, {"Chart.yaml": CHART, "values.yaml": "x: 1\n", **files})


ACCEPTED = {
    "direct": (
        {
            "templates/a.yaml": '{{- if semverCompare ">=1.33-0" .Capabilities.KubeVersion.Version }}'
            "\nkind: A\n{{- end }}\n"
        },
        [">=1.33-0"],
    ),
    "variable": (
        {
            "templates/a.yaml": "{{- $kv := default .Capabilities.KubeVersion.GitVersion "
            ".Values.kubeTargetVersionOverride }}\n"
            '{{- if semverCompare ">=1.31.0-0" $kv }}\nkind: A\n{{- end }}\n'
        },
        [">=1.31.0-0"],
    ),
    "named template": (
        {
            "templates/_helpers.tpl": VERSIONED,
            "templates/a.yaml": '{{- if semverCompare "<1.25-0" (include "c.kubeVersion" .) }}'
            "\nkind: A\n{{- end }}\n",
        },
        ["<1.25-0"],
    ),
    "variable from a named template": (
        {
            "templates/_helpers.tpl": VERSIONED,
            "templates/a.yaml": '{{- $kv := include "c.kubeVersion" . -}}\n'
            '{{- if and (not (empty $kv)) (semverCompare ">= 1.27.x" $kv) }}\nkind: A\n'
            "{{- end }}\n",
        },
        [">= 1.27.x"],
    ),
    "api versions and helm version": (
        {
            "templates/a.yaml": '{{- if .Capabilities.APIVersions.Has "policy/v1" }}\nkind: A\n'
            "{{- end }}\nv: {{ .Capabilities.HelmVersion.Version }}\n"
        },
        [],
    ),
    "a named template nothing includes": (
        {
            "templates/_helpers.tpl": '{{- define "c.helm" -}}\n'
            '{{- if regexMatch "}}$" (.Capabilities | toString) }}true{{ end -}}\n{{- end -}}\n'
        },
        [],
    ),
    # kyverno: NOTES.txt renders no object; it warns below 1.21 and prints the version
    "notes print it": (
        {
            "templates/NOTES.txt": '{{- if semverCompare "<1.21.0" .Capabilities.KubeVersion.Version }}'
            "\nold: {{ .Capabilities.KubeVersion.Version }}\n{{- end }}\n",
            "templates/a.yaml": "kind: A\n",
        },
        ["<1.21.0"],
    ),
    # jenkins: a values key ending in `Capabilities` is no reference, even with `tpl`
    "a values key named so": (
        {
            "values.yaml": "securityContextCapabilities: {}\nv: x\n",
            "templates/a.yaml": "v: {{ tpl .Values.v . }}\n",
        },
        [],
    ),
    # cert-manager: a message that names a template is no include of a computed name
    "a message naming a template": (
        {
            "templates/_helpers.tpl": '{{- define "c.image" -}}\n'
            '{{- if ne (len .) 2 }}{{ fail (printf "template \\"c.image\\" expects 2, got %d" '
            "(len .)) }}{{ end -}}\n{{- end -}}\n",
            "templates/a.yaml": 'v: {{ include "c.image" (list 1 2) }}\n',
        },
        [],
    ),
    # consul's Ingress: `.Major`/`.Minor` compared with a literal, either way round
    "major and minor compared": (
        {
            "templates/a.yaml": '{{- if or (gt .Capabilities.KubeVersion.Major "1") '
            '(ge .Capabilities.KubeVersion.Minor "19") }}\nkind: A\n{{- end }}\n'
            '{{- if lt "30" $.Capabilities.KubeVersion.Minor }}\nkind: B\n{{- end }}\n'
        },
        [
            EXPRESSION + 'ge .Capabilities.KubeVersion.Minor "19"',
            EXPRESSION + 'gt .Capabilities.KubeVersion.Major "1"',
            EXPRESSION + 'lt "30" .Capabilities.KubeVersion.Minor',
        ],
    ),
    # kube-prometheus-stack: a helper takes the constraint as an argument; every call gives
    # a literal there
    "a constraint given as an argument": (
        {
            "templates/_helpers.tpl": VERSIONED
            + '{{- define "c.byVersion" -}}\n{{- $c := index . 0 -}}\n{{- $ctx := index . 1 -}}\n'
            '{{- if semverCompare $c (include "c.kubeVersion" $ctx) }}new{{ else }}old'
            "{{ end -}}\n{{- end -}}\n",
            "templates/a.yaml": 'v: {{ include "c.byVersion" (list ">= 1.22-0" .) }}\n'
            'w: {{ include "c.byVersion" (list ">= 1.23-0" (dict "x" 1)) }}\n',
        },
        [">= 1.22-0", ">= 1.23-0"],
    ),
    # kube-prometheus-stack's hack/ scripts mention `.Capabilities`; its .helmignore leaves
    # them out of the chart, so its `tpl` cannot reach them
    "an ignored file": (
        {
            ".helmignore": "# tools\nhack/\n",
            "hack/sync.py": 'print("{{ .Capabilities.KubeVersion.Version }}")\n',
            "templates/a.yaml": "v: {{ tpl .Values.v . }}\n",
            "values.yaml": "v: x\n",
        },
        [],
    ),
    # fluent-bit: `.Capabilities` in a comment of values.yaml, which no `tpl` evaluates
    "a values comment": (
        {
            "values.yaml": "# image: kubectl:{{ .Capabilities.KubeVersion.Minor }}\nv: x\n",
            "templates/a.yaml": "v: {{ tpl .Values.v . }}\n",
        },
        [],
    ),
}


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_the_constraints_of_a_chart_that_only_compares_the_version(
    tmp_path: Path, case: str
) -> None:
    files, expected = ACCEPTED[case]
    assert version_constraints(_chart(tmp_path, files)) == expected


REJECTED = {
    "printed": {"templates/a.yaml": "v: {{ .Capabilities.KubeVersion.Version }}\n"},
    "minor": {"templates/a.yaml": "{{ if ge (int .Capabilities.KubeVersion.Minor) 21 }}{{ end }}"},
    "variable printed": {
        "templates/a.yaml": "{{- $kv := .Capabilities.KubeVersion.Version }}\n"
        '{{- if semverCompare ">=1.2" $kv }}\nv: {{ $kv }}\n{{- end }}\n'
    },
    "named template printed": {
        "templates/_helpers.tpl": VERSIONED,
        "templates/a.yaml": 'v: {{ include "c.kubeVersion" . }}\n',
    },
    "constraint not a literal": {
        "templates/a.yaml": "{{ if semverCompare .Values.c .Capabilities.KubeVersion.Version }}"
        "{{ end }}\n"
    },
    "a suffix printed onto it": {
        "templates/a.yaml": '{{- $kv := printf "%s-x" .Capabilities.KubeVersion.Version }}\n'
        '{{- if semverCompare ">=1.2" $kv }}\nkind: A\n{{- end }}\n'
    },
    "computed include": {"templates/a.yaml": '{{ include (printf "c.%s" .Values.n) . }}\n'},
    "an included named template prints it": {
        "templates/_helpers.tpl": '{{- define "c.caps" -}}{{ .Capabilities | toString }}'
        "{{- end -}}\n",
        "templates/a.yaml": 'v: {{ include "c.caps" . }}\n',
    },
    "a values string for tpl": {
        "values.yaml": 'v: "{{ .Capabilities.KubeVersion.Version }}"\n',
        "templates/a.yaml": "v: {{ tpl .Values.v . }}\n",
    },
    "a constraint given as an argument from values": {
        "templates/_helpers.tpl": VERSIONED
        + '{{- define "c.byVersion" -}}\n{{- $c := index . 0 -}}\n'
        '{{- if semverCompare $c (include "c.kubeVersion" .) }}new{{ end -}}\n{{- end -}}\n',
        "templates/a.yaml": 'v: {{ include "c.byVersion" (list ">= 1.22-0" .) }}\n'
        'w: {{ include "c.byVersion" (list .Values.c .) }}\n',
    },
    "a file out of the chart's .helmignore": {
        ".helmignore": "hack/\n",
        "tools/sync.py": 'print("{{ .Capabilities.KubeVersion.Version }}")\n',
        "templates/a.yaml": "v: {{ tpl .Values.v . }}\n",
    },
    "notes defining a template that prints it": {
        "templates/NOTES.txt": '{{- define "c.kv" }}{{ .Capabilities.KubeVersion.Version }}'
        "{{ end }}\nsee docs\n",
        "templates/a.yaml": 'v: {{ include "c.kv" . }}\n',
    },
}


@pytest.mark.parametrize("case", sorted(REJECTED))
def test_no_answer_when_the_version_can_reach_the_output(tmp_path: Path, case: str) -> None:
    assert version_constraints(_chart(tmp_path, REJECTED[case])) is None


def test_templates_that_print_the_version_are_named_beside_the_constraints(
    tmp_path: Path,
) -> None:
    """kube-prometheus-stack's CRD upgrade Job tags its kubectl image with the version: that
    template (directly, or through a helper) renders at every version, the others per class
    of the constraints (`version_constraints`, which has no such list, gives no answer)."""
    chart = _chart(
        tmp_path,
        {
            "templates/_helpers.tpl": '{{- define "c.tag" -}}'
            "{{ .Capabilities.KubeVersion.Version }}{{- end -}}\n",
            "templates/a.yaml": GATED,
            "templates/job.yaml": CM.format(name="j") + '  tag: {{ include "c.tag" . }}\n',
            "templates/direct.yaml": CM.format(name="d")
            + "  v: {{ .Capabilities.KubeVersion.Version }}\n",
        },
    )
    assert version_use(chart) == VersionUse(
        [">=1.33-0"], frozenset({"templates/job.yaml", "templates/direct.yaml"})
    )
    assert version_constraints(chart) is None


#: four Kubernetes versions, 1.33 and 1.34 on the other side of `>=1.33-0` (GATED)
FOUR_VERSIONS = MatrixOptions(
    offline=True, discover_modes=False, kube_versions=parse_kube_versions("1.31,1.32,1.33,1.34")
)


def _renders(tmp_path: Path, files: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> int:
    """How many renders the `ci/x-values.yaml` cells took across four Kubernetes versions."""
    from seatrial.render.matrix import render_matrix
    from seatrial.source.load import load_source

    chart = _chart(tmp_path, {**files, "ci/x-values.yaml": "x: 2\n"})
    counting = _Counting(monkeypatch)
    opts = FOUR_VERSIONS
    matrix = render_matrix(load_source(str(chart), offline=True), opts)
    assert not matrix.failures
    renders = len([r for r in counting.requests if r.values == {"x": 2} and not r.upgrade])
    assert mismatches(chart, opts=opts) == []
    return renders


GATED = (
    CM.format(name="a") + "  x: {{ .Values.x | quote }}\n"
    '{{- if semverCompare ">=1.33-0" .Capabilities.KubeVersion.Version }}\n'
    '  new: "yes"\n{{- end }}\n'
)


def test_versions_the_constraints_do_not_tell_apart_render_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1.31 and 1.32 answer `>=1.33-0` alike, so do 1.33 and 1.34: two renders, not four."""
    assert _renders(tmp_path, {"templates/a.yaml": GATED}, monkeypatch) == 2


def test_versions_a_minor_comparison_does_not_tell_apart_render_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """consul compares `.Minor` as a string: Helm answers it at each version, 1.31 and 1.32
    alike, 1.33 and 1.34 alike (was: every version rendered on its own)."""
    gated = GATED.replace(
        'semverCompare ">=1.33-0" .Capabilities.KubeVersion.Version',
        'ge .Capabilities.KubeVersion.Minor "33"',
    )
    assert _renders(tmp_path, {"templates/a.yaml": gated}, monkeypatch) == 2


def test_versions_render_apart_when_the_defaults_cells_differ(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check on the defaults cells: a template that dumps what is left of its context
    without the release, values and files (the version, unseen by the scan) makes every
    version render on its own."""
    rest = '(omit . "Release" "Files" "Template" "Chart" "Subcharts" "Values")'
    dump = GATED + f"  all: {{{{ {rest} | toJson | sha256sum | quote }}}}\n"
    assert _renders(tmp_path, {"templates/a.yaml": dump}, monkeypatch) == 4


def test_versions_render_apart_when_the_chart_prints_the_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    printed = GATED + "  v: {{ .Capabilities.KubeVersion.Version | quote }}\n"
    assert _renders(tmp_path, {"templates/a.yaml": printed}, monkeypatch) == 4


PRINTS = (
    CM.format(name="p")
    + "  y: {{ .Values.level | quote }}\n  v: {{ .Capabilities.KubeVersion.Version }}\n"
)


@pytest.mark.parametrize(("changed", "renders"), [("x", 2), ("level", 4)])
def test_only_copies_holding_a_template_that_prints_the_version_render_at_every_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changed: str, renders: int
) -> None:
    """A mode changing what the gated template reads renders once per class (two); one
    changing what the printing template reads renders at every version (four)."""
    files = {
        "templates/a.yaml": GATED,
        "templates/p.yaml": PRINTS,
        "values.yaml": "x: 1\nlevel: 1\n",
    }
    if changed == "level":
        files["templates/a.yaml"] = GATED.replace(".Values.x", ".Values.level")
        files["templates/p.yaml"] = PRINTS.replace(".Values.level", ".Values.x")
    assert _renders(tmp_path, files, monkeypatch) == renders


COSTLY = {
    "files": CM.format(name="b")
    + '  f: {{ .Files.Get "files/f.txt" | quote }}\n  x: {{ .Values.x | quote }}\n',
    "a generated key": CM.format(name="b")
    + '  ca: {{ (genCA "x" 1).Cert | b64enc | quote }}\n  x: {{ .Values.x | quote }}\n',
}


@pytest.mark.parametrize("costly", sorted(COSTLY))
def test_costly_templates_render_once_beside_templates_reading_the_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, costly: str
) -> None:
    """A mode changing what a `.Capabilities` template and a costly template (reading
    `.Files`, or generating a key) read renders them as two copies: the version's template
    per class (two), the costly one once."""
    from seatrial.render.matrix import render_matrix
    from seatrial.source.load import load_source

    files = {
        "templates/a.yaml": GATED,
        "templates/b.yaml": COSTLY[costly],
        "files/f.txt": "from a file\n",
        "ci/x-values.yaml": "x: 2\n",
    }
    chart = _chart(tmp_path, files)
    from seatrial.render.deps import Trimmer
    from seatrial.render.pool import PoolEngine

    held: list[set[str]] = []  # the templates of each copy a cell of the mode rendered
    submit = PoolEngine.submit

    def counted(engine: PoolEngine, req: RenderRequest) -> Any:
        if req.values == {"x": 2} and not req.upgrade and req.chart_dir:
            files = Trimmer.files_of(Path(req.chart_dir))
            held.append({f.removeprefix("templates/") for f in files if f.startswith("templates/")})
        return submit(engine, req)

    monkeypatch.setattr(PoolEngine, "submit", counted)
    opts = FOUR_VERSIONS
    matrix = render_matrix(load_source(str(chart), offline=True), opts)
    assert not matrix.failures
    assert sorted(sorted(h) for h in held) == [["a.yaml"], ["a.yaml"], ["b.yaml"]]
    assert mismatches(chart, opts=opts) == []


def test_cells_rendered_whole_render_once_per_class(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cell no copy can take (here: it switches a subchart off in a chart whose template
    reads `.Chart.Dependencies`) renders whole, once per class of versions: two, not four."""
    from seatrial.render.matrix import render_matrix
    from seatrial.source.load import load_source

    chart = _write(
        tmp_path,
        {
            "Chart.yaml": CHART + "dependencies:\n  - name: sub\n    version: 0.1.0\n"
            "    condition: sub.enabled\n",
            "values.yaml": "x: 1\nsub:\n  enabled: true\n",
            "templates/a.yaml": GATED,
            "templates/deps.yaml": CM.format(name="deps")
            + "  n: {{ len .Chart.Dependencies | quote }}\n",
            "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
            "charts/sub/templates/s.yaml": CM.format(name="s") + "  s: x\n",
            "ci/off-values.yaml": "sub:\n  enabled: false\n",
        },
    )
    counting = _Counting(monkeypatch)
    matrix = render_matrix(load_source(str(chart), offline=True), FOUR_VERSIONS)
    assert not matrix.failures
    off = {"sub": {"enabled": False}}
    whole = [r for r in counting.requests if r.values == off and not r.upgrade]
    assert [r.chart_dir for r in whole] == [None, None]
    assert sorted(r.kube_version for r in whole) == ["v1.31.13", "v1.33.6"]
    assert mismatches(chart, opts=FOUR_VERSIONS) == []


@pytest.mark.parametrize(("values", "renders"), [("", 2), ("level: 2\n", 4)])
def test_cells_rendered_whole_beside_a_template_printing_the_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, values: str, renders: int
) -> None:
    """A cell rendered whole (as above) beside a template that prints the version renders
    once per class when it cannot change what that template renders (the template renders
    alike within each class in the defaults cells), at every version when it can."""
    from seatrial.render.matrix import render_matrix
    from seatrial.source.load import load_source

    chart = _write(
        tmp_path,
        {
            "Chart.yaml": CHART + "dependencies:\n  - name: sub\n    version: 0.1.0\n"
            "    condition: sub.enabled\n",
            "values.yaml": "x: 1\nlevel: 1\nsub:\n  enabled: true\n",
            "templates/a.yaml": GATED,
            "templates/p.yaml": "{{- if eq (int .Values.level) 2 }}\n"
            + CM.format(name="p")
            + "  v: {{ .Capabilities.KubeVersion.Version }}\n{{- end }}\n",
            "templates/deps.yaml": CM.format(name="deps")
            + "  n: {{ len .Chart.Dependencies | quote }}\n",
            "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
            "charts/sub/templates/s.yaml": CM.format(name="s") + "  s: x\n",
            "ci/off-values.yaml": "sub:\n  enabled: false\n" + values,
        },
    )
    counting = _Counting(monkeypatch)
    matrix = render_matrix(load_source(str(chart), offline=True), FOUR_VERSIONS)
    assert not matrix.failures
    whole = [r for r in counting.requests if r.values.get("sub") == {"enabled": False}]
    assert len([r for r in whole if not r.upgrade and r.chart_dir is None]) == renders
    assert mismatches(chart, opts=FOUR_VERSIONS) == []


def test_notes_that_print_the_version_do_not_split_the_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kyverno's NOTES.txt prints the version under `<1.21.0`: the manifests still render
    once per class (two, not four), and equal whole renders at every version."""
    notes = (
        '{{- if semverCompare "<1.21.0" .Capabilities.KubeVersion.Version }}\n'
        "untested: {{ .Capabilities.KubeVersion.Version }}\n{{- end }}\n"
    )
    files = {"templates/a.yaml": GATED, "templates/NOTES.txt": notes}
    assert _renders(tmp_path, files, monkeypatch) == 2


ASKS_FOR_A_MODE = '{{- if not .Values.mode }}{{ fail "set mode" }}{{ end }}\n'


def _mode_renders(
    tmp_path: Path, template: str, monkeypatch: pytest.MonkeyPatch
) -> dict[str, list[str]]:
    """The versions each mode of a chart whose defaults fail by design rendered at."""
    from seatrial.render.matrix import render_matrix
    from seatrial.source.load import load_source

    chart = _write(
        tmp_path,
        {
            "Chart.yaml": CHART,
            "values.yaml": "x: 1\nmode: ''\n",
            "templates/a.yaml": ASKS_FOR_A_MODE + template,
            **{f"ci/{m}-values.yaml": f"mode: {m}\n" for m in ("a", "b", "c")},
        },
    )
    counting = _Counting(monkeypatch)
    matrix = render_matrix(load_source(str(chart), offline=True), FOUR_VERSIONS)
    assert {f.cell.name for f in matrix.failures} == {"defaults"}
    seen: dict[str, list[str]] = {}
    for r in counting.requests:
        if not r.upgrade and r.values.get("mode"):
            seen.setdefault(r.values["mode"], []).append(r.kube_version[:5])
    assert mismatches(chart, opts=FOUR_VERSIONS) == []
    return {m: sorted(v) for m, v in seen.items()}


def test_versions_render_once_per_class_when_the_defaults_fail_by_design(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """opentelemetry-collector fails without a mode: the classes are checked on the first
    mode's cells (rendered at every version), then every other mode renders once per class."""
    seen = _mode_renders(tmp_path, GATED, monkeypatch)
    every = ["v1.31", "v1.32", "v1.33", "v1.34"]
    assert seen == {"a": every, "b": ["v1.31", "v1.33"], "c": ["v1.31", "v1.33"]}


def test_versions_render_apart_when_the_first_modes_differ_within_a_class(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check on the modes rejects classes as the one on the defaults cells does: a
    template printing the version (unseen by the constraint scan through `omit`) keeps every
    version apart, after three modes tried."""
    rest = '(omit . "Release" "Files" "Template" "Chart" "Subcharts" "Values")'
    dump = GATED + f"  all: {{{{ {rest} | toJson | sha256sum | quote }}}}\n"
    every = ["v1.31", "v1.32", "v1.33", "v1.34"]
    assert _mode_renders(tmp_path, dump, monkeypatch) == {"a": every, "b": every, "c": every}
