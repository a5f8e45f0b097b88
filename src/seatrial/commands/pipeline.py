"""The one findings pipeline every command uses, after its checks have run:

1. selection: which checks run (`--only`, `--disable`, the config's `checks.enable` and
   `checks.disable`); a finding of a check not selected is dropped;
2. the config's `severity` overrides;
3. the config's `ignore` entries, as suppressions (they win over the inline suppressions a
   command found itself: object annotations and template comments for `check`);
4. `fail-on` (the flag, else the config's, else error) and the exit code.

The config is loaded once per command by `load_policy`, with the trust rules of
`seatrial.config`: a `.seatrial.yaml` inside the checked chart only makes checks stricter
unless `--trust-chart-config` is given. A typo in the file or in `--only`/`--disable` is an
exit-2 error naming the file and line (or the flag) and the nearest valid name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import click

from seatrial.checks.catalog import all_checks
from seatrial.config import Config, check_flag_ids, load_config
from seatrial.findings import Finding, Severity, Summary, Suppression


@cache
def check_defaults() -> dict[str, Severity]:
    """Every check id with its default severity (what config files are validated against)."""
    return {s.id: s.severity for s in all_checks()}


def _flag_names() -> dict[str, str]:
    """Lower-case id or slug -> id, for `--only` and `--disable`."""
    return {k: s.id for s in all_checks() for k in (s.id.lower(), s.slug)}


@dataclass(frozen=True)
class Policy:
    """What the user asked of the findings: the config in effect and the flags."""

    config: Config = field(default_factory=Config)
    #: `--only`: when non-empty, only these checks run
    only: frozenset[str] = frozenset()
    #: `--disable`: these checks do not run, on top of the config's
    disabled: frozenset[str] = frozenset()
    #: `--fail-on`, when given (it wins over the config's)
    fail_on_flag: Severity | None = None

    def runs(self, check_id: str) -> bool:
        return (
            self.config.enabled(check_id)
            and check_id not in self.disabled
            and (not self.only or check_id in self.only)
        )

    @property
    def fail_on(self) -> Severity:
        return self.fail_on_flag or self.config.fail_on or Severity.ERROR


def load_policy(
    config_path: str | None = None,
    chart_dir: Path | None = None,
    *,
    trust_chart_config: bool = False,
    only: str | Iterable[str] | None = None,
    disable: str | Iterable[str] | None = None,
    fail_on: str | None = None,
) -> Policy:
    """The config (`--config`, else the chart's own, else the working directory's) and the
    flags, validated. `only`/`disable`: the flag's text (ids or slugs, comma separated)."""
    config = load_config(
        config_path, chart_dir, trust_chart=trust_chart_config, known=check_defaults()
    )
    names = _flag_names()

    def ids(flag: str, value: str | Iterable[str] | None) -> frozenset[str]:
        text = value if value is None or isinstance(value, str) else ",".join(value)
        return check_flag_ids(flag, text, names)

    return Policy(
        config,
        ids("--only", only),
        ids("--disable", disable),
        Severity.parse(fail_on) if fail_on else None,
    )


def object_labels(f: Finding) -> tuple[str, ...]:
    """What an `ignore` entry's `object` glob is matched against: the object's KIND/NAME, else
    (a finding about no object: an archive, an image, a file) its file and the file's name."""
    if f.object is not None:
        return (f"{f.object.kind}/{f.object.name}",)
    file = f.source.file if f.source else ""
    return (file, file.rsplit("/", 1)[-1]) if "/" in file else (file,)


def apply(findings: Iterable[Finding], policy: Policy) -> list[Finding]:
    """Steps 1-3: findings of checks not selected dropped, severities overridden, config
    `ignore` entries turned into suppressions."""
    config = policy.config
    out = []
    for f in findings:
        if not policy.runs(f.check):
            continue
        severity = config.severity.get(f.check, f.severity)
        ignore = next(
            (
                i
                for i in config.ignores
                for label in object_labels(f)
                if i.matches(f.check, label, f.container)
            ),
            None,
        )
        suppressed = Suppression("config", ignore.reason) if ignore else f.suppressed
        out.append(replace(f, severity=severity, suppressed=suppressed))
    return out


def conclude(summary: Summary, policy: Policy) -> int:
    """Step 4, after `apply`: what the config did, for the report (`config`, `suppressed_by`),
    and the exit code (1 when an unsuppressed finding is at or above fail-on)."""
    config = replace(policy.config, disable=policy.config.disable | policy.disabled)
    in_effect: dict[str, Any] = config.in_effect(check_defaults())
    if in_effect and policy.disabled:
        file = in_effect["file"]
        in_effect["file"] = f"{file} and --disable" if file else "--disable"
    if in_effect:
        summary.extra["config"] = in_effect
    by: dict[str, int] = {}
    for f in summary.findings:
        if f.suppressed is not None:
            by[f.suppressed.by] = by.get(f.suppressed.by, 0) + 1
    if by:
        summary.extra["suppressed_by"] = dict(sorted(by.items()))
    return summary.exit_code(policy.fail_on)


def note(policy: Policy) -> None:
    """The config's one note line (an untrusted chart config), on stderr."""
    if policy.config.note:
        click.echo(f"seatrial: note: {policy.config.note}", err=True)
