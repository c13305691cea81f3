import base64
import json
import os
import zlib
from pathlib import Path

from pipelines.core.sources.seed_folder import (
    SHARD_COUNT,
    SeedFolderCursor,
    all_shard_keys,
    folder_states,
    read_seed_file,
    scan,
    shard_from_key,
    shard_key,
    shard_of,
    shard_states,
)
from tests.conftest import too_deep_folder

MB = 1024 * 1024


def _entries(root: Path) -> dict[str, object]:
    return {e.relpath: e for e in scan(root)}


def test_scan_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    for rel in ["z.txt", "a/one.md", "a/b/two.html", "a/b/three.jsonl", ".hidden.txt", "draft.txt~", "x.swp"]:
        (tmp_path / rel).write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config.txt").write_text("x")
    assert list(_entries(tmp_path)) == ["z.txt", "a/one.md", "a/b/three.jsonl", "a/b/two.html"]


def test_shards_are_stable_and_cover_all_keys() -> None:
    assert shard_of("000_f74e0fc5425a5a7b.txt") == shard_of("000_f74e0fc5425a5a7b.txt")
    assert len(all_shard_keys()) == SHARD_COUNT
    assert {shard_from_key(k) for k in all_shard_keys()} == set(range(SHARD_COUNT))
    counts = [0] * SHARD_COUNT
    for i in range(3200):
        counts[shard_of(f"file_{i}.txt")] += 1
    assert min(counts) > 120  # roughly even: 200 expected per shard


def test_symlinks(tmp_path: Path) -> None:
    root, outside = tmp_path / "seeds", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("not yours")
    (root / "real.txt").write_text("Headline\n\nBody")
    (root / "inside_link.txt").symlink_to(root / "real.txt")
    (root / "escape.txt").symlink_to(outside / "secret.txt")
    (root / "escape_dir").symlink_to(outside)
    (root / "dotdot.txt").symlink_to(Path("..") / "outside" / "secret.txt")
    entries = _entries(root)
    assert entries["inside_link.txt"].problem is None
    for name in ("escape.txt", "escape_dir", "dotdot.txt"):
        assert entries[name].status == "refused_symlink" and "outside the seed folder" in entries[name].problem
        result = read_seed_file(entries[name], root, MB, MB)
        assert result.items[0].data is None  # never read


def test_fifo_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    entry = _entries(tmp_path)["pipe.txt"]
    assert entry.status == "unreadable"
    assert read_seed_file(entry, tmp_path, MB, MB).items[0].data is None


def test_unsupported_type(tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    entry = _entries(tmp_path)["report.pdf"]
    assert entry.status == "unsupported" and ".txt" in entry.problem


def test_size_limit_keeps_evidence_only(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_bytes(b"x" * (3 * MB))
    entry = _entries(tmp_path)["big.txt"]
    result = read_seed_file(entry, tmp_path, MB, 10 * MB)
    item = result.items[0]
    assert result.status == "too_large" and item.truncated and len(item.data) == 64 * 1024
    assert "3.0 MiB, over the 1.0 MiB limit" in item.problem and "NEWS_MAX_DOCUMENT_BYTES" in item.problem


def test_vanished_between_listing_and_reading(tmp_path: Path) -> None:
    (tmp_path / "gone.txt").write_text("Headline\n\nBody")
    entry = _entries(tmp_path)["gone.txt"]
    (tmp_path / "gone.txt").unlink()
    result = read_seed_file(entry, tmp_path, MB, MB)
    assert result.status == "vanished" and "disappeared between listing and reading" in result.items[0].problem


def test_jsonl_lines_become_items(tmp_path: Path) -> None:
    (tmp_path / "batch.jsonl").write_bytes(b'{"a": 1}\n\n{"b": 2}\r\n' + b"y" * 200 + b"\n")
    result = read_seed_file(_entries(tmp_path)["batch.jsonl"], tmp_path, 100, MB)
    assert [i.locator for i in result.items] == ["line 1", "line 3", "line 4"]
    assert result.items[1].data == b'{"b": 2}'
    assert result.items[2].status == "too_large" and result.items[2].problem.startswith("line 4 is")


def test_cursor_reports_only_the_shards_that_changed(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("one")
    (tmp_path / "b.txt").write_text("two")
    first = folder_states(tmp_path)
    empty = SeedFolderCursor({})
    assert empty.changed_shards(first) == sorted({shard_key(shard_of("a.txt")), shard_key(shard_of("b.txt"))})
    cursor = SeedFolderCursor.decode(SeedFolderCursor(first, 1).encode())
    assert cursor == SeedFolderCursor(first, 1) and cursor.files == 2
    assert cursor.changed_shards(folder_states(tmp_path)) == []
    (tmp_path / "b.txt").write_text("two, edited")
    second = folder_states(tmp_path)
    assert cursor.changed_shards(second) == [shard_key(shard_of("b.txt"))]
    (tmp_path / "b.txt").unlink()  # a deletion changes its shard too (its article is withdrawn)
    assert cursor.changed_shards(folder_states(tmp_path)) == [shard_key(shard_of("b.txt"))]
    assert cursor.run_key(cursor.changed_shards(second), second) != empty.run_key(empty.changed_shards(first), first)


def test_cursor_is_readable_json_and_stays_small_for_100k_files() -> None:
    files = [
        (f"archive/{i // 1000:03d}/{i:06d}.txt", f"{2000 + i}:{1_700_000_000_000_000_000 + i}") for i in range(100_000)
    ]
    raw = SeedFolderCursor(shard_states(files), runs_requested=3).encode()
    assert len(raw) < 1500, len(raw)
    shown = json.loads(raw)
    assert shown["files"] == 100_000 and shown["runs_requested"] == 3
    assert len(shown["shards"]) == SHARD_COUNT and sum(s["files"] for s in shown["shards"].values()) == 100_000
    # One file of the 100,000 touched: exactly its shard changed.
    touched = [(path, "1:1") if path == "archive/042/042424.txt" else (path, sig) for path, sig in files]
    assert SeedFolderCursor.decode(raw).changed_shards(shard_states(touched)) == [
        shard_key(shard_of("archive/042/042424.txt"))
    ]


def test_a_change_back_to_an_earlier_state_is_a_new_run() -> None:
    with_file = shard_states([("a.txt", "3:1")])
    key = shard_key(shard_of("a.txt"))
    cursor = SeedFolderCursor(with_file, runs_requested=1)
    deleted = cursor.run_key([key], {})
    cursor = SeedFolderCursor({}, runs_requested=2)
    restored = cursor.run_key([key], with_file)
    cursor = SeedFolderCursor(with_file, runs_requested=3)
    assert len({deleted, restored, cursor.run_key([key], {})}) == 3  # deleted again: not the first deletion's run
    assert cursor.run_key([key], {}) == SeedFolderCursor(with_file, runs_requested=3).run_key([key], {})


def test_an_unreadable_or_older_cursor_is_no_cursor() -> None:
    older = base64.b64encode(zlib.compress(json.dumps({"a.txt": "3:1"}).encode())).decode()
    for raw in (None, "", "not json", older, "[]", '{"shards": {"seeds-01": {"files": "x"}}}'):
        assert SeedFolderCursor.decode(raw) is None, raw


def test_names_and_shapes_that_cannot_be_read_are_listed_with_the_reason(tmp_path: Path) -> None:
    """Nothing in the folder makes the scan (the run's and the sensor's) raise: symlink loops, a name that
    is not UTF-8, a path longer than the system allows are entries with a problem, or are read."""
    (tmp_path / "a.txt").symlink_to("b.txt")
    (tmp_path / "b.txt").symlink_to("a.txt")
    (tmp_path / "self.txt").symlink_to("self.txt")
    (tmp_path / "loop_dir").symlink_to("loop_dir")
    latin1 = os.fsencode(tmp_path) + b"/caf\xe9.txt"
    with open(latin1, "wb") as handle:  # noqa: PTH123 (a bytes path)
        handle.write(b"Cafe headline\n\nA body about a cafe.")
    (tmp_path / "deep").mkdir()
    too_deep_folder(tmp_path / "deep")
    entries = _entries(tmp_path)
    for name in ("a.txt", "b.txt", "self.txt", "loop_dir"):
        assert entries[name].status == "unreadable" and "symlink loop" in entries[name].problem, name
    cafe = entries["caf\\xe9.txt"]  # stored and shown as Python shows the byte
    assert cafe.problem is None
    assert read_seed_file(cafe, tmp_path, MB, MB).items[0].data.startswith(b"Cafe headline")
    (deep,) = [e for e in entries.values() if e.relpath.startswith("deep/")]
    assert deep.status == "unreadable" and "longer than this system allows" in deep.problem
    states = folder_states(tmp_path)  # the sensor's scan
    assert sum(s.files for s in states.values()) == len(entries)
    assert SeedFolderCursor.decode(SeedFolderCursor(states).encode()) == SeedFolderCursor(states)
