"""ST402: a Helm hook Job or Pod that repeated installs, upgrades or uninstalls leave behind."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from seatrial.checks.registry import Scope, Violation, WorkloadContext, check
from seatrial.findings import Severity

DELETE_EVENTS = frozenset({"pre-delete", "post-delete"})
#: events that happen again in the life of one release
REPEATING_EVENTS = frozenset({"pre-upgrade", "post-upgrade", "pre-rollback", "post-rollback",
                              "test", "test-success"})
_HOOK = ("metadata", "annotations", "helm.sh/hook")
_POLICY = ("metadata", "annotations", "helm.sh/hook-delete-policy")
#: the Job controller's default
DEFAULT_BACKOFF_LIMIT = 6


def _job_spec(body: Mapping[str, Any]) -> Mapping[str, Any]:
    spec = body.get("spec")
    return spec if isinstance(spec, Mapping) else {}


@check("ST402", "hook-duplicates", Severity.WARNING, scope=Scope.WORKLOAD)
def hook_duplicates(ctx: WorkloadContext) -> Iterator[Violation]:
    """A Helm hook Job or Pod is left behind, piles up, or collides with itself.

    Checked on every workload with a `helm.sh/hook` annotation:

    - a delete hook (`pre-delete`, `post-delete`) whose delete policy does not remove it after
      it ran (`hook-succeeded`): nothing owns it once the release is gone;
    - `metadata.generateName`: every run creates a new object that `before-hook-creation`
      cannot find, so they pile up;
    - an explicit delete policy without `before-hook-creation` on a hook that runs more than
      once (several events, or upgrade/rollback/test): the next run fails with
      `already exists` whenever the previous object is still there;
    - a delete-hook Job with `restartPolicy: Never` and the default `backoffLimit` (6): each
      retry leaves another failed pod (noted as info).

    ## Why is this bad?
    After `helm uninstall`, cleanup Jobs and their pods stay in the cluster (kata-deploy users
    found dozens of duplicate cleanup Jobs). On the next install or upgrade a leftover hook
    with a fixed name fails the release with `jobs.batch "x" already exists`.

    ## Example
        metadata:
          name: kata-cleanup
          annotations:
            helm.sh/hook: post-delete          # no helm.sh/hook-delete-policy

    ## Fix
    Add `helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded` (and a fixed
    `metadata.name` instead of `generateName`); give delete-hook Jobs a small `backoffLimit`
    and `ttlSecondsAfterFinished`.
    """
    w = ctx.workload
    hook = w.hook
    if hook is None or w.kind not in ("Job", "Pod"):
        return
    # Helm trims and lower-cases every hook and delete-policy value (operateAnnotationValues)
    events = {e.strip().lower() for e in hook.events}
    policies = {p.strip().lower() for p in hook.delete_policies}
    label = f"hook {w.kind} {w.name} ({', '.join(hook.events)})"
    is_delete = bool(events & DELETE_EVENTS)
    severe = Severity.ERROR if is_delete else None
    fix = "Add helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded"
    if is_delete and "hook-succeeded" not in policies:
        have = f"delete policy {','.join(hook.delete_policies)}" if policies else \
            "no helm.sh/hook-delete-policy"
        yield Violation(
            f"{label} has {have}: after `helm uninstall` the {w.kind} and its pods stay in the "
            "cluster with nothing left to delete them, and each install/uninstall cycle adds "
            "more",
            field=_POLICY if policies else _HOOK, fix=fix, severity=severe)
    if w.obj.metadata.get("generateName"):
        yield Violation(
            f"{label} uses metadata.generateName: every run creates a new {w.kind} that "
            "before-hook-creation cannot find, so finished hooks and their pods pile up",
            field=("metadata", "generateName"),
            fix="Use a fixed metadata.name and helm.sh/hook-delete-policy: "
                "before-hook-creation,hook-succeeded",
            severity=severe)
    repeats = len(events) > 1 or bool(events & REPEATING_EVENTS)
    if policies and "before-hook-creation" not in policies and repeats:
        yield Violation(
            f"{label} runs more than once per release but its delete policy "
            f"({','.join(hook.delete_policies)}) lacks before-hook-creation: when a run fails "
            f"(or is kept), the next {'/'.join(sorted(events))} fails with "
            f"`{w.kind.lower()}s \"{w.name}\" already exists`",
            field=_POLICY, fix="Add before-hook-creation to helm.sh/hook-delete-policy",
            severity=severe)
    if is_delete and w.kind == "Job" and w.pod.restart_policy == "Never" \
            and _job_spec(w.obj.body).get("backoffLimit") is None:
        yield Violation(
            f"{label} has restartPolicy: Never and the default backoffLimit "
            f"({DEFAULT_BACKOFF_LIMIT}): a failing cleanup leaves up to "
            f"{DEFAULT_BACKOFF_LIMIT + 1} failed pods behind",
            field=(*w.pod.path, "restartPolicy"),
            fix="Set spec.backoffLimit (e.g. 1) and ttlSecondsAfterFinished",
            severity=Severity.INFO)
