"""Secret values never reach the output, in any format: not the data of Secrets seen in the
input, not the secret-looking values of a Helm release, not `password=...` in log lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit.cluster import (
    C,
    Scenario,
    helm_release_secret,
    pod,
    secret,
    terminated,
    waiting,
    write_bundle,
    write_container_logs,
    write_get_json,
)
from tests.cli_runner import invoke

SECRET = "S3cr3t-Hunter2-Value"
RELEASE_SECRET = "rel-Db-Passw0rd-77"
TOKEN = "tok-abcdef123456"


def leaky(tmp: Path) -> Scenario:
    chart = tmp / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: shop\nversion: 1.0.0\n")
    (chart / "values.yaml").write_text("db:\n  password: ''\n")
    (chart / "templates" / "cm.yaml").write_text("kind: ConfigMap\n")
    ns, p = "shop", "orders-5f6d7c8b9-kq2lm"
    return Scenario(
        "leaky",
        [
            pod(
                ns,
                p,
                [
                    C(
                        "orders",
                        "registry.example/orders:2.0",
                        state=waiting("CrashLoopBackOff"),
                        last=terminated("Error", 3),
                        restarts=3,
                    )
                ],
            ),
            secret(ns, "orders-db", {"password": SECRET}),
            helm_release_secret(chart, "shop", ns, 1, {"db": {"password": RELEASE_SECRET}}),
        ],
        logs={
            (ns, p, "orders"): f"error: login failed with password {SECRET}\n"
            f"error: db login as orders/{RELEASE_SECRET} failed\n"
            f"error: retry with api_token={TOKEN} failed\n"
        },
    )


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_no_secret_in_any_format(tmp_path: Path, fmt: str) -> None:
    s = leaky(tmp_path)
    for inputs in (
        [str(write_bundle(s, tmp_path / "bundle"))],
        [
            str(write_get_json(s, tmp_path / "get.json")),
            *write_container_logs(s, tmp_path / "logs"),
        ],
    ):
        r = invoke("explain", *inputs, "--format", fmt, "--no-link")
        assert r.exit_code == 1, r.output
        out = r.output
        # the evidence lines are shown, with the values cut out
        assert "login failed with password <redacted>" in out
        assert "db login as orders/<redacted> failed" in out
        assert "api_token=<redacted>" in out
        for value in (SECRET, RELEASE_SECRET, TOKEN):
            assert value not in out
