"""ST303: a script a container runs cannot be parsed."""

from __future__ import annotations

from collections.abc import Iterator

from seatrial.checks.registry import ContainerContext, Scope, Violation, check
from seatrial.facts.scripts import ContainerScripts, ProblemKind
from seatrial.findings import Severity


@check(
    "ST303",
    "script-unparsable",
    Severity.WARNING,
    scope=Scope.CONTAINER,
    needs_images=True,
    needs_scripts=True,
)
def script_unparsable(ctx: ContainerContext) -> Iterator[Violation]:
    """A shell script a container runs (or sources) has a syntax error.

    ## Why is this bad?
    bash stops at the syntax error when it reaches it, possibly in a path only one mode takes
    (cleanup, upgrade). seatrial also cannot check that script's variables (ST301).

    ## Example
        if [ -n "$X" ]; then
          echo "$X"
        # missing `fi`

    ## Fix
    Fix the syntax (`bash -n script.sh` shows it).
    """
    scripts = ContainerScripts.of(ctx.facts.scripts, ctx.workload.obj.key, ctx.container.name)
    for p in scripts.problems_of(ProblemKind.UNPARSABLE) if scripts else []:
        yield Violation(
            f"script {p.origin.label() if p.origin else p.path} run by container "
            f"{ctx.container.name} could not be parsed ({p.reason}); its variables were not "
            "checked",
            field=(*ctx.container.path, "command" if ctx.container.command else "args"),
            source=p.origin.location(p.line) if p.origin else None,
            fix="Fix the syntax error (`bash -n` shows it)",
        )
