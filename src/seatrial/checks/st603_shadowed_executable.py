"""ST603 shadowed-executable."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field

from seatrial.checks.image_occurrences import also_run_by
from seatrial.checks.registry import MatrixContext, Scope, Violation, check
from seatrial.facts.files import DIR, FILE, SYMLINK, FileEntry, FileIndex, SymlinkLoop
from seatrial.facts.image import ImageFacts
from seatrial.findings import Cell, Severity
from seatrial.images.program import path_env
from seatrial.objects.model import Container, Workload


def _resolve(files: FileIndex, path: str) -> FileEntry | None:
    try:
        return files.resolve(path)
    except SymlinkLoop:
        return None


def shadowed(files: FileIndex, search: str) -> list[tuple[str, list[str]]]:
    """Program names found in more than one directory of `search` (a PATH value) as different
    files: (name, [path that wins, paths it shadows...]). Directories that are the same one
    through a symlink (`/bin` -> `usr/bin`) count once; two names for one file are not
    shadowing."""
    dirs: list[tuple[str, str]] = []  # (as written on PATH, real directory)
    for written in search.split(":"):
        entry = _resolve(files, written) if written.startswith("/") else None
        if entry is not None and entry.type == DIR and entry.path not in {r for _, r in dirs}:
            dirs.append((written, entry.path))
    wanted = {real for _, real in dirs}
    members: dict[str, list[str]] = {}
    for e in files:
        parent = posixpath.dirname(e.path)
        if parent in wanted and e.type in (FILE, SYMLINK):
            members.setdefault(parent, []).append(posixpath.basename(e.path))
    hits: dict[str, list[tuple[str, str]]] = {}  # name -> [(path on PATH, final file)]
    for written, real in dirs:
        for name in sorted(members.get(real, ())):
            final = _resolve(files, posixpath.join(real, name))
            if final is not None and final.is_executable:
                hits.setdefault(name, []).append((posixpath.join(written, name), final.path))
    out = []
    for name, found in sorted(hits.items()):
        finals: dict[str, str] = {}
        for shown, real_file in found:
            finals.setdefault(real_file, shown)
        if len(finals) > 1:
            out.append((name, list(finals.values())))
    return out


@dataclass
class _ImageUse:
    """The containers whose PATH is one image's own, and the cells they render in."""

    fix: str
    users: dict[tuple[str, str], tuple[Workload, Container]] = field(default_factory=dict)
    cells: set[Cell] = field(default_factory=set)


@check("ST603", "shadowed-executable", Severity.WARNING, scope=Scope.MATRIX, needs_images=True)
def shadowed_executable(ctx: MatrixContext) -> Iterator[Violation]:
    """One program name is on the container's PATH in several directories of its image.

    The PATH is the container's `env` PATH when it sets one, else the image's Env PATH (else
    the runtime default). The first directory wins; the finding names it and the copies it
    hides. Directories that are one directory through a symlink (`/bin` -> `usr/bin`) and
    symlinks to the same file are not reported. A finding about the image's own PATH is
    reported once per image, on the first workload that runs it (by kind and name); the
    message names the other workloads and `see:` points at their `image:` lines.

    ## Why is this bad?
    Which program runs depends on the order of PATH, which changes with a base image, an
    `env` entry or an installer that prepends a directory. Two copies are usually two versions
    (a package's `/usr/bin/crictl` and a downloaded `/usr/local/bin/crictl`), and scripts and
    people run one while believing they run the other.

    ## Example
        # image: /usr/local/bin/crictl (v1.29) and /usr/bin/crictl (v1.28, from a package)
        env:
          - name: PATH
            value: /usr/bin:/usr/local/bin     # now v1.28 runs

    ## Fix
    Remove one copy from the image, or call the program by its full path.
    """
    by_image: dict[str, _ImageUse] = {}  # message -> who runs that image with its own PATH
    for cell in ctx.renders:
        for w in cell.objects.workloads:
            for c in w.pod.all_containers:
                image = cell.facts.images.get(c.image)
                if not isinstance(image, ImageFacts):
                    continue
                search = path_env(c, image)
                if search is None:
                    continue
                env_index = next((i for i, e in enumerate(c.env) if e.name == "PATH"), None)
                if env_index is not None:  # the container's own PATH: its own finding
                    for message, fix in shadow_messages(
                        image.files, search, "the container's PATH", c.image
                    ):
                        yield Violation(
                            message,
                            field=(*c.path, "env", env_index),
                            fix=fix,
                            obj=w.obj,
                            container=c.name,
                            cells=cell.cells,
                        )
                    continue
                for message, fix in shadow_messages(
                    image.files, search, "the image's PATH", c.image
                ):
                    use = by_image.setdefault(message, _ImageUse(fix))
                    use.users.setdefault((w.obj.key, c.name), (w, c))
                    use.cells.update(cell.cells)
    for message, use in by_image.items():
        (first_w, first_c), *others = (use.users[k] for k in sorted(use.users))
        suffix, related = also_run_by(
            (first_w.obj, first_c), [(w.obj, c) for w, c in others], ctx.template_sources
        )
        yield Violation(
            message + suffix,
            field=(*first_c.path, "image"),
            fix=use.fix,
            obj=first_w.obj,
            container=first_c.name,
            cells=tuple(sorted(use.cells)),
            related=related,
        )


def shadow_messages(
    files: FileIndex, search: str, origin: str, image: str
) -> Iterator[tuple[str, str]]:
    """(message, fix) for each shadowed name; shared with `seatrial assets --image`."""
    for name, (winner, *hidden) in shadowed(files, search):
        yield (
            f"{name} is in {len(hidden) + 1} directories of {origin} ({search}) in image "
            f"{image}: {winner} runs, shadowing {', '.join(hidden)}",
            f"remove the other copies of {name} from the image, or run {winner} by its full path",
        )
