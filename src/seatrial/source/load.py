"""What the user pointed at: a chart directory, a packaged chart `.tgz`, plain manifests (a file
or a directory of multi-document YAML) or a kustomization directory."""

from __future__ import annotations

import atexit
import json
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
        return sorted(
            p
            for p in self.files
            if PurePosixPath(p).parent == PurePosixPath("ci")
            and p.endswith(("-values.yaml", "-values.yml"))
        )

    def line_of_dependency(self, name: str) -> int | None:
        text = self.files.get("Chart.yaml", "")
        for i, line in enumerate(text.splitlines(), 1):
            if (
                line.strip().lstrip("- ").startswith("name:")
                and line.split(":", 1)[1].strip(" \"'") == name
            ):
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


def _yaml_mapping(text: str, where: str, *, values: bool = False) -> dict[str, Any]:
    """A YAML mapping; `values`: read as Helm reads a values file (yamlguard.load_values)."""
    try:
        if not text.strip():
            data: Any = {}
        elif values:
            data = yamlguard.load_value(text)
        else:
            data = yamlguard.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise SourceError(
            f"{where}{line}: invalid YAML: {getattr(exc, 'problem', None) or exc}"
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SourceError(f"{where}: expected a YAML mapping")
    return data


def _check_metadata(metadata: dict[str, Any], text: str, where: str) -> None:
    """Chart.yaml fields seatrial walks have the types Helm requires."""
    for key, kind, what in (
        ("dependencies", list, "a list"),
        ("annotations", dict, "a mapping"),
        ("name", str, "a string"),
    ):
        value = metadata.get(key)
        if value is not None and not isinstance(value, kind):
            line = next(
                (i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith(f"{key}:")), None
            )
            raise SourceError(f"{where}{f':{line}' if line else ''}: `{key}` must be {what}")


def _chart_from_files(
    path: Path, files: dict[str, str], is_archive: bool, load_path: Path | None = None
) -> ChartSource:
    if "Chart.yaml" not in files:
        raise SourceError(f"{path}: no Chart.yaml")
    metadata = _yaml_mapping(files["Chart.yaml"], f"{path}/Chart.yaml")
    _check_metadata(metadata, files["Chart.yaml"], f"{path}/Chart.yaml")
    if not metadata.get("name"):
        raise SourceError(f"{path}/Chart.yaml: chart has no name")
    values = _yaml_mapping(files.get("values.yaml", ""), f"{path}/values.yaml", values=True)
    schema = None
    if "values.schema.json" in files:
        try:
            schema = yamlguard.json_loads(files["values.schema.json"])
        except ValueError as exc:
            raise SourceError(f"{path}/values.schema.json: invalid JSON: {exc}") from None
    return ChartSource(
        path,
        is_archive,
        str(metadata["name"]),
        metadata,
        values,
        schema,
        files,
        load_path=load_path,
    )


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
                    target.is_dir() and p.parent.resolve().is_relative_to(target)
                ):
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
                raise SourceError(
                    f"{path}/{rel}: {st.st_size / 2**20:,.0f} MiB, more than the "
                    f"{MAX_CHART_FILE >> 20} MiB a chart file may have; refusing"
                )
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
        return {
            n
            for n in names
            if (Path(directory) / n).absolute() in skip
            or (Path(directory) == path.absolute() and n == ".git")
        }

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
        print(
            f"seatrial: note: {path}: not following {len(scan.outside)} symlink(s) that "
            f"leave the chart or loop ({shown}); rendering without them",
            file=sys.stderr,
        )
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
            raise SourceError(
                f"{where}: archive expands beyond {MAX_CHART_ARCHIVE >> 20} MiB; refusing"
            )
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


def _kustomize_command(path: Path) -> list[str]:
    if shutil.which("kustomize"):
        return ["kustomize", "build", str(path)]
    if shutil.which("kubectl"):
        return ["kubectl", "kustomize", str(path)]
    raise SourceError(f"{path} is a kustomization: install kustomize or kubectl to render it")


def _build(cmd: list[str], where: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SourceError(f"{where}: {cmd[0]} failed: {exc}") from None


def _kustomize(path: Path, offline: bool = False) -> ManifestSource:
    """`kustomize build`, through a wrapping kustomization that asks for origin and transformer
    annotations, so each object can point at its resource file and the patches that changed
    it (see `KUSTOMIZE_SOURCES`). Falls back to a plain build when the wrapper does not build.
    With `offline`, remote resources are refused before anything runs."""
    if offline:
        from seatrial.source.remote import refuse_remote_kustomize

        refuse_remote_kustomize(path)
    display = f"{path.as_posix().rstrip('/')}/(kustomize)"
    stream = _kustomize_with_origins(path)
    if stream is None:
        cmd = _kustomize_command(path)
        proc = _build(cmd, path)
        if proc.returncode != 0:
            msg = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise SourceError(f"{path}: {' '.join(cmd[:2])} failed: {msg}")
        stream = proc.stdout
    return ManifestSource(path, [(display, stream)])


#: the key of the trailing document of a kustomize stream that records where each object came
#: from (it has no `kind`, so it is never taken for an object): `objects` maps an object key
#: (kind/namespace/name) to {resource, doc, name, generator, kustomizations}; `files` maps each
#: resource, patch and kustomization file (as the user names it) to its text
KUSTOMIZE_SOURCES = "seatrialKustomizeSources"
_ORIGIN = "config.kubernetes.io/origin"
_TRANSFORMS = "alpha.config.kubernetes.io/transformations"
_MAX_SOURCE = 2 << 20


def _kustomize_with_origins(path: Path) -> str | None:
    cmd = _kustomize_command(path)
    real = path.resolve()
    with tempfile.TemporaryDirectory(prefix="seatrial-kustomize-") as tmp:
        rel = os.path.relpath(real, Path(tmp).resolve())
        (Path(tmp) / "kustomization.yaml").write_text(
            "resources:\n  - " + json.dumps(rel) + "\n"
            "buildMetadata: [originAnnotations, transformerAnnotations]\n",
            encoding="utf-8",
        )
        proc = _build([*cmd[:-1], tmp], path)
        if proc.returncode != 0:
            return None
        try:
            docs = [d for d in yamlguard.safe_load_all(proc.stdout) if isinstance(d, dict)]
        except yaml.YAMLError:
            return None
        return _annotated_stream(docs, path, Path(tmp).resolve())


def _user_path(path: Path, base: Path, wrapper: Path, rel: str) -> tuple[str, Path]:
    """A path kustomize wrote relative to the wrapper, as the user names it, and its file."""
    target = Path(os.path.normpath(wrapper / rel))
    shown = os.path.normpath(os.path.join(str(path), os.path.relpath(target, base)))
    return Path(shown).as_posix(), target


def _annotated_stream(docs: list[dict[str, Any]], path: Path, wrapper: Path) -> str:
    base = path.resolve()
    objects: dict[str, dict[str, Any]] = {}
    files: dict[str, str] = {}

    def remember(rel: str) -> str | None:
        shown, target = _user_path(path, base, wrapper, rel)
        if shown not in files:
            try:
                if target.stat().st_size > _MAX_SOURCE:
                    return None
                files[shown] = target.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return None
        return shown

    for doc in docs:
        md = _mapping(doc.get("metadata"))
        ann = _mapping(md.get("annotations"))
        origin = _yaml_or_empty(ann.pop(_ORIGIN, None))
        transforms = _yaml_or_empty(ann.pop(_TRANSFORMS, None))
        if "annotations" in md and not ann:  # only the two kustomize added were there
            md.pop("annotations")
        kind, name = str(doc.get("kind", "")), str(md.get("name") or "")
        entry: dict[str, Any] = {"kustomizations": []}
        if (
            isinstance(origin, dict)
            and isinstance(origin.get("path"), str)
            and not origin.get("repo")
            and kind != "Secret"
        ):
            resource = remember(origin["path"])
            if resource is not None:
                entry["resource"] = resource
                entry.update(_source_doc(files[resource], kind, name))
        elif isinstance(origin, dict) and isinstance(origin.get("configuredIn"), str):
            gen = remember(origin["configuredIn"])
            if gen is not None:
                entry["generator"] = gen
        for t in transforms if isinstance(transforms, list) else []:
            where = t.get("configuredIn") if isinstance(t, dict) else None
            if (
                isinstance(where, str)
                and (shown := remember(where)) is not None
                and shown not in entry["kustomizations"]
            ):
                entry["kustomizations"].append(shown)
                _remember_patch_files(files[shown], shown, remember, where)
        objects[f"{kind}/{md.get('namespace') or ''}/{name}"] = entry
    body = "---\n".join(_dump(d) for d in docs)
    meta = {KUSTOMIZE_SOURCES: {"objects": objects, "files": files}}
    return (
        body + "---\n# seatrial: where each object above comes from (not an object)\n" + _dump(meta)
    )


class _BlockDumper(yaml.SafeDumper):
    """Multi-line strings (scripts in ConfigMaps) as `|` blocks, as kustomize writes them."""


def _block_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = (
        "|"
        if "\n" in value
        and not value.startswith((" ", "\t"))
        and all(line == line.rstrip() for line in value.splitlines())
        else None
    )
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _block_str)


def _dump(doc: Any) -> str:
    return yaml.dump(doc, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _yaml_or_empty(text: Any) -> Any:
    if not isinstance(text, str):
        return None
    try:
        return yamlguard.safe_load(text)
    except yaml.YAMLError:
        return None


def _source_doc(text: str, kind: str, name: str) -> dict[str, Any]:
    """Which document of a resource file an object comes from: the one of its kind whose name
    the rendered name contains (a namePrefix/nameSuffix adds to it), the longest such."""
    try:
        docs = yamlguard.safe_load_all(text)
    except yaml.YAMLError:
        return {}
    best: tuple[int, int, str] | None = None
    for i, d in enumerate(docs):
        if not isinstance(d, dict) or str(d.get("kind", "")) != kind:
            continue
        own = str(_mapping(d.get("metadata")).get("name") or "")
        if own and own in name and (best is None or len(own) > best[0]):
            best = (len(own), i, own)
    return {"doc": best[1], "name": best[2]} if best else {}


def _remember_patch_files(text: str, shown: str, remember: Any, where: str) -> None:
    """The patch files a kustomization lists, kept for line lookup (inline patches are in the
    kustomization file itself)."""
    try:
        data = yamlguard.safe_load(text)
    except yaml.YAMLError:
        return
    if not isinstance(data, dict):
        return
    folder = os.path.dirname(where)
    for section in ("patches", "patchesStrategicMerge", "patchesJson6902"):
        for item in data.get(section) or [] if isinstance(data.get(section), list) else []:
            file = item.get("path") if isinstance(item, dict) else item
            if (
                isinstance(file, str)
                and "\n" not in file
                and file.endswith((".yaml", ".yml", ".json"))
            ):
                remember(os.path.join(folder, file))


def load_source(target: str, offline: bool = False) -> Source:
    """`offline`: refuse what would reach the network (remote kustomize resources)."""
    path = Path(target)
    if not path.exists():
        raise SourceError(f"{target}: no such file or directory")
    if path.is_dir():
        if (path / "Chart.yaml").is_file():
            return _load_chart_dir(path)
        for name in ("kustomization.yaml", "kustomization.yml", "Kustomization"):
            if (path / name).is_file():
                return _kustomize(path, offline)
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


__all__ = [
    "KUSTOMIZE_SOURCES",
    "ChartSource",
    "ManifestSource",
    "Source",
    "chart_archive_bytes",
    "load_source",
    "safe_tar_members",
]
