"""Credentials go only to the host they belong to: the mirror gets its own (never Docker
Hub's), a token service on another host gets none unless configured for it, and nothing
travels over plain HTTP to a host off this machine. Real servers: the docker-registry fixture
behind a small gate that demands auth, and token services on 127.0.0.1 and 127.0.0.2."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from testkit.oci import File, push_image
from tests.conftest import Registry
from tests.hostile.netserve import Reply, Server, forward, serve

from seatrial.facts.image import ImageFacts, ImageProblem, ImageResult
from seatrial.images.gather import ImageOptions, gather_images

HUB = ("hubuser", "hub-secret")
MIRROR = ("mirroruser", "mirror-secret")
REALM = ("realmuser", "realm-secret")


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def configure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entries: dict[str, tuple[str, str]]
) -> None:
    auths = {
        host: {"auth": base64.b64encode(f"{u}:{p}".encode()).decode()}
        for host, (u, p) in entries.items()
    }
    (tmp_path / "config.json").write_text(json.dumps({"auths": auths}))
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))


@pytest.fixture(scope="module")
def pushed(registry: Registry) -> Registry:
    push_image(
        registry.url,
        "library/credtest",
        "1",
        files={"/app": File(b"a", 0o755)},
        entrypoint=["/app"],
    )
    return registry


def token_service(host: str) -> Iterator[Server]:
    def answer(method: str, path: str, headers: dict[str, str]) -> Reply:
        who = headers.get("authorization") or "anonymous"
        body = json.dumps({"token": "tok-" + base64.b64encode(who.encode()).decode()})
        return Reply(
            200,
            {"Content-Type": "application/json", "Content-Length": str(len(body))},
            [body.encode()],
        )

    with serve(answer, host) as srv:
        yield srv


@pytest.fixture
def realm_other_host() -> Iterator[Server]:
    yield from token_service("127.0.0.2")


@pytest.fixture
def realm_same_host() -> Iterator[Server]:
    yield from token_service("127.0.0.1")


def gate(upstream: str, challenge: str, ok: str) -> Iterator[Server]:
    """The mirror: answers 401 with `challenge` unless Authorization starts with `ok`."""
    fwd = forward(upstream)

    def handle(method: str, path: str, headers: dict[str, str]) -> Reply:
        if not (headers.get("authorization") or "").startswith(ok):
            return Reply(401, {"WWW-Authenticate": challenge, "Content-Length": "0"})
        return fwd(method, path, headers)

    with serve(handle) as srv:
        yield srv


def resolve(tmp_path: Path, mirror: Server) -> ImageResult:
    ref = "credtest:1"
    return gather_images(
        [ref],
        ImageOptions(cache_dir=tmp_path / "cache", mirrors={"docker.io": mirror.netloc}, retries=0),
    )[ref]


def test_hub_credentials_never_reach_the_mirror_or_a_realm_elsewhere(
    pushed: Registry, realm_other_host: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(tmp_path, monkeypatch, {"https://index.docker.io/v1/": HUB})
    challenge = f'Bearer realm="{realm_other_host.url}/token",service="mirror"'
    for mirror in gate(pushed.url, challenge, "Bearer tok-"):
        got = resolve(tmp_path, mirror)
        assert isinstance(got, ImageFacts), got
        anonymous = "Bearer tok-" + base64.b64encode(b"anonymous").decode()
        assert mirror.authorizations() == {anonymous}
    assert realm_other_host.authorizations() == set()


def test_realm_on_the_mirror_host_gets_the_mirror_credentials(
    pushed: Registry, realm_same_host: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    challenge = f'Bearer realm="{realm_same_host.url}/token",service="mirror"'
    for mirror in gate(pushed.url, challenge, "Bearer tok-"):
        configure(
            tmp_path, monkeypatch, {"https://index.docker.io/v1/": HUB, mirror.netloc: MIRROR}
        )
        got = resolve(tmp_path, mirror)
        assert isinstance(got, ImageFacts), got
        token = "Bearer tok-" + base64.b64encode(basic(*MIRROR).encode()).decode()
        assert mirror.authorizations() == {token}
    assert realm_same_host.authorizations() == {basic(*MIRROR)}


@pytest.mark.parametrize("realm_configured", [False, True])
def test_realm_on_another_host_gets_only_its_own_configured_credentials(
    pushed: Registry,
    realm_other_host: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    realm_configured: bool,
) -> None:
    challenge = f'Bearer realm="{realm_other_host.url}/token",service="mirror"'
    for mirror in gate(pushed.url, challenge, "Bearer tok-"):
        entries = {"https://index.docker.io/v1/": HUB, mirror.netloc: MIRROR}
        if realm_configured:
            entries[realm_other_host.netloc] = REALM
        configure(tmp_path, monkeypatch, entries)
        assert isinstance(resolve(tmp_path, mirror), ImageFacts)
        assert not any(basic(*MIRROR) in a or basic(*HUB) in a for a in mirror.authorizations())
    want = {basic(*REALM)} if realm_configured else set()
    assert realm_other_host.authorizations() == want


def test_basic_challenge_from_the_mirror_gets_the_mirror_credentials(
    pushed: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for mirror in gate(pushed.url, 'Basic realm="mirror"', basic(*MIRROR)):
        configure(tmp_path, monkeypatch, {"https://index.docker.io/v1/": HUB})
        got = resolve(tmp_path, mirror)
        assert got == ImageProblem(
            "unverifiable",
            "docker.io/library/credtest:1: docker.io: "
            "authentication required (no credentials configured)",
        )
        assert mirror.authorizations() == set()
        configure(
            tmp_path, monkeypatch, {"https://index.docker.io/v1/": HUB, mirror.netloc: MIRROR}
        )
        assert isinstance(resolve(tmp_path, mirror), ImageFacts)
        assert mirror.authorizations() == {basic(*MIRROR)}


@pytest.fixture
def proxy_as_remote_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """An HTTP proxy on loopback standing in for `reg.example:5000` and its token service,
    so a plain-HTTP registry off this machine can be tested without a network."""

    def handle(method: str, path: str, headers: dict[str, str]) -> Reply:
        if "/token" in path:  # refuses anonymous requests
            return Reply(401, {"Content-Length": "0"})
        if path.endswith("/basic/manifests/1"):
            return Reply(401, {"WWW-Authenticate": 'Basic realm="r"', "Content-Length": "0"})
        return Reply(
            401,
            {
                "WWW-Authenticate": 'Bearer realm="http://reg.example:5000/token"',
                "Content-Length": "0",
            },
        )

    with serve(handle) as srv:
        for var in (
            "http_proxy",
            "HTTP_PROXY",
            "https_proxy",
            "HTTPS_PROXY",
            "all_proxy",
            "ALL_PROXY",
            "no_proxy",
            "NO_PROXY",
        ):
            monkeypatch.delenv(var, raising=False)
        monkeypatch.setenv("http_proxy", srv.url)
        yield srv


@pytest.mark.parametrize(
    ("repo", "reason"),
    [
        (
            "basic",
            "reg.example:5000: authentication required "
            "(credentials are never sent over plain HTTP to reg.example)",
        ),
        (
            "bearer",
            "reg.example:5000: access denied by the token service "
            "(credentials are never sent over plain HTTP to reg.example)",
        ),
    ],
)
def test_nothing_travels_over_plain_http_off_this_machine(
    proxy_as_remote_registry: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    repo: str,
    reason: str,
) -> None:
    configure(tmp_path, monkeypatch, {"reg.example:5000": MIRROR, "reg.example": MIRROR})
    ref = f"reg.example:5000/{repo}:1"
    got = gather_images(
        [ref],
        ImageOptions(
            cache_dir=tmp_path / "c", retries=0, plain_http=frozenset({"reg.example:5000"})
        ),
    )[ref]
    assert isinstance(got, ImageProblem) and got.kind == "unverifiable"
    assert got.reason.startswith(f"{ref}: {reason}"), got.reason
    seen = proxy_as_remote_registry.seen
    assert seen and all(s.path.startswith("http://reg.example:5000/") for s in seen)
    assert {s.authorization for s in seen} == {None}


def test_redirects_to_another_host_carry_no_credentials(
    pushed: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A token service that redirects elsewhere, and blobs served from a CDN on another host
    (as Docker Hub does): neither the password nor the bearer token follows."""
    fwd = forward(pushed.url)
    token = b'{"token": "cdn-t"}'

    def cdn_answer(method: str, path: str, headers: dict[str, str]) -> Reply:
        return fwd(method, path.removeprefix("/cdn"), headers)

    def elsewhere_answer(method: str, path: str, headers: dict[str, str]) -> Reply:
        return Reply(200, {"Content-Length": str(len(token))}, [token])

    with serve(cdn_answer, "127.0.0.2") as cdn, serve(elsewhere_answer, "127.0.0.2") as elsewhere:

        def realm_answer(method: str, path: str, headers: dict[str, str]) -> Reply:
            return Reply(307, {"Location": f"{elsewhere.url}/token", "Content-Length": "0"})

        with serve(realm_answer) as realm:
            challenge = f'Bearer realm="{realm.url}/token",service="mirror"'

            def handle(method: str, path: str, headers: dict[str, str]) -> Reply:
                if headers.get("authorization") != "Bearer cdn-t":
                    return Reply(401, {"WWW-Authenticate": challenge, "Content-Length": "0"})
                if "/blobs/" in path:
                    return Reply(307, {"Location": f"{cdn.url}/cdn{path}", "Content-Length": "0"})
                return fwd(method, path, headers)

            with serve(handle) as mirror:
                configure(tmp_path, monkeypatch, {mirror.netloc: MIRROR})
                got = resolve(tmp_path, mirror)
                assert isinstance(got, ImageFacts), got
            assert realm.authorizations() == {basic(*MIRROR)}
    assert elsewhere.seen and elsewhere.authorizations() == set()
    assert any("/blobs/" in s.path for s in cdn.seen)
    assert cdn.authorizations() == set()
