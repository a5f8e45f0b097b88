"""The good realistic charts against images built like their upstream images, served by a
real registry on 127.0.0.1: the image checks (ST201/ST203/ST205/ST603) must not fire on what
these images really look like (usrmerge symlinks, relative ENTRYPOINTs found through PATH,
dumb-init wrappers, distroless binaries)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from testkit.oci import File, Symlink, push_image
from tests.cli_runner import invoke
from tests.conftest import Registry

REALISTIC = Path(__file__).resolve().parent.parent / "fixtures" / "realistic"
ELF = b"\x7fELF"
DEBIAN_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def exe(name: str) -> File:
    return File(ELF + name.encode(), 0o755)


def debian(*programs: str) -> dict[str, Any]:
    """A Debian bookworm-like root: /bin, /sbin and /lib are symlinks into /usr (usrmerge),
    /usr/bin/sh is a relative symlink to dash."""
    files: dict[str, Any] = {
        "/bin": Symlink("usr/bin"),
        "/sbin": Symlink("usr/sbin"),
        "/lib": Symlink("usr/lib"),
        "/usr/bin/dash": exe("dash"),
        "/usr/bin/sh": Symlink("dash"),
        "/usr/bin/bash": exe("bash"),
    }
    for p in programs:
        files[f"/usr/bin/{p}"] = exe(p)
    return files


def alpine(*programs: str) -> dict[str, Any]:
    files: dict[str, Any] = {"/bin/busybox": exe("busybox"), "/bin/sh": Symlink("/bin/busybox")}
    for p in programs:
        files[f"/bin/{p}"] = Symlink("busybox")
    return files


def push_all(url: str) -> None:
    k8s, quay, hub = "realistic-k8s", "realistic-quay", "realistic-hub"
    push_image(
        url,
        f"{k8s}/ingress-nginx/controller",
        "v1.10.1",
        files={
            **alpine("date"),
            "/usr/bin/dumb-init": exe("dumb-init"),
            "/nginx-ingress-controller": exe("controller"),
            "/usr/local/lib/libmimalloc.so": b"so",
        },
        entrypoint=["/usr/bin/dumb-init", "--"],
        cmd=["/nginx-ingress-controller"],
        env=[DEBIAN_PATH],
    )
    push_image(
        url,
        f"{k8s}/ingress-nginx/kube-webhook-certgen",
        "v1.4.1",
        files={"/kube-webhook-certgen": exe("certgen")},
        entrypoint=["/kube-webhook-certgen"],
        env=[DEBIAN_PATH],
    )
    for part in ("controller", "webhook", "cainjector", "startupapicheck"):
        push_image(
            url,
            f"{quay}/jetstack/cert-manager-{part}",
            "v1.14.4",
            files={f"/app/cmd/{part}/{part}": exe(part)},
            entrypoint=[f"/app/cmd/{part}/{part}"],
            env=[DEBIAN_PATH],
        )
    push_image(
        url,
        f"{quay}/prometheus/node-exporter",
        "v1.7.0",
        files={**alpine(), "/bin/node_exporter": exe("node_exporter")},
        entrypoint=["/bin/node_exporter"],
        env=[DEBIAN_PATH],
    )
    pg = "/usr/lib/postgresql/16/bin"
    push_image(
        url,
        f"{hub}/library/postgres",
        "16.2-bookworm",
        files={
            **debian("date", "gzip", "find", "mv", "mktemp", "grep", "sed"),
            "/usr/local/bin/docker-entrypoint.sh": File(b"#!/usr/bin/env bash\n", 0o755),
            "/usr/bin/env": exe("env"),
            **{
                f"{pg}/{p}": exe(p)
                for p in (
                    "postgres",
                    "initdb",
                    "pg_ctl",
                    "psql",
                    "createdb",
                    "pg_dump",
                    "pg_isready",
                )
            },
        },
        entrypoint=["docker-entrypoint.sh"],
        cmd=["postgres"],
        env=[f"{DEBIAN_PATH}:{pg}", "PG_MAJOR=16", "PGDATA=/var/lib/postgresql/data"],
    )
    push_image(
        url,
        f"{quay}/prometheuscommunity/postgres-exporter",
        "v0.15.0",
        files={**alpine(), "/bin/postgres_exporter": exe("postgres_exporter")},
        entrypoint=["/bin/postgres_exporter"],
        env=[DEBIAN_PATH],
    )
    push_image(
        url,
        f"{quay}/kata-containers/kata-deploy",
        "3.3.0",
        files={
            **debian("kubectl", "sleep", "cp", "ln", "chmod", "mkdir", "rm"),
            "/opt/kata-artifacts/opt/kata/bin/containerd-shim-kata-v2": exe("shim"),
        },
        env=[DEBIAN_PATH],
    )
    # the same installer rebuilt on a busybox base: no bash
    push_image(
        url,
        f"{quay}/kata-containers/kata-deploy",
        "3.3.0-alpine",
        files={**alpine("sleep"), "/usr/bin/kubectl": exe("kubectl")},
        env=[DEBIAN_PATH],
    )


@pytest.fixture(scope="module")
def mirrors(registry: Registry) -> list[str]:
    push_all(registry.url)
    return [
        f"--registry-mirror=registry.k8s.io={registry.host}/realistic-k8s",
        f"--registry-mirror=quay.io={registry.host}/realistic-quay",
        f"--registry-mirror=docker.io={registry.host}/realistic-hub",
    ]


@pytest.mark.parametrize(
    "chart", ["ingress-nginx", "cert-manager", "node-exporter", "postgresql", "kata-deploy"]
)
def test_good_chart_with_its_images(chart: str, mirrors: list[str]) -> None:
    result = invoke(
        "check",
        str(REALISTIC / chart),
        "--format",
        "json",
        "--kube-versions",
        "1.31",
        "--no-modes",
        *mirrors,
    )
    assert result.exit_code == 0, result.output
    got = [
        (f["check"], f["object"]["name"], f["container"], f["message"][:160])
        for f in json.loads(result.stdout)["findings"]
    ]
    assert [g for g in got if g[0] != "ST205"] == []


def test_installer_image_without_bash(mirrors: list[str]) -> None:
    """The kata-deploy chart runs `bash /opt/kata-artifacts/scripts/kata-deploy.sh`: on an
    image without bash that is ST203 on the DaemonSet; the cleanup Job runs `sh`, which the
    image has."""
    result = invoke(
        "check",
        str(REALISTIC / "kata-deploy"),
        "--format",
        "json",
        "--kube-versions",
        "1.31",
        "--no-modes",
        "--set",
        "image.tag=3.3.0-alpine",
        *mirrors,
    )
    assert result.exit_code == 1, result.output
    got = sorted(
        (f["check"], f["object"]["name"], f["container"], f["source"]["file"], f["source"]["line"])
        for f in json.loads(result.stdout)["findings"]
    )
    assert got == [("ST203", "kata-deploy", "kube-kata", "templates/kata-deploy.yaml", 60)]
