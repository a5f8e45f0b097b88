"""gather_images against the real registry: facts, index semantics, problems, cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit.oci import (
    OPAQUE,
    WHITEOUT,
    Dir,
    File,
    Hardlink,
    Symlink,
    build_image,
    push_image,
    push_index,
    push_ko_image,
)
from tests.conftest import Registry

from seatrial.facts.image import ImageFacts, ImageProblem
from seatrial.images.gather import ImageOptions, gather_images, nearest_tags
from seatrial.images.index import read_image_file


def options(registry: Registry, tmp_path: Path, **kw: object) -> ImageOptions:
    return ImageOptions(mirrors={"docker.io": registry.host}, cache_dir=tmp_path / "cache", **kw)  # type: ignore[arg-type]


def facts(result: object) -> ImageFacts:
    assert isinstance(result, ImageFacts), result
    return result


def test_ko_image_through_docker_hub_mirror(registry: Registry, tmp_path: Path) -> None:
    digest = push_ko_image(registry.url, "gather/capsule", "v0.10.0", "capsule")
    ref = "gather/capsule:v0.10.0"
    f = facts(gather_images([ref], options(registry, tmp_path))[ref])
    assert f.digest == digest
    assert f.resolved == "docker.io/gather/capsule:v0.10.0"
    assert f.entrypoint == ("/ko-app/capsule",)
    assert f.cmd is None
    assert f.user == "65532"
    assert f.is_executable("/ko-app/capsule")
    assert not f.exists("/manager")
    assert f.which("capsule") == "/ko-app/capsule"
    assert f.which("sh") is None
    assert read_image_file(f, "/etc/passwd", 4096) is not None
    assert read_image_file(f, "/etc/passwd").startswith(b"root:x:0:0")  # type: ignore[union-attr]


def test_overlay_semantics_zstd_oci(registry: Registry, tmp_path: Path) -> None:
    lower = {
        "/bin/sh": File(b"sh", 0o755),
        "/etc/old.conf": b"old",
        "/etc/keep.conf": b"keep",
        "/opt/app/old-plugin": b"x",
        "/opt/app/sub/deep": b"x",
        "/data/readme": b"r",
    }
    upper = {
        "/etc/old.conf": WHITEOUT,
        "/opt/app": OPAQUE,
        "/opt/app/new-plugin": b"new",
        "/data": WHITEOUT,
        "/usr/bin/sh": Symlink("../../bin/sh"),
        "/usr/local/bin/tool": Symlink("/usr/bin/sh"),
        "/loop/a": Symlink("b"),
        "/loop/b": Symlink("a"),
        "/bin/hard": Hardlink("/bin/sh2"),
    }
    upper = {"/bin/sh2": File(b"#!second", 0o700), **upper}
    push_image(
        registry.url,
        "gather/overlay",
        "1",
        layers=[lower, upper],
        fmt="oci",
        compression="zstd",
        working_dir="/opt/app",
        env=["PATH=/usr/local/bin"],
    )
    ref = f"{registry.host}/gather/overlay:1"
    f = facts(gather_images([ref], ImageOptions(cache_dir=tmp_path))[ref])
    assert not f.exists("/etc/old.conf")
    assert f.exists("/etc/keep.conf")
    assert not f.exists("/opt/app/old-plugin")
    assert not f.exists("/opt/app/sub/deep")
    assert f.exists("/opt/app/new-plugin")
    assert f.exists("new-plugin")  # relative to WorkingDir
    assert not f.exists("/data") and not f.exists("/data/readme")
    assert f.is_executable("/usr/local/bin/tool")
    assert f.which("tool") == "/usr/local/bin/tool"
    assert f.which("sh") is None  # image PATH is only /usr/local/bin
    assert not f.exists("/loop/a")
    assert read_image_file(f, "/bin/hard") == b"#!second"
    assert read_image_file(f, "/usr/local/bin/tool") == b"sh"


def test_multi_arch_index_picks_platform(registry: Registry, tmp_path: Path) -> None:
    amd = build_image({"/bin/amd": File(b"a", 0o755)}, entrypoint=["/bin/amd"])
    arm = build_image(
        {"/bin/arm": File(b"b", 0o755)}, entrypoint=["/bin/arm"], platform="linux/arm64/v8"
    )
    push_index(registry.url, "gather/multi", "1", [amd, arm], fmt="docker")
    ref = f"{registry.host}/gather/multi:1"
    got = gather_images([ref], ImageOptions(cache_dir=tmp_path, platform="linux/arm64"))
    assert facts(got[ref]).entrypoint == ("/bin/arm",)
    assert facts(got[ref]).digest == arm.digest
    got = gather_images([ref], ImageOptions(cache_dir=tmp_path))
    assert facts(got[ref]).entrypoint == ("/bin/amd",)
    got = gather_images([ref], ImageOptions(cache_dir=tmp_path, platform="linux/s390x"))
    problem = got[ref]
    assert isinstance(problem, ImageProblem) and problem.kind == "not-found"
    assert "linux/amd64, linux/arm64/v8" in problem.reason


def test_missing_tag_lists_nearest(registry: Registry, tmp_path: Path) -> None:
    for tag in ("v1.29", "v1.30", "v1.31", "latest"):
        push_image(registry.url, "gather/kubectl", tag, files={"/k": b"k"})
    refs = [
        "gather/kubectl:v1.32",
        "gather/kubectl:v1.31",
        "gather/nothere:v1",
        "gather/kubectl@sha256:" + "0" * 64,
        "Gather/Upper:1",
    ]
    got = gather_images(refs, options(registry, tmp_path))
    missing = got["gather/kubectl:v1.32"]
    assert missing == ImageProblem(
        "not-found", "tag v1.32 is not published in docker.io/gather/kubectl", ("v1.31",)
    )
    assert isinstance(got["gather/kubectl:v1.31"], ImageFacts)
    assert got["gather/nothere:v1"] == ImageProblem(
        "not-found", "repository docker.io/gather/nothere does not exist"
    )
    pinned = got["gather/kubectl@sha256:" + "0" * 64]
    assert isinstance(pinned, ImageProblem) and pinned.kind == "not-found"
    bad = got["Gather/Upper:1"]
    assert isinstance(bad, ImageProblem) and "lowercase" in bad.reason


def test_same_image_two_spellings_fetched_once(registry: Registry, tmp_path: Path) -> None:
    push_image(registry.url, "library/spell", "latest", files={"/x": b"x"})
    before = len(registry.requests())
    got = gather_images(["spell", "docker.io/library/spell:latest"], options(registry, tmp_path))
    assert facts(got["spell"]).ref == "spell"
    assert facts(got["docker.io/library/spell:latest"]).ref == "docker.io/library/spell:latest"
    heads = [p for m, p, _ in registry.requests()[before:] if m == "HEAD"]
    assert heads == ["/v2/library/spell/manifests/latest"]


def test_second_run_downloads_no_blob_and_offline_uses_cache(
    registry: Registry, tmp_path: Path
) -> None:
    push_image(registry.url, "gather/cached", "1", layers=[{"/a": b"a"}, {"/b": b"b"}])
    ref = "gather/cached:1"
    opts = options(registry, tmp_path)
    first = facts(gather_images([ref], opts)[ref])
    n = len(registry.blob_gets())
    second = facts(gather_images([ref], opts)[ref])
    assert registry.blob_gets()[n:] == []
    assert second.digest == first.digest and len(second.files) == len(first.files)
    before = len(registry.requests())
    off = facts(gather_images([ref], options(registry, tmp_path, offline=True))[ref])
    assert registry.requests()[before:] == []
    assert off.notes and off.exists("/b")
    unknown = gather_images(["gather/never:1"], options(registry, tmp_path, offline=True))
    assert unknown["gather/never:1"] == ImageProblem(
        "unverifiable",
        "docker.io/gather/never:1: offline, and never resolved into the cache",
        offline=True,
    )


@pytest.mark.parametrize(
    ("wanted", "tags", "expected"),
    [
        ("v1.32", ["v1.29", "v1.31", "v1.31.4", "latest"], ("v1.31.4",)),
        ("v1.30.2", ["v1.29", "v1.30.1", "v1.31.0", "v1.30.5-alpine"], ("v1.30.1", "v1.31.0")),
        ("3.19-alpine", ["3.18-alpine", "3.20-alpine", "3.19"], ("3.18-alpine", "3.20-alpine")),
        ("latest", ["v1"], ()),
        ("v2", ["v1.0"], ("v1.0",)),
    ],
)
def test_nearest_tags(wanted: str, tags: list[str], expected: tuple[str, ...]) -> None:
    assert nearest_tags(wanted, tags) == expected


def test_dirs_created_implicitly_and_replaced(registry: Registry, tmp_path: Path) -> None:
    push_image(
        registry.url,
        "gather/replace",
        "1",
        layers=[{"/a/b/c": b"c", "/x": Dir()}, {"/a/b": b"now a file", "/x/y": b"y"}],
    )
    ref = f"{registry.host}/gather/replace:1"
    f = facts(gather_images([ref], ImageOptions(cache_dir=tmp_path))[ref])
    entry = f.lookup("/a/b")
    assert entry is not None and entry.type == "file"
    assert not f.exists("/a/b/c")
    assert f.lookup("/a") is not None and f.lookup("/a").type == "dir"  # type: ignore[union-attr]
    assert f.exists("/x/y")


def test_two_processes_fill_one_cache(registry: Registry, tmp_path: Path) -> None:
    import subprocess
    import sys

    layers = [{f"/l{n}/f{i}": bytes([n]) * 50_000 for i in range(20)} for n in range(4)]
    push_image(registry.url, "gather/race", "1", layers=layers)
    ref = f"{registry.host}/gather/race:1"
    code = (
        "import sys; from pathlib import Path\n"
        "from seatrial.images.gather import ImageOptions, gather_images\n"
        f"r = gather_images([{ref!r}], ImageOptions(cache_dir=Path(sys.argv[1])))[{ref!r}]\n"
        "print(len(r.files))\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=60)[0].strip() for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert outs[0] == outs[1] == str(4 * 21 + 1)
    assert not [p for p in tmp_path.rglob(".tmp-*")]
    f = facts(gather_images([ref], ImageOptions(cache_dir=tmp_path))[ref])
    assert read_image_file(f, "/l3/f19") == bytes([3]) * 50_000
