"""Every output format on hostile content: no Secret value (in any of its forms, of any length)
and no raw control character reaches a report; JUnit and SARIF stay valid.

The charts here are real (rendered by the real Helm engine, converge runs in real bubblewrap);
each leak case of issue 11 is one test: transformed values (base64, reversed), values under 4
characters, converge's JSON `changes[]` paths and link targets, explain showing Secret data.
"""

from __future__ import annotations

import base64
import io
import json
import urllib.parse
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from testkit.cluster import C, Scenario, pod, secret, terminated, waiting, write_get_json
from tests.cli_runner import invoke
from tests.hostile.support import chart, fails

from seatrial import redact
from seatrial.findings import Finding, ObjectRef, Severity, Summary
from seatrial.redact import Redactor, printable, scrub
from seatrial.report import FORMATS, emit

ROOT = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = json.loads((ROOT / "tests/schemas/sarif-2.1.0-rtm.5.json").read_text())

SECRET = "Hunter2-Sup3rS3cret"
PIN = "ab"  # under 4 characters: redacted where it stands as a value
HOSTILE = "web\x1b]0;pwn\x07\x1b[2J\x00\x0b"
HOSTILE_SHOWN = "web\\x1b]0;pwn\\x07\\x1b[2J\\x00\\x0b"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


#: every form of SECRET that must never be shown
SECRET_FORMS = (
    SECRET,
    SECRET[::-1],
    b64(SECRET),
    b64(SECRET).rstrip("="),
    base64.urlsafe_b64encode(SECRET.encode()).decode(),
    b64(SECRET[::-1]),
)


def _yaml_str(text: str) -> str:
    """`text` as a YAML double-quoted scalar (control characters as YAML escapes)."""
    return (
        json.dumps(text)
        .replace("\\u001b", "\\e")
        .replace("\\u0007", "\\a")
        .replace("\\u0000", "\\0")
        .replace("\\u000b", "\\v")
    )


def leaky_chart(root: Path) -> Path:
    """A Secret (one `data`, one short `stringData` value), a mode whose `fail` quotes them
    and their transforms, and a Deployment whose names carry terminal escapes and NUL."""
    values = f"password: {SECRET}\npin: {PIN!r}\ndebug: false\nname: {_yaml_str(HOSTILE)}\n"
    return chart(
        root,
        values=values,
        templates={
            "all.yaml": f"""\
apiVersion: v1
kind: Secret
metadata:
  name: creds
type: Opaque
data:
  password: {{{{ .Values.password | b64enc }}}}
stringData:
  pin: {{{{ .Values.pin | quote }}}}
---
{{{{- if .Values.debug }}}}
{{{{- fail (printf "debug needs password %s (base64 %s, reversed %s) and pin %q"
  .Values.password (b64enc .Values.password) "{SECRET[::-1]}" .Values.pin) }}}}
{{{{- end }}}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{{{ .Values.name | quote }}}}
spec:
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
        - name: {{{{ .Values.name | quote }}}}
          image: busybox:1.36
          command: ["sh", "-c", "true"]
          env:
            - name: PIN
              valueFrom: {{secretKeyRef: {{name: creds, key: pin}}}}
            - value: {{{{ .Values.name | quote }}}}
"""
        },
    )


# the chart's own `fail` in its one-value debug mode: a declared constraint (info)
RENDER_FAILED = (
    "mode debug=true requires: debug needs password [secret] (base64 [secret], "
    'reversed [secret]) and pin "[secret]"'
)
INVALID = f"Deployment {HOSTILE_SHOWN} containers[0] ({HOSTILE_SHOWN}).env[1] has no name"


def _check(chart_dir: Path, fmt: str) -> str:
    result = invoke(
        "check", str(chart_dir), "--no-images", "--offline", "--format", fmt, catch_exceptions=False
    )
    assert result.exit_code == 1, result.output
    return result.stdout


def _assert_no_secret(out: str) -> None:
    for form in SECRET_FORMS:
        assert form not in out, form
    for raw in ("\x1b", "\x07", "\x00", "\x0b", "\\u001b", "\\u0000"):
        assert raw not in out, repr(raw)


@pytest.mark.parametrize("fmt", FORMATS)
def test_check_reports_redact_secret_forms_and_escape_controls(tmp_path: Path, fmt: str) -> None:
    out = _check(leaky_chart(tmp_path / "x"), fmt)
    _assert_no_secret(out)
    if fmt == "text":  # wrapped to 100 columns: compare word by word
        words = " ".join(out.split())
        assert RENDER_FAILED in words and INVALID in words
        assert f"Deployment/{HOSTILE_SHOWN}\n" in out
    elif fmt == "json":
        doc = json.loads(out)
        assert sorted(
            (f["check"], f["message"], f["object"] and f["object"]["name"]) for f in doc["findings"]
        ) == [("ST101", RENDER_FAILED, None), ("ST105", INVALID, HOSTILE_SHOWN)]
    elif fmt == "sarif":
        doc = json.loads(out)
        jsonschema.validate(doc, SARIF_SCHEMA)
        results = doc["runs"][0]["results"]
        assert sorted((r["ruleId"], r["message"]["text"].split(" Fix: ")[0]) for r in results) == [
            ("ST101", RENDER_FAILED),
            ("ST105", INVALID),
        ]
        names = [
            loc["name"] for r in results for loc in r["locations"][0].get("logicalLocations", [])
        ]
        assert names == [f"Deployment/{HOSTILE_SHOWN}"]
    elif fmt == "junit":
        root = ET.fromstring(out.split("\n", 1)[1])  # after the XML declaration
        # a warning or error is a <failure message=...>; an info is <system-out> text
        failures = {
            c.get("classname"): (
                c.get("name"),
                c[0].get("message") or (c[0].text or "").split("\n")[1],
            )
            for c in root.iter("testcase")
        }
        assert failures == {
            "ST101": ("templates/all.yaml", RENDER_FAILED),
            "ST105": (f"Deployment/{HOSTILE_SHOWN}", INVALID),
        }
    elif fmt == "github":
        assert RENDER_FAILED in out and INVALID in out
    elif fmt == "gitlab":
        descriptions = {i["description"] for i in json.loads(out)}
        assert descriptions == {RENDER_FAILED, f"Deployment/{HOSTILE_SHOWN}: {INVALID}"}
    else:
        assert RENDER_FAILED.replace('"', "&quot;") in out
        assert INVALID in out  # nothing in it needs HTML escaping once escaped as text
        # the template excerpt shows the chart's own text, with the literal reversed value cut
        assert "&quot;[secret]&quot; .Values.pin) }}" in out


def test_secret_manifest_value_in_template_excerpt_is_redacted(tmp_path: Path) -> None:
    """A value written literally into a template (not through values) shows in the HTML
    excerpt around a finding only as [secret]."""
    root = chart(
        tmp_path / "x",
        templates={
            "all.yaml": f"""\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  template:
    spec:
      containers:
        - name: web
          image: busybox:1.36
          env:
            - value: x
---
apiVersion: v1
stringData: {{token: {SECRET}, pin: {PIN}}}
kind: Secret
metadata: {{name: s}}
"""
        },
    )
    out = _check(root, "html")
    _assert_no_secret(out)
    assert "stringData: {token: [secret], pin: [secret]}" in out


# -- converge: the runs' record (JSON changes[] paths, link targets, output) ---------------------

CONVERGE_SCRIPT = """\
mkdir -p "/host/keys/$PIN" /host/by-pass
echo "$PASS" > "/host/keys/$PIN/pw-$(date +%s%N)"
touch "/host/by-pass/$PASS-$(date +%s%N)"
ln -sf "$PASS" /host/link
ln -sf "$PIN" /host/short
printf '%s\\n' "$PASS" | base64
printf '%s' "$PASS" | rev; echo
printf '\\033]0;pwn\\007\\033[2J title\\n'
echo "pin=$PIN"
"""


def converge_chart(root: Path) -> Path:
    script = "\n".join("              " + line for line in CONVERGE_SCRIPT.splitlines())
    return chart(
        root,
        values=f"password: {SECRET}\npin: {PIN!r}\n",
        templates={
            "all.yaml": f"""\
apiVersion: v1
kind: Secret
metadata: {{name: creds}}
type: Opaque
stringData:
  password: {{{{ .Values.password | quote }}}}
  pin: {{{{ .Values.pin | quote }}}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {{name: agent}}
spec:
  selector: {{matchLabels: {{app: agent}}}}
  template:
    metadata: {{labels: {{app: agent}}}}
    spec:
      containers:
        - name: agent
          image: busybox:1.36
          command:
            - sh
            - -c
            - |
{script}
          env:
            - name: PASS
              valueFrom: {{secretKeyRef: {{name: creds, key: password}}}}
            - name: PIN
              valueFrom: {{secretKeyRef: {{name: creds, key: pin}}}}
          volumeMounts: [{{name: host, mountPath: /host}}]
      volumes: [{{name: host, hostPath: {{path: /}}}}]
"""
        },
    )


def _converge(tmp_path: Path, fmt: str) -> str:
    root = converge_chart(tmp_path / "x")
    (tmp_path / "seed").mkdir()
    result = invoke(
        "converge",
        str(root),
        "--workload",
        "DaemonSet/agent",
        "--state",
        str(tmp_path / "seed"),
        "--format",
        fmt,
        catch_exceptions=False,
    )
    assert result.exit_code == 1, result.output  # the timestamped files are ST501
    return result.stdout


def test_converge_json_changes_paths_link_targets_and_output(tmp_path: Path) -> None:
    out = _converge(tmp_path, "json")
    _assert_no_secret(out)
    runs = json.loads(out)["summary"]["converge"]["runs"]
    assert [(c["sandbox_path"], c["what"]) for c in runs[0]["changes"]] == [
        ("/host/by-pass", "directory 0755"),
        ("/host/keys", "directory 0755"),
        ("/host/link", "symlink -> [secret]"),
        ("/host/short", "symlink -> [secret]"),
    ]
    later = sorted(c["sandbox_path"].rsplit("-", 1)[0] for c in runs[1]["changes"])
    assert later == ["/host/by-pass/[secret]", "/host/keys/[secret]/pw"]
    # base64 of the value and a newline: the part that encodes the value alone is cut
    assert runs[0]["output"] == [
        "[secret]o=",
        "[secret]",
        "\\x1b]0;pwn\\x07\\x1b[2J title",
        "pin=[secret]",
    ]
    messages = [f["message"] for f in json.loads(out)["findings"]]
    assert len(messages) == 4 and all("[secret]" in m for m in messages), messages


def test_converge_text_report(tmp_path: Path) -> None:
    out = _converge(tmp_path, "text")
    _assert_no_secret(out)
    assert "  added    /host/short  symlink -> [secret]\n" in out
    assert "  added    /host/link  symlink -> [secret]\n" in out
    assert "/host/keys/[secret]/pw-" in out and "/host/by-pass/[secret]-" in out


# -- explain: the input's Secrets, as written (base64) and decoded ------------------------------


def explain_input(tmp_path: Path) -> Path:
    ns, name = "shop", "orders-5f6d7c8b9-kq2lm"
    encoded = b64(SECRET)
    s = Scenario(
        "leaky",
        [
            pod(
                ns,
                name,
                [
                    C(
                        "orders",
                        "registry.example/orders:2.0",
                        state=waiting("CrashLoopBackOff", f"back-off: config {encoded} pin={PIN}"),
                        last=terminated(
                            "Error", 3, f"bad key {SECRET[::-1]} in /etc/{PIN}/key {HOSTILE}"
                        ),
                        restarts=3,
                    )
                ],
            ),
            secret(ns, "orders-db", {"password": SECRET, "pin": PIN}),
        ],
    )
    return write_get_json(s, tmp_path / "get.json")


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_explain_never_shows_secret_data(tmp_path: Path, fmt: str) -> None:
    path = explain_input(tmp_path)
    assert b64(SECRET) in path.read_text()  # the Secret's own data, as the API gives it
    result = invoke("explain", str(path), "--format", fmt, "--no-link", catch_exceptions=False)
    assert result.exit_code == 1, result.output
    out = result.stdout
    _assert_no_secret(out)
    if fmt == "json":
        out = json.dumps(json.loads(out)["diagnoses"][0]["evidence"]).replace("\\\\", "\\")
    assert b64(PIN) not in out and "pin=ab" not in out and "/etc/ab/" not in out
    assert "pin=<redacted>" in out and "/etc/<redacted>/key" in out
    # (explain reads \x0b as a line break, as str.splitlines does)
    assert f"bad key <redacted> in /etc/<redacted>/key {HOSTILE_SHOWN[:-4]}" in out


# -- the layer itself -----------------------------------------------------------------------


def test_short_values_only_where_they_are_values() -> None:
    r = Redactor([PIN])
    text = (
        "table abc grab: /x/ab/y KEY=ab 'ab' \"ab\" -> ab, link -> abc\n"
        "ab/start\nkey: ab\nab\n{k: ab, j: abc} error: ab cd https://u:ab@host"
    )
    assert r.text(text) == (
        "table abc grab: /x/[secret]/y KEY=[secret] '[secret]' "
        '"[secret]" -> [secret], link -> abc\n[secret]/start\n'
        "key: [secret]\n[secret]\n{k: [secret], j: abc} error: ab cd "
        "https://u:[secret]@host"
    )
    assert r.field("ab") == "[secret]" and r.field("abc") == "abc"
    assert r.text(f"YWI= {b64(PIN[::-1])} ba") == "[secret] [secret] ba"


def test_long_value_forms() -> None:
    r = Redactor([SECRET])
    for form in (*SECRET_FORMS, urllib.parse.quote(SECRET + "/x", safe=""), SECRET.encode().hex()):
        assert SECRET not in r.text(f"<{form}>")
    assert r.text(f"a{SECRET}b {SECRET[::-1]}") == "a[secret]b [secret]"
    assert Redactor([SECRET], public=[SECRET]).text(SECRET) == SECRET


def test_values_the_report_shows_by_design_stay() -> None:
    """argo-cd's ci/external-redis-values.yaml sets the redis password `argocd`, and the
    matrix probes Secret values with `seatrial-probe`: neither may turn
    `templates/argocd-configs/...` or a cell name into [secret]; a short value only stays
    when it is a whole public name."""
    public = {
        "argocd-server",
        "templates/argocd-configs/argocd-secret.yaml",
        "configs.secret.githubSecret=seatrial-probe",
        "seatrial-probe",
        "table",
    }
    r = Redactor(["argocd", "seatrial-probe", "ab", SECRET], public=public)
    text = f"templates/argocd-configs/x.yaml seatrial-probe pw={SECRET} pin='ab'"
    assert (
        r.text(text) == "templates/argocd-configs/x.yaml seatrial-probe pw=[secret] pin='[secret]'"
    )


def test_printable() -> None:
    assert (
        printable("a\x1b[2J\x00\x0b\x7f\x85\u202e\ud800b\n\tc\r")
        == "a\\x1b[2J\\x00\\x0b\\x7f\\x85\\u202e\\ud800b\n\tc\\x0d"
    )


def test_registry_credentials_from_docker_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Registry passwords and tokens of the Docker config and `$REGISTRY_AUTH_FILE` are cut
    from every format, though no Secret carries them."""
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "config.json").write_text(
        json.dumps({"auths": {"registry.example": {"auth": b64("robot:pw1")}}})
    )
    (tmp_path / "auth.json").write_text(
        json.dumps({"auths": {"quay.example": {"identitytoken": "tok-9f8e7d"}}})
    )
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "docker"))
    monkeypatch.setenv("REGISTRY_AUTH_FILE", str(tmp_path / "auth.json"))
    summary = Summary(
        [
            Finding(
                "ST204",
                "image-unverifiable",
                Severity.WARNING,
                f"registry.example said: bad credentials robot:pw1 ({b64('robot:pw1')}); "
                "quay.example: token=tok-9f8e7d",
                ObjectRef("Deployment", "web"),
                container="web",
            )
        ]
    )
    for fmt in FORMATS:
        out = io.StringIO()
        emit(summary, fmt, out)
        text = out.getvalue()
        assert "pw1" not in text and "tok-9f8e7d" not in text and b64("robot:pw1") not in text
        assert "robot:[secret]" in text, fmt


def test_scope_forgets_values_after_the_command() -> None:
    with redact.scope():
        redact.remember("only-in-this-run")
        assert scrub(["x only-in-this-run"], Redactor.current()) == ["x [secret]"]
    assert "only-in-this-run" not in redact.known()


def test_error_line_is_redacted_and_printable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one stderr line of exit 2 goes through the layer too."""
    (tmp_path / "config.json").write_text(
        json.dumps({"auths": {"registry.example": {"auth": b64("robot:pw-in-error-123")}}})
    )
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    line = fails(["check", str(tmp_path / "pw-in-error-123" / "x\x1b[2Jy")])
    assert "pw-in-error-123" not in line and "\x1b" not in line
    assert "/[secret]/x\\x1b[2Jy" in line
