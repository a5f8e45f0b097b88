"""ST401 upgrade-not-idempotent: only confirmed differences between the install and the upgrade
render, explained by the calls the field's template line reaches; lookup guards followed
through named templates."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.cli_runner import run

from seatrial.checks.template_scan import TemplateScan, calls_in

HELPERS = """\
{{- define "app.password" -}}
{{- default (randAlphaNum 16) .Values.password -}}
{{- end }}
{{- define "app.existing" -}}
{{- $s := lookup "v1" "Secret" .Release.Namespace "app-kept" -}}
{{- if $s }}{{ index $s.data "token" | b64dec }}{{ else }}{{ randAlphaNum 20 }}{{ end -}}
{{- end }}
{{- define "app.kept" -}}
{{ include "app.existing" . }}
{{- end }}
"""
SECRETS = """\
apiVersion: v1
kind: Secret
metadata:
  name: app-creds
data:
  password: {{ include "app.password" . | b64enc | quote }}
---
apiVersion: v1
kind: Secret
metadata:
  name: app-kept
data:
  token: {{ include "app.kept" . | b64enc | quote }}
"""
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
      annotations:
        first-install: {{ .Release.IsInstall | quote }}
        built: {{ .Values.built | quote }}
        {{- if .Values.rollOnUpgrade }}
        rolled-at: {{ now | date "20060102150405" | quote }}
        {{- end }}
    spec:
      containers:
        - name: app
          image: registry.example.com/app:1.0
"""
CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-state
data:
  revision: {{ .Release.Revision | quote }}
  {{- if .Values.stamp }}
  stamp: {{ now | quote }}
  {{- end }}
"""


def _chart(root: Path) -> Path:
    chart = root / "app"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: app\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text(
        'password: ""\nrollOnUpgrade: false\nstamp: false\nbuilt: ""\n'
    )
    for name, text in (
        ("_helpers.tpl", HELPERS),
        ("secrets.yaml", SECRETS),
        ("deployment.yaml", DEPLOYMENT),
        ("configmap.yaml", CONFIGMAP),
    ):
        (chart / "templates" / name).write_text(text)
    return chart


def _line(text: str, needle: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if needle in ln)


def _st401(chart: Path, *extra: str) -> list[tuple[Any, ...]]:
    res = run(
        "check",
        chart,
        "--no-images",
        "--only",
        "ST401",
        "--kube-versions",
        "1.33",
        "--format",
        "json",
        *extra,
    )
    assert res.code == 0, res.err
    return sorted(
        (
            f["severity"],
            f["object"]["kind"],
            f["object"]["name"],
            f["source"]["file"],
            f["source"]["line"],
            sorted(c["name"] for c in f["cells"]),
            f["message"],
        )
        for f in res.findings("ST401")
    )


def test_confirmed_differences_only_each_explained_at_its_cause(tmp_path: Path) -> None:
    rolled = _line(DEPLOYMENT, "rolled-at")
    assert _st401(_chart(tmp_path)) == [
        # all that `stamp` and `rollOnUpgrade` add is the time: what they are for, a note
        (
            "info",
            "ConfigMap",
            "app-state",
            "templates/configmap.yaml",
            8,
            ["stamp=true"],
            "now at templates/configmap.yaml:8 gives ConfigMap app-state a new value at every "
            "render: every `helm upgrade` with unchanged values changes it (stamp asks for it: "
            "nothing to fix if that is wanted)",
        ),
        (
            "info",
            "Deployment",
            "app",
            "templates/deployment.yaml",
            rolled,
            ["rollOnUpgrade=true"],
            f"now at templates/deployment.yaml:{rolled} gives Deployment app a new value at every "
            "render: every `helm upgrade` with unchanged values changes the pod template, which "
            "restarts every pod (rollOnUpgrade asks for it: nothing to fix if that is wanted)",
        ),
        (
            "warning",
            "ConfigMap",
            "app-state",
            "templates/configmap.yaml",
            6,
            ["defaults", "rollOnUpgrade=true", "stamp=true"],
            "ConfigMap app-state field data.revision reads .Release.Revision: every `helm upgrade` "
            "changes it",
        ),
        # reached through a named template: reported at the call
        (
            "warning",
            "Secret",
            "app-creds",
            "templates/_helpers.tpl",
            2,
            ["defaults", "rollOnUpgrade=true", "stamp=true"],
            "randAlphaNum at templates/_helpers.tpl:2 gives Secret app-creds a new value at every "
            "render: every `helm upgrade` with unchanged values rotates the credential (clients "
            "holding the old value break)",
        ),
    ]
    # not reported: Secret app-kept (its template reaches `lookup` through two named
    # templates), and first-install (`.Release.IsInstall` changes once, at the first upgrade)


def test_a_call_whose_value_is_not_used_is_not_reported(tmp_path: Path) -> None:
    # `default (randAlphaNum 16) .Values.password` calls randAlphaNum, but a set password wins
    rows = _st401(_chart(tmp_path), "--set", "password=fixed")
    assert [r[1:3] for r in rows] == [
        ("ConfigMap", "app-state"),
        ("Deployment", "app"),
        ("ConfigMap", "app-state"),
    ]


def test_a_time_from_values_is_not_the_render_time(tmp_path: Path) -> None:
    # a value that looks like the render time, from a line that reaches no `now`
    built = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    rows = _st401(_chart(tmp_path), "--set", f"built=t{built}")
    assert [r[1:5] for r in rows if r[1] == "Deployment"] == [
        ("Deployment", "app", "templates/deployment.yaml", _line(DEPLOYMENT, "rolled-at"))
    ]


def test_template_scan_follows_lookup_through_named_templates() -> None:
    files = {
        "templates/_helpers.tpl": HELPERS,
        "templates/secrets.yaml": SECRETS,
        "templates/deployment.yaml": DEPLOYMENT,
        "templates/checksum.yaml": 'x: {{ include (print $.Template.BasePath "/secrets.yaml") . | sha256sum }}\n',
        "templates/named.yaml": 'x: {{ include "common.secrets.lookup" . }}\n',
    }
    scan = TemplateScan(files)
    assert scan.reaches_lookup("templates/secrets.yaml")
    assert scan.reaches_lookup("templates/checksum.yaml")  # through the included file
    assert not scan.reaches_lookup("templates/deployment.yaml")
    # a template *named* like lookup is not a call of the function
    assert not scan.reaches_lookup("templates/named.yaml")


def test_calls_are_found_in_actions_only() -> None:
    text = (
        "a: {{ randAlphaNum 8 }}\n# randAlpha in a comment\n"
        'b: {{ now | date "2006" }}\nc: {{- uuidv4 -}}\nd: nowhere {{/* genCA */}}\n'
    )
    assert calls_in(text) == [(1, "randAlphaNum"), (3, "now"), (4, "uuidv4")]


def test_string_literals_are_not_calls() -> None:
    """A Grafana dashboard printed from a raw string mentions `"now"` and holds `{{ legend }}`
    (which does not end the action); a string a variable keeps for `tpl` may be a call."""
    text = (
        'd: {{`{"legend":"{{ pod }}","time":{"from":"now-1h","to":"now"}}`}}\n'
        'e: {{ printf "{{ %s }} randAlpha" .Values.x }} {{ now }}\n'
        '{{- $t := "{{ randAlphaNum 4 }}" }}\n'
    )
    assert calls_in(text) == [(2, "now"), (3, "randAlphaNum")]


# --- the fixtures the meta-test runs (tests/test_meta.py) ----------------------------------

SECRET = """\
apiVersion: v1
kind: Secret
metadata:
  name: creds
data:
  password: {value}
"""


def failing(tmp: Path) -> object:
    from tests.checks.harness import rendered, write_chart

    return rendered(
        write_chart(tmp, {"secret.yaml": SECRET.format(value="{{ randAlphaNum 16 | b64enc }}")}),
        discover_modes=False,
    )


def passing(tmp: Path) -> object:
    from tests.checks.harness import rendered, write_chart

    return rendered(
        write_chart(
            tmp,
            {"secret.yaml": SECRET.format(value="{{ .Values.password | b64enc }}")},
            values="password: fixed\n",
        ),
        discover_modes=False,
    )


TWO_SECRETS = """\
{{- $ca := genCA "ca" 365 }}
---
apiVersion: v1
kind: Secret
metadata:
  name: one-tls
data:
  tls.crt: {{ $ca.Cert | b64enc | quote }}
  tls.key: {{ $ca.Key | b64enc | quote }}
---
apiVersion: v1
kind: Secret
metadata:
  name: two-tls
data:
  tls.crt: {{ $ca.Cert | b64enc | quote }}
  tls.key: {{ $ca.Key | b64enc | quote }}
"""


def test_the_unexplained_fields_of_one_object_are_one_finding(tmp_path: Path) -> None:
    """harbor's and kyverno's certificate Secrets: documents of one template with the same
    lines (no line to explain them from); each Secret's changed fields are one finding, not
    one per field."""
    chart = tmp_path / "tls"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: tls\nversion: 0.1.0\n")
    (chart / "templates" / "tls.yaml").write_text(TWO_SECRETS)
    assert [(r[0], r[2], r[4], r[6]) for r in _st401(chart)] == [
        (
            "warning",
            name,
            None,
            f"Secret {name} fields data.tls.crt, data.tls.key differ between the install and "
            "the upgrade render with the same values: every `helm upgrade` changes them",
        )
        for name in ("one-tls", "two-tls")
    ]
