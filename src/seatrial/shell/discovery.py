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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seatrial.facts.image import ImageFacts, ImageFileReader, ImageProblem, ImageResult
from seatrial.facts.scripts import OriginKind, ScriptOrigin
from seatrial.findings import Location
from seatrial.objects import kubelet
from seatrial.objects.extract import ObjectSet
from seatrial.objects.model import Container, FieldPath, K8sObject, PodSpec, Volume, Workload
from seatrial.shell.analysis import Loaded, RuntimeFile, UnreadFile
from seatrial.shell.parse import nounset_flags

_WRAPPERS = frozenset({"tini", "tini-static", "dumb-init", "catatonit", "exec"})
_SCRIPT_SUFFIXES = (".sh", ".bash")


@dataclass(frozen=True)
class EntryScript:
    """The script a command line starts: inline text (`sh -c`) or a file path."""

    path: str  # container path, or "<inline>"
    args: tuple[str, ...]
    shell: str  # "" when the file's shebang decides
    nounset: bool | None  # what the shell's own flags say (`bash -u`, `sh -euc`)
    inline: str | None = None
    field: FieldPath = ()  # where the inline text or the path is, in the container
    extra_env: frozenset[str] = frozenset()  # `env A=1 ...`
    certain: bool = True  # a shell runs it or its name says it is a script


def command_line(
    container: Container,
    image: ImageResult | None,
) -> tuple[list[str], list[FieldPath]] | None:
    """The argv the container starts with, and the field each word comes from (image words
    have the empty path). None when it depends on an image that was not inspected."""
    facts = image if isinstance(image, ImageFacts) else None
    if kubelet.needs_image(container) and facts is None:
        return None
    words = kubelet.argv(
        container, facts.entrypoint if facts else None, facts.cmd if facts else None
    )
    return [w.text for w in words], [w.field(container) for w in words]


def expand_references(word: str, container: Container) -> tuple[str, bool]:
    """`$(VAR)` expansion of a command or args word from the container's env: the word and
    whether it is fully known (a `valueFrom` variable is not)."""
    return kubelet.expand_references(word, kubelet.literal_env(container))


def entry_script(words: list[str], fields: list[FieldPath]) -> EntryScript | None:
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
        elif (
            base == kubelet.MULTI_CALL
            and i + 1 < len(words)
            and words[i + 1] in kubelet.PARSED_SHELLS
        ):
            i += 1
        else:
            break
    if i >= len(words):
        return None
    head, rest, rest_fields = words[i], words[i + 1 :], fields[i + 1 :]
    base = posixpath.basename(head)
    if base in kubelet.PARSED_SHELLS:
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
        inline = any(
            f.startswith("-") and not f.startswith("--") and "c" in f[1:] and f[1:].isalpha()
            for f in flags
        )
        if j >= len(rest):
            return None
        if inline:
            return EntryScript(
                "<inline>",
                tuple(rest[j + 2 :]),
                base,
                nounset,
                rest[j],
                rest_fields[j],
                frozenset(env),
            )
        return EntryScript(
            rest[j], tuple(rest[j + 1 :]), base, nounset, None, rest_fields[j], frozenset(env)
        )
    return EntryScript(
        head,
        tuple(rest),
        "",
        None,
        None,
        fields[i],
        frozenset(env),
        certain=head.endswith(_SCRIPT_SUFFIXES),
    )


#: where a field of an object of a kustomize build is in the source file the user edits and,
#: given the text of a multi-line string there, where that text's first line is (line None when
#: unknown); None for other objects. The engine passes `render.locate.locate_text`.
SourceLocator = Callable[[K8sObject, FieldPath, str | None], Location | None]


def manifest_location(
    obj: K8sObject, path: FieldPath, locate: SourceLocator | None = None
) -> Location:
    """The line of a field in the file the user edits (exact for plain manifests)."""
    found = locate(obj, path, None) if locate is not None else None
    if found is not None:
        return found
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
    if "\n" not in text.rstrip("\n") and not here.endswith((">", ">-", ">+", "|", "|-", "|+")):
        return obj.doc_line + line  # a one-line scalar starts on the item's own line
    return None


def chart_location(
    files: Mapping[str, str], template: str, key: str | None, text: str
) -> tuple[str, int] | None:
    """Where a script rendered from a chart is in the chart's own files: a file with the same
    content (`{{ .Files.Get "scripts/x.sh" }}`), or the block under `key: |` in the template
    whose following lines are the script's."""
    body = text.rstrip("\n")
    same = sorted(p for p, t in files.items() if t.rstrip("\n") == body and body)
    if len(same) == 1:
        return same[0], 1
    source = files.get(template)
    if source is None:
        return None
    lines = source.splitlines()
    want = [ln.strip() for ln in body.splitlines()[:3]]
    hits = []
    for i, line in enumerate(lines):
        head = line.strip()
        if key is not None and not head.startswith((f"{key}:", f'"{key}":', f"'{key}':")):
            continue
        if key is None and not head.startswith("- "):
            continue
        if not head.endswith(("|", "|-", "|+")):
            continue
        if [ln.strip() for ln in lines[i + 1 : i + 1 + len(want)]] == want:
            hits.append(i + 2)
    return (template, hits[0]) if len(hits) == 1 else None


@dataclass(frozen=True)
class Missing:
    """Why a path could not be read. `knowable` is False when the content only exists once
    the pod runs (an emptyDir an init container fills, a hostPath, a volume claim): that is
    not a missing script, and nothing is reported."""

    reason: str
    knowable: bool = True
    #: the file may well be there: the image holding it could not be read (offline, registry
    #: error, image checks off), so nothing was checked
    unverified: bool = False


@dataclass(frozen=True)
class _Source:
    """One ConfigMap or Secret a volume (or one source of a projected volume) maps in."""

    kind: str
    name: str
    items: tuple[tuple[str, str], ...]


class Locator:
    """Finds files for one container: mounts, then `--script-path` trees, then the image."""

    def __init__(
        self,
        workload: Workload,
        container: Container,
        objects: ObjectSet,
        image: ImageResult | None,
        script_paths: Mapping[str, Path],
        chart_files: Mapping[str, str] | None = None,
        locate: SourceLocator | None = None,
        read_image_file: ImageFileReader | None = None,
    ) -> None:
        self.workload = workload
        self.pod: PodSpec = workload.pod
        self.container = container
        self.objects = objects
        self.image = image
        self.read_image_file = read_image_file
        self.script_paths = script_paths
        self.chart_files = chart_files or {}
        self.locate = locate
        self.cache: dict[str, Loaded | Missing] = {}

    def cwd(self) -> str:
        image_dir = self.image.working_dir if isinstance(self.image, ImageFacts) else ""
        return self.container.working_dir or image_dir or "/"

    def find(self, path: str) -> Loaded | Missing:
        """The script at `path` in the container, or why it cannot be read."""
        path = posixpath.normpath(posixpath.join(self.cwd(), path))
        if path not in self.cache:
            self.cache[path] = self._find(path)
        return self.cache[path]

    def find_command(self, name: str) -> Loaded | Missing:
        """A program named without a slash is looked up in PATH, as exec does."""
        if "/" in name:
            return self.find(name)
        image_path = self.image.env_value("PATH") if isinstance(self.image, ImageFacts) else None
        path_env = kubelet.search_path(self.container, image_path)
        if path_env is None:
            return Missing(
                f"{name} is looked up on a PATH the container sets from a reference", False
            )
        last: Missing | None = None
        for candidate in kubelet.path_candidates(name, path_env):
            found = self.find(candidate)
            if isinstance(found, Loaded):
                return found
            last = found
        return Missing(
            f"{name} is not found in PATH ({path_env})" + (f": {last.reason}" if last else ""),
            last.knowable if last else True,
        )

    def resolver(self, path: str) -> Loaded | RuntimeFile | UnreadFile | None:
        found = self.find(path)
        if isinstance(found, Missing):
            if found.unverified:
                return UnreadFile(found.reason)
            return None if found.knowable else RuntimeFile(found.reason)
        return found

    def _find(self, path: str) -> Loaded | Missing:
        mounted = self._from_mount(path)
        if mounted is not None:
            return mounted
        for image_dir, local_dir in self.script_paths.items():
            root = posixpath.normpath("/" + image_dir.strip("/"))
            if path == root or path.startswith(root.rstrip("/") + "/"):
                local = local_dir / path[len(root) :].lstrip("/")
                if local.is_file():
                    try:
                        text = local.read_text(encoding="utf-8", errors="surrogateescape")
                    except OSError as exc:
                        return Missing(f"{local} could not be read: {exc.strerror}")
                    return Loaded(
                        text,
                        ScriptOrigin(
                            OriginKind.LOCAL, path, str(local), f"--script-path {image_dir}", 1
                        ),
                    )
        return self._from_image(path)

    def _from_image(self, path: str) -> Loaded | Missing:
        image = self.image
        ref = self.container.image
        if image is None:
            return Missing(
                f"{path} is not on a volume and image {ref} was not inspected "
                "(offline or image checks disabled); --script-path can point at a "
                "local copy",
                unverified=True,
            )
        if isinstance(image, ImageProblem):
            return Missing(
                f"{path} is not on a volume and image {ref} is unavailable: {image.detail(ref)}",
                unverified=True,
            )
        if self.read_image_file is None:
            return Missing(
                f"{path} is not on a volume and the files of image {ref} were not read",
                unverified=True,
            )
        data = self.read_image_file(image, path)
        if data is None:
            return Missing(f"{path} is neither on a volume nor in image {ref}")
        text = data.decode("utf-8", "surrogateescape")
        return Loaded(text, ScriptOrigin(OriginKind.IMAGE, path, f"{ref}:{path}", f"image {ref}"))

    def _sources(self, volume: Volume) -> list[_Source]:
        if volume.kind in ("configMap", "secret"):
            kind = "ConfigMap" if volume.kind == "configMap" else "Secret"
            return [_Source(kind, volume.ref_name, volume.items)]
        raw: Any = self.workload.obj.body
        for key in (*self.pod.path, "volumes"):
            raw = raw.get(key) if isinstance(raw, Mapping) else None
        spec = (
            next(
                (
                    v.get("projected")
                    for v in raw or []
                    if isinstance(v, Mapping) and v.get("name") == volume.name
                ),
                None,
            )
            if isinstance(raw, list)
            else None
        )
        out: list[_Source] = []
        for src in spec.get("sources") or [] if isinstance(spec, Mapping) else []:
            for field_name, kind in (("configMap", "ConfigMap"), ("secret", "Secret")):
                ref = src.get(field_name) if isinstance(src, Mapping) else None
                if isinstance(ref, Mapping):
                    items = tuple(
                        (str(i.get("key", "")), str(i.get("path", "")))
                        for i in ref.get("items") or []
                        if isinstance(i, Mapping)
                    )
                    out.append(_Source(kind, str(ref.get("name", "")), items))
        return out

    def _from_mount(self, path: str) -> Loaded | Missing | None:
        mounts = sorted(self.container.volume_mounts, key=lambda m: len(m.mount_path), reverse=True)
        for m in mounts:
            root = posixpath.normpath(m.mount_path or "/")
            if path != root and not path.startswith(root.rstrip("/") + "/"):
                continue
            rel = path[len(root) :].lstrip("/")
            if m.sub_path:
                rel = posixpath.join(m.sub_path, rel) if rel else m.sub_path
            volume = self.pod.volume(m.name)
            if volume is None:
                return Missing(f"{path} is on volume {m.name}, which the pod does not declare")
            if volume.kind not in ("configMap", "secret", "projected"):
                return Missing(
                    f"{path} is on a {volume.kind} volume ({volume.name}), whose "
                    "content is only known when the pod runs",
                    knowable=False,
                )
            reasons: list[str] = []
            for source in self._sources(volume):
                found = self._from_config(source, rel, path, volume.name)
                if isinstance(found, Loaded):
                    return found
                reasons.append(found.reason)
            return Missing("; ".join(reasons) or f"{path}: volume {volume.name} maps nothing in")
        return None

    def _from_config(self, source: _Source, rel: str, path: str, volume: str) -> Loaded | Missing:
        kind = source.kind
        key = rel
        if source.items:
            key = next((k for k, p in source.items if posixpath.normpath(p) == rel), "")
            if not key:
                return Missing(
                    f"{path}: {kind} {source.name} (volume {volume}) projects no item at {rel}"
                )
        config = self.objects.config(kind, source.name)
        if config is None:
            return Missing(
                f"{kind} {source.name} (volume {volume}, holding {path}) is not "
                "rendered in this chart or directory"
            )
        if key not in config.data:
            return Missing(f"{kind} {source.name} has no key {key!r} (needed for {path})")
        text = config.data[key]
        string_data = config.obj.body.get("stringData")
        field_path: FieldPath = (
            "stringData"
            if config.is_secret and isinstance(string_data, Mapping) and key in string_data
            else "data",
            key,
        )
        origin_kind = OriginKind.SECRET if config.is_secret else OriginKind.CONFIGMAP
        file, first = config.obj.source, None
        if config.is_secret:
            pass  # never point at secret text
        elif config.obj.is_template:
            found = chart_location(self.chart_files, config.obj.source, key, text)
            if found is not None:
                file, first = found
        elif start := self.locate(config.obj, field_path, text) if self.locate else None:
            file, first = start.file, start.line
        else:
            first = block_first_line(config.obj, field_path, text)
        return Loaded(
            text,
            ScriptOrigin(
                origin_kind,
                path,
                file,
                f"{kind} {config.name} key {key}",
                first,
                manifest_location(config.obj, field_path, self.locate),
            ),
        )
