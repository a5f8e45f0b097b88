"""Findings of one object that differ only in their container (and its name in their
message, and their line) are one block in the text report: velero's cleanup Job tags five
init containers and one container with the cluster version."""

from __future__ import annotations

from tests.report.test_text_collapse import DEFAULTS, report

from seatrial.findings import Finding, Location, ObjectRef, Severity

JOB = ObjectRef("Job", "cleanup")


def tag(container: str, line: int, versions: str = "1.30: v1.30.14, 1.31: v1.31.13") -> Finding:
    return Finding(
        check="ST202",
        slug="tag-follows-cluster-version",
        severity=Severity.WARNING,
        message=f"the image tag of container {container} follows the Kubernetes version ({versions})",
        object=JOB,
        container=container,
        source=Location("templates/cleanup.yaml", line),
        cells=DEFAULTS,
        fix="pin the tag",
    )


def test_findings_that_differ_only_in_their_container_are_one_block() -> None:
    assert report(tag("delete-a", 50), tag("delete-b", 50), tag("kubectl", 75)) == [
        "Job/cleanup",
        "  warning ST202 tag-follows-cluster-version [delete-a, delete-b, kubectl]",
        "          at templates/cleanup.yaml:50, :75",
        "          the image tag of container … follows the Kubernetes version (1.30: v1.30.14, 1.31:",
        "          v1.31.13)",
        "          cells: defaults @ 1.31",
        "          fix: pin the tag",
        "",
        "0 errors, 3 warnings, 0 infos in 2 cells (0 distinct renders, 0 objects)",
    ]


def test_too_many_names_for_the_head_go_on_a_line_of_their_own() -> None:
    names = [f"delete-{kind}-resources" for kind in ("backups", "restores", "schedules", "pods")]
    lines = report(*(tag(n, 50) for n in names))
    assert lines[1:4] == [
        "  warning ST202 tag-follows-cluster-version [4 containers]  templates/cleanup.yaml:50",
        "          containers: delete-backups-resources, delete-pods-resources, delete-restores-resources,",
        "                      delete-schedules-resources",
    ]


def test_findings_whose_messages_differ_otherwise_stay_apart() -> None:
    lines = report(tag("delete-a", 50), tag("delete-b", 50, versions="1.30: v1.30.14"))
    heads = [line for line in lines if line.startswith("  warning")]
    assert heads == [
        "  warning ST202 tag-follows-cluster-version [delete-a]  templates/cleanup.yaml:50",
        "  warning ST202 tag-follows-cluster-version [delete-b]  templates/cleanup.yaml:50",
    ]
