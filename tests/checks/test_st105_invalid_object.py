from __future__ import annotations

from pathlib import Path

from tests.cli_runner import run

BAD = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - web-sidecar
        - name: app
          image: example/app:1
          command: /bin/app
          env:
            - value: "1"
"""

GOOD = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          image: example/app:1
          command: [/bin/app]
          env:
            - name: A
              value: "1"
"""


def test_st105_reports_each_malformed_field_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "web.yaml").write_text(BAD)
    res = run("check", tmp_path / "web.yaml", "--no-images", "--format", "json")
    assert res.code == 1
    got = sorted((f["source"]["line"], f["message"]) for f in res.findings("ST105"))
    assert got == [
        (9, "Deployment web containers[0] is not a mapping (str)"),
        (12, "Deployment web containers[1] (app).command is not a list"),
        (14, "Deployment web containers[1] (app).env[0] has no name"),
    ]
    assert {f["object"]["name"] for f in res.findings("ST105")} == {"web"}


def test_st105_passes_a_well_formed_workload(tmp_path: Path) -> None:
    (tmp_path / "web.yaml").write_text(GOOD)
    res = run("check", tmp_path / "web.yaml", "--no-images", "--format", "json")
    assert res.code == 0 and res.findings("ST105") == []


def test_st105_null_spec_and_metadata(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\nspec:\n")
    res = run("check", tmp_path / "x.yaml", "--no-images", "--format", "json")
    assert res.code == 1
    assert sorted(f["message"] for f in res.findings("ST105")) == [
        "DaemonSet (unnamed) has no metadata mapping",
        "DaemonSet (unnamed) has no pod spec at spec.template.spec",
    ]


# --- the fixtures the meta-test runs (tests/test_meta.py) ----------------------------------

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - {container}
"""


def failing(tmp: Path) -> object:
    from tests.checks.harness import cell

    return cell(DEPLOYMENT.format(container="sidecar-as-a-string"))


def passing(tmp: Path) -> object:
    from tests.checks.harness import cell

    return cell(DEPLOYMENT.format(container="{name: app, image: reg.example/app:1}"))


def test_st105_names_left_empty_and_probe_shapes() -> None:
    """A mode switching a feature on whose `name` values.yaml leaves empty: info naming it;
    a misspelt value path (`extra.nmae`): an error, though `extra.serviceAccount.name` is ""
    (deeper: "generate one", not a name to set). A list probe seatrial made up
    (`sidecars=['seatrial-probe']`, an env entry from `extraEnvVars=['seatrial-probe']`) is
    not the chart's: not reported; the chart's own ci file with the same shape is. A container
    without an image in the mode that adds it, when values.yaml leaves its repository empty
    (longhorn's OpenShift OAuth proxy): info naming the value."""
    from tests.foundation.helpers import CHARTS

    res = run(
        "check",
        CHARTS / "probes" / "feature-names",
        "--offline",
        "--no-images",
        "--kube-versions",
        "1.32",
        "--format",
        "json",
    )
    assert res.code == 1
    assert res.json()["summary"]["cells"] == 7  # the probe cells were rendered
    got = [
        (
            f["severity"],
            f["source"]["file"],
            f["source"]["line"],
            sorted(c["name"] for c in f["cells"]),
            f["message"],
        )
        for f in res.findings("ST105")
    ]
    assert got == [
        (
            "error",
            "templates/extra.yaml",
            4,
            ["extra.enabled=true"],
            "ConfigMap (unnamed) has no metadata.name",
        ),
        (
            "info",
            "templates/backend.yaml",
            4,
            ["backend.enabled=true"],
            "ConfigMap (unnamed) has no metadata.name in mode backend.enabled=true: "
            "values.yaml leaves backend.name empty, to be set with it",
        ),
        (
            "error",
            "templates/deploy.yaml",
            None,
            ["ci/sidecar-values.yaml"],
            "Deployment release-name containers[1] is not a mapping (str)",
        ),
        (
            "info",
            "templates/deploy.yaml",
            24,
            ["openshift.enabled=true"],
            "Deployment release-name containers[1] (oauth-proxy) has no image in mode "
            "openshift.enabled=true: values.yaml leaves image.openshift.oauthProxy.repository "
            "empty, to be set with it",
        ),
    ]
