"""`seatrial assets` end to end: the S4 reproduction served over loopback HTTP, clean sets,
a .deb, the content cache and every kind of broken input (exit 2, one line)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from tests.assets.archives import (
    CONTAINERD,
    CRI_CONTAINERD_CNI,
    CRICTL,
    RUNC,
    Member,
    exe,
    sha,
    write_deb,
    write_s4,
    write_tar,
)
from tests.assets.conftest import Served
from tests.cli_runner import invoke

from seatrial.assets.download import fetch


def run(*args: str) -> Result:
    return invoke("assets", *args)


def run_json(*args: str) -> tuple[int, dict[str, Any]]:
    result = run("--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def brief(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    """(check, severity, archive, path inside, [(archive, path) of the others])."""
    return [
        (
            f["check"],
            f["severity"],
            f["source"]["file"],
            f["source"]["note"],
            [(r["file"], r["note"]) for r in f.get("related", [])],
        )
        for f in doc["findings"]
    ]


def cluster_spec(path: Path, packages: dict[str, str], runc: dict[str, str] | None = None) -> Path:
    containerd: dict[str, Any] = {"version": "1.7.6", "packages": packages}
    if runc:
        containerd["runc"] = {"version": "1.1.9", "packages": runc}
    doc = {
        "apiVersion": "kops.k8s.io/v1alpha2",
        "kind": "Cluster",
        "metadata": {"name": "s4.example.com"},
        "spec": {"kubernetesVersion": "1.29.3", "containerd": containerd},
    }
    ig = {
        "apiVersion": "kops.k8s.io/v1alpha2",
        "kind": "InstanceGroup",
        "metadata": {"name": "nodes"},
        "spec": {"role": "Node"},
    }
    path.write_text(json.dumps(doc) + "\n---\n" + json.dumps(ig) + "\n")
    return path


@pytest.fixture
def s4(http_root: Served, cache_dir: Path) -> Served:
    write_s4(http_root.root)
    return http_root


def digest(served: Served, name: str) -> str:
    return sha((served.root / name).read_bytes())


def test_s4_cluster_spec_with_kops_added_crictl_is_st601(s4: Served, tmp_path: Path) -> None:
    spec = cluster_spec(
        tmp_path / "cluster.yaml",
        {
            "urlAmd64": s4.url(CRI_CONTAINERD_CNI),
            "hashAmd64": digest(s4, CRI_CONTAINERD_CNI),
            "urlArm64": s4.url("not-served-arm64.tar.gz"),
            "hashArm64": "0" * 64,
        },
    )
    code, doc = run_json(str(spec), "--with", s4.url(CRICTL))
    assert code == 1
    assert brief(doc) == [
        ("ST601", "error", CRI_CONTAINERD_CNI, "usr/local/bin/crictl", [(CRICTL, "crictl")]),
    ]
    message = doc["findings"][0]["message"]
    cni_crictl = exe("usr/local/bin/crictl", "1.28.0").data
    assert message.startswith("the command crictl is provided by 2 archives (different content): ")
    assert (
        f"{CRI_CONTAINERD_CNI}: usr/local/bin/crictl ({len(cni_crictl):,} bytes, "
        f"sha256:{sha(cni_crictl)[:12]})" in message
    )
    [dup] = doc["summary"]["duplicates"]
    assert dup["key"] == "crictl" and dup["identical"] is False
    assert [(p["archive"], p["path"], p["sha256"]) for p in dup["providers"]] == [
        (CRI_CONTAINERD_CNI, "usr/local/bin/crictl", sha(cni_crictl)),
        (CRICTL, "crictl", sha(exe("crictl", "1.29.0").data)),
    ]
    assert sorted(s4.gets) == sorted([f"/{CRI_CONTAINERD_CNI}", f"/{CRICTL}"])


def test_s4_text_report_names_archives_and_paths(s4: Served) -> None:
    result = run(s4.url(CRI_CONTAINERD_CNI), s4.url(CRICTL))
    assert result.exit_code == 1
    assert f"{CRI_CONTAINERD_CNI} (usr/local/bin/crictl)" in result.stdout
    assert "ST601 duplicate-provider" in result.stdout
    assert f"see: {CRICTL}" in result.stdout


def test_plain_containerd_package_with_crictl_is_clean(s4: Served, tmp_path: Path) -> None:
    spec = cluster_spec(
        tmp_path / "cluster.yaml",
        {"urlAmd64": s4.url(CONTAINERD), "hashAmd64": digest(s4, CONTAINERD)},
        runc={"urlAmd64": s4.url(RUNC), "hashAmd64": digest(s4, RUNC)},
    )
    code, doc = run_json(str(spec), "--with", s4.url(CRICTL))
    assert (code, doc["findings"]) == (0, [])
    assert [a["name"] for a in doc["summary"]["archives"]] == [CONTAINERD, RUNC, CRICTL]


def test_arm64_uses_the_arm64_urls(s4: Served, tmp_path: Path) -> None:
    spec = cluster_spec(
        tmp_path / "cluster.yaml",
        {"urlAmd64": s4.url(CRI_CONTAINERD_CNI), "urlArm64": s4.url(CONTAINERD)},
    )
    code, doc = run_json(str(spec), "--arch", "arm64", "--with", s4.url(CRICTL))
    assert (code, [a["name"] for a in doc["summary"]["archives"]]) == (0, [CONTAINERD, CRICTL])


def test_cri_containerd_cni_with_runc_asset_duplicates_runc(s4: Served, tmp_path: Path) -> None:
    spec = cluster_spec(
        tmp_path / "cluster.yaml",
        {"urlAmd64": s4.url(CRI_CONTAINERD_CNI)},
        runc={"urlAmd64": s4.url(RUNC)},
    )
    code, doc = run_json(str(spec))
    assert code == 1
    assert brief(doc) == [
        ("ST601", "error", CRI_CONTAINERD_CNI, "usr/local/sbin/runc", [(RUNC, "runc")]),
    ]


def test_two_containerd_packages_duplicate_every_shared_command(tmp_path: Path) -> None:
    files = write_s4(tmp_path)
    code, doc = run_json(str(files[CONTAINERD]), str(files[CRI_CONTAINERD_CNI]))
    a, b = str(files[CONTAINERD]), str(files[CRI_CONTAINERD_CNI])
    assert code == 1
    assert sorted(brief(doc)) == [
        ("ST601", "error", a, f"bin/{n}", [(b, f"usr/local/bin/{n}")])
        for n in ("containerd", "containerd-shim-runc-v2", "ctr")
    ]


def test_same_config_path_is_a_warning_and_fail_on_decides(tmp_path: Path) -> None:
    files = write_s4(tmp_path)
    conf = write_tar(
        tmp_path / "crictl-config.tar.gz",
        [Member("etc/crictl.yaml", b"runtime-endpoint: unix:///run/containerd/containerd.sock\n")],
    )
    code, doc = run_json(str(files[CRI_CONTAINERD_CNI]), str(conf))
    assert code == 0
    assert brief(doc) == [
        (
            "ST601",
            "warning",
            str(files[CRI_CONTAINERD_CNI]),
            "etc/crictl.yaml",
            [(str(conf), "etc/crictl.yaml")],
        )
    ]
    assert "(identical content)" in doc["findings"][0]["message"]
    assert run(str(files[CRI_CONTAINERD_CNI]), str(conf), "--fail-on", "warning").exit_code == 1


def test_deb_providing_crictl_conflicts_with_crictl_archive(tmp_path: Path) -> None:
    deb = write_deb(
        tmp_path / "cri-tools_1.28.0-1.1_amd64.deb",
        [exe("usr/bin/crictl", "1.28.0"), Member("usr/share/doc/cri-tools/copyright")],
    )
    files = write_s4(tmp_path / "s4")
    code, doc = run_json(str(deb), str(files[CRICTL]))
    assert code == 1
    assert brief(doc) == [
        ("ST601", "error", str(deb), "usr/bin/crictl", [(str(files[CRICTL]), "crictl")])
    ]


def test_key_crictl_by_base_name_is_the_s4_lookup(tmp_path: Path) -> None:
    """kOps' Find("crictl", "") over the package and its own crictl archive finds both."""
    files = write_s4(tmp_path)
    cni, crictl = str(files[CRI_CONTAINERD_CNI]), str(files[CRICTL])
    code, doc = run_json(cni, crictl, "--key", "crictl")
    assert code == 1
    assert [b for b in brief(doc) if b[0] == "ST602"] == [
        ("ST602", "error", cni, "usr/local/bin/crictl", [(crictl, "crictl")])
    ]
    assert doc["summary"]["ambiguous_lookups"][0]["match"] == "basename"
    # the package alone: etc/crictl.yaml has another base name
    code, doc = run_json(cni, "--key", "crictl")
    assert (code, doc["findings"]) == (0, [])


def test_key_crictl_by_substring_only_when_asked(tmp_path: Path) -> None:
    files = write_s4(tmp_path)
    cni = str(files[CRI_CONTAINERD_CNI])
    code, doc = run_json(cni, "--key", "crictl", "--match", "substring")
    assert code == 1
    assert brief(doc) == [
        ("ST602", "error", cni, "usr/local/bin/crictl", [(cni, "etc/crictl.yaml")])
    ]
    assert doc["findings"][0]["message"].endswith("; by whole base name it matches 1")


def test_default_keys_by_substring_from_another_archive(tmp_path: Path) -> None:
    kubectl = write_tar(tmp_path / "kubectl.tar.gz", [exe("kubectl")])
    convert = write_tar(tmp_path / "kubectl-convert.tar.gz", [exe("usr/local/bin/kubectl-convert")])
    code, doc = run_json(str(kubectl), str(convert))
    assert (code, doc["findings"]) == (0, [])  # by base name each key finds one entry
    code, doc = run_json(str(kubectl), str(convert), "--match", "substring")
    assert code == 1
    assert brief(doc) == [
        (
            "ST602",
            "error",
            str(kubectl),
            "kubectl",
            [(str(convert), "usr/local/bin/kubectl-convert")],
        )
    ]


def test_bad_match_input_is_one_error_line(tmp_path: Path) -> None:
    kubectl = write_tar(tmp_path / "kubectl.tar.gz", [exe("kubectl")])
    res = run(str(kubectl), "--match", "path-regex", "--key", "kubectl(")
    assert res.exit_code == 2
    assert res.stderr.strip().count("\n") == 0 and "not a regular expression" in res.stderr
    assert run(str(kubectl), "--match", "prefix").exit_code == 2


def test_wrapped_archive_commands_count(tmp_path: Path) -> None:
    helm = write_tar(
        tmp_path / "helm-v3.14.0-linux-amd64.tar.gz",
        [exe("linux-amd64/helm"), Member("linux-amd64/LICENSE", b"Apache")],
    )
    other = write_tar(tmp_path / "tools.tar.gz", [exe("usr/local/bin/helm", "old")])
    code, doc = run_json(str(helm), str(other))
    assert code == 1
    assert brief(doc) == [
        ("ST601", "error", str(helm), "linux-amd64/helm", [(str(other), "usr/local/bin/helm")])
    ]


def test_cache_downloads_a_hashed_url_once(s4: Served, cache_dir: Path) -> None:
    url = f"{s4.url(CRICTL)}#sha256={digest(s4, CRICTL)}"
    assert run(url).exit_code == 0
    assert run(url).exit_code == 0
    assert s4.gets == [f"/{CRICTL}"]
    stored = list((cache_dir / "assets").rglob("*"))
    assert [p.relative_to(cache_dir / "assets").as_posix() for p in stored if p.is_file()] == [
        f"sha256/{digest(s4, CRICTL)}"
    ]


def one_line_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("seatrial: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_bad_hash_in_cluster_spec_is_exit_2_and_nothing_cached(
    s4: Served, tmp_path: Path, cache_dir: Path
) -> None:
    spec = cluster_spec(
        tmp_path / "cluster.yaml", {"urlAmd64": s4.url(CRI_CONTAINERD_CNI), "hashAmd64": "ab" * 32}
    )
    one_line_error(
        run(str(spec)),
        s4.url(CRI_CONTAINERD_CNI),
        "sha256 mismatch",
        f"expected {'ab' * 32}, got {digest(s4, CRI_CONTAINERD_CNI)}",
    )
    assert [p for p in (cache_dir / "assets").rglob("*") if p.is_file()] == []


def test_bad_hash_on_local_file(tmp_path: Path) -> None:
    files = write_s4(tmp_path)
    one_line_error(run(f"{files[CRICTL]}#sha256={'0' * 64}"), "sha256 mismatch")


def test_missing_url_is_exit_2(s4: Served) -> None:
    one_line_error(run(s4.url("nope.tar.gz")), "HTTP 404")


@pytest.mark.parametrize(
    "members, fragment",
    [
        ([Member("../../etc/passwd", b"x")], "escapes the archive root"),
        ([Member("C:\\usr\\local\\bin\\crictl", b"x", 0o755)], "Windows absolute path"),
    ],
)
def test_hostile_archive_is_exit_2(tmp_path: Path, members: list[Member], fragment: str) -> None:
    files = write_s4(tmp_path)
    evil = write_tar(tmp_path / "evil.tar.gz", members)
    one_line_error(run(str(files[CRICTL]), str(evil)), str(evil), fragment)


def test_truncated_download_is_exit_2(s4: Served) -> None:
    whole = (s4.root / CRI_CONTAINERD_CNI).read_bytes()
    (s4.root / "cut.tar.gz").write_bytes(whole[: len(whole) // 2])
    one_line_error(run(s4.url("cut.tar.gz")), "cut.tar.gz: broken or truncated archive")


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("kind: Deployment\n", "not a kOps cluster spec"),
        ("kind: Cluster\nspec: {}\n", "names no package URL for amd64"),
        (
            "kind: Cluster\nspec:\n  containerd:\n    packages:\n      urlAmd64: /tmp/x\n",
            "spec.containerd.packages.urlAmd64 is not an http(s) URL",
        ),
        (
            "kind: Cluster\nspec:\n  containerd:\n    packages:\n      urlAmd64: http://127.0.0.1:1/x\n"
            "      hashAmd64: xyz\n",
            "'xyz' is not a sha256 hash",
        ),
        ("kind: [\n", "not valid YAML"),
    ],
)
def test_broken_cluster_spec_is_exit_2(tmp_path: Path, text: str, fragment: str) -> None:
    spec = tmp_path / "cluster.yaml"
    spec.write_text(text)
    one_line_error(run(str(spec)), fragment)


def test_usage_errors_are_exit_2(tmp_path: Path) -> None:
    one_line_error(run(), "no archives to index")
    one_line_error(run(str(tmp_path / "missing.tar.gz")), "no such file")
    one_line_error(run(f"{tmp_path}/x.tar.gz#md5=abc"), "use #sha256=<hex>")


def test_sarif_and_junit_reports(tmp_path: Path) -> None:
    files = write_s4(tmp_path)
    args = (str(files[CRI_CONTAINERD_CNI]), str(files[CRICTL]))
    sarif = run("--format", "sarif", *args)
    assert sarif.exit_code == 1
    [result] = json.loads(sarif.stdout)["runs"][0]["results"]
    assert result["ruleId"] == "ST601"
    junit = run("--format", "junit", *args)
    assert junit.exit_code == 1 and "ST601" in junit.stdout


def test_seatrial_cli_runs_assets_with_documented_exit_codes(tmp_path: Path) -> None:
    files = write_s4(tmp_path)
    assert invoke("assets", files[CRI_CONTAINERD_CNI], files[CRICTL]).exit_code == 1
    assert invoke("assets", files[CONTAINERD], files[CRICTL]).exit_code == 0
    (tmp_path / "cut.tgz").write_bytes(files[CONTAINERD].read_bytes()[:100])
    assert invoke("assets", tmp_path / "cut.tgz").exit_code == 2


def test_credentials_and_tokens_in_urls_never_appear_in_output(s4: Served) -> None:
    host = s4.base.removeprefix("http://")
    missing = run(f"http://robot:s3cret-pass@{host}/nope.tar.gz?X-Amz-Signature=t0ken")
    one_line_error(missing, f"http://***@{host}/nope.tar.gz?***", "HTTP 404")
    assert "s3cret" not in missing.stderr and "t0ken" not in missing.stderr
    ok = run(
        "--format",
        "json",
        f"http://robot:s3cret-pass@{host}/{CRICTL}?sig=t0ken",
        s4.url(CRI_CONTAINERD_CNI),
    )
    assert ok.exit_code == 1
    assert "s3cret" not in ok.stdout and "t0ken" not in ok.stdout
    assert brief(json.loads(ok.stdout))[0][4] == [(CRI_CONTAINERD_CNI, "usr/local/bin/crictl")]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_download_shows_a_progress_bar_only_on_a_terminal(
    s4: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    path = fetch(s4.url(CONTAINERD), None)
    assert path.read_bytes() == (s4.root / CONTAINERD).read_bytes()
    assert CONTAINERD in terminal.getvalue() and "100%" in terminal.getvalue()
    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    fetch(s4.url(CRICTL), None)
    assert piped.getvalue() == ""


@pytest.mark.parametrize(
    "config, code, counts",
    [
        (
            "ignore:\n  - check: ST601\n    object: 'cri-containerd-cni-*'\n    reason: tracked in #42\n",
            0,
            {"error": 0, "suppressed": 1},
        ),
        ("checks:\n  disable: [ST601]\n", 0, {"error": 0, "suppressed": 0}),
        ("severity:\n  ST601: warning\n", 0, {"error": 0, "warning": 1}),
        ("severity:\n  ST601: warning\nfail-on: warning\n", 1, {"error": 0, "warning": 1}),
        ("ignore:\n  - check: ST601\n    object: 'crictl-*'\n", 1, {"error": 1, "suppressed": 0}),
    ],
)
def test_config_disables_overrides_and_ignores_by_archive_name(
    tmp_path: Path, config: str, code: int, counts: dict[str, int]
) -> None:
    files = write_s4(tmp_path)
    (tmp_path / "seatrial.yaml").write_text(config)
    result = run(
        "--format",
        "json",
        "--config",
        str(tmp_path / "seatrial.yaml"),
        str(files[CRI_CONTAINERD_CNI]),
        str(files[CRICTL]),
    )
    assert result.exit_code == code, result.output
    summary = json.loads(result.stdout)["summary"]
    assert {k: summary[k] for k in counts} == counts
