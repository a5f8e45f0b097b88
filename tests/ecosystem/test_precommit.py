"""The `seatrial-check` pre-commit hook, run by the real pre-commit in a throwaway repository.

The hook repository is a temporary git repository holding this checkout's hook files (so the
test sees uncommitted changes and never touches this repository's git state).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml

from seatrial.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
HOOK = ROOT / "scripts" / "pre-commit-charts.sh"
PRE_COMMIT = shutil.which("pre-commit") or (
    str(Path(sys.executable).parent / "pre-commit")
    if (Path(sys.executable).parent / "pre-commit").exists()
    else None
)


def git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def env_with_seatrial() -> dict[str, str]:
    bindir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}
    if not (Path(bindir) / "seatrial").exists():
        env["SEATRIAL_CMD"] = f"{sys.executable} -m seatrial.cli"
    return env


@pytest.fixture()
def charts_repo(tmp_path: Path) -> Path:
    """A user repository with a broken chart, a clean chart, and other files."""
    repo = tmp_path / "work"
    shutil.copytree(EXAMPLES / "s1-manager-kind", repo / "charts" / "capsule")
    shutil.copytree(EXAMPLES / "s1-manager-kind-fixed", repo / "charts" / "fixed")
    (repo / "README.md").write_text("docs\n")
    git(repo, "init", "-q")
    return repo


def test_hook_entry_checks_each_changed_chart_once(charts_repo: Path) -> None:
    files = [
        "charts/capsule/templates/daemonset.yaml",
        "charts/capsule/values.yaml",
        "charts/fixed/Chart.yaml",
        "README.md",
    ]
    proc = subprocess.run(
        [str(HOOK), "--no-images", "--kube-versions", "1.33", *files],
        cwd=charts_repo,
        env=env_with_seatrial(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert [line for line in proc.stdout.splitlines() if line.startswith("==")] == [
        "== charts/capsule",
        "== charts/fixed",
    ]
    assert proc.stdout.count("ST102 mode-drift") == 1
    clean = subprocess.run(
        [str(HOOK), "--no-images", "charts/fixed/values.yaml", "README.md"],
        cwd=charts_repo,
        env=env_with_seatrial(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (clean.returncode, clean.stderr) == (0, "")


def test_hook_knows_every_check_option_that_takes_a_value() -> None:
    """The entry splits options from file names by this list; it must follow the CLI."""
    ctx = click.Context(main)
    check = main.get_command(ctx, "check")
    assert check is not None
    wanted = {
        name
        for p in check.params
        if isinstance(p, click.Option) and not p.is_flag
        for name in p.opts
    }
    text = HOOK.read_text()
    listed = text.split("        -f|--values", 1)[1].split(")", 1)[0].replace("\\\n", "")
    assert {"-f", "--values"} | {w.strip() for w in listed.split("|") if w.strip()} == wanted


@pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed")
def test_pre_commit_runs_the_hook_in_a_test_repository(tmp_path: Path, charts_repo: Path) -> None:
    hooks = tmp_path / "hooks"
    (hooks / "scripts").mkdir(parents=True)
    shutil.copy2(ROOT / ".pre-commit-hooks.yaml", hooks)
    shutil.copy2(HOOK, hooks / "scripts")
    git(hooks, "init", "-q")
    git(hooks, "add", "-A")
    git(hooks, "commit", "-q", "-m", "hooks")
    rev = git(hooks, "rev-parse", "HEAD")
    config = {
        "repos": [
            {
                "repo": str(hooks),
                "rev": rev,
                "hooks": [
                    {
                        "id": "seatrial-check",
                        "args": ["--no-images", "--kube-versions", "1.32-1.33"],
                    }
                ],
            }
        ]
    }
    (charts_repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git(charts_repo, "add", "-A")
    env = {**env_with_seatrial(), "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    assert PRE_COMMIT is not None

    def pre_commit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [PRE_COMMIT, "run", "--color", "never", *args],
            cwd=charts_repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )

    failing = pre_commit("--all-files")
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "seatrial check (Helm charts)" in failing.stdout
    assert "Failed" in failing.stdout
    assert "ST102 mode-drift" in failing.stdout
    assert "templates/daemonset.yaml:22" in failing.stdout
    passing = pre_commit("--files", "charts/fixed/templates/daemonset.yaml", "README.md")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout
    skipped = pre_commit("--files", "README.md")
    assert skipped.returncode == 0
    assert "(no files to check)Skipped" in skipped.stdout
