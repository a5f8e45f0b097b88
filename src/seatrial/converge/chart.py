"""The chart form: take what a rendered container runs (command, args, env, mounts) and turn
it into sandbox invocations.

    env        value, $(VAR) expansion, valueFrom configMapKeyRef/secretKeyRef/fieldRef/
               resourceFieldRef (node-specific fields get placeholders), envFrom
    mounts     hostPath -> the scratch state (the state directory is the node's /);
               configMap/secret volumes -> files written to a private directory, read-only;
               emptyDir -> a directory kept for the whole scenario (it survives restarts)
    scripts    from --script-path IMAGE_DIR=LOCAL_DIR, or with --script-from-image read from
               the image in its registry (the program, and the script a shell is asked to
               run); the sandbox root stays this machine's minimal root, not the image's
    no command the image ENTRYPOINT (and CMD unless args are set), with --script-from-image
"""

from __future__ import annotations

import os
import posixpath
import re
import shlex
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seatrial.converge import trees
from seatrial.converge.sandbox import Bind, host_shows
from seatrial.converge.scenarios import Invocation, StateMount
from seatrial.errors import RegistryError, SeatrialError, UsageError
from seatrial.findings import ObjectRef
from seatrial.objects import kubelet
from seatrial.objects.extract import ObjectSet, get_field
from seatrial.objects.model import Container, EnvVar, Workload

if TYPE_CHECKING:
    from seatrial.facts.image import ImageFacts
    from seatrial.images.gather import ImageOptions

#: what node- and pod-specific fields read as in the sandbox
PLACEHOLDERS: Mapping[str, str] = {
    "spec.nodeName": "seatrial-node",
    "status.hostIP": "10.0.0.1",
    "status.hostIPs": "10.0.0.1",
    "status.podIP": "10.0.0.2",
    "status.podIPs": "10.0.0.2",
    "metadata.uid": "00000000-0000-4000-8000-000000000000",
}


@dataclass
class Resolved:
    env: dict[str, str] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)
    placeholders: dict[str, str] = field(default_factory=dict)  # env name -> what it stands for


@dataclass(frozen=True)
class ChartRun:
    """One container of one workload, ready to run."""

    invocation: Invocation
    workload: Workload
    container: Container
    placeholders: Mapping[str, str]


def _expand(text: str, env: Mapping[str, str]) -> str:
    return kubelet.expand_references(text, env)[0]


def find_workload(objects: ObjectSet, spec: str) -> Workload:
    kind, sep, name = spec.partition("/")
    if not sep or not kind or not name:
        raise UsageError(f"--workload {spec!r}: expected KIND/NAME (e.g. DaemonSet/kata-deploy)")
    for w in objects.workloads:
        if w.kind.lower() == kind.lower() and w.name == name:
            return w
    have = ", ".join(f"{w.kind}/{w.name}" for w in objects.workloads) or "none"
    raise UsageError(f"--workload {spec}: not in the rendered objects (workloads: {have})")


def find_container(w: Workload, name: str | None) -> Container:
    containers = w.pod.all_containers
    if name is not None:
        for c in containers:
            if c.name == name:
                return c
        raise UsageError(
            f"{w.kind}/{w.name} has no container {name!r} "
            f"(containers: {', '.join(c.name for c in containers)})"
        )
    if len(containers) == 1:
        return containers[0]
    raise UsageError(
        f"{w.kind}/{w.name} has {len(containers)} containers: choose one with "
        f"--container ({', '.join(c.name for c in containers)})"
    )


def _config_value(objects: ObjectSet, kind: str, ref: Mapping[str, Any]) -> str | None:
    cfg = objects.config(kind, str(ref.get("name", "")))
    if cfg is None:
        return None
    return cfg.data.get(str(ref.get("key", "")))


def _field_ref(w: Workload, field_path: str, res: Resolved, env_name: str) -> str:
    template_md = (
        get_field(w.obj.body, (*w.pod.path[:-1], "metadata")) if w.kind != "Pod" else w.obj.metadata
    )
    md = template_md if isinstance(template_md, Mapping) else {}
    if field_path == "metadata.name":
        res.placeholders[env_name] = field_path
        return f"{w.name}-seatrial"
    if field_path == "metadata.namespace":
        return w.obj.namespace or "default"
    if field_path == "spec.serviceAccountName":
        return w.pod.service_account or "default"
    m = re.match(r"^metadata\.(labels|annotations)\['(.+)'\]$", field_path)
    if m:
        got = md.get(m.group(1))
        return str(got.get(m.group(2), "")) if isinstance(got, Mapping) else ""
    res.placeholders[env_name] = field_path
    return PLACEHOLDERS.get(field_path, f"seatrial-{field_path.replace('.', '-')}")


def resolve_env(
    objects: ObjectSet, w: Workload, c: Container, overrides: Mapping[str, str]
) -> Resolved:
    """The container's environment as the kubelet would build it, with `overrides` (from
    --env) winning. Unresolvable references are an error unless overridden."""
    res = Resolved()
    missing: list[str] = []
    for ef in c.env_from:
        cfg = objects.config(ef.kind, ef.name)
        if cfg is None:
            if not ef.optional:
                missing.append(f"envFrom {ef.kind} {ef.name}")
            continue
        from_source = kubelet.env_from_source(ef, cfg.data)
        res.env.update(from_source)
        if cfg.is_secret:
            res.secrets += from_source.values()
    for var in c.env:
        if var.name in overrides:
            res.env[var.name] = overrides[var.name]
            continue
        resolved = _env_value(objects, w, c, var, res, missing)
        if resolved is not None:
            res.env[var.name] = resolved
    res.env.update(overrides)
    if missing:
        raise UsageError(
            f"{w.kind}/{w.name} container {c.name}: cannot resolve "
            f"{', '.join(missing)} from the rendered objects; give the value with "
            "--env NAME=VALUE"
        )
    return res


def _env_value(
    objects: ObjectSet, w: Workload, c: Container, var: EnvVar, res: Resolved, missing: list[str]
) -> str | None:
    if var.value_from is None:
        return _expand(var.value or "", res.env)
    vf = var.value_from
    for key, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
        ref = vf.get(key)
        if isinstance(ref, Mapping):
            value = _config_value(objects, kind, ref)
            if value is None:
                if not ref.get("optional", False):
                    missing.append(f"{var.name} ({kind} {ref.get('name')} key {ref.get('key')})")
                return None
            if kind == "Secret":
                res.secrets.append(value)
            return value
    ref = vf.get("fieldRef")
    if isinstance(ref, Mapping):
        return _field_ref(w, str(ref.get("fieldPath", "")), res, var.name)
    ref = vf.get("resourceFieldRef")
    if isinstance(ref, Mapping):
        resource = str(ref.get("resource", ""))
        kind, _, name = resource.partition(".")
        got = get_field(w.obj.body, (*c.path, "resources", kind, name))
        res.placeholders[var.name] = f"resourceFieldRef {resource}"
        return str(got) if got is not None else "1"
    missing.append(f"{var.name} (valueFrom {', '.join(vf)})")
    return None


def _write_config_volume(
    objects: ObjectSet,
    w: Workload,
    volume_name: str,
    kind: str,
    ref_name: str,
    items: tuple[tuple[str, str], ...],
    optional: bool,
    into: Path,
) -> list[str]:
    """Write a configMap/secret volume's files; return the secret values written."""
    cfg = objects.config("Secret" if kind == "secret" else "ConfigMap", ref_name)
    into.mkdir(parents=True, exist_ok=True)
    if cfg is None:
        if optional:
            return []
        raise UsageError(
            f"{w.kind}/{w.name} volume {volume_name}: {kind} {ref_name} is not in "
            "the rendered objects"
        )
    raw_volumes = get_field(w.obj.body, (*w.pod.path, "volumes"))
    mode = 0o644
    for v in raw_volumes if isinstance(raw_volumes, list) else []:
        if isinstance(v, Mapping) and v.get("name") == volume_name:
            got = get_field(v, (kind, "defaultMode"))
            mode = got if isinstance(got, int) and 0 <= got <= 0o777 else mode
    pairs = items or tuple((k, k) for k in cfg.data)
    for key, rel in pairs:
        if key not in cfg.data:
            continue
        target = (into / rel).resolve()
        if not str(target).startswith(str(into.resolve()) + os.sep):
            raise UsageError(
                f"{w.kind}/{w.name} volume {volume_name}: item path {rel!r} escapes the volume"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(cfg.data[key], encoding="utf-8")
        target.chmod(mode)
    return list(cfg.data.values()) if cfg.is_secret else []


class ImageFiles:
    """Reads what a container runs from its image (each image resolved once): single
    programs (--script-from-image) or the whole filesystem as the sandbox root
    (--rootfs-from-image)."""

    def __init__(self, options: ImageOptions | None, rootfs: bool = False) -> None:
        self.options = options
        self.rootfs = rootfs
        self._facts: dict[str, ImageFacts] = {}
        self._roots: dict[str, Path] = {}

    def facts(self, ref: str) -> ImageFacts:
        from seatrial.facts.image import ImageFacts
        from seatrial.images.gather import gather_images

        assert self.options is not None
        if ref not in self._facts:
            result = gather_images([ref], self.options)[ref]
            if not isinstance(result, ImageFacts):
                raise RegistryError(f"image {ref}: {result.reason}")
            self._facts[ref] = result
        return self._facts[ref]

    def extract(self, ref: str, path: str, into: Path) -> Path | None:
        """Write the image's file at `path` under `into`; None when the image lacks it."""
        from seatrial.images.index import read_image_file

        facts = self.facts(ref)
        data = read_image_file(facts, path)
        if data is None:
            return None
        # `..` stops at the image root, as it does inside the container (and so it never
        # leads out of `into`)
        local = into / posixpath.normpath("/" + path.lstrip("/")).lstrip("/")
        local.parent.mkdir(parents=True, exist_ok=True)
        local.write_bytes(data)
        local.chmod(0o755 if facts.is_executable(path) else 0o644)
        return local

    def root(self, ref: str, workdir: Path) -> Path:
        """The image's filesystem, unpacked once under `workdir`."""
        from seatrial.converge.rootfs import unpack_rootfs

        if ref not in self._roots:
            dest = workdir / f"rootfs-{len(self._roots)}"
            dest.mkdir()
            unpack_rootfs(self.facts(ref), dest)
            self._roots[ref] = dest
        return self._roots[ref]


def _argv(w: Workload, c: Container, images: ImageFiles) -> tuple[str, ...]:
    if not kubelet.needs_image(c):
        return tuple(w.text for w in kubelet.argv(c, None, None))
    if images.options is None:
        raise UsageError(
            f"{w.kind}/{w.name} container {c.name} sets no command: its image ENTRYPOINT runs; "
            "read it from the registry with --script-from-image, or run the entrypoint with "
            "the plain form (seatrial converge --state DIR -- CMD ARGS...)"
        )
    facts = images.facts(c.image)
    argv = tuple(w.text for w in kubelet.argv(c, facts.entrypoint, facts.cmd))
    if not argv:
        raise UsageError(
            f"{w.kind}/{w.name} container {c.name}: neither the container nor "
            f"the image {c.image} says what to run"
        )
    return argv


def container_run(
    objects: ObjectSet,
    w: Workload,
    c: Container,
    *,
    overrides: Mapping[str, str],
    script_binds: Sequence[Bind],
    workdir: Path,
    files: Mapping[str, str],
    label: str,
    images: ImageFiles,
) -> ChartRun:
    from seatrial.render.locate import locate

    res = resolve_env(objects, w, c, overrides)
    argv = tuple(_expand(a, res.env) for a in _argv(w, c, images))
    mounts: list[StateMount] = []
    binds: list[Bind] = list(script_binds)
    secrets = list(res.secrets)
    for vm in c.volume_mounts:
        vol = w.pod.volume(vm.name)
        if vol is None:
            raise UsageError(
                f"{w.kind}/{w.name} container {c.name} mounts volume {vm.name}, "
                "which the pod does not define"
            )
        _refuse_invalid(
            w, c, vol.name, vm.sub_path, vol.host_path if vol.kind == "hostPath" else None
        )
        if vol.kind == "hostPath":
            host = "/".join(p for p in (vol.host_path.strip("/"), vm.sub_path.strip("/")) if p)
            mounts.append(StateMount(vm.mount_path, host, vm.read_only))
            continue
        local = workdir / f"{label}-{vol.name}"  # one directory per volume, however mounted
        if vol.kind in ("configMap", "secret"):
            secrets += _write_config_volume(
                objects, w, vol.name, vol.kind, vol.ref_name, vol.items, vol.optional, local
            )
            writable = False
        else:  # emptyDir and volumes seatrial cannot provide: an empty directory
            local.mkdir(parents=True, exist_ok=True)
            writable = vol.kind == "emptyDir"
        source = local / vm.sub_path if vm.sub_path else local
        if not source.exists():
            source.mkdir(parents=True)
        # the run may write there (emptyDir): resolved inside `local` again on every run
        binds.append(Bind(vm.mount_path, source, writable and not vm.read_only, beneath=local))
    root = images.root(c.image, workdir) if images.rootfs else Path("/")
    for program in _programs(argv):
        if not program.startswith("/") or _visible(program, binds, mounts, root):
            continue
        if images.rootfs:
            raise UsageError(
                f"{w.kind}/{w.name} container {c.name} runs {program}, which is "
                f"not in the image {c.image}"
            )
        if images.options is None:
            raise UsageError(
                f"{w.kind}/{w.name} container {c.name} runs {program}, which is in the image, "
                "not on this machine: give its directory with --script-path IMAGE_DIR=LOCAL_DIR "
                "or read it from the image with --script-from-image"
            )
        extracted = images.extract(c.image, program, workdir / f"{label}-image")
        if extracted is None:
            raise UsageError(
                f"{w.kind}/{w.name} container {c.name} runs {program}, which is "
                f"not in the image {c.image} either"
            )
        binds.append(Bind(posixpath.normpath("/" + program.lstrip("/")), extracted, image=True))
    if not mounts:
        raise UsageError(
            f"{w.kind}/{w.name} container {c.name} mounts no hostPath volume: "
            "it cannot change the node state, so there is nothing to converge"
        )
    where = locate(w.obj, (*c.path, "command"), files)
    env, cwd = res.env, c.working_dir
    if images.options is not None:  # the image's ENV and WorkingDir, under the container's
        facts = images.facts(c.image)
        env = {**dict(e.partition("=")[::2] for e in facts.env if "=" in e), **res.env}
        cwd = cwd or facts.working_dir
    inv = Invocation(
        argv,
        env,
        tuple(mounts),
        tuple(binds),
        cwd or "/",
        hostname=w.name[:63],
        label=label,
        secrets=tuple(secrets),
        root=root,
        obj=w.ref,
        container=c.name,
        defined_at=where,
    )
    return ChartRun(inv, w, c, dict(res.placeholders))


def _programs(argv: Sequence[str]) -> list[str]:
    """The program, and the script a shell is asked to run (`bash -c "/x/y.sh arg"`,
    `sh /x/y.sh`): the files that must exist for the run to start at all."""
    out = [argv[0]]
    shell = kubelet.shell_invocation(argv)
    if shell is None:
        return out
    rest = list(shell[1])
    while rest and rest[0].startswith("-") and rest[0] != "-c":
        rest.pop(0)
    if rest[:1] == ["-c"] and len(rest) > 1:
        try:
            words = shlex.split(rest[1])
        except ValueError:
            words = []
        out += words[:1]
    elif rest:
        out.append(rest[0])
    return out


def _visible(path: str, binds: Sequence[Bind], mounts: Sequence[StateMount], root: Path) -> bool:
    for b in binds:
        dest = b.dest.rstrip("/")
        if path == dest or path.startswith(dest + "/"):
            return (Path(str(b.source) + path[len(dest) :])).exists()
    if any(path == m.dest or path.startswith(m.dest.rstrip("/") + "/") for m in mounts):
        return True  # in the state: the run will tell
    if root != Path("/"):
        return _exists_in(root, path)
    return host_shows(path) and os.path.exists(path)


_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")


def _refuse_invalid(
    w: Workload, c: Container, volume: str, sub_path: str, host_path: str | None
) -> None:
    """Refuse what the Kubernetes API server refuses (such a pod is never created) and what
    would lead outside the scratch: a volume name that is not a DNS label, `..` in
    hostPath.path or in a volumeMount's subPath, an absolute subPath."""
    where = f"{w.kind}/{w.name} container {c.name} volume {volume!r}"
    if not _DNS_LABEL.match(volume):
        raise UsageError(
            f"{where}: a volume name must be a DNS label (lower-case letters, "
            "digits and '-'; the Kubernetes API server rejects it)"
        )
    where = f"{w.kind}/{w.name} container {c.name} volume {volume}"
    if host_path is not None and ".." in host_path.split("/"):
        raise UsageError(
            f"{where}: hostPath.path {host_path!r} must not contain '..' (the "
            "Kubernetes API server rejects it)"
        )
    if sub_path.startswith("/"):
        raise UsageError(
            f"{where}: subPath {sub_path!r} must be a relative path (the "
            "Kubernetes API server rejects it)"
        )
    if ".." in sub_path.split("/"):
        raise UsageError(
            f"{where}: subPath {sub_path!r} must not contain '..' (the "
            "Kubernetes API server rejects it)"
        )


def _exists_in(root: Path, path: str) -> bool:
    """Whether `path` exists under `root`, resolving symlinks inside `root` (an absolute
    link target means root/target, as it will inside the sandbox)."""
    parts = [p for p in path.split("/") if p]
    current: list[str] = []
    hops = 0
    while parts:
        part = parts.pop(0)
        if part == "..":
            current = current[:-1]
            continue
        candidate = root.joinpath(*current, part)
        if candidate.is_symlink():
            hops += 1
            if hops > 40:
                return False
            target = os.readlink(candidate)
            parts = [p for p in target.split("/") if p] + parts
            if target.startswith("/"):
                current = []
            continue
        if not candidate.exists():
            return False
        current.append(part)
    return True


@dataclass
class ChartTargets:
    install: ChartRun
    upgrade_to: ChartRun | None
    cleanup: ChartRun | None
    workdir: Path

    def close(self) -> None:
        trees.remove(self.workdir)


def _render(path: str, values: dict[str, Any], kube_version: str | None) -> ObjectSet:
    from seatrial.render.api import render_one

    return render_one(path, values or None, kube_version)


def _files(path: str) -> dict[str, str]:
    from seatrial.source.load import ChartSource, load_source

    src = load_source(path)
    return src.files if isinstance(src, ChartSource) else {}


def chart_targets(
    path: str,
    *,
    workload: str,
    container: str | None,
    sets: Sequence[str],
    sets_b: Sequence[str],
    kube_version: str | None,
    cleanup_workload: str | None,
    cleanup_container: str | None,
    env: Mapping[str, str],
    env_a: Mapping[str, str],
    env_b: Mapping[str, str],
    script_binds: Sequence[Bind],
    scenario: str,
    image_options: ImageOptions | None = None,
    rootfs: bool = False,
) -> ChartTargets:
    from seatrial.render.values import layer_values

    values = layer_values(set_values=tuple(sets))
    objects = _render(path, values, kube_version)
    files = _files(path)
    workdir = Path(
        tempfile.mkdtemp(
            prefix="seatrial-converge-volumes-", dir=os.environ.get("SEATRIAL_SCRATCH_DIR")
        )
    )
    images = ImageFiles(image_options, rootfs)
    try:
        w = find_workload(objects, workload)
        c = find_container(w, container)
        install = container_run(
            objects,
            w,
            c,
            overrides={**env, **env_a},
            script_binds=script_binds,
            workdir=workdir,
            files=files,
            label="install",
            images=images,
        )
        upgrade_to = None
        if scenario == "upgrade" and (sets_b or env_b):
            # B's overrides layered over --set as Helm layers repeated --set flags
            objects_b = (
                _render(path, layer_values(set_values=(*sets, *sets_b)), kube_version)
                if sets_b
                else objects
            )
            w_b = find_workload(objects_b, workload)
            upgrade_to = container_run(
                objects_b,
                w_b,
                find_container(w_b, c.name),
                overrides={**env, **env_b},
                script_binds=script_binds,
                workdir=workdir,
                files=files,
                label="upgrade",
                images=images,
            )
        cleanup = None
        if cleanup_workload is not None:
            wc = find_workload(objects, cleanup_workload)
            cleanup = container_run(
                objects,
                wc,
                find_container(wc, cleanup_container),
                overrides=env,
                script_binds=script_binds,
                workdir=workdir,
                files=files,
                label="cleanup",
                images=images,
            )
        return ChartTargets(install, upgrade_to, cleanup, workdir)
    except SeatrialError:
        trees.remove(workdir)
        raise


def describe(run: ChartRun) -> str:
    """One line for the report: which container, and what stands in for node-specific
    fields."""
    ref: ObjectRef = run.workload.ref
    text = f"{ref.label()} container {run.container.name}"
    if run.placeholders:
        text += "; placeholders: " + ", ".join(
            f"{k}={run.invocation.env.get(k, '')} ({v})"
            for k, v in sorted(run.placeholders.items())
        )
    return text
