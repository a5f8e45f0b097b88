"""ST201/ST203/ST205 leave preloaded images (`imagePullPolicy: Never`) alone, and ST201 and
ST202 suggest the same published tag, the nearest by version to the wanted one, in its form.
Real registry, exact findings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from testkit.oci import File, push_image
from tests.cli_runner import invoke
from tests.conftest import Registry
from tests.images.manifests import line, pod

CHARTS = Path(__file__).resolve().parent / "charts"
NEVER = "      imagePullPolicy: Never\n"
BAD_COMMAND = '      command: ["/manager"]\n'


def run(args: list[str], cache: Path) -> tuple[int, list[dict[str, Any]]]:
    res = invoke(
        "check",
        *args,
        "--format",
        "json",
        "--fail-on",
        "info",
        env={"SEATRIAL_CACHE_DIR": str(cache)},
        catch_exceptions=False,
    )
    assert res.exit_code in (0, 1), res.stderr
    return res.exit_code, json.loads(res.stdout)["findings"]


def test_preloaded_images_are_not_reported(registry: Registry, tmp_path: Path) -> None:
    push_image(
        registry.url,
        "preload/app",
        "1",
        files={"/ko-app/app": File(b"a", 0o755)},
        entrypoint=["/ko-app/app"],
    )
    there = f"{registry.host}/preload/app:1"
    absent = f"{registry.host}/preload/app:local-build"
    pods = {
        # failing: pulled from the registry
        "pulled-absent": (absent, ""),
        "pulled-bad-command": (there, BAD_COMMAND),
        # passing: imagePullPolicy: Never, the image is preloaded on the nodes
        "preloaded-absent": (absent, NEVER),
        "preloaded-bad-command": (there, NEVER + BAD_COMMAND),
    }
    path = tmp_path / "pods.yaml"
    path.write_text("---\n".join(pod(n, image, body) for n, (image, body) in pods.items()))
    code, found = run([str(path), "--only", "ST201,ST203,ST205"], tmp_path / "cache")
    assert code == 1
    got = {
        (f["check"], f["severity"], f["object"]["name"], f["source"]["file"], f["source"]["line"])
        for f in found
    }
    assert got == {
        ("ST201", "error", "pulled-absent", str(path), line(path, "pulled-absent", "image:")),
        (
            "ST203",
            "error",
            "pulled-bad-command",
            str(path),
            line(path, "pulled-bad-command", "command:"),
        ),
        (
            "ST205",
            "info",
            "pulled-bad-command",
            str(path),
            line(path, "pulled-bad-command", "command:"),
        ),
        # at most a note that the absent registry copy was not checked further
        (
            "ST201",
            "info",
            "preloaded-absent",
            str(path),
            line(path, "preloaded-absent", "imagePullPolicy:"),
        ),
    }
    (note,) = (f for f in found if f["object"]["name"] == "preloaded-absent")
    assert note["message"] == (
        f"image {absent} is not in its registry; not checked further: "
        "imagePullPolicy: Never expects it preloaded on the nodes"
    )


def test_nearest_tag_is_nearest_to_the_wanted_one_in_its_form(
    registry: Registry, tmp_path: Path
) -> None:
    for tag in ("v1.29.0", "v1.30.0", "v1.31.0", "1.33.0", "v1.33.0-rc.1"):
        push_image(registry.url, "tagform/kubectl", tag, files={"/kubectl": File(b"k", 0o755)})
    chart = CHARTS / "tag-form"
    code, found = run(
        [
            str(chart),
            "--kube-versions",
            "1.28-1.33",
            "--only",
            "ST201,ST202",
            "--registry-mirror",
            f"docker.io={registry.host}",
        ],
        tmp_path / "cache",
    )
    assert code == 1
    image_line = next(
        i
        for i, ln in enumerate((chart / "templates/job.yaml").read_text().splitlines(), 1)
        if "image:" in ln
    )
    got = {
        (f["check"], f["severity"], f["object"]["name"], f["source"]["file"], f["source"]["line"])
        for f in found
    }
    assert got == {
        ("ST201", "error", "release-name-kubectl", "templates/job.yaml", image_line),
        ("ST202", "warning", "release-name-kubectl", "templates/job.yaml", image_line),
    }
    by = {f["check"]: f for f in found}
    repo = "docker.io/tagform/kubectl"
    assert by["ST201"]["message"] == (
        f"images do not exist: {repo}:v1.28.0 on Kubernetes 1.28; {repo}:v1.32.0 on Kubernetes "
        f"1.32; {repo}:v1.33.0 on Kubernetes 1.33; nearest published tags: v1.29.0, v1.31.0"
    )
    # the newest wanted tag is v1.33.0: the nearest published one in its form is v1.31.0,
    # never the oldest (v1.29.0) nor another form (1.33.0, v1.33.0-rc.1)
    assert by["ST201"]["fix"] == (
        "pin a published tag such as v1.31.0, or fall back to it when "
        "the computed tag is not published"
    )
    assert by["ST202"]["fix"] == (
        "pin the tag, or fall back to a published tag such as v1.31.0 "
        "when the cluster version has none"
    )
