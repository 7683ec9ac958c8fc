from __future__ import annotations

from pathlib import Path

from jobs.inbox import ready_files, safe_name


def test_path_tricks_and_newlines_never_reach_an_archive_path() -> None:
    for bad in ["../../etc/passwd", "a\nb.csv", "..", ".hidden", "x/y\\z.csv", "", "\x00"]:
        name = safe_name(bad)
        assert "/" not in name and "\\" not in name and "\n" not in name and "\x00" not in name
        assert name and not name.startswith(".") and ".." not in name


def test_long_names_are_cut_but_keep_their_extension() -> None:
    name = safe_name("对账单" * 200 + ".csv")
    assert name.endswith(".csv") and len(name.encode()) <= 180


def test_temporary_and_fresh_files_wait_and_links_out_of_the_inbox_are_not_followed(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    box.mkdir()
    (box / "a.csv").write_text("x")
    (box / "b.csv.part").write_text("x")
    (box / "~$c.xlsx").write_text("x")
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    (box / "link.csv").symlink_to(outside)
    ready, waiting = ready_files(box, settle_seconds=0)
    assert [f.path.name for f in ready] == ["a.csv"]
    assert {p.name for p in waiting} == {"b.csv.part", "~$c.xlsx", "link.csv"}
    ready, waiting = ready_files(box, settle_seconds=3600)
    assert ready == [] and "a.csv" in {p.name for p in waiting}
