"""Benchmark: `seatrial check --offline` on every corpus chart (tests/corpus) against a loop of
`helm template` over the same cells, measured in the same run.

    python bench/corpus.py [--markdown] [--sample K] [--helm /usr/local/bin/helm] [CHART ...]

For each chart: seatrial with an empty cache (cold: renders and checks) and again with the
cache it left (warm: an unchanged chart in CI), then one `helm template` process per cell of
seatrial's matrix (the cell's values through `-f`, `--kube-version`, the cell's
`--api-versions`) plus one `--is-upgrade` render per distinct output, as seatrial renders an
upgrade per distinct render. Wall time, CPU time (user + system, in parentheses: what
other load on the machine does not inflate) and peak RSS (the process and its children,
sampled every 10 ms) of each; seatrial runs from bytecode, as installed. `--sample K`
renders every K-th cell with helm and scales its times to all cells (the output says so);
seatrial runs `--runs N` times (default 3) cold and warm, the median run is shown.
Ratios are helm loop / seatrial, wall time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from seatrial.render.kube import api_versions_for
from seatrial.render.matrix import MatrixOptions, plan_matrix
from seatrial.source.load import ChartSource, load_source

T = TypeVar("T")
CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"


@dataclass
class Measured:
    wall: float
    cpu: float  # user + system seconds of the process and its children
    peak_mb: float
    code: int
    stdout: bytes = b""
    stderr: bytes = b""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _children() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(b")", 1)[1].split()[1])
        out.setdefault(ppid, []).append(int(entry))
    return out


def _tree_rss_kb(pid: int) -> int:
    kids = _children()
    todo, total = [pid], 0
    while todo:
        p = todo.pop()
        todo += kids.get(p, [])
        try:
            with open(f"/proc/{p}/status") as fh:
                total += next((int(line.split()[1]) for line in fh if line.startswith("VmRSS:")), 0)
        except OSError:
            continue
    return total


def run(cmd: list[str], env: dict[str, str] | None = None, stdin: bytes | None = None) -> Measured:
    """Wall time, CPU time and peak RSS of the process tree of `cmd`."""
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.01):
            peak = max(peak, _tree_rss_kb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate(stdin)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    return Measured(wall, _children_cpu() - cpu, peak / 1024, proc.returncode, out, err)


def seatrial(chart: Path, cache: Path) -> tuple[Measured, dict[str, object]]:
    env = {**os.environ, "SEATRIAL_CACHE_DIR": str(cache), "DOCKER_CONFIG": str(cache)}
    env.pop("SEATRIAL_NO_CACHE", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: imports from bytecode
    m = run(
        [
            sys.executable,
            "-m",
            "seatrial.cli",
            "check",
            "--offline",
            "--format",
            "json",
            str(chart),
        ],
        env,
    )
    if m.code in (0, 1) and not m.stdout.strip():
        raise SystemExit(
            f"{chart.name}: seatrial exited {m.code} with no report on stdout; stderr:\n"
            + m.stderr.decode(errors="replace")[-4000:]
        )
    summary = json.loads(m.stdout)["summary"] if m.code in (0, 1) else {}
    return m, summary


def helm_loop(
    chart: Path, helm: str, distinct: int, sample: int
) -> tuple[float, float, float, int]:
    """(seconds, CPU seconds, peak MB of one helm process, renders) for every cell (every
    `sample`-th, times scaled to all) and one upgrade render per distinct output."""
    source = load_source(str(chart), offline=True)
    assert isinstance(source, ChartSource)
    plan = plan_matrix(source, MatrixOptions(offline=True))
    cells = plan.cells[::sample]
    install, upgrade, peak, install_cpu, upgrade_cpu = 0.0, 0.0, 0.0, 0.0, 0.0
    outputs: dict[str, tuple[list[str], bytes]] = {}
    for cell in cells:
        kv = plan.versions[cell.kube_version]
        cmd = [
            helm,
            "template",
            "release-name",
            str(chart),
            "--namespace",
            "default",
            "--kube-version",
            kv.helm,
            "-f",
            "-",
        ]
        for api in api_versions_for(kv):
            cmd += ["--api-versions", api]
        stdin = json.dumps(plan.values[cell]).encode()
        m = run(cmd, stdin=stdin)
        install += m.wall
        install_cpu += m.cpu
        peak = max(peak, m.peak_mb)
        outputs.setdefault(hashlib.sha256(m.stdout).hexdigest(), (cmd, stdin))
    # as many upgrade renders as seatrial makes (one per distinct render), from distinct
    # helm outputs while there are any
    wanted = -(-distinct // sample)
    firsts = list(outputs.values())
    for cmd, stdin in (firsts * wanted)[:wanted]:
        m = run([*cmd, "--is-upgrade"], stdin=stdin)
        upgrade += m.wall
        upgrade_cpu += m.cpu
        peak = max(peak, m.peak_mb)

    def scaled(inst: float, upg: float) -> float:
        return inst * len(plan.cells) / len(cells) + (upg * distinct / wanted if wanted else 0.0)

    return (
        scaled(install, upgrade),
        scaled(install_cpu, upgrade_cpu),
        peak,
        len(plan.cells) + distinct,
    )


def _median(items: list[T], key: Callable[[T], float]) -> T:
    """The median item by `key` (the lower middle one of an even count)."""
    return sorted(items, key=key)[(len(items) - 1) // 2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("charts", nargs="*", help="corpus chart names (default: all)")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    ap.add_argument(
        "--sample",
        type=int,
        default=1,
        metavar="K",
        help="helm renders every K-th cell, its time scaled to all cells",
    )
    ap.add_argument("--helm", default="/usr/local/bin/helm")
    ap.add_argument(
        "--runs",
        type=int,
        default=3,
        metavar="N",
        help="seatrial runs N times cold and warm; the median run is shown",
    )
    args = ap.parse_args()
    names = args.charts or sorted(p.parent.name for p in CORPUS.glob("*/SOURCE"))
    rows = []
    for name in names:
        chart = CORPUS / name
        colds: list[tuple[Measured, dict[str, object]]] = []
        warms: list[Measured] = []
        for _ in range(max(1, args.runs)):
            with tempfile.TemporaryDirectory() as tmp:
                colds.append(seatrial(chart, Path(tmp)))
                warms.append(seatrial(chart, Path(tmp))[0])
        cold, summary = _median(colds, key=lambda r: r[0].wall)
        warm = _median(warms, key=lambda m: m.wall)
        if cold.code not in (0, 1):
            rows.append([name, "not checkable (exit 2)", "", "", "", "", "", "", ""])
            print(f"{name}: seatrial exit {cold.code}", file=sys.stderr)
            continue
        cells, distinct = int(str(summary["cells"])), int(str(summary["distinct_renders"]))
        loop, loop_cpu, loop_peak, renders = helm_loop(
            chart, args.helm, distinct, max(1, args.sample)
        )
        rows.append(
            [
                name,
                f"{cells} / {distinct}",
                f"{renders}",
                f"{loop:.1f} ({loop_cpu:.1f})",
                f"{cold.wall:.1f} ({cold.cpu:.1f})",
                f"{warm.wall:.2f} ({warm.cpu:.2f})",
                f"{loop / cold.wall:.1f}x",
                f"{loop / warm.wall:.0f}x",
                f"{cold.peak_mb:.0f} / {warm.peak_mb:.0f} / {loop_peak:.0f}",
            ]
        )
        print(f"{name}: done", file=sys.stderr)
    head = [
        "chart",
        "cells / distinct",
        "helm renders",
        "helm loop s (cpu)",
        "seatrial cold s (cpu)",
        "warm s (cpu)",
        "cold ratio",
        "warm ratio",
        "peak MB cold / warm / helm",
    ]
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for r in rows:
            print("| " + " | ".join(r) + " |")
    else:
        widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=True)]
        for r in [head, *rows]:
            print("  ".join(str(x).ljust(w) for x, w in zip(r, widths, strict=True)))
    if args.sample > 1:
        print(f"\nhelm loop: every {args.sample}th cell rendered, time scaled to all cells")


if __name__ == "__main__":
    main()
