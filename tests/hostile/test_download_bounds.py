"""Asset downloads are streamed, hashed as they arrive and bounded: an endless body stops at
the size cap (nothing kept on disk), a declared oversize is refused before reading, and a
trickling server is cut at the deadline. One error line each, never a traceback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from tests.hostile.netserve import Reply, endless, serve

from seatrial.assets import download
from seatrial.errors import SourceError

CAP = 1 << 20


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SEATRIAL_CACHE_DIR", str(tmp_path))
    return tmp_path / "assets"


def fetch_fails(reply: Reply, *, deadline: float = 3.0) -> tuple[str, str]:
    with serve(lambda *_: reply) as srv:
        url = f"{srv.url}/crictl.tar.gz"
        start = time.monotonic()
        with pytest.raises(SourceError) as err:
            download.fetch(url, None, deadline=deadline, max_bytes=CAP)
        assert time.monotonic() - start < 30
    return str(err.value), url


def stored(cache: Path) -> list[Path]:
    return [p for p in cache.rglob("*") if p.is_file()]


def test_endless_body_stops_at_the_cap_and_leaves_nothing(_cache: Path) -> None:
    message, url = fetch_fails(Reply(200, {}, endless()))
    assert message == f"cannot download {url}: larger than the {CAP} bytes allowed"
    assert stored(_cache) == []


def test_declared_oversize_is_refused_before_reading(_cache: Path) -> None:
    message, url = fetch_fails(Reply(200, {"Content-Length": str(3 << 30)}, endless()))
    assert message == (f"cannot download {url}: {3 << 30} bytes is more than the {CAP} allowed")
    assert stored(_cache) == []


def test_trickling_server_is_cut_at_the_deadline(_cache: Path) -> None:
    message, url = fetch_fails(
        Reply(200, {"Content-Length": "1000"}, (b"x" for _ in range(1000)), delay=0.5)
    )
    assert message == f"cannot download {url}: no complete answer within the deadline"
    assert stored(_cache) == []


def test_a_body_within_the_cap_is_stored_under_its_hash(_cache: Path) -> None:
    import hashlib

    body = b"k" * 4096
    with serve(lambda *_: Reply(200, {"Content-Length": str(len(body))}, [body])) as srv:
        path = download.fetch(f"{srv.url}/a.bin", None, max_bytes=CAP)
    assert path == _cache / "sha256" / hashlib.sha256(body).hexdigest()
    assert path.read_bytes() == body


def test_offline_assets_come_only_from_the_cache(_cache: Path) -> None:
    """`seatrial assets --offline URL` never downloads: a cached hash is used, anything else is
    one line, exit 2, and the server is never contacted."""
    import hashlib
    import io
    import json
    import tarfile

    from tests.cli_runner import invoke

    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w:gz") as tf:
        info = tarfile.TarInfo("crictl")
        info.size = 3
        tf.addfile(info, io.BytesIO(b"bin"))
    body = raw.getvalue()
    with serve(lambda *_: Reply(200, {"Content-Length": str(len(body))}, [body])) as srv:
        url = f"{srv.url}/crictl.tar.gz"
        r = invoke("assets", "--offline", url, catch_exceptions=False)
        assert r.exit_code == 2
        assert r.stderr == (
            f"seatrial: error: {url}: not in the cache, and --offline forbids "
            "downloading it (only a URL with #sha256= can be found in the "
            "cache)\n"
        )
        digest = hashlib.sha256(body).hexdigest()
        r = invoke("assets", "--offline", f"{url}#sha256={digest}", catch_exceptions=False)
        assert r.exit_code == 2 and "not in the cache" in r.stderr
        assert srv.seen == []
        download.fetch(url, digest)  # online: downloaded once into the cache
        r = invoke(
            "assets",
            "--offline",
            "--format",
            "json",
            f"{url}#sha256={digest}",
            catch_exceptions=False,
        )
        assert len(srv.seen) == 1, srv.seen
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["findings"] == []
