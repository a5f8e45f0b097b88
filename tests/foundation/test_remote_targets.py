"""Charts that live elsewhere: `oci://` (the real test registry), `REPO/CHART` from the user's
Helm repositories (a loopback HTTP repository: index.yaml + archives served by http.server),
and chart URLs. Each is pulled and checked like the archive it is; every failure is one line,
exit 2. The chart is the bundled S1 reproduction: ST102 at templates/daemonset.yaml:22."""

from __future__ import annotations

import functools
import hashlib
import http.server
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import helm_python
import pytest
import yaml
from tests.cli_runner import Run as Result
from tests.cli_runner import run
from tests.foundation.helpers import EXAMPLES

S1 = ("ST102", "templates/daemonset.yaml", 22)


@dataclass(frozen=True)
class HelmRepo:
    url: str
    root: Path


@pytest.fixture(scope="module")
def s1_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pkg")
    return Path(helm_python.package(str(EXAMPLES / "s1-manager-kind"), destination=str(out)))


@pytest.fixture(scope="module")
def oci_chart(registry, s1_archive: Path) -> str:  # type: ignore[no-untyped-def]
    helm_python.push(str(s1_archive), f"oci://{registry.host}/remote-targets", plain_http=True)
    return f"oci://{registry.host}/remote-targets/capsule"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def helm_repo(tmp_path_factory: pytest.TempPathFactory, s1_archive: Path) -> Iterator[HelmRepo]:
    root = tmp_path_factory.mktemp("helm-repo")
    shutil.copy(s1_archive, root)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root))
    )
    url = f"http://127.0.0.1:{server.server_address[1]}/charts"
    (root / "charts").mkdir()
    shutil.move(str(root / s1_archive.name), root / "charts" / s1_archive.name)
    helm_python.repo_index_generate(root / "charts", base_url=url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield HelmRepo(url, root / "charts")
    finally:
        server.shutdown()


@pytest.fixture()
def helm_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helm_repo: HelmRepo) -> Path:
    """A repositories.yaml naming the loopback repository `local` (no cached index)."""
    config = tmp_path / "repositories.yaml"
    config.write_text(
        yaml.safe_dump(
            {"apiVersion": "", "repositories": [{"name": "local", "url": helm_repo.url}]}
        )
    )
    monkeypatch.setenv("HELM_REPOSITORY_CONFIG", str(config))
    monkeypatch.setenv("HELM_REPOSITORY_CACHE", str(tmp_path / "cache"))
    return tmp_path


def s1_found(res: Result) -> set[tuple[str, str, int]]:
    return {
        (f["check"], f["source"]["file"], f["source"]["line"])
        for f in res.findings()
        if f["severity"] == "error"
    }


def one_line_error(res: Result) -> str:
    assert res.code == 2, (res.code, res.out, res.err)
    lines = res.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("seatrial: error: "), res.err
    return lines[0].removeprefix("seatrial: error: ")


def test_oci_chart_with_version(oci_chart: str) -> None:
    res = run("check", oci_chart, "--version", "0.7.2", "--no-images", "--format", "json")
    assert res.code == 1, res.err
    assert s1_found(res) == {S1}


def test_oci_chart_newest_tag_without_version(oci_chart: str) -> None:
    res = run("check", oci_chart, "--no-images", "--format", "json")
    assert (res.code, s1_found(res)) == (1, {S1})


def test_oci_wrong_version_and_unknown_chart_are_one_line(oci_chart: str) -> None:
    msg = one_line_error(run("check", oci_chart, "--version", "9.9.9", "--no-images"))
    assert msg.startswith(f"{oci_chart}: cannot pull version 9.9.9: ") and "not found" in msg
    missing = oci_chart.replace("/capsule", "/no-such-chart")
    msg = one_line_error(run("check", missing, "--no-images"))
    assert msg.startswith(f"{missing}: cannot pull: ") and "404" in msg


def test_unreachable_registry_is_one_line() -> None:
    msg = one_line_error(run("check", "oci://127.0.0.1:9/charts/x", "--no-images"))
    assert msg.startswith("oci://127.0.0.1:9/charts/x: cannot pull: ")
    assert "connection refused" in msg


def test_oci_through_a_mirror_when_offline(oci_chart: str, registry) -> None:  # type: ignore[no-untyped-def]
    """An air-gapped CI names the public registry and pulls from its mirror on loopback."""
    public = oci_chart.replace(registry.host, "ghcr.io")
    res = run(
        "check",
        public,
        "--offline",
        "--version",
        "0.7.2",
        "--no-images",
        "--registry-mirror",
        f"ghcr.io={registry.host}",
        "--format",
        "json",
    )
    assert (res.code, s1_found(res)) == (1, {S1}), res.err


@pytest.mark.parametrize(
    "target", ["oci://ghcr.io/org/charts/x", "https://charts.example.com/x-1.0.0.tgz"]
)
def test_offline_refuses_pulls_off_this_machine(target: str) -> None:
    msg = one_line_error(run("check", target, "--offline", "--no-images"))
    host = target.split("/")[2]
    assert msg == (
        f"{target}: pulling from {host} reaches the network; --offline forbids "
        "it: pull through a mirror on this machine (--registry-mirror), or run "
        "without --offline"
    )


def test_repo_chart_from_the_helm_repositories_file(helm_home: Path) -> None:
    res = run("check", "local/capsule", "--no-images", "--format", "json")
    assert (res.code, s1_found(res)) == (1, {S1}), res.err
    res = run("check", "local/capsule", "--version", "0.7.2", "--no-images", "--format", "json")
    assert (res.code, s1_found(res)) == (1, {S1}), res.err


def test_repo_chart_reads_helms_cached_index(helm_home: Path, helm_repo: HelmRepo) -> None:
    """With `helm repo update`'s cache present, the index is read from it: here the cached
    index knows a version the served one does not."""
    cache = helm_home / "cache"
    cache.mkdir()
    index = yaml.safe_load((helm_repo.root / "index.yaml").read_text())
    index["entries"]["capsule"][0]["version"] = "0.7.3"
    (cache / "local-index.yaml").write_text(yaml.safe_dump(index))
    res = run("check", "local/capsule", "--version", "0.7.3", "--no-images", "--format", "json")
    assert (res.code, s1_found(res)) == (1, {S1}), res.err


def test_repo_errors_are_one_line(helm_home: Path, helm_repo: HelmRepo) -> None:
    assert one_line_error(run("check", "local/capsule", "--version", "9.9.9")) == (
        "local/capsule: no version 9.9.9 of capsule in the repository (newest: 0.7.2)"
    )
    assert one_line_error(run("check", "local/nope")) == (
        f"local/nope: no chart 'nope' in repository local ({helm_repo.url})"
    )
    msg = one_line_error(run("check", "other/capsule"))
    assert msg == (
        f"other/capsule: no such file or directory, and no repository 'other' in "
        f"{helm_home / 'repositories.yaml'} (helm repo add other URL)"
    )
    (helm_home / "cache").mkdir()
    (helm_home / "cache" / "local-index.yaml").write_text("entries: [1, 2\n")
    msg = one_line_error(run("check", "local/capsule"))
    assert msg.startswith(
        f"{helm_home / 'cache' / 'local-index.yaml'}: not a Helm repository index: "
    )


def test_repo_archive_must_match_the_index_digest(
    helm_home: Path, helm_repo: HelmRepo, s1_archive: Path
) -> None:
    (helm_home / "cache").mkdir()
    index = yaml.safe_load((helm_repo.root / "index.yaml").read_text())
    assert (
        index["entries"]["capsule"][0]["digest"]
        == hashlib.sha256(s1_archive.read_bytes()).hexdigest()
    )
    index["entries"]["capsule"][0]["digest"] = "0" * 64
    (helm_home / "cache" / "local-index.yaml").write_text(yaml.safe_dump(index))
    msg = one_line_error(run("check", "local/capsule"))
    assert msg == (
        f"local/capsule: {helm_repo.url}/capsule-0.7.2.tgz does not match the "
        "digest in the repository index; refusing"
    )


def test_chart_url(helm_repo: HelmRepo) -> None:
    url = f"{helm_repo.url}/capsule-0.7.2.tgz"
    res = run("check", url, "--no-images", "--format", "json")
    assert (res.code, s1_found(res)) == (1, {S1}), res.err
    assert one_line_error(run("check", f"{helm_repo.url}/nope-1.0.0.tgz")) == (
        f"{helm_repo.url}/nope-1.0.0.tgz: chart archive {helm_repo.url}/nope-1.0.0.tgz: HTTP 404"
    )


def test_a_url_that_is_no_chart_archive_is_one_line(helm_repo: HelmRepo) -> None:
    msg = one_line_error(run("check", f"{helm_repo.url}/index.yaml", "--no-images"))
    assert "not a readable chart archive" in msg


def test_matrix_takes_a_remote_target(oci_chart: str) -> None:
    res = run("matrix", oci_chart, "--version", "0.7.2", "--format", "json")
    assert res.code == 0, res.err
    assert any(c["name"] != "defaults" for c in res.json()["cells"])


def test_version_without_a_remote_target_is_a_usage_error() -> None:
    res = run("check", EXAMPLES / "s1-manager-kind", "--version", "1.0.0", "--no-images")
    assert (res.code, res.err) == (
        2,
        "seatrial: error: --version applies to oci:// and REPO/CHART targets\n",
    )


def test_oci_pull_uses_the_registrys_credentials(
    oci_chart: str,
    registry,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As for images: the credentials of the host contacted (Docker's config.json), sent to
    that host only; without them, one line and never the password."""
    from tests.hostile.test_registry_credentials import basic, configure, gate

    user, password = "chartuser", "chart-secret-1"
    for gated in gate(registry.url, 'Basic realm="charts"', basic(user, password)):
        target = oci_chart.replace(registry.host, gated.netloc)
        configure(tmp_path, monkeypatch, {})
        msg = one_line_error(run("check", target, "--version", "0.7.2", "--no-images"))
        assert msg.startswith(f"{target}: cannot pull version 0.7.2: ")
        configure(tmp_path, monkeypatch, {gated.netloc: (user, password)})
        res = run("check", target, "--version", "0.7.2", "--no-images", "--format", "json")
        assert (res.code, s1_found(res)) == (1, {S1}), res.err
        assert password not in res.out + res.err
        assert basic(user, password) in gated.authorizations()


def test_repository_credentials_go_to_its_own_host_only(
    helm_home: Path, helm_repo: HelmRepo, s1_archive: Path
) -> None:
    """The repository's username and password reach the repository's host (its index), not
    an archive URL on another host (here another port)."""
    from tests.hostile.test_registry_credentials import basic, gate

    user, password = "repouser", "repo-secret-1"
    upstream = helm_repo.url.rsplit("/", 1)[0]
    for repo in gate(upstream, 'Basic realm="repo"', basic(user, password)):
        for elsewhere in gate(upstream, 'Basic realm="x"', ""):  # accepts anyone, records
            (helm_home / "repositories.yaml").write_text(
                yaml.safe_dump(
                    {
                        "repositories": [
                            {
                                "name": "local",
                                "url": f"{repo.url}/charts",
                                "username": user,
                                "password": password,
                            }
                        ]
                    }
                )
            )
            res = run("check", "local/capsule", "--no-images", "--format", "json")
            assert (res.code, s1_found(res)) == (1, {S1}), res.err
            assert repo.authorizations() == {basic(user, password)}  # the index
            index = yaml.safe_load((helm_repo.root / "index.yaml").read_text())
            index["entries"]["capsule"][0]["urls"] = [f"{elsewhere.url}/charts/{s1_archive.name}"]
            (helm_home / "cache").mkdir(exist_ok=True)
            (helm_home / "cache" / "local-index.yaml").write_text(yaml.safe_dump(index))
            res = run("check", "local/capsule", "--no-images", "--format", "json")
            assert (res.code, s1_found(res)) == (1, {S1}), res.err
            assert elsewhere.authorizations() == set()
            assert password not in res.out + res.err


def test_errors_name_the_target_not_the_scratch_archive(
    helm_repo: HelmRepo, tmp_path: Path
) -> None:
    broken = tmp_path / "broken"
    (broken / "templates").mkdir(parents=True)
    (broken / "Chart.yaml").write_text("apiVersion: v2\nname: broken\nversion: 1.0.0\n")
    (broken / "templates" / "cm.yaml").write_text('{{ fail "nope" }}\n')
    helm_python.package(str(broken), destination=str(helm_repo.root))
    url = f"{helm_repo.url}/broken-1.0.0.tgz"
    msg = one_line_error(run("check", url, "--no-images", "--offline"))
    assert msg.startswith(f"{url}: every cell failed to render"), msg
