"""Benchmark `seatrial explain` on a large cluster-info dump, measured in one run.

    python bench/explain.py [--copies 120]

Writes a `kubectl cluster-info dump` directory holding every test scenario COPIES times (each
copy in its own namespace: about 25 pods, 30 events and their logs per copy), then times:
- the floor: `json.loads` of every file of the dump (what any reader pays);
- reading the dump into evidence;
- diagnosing it with every rule (no link-back).
Prints pods/s for each step and the ratio of reading to the JSON floor.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from testkit.cluster import Scenario, write_dump  # noqa: E402
from testkit.scenarios import ALL  # noqa: E402

from seatrial.explain.diagnose import diagnose  # noqa: E402
from seatrial.explain.evidence import EvidenceBuilder  # noqa: E402
from seatrial.explain.inputs.files import read_path  # noqa: E402
from seatrial.explain.rules import load_rules  # noqa: E402


def big_scenario(copies: int) -> Scenario:
    objects, logs = [], {}
    for i in range(copies):
        for make in ALL:
            s = make()
            for o in s.objects:
                o = copy.deepcopy(o)
                if o["metadata"].get("namespace"):
                    o["metadata"]["namespace"] += f"-{i}"
                if o["kind"] == "Event":
                    o["involvedObject"]["namespace"] += f"-{i}"
                objects.append(o)
            for (ns, pod, c), text in s.logs.items():
                logs[(f"{ns}-{i}", pod, c)] = text
    return Scenario("bench", objects, logs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=120)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        s = big_scenario(args.copies)
        root = write_dump(s, Path(tmp) / "dump")
        files = [f for f in root.rglob("*.json")]
        pods = sum(1 for o in s.objects if o["kind"] == "Pod")

        t0 = time.perf_counter()
        for f in files:
            json.loads(f.read_text())
        floor = time.perf_counter() - t0

        t0 = time.perf_counter()
        b = EvidenceBuilder()
        read_path(str(root), b)
        ev = b.build()
        read = time.perf_counter() - t0

        rules = load_rules()
        t0 = time.perf_counter()
        found = diagnose(ev, rules)
        diag = time.perf_counter() - t0

    print(f"pods: {pods}, events: {len(ev.events)}, rules: {len(rules)}, diagnoses: {len(found)}")
    print(f"json.loads floor: {pods / floor:,.0f} pods/s ({floor:.3f} s)")
    print(
        f"read dump:        {pods / read:,.0f} pods/s ({read:.3f} s), "
        f"{read / floor:.1f}x the JSON floor"
    )
    print(f"diagnose:         {pods / diag:,.0f} pods/s ({diag:.3f} s)")


if __name__ == "__main__":
    main()
