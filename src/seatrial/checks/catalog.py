"""The one place checks are registered: every module `stNNN_<slug>.py` in this package.

Each such module defines exactly one `CheckSpec` (made with `@check`). Ids are never reused.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache

from seatrial.checks import registry
from seatrial.checks.registry import CheckSpec

_MODULE = re.compile(r"^st(\d{3})_[a-z0-9_]+$")


@cache
def all_checks() -> tuple[CheckSpec, ...]:
    import seatrial.checks as pkg

    specs: list[CheckSpec] = []
    for info in pkgutil.iter_modules(pkg.__path__):
        if not _MODULE.match(info.name):
            continue
        module = importlib.import_module(f"seatrial.checks.{info.name}")
        found = [v for v in vars(module).values() if isinstance(v, registry.CheckSpec)]
        if len(found) != 1:
            raise RuntimeError(f"{info.name} must define exactly one check, found {len(found)}")
        spec = found[0]
        if spec.id.lower() != info.name[:5] or spec.slug.replace("-", "_") != info.name[6:]:
            raise RuntimeError(f"{info.name} declares {spec.id} {spec.slug}: name mismatch")
        specs.append(spec)
    return tuple(sorted(specs, key=lambda s: s.id))


def by_id(check_id: str) -> CheckSpec | None:
    key = check_id.upper()
    return next((s for s in all_checks() if s.id == key or s.slug == check_id), None)
