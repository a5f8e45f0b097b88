"""Rules are data: the packaged ones validate, and broken rule files are refused with one
line naming the file and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from tests.cli_runner import invoke

from seatrial.errors import ConfigError
from seatrial.explain.patterns import repeated_segments, sibling_groups
from seatrial.explain.rules import load_rules, parse_rule

GOOD = {
    "class": "custom-thing",
    "title": "A custom failure",
    "when": [{"log": "widget (?P<what>calibration) drifted"}],
    "explain": {
        "symptom": "The {who} says {what} drifted.",
        "root_cause": "The widget is not calibrated at all.",
        "fix": "Calibrate the widget before start.",
        "best_practice": "Calibrate widgets in an init container.",
    },
}


def test_packaged_rules_cover_the_classes() -> None:
    classes = {r.cls: r for r in load_rules()}
    seeds = {r.cls: (r.seed, r.related_check) for r in classes.values() if r.seed}
    assert seeds == {
        "exec-not-found": ("S1", "ST203"),
        "image-not-found": ("S2", "ST201"),
        "image-pull-unauthorized": ("S2", "ST204"),
        "image-pull-rate-limited": ("S2", "ST204"),
        "repeated-path-segment": ("S3", "ST501"),
        "duplicate-jobs": ("S3", "ST402"),
        "ambiguous-asset": ("S4", "ST602"),
        "unbound-variable": ("S5", "ST301"),
    }
    assert {
        "oom-killed",
        "exec-permission-denied",
        "exit-137-killed",
        "exit-139-segfault",
        "exit-143-terminated",
        "liveness-probe-failed",
        "readiness-probe-failed",
        "missing-config-reference",
        "unschedulable-resources",
        "unschedulable-taints",
        "unschedulable-affinity",
        "failed-mount",
        "claim-pending",
        "rbac-forbidden",
        "crash-panic",
    } <= set(classes)


def _bad(change: dict[str, object]) -> dict[str, object]:
    data = {**GOOD, **change}
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"when": [{"log": "(unclosed"}]}, "bad regex"),
        (
            {"explain": {**GOOD["explain"], "fix": "Set {nothing_captured} now please."}},  # type: ignore[dict-item]
            "unknown placeholder {nothing_captured}",
        ),
        ({"class": "Bad Class"}, "class: 'Bad Class' does not match"),
        ({"related_check": "X1"}, "related_check"),
        ({"when": [{"colour": "red"}]}, "when/0"),
        ({"title": None}, "'title' is a required property"),
        ({"when": [{"code": "sibling_jobs"}]}, "needs `subject: jobs`"),
    ],
)
def test_invalid_rule_is_refused(change: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=None) as err:
        parse_rule(_bad(change), "my-rule.yaml")
    assert str(err.value).startswith("my-rule.yaml: ")
    assert message in str(err.value)


def test_user_rule_file_is_used(tmp_path: Path) -> None:
    rule = tmp_path / "custom.yaml"
    rule.write_text(yaml.safe_dump(GOOD))
    log = tmp_path / "app.log"
    log.write_text("boot\nwidget calibration drifted by 3\n")
    r = invoke("explain", str(log), "--rules", str(rule), "--no-link")
    assert r.exit_code == 1
    assert r.stdout.startswith("custom-thing: the input")
    assert "says calibration drifted" in r.stdout


def test_duplicate_class_and_bad_yaml_exit_2(tmp_path: Path) -> None:
    dup = tmp_path / "dup.yaml"
    dup.write_text(yaml.safe_dump({**GOOD, "class": "oom-killed"}))
    broken = tmp_path / "broken.yaml"
    broken.write_text("class: [unclosed\n")
    log = tmp_path / "x.log"
    log.write_text("x\n")
    for f, msg in ((dup, "class 'oom-killed' is already defined"), (broken, "not YAML")):
        r = invoke("explain", str(log), "--rules", str(f))
        assert r.exit_code == 2
        assert msg in r.stderr and r.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "/host//opt/kata-cicd-cicd-cicd/bin/qemu-installation-prefix-installation-prefix: x",
            [("-cicd", 3), ("-installation-prefix", 2)],
        ),
        ("PATH=/usr/bin:/usr/bin/bin/bin", [("/bin", 3)]),
        ("value=foo.bar.bar.bar", [(".bar", 3)]),
        ("2024-01-01 10:00 1.1.1 ../../x kube-system/kube-proxy /usr/lib/x86_64-linux-gnu", []),
        ("nginx-nginx is a name, not a repeat", []),
        ("sh.helm.release.v1.capsule.v1", []),
    ],
)
def test_repeated_segments(text: str, expected: list[tuple[str, int]]) -> None:
    assert [(r.segment, r.times) for r in repeated_segments(text)] == expected


def test_sibling_groups_need_generated_suffixes_and_a_count() -> None:
    names = [
        ("Job", "ns", n)
        for n in (
            "cleanup-4nxq2",
            "cleanup-bdckh",
            "cleanup-ct2rt",  # generated: a pile
            "migrate-aaaaa",
            "migrate-eeeee",
            "migrate-iiiii",  # vowels: not generated names
            "backup-28911340",
            "backup-28911400",
            "backup-28911460",  # CronJob runs: fine
            "solo-7xk2p",
        )
    ]
    groups = sibling_groups(names, 3)
    assert [(g.prefix, len(g.names)) for g in groups] == [("cleanup", 3)]
