"""What the user pointed at: a chart directory, a packaged chart `.tgz`, plain manifests (a file
or a directory of multi-document YAML) or a kustomization directory."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from seatrial import yamlguard
from seatrial.errors import SourceError, read_user_text

MAX_CHART_ARCHIVE = 64 * 1024 * 1024  # uncompressed bytes we accept from a chart .tgz
#: largest single file of a chart directory (checked with stat before anything reads it;
#: a .git folder inside the chart is not counted, Helm's .helmignore usually skips it)
MAX_CHART_FILE = 16 * 1024 * 1024
MAX_MEMBERS = 10_000
_TEXT_SUFFIXES = (".yaml", ".yml", ".tpl", ".txt", ".json", ".sh", ".bash")


@dataclass(frozen=True)
class ChartSource:
    """A Helm chart. `files` maps chart-relative paths (`templates/x.yaml`,
    `charts/sub/templates/y.yaml`) to text for line lookup and mode discovery."""

    path: Path
    is_archive: bool
    name: str
    metadata: dict[str, Any]
    values: dict[str, Any]
    schema: dict[str, Any] | None
    files: dict[str, str]
    kind: str = "chart"
    #: where Helm loads the chart from: `path`, or a scratch copy without the symlinks that
    #: point outside the chart (Helm would follow them and read host files into the output)
    load_path: Path | None = None

    @property
    def helm_path(self) -> Path:
        return self.load_path or self.path

    @property
    def kube_version_constraint(self) -> str | None:
        kv = self.metadata.get("kubeVersion")
        return str(kv) if kv else None

    def ci_values(self) -> list[str]:
        """chart-testing's `ci/*-values.yaml` files, chart-relative."""
        return sorted(p for p in self.files
                      if PurePosixPath(p).parent == PurePosixPath("ci")
                      and p.endswith(("-values.yaml", "-values.yml")))

    def line_of_dependency(self, name: str) -> int | None:
        text = self.files.get("Chart.yaml", "")
        for i, line in enumerate(text.splitlines(), 1):
            if line.strip().lstrip("- ").startswith("name:") and line.split(":", 1)[1].strip(
                    " \"'") == name:
                return i
        return None


@dataclass(frozen=True)
class ManifestSource:
    """Plain manifests: (display path, text) per file."""

    path: Path
    documents: list[tuple[str, str]] = field(default_factory=list)
    kind: str = "manifests"


Source = ChartSource | ManifestSource


def _read_text(path: Path) -> str:
    return read_user_text(path, SourceError)


def _yaml_mapping(text: str, where: str) -> dict[str, Any]:
    try:
        data = yamlguard.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise SourceError(f"{where}{line}: invalid YAML: "
                          f"{getattr(exc, 'problem', None) or exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SourceError(f"{where}: expected a YAML mapping")
    return data


def _check_metadata(metadata: dict[str, Any], text: str, where: str) -> None:
    """Chart.yaml fields seatrial walks have the types Helm requires."""
    for key, kind, what in (("dependencies", list, "a list"), ("annotations", dict, "a mapping"),
                            ("name", str, "a string")):
        value = metadata.get(key)
        if value is not None and not isinstance(value, kind):
            line = next((i for i, ln in enumerate(text.splitlines(), 1)
                         if ln.startswith(f"{key}:")), None)
            raise SourceError(f"{where}{f':{line}' if line else ''}: `{key}` must be {what}")


def _chart_from_files(path: Path, files: dict[str, str], is_archive: bool,
                      load_path: Path | None = None) -> ChartSource:
    if "Chart.yaml" not in files:
        raise SourceError(f"{path}: no Chart.yaml")
    metadata = _yaml_mapping(files["Chart.yaml"], f"{path}/Chart.yaml")
    _check_metadata(metadata, files["Chart.yaml"], f"{path}/Chart.yaml")
    if not metadata.get("name"):
        raise SourceError(f"{path}/Chart.yaml: chart has no name")
    values = _yaml_mapping(files.get("values.yaml", ""), f"{path}/values.yaml")
    schema = None
    if "values.schema.json" in files:
        try:
            schema = yamlguard.json_loads(files["values.schema.json"])
        except ValueError as exc:
            raise SourceError(f"{path}/values.schema.json: invalid JSON: {exc}") from None
    return ChartSource(path, is_archive, str(metadata["name"]), metadata, values, schema, files,
                       load_path=load_path)


@dataclass
class _DirScan:
    files: list[tuple[str, Path]] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # links that leave the chart (or loop)
    links: int = 0  # links that stay inside


def _walk_chart_dir(path: Path) -> _DirScan:
    """Every regular file of a chart directory (chart-relative name, path) and its symlinks.
    Sizes are checked with stat before anything is read; links are never followed out."""
    root = path.resolve()
    scan = _DirScan()
    for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if d != ".git" or here != path)
        for name in sorted(filenames) + [d for d in dirnames if (here / d).is_symlink()]:
            p = here / name
            rel = p.relative_to(path).as_posix()
            if p.is_symlink():
                try:
                    target = p.resolve(strict=True)
                except (OSError, RuntimeError):
                    scan.outside.append(rel)  # dangling or a loop: Helm fails on it either way
                    continue
                if not target.is_relative_to(root) or (
                        target.is_dir() and p.parent.resolve().is_relative_to(target)):
                    scan.outside.append(rel)
                    continue
                scan.links += 1
                if target.is_dir():
                    continue  # inside the chart: its files are walked where they really are
            try:
                st = p.stat()
            except OSError:
                continue
            if not p.is_file():
                continue
            if st.st_size > MAX_CHART_FILE:
                raise SourceError(f"{path}/{rel}: {st.st_size / 2**20:,.0f} MiB, more than the "
                                  f"{MAX_CHART_FILE >> 20} MiB a chart file may have; refusing")
            scan.files.append((rel, p))
    return scan


def _copy_for_helm(path: Path, outside: list[str]) -> Path:
    """A scratch copy of the chart for Helm, removed at exit: without the links in `outside`,
    the other links replaced by what they point at (Helm follows them the same way, but
    logs each one on stderr, out of reach of the Python log handler)."""
    tmp = Path(tempfile.mkdtemp(prefix="seatrial-chart-"))
    atexit.register(shutil.rmtree, tmp, True)
    copy = tmp / path.resolve().name
    skip = {(path / rel).absolute() for rel in outside}

    def ignore(directory: str, names: list[str]) -> set[str]:
        return {n for n in names if (Path(directory) / n).absolute() in skip
                or (Path(directory) == path.absolute() and n == ".git")}

    try:
        shutil.copytree(path.absolute(), copy, symlinks=False, ignore=ignore)
    except (OSError, shutil.Error) as exc:
        raise SourceError(f"{path}: cannot copy the chart without its symlinks: {exc}") from None
    return copy


def _load_chart_dir(path: Path) -> ChartSource:
    scan = _walk_chart_dir(path)
    files: dict[str, str] = {}
    for rel, p in scan.files:
        if p.suffix in _TEXT_SUFFIXES or p.name in ("Chart.yaml", "NOTES.txt"):
            if "/charts/" in f"/{rel}" and rel.endswith(".tgz"):
                continue
            try:
                files[rel] = p.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
    load_path = None
    if scan.outside:
        shown = ", ".join(scan.outside[:3])
        if len(scan.outside) > 3:
            shown += f" and {len(scan.outside) - 3} more"
        print(f"seatrial: note: {path}: not following {len(scan.outside)} symlink(s) that "
              f"leave the chart or loop ({shown}); rendering without them", file=sys.stderr)
    if scan.outside or scan.links:
        load_path = _copy_for_helm(path, scan.outside)
    return _chart_from_files(path, files, False, load_path)


def safe_tar_members(tf: tarfile.TarFile, where: str) -> list[tarfile.TarInfo]:
    """Members of a chart archive, refusing traversal, absolute paths, links out and bombs."""
    members, total = [], 0
    for i, m in enumerate(tf):
        if i >= MAX_MEMBERS:
            raise SourceError(f"{where}: more than {MAX_MEMBERS} entries; refusing")
        name = PurePosixPath(m.name)
        if name.is_absolute() or ".." in name.parts:
            raise SourceError(f"{where}: unsafe path {m.name!r} in archive; refusing")
        if m.issym() or m.islnk():
            raise SourceError(f"{where}: link {m.name!r} in chart archive; refusing")
        total += m.size
        if total > MAX_CHART_ARCHIVE:
            raise SourceError(f"{where}: archive expands beyond {MAX_CHART_ARCHIVE >> 20} MiB; "
                              "refusing")
        members.append(m)
    return members


def _load_chart_tgz(path: Path) -> ChartSource:
    where = str(path)
    files: dict[str, str] = {}
    try:
        with tarfile.open(path, "r:*") as tf:
            for m in safe_tar_members(tf, where):
                if not m.isfile():
                    continue
                parts = PurePosixPath(m.name).parts
                if len(parts) < 2:
                    continue
                rel = PurePosixPath(*parts[1:]).as_posix()
                fh = tf.extractfile(m)
                if fh is None:
                    continue
                data = fh.read()
                try:
                    files[rel] = data.decode("utf-8")
                except UnicodeDecodeError:
                    continue
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise SourceError(f"{where}: not a readable chart archive: {exc}") from None
    return _chart_from_files(path, files, True)


def _load_manifests(path: Path) -> ManifestSource:
    if path.is_file():
        return ManifestSource(path, [(str(path), _read_text(path))])
    docs = [
        (str(p), _read_text(p))
        for p in sorted(path.rglob("*"))
        if p.is_file() and p.suffix in (".yaml", ".yml", ".json")
    ]
    if not docs:
        raise SourceError(f"{path}: no chart, kustomization or YAML manifests found")
    return ManifestSource(path, docs)


def _kustomize(path: Path) -> ManifestSource:
    if shutil.which("kustomize"):
        cmd = ["kustomize", "build", str(path)]
    elif shutil.which("kubectl"):
        cmd = ["kubectl", "kustomize", str(path)]
    else:
        raise SourceError(f"{path} is a kustomization: install kustomize or kubectl to render it")
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SourceError(f"{path}: {cmd[0]} failed: {exc}") from None
    if proc.returncode != 0:
        msg = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise SourceError(f"{path}: {' '.join(cmd[:2])} failed: {msg}")
    return ManifestSource(path, [(f"{path.as_posix().rstrip('/')}/(kustomize)", proc.stdout)])


def load_source(target: str) -> Source:
    path = Path(target)
    if not path.exists():
        raise SourceError(f"{target}: no such file or directory")
    if path.is_dir():
        if (path / "Chart.yaml").is_file():
            return _load_chart_dir(path)
        for name in ("kustomization.yaml", "kustomization.yml", "Kustomization"):
            if (path / name).is_file():
                return _kustomize(path)
        return _load_manifests(path)
    if path.name.endswith((".tgz", ".tar.gz")):
        return _load_chart_tgz(path)
    if path.suffix in (".yaml", ".yml", ".json"):
        return _load_manifests(path)
    raise SourceError(f"{target}: not a chart directory, chart .tgz, kustomization or YAML file")


def chart_archive_bytes(src: ChartSource) -> bytes | None:
    """The archive for the SDK to load from memory, when the source is a .tgz."""
    if not src.is_archive:
        return None
    try:
        return src.path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{src.path}: cannot read: {exc.strerror}") from None


__all__ = ["ChartSource", "ManifestSource", "Source", "chart_archive_bytes", "load_source",
           "safe_tar_members"]
