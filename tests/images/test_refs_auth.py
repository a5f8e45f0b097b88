"""Reference parsing as Docker does it, credentials as Docker finds them, bearer tokens."""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path

import httpx
import pytest
from testkit.oci import File, build_image
from tests.images.fake_registry import FakeRegistry

from seatrial.facts.image import ImageFacts, ImageProblem
from seatrial.images.auth import credentials_for, parse_challenge, realm_shares_credentials
from seatrial.images.gather import ImageOptions, gather_images
from seatrial.images.refs import InvalidReference, Reference, parse_reference
from seatrial.images.registry import RegistryClient

D = "sha256:" + "a" * 64


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nginx", Reference("docker.io", "library/nginx", "latest")),
        ("nginx:1.27", Reference("docker.io", "library/nginx", "1.27")),
        ("clastix/capsule:v0.10.0", Reference("docker.io", "clastix/capsule", "v0.10.0")),
        ("docker.io/nginx", Reference("docker.io", "library/nginx", "latest")),
        ("index.docker.io/library/nginx", Reference("docker.io", "library/nginx", "latest")),
        ("localhost/app", Reference("localhost", "app", "latest")),
        ("localhost:5000/team/app:1", Reference("localhost:5000", "team/app", "1")),
        ("127.0.0.1:5000/app@" + D, Reference("127.0.0.1:5000", "app", None, D)),
        ("ghcr.io/org/app:1.0@" + D, Reference("ghcr.io", "org/app", "1.0", D)),
        (
            "registry.k8s.io/kube-apiserver:v1.31.0",
            Reference("registry.k8s.io", "kube-apiserver", "v1.31.0"),
        ),
        ("[::1]:5000/app", Reference("[::1]:5000", "app", "latest")),
        ("a_b/c__d/e-f:x", Reference("docker.io", "a_b/c__d/e-f", "x")),
    ],
)
def test_parse_like_docker(text: str, expected: Reference) -> None:
    assert parse_reference(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty image reference"),
        ("Nginx", "must be lowercase"),
        ("nginx:", "invalid tag"),
        ("nginx:-x", "invalid tag"),
        ("nginx@sha256:short", "invalid digest"),
        ("nginx :1", "whitespace"),
        ("a//b", "invalid repository name"),
    ],
)
def test_invalid_references(text: str, reason: str) -> None:
    with pytest.raises(InvalidReference, match=reason):
        parse_reference(text)


def test_str_round_trip() -> None:
    assert str(parse_reference("nginx")) == "docker.io/library/nginx:latest"
    assert parse_reference("ghcr.io/a/b:1@" + D).reference == D


def test_endpoints_mirror_plain_http_and_hub() -> None:
    client = RegistryClient(
        mirrors={"docker.io": "127.0.0.1:5000/hub"}, plain_http=frozenset({"reg.internal:8080"})
    )
    ep = client.endpoint(parse_reference("nginx"))
    assert (ep.base_url, ep.repository, ep.host) == (
        "http://127.0.0.1:5000",
        "hub/library/nginx",
        "docker.io",
    )
    assert (
        client.endpoint(parse_reference("reg.internal:8080/a")).base_url
        == "http://reg.internal:8080"
    )
    assert client.endpoint(parse_reference("ghcr.io/a/b")).base_url == "https://ghcr.io"
    assert (
        RegistryClient().endpoint(parse_reference("nginx")).base_url
        == "https://registry-1.docker.io"
    )
    assert (
        RegistryClient().endpoint(parse_reference("localhost:5000/a")).base_url
        == "http://localhost:5000"
    )


def test_challenge_parsing() -> None:
    scheme, params = parse_challenge(
        'Bearer realm="https://auth.test/token",service="reg.test",scope="repository:a/b:pull"'
    )
    assert scheme == "bearer"
    assert params == {
        "realm": "https://auth.test/token",
        "service": "reg.test",
        "scope": "repository:a/b:pull",
    }
    assert parse_challenge('Basic realm="x"') == ("basic", {"realm": "x"})


def write_config(tmp_path: Path, doc: object, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "config.json").write_text(json.dumps(doc))
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))


def test_credentials_from_auths_helpers_and_auth_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    helper = tmp_path / "bin" / "docker-credential-fake"
    helper.parent.mkdir()
    helper.write_text(
        "#!/bin/sh\nread server\n"
        'echo "{\\"Username\\":\\"helper-$server\\",\\"Secret\\":\\"s3\\"}"\n'
    )
    helper.chmod(helper.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{helper.parent}{os.pathsep}{os.environ['PATH']}")
    auth = base64.b64encode(b"alice:pw1").decode()
    write_config(
        tmp_path,
        {
            "auths": {
                "https://index.docker.io/v1/": {"auth": auth},
                "reg.test": {"username": "bob", "password": "pw2"},
            },
            "credHelpers": {"helped.test": "fake"},
        },
        monkeypatch,
    )
    hub = credentials_for("docker.io")
    assert hub is not None and (hub.username, hub.password) == ("alice", "pw1")
    assert "pw1" not in repr(hub)
    reg = credentials_for("reg.test")
    assert reg is not None and (reg.username, reg.password) == ("bob", "pw2")
    helped = credentials_for("helped.test")
    assert helped is not None and (helped.username, helped.password) == ("helper-helped.test", "s3")
    assert credentials_for("other.test") is None
    podman = tmp_path / "auth.json"
    podman.write_text(
        json.dumps({"auths": {"other.test": {"auth": base64.b64encode(b"carol:pw3").decode()}}})
    )
    monkeypatch.setenv("REGISTRY_AUTH_FILE", str(podman))
    other = credentials_for("other.test")
    assert other is not None and other.username == "carol"


def token_registry(password: str) -> FakeRegistry:
    reg = FakeRegistry()
    reg.add("team/app", "1", build_image({"/app": File(b"a", 0o755)}, entrypoint=["/app"]))
    want_basic = "Basic " + base64.b64encode(f"bob:{password}".encode()).decode()

    def auth(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == "/token":
            if request.headers.get("Authorization") != want_basic:
                return httpx.Response(401)
            assert request.url.params["scope"] == "repository:team/app:pull"
            return httpx.Response(200, json={"token": "tok-123"})
        if request.headers.get("Authorization") != "Bearer tok-123":
            return httpx.Response(
                401,
                headers={
                    "WWW-Authenticate": ('Bearer realm="https://reg.test/token",service="reg.test"')
                },
            )
        return None

    reg.faults.append(auth)
    return reg


def test_bearer_token_with_configured_credentials(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(
        tmp_path, {"auths": {"reg.test": {"username": "bob", "password": "pw"}}}, monkeypatch
    )
    reg = token_registry("pw")
    got = gather_images(
        ["reg.test/team/app:1"], ImageOptions(cache_dir=tmp_path / "c", transport=reg.transport())
    )["reg.test/team/app:1"]
    assert isinstance(got, ImageFacts) and got.entrypoint == ("/app",)
    token_calls = [r for r in reg.seen if r.url.path == "/token"]
    assert len(token_calls) == 1  # the token is reused for the config and layer blobs


def test_refused_credentials_are_unverifiable_and_not_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(
        tmp_path,
        {"auths": {"reg.test": {"username": "bob", "password": "wrong-secret"}}},
        monkeypatch,
    )
    reg = token_registry("pw")
    got = gather_images(
        ["reg.test/team/app:1"], ImageOptions(cache_dir=tmp_path / "c", transport=reg.transport())
    )["reg.test/team/app:1"]
    assert got == ImageProblem(
        "unverifiable", "reg.test/team/app:1: reg.test: access denied by the token service"
    )
    assert "wrong-secret" not in repr(got)


@pytest.mark.parametrize(
    ("auth_host", "host", "realm", "shared"),
    [
        ("ghcr.io", "ghcr.io", "ghcr.io", True),
        ("registry.gitlab.com", "registry.gitlab.com", "gitlab.com", True),
        ("docker.io", "registry-1.docker.io", "auth.docker.io", True),
        ("mirror.corp:5000", "mirror.corp", "auth.docker.io", False),
        ("reg.test", "reg.test", "auth.test", False),
        ("reg.test", "reg.test", "evil.reg.test", False),
        ("10.0.0.5:5000", "10.0.0.5", "0.5", False),
        ("127.0.0.1:5000", "127.0.0.1", "127.0.0.2", False),
    ],
)
def test_which_realms_share_the_registry_credentials(
    auth_host: str, host: str, realm: str, shared: bool
) -> None:
    assert realm_shares_credentials(auth_host, host, realm) is shared


@pytest.mark.parametrize(
    ("ref", "reason", "detail"),
    [
        ("busybox", "docker.io/library/busybox:latest: offline", "offline"),
        ("bitnami/nginx:1.2", "docker.io/bitnami/nginx:1.2: offline", "offline"),
        ("quay.io/a/b:1", "quay.io/a/b:1: 401 Unauthorized", "401 Unauthorized"),
        ("quay.io/a/b:1", "registry unreachable: quay.io", "registry unreachable: quay.io"),
    ],
)
def test_a_problem_detail_leaves_out_the_reference_it_starts_with(
    ref: str, reason: str, detail: str
) -> None:
    """ST302's `image X is unavailable: ...` named the image twice (consul's server)."""
    assert ImageProblem("unverifiable", reason).detail(ref) == detail
