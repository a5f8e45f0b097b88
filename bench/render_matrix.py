"""Benchmark: render a generated 50-template chart's whole matrix in-process, against one
render per fresh process (what a loop of `helm template` costs), measured in the same run.

    python bench/render_matrix.py [--templates 50] [--fresh 12]

Prints cells, distinct renders, renders/s in-process, seconds per fresh-process render, and
the ratio. Uses the helm CLI for the fresh-process baseline when one is on PATH, otherwise a
fresh Python process with the embedded engine.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from seatrial.render.matrix import MatrixOptions, render_matrix
from seatrial.source.load import load_source

TOGGLES = [
    "ingress.enabled",
    "metrics.enabled",
    "autoscaling.enabled",
    "tls.enabled",
    "persistence.enabled",
    "rbac.create",
]


def make_chart(root: Path, templates: int) -> Path:
    chart = root / "bench"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(
        'apiVersion: v2\nname: bench\nversion: 1.0.0\nkubeVersion: ">=1.22.0-0"\n'
    )
    values = ["mode: Deployment", "image: example/app:1.0"]
    for t in TOGGLES:
        key, leaf = t.split(".")
        values.append(f"{key}:\n  {leaf}: false")
    (chart / "values.yaml").write_text("\n".join(values) + "\n")
    (chart / "values.schema.json").write_text(
        '{"properties": {"mode": {"enum": ["Deployment", "DaemonSet", "StatefulSet"]}}}'
    )
    for i in range(templates):
        toggle = TOGGLES[i % len(TOGGLES)]
        (chart / "templates" / f"t{i:02d}.yaml").write_text(f"""\
apiVersion: apps/v1
kind: {{{{ .Values.mode }}}}
metadata:
  name: {{{{ .Release.Name }}}}-c{i}
  labels:
    kube: {{{{ .Capabilities.KubeVersion.Minor | quote }}}}
spec:
  selector:
    matchLabels: {{app: c{i}}}
  template:
    metadata:
      labels: {{app: c{i}}}
    spec:
      containers:
        - name: c{i}
          image: {{{{ .Values.image }}}}
          args:
            - --id={i}
            {{{{- if .Values.{toggle} }}}}
            - --{toggle.split(".")[0]}
            {{{{- end }}}}
""")
    return chart


def fresh_process_seconds(chart: Path, runs: int) -> tuple[float, str]:
    helm = shutil.which("helm")
    if helm:
        cmd = [helm, "template", "r", str(chart), "--kube-version", "v1.31.0"]
        how = "helm template"
    else:
        code = (
            "import sys; from helm_python import Chart; "
            "Chart.load(sys.argv[1]).render({}, name='r')"
        )
        cmd = [sys.executable, "-c", code, str(chart)]
        how = "python + helm-python-sdk"
    start = time.perf_counter()
    for _ in range(runs):
        subprocess.run(cmd, check=True, capture_output=True)
    return (time.perf_counter() - start) / runs, how


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--templates", type=int, default=50)
    ap.add_argument("--fresh", type=int, default=12)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        chart = make_chart(Path(tmp), args.templates)
        source = load_source(str(chart))
        start = time.perf_counter()
        matrix = render_matrix(source, MatrixOptions())
        elapsed = time.perf_counter() - start
        cells = len(matrix.plan.cells)
        renders = cells + len(matrix.renders)  # install renders + one upgrade per distinct
        per_fresh, how = fresh_process_seconds(chart, args.fresh)
        per_inproc = elapsed / renders
        print(f"chart: {args.templates} templates, {len(matrix.plan.toggles)} toggles")
        print(
            f"cells: {cells} ({len(matrix.renders)} distinct renders, "
            f"{len(matrix.failures)} failed)"
        )
        print(
            f"in-process: {renders} renders (incl. parse) in {elapsed:.2f}s = "
            f"{renders / elapsed:.1f} renders/s"
        )
        print(f"fresh process ({how}): {per_fresh * 1000:.1f} ms per render, {args.fresh} runs")
        print(
            f"ratio: in-process is {per_fresh / per_inproc:.1f}x faster per render; "
            f"the whole matrix as a loop of fresh processes would take "
            f"{per_fresh * renders:.1f}s"
        )


if __name__ == "__main__":
    main()
