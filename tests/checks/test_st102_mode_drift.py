"""ST102 mode-drift: which cells are compared, when it stays silent, what it says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.cli_runner import run

VALUES = "kind: Deployment\nlogLevel: info\nmetrics:\n  enabled: false\n"
HELPERS = (
    '{{- define "app.args" -}}\n{{- $k := .Values.kind -}}\n'
    "- --mode={{ lower $k }}\n- --log={{ .Values.logLevel }}\n{{- end }}\n"
)
WORKLOAD = """\
{{{{- if eq .Values.kind "{kind}" }}}}
apiVersion: apps/v1
kind: {kind}
metadata:
  name: {name}
spec:
  selector:
    matchLabels: {{app: agent}}
  template:
    metadata:
      labels: {{app: agent}}
    spec:
      containers:
        - name: agent
          image: registry.example.com/agent:1.0
{container}
{{{{- end }}}}
"""
# the DaemonSet copy of the container forgot --health-port
DEPLOYMENT_ARGS = """\
          args:
            - --log={{ .Values.logLevel }}
            - --metrics={{ .Values.metrics.enabled }}
            - --health-port=8081"""
DAEMONSET_ARGS = """\
          args:
            - --log={{ .Values.logLevel }}
            - --metrics={{ .Values.metrics.enabled }}"""
# a ci file that switches the kind and changes other values too
CI = "kind: DaemonSet\nlogLevel: debug\nmetrics:\n  enabled: true\n"


def _chart(
    root: Path,
    deployment: str,
    daemonset: str,
    *,
    ci: str | None = CI,
    ds_name: str = "{{ .Release.Name }}-agent",
) -> Path:
    chart = root / "agent"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: agent\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text(VALUES)
    (chart / "templates" / "_helpers.tpl").write_text(HELPERS)
    (chart / "templates" / "deployment.yaml").write_text(
        WORKLOAD.format(kind="Deployment", name="{{ .Release.Name }}-agent", container=deployment)
    )
    (chart / "templates" / "daemonset.yaml").write_text(
        WORKLOAD.format(kind="DaemonSet", name=ds_name, container=daemonset)
    )
    if ci is not None:
        (chart / "ci").mkdir()
        (chart / "ci" / "daemonset-values.yaml").write_text(ci)
    return chart


def _st102(chart: Path) -> list[dict[str, Any]]:
    res = run(
        "check",
        chart,
        "--no-images",
        "--only",
        "ST102",
        "--kube-versions",
        "1.33",
        "--format",
        "json",
    )
    assert res.code in (0, 1), res.err
    return res.findings("ST102")


def _row(f: dict[str, Any]) -> tuple[Any, ...]:
    return (
        f["check"],
        f["severity"],
        f["object"]["kind"],
        f["object"]["name"],
        f["container"],
        f["source"]["file"],
        f["source"]["line"],
        sorted(c["name"] for c in f["cells"]),
    )


def test_forgotten_flag_is_reported_with_only_the_differing_element(tmp_path: Path) -> None:
    (f,) = _st102(_chart(tmp_path, DEPLOYMENT_ARGS, DAEMONSET_ARGS))
    # the toggle cell and the ci file (compared with itself, kind reset) find the same drift
    assert _row(f) == (
        "ST102",
        "warning",
        "DaemonSet",
        "release-name-agent",
        "agent",
        "templates/daemonset.yaml",
        16,
        ["ci/daemonset-values.yaml", "kind=DaemonSet"],
    )
    assert f["message"] == (
        "container agent lacks args [--health-port=8081] in the DaemonSet "
        "mode (kind=DaemonSet) that the Deployment mode (defaults) has"
    )
    assert f["fix"].startswith("add [--health-port=8081] to the DaemonSet template's args")
    assert "command" not in f["fix"]


def test_ci_file_is_compared_with_its_own_values_and_the_kind_reset(tmp_path: Path) -> None:
    """Against the defaults, the ci file's logLevel and metrics would look like drift."""
    same = DEPLOYMENT_ARGS
    assert _st102(_chart(tmp_path, same, same)) == []


def test_ci_only_kind_switch_reports_its_drift_without_a_toggle(tmp_path: Path) -> None:
    # a kind the templates never compare with a literal: only the ci file switches it
    chart = _chart(tmp_path, DEPLOYMENT_ARGS, DAEMONSET_ARGS)
    for name in ("deployment.yaml", "daemonset.yaml"):
        path = chart / "templates" / name
        path.write_text(path.read_text().replace("eq .Values.kind", "eq (toString .Values.kind)"))
    (f,) = _st102(chart)
    assert _row(f)[6:] == (16, ["ci/daemonset-values.yaml"])
    assert f["message"] == (
        "container agent lacks args [--health-port=8081] in the DaemonSet mode "
        "(ci/daemonset-values.yaml) that the Deployment mode (ci/daemonset-values.yaml with "
        "kind=Deployment) has"
    )


def test_same_include_in_both_modes_is_silent(tmp_path: Path) -> None:
    # --mode differs between the modes, but both render it from one named template
    shared = '          args: {{- include "app.args" . | nindent 12 }}'
    assert _st102(_chart(tmp_path, shared, shared)) == []


def test_element_that_reads_the_mode_key_is_deliberate(tmp_path: Path) -> None:
    deploy = DEPLOYMENT_ARGS + "\n            - --leader-elect=true"
    daemon = DEPLOYMENT_ARGS + '\n            - --leader-elect={{ ne .Values.kind "DaemonSet" }}'
    assert _st102(_chart(tmp_path, deploy, daemon)) == []
    # the same element from a literal that does not read the key is drift
    (f,) = _st102(
        _chart(tmp_path / "b", deploy, DEPLOYMENT_ARGS + "\n            - --leader-elect=false")
    )
    assert f["message"] == (
        "container agent has args [--leader-elect=false] in the DaemonSet mode (kind=DaemonSet) "
        "where the Deployment mode (defaults) has [--leader-elect=true]"
    )


def test_only_the_templated_workload_name_differs(tmp_path: Path) -> None:
    deploy = DEPLOYMENT_ARGS + "\n            - --lease={{ .Release.Name }}-agent"
    daemon = DEPLOYMENT_ARGS + "\n            - --lease={{ .Release.Name }}-agent-ds"
    assert _st102(_chart(tmp_path, deploy, daemon, ds_name="{{ .Release.Name }}-agent-ds")) == []


def test_command_in_one_mode_only_is_an_error_with_the_command_fix(tmp_path: Path) -> None:
    daemon = '          command: ["/manager"]\n' + DEPLOYMENT_ARGS
    (f,) = _st102(_chart(tmp_path, DEPLOYMENT_ARGS, daemon, ci=None))
    assert _row(f) == (
        "ST102",
        "error",
        "DaemonSet",
        "release-name-agent",
        "agent",
        "templates/daemonset.yaml",
        16,
        ["kind=DaemonSet"],
    )
    assert f["message"] == (
        "container agent sets command [/manager] in the DaemonSet mode "
        "(kind=DaemonSet) but not in the Deployment mode (defaults)"
    )
    assert "remove `command`" in f["fix"]


def test_companion_cell_that_fails_is_not_the_charts_render_error(tmp_path: Path) -> None:
    chart = _chart(tmp_path, DEPLOYMENT_ARGS, DEPLOYMENT_ARGS)
    deploy = chart / "templates" / "deployment.yaml"
    deploy.write_text(
        deploy.read_text().replace(
            "apiVersion: apps/v1",
            '{{- if eq .Values.logLevel "debug" }}'
            '{{ fail "debug logging needs the DaemonSet" }}{{ end }}\napiVersion: apps/v1',
            1,
        )
    )
    res = run(
        "check",
        chart,
        "--no-images",
        "--only",
        "ST101,ST102",
        "--kube-versions",
        "1.33",
        "--format",
        "json",
    )
    # the chart's own literal `eq "debug"` makes a cell that fails (ST101); the companion of
    # the ci file (debug logging with the kind reset) fails too, but seatrial composed it
    assert [sorted(c["name"] for c in f["cells"]) for f in res.findings("ST101")] == [
        ["logLevel=debug"]
    ]
    assert res.findings("ST102") == []


# --- the fixtures the meta-test runs (tests/test_meta.py) ----------------------------------

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def failing(tmp: Path) -> object:
    """S1: in DaemonSet mode the manager starts a binary the image does not have."""
    from tests.checks.harness import rendered

    return rendered(EXAMPLES / "s1-manager-kind")


def passing(tmp: Path) -> object:
    from tests.checks.harness import rendered

    return rendered(EXAMPLES / "s1-manager-kind-fixed")


CRONJOB = """\
{{- if eq .Values.kind "CronJob" }}
apiVersion: batch/v1
kind: CronJob
metadata:
  name: {{ .Release.Name }}-agent
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: agent
              image: registry.example.com/agent:1.0
%s
{{- end }}
"""


def test_a_run_once_mode_and_a_serving_mode_differ_in_flags_by_nature(tmp_path: Path) -> None:
    """descheduler: the Deployment loops with `--interval`, the CronJob runs once per
    schedule; their args differ by nature. A command only one of them sets is still the
    S1 drift."""
    deployment = "          args:\n            - --log=info\n            - --interval=5m"
    cron_args = "              args:\n                - --log=info"
    chart = _chart(tmp_path, deployment, DAEMONSET_ARGS, ci=None)
    (chart / "templates" / "daemonset.yaml").unlink()
    (chart / "values.yaml").write_text("kind: Deployment\n")
    (chart / "templates" / "cronjob.yaml").write_text(CRONJOB % cron_args)
    (chart / "values.schema.json").write_text(
        '{"properties": {"kind": {"enum": ["Deployment", "CronJob"]}}}'
    )
    assert _st102(chart) == []
    command = cron_args + '\n              command: ["/agent"]'
    (chart / "templates" / "cronjob.yaml").write_text(CRONJOB % command)
    assert [(_row(f)[:2], _row(f)[5:]) for f in _st102(chart)] == [
        (("ST102", "error"), ("templates/cronjob.yaml", 18, ["kind=CronJob"]))
    ]


def test_a_workload_both_modes_render_is_not_what_a_toggle_replaced(tmp_path: Path) -> None:
    """consul: `client.enabled` adds a client DaemonSet beside the server StatefulSet, both
    with a `consul` container started differently. The server is in both renders: the
    DaemonSet is a new component, not the StatefulSet in another kind. Without the server in
    the toggled render, the DaemonSet replaces it and the drift is reported (another
    program: the S1 error)."""
    chart = tmp_path / "consul"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: consul\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text("client:\n  enabled: false\n")
    server = WORKLOAD.format(
        kind="StatefulSet", name="server", container='          command: ["consul-server"]'
    ).replace('{{- if eq .Values.kind "StatefulSet" }}', "{{- if true }}")
    client = WORKLOAD.format(
        kind="DaemonSet", name="client", container='          command: ["consul-agent"]'
    ).replace('{{- if eq .Values.kind "DaemonSet" }}', "{{- if .Values.client.enabled }}")
    (chart / "templates" / "server.yaml").write_text(server)
    (chart / "templates" / "client.yaml").write_text(client)
    assert _st102(chart) == []
    (chart / "templates" / "server.yaml").write_text(
        server.replace("{{- if true }}", "{{- if not .Values.client.enabled }}")
    )
    assert [_row(f) for f in _st102(chart)] == [
        (
            "ST102",
            "error",
            "DaemonSet",
            "client",
            "agent",
            "templates/client.yaml",
            16,
            ["client.enabled=true"],
        )
    ]


def test_the_same_program_with_other_arguments_is_not_the_binary_drift(tmp_path: Path) -> None:
    """minio starts one server address in its Deployment mode and the StatefulSet peers in
    the other, through the same `sh -ce` script: not S1. A word replaced by another is a
    note; a flag one mode's script lacks is a warning naming only that flag."""

    def script(text: str) -> str:
        return f'          command: ["/bin/sh", "-ce", "exec /agent serve {text}"]'

    deployment = script("/data --port 9000")
    chart = _chart(tmp_path, deployment, script("http://peer-{0...3}/data --port 9000"), ci=None)
    (chart / "values.schema.json").write_text(
        '{"properties": {"kind": {"enum": ["Deployment", "DaemonSet"]}}}'
    )
    found = _st102(chart)
    assert [(_row(f), f["message"]) for f in found] == [
        (
            (
                "ST102",
                "info",
                "DaemonSet",
                "release-name-agent",
                "agent",
                "templates/daemonset.yaml",
                16,
                ["kind=DaemonSet"],
            ),
            "container agent starts /bin/sh -ce /agent with other arguments in the DaemonSet "
            "mode (kind=DaemonSet) than in the Deployment mode (defaults)",
        )
    ]
    (chart / "templates" / "daemonset.yaml").write_text(
        WORKLOAD.format(
            kind="DaemonSet", name="{{ .Release.Name }}-agent", container=script("/data")
        )
    )
    assert [(_row(f)[1], f["message"]) for f in _st102(chart)] == [
        (
            "warning",
            "container agent lacks command [--port, 9000] in the DaemonSet mode (kind=DaemonSet) "
            "that the Deployment mode (defaults) has",
        )
    ]


def test_a_mode_that_runs_a_script_the_chart_ships_is_a_note(tmp_path: Path) -> None:
    """mongodb's replica set StatefulSet runs `/scripts/setup.sh` from the chart's ConfigMap,
    its standalone Deployment the image ENTRYPOINT: no image binary can move from under the
    script (S1), so a note. The same command run from the image stays the S1 error."""
    container = """\
          command: ["/scripts/setup.sh"]
          volumeMounts:
            - name: scripts
              mountPath: /scripts
      volumes:
        - name: scripts
          configMap:
            name: setup"""
    chart = _chart(tmp_path, "", container, ci=None)
    (chart / "values.schema.json").write_text(
        '{"properties": {"kind": {"enum": ["Deployment", "DaemonSet"]}}}'
    )
    found = _st102(chart)
    assert [(_row(f)[1], _row(f)[5:7]) for f in found] == [
        ("info", ("templates/daemonset.yaml", 16))
    ]
    assert found[0]["message"].endswith("(a script the chart ships on its configMap volume)")
    (chart / "templates" / "daemonset.yaml").write_text(
        WORKLOAD.format(
            kind="DaemonSet",
            name="{{ .Release.Name }}-agent",
            container=container.replace("mountPath: /scripts", "mountPath: /config"),
        )
    )
    assert [_row(f)[1] for f in _st102(chart)] == ["error"]
    # the file alone, mounted with subPath (mongodb's own layout)
    (chart / "templates" / "daemonset.yaml").write_text(
        WORKLOAD.format(
            kind="DaemonSet",
            name="{{ .Release.Name }}-agent",
            container=container.replace(
                "mountPath: /scripts",
                "mountPath: /scripts/setup.sh\n              subPath: setup.sh",
            ),
        )
    )
    assert [_row(f)[1] for f in _st102(chart)] == ["info"]
