"""ST402: a Helm hook Job or Pod that repeated installs, upgrades or uninstalls leave behind."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from seatrial.checks.registry import Scope, Violation, WorkloadContext, check
from seatrial.findings import Severity
from seatrial.objects.model import Workload

DELETE_EVENTS = frozenset({"pre-delete", "post-delete"})
#: events that happen again in the life of one release
REPEATING_EVENTS = frozenset(
    {"pre-upgrade", "post-upgrade", "pre-rollback", "post-rollback", "test", "test-success"}
)
_HOOK = ("metadata", "annotations", "helm.sh/hook")
_POLICY = ("metadata", "annotations", "helm.sh/hook-delete-policy")
#: the Job controller's default
DEFAULT_BACKOFF_LIMIT = 6
#: Helm's policy when a hook sets none
DEFAULT_POLICIES = frozenset({"before-hook-creation"})


def _job_spec(body: Mapping[str, Any]) -> Mapping[str, Any]:
    spec = body.get("spec")
    return spec if isinstance(spec, Mapping) else {}


def _ttl(w: Workload) -> int | None:
    """A Job's `ttlSecondsAfterFinished`: the TTL controller deletes the finished Job (and,
    through its owner reference, its pods) that many seconds after it succeeded or failed."""
    if w.kind != "Job":
        return None
    value = _job_spec(w.obj.body).get("ttlSecondsAfterFinished")
    if isinstance(value, bool):
        return None
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


@check("ST402", "hook-duplicates", Severity.WARNING, scope=Scope.WORKLOAD)
def hook_duplicates(ctx: WorkloadContext) -> Iterator[Violation]:
    """A Helm hook Job or Pod is left behind, piles up, or collides with itself.

    Checked on every workload with a `helm.sh/hook` annotation, reading what removes a hook
    object before claiming it stays: its `helm.sh/hook-delete-policy` (Helm's default, when
    none is set, is `before-hook-creation`), a Job's `ttlSecondsAfterFinished` (the TTL
    controller deletes the finished Job and its pods) and whether the name is fixed
    (`metadata.name`) or new on every run (`metadata.generateName`). Reported (warning):

    - a delete hook (`pre-delete`, `post-delete`) that neither `hook-succeeded` nor a TTL
      removes: it stays after `helm uninstall`, with no release left to own it;
    - `metadata.generateName` without a TTL or both `hook-succeeded` and `hook-failed`: every
      run creates a new object that `before-hook-creation` cannot find, so finished (or
      failed) runs pile up;
    - a fixed name, an explicit delete policy without `before-hook-creation`, on a hook that
      runs more than once (several events, or upgrade/rollback/test), that is not removed
      after a failure (`hook-failed`, or a TTL of 0): after a failed run the next one fails
      with `already exists`;
    - info: a delete-hook Job kept after a failure, with `restartPolicy: Never` and the
      default `backoffLimit` (6): its pod retries stay beside it.

    ## Why is this bad?
    After `helm uninstall`, cleanup Jobs and their pods stay in the cluster (kata-deploy users
    found dozens of duplicate cleanup Jobs). On the next install or upgrade a leftover hook
    with a fixed name fails the release with `jobs.batch "x" already exists`.

    ## Example
        metadata:
          name: kata-cleanup
          annotations:
            helm.sh/hook: post-delete          # no delete policy and no ttlSecondsAfterFinished

    ## Fix
    Add `helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded` (and a fixed
    `metadata.name` instead of `generateName`), or `ttlSecondsAfterFinished` on Jobs; give
    delete-hook Jobs a small `backoffLimit`.
    """
    w = ctx.workload
    hook = w.hook
    if hook is None or w.kind not in ("Job", "Pod"):
        return
    # Helm trims and lower-cases every hook and delete-policy value (operateAnnotationValues)
    events = {e.strip().lower() for e in hook.events}
    explicit = {p.strip().lower() for p in hook.delete_policies} - {""}
    policies = explicit or DEFAULT_POLICIES
    ttl = _ttl(w)
    label = f"hook {w.kind} {w.name} ({', '.join(hook.events)})"
    is_delete = bool(events & DELETE_EVENTS)
    generated = bool(w.obj.metadata.get("generateName"))
    removed_after_success = "hook-succeeded" in policies or ttl is not None
    removed_after_failure = "hook-failed" in policies or ttl is not None
    fix = "Add helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded"
    if w.kind == "Job":
        fix += ", or spec.ttlSecondsAfterFinished"
    if is_delete and not removed_after_success:
        have = (
            f"delete policy {','.join(hook.delete_policies)}"
            if explicit
            else "no helm.sh/hook-delete-policy"
        )
        more = ", and every uninstall leaves another one" if generated else ""
        yield Violation(
            f"{label} has {have} and nothing else removes it: after `helm uninstall` the "
            f"{w.kind} and its pods stay in the cluster with no release left to own them{more}",
            field=_POLICY if explicit else _HOOK,
            fix=fix,
        )
    elif generated and not (removed_after_success and removed_after_failure):
        which = "finished hooks" if not removed_after_success else "failed runs"
        yield Violation(
            f"{label} uses metadata.generateName and nothing deletes it after it "
            f"{'ran' if not removed_after_success else 'failed'}: every run creates a new "
            f"{w.kind} that before-hook-creation cannot find, so {which} and their pods pile up",
            field=("metadata", "generateName"),
            fix="Use a fixed metadata.name and helm.sh/hook-delete-policy: "
            "before-hook-creation,hook-succeeded",
        )
    repeats = len(events) > 1 or bool(events & REPEATING_EVENTS)
    kept_after_failure = not ("hook-failed" in policies or ttl == 0)
    if (
        explicit
        and "before-hook-creation" not in explicit
        and repeats
        and not generated
        and kept_after_failure
    ):
        window = f" (for {ttl} s, its ttlSecondsAfterFinished)" if ttl else ""
        yield Violation(
            f"{label} runs more than once per release but its delete policy "
            f"({','.join(hook.delete_policies)}) lacks before-hook-creation: a failed run is "
            f"kept{window}, and the next {'/'.join(sorted(events))} fails with "
            f'`{w.kind.lower()}s "{w.name}" already exists`',
            field=_POLICY,
            fix="Add before-hook-creation to helm.sh/hook-delete-policy",
        )
    if (
        is_delete
        and w.kind == "Job"
        and not removed_after_failure
        and w.pod.restart_policy == "Never"
        and _job_spec(w.obj.body).get("backoffLimit") is None
    ):
        yield Violation(
            f"{label} has restartPolicy: Never and the default backoffLimit "
            f"({DEFAULT_BACKOFF_LIMIT}): a failing run keeps up to "
            f"{DEFAULT_BACKOFF_LIMIT + 1} failed pods of this one Job",
            field=(*w.pod.path, "restartPolicy"),
            fix="Set spec.backoffLimit (e.g. 1) and ttlSecondsAfterFinished",
            severity=Severity.INFO,
        )
