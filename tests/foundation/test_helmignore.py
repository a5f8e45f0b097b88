"""`.helmignore` as Helm reads it (source/helmignore.py): the files `chart_files` lists are
the files `helm package` puts in the archive."""

from __future__ import annotations

import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from seatrial.source.helmignore import HelmIgnore, chart_files

HELM = shutil.which("helm")

FILES = {
    "Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    "values.yaml": "x: 1\n",
    "templates/a.yaml": "kind: A\n",
    "templates/.hidden.yaml": "kind: H\n",
    "templates/notes.bak": "old\n",
    "hack/sync.py": "print()\n",
    "docs/hack": "a file named like an ignored directory\n",
    "files/a.txt": "a\n",
    "files/b.txt": "b\n",
    "files/sub/c.txt": "c\n",
    "ci/x-values.yaml": "x: 2\n",
    "rootonly.md": "top\n",
    "files/rootonly.md": "nested\n",
    "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
    "charts/sub/templates/s.yaml": "kind: S\n",
    "charts/sub/ci/y-values.yaml": "y: 1\n",  # `ci/` holds no `/` inside: any `ci` folder
    "charts/sub/.helmignore": "templates/\n",  # a subchart's own file does not count
}
HELMIGNORE = "# comment\n\nhack/\n*.bak\nfiles/[ab].txt\n/rootonly.md\nci/\n"


def _chart(root: Path) -> Path:
    for rel, text in {**FILES, ".helmignore": HELMIGNORE}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


EXPECTED = [
    ".helmignore",
    "Chart.yaml",
    "charts/sub/.helmignore",
    "charts/sub/Chart.yaml",
    "charts/sub/templates/s.yaml",
    "docs/hack",
    "files/rootonly.md",
    "files/sub/c.txt",
    "templates/a.yaml",
    "values.yaml",
]


def test_the_files_of_a_chart_without_what_it_ignores(tmp_path: Path) -> None:
    chart = _chart(tmp_path / "c")
    listed = chart_files(chart)
    assert listed is not None
    assert [p.relative_to(chart).as_posix() for p in listed] == EXPECTED


@pytest.mark.skipif(HELM is None, reason="no helm CLI (.ci/run installs one)")
def test_the_same_files_as_helm_package(tmp_path: Path) -> None:
    chart = _chart(tmp_path / "c")
    assert HELM is not None
    subprocess.run(
        [HELM, "package", str(chart), "-d", str(tmp_path / "out")], check=True, capture_output=True
    )
    with tarfile.open(next((tmp_path / "out").glob("*.tgz"))) as tar:
        packaged = sorted(n.split("/", 1)[1] for n in tar.getnames())
    assert packaged == EXPECTED


@pytest.mark.parametrize(
    ("rules", "path", "is_dir", "ignored"),
    [
        ("*.swp\n", "templates/x.swp", False, True),
        ("templates/*.yaml\n", "templates/sub/x.yaml", False, False),  # `*` never crosses `/`
        ("build/\n", "build", False, False),  # a directory rule on a file
        ("[^a]*.md\n", "b.md", False, True),
        ("[^a]*.md\n", "a.md", False, False),
        # Helm's negation ignores every path the pattern does not match
        ("!keep.bak\n", "Chart.yaml", False, True),
        ("!keep.bak\n", "keep.bak", False, False),
    ],
)
def test_rules(tmp_path: Path, rules: str, path: str, is_dir: bool, ignored: bool) -> None:
    (tmp_path / ".helmignore").write_text(rules)
    loaded = HelmIgnore.load(tmp_path)
    assert loaded is not None
    assert loaded.ignored(path, is_dir) is ignored


def test_a_file_helm_refuses_is_not_used(tmp_path: Path) -> None:
    (tmp_path / ".helmignore").write_text("**/x\n")
    assert HelmIgnore.load(tmp_path) is None
    assert chart_files(tmp_path) is None
