"""The install story: every place that names an install names one that works today, the
`kubernetes` client is an extra that only `explain --live` needs, and the release metadata."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
REPO = "https://github.com/seatrial/seatrial"

#: every file a user reads an install command from
INSTALL_TEXTS = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
    ROOT / "plugin.yaml",
    ROOT / "action.yml",
    ROOT / ".pre-commit-hooks.yaml",
    *sorted((ROOT / "scripts").glob("*")),
    *sorted((ROOT / "src" / "seatrial").rglob("*.py")),
    ROOT / ".ci" / "run",
]
#: `pip install X` / `pipx install X`: what X is
INSTALL = re.compile(r"\bpipx? install\s+(?:-\S+\s+)*(\S+)")
#: what can be installed today (no package index serves seatrial yet)
WORKS_TODAY = re.compile(
    r"""["']?(\.|-e|'?\.\[[a-z,]+\]'?|"\$ACTION_PATH"|git\+https://github\.com/seatrial/seatrial"""
    r"""|"?https://github\.com/seatrial/seatrial/archive/refs/heads/main\.tar\.gz"?)["']?$"""
)


def test_no_install_command_claims_a_package_index() -> None:
    """`pip install seatrial` fails until it is published: a text that names it says
    "once ... published" on the same line, and the action only does so for its `version`
    input, documented the same way."""
    checked = 0
    for path in INSTALL_TEXTS:
        if not path.is_file():
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for found in INSTALL.findall(line):
                target = found.rstrip('`),;"')
                checked += 1
                where = f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
                if target.startswith(("seatrial", "'seatrial", '"seatrial')):
                    if (
                        "published" in line
                        or "once" in line
                        or "or pip install kubernetes" in line
                        or f"'seatrial[live] @ git+{REPO}'" in line
                    ):  # a direct reference
                        continue
                    assert target == '"seatrial==$SEATRIAL_VERSION', where
                    continue
                if (
                    target.startswith(("'.[", ".[", "-q", "--"))
                    or "seatrial" in target
                    or target == "."
                ):
                    assert WORKS_TODAY.match(target), where
    assert checked >= 8
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert "once it is published" in action["inputs"]["version"]["description"]


def test_project_urls_and_extras() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["urls"]["Source"] == REPO
    assert project["dynamic"] == ["version"]
    requires = importlib.metadata.requires("seatrial") or []
    kube = [r for r in requires if r.startswith("kubernetes")]
    # the kubernetes client comes only with [live] (and [dev], which runs the live tests)
    assert sorted(kube) == ['kubernetes>=30; extra == "dev"', 'kubernetes>=30; extra == "live"']


def test_version_comes_from_the_installed_metadata() -> None:
    from seatrial import __version__

    assert __version__ == importlib.metadata.version("seatrial")
    out = subprocess.run(
        [sys.executable, "-m", "seatrial.cli", "--version"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out == f"seatrial, version {__version__}\n"


def test_explain_live_without_the_kubernetes_client_is_one_line(tmp_path: Path) -> None:
    """The base install has no `kubernetes` package: `explain --live` names the extra that
    brings it, on one line, exit 2. (The package is hidden from this interpreter the way an
    absent one is: importing it raises ImportError.)"""
    code = (
        "import sys; sys.modules['kubernetes'] = None; from seatrial.cli import main; "
        "main(['explain', '--live', '--kubeconfig', sys.argv[1]])"
    )
    cfg = tmp_path / "kubeconfig"
    cfg.write_text("apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n")
    proc = subprocess.run(
        [sys.executable, "-c", code, str(cfg)], capture_output=True, text=True, timeout=60
    )
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == (
        "seatrial: error: explain --live needs the kubernetes client: "
        "pip install 'seatrial[live]' (or pip install kubernetes)\n"
    )
    # and nothing else imports it: the rest of the CLI works without it
    code = (
        "import sys; sys.modules['kubernetes'] = None; from seatrial.cli import main; "
        "main(['check', '--no-images', '--kube-versions', '1.33', '-q', sys.argv[1]])"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "examples/s1-manager-kind")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (proc.returncode, proc.stderr) == (1, "")
