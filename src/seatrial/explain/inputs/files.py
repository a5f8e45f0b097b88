"""File inputs: one reader per layout, chosen by looking at what the path holds.

- a file of `kubectl get -o json|yaml` output (one object, a List, or several YAML documents);
- a text file or stdin (logs, `kubectl describe`, `kubectl get events`); a node's container
  log `/var/log/containers/<pod>_<namespace>_<container>-<id>.log` (CRI lines
  `<time> <stream> <F|P> <text>`) is tied to its pod and container;
- a `kubectl cluster-info dump --output-directory` directory: `nodes.json`, then per
  namespace `<ns>/pods.json`, `<ns>/events.json`, ... and `<ns>/<pod>/logs.txt` whose
  containers are delimited by `==== START logs for container C of pod NS/POD ====` markers;
- a troubleshoot.sh support bundle, as a directory or a `.tar.gz` archive:
  `cluster-resources/<resource>/<ns>.json` (a List or, from older versions, a bare array) and
  `cluster-resources/pods/logs/<ns>/<pod>/<container>[-previous].log`; node journals from
  host collectors (`host-collectors/run-host/<name>.txt`) are read as loose lines.
"""

from __future__ import annotations

import json
import re
import tarfile
import tempfile
from pathlib import Path
from typing import Any, TextIO

import yaml

from seatrial import yamlguard
from seatrial.errors import ArchiveError, SourceError
from seatrial.explain.evidence import EvidenceBuilder, Line, Origin, text_lines
from seatrial.explain.inputs.text import read_text

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_ARCHIVE_BYTES = 512 * 1024 * 1024

_START = re.compile(
    r"^==== START logs for container (?P<c>\S+) of pod (?P<ns>[^/\s]+)/(?P<pod>\S+) ====$"
)
_END = re.compile(r"^==== END logs for container \S+ of pod \S+ ====$")

_CRI_FILE = re.compile(
    r"^(?P<pod>[a-z0-9.-]+)_(?P<ns>[a-z0-9-]+)_(?P<c>[a-z0-9-]+)-[0-9a-f]{64}\.log$"
)
_CRI_LINE = re.compile(r"^\S+Z (?:stdout|stderr) [FP] ")

# the resource names both layouts use for the kinds seatrial reads
_COMMON_KINDS = {
    "pods": "Pod",
    "events": "Event",
    "deployments": "Deployment",
    "replicasets": "ReplicaSet",
    "daemonsets": "DaemonSet",
    "statefulsets": "StatefulSet",
    "jobs": "Job",
    "cronjobs": "CronJob",
    "secrets": "Secret",
}
# troubleshoot.sh `cluster-resources/<dir>/<ns>.json` -> kind of a bare array's items.
_BUNDLE_KINDS = {**_COMMON_KINDS, "pvcs": "PersistentVolumeClaim", "configmaps": "ConfigMap"}
# cluster-info dump `<ns>/<resource>.json` -> kind of its items.
_DUMP_KINDS = {
    **_COMMON_KINDS,
    "replicationcontrollers": "ReplicationController",
    "persistentvolumeclaims": "PersistentVolumeClaim",
}


def read_path(path: str, b: EvidenceBuilder) -> None:
    p = Path(path)
    if not p.exists():
        raise SourceError(f"{path}: no such file or directory")
    if p.is_dir():
        root = _bundle_root(p)
        if root is not None:
            _read_bundle(root, b, label=path)
        elif _is_dump(p):
            _read_dump(p, b)
        else:
            raise SourceError(f"{path}: not a cluster-info dump or a support bundle directory")
        return
    try:
        is_tar = tarfile.is_tarfile(p)
    except (tarfile.TarError, OSError, EOFError) as exc:
        # gzip/xz/bz2 that is cut short: is_tarfile raises instead of answering
        raise ArchiveError(f"{path}: broken or truncated archive: {exc}") from None
    if is_tar:
        _read_bundle_archive(p, b)
        return
    read_file(p, b)


def read_stdin(stream: TextIO, b: EvidenceBuilder) -> None:
    """Standard input, at most `MAX_FILE_BYTES` characters (read no further than that)."""
    text = stream.read(MAX_FILE_BYTES + 1)
    if len(text) > MAX_FILE_BYTES:
        raise SourceError(f"<stdin>: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    b.add_source("<stdin>")
    read_blob(text, "<stdin>", b)


def read_file(p: Path, b: EvidenceBuilder, label: str | None = None) -> None:
    if p.stat().st_size > MAX_FILE_BYTES:
        raise SourceError(f"{p}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise SourceError(f"{p}: {exc.strerror}") from None
    if b"\0" in data[:8192]:
        raise SourceError(f"{p}: binary data, not logs, events or kubectl output")
    text = data.decode("utf-8", errors="replace")
    name = label or str(p)
    b.add_source(name)
    cri = _CRI_FILE.match(p.name)
    if cri:
        lines = [Line(_CRI_LINE.sub("", ln.text), ln.origin) for ln in text_lines(text, name)]
        b.add_logs(cri.group("ns"), cri.group("pod"), cri.group("c"), lines)
        return
    read_blob(text, name, b)


def read_blob(text: str, file: str, b: EvidenceBuilder, kind_hint: str = "") -> None:
    """Structured (JSON/YAML objects) if it parses as such, text otherwise."""
    docs = _structured(text, file)
    if docs is not None:
        read = sum(b.add_document(d, file, text, kind_hint) for d in docs)
        if read or kind_hint:
            return
    read_text(text, file, b)


def _structured(text: str, file: str) -> list[Any] | None:
    head = text.lstrip()[:1]
    if head in ("{", "["):
        try:
            return [yamlguard.json_loads(text)]
        except yamlguard.TooDeep as exc:
            raise SourceError(f"{file}: {exc}") from None
        except json.JSONDecodeError:
            return None
    if not re.search(r"^(kind|apiVersion|items):", text, re.MULTILINE):
        return None
    try:
        return [d for d in yamlguard.safe_load_all(text) if d is not None]
    except yamlguard.ExcessiveNesting as exc:
        line = f":{exc.problem_mark.line + 1}" if exc.problem_mark else ""
        raise SourceError(f"{file}{line}: {exc.problem}") from None
    except yaml.YAMLError:
        return None


# -- cluster-info dump -------------------------------------------------------------------------


def _is_dump(p: Path) -> bool:
    return (p / "nodes.json").is_file() or any(p.glob("*/pods.json")) or any(p.glob("*/pods.yaml"))


def _read_dump(root: Path, b: EvidenceBuilder) -> None:
    b.add_source(str(root))
    for f in sorted(root.glob("*/*")):
        if f.is_file() and f.suffix in (".json", ".yaml"):
            kind = _DUMP_KINDS.get(f.stem, "")
            read_blob(_read(f), _rel(root, f), b, kind_hint=kind)
    for f in sorted(root.glob("*/*/*.txt")):
        _read_dump_logs(f, _rel(root, f), b, namespace=f.parent.parent.name, pod=f.parent.name)


def _read_dump_logs(f: Path, label: str, b: EvidenceBuilder, namespace: str, pod: str) -> None:
    """`logs.txt` holds every container between START/END markers; any other
    `<container>[-previous].txt` beside it holds one container."""
    text = _read(f)
    current: tuple[str, str, str] | None = None
    chunk: list[Line] = []
    saw_marker = False
    for i, row in enumerate(text.splitlines(), start=1):
        m = _START.match(row)
        if m:
            saw_marker = True
            current = (m.group("ns"), m.group("pod"), m.group("c"))
            chunk = []
            continue
        if _END.match(row):
            if current:
                b.add_logs(*current, chunk)
            current = None
            continue
        if current is not None and row.strip():
            chunk.append(Line(row.rstrip(), Origin(label, i)))
    if current:
        b.add_logs(*current, chunk)
    if not saw_marker and f.name != "logs.txt":
        container = re.sub(r"^logs-|-previous$", "", f.stem)
        b.add_logs(namespace, pod, container, text_lines(text, label))


# -- support bundle ----------------------------------------------------------------------------


def _bundle_root(p: Path) -> Path | None:
    if (p / "cluster-resources").is_dir():
        return p
    subdirs = [d for d in p.iterdir() if d.is_dir()]
    if len(subdirs) == 1 and (subdirs[0] / "cluster-resources").is_dir():
        return subdirs[0]
    return None


def _read_bundle_archive(p: Path, b: EvidenceBuilder) -> None:
    with tempfile.TemporaryDirectory(prefix="seatrial-bundle-") as tmp:
        try:
            with tarfile.open(p) as tar:
                total = sum(m.size for m in tar.getmembers() if m.isfile())
                if total > MAX_ARCHIVE_BYTES:
                    raise ArchiveError(
                        f"{p}: unpacks to more than {MAX_ARCHIVE_BYTES // (1024 * 1024)} MiB"
                    )
                tar.extractall(tmp, filter="data")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise ArchiveError(f"{p}: cannot unpack: {exc}") from None
        root = _bundle_root(Path(tmp))
        if root is None:
            raise SourceError(f"{p}: an archive without cluster-resources/: not a support bundle")
        _read_bundle(root, b, label=str(p), prefix=f"{p.name}!")


def _read_bundle(root: Path, b: EvidenceBuilder, label: str, prefix: str = "") -> None:
    b.add_source(label)
    resources = root / "cluster-resources"
    for f in sorted(resources.glob("*/*")):
        if f.is_file() and f.suffix in (".json", ".yaml"):
            kind = _BUNDLE_KINDS.get(f.parent.name, "")
            if kind:
                read_blob(_read(f), prefix + _rel(root, f), b, kind_hint=kind)
    for f in sorted((resources / "pods" / "logs").glob("*/*/*.log")):
        container = f.stem.removesuffix("-previous")
        b.add_logs(
            f.parent.parent.name,
            f.parent.name,
            container,
            text_lines(_read(f), prefix + _rel(root, f)),
        )
    # Node-level output of host collectors (`host-collectors/run-host/<name>.txt`: journals).
    for f in sorted(root.glob("host-collectors/**/*")):
        if f.is_file() and f.suffix in (".txt", ".log"):
            b.add_loose_lines(text_lines(_read(f), prefix + _rel(root, f)))
    # Objects saved by other collectors (`kubectl get -o json` output, a release Secret).
    for f in sorted(root.rglob("*.json")):
        if resources in f.parents:
            continue
        text = _read(f)
        if '"kind"' in text:
            read_blob(text, prefix + _rel(root, f), b)


def _read(f: Path) -> str:
    if f.stat().st_size > MAX_FILE_BYTES:
        raise SourceError(f"{f}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    return f.read_text(encoding="utf-8", errors="replace")


def _rel(root: Path, f: Path) -> str:
    return f.relative_to(root).as_posix()
