"""Partial renders (render/deps.py): a cell renders only the templates that read what it
changes, and the result equals a whole render of the cell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.foundation.partial_equivalence import mismatches

from seatrial.render.deps import Analysis, analyze, changed_paths
from seatrial.render.helm import RenderRequest
from seatrial.render.matrix import MatrixOptions

FILES = {
    "Chart.yaml": "apiVersion: v2\nname: probe\nversion: 0.1.0\n",
    "values.yaml": "feature:\n  name: a\nextra:\n  labels: {}\nother: 1\n"
    'greeting: "hi {{ .Values.who }}"\nwho: a\n',
    "templates/_helpers.tpl": '{{- define "probe.name" -}}\n'
    "{{ .Values.feature.name }}-x\n{{- end -}}\n",
    # reads feature.name only through the helper
    "templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
    '  name: {{ include "probe.name" . }}\n',
    # reads extra.labels.* only as a whole subtree
    "templates/b.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n"
    "data:\n  {{- toYaml .Values.extra | nindent 2 }}\n",
    "templates/c.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
    "data:\n  other: {{ .Values.other | quote }}\n",
    "templates/d.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n"
    "data:\n  v: {{ .Capabilities.KubeVersion.Version | quote }}\n",
    "templates/e.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: e\n"
    "stringData:\n  up: {{ .Release.IsUpgrade | quote }}\n"
    "  pw: {{ randAlphaNum 12 | quote }}\n",
    # reads `who` only through a values string it hands to `tpl`
    "templates/f.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: f\n"
    "data:\n  g: {{ tpl .Values.greeting . | quote }}\n",
    "ci/name-values.yaml": "feature:\n  name: b\n",
    "ci/who-values.yaml": "who: b\n",
    "ci/labels-values.yaml": "extra:\n  labels:\n    team: t\n",
}
OPTS = MatrixOptions(offline=True, discover_modes=False)


def _write(root: Path, files: dict[str, str]) -> Path:
    """The files (relative path -> text) under `root`."""
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


@pytest.fixture()
def probe(tmp_path: Path) -> Path:
    _write(tmp_path, FILES)
    return tmp_path


def test_reads_follow_helpers_and_whole_subtrees(probe: Path) -> None:
    a = analyze(probe)
    assert a is not None
    assert a.subset({("feature", "name")}) == {"templates/a.yaml"}
    assert a.subset({("extra", "labels", "team")}) == {"templates/b.yaml"}
    assert a.subset({("extra",)}) == {"templates/b.yaml"}
    assert a.subset({("unread",)}) == frozenset()
    assert a.subset({("who",)}) == {"templates/f.yaml"}
    assert a.caps == {"templates/d.yaml"}
    assert a.subset((), release=True) == {"templates/e.yaml"}


def test_changed_paths_are_leaves_of_user_values() -> None:
    assert changed_paths({"a": {"b": 1, "c": {"d": 2}}}, {"a": {"b": 1}}) == {("a", "c", "d")}
    assert changed_paths({"a": [1]}, {"a": [2]}) == {("a",)}
    assert changed_paths({"a": 1}, {"a": {"b": 1}}) == {("a",)}
    assert changed_paths({"m": {"k": {"x": {}}}}, {}) == {("m", "k", "x")}


def test_partial_renders_equal_whole_renders(probe: Path) -> None:
    assert mismatches(probe, opts=OPTS) == []


def test_a_missed_path_is_caught(probe: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The equivalence check fails when the analysis misses a read (here: everything the
    helper and `toYaml` read), so it proves something on the corpus."""
    monkeypatch.setattr(Analysis, "readers", lambda self, changed: set())
    bad = mismatches(probe, opts=OPTS)
    assert (
        "ci/name-values.yaml @ 1.35: templates/a.yaml line 4: partial '  name: a-x', "
        "whole '  name: b-x'" in bad
    )
    assert "ci/labels-values.yaml @ 1.35: templates/b.yaml: 6 lines partial, 7 whole" in bad
    assert (
        "ci/who-values.yaml @ 1.35: templates/f.yaml line 6: partial '  g: \"hi a\"', "
        "whole '  g: \"hi b\"'" in bad
    )
    assert not any("templates/c.yaml" in b or "templates/d.yaml" in b for b in bad)


class _Counting:
    """Counts the renders a matrix asks the engine for, by chart directory."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from seatrial.render.pool import PoolEngine

        self.requests: list[RenderRequest] = []
        submit = PoolEngine.submit

        def counted(engine: PoolEngine, req: RenderRequest) -> Any:
            self.requests.append(req)
            return submit(engine, req)

        monkeypatch.setattr(PoolEngine, "submit", counted)


def _render_at(chart: Path, versions: str) -> tuple[Any, MatrixOptions]:
    """The chart's matrix at `versions`, without mode discovery, and the options it used."""
    from seatrial.render.kube import parse_kube_versions
    from seatrial.render.matrix import render_matrix
    from seatrial.source.load import load_source

    opts = MatrixOptions(
        offline=True, discover_modes=False, kube_versions=parse_kube_versions(versions)
    )
    return render_matrix(load_source(str(chart), offline=True), opts), opts


def test_cells_whose_copy_reads_the_same_values_share_one_render(
    probe: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ci/name-values.yaml changes feature.name, read by a.yaml only, which does not read
    `.Capabilities`: one render of its copy serves all six Kubernetes versions. The equality
    with whole renders still holds."""
    from seatrial.render.matrix import render_matrix
    from seatrial.source.load import load_source

    counting = _Counting(monkeypatch)
    matrix = render_matrix(load_source(str(probe), offline=True), OPTS)
    name_cells = [c for r in matrix.renders for c in r.cells if c.name == "ci/name-values.yaml"]
    assert len(name_cells) == 6
    first = [r for r in counting.requests if r.values == {"feature": {"name": "b"}}]
    assert len(first) == 1 and not first[0].upgrade
    assert mismatches(probe, opts=OPTS) == []


def test_cells_whose_copy_reads_capabilities_render_at_each_version(
    probe: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control: a mode that changes what d.yaml (it reads `.Capabilities`) prints renders
    once per Kubernetes version."""
    from seatrial.render.matrix import render_matrix
    from seatrial.source.load import load_source

    d = probe / "templates/d.yaml"
    d.write_text(d.read_text() + "  o: {{ .Values.other | quote }}\n")
    (probe / "ci/other-values.yaml").write_text("other: 2\n")
    counting = _Counting(monkeypatch)
    render_matrix(load_source(str(probe), offline=True), OPTS)
    other = [r for r in counting.requests if r.values == {"other": 2} and not r.upgrade]
    assert len(other) == 6
    assert mismatches(probe, opts=OPTS) == []


MISSING_DEP = {
    "Chart.yaml": "apiVersion: v2\nname: needs\nversion: 0.1.0\ndependencies:\n"
    "  - name: common\n    version: 2.x.x\n    repository: oci://registry.invalid/charts\n",
    "values.yaml": "a:\n  enabled: true\n  name: a\nb:\n  enabled: false\n",
    "templates/a.yaml": "{{- if .Values.a.enabled }}\napiVersion: v1\nkind: ConfigMap\n"
    'metadata:\n  name: {{ include "common.names.fullname" . }}-{{ .Values.a.name }}\n'
    "{{- end }}\n",
    "templates/b.yaml": "{{- if .Values.b.enabled }}\napiVersion: v1\nkind: ConfigMap\n"
    "metadata:\n  name: b\n{{- end }}\n",
    "templates/c.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
    "ci/off-values.yaml": "a:\n  enabled: false\n",
    "ci/b-values.yaml": "b:\n  enabled: true\n",
    "ci/name-values.yaml": "a:\n  name: x\n",
}


def test_a_missing_dependency_fails_cells_from_their_trimmed_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The defaults cell fails on the missing `common` chart. A cell whose trimmed copy fails
    (name: a.yaml still includes common) fails without a whole render; a cell whose copy
    renders is rendered whole: b (a.yaml still fails there) and off (renders: a.yaml is off)."""
    _write(tmp_path, MISSING_DEP)
    counting = _Counting(monkeypatch)
    matrix, _ = _render_at(tmp_path, "1.33")
    failed = {f.cell.name: f.message for f in matrix.failures}
    assert set(failed) == {"defaults", "ci/b-values.yaml", "ci/name-values.yaml"}
    assert all('no template "common.names.fullname"' in m for m in failed.values())
    (ok,) = matrix.renders
    assert [c.name for c in ok.cells] == ["ci/off-values.yaml"]
    assert sorted(o.name for o in ok.objects) == ["c"]
    whole = [r for r in counting.requests if r.chart_dir is None and not r.upgrade]
    # the defaults cell, then the two cells whose trimmed copy rendered
    assert sorted(str(r.values) for r in whole) == sorted(
        ["{}", "{'a': {'enabled': False}}", "{'b': {'enabled': True}}"]
    )


ABSENT_SWITCH = {
    "Chart.yaml": "apiVersion: v2\nname: needs\nversion: 0.1.0\ndependencies:\n"
    "  - name: extra\n    version: 1.x.x\n    repository: oci://registry.invalid/charts\n"
    "    condition: extra.enabled\n",
    "values.yaml": "extra:\n  enabled: false\nx: 1\n",
    "templates/a.yaml": "{{- if .Values.extra.enabled }}\napiVersion: v1\nkind: ConfigMap\n"
    "metadata:\n  name: uses-extra\n{{- end }}\n",
    "templates/b.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n"
    "data:\n  x: {{ .Values.x | quote }}\n",
    "ci/extra-values.yaml": "extra:\n  enabled: true\n",
}


def test_the_condition_of_a_subchart_not_in_charts_switches_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`extra` is not fetched (offline): its condition adds or removes no subchart, so the
    cell turning it on renders from a copy of the templates reading `extra.enabled` (kyverno's
    reportsServer.enabled rendered the whole chart, 3.4 MB of CRDs, for one Deployment)."""
    _write(tmp_path, ABSENT_SWITCH)
    counting = _Counting(monkeypatch)
    matrix, opts = _render_at(tmp_path, "1.33")
    assert not matrix.failures
    (on,) = [r for r in matrix.renders if any(c.name == "ci/extra-values.yaml" for c in r.cells)]
    assert sorted(o.name for o in on.objects) == ["b", "uses-extra"]
    (req,) = [r for r in counting.requests if r.values and not r.upgrade]
    assert req.chart_dir is not None
    assert mismatches(tmp_path, opts=opts) == []


TREE = {
    "Chart.yaml": "apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n"
    "  - name: sub\n    version: 0.1.0\n",
    "values.yaml": "x: 1\n",
    "README.md": "# top\n",
    "files/f.txt": "from a file\n",
    "crds/crd.yaml": "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n",
    "templates/_helpers.tpl": '{{- define "top.name" -}}top{{- end -}}\n',
    "templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"
    "data:\n  x: {{ .Values.x | quote }}\n",
    "templates/b.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n"
    'data:\n  f: {{ .Files.Get "files/f.txt" | quote }}\n  x: {{ .Values.x | quote }}\n',
    # the subchart's helper with the subchart's context: reads sub.*
    "templates/c.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
    '  name: {{ include "sub.name" .Subcharts.sub }}\n',
    "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
    "charts/sub/values.yaml": "nameOverride: sub\n",
    "charts/sub/templates/_helpers.tpl": '{{- define "sub.name" -}}'
    "{{ .Values.nameOverride }}-n{{- end -}}\n",
    "charts/sub/templates/d.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
    '  name: {{ include "sub.name" . }}-d\n',
    "ci/sub-values.yaml": "sub:\n  nameOverride: other\n",
}


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    _write(tmp_path, TREE)
    return tmp_path


def _copy_files(chart: Path, subset: set[str], *, notes: bool = False) -> list[str]:
    from seatrial.render.deps import Trimmer

    a = analyze(chart)
    assert a is not None
    trimmer = Trimmer(chart, a)
    try:
        return Trimmer.files_of(trimmer.dir_for(frozenset(subset), notes=notes))
    finally:
        trimmer.close()


def test_a_copy_leaves_out_subcharts_and_files_its_templates_do_not_need(tree: Path) -> None:
    """a.yaml reads neither `.Files` nor anything of the subchart: its copy holds neither
    (each subchart costs every render its values and dependency processing)."""
    assert _copy_files(tree, {"templates/a.yaml"}) == [
        "Chart.yaml",
        "templates/_helpers.tpl",
        "templates/a.yaml",
        "values.yaml",
    ]


def test_a_copy_is_an_archive_helm_keeps_loaded(tree: Path) -> None:
    """A copy is one chart archive (a folder costs a `mkdir`, ~0.5 ms on some disks); the
    engine keeps it loaded between renders as it keeps a directory with subcharts."""
    from seatrial.render.deps import Trimmer
    from seatrial.render.helm import SdkEngine

    a = analyze(tree)
    assert a is not None
    trimmer = Trimmer(tree, a)
    try:
        whole = trimmer.whole()
        assert whole.is_file() and whole.suffix == ".tgz"
        engine = SdkEngine(whole)
        assert engine._subcharts and engine._keep
        assert engine.render(RenderRequest({}, "v1.33.0")) == SdkEngine(tree).render(
            RenderRequest({}, "v1.33.0")
        )
    finally:
        trimmer.close()


def test_copies_of_a_chart_given_as_dot_are_apart(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`seatrial check .`: the chart path has no name; each copy is still its own archive
    (they once all went to one file, each overwriting the last)."""
    from seatrial.render.deps import Trimmer

    monkeypatch.chdir(tree)
    a = analyze(Path("."))
    assert a is not None
    trimmer = Trimmer(Path("."), a)
    try:
        one = trimmer.dir_for(frozenset({"templates/a.yaml"}))
        other = trimmer.dir_for(frozenset({"templates/b.yaml"}))
        assert one != other
        assert "templates/a.yaml" in Trimmer.files_of(one)
        assert "templates/a.yaml" not in Trimmer.files_of(other)
    finally:
        trimmer.close()


def test_a_copy_with_a_file_too_large_for_an_archive_is_a_directory(tree: Path) -> None:
    """Helm refuses an archive holding a file over 5 MiB: such a chart's copies are
    directories."""
    from seatrial.render.deps import Trimmer

    (tree / "files" / "big.bin").write_bytes(b"x" * (6 << 20))
    a = analyze(tree)
    assert a is not None
    trimmer = Trimmer(tree, a)
    try:
        assert trimmer.whole().is_dir()
        assert "files/big.bin" in Trimmer.files_of(trimmer.whole())
    finally:
        trimmer.close()


def test_a_copy_keeps_what_its_templates_read(tree: Path) -> None:
    """The controls: b.yaml reads `.Files` (every file stays, the subchart still goes);
    c.yaml hands `.Subcharts.sub` to the subchart's helper (the subchart stays)."""
    assert _copy_files(tree, {"templates/b.yaml"}) == [
        "Chart.yaml",
        "README.md",
        "ci/sub-values.yaml",
        "crds/crd.yaml",
        "files/f.txt",
        "templates/_helpers.tpl",
        "templates/b.yaml",
        "values.yaml",
    ]
    assert "charts/sub/Chart.yaml" in _copy_files(tree, {"templates/c.yaml"})
    a = analyze(tree)
    assert a is not None
    assert a.subset({("sub", "nameOverride")}) == {
        "templates/c.yaml",
        "charts/sub/templates/d.yaml",
    }


def test_partial_renders_of_a_chart_with_a_subchart_equal_whole_renders(tree: Path) -> None:
    assert mismatches(tree, opts=OPTS) == []


def test_a_copy_with_notes_keeps_every_subchart_and_file(tree: Path) -> None:
    """NOTES.txt is not analysed (it groups renders, no check reads it): a copy that renders
    it (the defaults cells') keeps what it may reach, here the subchart's helper through
    `.Subcharts` (prometheus' NOTES.txt does that; without it the Kubernetes versions' defaults
    cells came out different)."""
    (tree / "templates/NOTES.txt").write_text('{{ include "sub.name" .Subcharts.sub }}\n')
    files = _copy_files(tree, {"templates/a.yaml"}, notes=True)
    assert {"templates/NOTES.txt", "charts/sub/Chart.yaml", "files/f.txt"} <= set(files)


SWITCHES = {
    "Chart.yaml": "apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n"
    "  - name: sub\n    alias: come\n    version: 0.1.0\n    condition: come.enabled\n"
    "  - name: sub\n    alias: gone\n    version: 0.1.0\n    condition: gone.enabled\n"
    "  - name: hidden\n    version: 0.1.0\n    condition: hidden.enabled\n",
    # hidden.enabled is false in the subchart's own values only
    "values.yaml": "come:\n  enabled: false\ngone:\n  enabled: true\nx: 1\n",
    # reads a value the `come` subchart's defaults provide once it is on
    "templates/p.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p\n"
    'data:\n  sub: {{ get (.Values.come | default dict) "name" | default "none" | quote }}\n',
    "templates/q.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: q\n"
    "data:\n  x: {{ .Values.x | quote }}\n",
    "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
    "charts/sub/values.yaml": "name: fromsub\n",
    # reads nothing of its values: only the condition decides whether it renders
    "charts/sub/templates/s.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
    "  name: s-{{ .Chart.Name }}\n",
    "charts/hidden/Chart.yaml": "apiVersion: v2\nname: hidden\nversion: 0.1.0\n",
    "charts/hidden/values.yaml": "enabled: false\n",
    "charts/hidden/templates/h.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: h\n",
    "ci/come-values.yaml": "come:\n  enabled: true\n",
    "ci/gone-values.yaml": "gone:\n  enabled: false\nx: 2\n",
    "ci/hidden-values.yaml": "hidden:\n  enabled: true\n",
    "ci/hidden-no-values.yaml": "hidden:\n  enabled: false\n",
}


def test_cells_switching_subcharts_render_from_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cell that switches a subchart on or off renders a copy holding it, and that copy's
    output replaces the subchart's in the base: `come` comes (with its defaults, read by
    p.yaml), `gone` goes, `hidden` (off by its own values) comes only when turned on. Only the
    defaults cells render the whole chart; everything equals whole renders."""
    _write(tmp_path, SWITCHES)
    counting = _Counting(monkeypatch)
    matrix, opts = _render_at(tmp_path, "1.33")
    assert not matrix.failures
    names = {
        c.name: sorted((o.name, o.source) for o in r.objects if o.kind == "ConfigMap")
        for r in matrix.renders
        for c in r.cells
    }
    assert names["ci/come-values.yaml"] == [
        ("p", "templates/p.yaml"),
        ("q", "templates/q.yaml"),
        ("s-come", "charts/come/templates/s.yaml"),
        ("s-gone", "charts/gone/templates/s.yaml"),
    ]
    (on,) = [r for r in matrix.renders if any(c.name == "ci/come-values.yaml" for c in r.cells)]
    assert next(o.body["data"] for o in on.objects if o.name == "p") == {"sub": "fromsub"}
    assert names["ci/gone-values.yaml"] == [("p", "templates/p.yaml"), ("q", "templates/q.yaml")]
    assert ("h", "charts/hidden/templates/h.yaml") in names["ci/hidden-values.yaml"]
    # the same copy, the same values read: only the switch tells these two apart
    assert names["ci/hidden-no-values.yaml"] == names["defaults"]
    switching = [r for r in counting.requests if r.values and not r.upgrade]
    assert len(switching) == 4 and all(r.chart_dir is not None for r in switching)
    assert mismatches(tmp_path, opts=opts) == []


def test_the_render_key_tells_cells_apart_as_the_values_at_each_read_path_do() -> None:
    """The key projects the values on the read paths (walking only what a cell sets); two
    cells get the same key exactly when every read path gives the same answer (`_at`:
    the value, or where and why the path stops). Randomized against that definition."""
    import json
    import random

    from seatrial.render.deps import _at, _project, _trie

    rng = random.Random(7)
    keys = ["a", "b", "c"]

    def tree(depth: int) -> Any:
        if depth == 0 or rng.random() < 0.3:
            return rng.choice([None, 0, 1, "x", [1], {}])
        return {k: tree(depth - 1) for k in keys if rng.random() < 0.6}

    for _ in range(3000):
        paths = {tuple(rng.choice(keys) for _ in range(rng.randint(1, 3))) for _ in range(3)}
        x, y = tree(3), tree(3)
        x = x if isinstance(x, dict) else {}
        y = y if isinstance(y, dict) else {}
        by_paths = all(_at(x, p) == _at(y, p) for p in paths)
        trie = _trie(paths)
        by_key = json.dumps(_project(x, trie), sort_keys=True) == json.dumps(
            _project(y, trie), sort_keys=True
        )
        assert by_paths == by_key, (paths, x, y)


def _chart(
    root: Path, templates: dict[str, str], values: str = "x: 1\n", ci: dict[str, str] | None = None
) -> Path:
    """A chart of `templates`, its values.yaml and its `ci/<name>-values.yaml` files."""
    return _write(
        root,
        {
            "Chart.yaml": "apiVersion: v2\nname: probe\nversion: 0.1.0\n",
            "values.yaml": values,
            **{f"templates/{k}": v for k, v in templates.items()},
            **{f"ci/{k}-values.yaml": v for k, v in (ci or {}).items()},
        },
    )


def test_string_literals_call_nothing_and_do_not_end_an_action(tmp_path: Path) -> None:
    """A dashboard printed from a raw string holds `"now"` and `{{ legend }}`: the string
    calls no `now`, and a `}}` in a string does not end its action (the read after it is
    found). A string handed to `tpl` (through a variable) still counts."""
    a = analyze(
        _chart(
            tmp_path,
            {
                "dash.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\ndata:\n"
                '  d.json: {{`{"time":{"from":"now-1h"},"legend":"{{ code }}"}`}}\n'
                '  l: {{ printf "{{ %s }}" .Values.x | quote }}\n',
                "tpl.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t\ndata:\n"
                '{{- $t := "{{ now }}" }}\n  t: {{ tpl $t . | quote }}\n',
            },
        )
    )
    assert a is not None
    assert a.subset({("x",)}) == {"templates/dash.yaml"}
    assert a.random == {"templates/tpl.yaml"}


@pytest.mark.parametrize(
    ("helper", "upgrade_dependent"),
    [
        ('{{- define "probe.name" -}}{{ .ctx.Release.Name }}{{- end -}}', False),
        ('{{- define "probe.name" -}}{{ .ctx.Release.IsUpgrade }}{{- end -}}', True),
        ('{{- define "probe.name" -}}{{ toYaml .ctx.Release }}{{- end -}}', True),
    ],
)
def test_release_handed_on_whole_is_upgrade_dependent_when_read_so(
    tmp_path: Path, helper: str, upgrade_dependent: bool
) -> None:
    """`dict "ctx" (dict "Release" .Release)` hands `.Release` on: the template renders
    differently on upgrade only if something reads `IsUpgrade`/`IsInstall`/`Revision` or
    prints the release whole; partial upgrade renders equal whole ones either way."""
    chart = _chart(
        tmp_path,
        {
            "_helpers.tpl": helper + "\n",
            "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n"
            '  n: {{ include "probe.name" (dict "ctx" (dict "Release" .Release)) | quote }}\n'
            "  x: {{ .Values.x | quote }}\n",
            "other.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: o\n",
        },
        ci={"x": "x: 2\n"},
    )
    a = analyze(chart)
    assert a is not None
    assert a.subset((), release=True) == ({"templates/cm.yaml"} if upgrade_dependent else set())
    assert mismatches(chart, opts=OPTS) == []


@pytest.mark.parametrize("reads_version", [True, False])
def test_the_defaults_cells_render_while_the_chart_is_analysed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads_version: bool
) -> None:
    """The defaults cells' whole renders are submitted before the analysis starts (one at a
    time, see `test_ahead_chain`), from the copy without the subcharts the defaults switch
    off (`hidden`; `sub` stays, as `gone` uses it), and the matrix still equals whole renders. A chart that never reads the
    Kubernetes version gets the first one only (the other versions render from their copy)."""
    import seatrial.render.matrix as mx
    from seatrial.render.kube import parse_kube_versions
    from seatrial.source.load import load_source

    version = (
        {
            "templates/v.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: v\n"
            "data:\n  v: {{ .Capabilities.KubeVersion.Version | quote }}\n"
        }
        if reads_version
        else {}
    )
    _write(
        tmp_path,
        {
            **SWITCHES,
            **version,
            "values.yaml": SWITCHES["values.yaml"] + "hidden:\n  enabled: false\n",
        },
    )
    counting = _Counting(monkeypatch)
    at_analysis: list[tuple[int, list[str]]] = []
    real = mx.analyze

    def analyze_(chart: Path, *args: Any) -> Any:
        from seatrial.render.deps import Trimmer

        if not at_analysis:  # the check's; `mismatches` below analyses again, its copy gone
            copy = Path(counting.requests[0].chart_dir or "")
            at_analysis.append((len(counting.requests), Trimmer.files_of(copy)))
        return real(chart, *args)

    monkeypatch.setattr(mx, "analyze", analyze_)
    opts = MatrixOptions(
        offline=True, discover_modes=False, kube_versions=parse_kube_versions("1.33,1.34")
    )
    matrix = mx.render_matrix(load_source(str(tmp_path), offline=True), opts)
    assert not matrix.failures
    ((submitted, files),) = at_analysis
    # one at a time: the second once the first has ended, if the analysis has not by then
    ahead = ["v1.33.6", "v1.34.2"] if reads_version else ["v1.33.6"]
    assert 1 <= submitted <= len(ahead)
    assert [r.kube_version for r in counting.requests[:submitted]] == ahead[:submitted]
    assert "charts/sub/Chart.yaml" in files and "charts/hidden/Chart.yaml" not in files
    assert mismatches(tmp_path, opts=opts) == []


def test_a_value_writer_brings_the_files_it_includes_by_name(tmp_path: Path) -> None:
    """A template that writes into values (`merge .Values.image ...`) renders in every copy,
    and so does the file it includes through `$.Template.BasePath` (fluent-bit's DaemonSet
    hashes its ConfigMap): a cell changing only the Ingress rendered a copy without
    `cm.yaml` and failed with `no template ".../cm.yaml"`."""
    chart = _chart(
        tmp_path,
        {
            "ds.yaml": "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: d\n"
            "  annotations:\n"
            '    checksum: {{ include (print $.Template.BasePath "/cm.yaml") . | sha256sum }}\n'
            "spec:\n  image: "
            '{{ (merge .Values.image (dict "tag" "1.0")).tag | quote }}\n',
            "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
            "data:\n  x: {{ .Values.x | quote }}\n",
            "ing.yaml": "{{- if .Values.ingress.enabled }}\napiVersion: v1\nkind: ConfigMap\n"
            "metadata:\n  name: i\n{{- end }}\n",
        },
        values="x: 1\nimage: {}\ningress:\n  enabled: false\n",
        ci={
            "ingress": "ingress:\n  enabled: true\n",
        },
    )
    a = analyze(chart)
    assert a is not None
    assert a.always == {"templates/ds.yaml"}
    assert a.subset([("ingress", "enabled")]) == {"templates/ing.yaml"}
    assert a.kept(a.subset([("ingress", "enabled")])) == {
        "templates/ing.yaml",
        "templates/ds.yaml",
        "templates/cm.yaml",
    }
    assert mismatches(chart, opts=OPTS) == []


def test_a_partial_file_included_by_name_brings_its_reads(tmp_path: Path) -> None:
    """minio's ConfigMap holds `include (print $.Template.BasePath "/_helper_create_user.txt")`,
    a `_` file whose top level ranges over `.Values.users`: a cell changing `users` took the
    ConfigMap from the defaults render (the users it removed were still created)."""
    chart = _chart(
        tmp_path,
        {
            "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n"
            '  add-user: |-\n    {{- include (print $.Template.BasePath "/_users.txt") . '
            "| nindent 4 }}\n",
            "_users.txt": "{{- range .Values.users }}\ncreate {{ .name }}\n{{- end }}\n",
        },
        values="x: 1\nusers:\n  - name: console\n",
        ci={"none": "users: []\n"},
    )
    a = analyze(chart)
    assert a is not None
    assert a.subset([("users",)]) == {"templates/cm.yaml", "templates/_users.txt"}
    assert mismatches(chart, opts=OPTS) == []


@pytest.mark.parametrize(
    ("other", "always"),
    [
        ("  y: {{ .Values.x | quote }}\n", False),
        ("  y: {{ $.port | quote }}\n", True),  # reads the key the Deployment set
        ('  y: {{ index . "port" | quote }}\n', True),
    ],
)
def test_a_key_set_on_the_top_context_is_a_write_only_for_its_readers(
    tmp_path: Path, other: str, always: bool
) -> None:
    """harbor's nginx Deployment sets `.scheme` and `.port` on its own context: no other
    template reads them, so it is not a value writer every copy renders (it hashes a
    generated certificate: ~0.7 s a render). Inside a `range` over values, `.` is a value:
    a write there is a value write."""
    writer = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n"
        '{{- $_ := set . "port" "8080" }}\n  port: {{ .port | quote }}\n'
    )
    chart = _chart(
        tmp_path,
        {
            "a.yaml": writer,
            "b.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n" + other,
            "c.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n"
            '{{- range .Values.items }}{{ $_ := set . "seen" "yes" }}{{ end }}\n',
        },
        values="x: 1\nitems: []\n",
        ci={"x": "x: 2\n"},
    )
    a = analyze(chart)
    assert a is not None
    assert a.always == (
        {"templates/a.yaml", "templates/c.yaml"} if always else {"templates/c.yaml"}
    )
    assert mismatches(chart, opts=OPTS) == []


def test_a_cell_that_notes_txt_fails_fails(tmp_path: Path) -> None:
    """bitnami charts validate their values in NOTES.txt, which renders no object: a cell
    changing what the validation reads rendered a copy without it, and passed where Helm
    fails the install (nginx's `cloneStaticSiteFromGit.enabled` without a repository)."""
    from seatrial.render.matrix import render_matrix
    from seatrial.source.load import load_source

    chart = _chart(
        tmp_path,
        {
            "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n"
            "  on: {{ .Values.git.enabled | quote }}\n",
            "_helpers.tpl": '{{- define "c.validate" -}}\n'
            "{{- if and .Values.git.enabled (not .Values.git.repository) -}}\n"
            '{{- fail "git.enabled needs git.repository" -}}\n{{- end -}}\n{{- end -}}\n',
            "NOTES.txt": 'Installed.\n{{ include "c.validate" . }}\n',
        },
        values="x: 1\ngit:\n  enabled: false\n  repository: ''\n",
        ci={"git": "git:\n  enabled: true\n", "repo": "git:\n  enabled: true\n  repository: r\n"},
    )
    a = analyze(chart)
    assert a is not None
    assert a.notes_read([("git", "enabled")]) == (("git", "enabled"),)
    matrix = render_matrix(load_source(str(chart), offline=True), OPTS)
    assert {f.cell.name for f in matrix.failures} == {"ci/git-values.yaml"}
    assert mismatches(chart, opts=OPTS) == []


def test_a_variable_named_include_is_not_a_computed_include(tmp_path: Path) -> None:
    """kyverno's `range $include := .Values.namespaces` read as an `include` of a computed
    name: every template was then rendered for every cell touching the ConfigMap (23 s
    instead of 3 s), and the chart's version constraints were not read."""
    from seatrial.render.capabilities import version_constraints

    chart = _chart(
        tmp_path,
        {
            "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n"
            "  f: |\n{{- range $include := .Values.namespaces }}\n"
            '    {{ printf "[*,%s]" $include }}\n{{- end }}\n'
            '{{- if semverCompare ">=1.31-0" .Capabilities.KubeVersion.Version }}\n'
            "  new: 'yes'\n{{- end }}\n",
            "other.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: o\n"
            "data:\n  x: {{ .Values.x | quote }}\n",
        },
        values="x: 1\nnamespaces: [a, b]\n",
        ci={
            "ns": "namespaces: [c]\n",
        },
    )
    a = analyze(chart)
    assert a is not None
    assert a.by_name == set()
    assert a.subset([("namespaces",)]) == {"templates/cm.yaml"}
    assert version_constraints(chart) == [">=1.31-0"]
    assert mismatches(chart, opts=OPTS) == []


def test_a_call_named_in_a_string_literal_is_not_a_computed_include(tmp_path: Path) -> None:
    """cert-manager's image helper fails with `printf "ERROR: template \\"cert-manager.image\\"
    expects ..."`: the words `template \\"` in that message were read as a call of a computed
    name, so every copy held every template, the 1 MB of CRDs included (1.4 -> 1.0 s)."""
    chart = _chart(
        tmp_path,
        {
            "_helpers.tpl": '{{- define "probe.image" -}}\n'
            '{{- if ne (len .) 2 }}{{ fail (printf "template \\"probe.image\\" wants 2") }}'
            "{{ end }}\n"
            "{{- index . 0 }}:{{ index . 1 }}\n{{- end -}}\n",
            "pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n"
            "  containers:\n    - name: c\n"
            '      image: {{ include "probe.image" (list .Values.image "1") }}\n',
            "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n"
            "  x: {{ .Values.x | quote }}\n",
        },
        values="x: 1\nimage: app\n",
        ci={"x": "x: 2\n"},
    )
    a = analyze(chart)
    assert a is not None
    assert a.by_name == set()
    assert a.subset([("x",)]) == {"templates/cm.yaml"}
    assert a.subset([("image",)]) == {"templates/pod.yaml"}
    assert mismatches(chart, opts=OPTS) == []


def test_objects_with_random_names_do_not_make_cells_distinct(tmp_path: Path) -> None:
    """jenkins names its test Pods `ui-test-{{ randAlphaNum 5 | lower }}`: the two renders of
    the defaults cell match those objects by place (same kind and namespace), so cells whose
    output differs only there group into one distinct render (264 -> 44 on jenkins). `x: 2`
    and `x: 3` render the Pod alike (both true), but each renders it, with a new name."""
    chart = _chart(
        tmp_path,
        {
            "test.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n"
            "  name: t-{{ randAlphaNum 5 | lower }}\n"
            '  annotations:\n    "helm.sh/hook": test\n'
            '{{- if .Values.x }}\n  labels:\n    x: "on"\n{{- end }}\n'
            "spec:\n  containers:\n    - name: t\n      image: busybox:1\n",
            "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
            "data:\n  w: {{ .Values.w | quote }}\n",
        },
        values="x: 0\nw: 1\n",
        ci={
            "x2": "x: 2\n",
            "x3": "x: 3\n",
            "w": "w: 2\n",
        },
    )
    matrix, _ = _render_at(chart, "1.32")
    assert not matrix.failures
    groups = sorted(sorted(c.name for c in r.cells) for r in matrix.renders)
    assert groups == [
        ["ci/w-values.yaml"],
        ["ci/x2-values.yaml", "ci/x3-values.yaml"],
        ["defaults"],
    ]


@pytest.mark.parametrize("random", [True, False])
def test_the_defaults_cell_renders_again_only_the_templates_with_random_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, random: bool
) -> None:
    """What is random shows as what differs between two renders of the defaults cell; the
    second renders the templates with random output alone (kyverno's rendered its 3.4 MB of
    CRDs again), and none when no template has any. Cells still group through the random
    name (`x: 2` and `x: 3`)."""
    from seatrial.render.deps import Trimmer
    from seatrial.render.pool import PoolEngine

    name = "t-{{ randAlphaNum 5 | lower }}" if random else "t"
    chart = _chart(
        tmp_path,
        {
            "test.yaml": f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n"
            '{{- if .Values.x }}\n  labels:\n    x: "on"\n{{- end }}\n'
            "spec:\n  containers:\n    - name: t\n      image: busybox:1\n",
            "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
            "data:\n  w: {{ .Values.w | quote }}\n",
        },
        values="x: 0\nw: 1\n",
        ci={"x2": "x: 2\n", "x3": "x: 3\n"},
    )
    held: list[list[str] | None] = []  # the templates of each render of the defaults cell
    submit = PoolEngine.submit

    def recorded(engine: PoolEngine, req: RenderRequest) -> Any:
        if not req.values and not req.upgrade:
            files = Trimmer.files_of(Path(req.chart_dir)) if req.chart_dir else None
            held.append([f for f in files if f.startswith("templates/")] if files else None)
        return submit(engine, req)

    monkeypatch.setattr(PoolEngine, "submit", recorded)
    matrix, _ = _render_at(chart, "1.32")
    assert not matrix.failures
    # the first whole (the chart itself: no subchart to leave out), the second a copy
    assert held == ([None, ["templates/test.yaml"]] if random else [None])
    groups = sorted(sorted(c.name for c in r.cells) for r in matrix.renders)
    assert groups == [["ci/x2-values.yaml", "ci/x3-values.yaml"], ["defaults"]]


def test_a_cell_breaking_the_values_schema_where_no_template_reads_fails(
    tmp_path: Path,
) -> None:
    """Helm validates every value against values.schema.json, whatever the templates read:
    `replicas: three` fails the render although only `x` is read, so the cell setting it
    must not share the passing render of the cell setting `replicas: 2` (it once did)."""
    from seatrial.render.matrix import render_matrix
    from seatrial.source.load import load_source

    chart = _chart(
        tmp_path,
        {"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a-{{ .Values.x }}\n"},
        values="x: 1\nreplicas: 1\n",
        ci={"a-good": "replicas: 2\n", "bad": "replicas: three\n"},
    )
    (chart / "values.schema.json").write_text(
        '{"type": "object", "properties": {"replicas": {"type": "integer", "title": "n"},'
        ' "x": {"type": "integer"}}}'
    )
    matrix = render_matrix(load_source(str(chart), offline=True), OPTS)
    failed = {f.cell.name for f in matrix.failures}
    assert failed == {"ci/bad-values.yaml"}
    assert all("want integer" in f.message for f in matrix.failures)
    assert mismatches(chart, opts=OPTS) == []
