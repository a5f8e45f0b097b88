"""Snapshots: content hash, mode and symlink target; diffs and unified text diffs."""

from __future__ import annotations

from pathlib import Path

from seatrial.converge.snapshot import diff, take, top_level


def test_snapshot_records_hash_mode_and_target(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f").write_text("one\n")
    (tmp_path / "l").symlink_to("d/f")
    before = take(tmp_path)
    assert {p: e.kind for p, e in before.items()} == {"d": "dir", "d/f": "file", "l": "symlink"}
    assert before["l"].target == "d/f"

    (tmp_path / "d" / "f").chmod(0o600)
    (tmp_path / "l").unlink()
    (tmp_path / "l").symlink_to("elsewhere")
    (tmp_path / "n").mkdir()
    (tmp_path / "n" / "inner").write_text("x")
    after = take(tmp_path)
    changes = diff(before, after)
    assert [(c.path, c.kind) for c in changes] == [
        ("d/f", "changed"),
        ("l", "changed"),
        ("n", "added"),
        ("n/inner", "added"),
    ]
    assert changes[0].what() == "mode 0644 -> 0600"
    assert changes[1].what() == "target 'd/f' -> 'elsewhere'"
    assert [c.path for c in top_level(changes)] == ["d/f", "l", "n"]


def test_unified_diff_for_text_only(tmp_path: Path) -> None:
    (tmp_path / "t").write_text("a\nb\n")
    (tmp_path / "bin").write_bytes(b"\0\1")
    before = take(tmp_path)
    (tmp_path / "t").write_text("a\nc\n")
    (tmp_path / "bin").write_bytes(b"\0\2")
    changes = {c.path: c for c in diff(before, take(tmp_path))}
    assert changes["t"].unified_diff() == "--- a/t\n+++ b/t\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
    assert changes["bin"].unified_diff() == ""
    assert changes["bin"].what() == "content changed (2 -> 2 bytes)"
