"""Link back: each seed failure, given its chart (`--chart`, or the Helm release Secret in
the input), names the template or script line of the related static check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from testkit.cluster import (
    Scenario,
    extra_inputs,
    helm_release_secret,
    node,
    write_bundle,
    write_dump,
    write_get_json,
)
from testkit.oci import push_image, push_ko_image
from testkit.scenarios import (
    s1_exec_not_found,
    s2_image_not_found,
    s3_repeated_segment,
    s5_unbound_variable,
)
from tests.cli_runner import invoke
from tests.conftest import Registry

ROOT = Path(__file__).resolve().parents[2]
S1_CHART = ROOT / "examples" / "s1-manager-kind"
CHARTS = Path(__file__).resolve().parent / "charts"
FIX = Path(__file__).resolve().parent / "fixtures"


def line_of(path: Path, needle: str) -> int:
    return next(i for i, ln in enumerate(path.read_text().splitlines(), 1) if needle in ln)


def diagnoses(args: list[str]) -> dict[str, dict[str, Any]]:
    r = invoke("explain", *args, "--format", "json")
    assert r.exit_code == 1, r.output
    return {d["class"]: d for d in json.loads(r.stdout)["diagnoses"]}


def with_release(
    s: Scenario, chart: Path, release: str, ns: str, config: dict[str, Any]
) -> Scenario:
    s.objects.append(helm_release_secret(chart, release, ns, 2, config))
    return s


def test_s5_release_secret_names_the_script_line(tmp_path: Path) -> None:
    s = with_release(s5_unbound_variable(), CHARTS / "kata-cleanup", "kata", "kube-system", {})
    d = diagnoses([str(write_bundle(s, tmp_path / "bundle"))])["unbound-variable"]
    assert d["related_check"] == "ST301"
    # the read on the cleanup path (the line after "Cleaning up"), not the install path's,
    # in the chart file the ConfigMap loads with .Files.Get
    script_line = line_of(CHARTS / "kata-cleanup" / "scripts" / "kata-deploy.sh", "Cleaning up") + 1
    assert d["source"] == {"file": "scripts/kata-deploy.sh", "line": script_line}
    assert "templates/cleanup.yaml" in [r["file"] for r in d["related_sources"]]
    assert "release kata (revision 2, chart kata-runtime-1.2.0)" in d["link_note"]
    assert "SHIMS" in d["link_note"]


def test_s5_explicit_chart_from_plain_logs(tmp_path: Path) -> None:
    r = invoke(
        "explain",
        str(FIX / "s5-kubectl-logs.txt"),
        "--chart",
        str(CHARTS / "kata-cleanup"),
        "--format",
        "json",
    )
    [d] = json.loads(r.stdout)["diagnoses"]
    # the pasted log names no object: the one ST301 finding of the chart is the line
    assert d["source"] == {"file": "scripts/kata-deploy.sh", "line": 17}


def test_s3_duplicate_jobs_link_to_the_hook_template(tmp_path: Path) -> None:
    s = with_release(
        s3_repeated_segment(),
        CHARTS / "kata-hooks",
        "kata-deploy",
        "kube-system",
        {"multiInstallSuffix": "cicd"},
    )
    root = write_dump(s, tmp_path / "dump")
    ds = diagnoses([str(root), *extra_inputs(root)])
    jobs = ds["duplicate-jobs"]
    assert jobs["source"] == {
        "file": "templates/cleanup-job.yaml",
        "line": line_of(CHARTS / "kata-hooks" / "templates" / "cleanup-job.yaml", '"helm.sh/hook"'),
    }
    assert "hook-delete-policy" in jobs["link_note"]
    seg = ds["repeated-path-segment"]
    assert seg["source"] is None
    assert seg["link_note"] == (
        "ST501 is reported by `seatrial converge`, not by a chart check: run `seatrial converge "
        "CHART --workload DaemonSet/kata-deploy-cicd --state DIR`"
    )


def test_s1_mode_drift_without_registry(tmp_path: Path) -> None:
    s = with_release(
        s1_exec_not_found(),
        S1_CHART,
        "capsule",
        "capsule-system",
        {"manager": {"kind": "DaemonSet"}},
    )
    d = diagnoses([str(write_get_json(s, tmp_path / "get.json"))])["exec-not-found"]
    assert d["source"]["file"] == "templates/daemonset.yaml"
    text = (S1_CHART / "templates" / "daemonset.yaml").read_text().splitlines()
    assert text[d["source"]["line"] - 1].strip() == "command:"
    assert "ST102 mode-drift" in d["link_note"]


def test_s1_command_not_in_image_with_registry(registry: Registry, tmp_path: Path) -> None:
    push_ko_image(registry.url, "clastix/capsule", "v0.10.0", "capsule")
    s = s1_exec_not_found()
    root = write_dump(s, tmp_path / "dump")
    d = diagnoses(
        [str(root), "--chart", str(S1_CHART), "--registry-mirror", f"docker.io={registry.host}"]
    )["exec-not-found"]
    assert d["source"] == {
        "file": "templates/daemonset.yaml",
        "line": line_of(S1_CHART / "templates" / "daemonset.yaml", "command:"),
    }
    assert "ST203 command-not-in-image" in d["link_note"]
    assert "/ko-app/capsule" in d["link_note"]


def test_s2_missing_tag_with_registry(registry: Registry, tmp_path: Path) -> None:
    push_image(
        registry.url, "seatrial-explain/kubectl", "v1.31.0", files={"/bin/kubectl": b"\x7fELF"}
    )
    s = with_release(s2_image_not_found(), CHARTS / "kubectl-job", "capsule", "capsule-system", {})
    s.objects = [o for o in s.objects if o["kind"] != "Node"] + [node("cp", "v1.32.0")]
    d = diagnoses(
        [
            str(write_bundle(s, tmp_path / "bundle")),
            "--registry-mirror",
            f"docker.io={registry.host}",
        ]
    )["image-not-found"]
    assert d["source"] == {
        "file": "templates/crds-job.yaml",
        "line": line_of(CHARTS / "kubectl-job" / "templates" / "crds-job.yaml", "image:"),
    }
    assert "ST201" in d["link_note"]


def test_s4_points_to_the_assets_command() -> None:
    d = diagnoses([str(FIX / "s4-nodeup.log")])["ambiguous-asset"]
    assert d["related_check"] == "ST602"
    assert d["link_note"] == (
        "ST602 is reported by `seatrial assets`, not by a chart check: run "
        "`seatrial assets` on the archives installed together"
    )


def test_no_chart_known_says_how_to_give_one() -> None:
    d = diagnoses([str(FIX / "s1-describe-pod.txt")])["exec-not-found"]
    assert d["source"] is None
    assert d["link_note"].startswith("no chart known: pass --chart PATH")
