#!/usr/bin/env python3
"""Refresh docs/img/report.png: run the HTML report's browser test, which takes the screenshot,
with SEATRIAL_UPDATE_SCREENSHOT set so it copies it there.

    python scripts/screenshot.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST = (
    "tests/ecosystem/test_html_report.py::test_clicking_a_red_square_shows_its_finding_in_chromium"
)

if __name__ == "__main__":
    env = {**os.environ, "SEATRIAL_UPDATE_SCREENSHOT": "1"}
    rc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", TEST], cwd=ROOT, env=env
    ).returncode
    if rc == 0:
        print(ROOT / "docs" / "img" / "report.png")
    sys.exit(rc)
