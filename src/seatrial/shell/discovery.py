"""Which script a container runs, and where its text lives.

The command line is the container's `command` + `args`, or the image ENTRYPOINT + CMD where the
manifest leaves them out. Forms understood: `bash /path/x.sh sub`, `sh -euc '...' name a b`
(the inline text is the script), `/path/x.sh` run directly (its shebang decides the shell),
behind `tini --`, `dumb-init`, `env A=1` or `exec`.

A path is looked up, in order, in the container's volume mounts (a ConfigMap or Secret volume,
with `subPath` and `items` resolved to the data key of the rendered object), in the
`--script-path IMAGE_DIR=LOCAL_DIR` source trees, and in the image filesystem (through the image
index, without extracting the image).
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seatrial.findings import Location
from seatrial.objects.extract import ObjectSet
from seatrial.objects.model import Container, FieldPath, K8sObject, PodSpec, Workload
from seatrial.shell.analysis import Loaded
from seatrial.shell.facts import OriginKind, ScriptOrigin
from seatrial.shell.parse import SHELLS, nounset_flags

_WRAPPERS = frozenset({"tini", "tini-static", "dumb-init", "catatonit", "exec"})
_SCRIPT_SUFFIXES = (".sh", ".bash")


@dataclass(frozen=True)
class Entry:
    """The script a command line starts: inline text (`sh -c`) or a file path."""

    path: str  # container path, or "<inline>"
    args: tuple[str, ...]
    shell: str  # "" when the file's shebang decides
    nounset: bool | None  # what the shell's own flags say (`bash -u`, `sh -euc`)
    inline: str | None = None
    field: FieldPath = ()  # where the inline text or the path is, in the container
    extra_env: frozenset[str] = frozenset()  # `env A=1 ...`
    certain: bool = True  # a shell runs it or its name says it is a script


def command_line(container: Container, image: Any) -> tuple[list[str], list[FieldPath]] | None:
    """The argv the container starts with, and the field each word comes from (image words
    have the empty path). None when it depends on an image that was not inspected."""
    entrypoint = getattr(image, "entrypoint", None)
    cmd = getattr(image, "cmd", None)
    if container.command is not None:
        words = list(container.command)
        fields: list[FieldPath] = [(*container.path, "command", i) for i in range(len(words))]
        args = container.args or ()
        words += list(args)
        fields += [(*container.path, "args", i) for i in range(len(args))]
        return words, fields
    if not hasattr(image, "entrypoint"):
        return None
    words = list(entrypoint or ())
    fields = [() for _ in words]
    if container.args is not None:
        words += list(container.args)
        fields += [(*container.path, "args", i) for i in range(len(container.args))]
    else:
        words += list(cmd or ())
        fields += [() for _ in cmd or ()]
    return words, fields


def entry_script(words: list[str], fields: list[FieldPath]) -> Entry | None:
    """The script `words` runs, if it is a shell script."""
    i = 0
    env: set[str] = set()
    while i < len(words):
        base = posixpath.basename(words[i])
        if base in _WRAPPERS:
            i += 1
            while i < len(words) and words[i].startswith("-"):
                i += 1
                if words[i - 1] == "--":
                    break
        elif base == "env":
            i += 1
            while i < len(words) and ("=" in words[i] or words[i].startswith("-")):
                if "=" in words[i]:
                    env.add(words[i].split("=", 1)[0])
                i += 1
        elif base == "busybox" and i + 1 < len(words) and words[i + 1] in SHELLS:
            i += 1
        else:
            break
    if i >= len(words):
        return None
    head, rest, rest_fields = words[i], words[i + 1:], fields[i + 1:]
    base = posixpath.basename(head)
    if base in SHELLS:
        flags: list[str] = []
        j = 0
        while j < len(rest) and rest[j].startswith(("-", "+")) and rest[j] != "--":
            flags.append(rest[j])
            if rest[j] in ("-o", "+o") and j + 1 < len(rest):
                flags.append(rest[j + 1])
                j += 1
            j += 1
        if j < len(rest) and rest[j] == "--":
            j += 1
        nounset = nounset_flags(flags)
        inline = any(f.startswith("-") and not f.startswith("--") and "c" in f[1:]
                     and f[1:].isalpha() for f in flags)
        if j >= len(rest):
            return None
        if inline:
            return Entry("<inline>", tuple(rest[j + 2:]), base, nounset, rest[j],
                         rest_fields[j], frozenset(env))
        return Entry(rest[j], tuple(rest[j + 1:]), base, nounset, None, rest_fields[j],
                     frozenset(env))
    return Entry(head, tuple(rest), "", None, None, fields[i], frozenset(env),
                 certain=head.endswith(_SCRIPT_SUFFIXES))


def manifest_location(obj: K8sObject, path: FieldPath) -> Location:
    """The line of a field in the file the user edits (exact for plain manifests)."""
    line = obj.line_of(path)
    if not obj.is_template and line is not None:
        return Location(obj.source, obj.doc_line + line)
    where = ".".join(str(p) for p in path)
    return Location(obj.source, None, note=f"{obj.kind} {obj.name} {where}")


def block_first_line(obj: K8sObject, path: FieldPath, text: str) -> int | None:
    """The file line holding line 1 of a multi-line string at `path`, when it can be checked
    exactly: a `|` block scalar of a plain manifest whose next line is the script's first."""
    line = obj.line_of(path)
    if obj.is_template or line is None:
        return None
    doc = obj.text.splitlines()
    if line - 1 >= len(doc):
        return None
    here = doc[line - 1].rstrip()
    first = text.split("\n", 1)[0].strip()
    if here.endswith(("|", "|-", "|+")) and line < len(doc) and doc[line].strip() == first:
        return obj.doc_line + line + 1
    if "\n" not in text.rstrip("\n") and first and first in here:
        return obj.doc_line + line
    return None


class Locator:
    """Finds files for one container: mounts, then `--script-path` trees, then the image."""

    def __init__(self, workload: Workload, container: Container, objects: ObjectSet,
                 image: Any, script_paths: Mapping[str, Path]) -> None:
        self.workload = workload
        self.pod: PodSpec = workload.pod
        self.container = container
        self.objects = objects
        self.image = image
        self.script_paths = script_paths
        self.cache: dict[str, Loaded | str] = {}

    def cwd(self) -> str:
        return self.container.working_dir or getattr(self.image, "working_dir", "") or "/"

    def find(self, path: str) -> Loaded | str:
        """The script at `path` in the container, or why it cannot be read."""
        path = posixpath.normpath(posixpath.join(self.cwd(), path))
        if path not in self.cache:
            self.cache[path] = self._find(path)
        return self.cache[path]

    def resolver(self, path: str) -> Loaded | None:
        found = self.find(path)
        return found if isinstance(found, Loaded) else None

    def _find(self, path: str) -> Loaded | str:
        mounted = self._from_mount(path)
        if mounted is not None:
            return mounted
        for image_dir, local_dir in self.script_paths.items():
            root = posixpath.normpath("/" + image_dir.strip("/"))
            if path == root or path.startswith(root.rstrip("/") + "/"):
                local = local_dir / path[len(root):].lstrip("/")
                if local.is_file():
                    try:
                        text = local.read_text(encoding="utf-8", errors="surrogateescape")
                    except OSError as exc:
                        return f"{local} could not be read: {exc.strerror}"
                    return Loaded(text, ScriptOrigin(OriginKind.LOCAL, path, str(local),
                                                     f"--script-path {image_dir}", 1))
        return self._from_image(path)

    def _from_image(self, path: str) -> str | Loaded:
        image = self.image
        ref = self.container.image
        if image is None:
            return f"{path} is not on a volume and image {ref} was not inspected " \
                   "(offline or image checks disabled); --script-path can point at a local copy"
        if not hasattr(image, "read_file"):
            return f"{path} is not on a volume and image {ref} is unavailable: " \
                   f"{getattr(image, 'reason', 'unknown reason')}"
        data = image.read_file(path)
        if data is None:
            return f"{path} is neither on a volume nor in image {ref}"
        text = data.decode("utf-8", "surrogateescape")
        return Loaded(text, ScriptOrigin(OriginKind.IMAGE, path, f"{ref}:{path}", f"image {ref}"))

    def _from_mount(self, path: str) -> Loaded | str | None:
        mounts = sorted(self.container.volume_mounts, key=lambda m: len(m.mount_path),
                        reverse=True)
        for m in mounts:
            root = posixpath.normpath(m.mount_path or "/")
            if path != root and not path.startswith(root.rstrip("/") + "/"):
                continue
            rel = path[len(root):].lstrip("/")
            if m.sub_path:
                rel = posixpath.join(m.sub_path, rel) if rel else m.sub_path
            volume = self.pod.volume(m.name)
            if volume is None:
                return f"{path} is on volume {m.name}, which the pod does not declare"
            if volume.kind not in ("configMap", "secret"):
                return f"{path} is on a {volume.kind} volume ({volume.name}), whose content " \
                       "is only known when the pod runs"
            kind = "ConfigMap" if volume.kind == "configMap" else "Secret"
            key = rel
            if volume.items:
                key = next((k for k, p in volume.items if posixpath.normpath(p) == rel), "")
                if not key:
                    return f"{path}: {kind} volume {volume.name} projects no item at {rel}"
            config = self.objects.config(kind, volume.ref_name)
            if config is None:
                return f"{kind} {volume.ref_name} (volume {volume.name}, holding {path}) is " \
                       "not rendered in this chart or directory"
            if key not in config.data:
                return f"{kind} {volume.ref_name} has no key {key!r} (needed for {path})"
            text = config.data[key]
            field_path: FieldPath = ("stringData" if config.is_secret and key in (
                config.obj.body.get("stringData") or {}) else "data", key)
            origin_kind = OriginKind.SECRET if config.is_secret else OriginKind.CONFIGMAP
            first = None if config.is_secret else block_first_line(config.obj, field_path, text)
            return Loaded(text, ScriptOrigin(
                origin_kind, path, config.obj.source, f"{kind} {config.name} key {key}", first,
                manifest_location(config.obj, field_path)))
        return None
