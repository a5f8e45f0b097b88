"""An air-gapped CI: the whole `seatrial check` of a chart whose dependency lives on ghcr.io
and whose image lives on Docker Hub runs in a network namespace without a route, with a
registry mirror on the namespace's own loopback (`--registry-mirror`). The dependency is
fetched and rendered, the image is opened (ST203 decided, no ST204), and nothing waits on the
network. The same run with `--offline` and a mirror fetches the dependency too."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import helm_python
import pytest
from testkit.oci import File, push_image
from tests.hostile.test_offline import _isolation

ROOT = Path(__file__).resolve().parents[2]

COMMON = (
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-common\n"
    "data:\n  from: subchart\n"
)
DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers:
        - name: app
          image: {{ .Values.image }}
          command: [{{ .Values.program | quote }}]
"""

#: runs inside the namespace: loopback up, a registry on the chart storage, then the check
DRIVER = """\
import socket, subprocess, sys, time, urllib.request
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
config, port, args = sys.argv[1], sys.argv[2], sys.argv[3:]
reg = subprocess.Popen(["/usr/bin/docker-registry", "serve", config],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/", timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    proc = subprocess.run([sys.executable, "-c", "from seatrial.cli import main; main()",
                           *args], capture_output=True, text=True, timeout=150)
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    sys.exit(proc.returncode)
finally:
    reg.terminate()
    reg.wait()
"""


@pytest.fixture(scope="module")
def published(registry, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    """The mirror's content: the dependency under mirror/org/charts, the image under
    library-less org/app. Returns the registry's storage root."""
    tmp = tmp_path_factory.mktemp("airgap")
    common = tmp / "seatrial-common"
    (common / "templates").mkdir(parents=True)
    (common / "Chart.yaml").write_text("apiVersion: v2\nname: seatrial-common\nversion: 0.3.0\n")
    (common / "templates" / "cm.yaml").write_text(COMMON)
    archive = helm_python.package(str(common), destination=str(tmp))
    helm_python.push(archive, f"oci://{registry.host}/airgap/org/charts", plain_http=True)
    push_image(
        registry.url, "airgap/org/app", "v1", files={"/usr/bin/app": File(b"\x7fELF", 0o755)}
    )
    return Path(registry.access_log_path).parent / "storage"


def _app(root: Path, program: str) -> Path:
    app = root / "app"
    (app / "templates").mkdir(parents=True)
    (app / "Chart.yaml").write_text(
        "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n"
        "  - name: seatrial-common\n    version: 0.3.0\n    repository: oci://ghcr.io/org/charts\n"
    )
    (app / "values.yaml").write_text(f"image: docker.io/org/app:v1\nprogram: {program}\n")
    (app / "templates" / "deploy.yaml").write_text(DEPLOY)
    return app


def _check(
    published: Path, tmp_path: Path, app: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    port = "5000"
    config = tmp_path / "registry.yml"
    config.write_text(
        f"version: 0.1\nlog: {{level: error}}\nstorage:\n  filesystem:\n"
        f"    rootdirectory: {published}\nhttp:\n  addr: 127.0.0.1:{port}\n"
    )
    env = {
        "PATH": "/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": str(tmp_path),
        "SEATRIAL_CACHE_DIR": str(tmp_path / "cache"),
        "DOCKER_CONFIG": str(tmp_path / "docker"),
    }
    cmd = [
        *_isolation(),
        sys.executable,
        "-c",
        DRIVER,
        str(config),
        port,
        "check",
        "--format",
        "json",
        "--registry-mirror",
        f"ghcr.io=127.0.0.1:{port}/airgap",
        "--registry-mirror",
        f"docker.io=127.0.0.1:{port}/airgap",
        *extra,
        str(app),
    ]
    proc = subprocess.run(
        cmd, capture_output=True, text=True, timeout=170, env=env, cwd=ROOT, check=False
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def _found(proc: subprocess.CompletedProcess[str]) -> set[tuple[str, str, str, int]]:
    return {
        (f["check"], f["severity"], f["source"]["file"], f["source"]["line"])
        for f in json.loads(proc.stdout)["findings"]
    }


def test_whole_check_through_mirrors_without_a_route(published: Path, tmp_path: Path) -> None:
    good = _check(published, tmp_path, _app(tmp_path / "good", "/usr/bin/app"))
    assert good.returncode == 0, (good.stdout[-2000:], good.stderr)
    assert json.loads(good.stdout)["summary"]["objects"] == 2  # the subchart's ConfigMap too
    assert _found(good) == set()
    bad = _check(published, tmp_path, _app(tmp_path / "bad", "/manager"))
    assert bad.returncode == 1, (bad.stdout[-2000:], bad.stderr)
    assert _found(bad) == {("ST203", "error", "templates/deploy.yaml", 13)}


def test_offline_fetches_the_dependency_from_a_loopback_mirror(
    published: Path, tmp_path: Path
) -> None:
    proc = _check(published, tmp_path, _app(tmp_path / "good", "/usr/bin/app"), "--offline")
    assert proc.returncode == 0, (proc.stdout[-2000:], proc.stderr)
    doc = json.loads(proc.stdout)
    assert doc["summary"]["objects"] == 2
    # offline, images come from the cache only: unverified, said once as info
    assert _found(proc) == {("ST204", "info", "templates/deploy.yaml", 12)}
