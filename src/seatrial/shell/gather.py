"""Gather the scripts every container of one render runs (the engine calls this before checks).

All I/O of the ST3xx checks happens here: reading ConfigMaps and Secrets of the render,
`--script-path` trees, and files out of images through the image index. The analysis runs here
too, so checks only compare its reads with what each container provides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from seatrial.errors import UsageError
from seatrial.facts.image import ImageFileReader, ImageResult
from seatrial.facts.scripts import (
    ContainerScripts,
    OriginKind,
    ProblemKind,
    Script,
    ScriptOrigin,
    ScriptProblem,
    UnboundRead,
)
from seatrial.objects.extract import ObjectSet
from seatrial.objects.model import Container, Workload
from seatrial.shell.analysis import Analysis, Loaded, analyze
from seatrial.shell.discovery import (
    Locator,
    Missing,
    SourceLocator,
    block_first_line,
    chart_location,
    command_line,
    entry_script,
    expand_references,
    manifest_location,
)
from seatrial.shell.parse import bash_syntax, nounset_flags, shebang

#: how deep `exec /other/script.sh` chains are followed
MAX_CHAIN = 4


@dataclass(frozen=True)
class ScriptOptions:
    """`script_paths` maps a directory inside images to a local source tree
    (`--script-path IMAGE_DIR=LOCAL_DIR`). `chart_files` are the chart's files (chart-relative
    path -> text, `RenderedMatrix.files`): with them, a script rendered into a ConfigMap or an
    inline command is located at its line in the template or in the chart file it came from."""

    script_paths: Mapping[str, Path] = field(default_factory=dict)
    chart_files: Mapping[str, str] = field(default_factory=dict)
    #: see `discovery.SourceLocator` (None: plain manifests' own lines)
    locate: SourceLocator | None = field(default=None, compare=False)
    #: how a script is read out of an image (`images.index.read_image_file`; None: scripts in
    #: images are not read). Handed in by the engine: `shell` does not import `images`.
    read_image_file: ImageFileReader | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        for image_dir, local_dir in self.script_paths.items():
            if not image_dir.startswith("/"):
                raise UsageError(
                    f"--script-path {image_dir}={local_dir}: IMAGE_DIR must be an "
                    "absolute path inside the image"
                )
            if not Path(local_dir).is_dir():
                raise UsageError(
                    f"--script-path {image_dir}={local_dir}: {local_dir} is not a directory"
                )


def gather_scripts(
    objects: ObjectSet, images: Mapping[str, ImageResult], options: ScriptOptions
) -> dict[tuple[str, str], ContainerScripts]:
    """The scripts of every container that runs one, keyed by (object key, container name)."""
    out: dict[tuple[str, str], ContainerScripts] = {}
    for w in objects.workloads:
        for c in w.pod.all_containers:
            found = container_scripts(w, c, objects, images.get(c.image), options)
            if found is not None:
                out[(w.obj.key, c.name)] = found
    return out


def _is_shell_text(text: str, certain: bool) -> tuple[bool, bool | None]:
    """Whether a file is a shell script, and what its shebang says about nounset."""
    sb = shebang(text)
    if sb is not None:
        return sb.is_shell, nounset_flags(sb.flags)
    return certain and "\0" not in text[:4096], None


def container_scripts(
    workload: Workload,
    container: Container,
    objects: ObjectSet,
    image: ImageResult | None,
    options: ScriptOptions,
) -> ContainerScripts | None:
    line = command_line(container, image)
    if line is None:
        return None
    raw_words, fields = line
    expanded = [expand_references(w, container) for w in raw_words]
    words = [w for w, _ in expanded]
    entry = entry_script(words, fields)
    if entry is None:
        return None
    unknown = {w for w, known in expanded if not known}
    args: tuple[str | None, ...] = tuple(None if a in unknown else a for a in entry.args)
    locator = Locator(
        workload,
        container,
        objects,
        image,
        options.script_paths,
        options.chart_files,
        options.locate,
        options.read_image_file,
    )
    obj = workload.obj
    if entry.inline is not None:
        first = block_first_line(obj, entry.field, entry.inline)
        file = obj.source
        start = options.locate(obj, entry.field, entry.inline) if options.locate else None
        if start is not None:
            file, first = start.file, start.line
        if obj.is_template:
            at = chart_location(options.chart_files, obj.source, None, entry.inline)
            first = at[1] if at is not None and at[0] == obj.source else None
        origin = ScriptOrigin(
            OriginKind.INLINE,
            "<inline>",
            file,
            f"{obj.kind} {obj.name} container {container.name}",
            first,
            manifest_location(obj, entry.field, options.locate),
        )
        loaded = Loaded(entry.inline, origin)
        nounset = entry.nounset
    else:
        found = locator.find(entry.path) if entry.shell else locator.find_command(entry.path)
        if isinstance(found, Missing):
            if not entry.certain or not found.knowable:
                return None
            return ContainerScripts(
                container.name,
                tuple(words),
                (),
                (),
                (
                    ScriptProblem(
                        ProblemKind.NOT_FOUND,
                        entry.path,
                        found.reason,
                        unverified=found.unverified,
                    ),
                ),
            )
        is_shell, from_shebang = _is_shell_text(found.text, entry.certain or bool(entry.shell))
        if not is_shell and not entry.shell:
            return None
        loaded = found
        nounset = entry.nounset if entry.shell else from_shebang
    scripts: list[Script] = [Script(loaded.origin, loaded.text, entry.args)]
    reads: list[UnboundRead] = []
    problems: list[ScriptProblem] = []
    result = analyze(
        loaded,
        args,
        nounset=bool(nounset),
        resolve=locator.resolver,
        assigned=entry.extra_env,
        checker=bash_syntax,
    )
    _collect(result, scripts, reads, problems)
    _follow(result, locator, scripts, reads, problems, entry.inline is not None, 1)
    return ContainerScripts(
        container.name,
        tuple(words),
        tuple(scripts),
        tuple(reads),
        tuple(problems),
        frozenset(result.exported),
    )


def _collect(
    result: Analysis, scripts: list[Script], reads: list[UnboundRead], problems: list[ScriptProblem]
) -> None:
    known = {s.origin.path for s in scripts}
    scripts.extend(s for s in result.sourced if s.origin.path not in known)
    reads.extend(result.reads)
    problems.extend(result.problems)


def _follow(
    result: Analysis,
    locator: Locator,
    scripts: list[Script],
    reads: list[UnboundRead],
    problems: list[ScriptProblem],
    report_missing: bool,
    depth: int,
) -> None:
    """Analyze the scripts this one starts (`exec /opt/x.sh install`), with what it exports."""
    if depth > MAX_CHAIN:
        return
    for inv in result.invocations:
        found = locator.find(inv.path) if inv.shell else locator.find_command(inv.path)
        if isinstance(found, Missing):
            if report_missing and found.knowable:
                problems.append(
                    ScriptProblem(
                        ProblemKind.NOT_FOUND, inv.path, found.reason, unverified=found.unverified
                    )
                )
            continue
        is_shell, from_shebang = _is_shell_text(found.text, True)
        if not is_shell and not inv.shell:
            continue
        args = tuple(a or "" for a in inv.args)
        if any(s.origin.path == found.origin.path and s.args == args for s in scripts):
            continue
        scripts.append(Script(found.origin, found.text, args))
        nounset = inv.nounset if inv.shell else from_shebang
        child = analyze(
            found,
            inv.args,
            nounset=bool(nounset),
            resolve=locator.resolver,
            assigned=inv.exported,
            checker=bash_syntax,
        )
        _collect(child, scripts, reads, problems)
        _follow(child, locator, scripts, reads, problems, False, depth + 1)
