"""What the converge sandbox and snapshots cost, measured in one run.

    python bench/converge_overhead.py

Prints the time of one run of a small script directly and inside bubblewrap (and the ratio),
and the time to copy and snapshot a state tree of 2,000 files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from seatrial.converge import snapshot
from seatrial.converge.sandbox import Bind, RunSpec, Sandbox

REPEAT = 20
FILES = 2000
SCRIPT = "mkdir -p {d}/etc && echo x > {d}/etc/f && sed -i s/x/y/ {d}/etc/f"


def timed(fn: object, n: int) -> float:
    assert callable(fn)
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n


def main() -> None:
    base = Path(tempfile.mkdtemp(prefix="seatrial-bench-"))
    try:
        state = base / "state"
        state.mkdir()
        sandbox = Sandbox()
        sandbox.check()
        sandbox.adopt(state)
        spec = RunSpec(
            ("bash", "-c", SCRIPT.format(d="/host")),
            binds=(Bind("/host", state, True, beneath=base),),
            watch=(state,),
        )
        direct = timed(
            lambda: subprocess.run(["bash", "-c", SCRIPT.format(d=state)], check=True), REPEAT
        )
        boxed = timed(lambda: sandbox.run(spec), REPEAT)
        print(
            f"one run: direct {direct * 1000:.1f} ms, in bubblewrap {boxed * 1000:.1f} ms "
            f"(x{boxed / direct:.1f})"
        )

        seed = base / "seed"
        for i in range(FILES):
            p = seed / f"d{i % 50}" / f"f{i}.conf"
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(f"key{i} = /opt/kata/{i}\n" * 20)
        copy = timed(
            lambda: (
                shutil.rmtree(base / "c", ignore_errors=True),
                shutil.copytree(seed, base / "c", symlinks=True),
            ),
            3,
        )
        snap = timed(lambda: snapshot.take(seed), 3)
        size = sum(f.stat().st_size for f in seed.rglob("*") if f.is_file())
        print(
            f"state of {FILES} files ({size / 1e6:.1f} MB): copy {copy * 1000:.0f} ms, "
            f"snapshot {snap * 1000:.0f} ms ({FILES / snap:,.0f} files/s)"
        )
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
