"""Shared pytest fixtures.

`registry`: a real OCI registry (Debian's `docker-registry`, distribution 2.8) on a free
127.0.0.1 port for the whole session, with filesystem storage in a temp dir. Push images to it
with testkit/oci.py:

    from testkit.oci import push_image

    def test_x(registry):
        digest = push_image(registry.url, "team/app", "v1", files={"/bin/app": b"..."})
        registry.host           # "127.0.0.1:PORT", for --registry-mirror docker.io=...
        registry.access_log()   # list[str] of access-log lines so far
        registry.blob_gets()    # ["/v2/team/app/blobs/sha256:...", ...] GETs of blobs so far

Repositories are shared by the whole session: use a repository name unique to your test.
The session also points SEATRIAL_CACHE_DIR and DOCKER_CONFIG at empty temp dirs so tests never
read the user's cache or credentials, and sets SEATRIAL_NO_CACHE (no persistent results cache).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so `from testkit.oci import ...` works from any test dir
    sys.path.insert(0, str(ROOT))

from testkit.registry import REGISTRY_BIN, Registry, run_registry  # noqa: E402


@pytest.fixture(scope="session")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    if not shutil.which(REGISTRY_BIN):
        pytest.fail("docker-registry is not installed (apt-get install docker-registry)")
    with run_registry(tmp_path_factory.mktemp("registry")) as reg:
        yield reg


@pytest.fixture(scope="session", autouse=True)
def _hermetic_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test reads the user's image cache or registry credentials."""
    cache = tmp_path_factory.mktemp("seatrial-cache")
    docker_config = tmp_path_factory.mktemp("docker-config")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SEATRIAL_CACHE_DIR", str(cache))
        mp.setenv("DOCKER_CONFIG", str(docker_config))
        # results are cached only in the tests of that cache: other tests run every time
        mp.setenv("SEATRIAL_NO_CACHE", "1")
        mp.delenv("REGISTRY_AUTH_FILE", raising=False)
        os.environ.pop("SEATRIAL_REGISTRY_DEBUG", None)
        yield
