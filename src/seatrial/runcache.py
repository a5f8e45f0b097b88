"""The persistent cache of `check` results, as ruff caches lint results: an unchanged chart
re-checks without starting the Helm engine.

An entry is keyed by a sha256 of everything the result depends on: every file of the chart
(subcharts included) or the `.tgz`, the content of each `-f` and `--set-file` file, every
render option (`--set` values only enter the hash, they are never stored), the Kubernetes
versions, the engine (the embedded Helm SDK's version, or `helm version` of `--helm-bin`),
the check options and configuration, and the seatrial version. Image facts are checked at
each hit: the entry records, for each image the run opened, what the image cache (and, online,
the registry: one manifest HEAD per tag) says now; when any of it moved (a tag now points
elsewhere, an image was pulled into the cache), the entry is not used.

Layout: `<cache root>/results/v1/<sha256>.json.gz` (the root as the image cache picks it:
`$SEATRIAL_CACHE_DIR`, else `$XDG_CACHE_HOME/seatrial`, else `~/.cache/seatrial`), the folder
0700 and each file 0600, written to a temp file and renamed into place. The stored summary is
the redacted one (what a report shows). A run that failed is never stored; an entry that cannot
be read (truncated, corrupt, another format) is ignored and rewritten. When the folder grows
past `SEATRIAL_RESULT_CACHE_MB` (default 256), the least recently used entries go first.
Only charts (a directory with Chart.yaml, or a .tgz) are cached; `--script-path` runs are not
(the local script folders are not hashed).
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import gzip
import hashlib
import json
import os
import stat
import tempfile
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from seatrial import __version__, yamlguard
from seatrial.findings import Cell, Finding, Location, ObjectRef, Severity, Summary, Suppression

FORMAT = 1
DEFAULT_MAX_MB = 256
#: files Helm never reads and that churn in a checkout
_SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", ".venv", "node_modules"}


def cache_dir() -> Path:
    from seatrial.images.cache import default_cache_root

    return default_cache_root() / "results" / f"v{FORMAT}"


def _canon(value: Any) -> Any:
    """A JSON-able form of `value` that is the same in every process (sets sorted, no
    hash-seeded order)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _canon(getattr(value, f.name)) for f in dataclasses.fields(value) if f.compare
        }
    if isinstance(value, enum.Enum):
        return _canon(value.value)
    if isinstance(value, Mapping):
        return sorted([str(k), _canon(v)] for k, v in value.items())
    if isinstance(value, set | frozenset):
        return sorted((_canon(v) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [_canon(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return repr(value)


def _tree(h: Any, root: Path) -> None:
    """Hash every file under `root` (path and bytes; symlinks by their target text)."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        for name in dirs:  # os.walk does not enter linked folders: their target names them
            if os.path.islink(os.path.join(folder, name)):
                h.update(
                    b"\0dirlink\0"
                    + name.encode("utf-8", "surrogateescape")
                    + b"\0"
                    + os.readlink(os.path.join(folder, name)).encode("utf-8", "surrogateescape")
                )
        for name in sorted(files):
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            h.update(b"\0f" + rel.encode("utf-8", "surrogateescape") + b"\0")
            if path.is_symlink():
                h.update(b"link:" + os.readlink(path).encode("utf-8", "surrogateescape"))
                continue
            with path.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)


def _file(h: Any, name: str) -> None:
    try:
        h.update(b"\0file\0" + Path(name).read_bytes())
    except OSError:
        h.update(b"\0unreadable\0" + name.encode("utf-8", "surrogateescape"))


def _local_dependencies(chart: Path) -> list[Path]:
    """`file://` dependencies of Chart.yaml that live outside the chart folder."""
    try:
        doc = yamlguard.safe_load((chart / "Chart.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    deps = doc.get("dependencies") if isinstance(doc, dict) else None
    out: list[Path] = []
    for dep in deps if isinstance(deps, list) else []:
        repo = dep.get("repository") if isinstance(dep, dict) else None
        if isinstance(repo, str) and repo.startswith("file://"):
            path = (chart / repo[len("file://") :]).resolve()
            if path.is_dir() and not path.is_relative_to(chart.resolve()):
                out.append(path)
    return out


def _engine(helm_bin: str | None) -> str:
    from seatrial.errors import SourceError
    from seatrial.render.helm import cli_version, sdk_fingerprint

    if helm_bin:
        try:
            return f"helm-cli {helm_bin} {cli_version(helm_bin)}"
        except SourceError:
            return "helm-cli unknown"  # the run itself says why, and is not stored
    return sdk_fingerprint()


def cacheable(target: str, request: Any) -> bool:
    """Only local charts, and only runs whose inputs this module can hash."""
    path = Path(target)
    if not (path.is_dir() and (path / "Chart.yaml").is_file()) and not (
        path.is_file() and target.endswith((".tgz", ".tar.gz"))
    ):
        return False
    engine = request.engine
    if engine.scripts is not None and getattr(engine.scripts, "script_paths", None):
        return False
    return not (engine.images is not None and engine.images.transport is not None)


def key(target: str, request: Any, policy: Any) -> str:
    """The sha256 of everything the result of `request` on `target` depends on (`policy`:
    the config and the check selection in effect)."""
    h = hashlib.sha256(f"seatrial {__version__}\0format {FORMAT}\0".encode())
    path = Path(target)
    if path.is_dir():
        _tree(h, path)
        for dep in _local_dependencies(path):
            h.update(b"\0dependency\0")
            _tree(h, dep)
    else:
        _file(h, target)
    opts = request.matrix
    for name in opts.value_files:
        _file(h, name)
    for item in opts.set_file:
        _file(h, item.split("=", 1)[1] if "=" in item else item)
    matrix = {
        f.name: getattr(opts, f.name) for f in dataclasses.fields(opts) if f.name != "workers"
    }
    engine = dataclasses.replace(request.engine, images=None, scripts=None)
    images = request.engine.images
    if images is not None:
        images = {
            f.name: getattr(images, f.name)
            for f in dataclasses.fields(images)
            if f.name not in ("progress", "transport", "concurrency")
        }
    state = {
        "matrix": matrix,
        "engine": engine,
        "images": images,
        "policy": policy,
        "helm": _engine(opts.helm_bin),
    }
    h.update(json.dumps(_canon(state), sort_keys=True).encode())
    return h.hexdigest()


# --- image state: what the image cache and the registry say now ---------------------------


def image_state(refs: Iterable[str], options: Any) -> dict[str, str] | None:
    """For each image reference, a fingerprint of what gathering it would find now (None when
    that cannot be told without gathering, e.g. a registry did not answer)."""
    refs = sorted(refs)
    if not refs:
        return {}
    from seatrial.images.gather import ImageOptions, image_fingerprint

    return image_fingerprint(refs, options if options is not None else ImageOptions())


# --- entries ----------------------------------------------------------------------------


# cell values are scalars (the matrix makes them hashable); a tuple is kept as a tuple
def _freeze(value: Any) -> Any:
    return [list(_freeze(v) for v in value)] if isinstance(value, tuple) else value


def _thaw(value: Any) -> Any:
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list):
        return tuple(_thaw(v) for v in value[0])
    return value


def _cell(c: Cell) -> list[Any]:
    return [c.kube_version, [[k, _freeze(v)] for k, v in c.values], c.name]


def _location(loc: Location | None) -> list[Any] | None:
    return None if loc is None else [loc.file, loc.line, loc.note]


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "check": f.check,
        "slug": f.slug,
        "severity": int(f.severity),
        "message": f.message,
        "object": None
        if f.object is None
        else [f.object.kind, f.object.name, f.object.namespace, f.object.api_version],
        "container": f.container,
        "source": _location(f.source),
        "cells": [_cell(c) for c in f.cells],
        "fix": f.fix,
        "related": [_location(r) for r in f.related],
        "suppressed": None if f.suppressed is None else [f.suppressed.by, f.suppressed.reason],
    }


def _unfinding(d: Mapping[str, Any]) -> Finding:
    def loc(x: Any) -> Location | None:
        return None if x is None else Location(str(x[0]), x[1], str(x[2]))

    obj, sup = d["object"], d["suppressed"]
    return Finding(
        check=d["check"],
        slug=d["slug"],
        severity=Severity(d["severity"]),
        message=d["message"],
        object=None if obj is None else ObjectRef(*obj),
        container=d["container"],
        source=loc(d["source"]),
        cells=tuple(Cell(c[0], tuple((k, _thaw(v)) for k, v in c[1]), c[2]) for c in d["cells"]),
        fix=d["fix"],
        related=tuple(r for r in map(loc, d["related"]) if r is not None),
        suppressed=None if sup is None else Suppression(sup[0], sup[1]),
    )


def _path(digest: str) -> Path:
    return cache_dir() / f"{digest}.json.gz"


def load(digest: str, images: Any) -> Summary | None:
    """The stored summary, when the entry is whole and the images it used have not moved."""
    path = _path(digest)
    try:
        doc = json.loads(gzip.decompress(path.read_bytes()))
        if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("key") != digest:
            return None
        stored = doc["images"]
        if stored and image_state(stored, images) != stored:
            return None
        s = doc["summary"]
        summary = Summary(
            findings=[_unfinding(f) for f in s["findings"]],
            cells_total=s["cells_total"],
            cells_distinct=s["cells_distinct"],
            objects=s["objects"],
            extra=s["extra"],
            attachments=s["attachments"],
        )
    except (
        OSError,
        EOFError,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        zlib.error,
        gzip.BadGzipFile,
    ):
        return None  # a missing, truncated or foreign entry: run, then rewrite it
    with contextlib.suppress(OSError):
        os.utime(path)  # least recently used goes first
    return summary


def store(digest: str, summary: Summary, image_refs: Iterable[str], images: Any) -> None:
    """Keep the (already redacted) `summary`; a cache that cannot be written is skipped."""
    state = image_state(image_refs, images)
    if state is None:
        return  # the images cannot be vouched for later either
    doc = {
        "format": FORMAT,
        "key": digest,
        "images": state,
        "summary": {
            "findings": [_finding(f) for f in summary.findings],
            "cells_total": summary.cells_total,
            "cells_distinct": summary.cells_distinct,
            "objects": summary.objects,
            "extra": summary.extra,
            "attachments": summary.attachments,
        },
    }
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if stat.S_IMODE(folder.stat().st_mode) & 0o077:
            folder.chmod(0o700)
        data = gzip.compress(json.dumps(doc).encode(), compresslevel=5)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")  # 0600
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, _path(digest))
        _trim(folder)
    except (OSError, TypeError, ValueError):
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(tmp)


def _trim(folder: Path) -> None:
    try:
        limit = int(float(os.environ.get("SEATRIAL_RESULT_CACHE_MB", DEFAULT_MAX_MB)) * 2**20)
    except ValueError:
        limit = DEFAULT_MAX_MB * 2**20
    entries = []
    for p in folder.glob("*.json.gz"):
        with contextlib.suppress(OSError):
            st = p.stat()
            entries.append((st.st_mtime, st.st_size, p))
    total = sum(size for _, size, _ in entries)
    for _, size, p in sorted(entries, key=lambda e: e[0]):
        if total <= limit:
            break
        with contextlib.suppress(OSError):
            p.unlink()
            total -= size
