"""Partial renders (render/deps.py): a cell renders only the templates that read what it
changes, and the result equals a whole render of the cell."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.foundation.partial_equivalence import mismatches

from seatrial.render.deps import Analysis, analyze, changed_paths
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


@pytest.fixture()
def probe(tmp_path: Path) -> Path:
    for rel, text in FILES.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
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
