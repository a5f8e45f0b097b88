"""Benchmark: script discovery + nounset analysis on 200 generated workloads.

Generates a directory of manifests (one ConfigMap-held script and one workload each, with
functions, `case` dispatch, sourced helpers and some env vars left out), then measures
1. `gather_scripts` alone (parse + analysis), in scripts per second;
2. `seatrial check DIR --offline --only ST301,ST302,ST303` end to end, in scripts per second;
and prints the ratio between them, measured in the same run.

    python bench/scripts.py [--workloads 200]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from seatrial.objects.extract import ObjectSet
from seatrial.objects.parse import parse_objects
from seatrial.shell.gather import ScriptOptions, gather_scripts

SCRIPT = """\
#!/bin/bash
set -euo pipefail
. /scripts/lib.sh
APP_HOME="${{APP_HOME:-/opt/app{i}}}"
declare -a targets=()

configure() {{
	local mode="$1"
	for t in ${{TARGETS_{i}}}; do
		targets+=("$t")
	done
	cat > "$APP_HOME/config" <<END
mode: $mode
node: ${{NODE_NAME}}
level: ${{LOG_LEVEL:-info}}
END
}}

install() {{
	configure install
	log "installing ${{#targets[@]}} targets for $RELEASE_{i}"
	for ((n = 0; n < ${{#targets[@]}}; n++)); do
		echo "${{targets[$n]}}"
	done
}}

cleanup() {{
	log "removing $APP_HOME on $NODE_NAME"
	rm -rf "$APP_HOME" "${{CLEANUP_EXTRA_{i}}}"
}}

main() {{
	local action="${{1:-install}}"
	case "$action" in
		install) install ;;
		cleanup) cleanup ;;
		*) echo "unknown $action" >&2; exit 2 ;;
	esac
}}

main "$@"
"""

LIB = """\
log() { printf '%s %s\\n' "$(date +%T)" "$*" >&2; }
"""


def manifest(i: int) -> str:
    action = "cleanup" if i % 3 == 0 else "install"
    env = (
        ""
        if i % 3 == 0
        else f"""
            - name: TARGETS_{i}
              value: "a b c"
            - name: RELEASE_{i}
              value: r{i}"""
    )
    script = textwrap.indent(SCRIPT.format(i=i), "    ")
    lib = textwrap.indent(LIB, "    ")
    kind = "DaemonSet" if i % 2 else "Deployment"
    return f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: scripts-{i}
data:
  run.sh: |
{script}  lib.sh: |
{lib}---
apiVersion: apps/v1
kind: {kind}
metadata:
  name: worker-{i}
spec:
  selector:
    matchLabels: {{app: worker-{i}}}
  template:
    metadata:
      labels: {{app: worker-{i}}}
    spec:
      containers:
        - name: worker
          image: registry.invalid/bench/worker:{i}
          command: ["bash", "/scripts/run.sh", "{action}"]
          env:
            - name: NODE_NAME
              valueFrom: {{fieldRef: {{fieldPath: spec.nodeName}}}}{env}
          volumeMounts:
            - {{name: scripts, mountPath: /scripts}}
      volumes:
        - name: scripts
          configMap: {{name: scripts-{i}}}
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workloads", type=int, default=200)
    n = parser.parse_args().workloads
    tmp = Path(tempfile.mkdtemp(prefix="seatrial-bench-scripts-"))
    try:
        root = tmp / "manifests"
        root.mkdir()
        objects = []
        for i in range(n):
            path = root / f"worker-{i:03d}.yaml"
            path.write_text(manifest(i))
            objects += parse_objects(path.read_text(), str(path), is_template=False)
        objset = ObjectSet.build(objects)

        start = time.perf_counter()
        gathered = gather_scripts(objset, {}, ScriptOptions())
        analysis = time.perf_counter() - start
        scripts = sum(len(c.scripts) for c in gathered.values())
        reads = sum(len(c.reads) for c in gathered.values())

        exe = shutil.which("seatrial") or sys.exit("seatrial is not installed (pip install -e .)")
        start = time.perf_counter()
        proc = subprocess.run(
            [
                exe,
                "check",
                str(root),
                "--offline",
                "--only",
                "ST301,ST302,ST303",
                "--format",
                "json",
                "--kube-versions",
                "1.31",
                "--no-modes",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        end_to_end = time.perf_counter() - start
        if proc.returncode not in (0, 1):
            sys.exit(f"seatrial check failed ({proc.returncode}): {proc.stderr.strip()}")
        findings = json.loads(proc.stdout)["findings"]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    st301 = sum(f["check"] == "ST301" for f in findings)
    print(
        f"workloads: {n}; scripts analyzed: {scripts} (entry + sourced); "
        f"unbound reads before env filtering: {reads}"
    )
    print(f"analysis only (gather_scripts): {analysis:.3f}s = {scripts / analysis:,.0f} scripts/s")
    print(
        f"seatrial check end to end:      {end_to_end:.3f}s = "
        f"{scripts / end_to_end:,.0f} scripts/s; {len(findings)} findings ({st301} ST301)"
    )
    print(f"analysis share of the end-to-end time: {analysis / end_to_end:.1%}")


if __name__ == "__main__":
    main()
