"""A real OCI registry (Debian's `docker-registry`, distribution 2.8) on a free 127.0.0.1
port, with filesystem storage under a given directory: `run_registry(base)`. Push images to it
with testkit/oci.py. tests/conftest.py serves it as the session fixture `registry`; the
benchmarks start their own."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

REGISTRY_BIN = "/usr/bin/docker-registry"

_CONFIG = """\
version: 0.1
log:
  level: warn
  formatter: text
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: {root}
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:{port}
  secret: seatrial-tests
health:
  storagedriver:
    enabled: false
"""

_REQUEST = re.compile(r'"(GET|HEAD|PUT|POST|PATCH|DELETE) (\S+) HTTP/[\d.]+" (\d{3})')


@dataclass(frozen=True)
class Registry:
    url: str  # http://127.0.0.1:PORT
    host: str  # 127.0.0.1:PORT
    access_log_path: Path

    def access_log(self) -> list[str]:
        return self.access_log_path.read_text(errors="replace").splitlines()

    def requests(self) -> list[tuple[str, str, int]]:
        """(method, path, status) of every request so far, in order."""
        out = []
        for line in self.access_log():
            m = _REQUEST.search(line)
            if m:
                out.append((m.group(1), m.group(2), int(m.group(3))))
        return out

    def blob_gets(self) -> list[str]:
        """Paths of the successful blob GETs so far (configs and layers downloaded)."""
        return [p for m, p, s in self.requests() if m == "GET" and "/blobs/" in p and s < 400]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(url: str, proc: subprocess.Popen[bytes], stderr_path: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"docker-registry exited: {stderr_path.read_text()[-2000:]}")
        try:
            if httpx.get(f"{url}/v2/", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError("docker-registry did not answer /v2/ within 20s")


@contextmanager
def run_registry(base: Path) -> Iterator[Registry]:
    """Start docker-registry with its storage and logs under `base`; stop it on exit (also
    used by bench/image_index.py)."""
    if not shutil.which(REGISTRY_BIN):
        raise RuntimeError("docker-registry is not installed (apt-get install docker-registry)")
    port = free_port()
    config = base / "config.yml"
    config.write_text(_CONFIG.format(root=base / "storage", port=port))
    access_log = base / "access.log"
    stderr_log = base / "registry.log"
    # distribution 2.8 writes its access log to stdout and its own log to stderr
    with access_log.open("wb") as out, stderr_log.open("wb") as err:
        proc = subprocess.Popen(
            [REGISTRY_BIN, "serve", str(config)], stdout=out, stderr=err, stdin=subprocess.DEVNULL
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, proc, stderr_log)
        yield Registry(url, f"127.0.0.1:{port}", access_log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
