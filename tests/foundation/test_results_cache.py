"""The persistent results cache (seatrial.runcache): a hit never starts the Helm engine, any
input that changes the result misses, a broken entry is rebuilt, secrets are not stored."""

from __future__ import annotations

import gzip
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from testkit.oci import File, push_image
from tests.conftest import Registry

from seatrial import runcache
from seatrial.cli import main
from seatrial.commands import check as command

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
      annotations:
        token: {{ .Values.token | quote }}
    spec:
      containers:
        - name: web
          image: {{ .Values.image }}
          command: ["/bin/web"]
"""


@pytest.fixture
def engines(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The chart of every matrix rendered (none on a cache hit: the engine never starts)."""
    started: list[str] = []
    real = command.render

    def counting(target: str, opts: Any) -> Any:
        started.append(target)
        return real(target, opts)

    monkeypatch.setattr(command, "render", counting)
    return started


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv("SEATRIAL_CACHE_DIR", str(root))
    monkeypatch.delenv("SEATRIAL_NO_CACHE", raising=False)
    return root / "results" / f"v{runcache.FORMAT}"


def make_chart(root: Path, image: str = "example.invalid/web:1") -> Path:
    chart = root / "web"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: web\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text(f"image: {image}\ntoken: plain\n")
    (chart / "templates" / "deploy.yaml").write_text(DEPLOY)
    return chart


def check(chart: Path, *extra: str) -> Result:
    res = CliRunner().invoke(
        main,
        ["check", str(chart), "--kube-versions", "1.33", "--no-modes", "--format", "json", *extra],
        catch_exceptions=False,
    )
    assert res.exit_code in (0, 1), res.output
    return res


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json.gz"))


def test_an_unchanged_chart_is_not_rendered_again(
    tmp_path: Path, cache: Path, engines: list[str]
) -> None:
    chart = make_chart(tmp_path)
    first = check(chart, "--offline")
    assert len(engines) == 1 and len(entries(cache)) == 1
    second = check(chart, "--offline")
    assert len(engines) == 1  # the engine never started
    assert second.stdout == first.stdout and second.exit_code == first.exit_code
    findings = json.loads(second.stdout)["findings"]
    assert [(f["check"], f["object"]["name"]) for f in findings] == [("ST204", "release-name-web")]


@pytest.mark.parametrize(
    "change", ["template", "values file", "option", "seatrial version", "subchart"]
)
def test_a_one_byte_change_misses(
    change: str, tmp_path: Path, cache: Path, engines: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = make_chart(tmp_path)
    values = tmp_path / "mine.yaml"
    values.write_text("token: abc\n")
    args = ["--offline", "-f", str(values), "--set", "image=example.invalid/web:1"]
    check(chart, *args)
    check(chart, *args)
    assert len(engines) == 1
    if change == "template":
        path = chart / "templates" / "deploy.yaml"
        path.write_text(path.read_text().replace("/bin/web", "/bin/wex"))
    elif change == "values file":
        values.write_text("token: abd\n")
    elif change == "option":
        args[-1] = "image=example.invalid/web:2"
    elif change == "seatrial version":
        monkeypatch.setattr(runcache, "__version__", runcache.__version__ + "x")
    else:
        sub = chart / "charts" / "sub"
        (sub / "templates").mkdir(parents=True)
        (sub / "Chart.yaml").write_text("apiVersion: v2\nname: sub\nversion: 0.1.0\n")
    check(chart, *args)
    assert len(engines) == 2
    check(chart, *args)
    assert len(engines) == 2  # the new result was stored


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "other key"])
def test_a_broken_entry_is_rebuilt(
    damage: str, tmp_path: Path, cache: Path, engines: list[str]
) -> None:
    chart = make_chart(tmp_path)
    first = check(chart, "--offline")
    [entry] = entries(cache)
    data = entry.read_bytes()
    if damage == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        entry.write_bytes(b"\x00not gzip")
    elif damage == "empty":
        entry.write_bytes(b"")
    else:
        doc = json.loads(gzip.decompress(data))
        doc["key"] = "0" * 64
        entry.write_bytes(gzip.compress(json.dumps(doc).encode()))
    again = check(chart, "--offline")
    assert again.stdout == first.stdout and again.stderr == ""  # no traceback, no noise
    assert len(engines) == 2
    check(chart, "--offline")
    assert len(engines) == 2  # rewritten whole


def test_entries_are_private_and_hold_no_set_value(
    tmp_path: Path, cache: Path, engines: list[str]
) -> None:
    chart = make_chart(tmp_path)
    secret = "hunter2-s3cr3t-value"
    check(chart, "--offline", "--set", f"token={secret}", "--set-string", f"x={secret}")
    [entry] = entries(cache)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert secret.encode() not in gzip.decompress(entry.read_bytes())


def test_no_cache_neither_reads_nor_writes(tmp_path: Path, cache: Path, engines: list[str]) -> None:
    chart = make_chart(tmp_path)
    check(chart, "--offline", "--no-cache")
    assert not cache.exists()
    check(chart, "--offline")
    check(chart, "--offline", "--no-cache")
    assert len(engines) == 3


def test_the_cache_stays_within_its_bound(
    tmp_path: Path, cache: Path, engines: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = make_chart(tmp_path)
    check(chart, "--offline")
    size = entries(cache)[0].stat().st_size
    monkeypatch.setenv("SEATRIAL_RESULT_CACHE_MB", str(2.5 * size / 2**20))
    for tag in ("2", "3", "4"):
        check(chart, "--offline", "--set", f"image=example.invalid/web:{tag}")
    assert len(entries(cache)) == 2


def test_images_that_moved_miss(
    registry: Registry, tmp_path: Path, cache: Path, engines: list[str]
) -> None:
    """Offline, an image pulled into the image cache since changes the result; online, a tag
    pushed again (same name, new digest) does."""
    image = f"{registry.host}/runcache/web:1"
    script = File(b"#!/bin/sh\n", mode=0o755)
    push_image(
        registry.url, "runcache/web", "1", files={"/bin/web": script}, entrypoint=["/bin/web"]
    )
    chart = make_chart(tmp_path, image)

    def ids(res: Result) -> list[str]:
        return sorted(f["check"] for f in json.loads(res.stdout)["findings"])

    assert ids(check(chart, "--offline")) == ["ST204"]  # never resolved into the cache
    assert ids(check(chart)) == []  # online: resolved, and now in the image cache
    assert len(engines) == 2
    assert ids(check(chart, "--offline")) == []  # the cached offline result is stale
    assert len(engines) == 3
    check(chart)
    assert len(engines) == 3  # the tag did not move
    push_image(
        registry.url, "runcache/web", "1", files={"/bin/other": script}, entrypoint=["/bin/web"]
    )
    assert ids(check(chart)) == ["ST203"]  # /bin/web is gone from the image now
    assert len(engines) == 4


def test_the_engine_fingerprint_names_the_installed_sdk_and_its_library() -> None:
    """The key names helm-python-sdk's version (read from its installed metadata folder, not
    importlib.metadata: every run, warm ones included, computes it) and its library's file."""
    import importlib.metadata

    from seatrial.render.helm import sdk_fingerprint

    name, version, lib = sdk_fingerprint().split(" ")
    assert name == "helm-python-sdk"
    assert version == importlib.metadata.version("helm-python-sdk")
    assert lib != "unknown" and lib.count("-") == 1
