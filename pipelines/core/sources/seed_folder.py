"""The seed folder: find article files, assign them to shards, read them safely.

Partitions of the seed folder are shards: a file belongs to shard hash(relative path) mod 16, forever.
That makes "backfill the whole folder" a fixed 16 partitions (one run with a single-run backfill, however
many files), lets a new or edited file re-run only its shard, and lets a run skip every file whose size
and mtime match what the warehouse recorded.

Safety: the scanner never follows a symlink out of the folder, never opens FIFOs or devices (an open()
would block forever), and never reads more than the size limit of any file.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipelines.core.formats import CONTENT_TYPES, JSONL, content_type_for
from pipelines.core.ids import stable_id
from pipelines.core.sources import warc

SHARD_COUNT = 16
SHARD_PREFIX = "seeds-"
EVIDENCE_BYTES = 64 * 1024
_TEMP_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".part", ".crdownload", ".partial")


def shard_of(relpath: str) -> int:
    return int(hashlib.sha256(relpath.encode("utf-8")).hexdigest()[:8], 16) % SHARD_COUNT


def shard_key(shard: int) -> str:
    return f"{SHARD_PREFIX}{shard:02d}"


def all_shard_keys() -> list[str]:
    return [shard_key(i) for i in range(SHARD_COUNT)]


def shard_from_key(key: str) -> int:
    if not key.startswith(SHARD_PREFIX):
        raise ValueError(f"{key!r} is not a seed-folder partition (expected {SHARD_PREFIX}00..{SHARD_COUNT - 1})")
    return int(key[len(SHARD_PREFIX) :])


@dataclass(frozen=True)
class SeedFile:
    """One entry found in the seed folder. `problem` is set when it must not (or cannot) be read."""

    relpath: str
    path: Path
    size: int
    mtime_ns: int
    problem: str | None = None
    status: str = "ok"

    @property
    def shard(self) -> int:
        return shard_of(self.relpath)

    @property
    def content_type(self) -> str | None:
        return content_type_for(self.path.name)

    @property
    def holds_many(self) -> bool:
        """Whether the file holds several documents (a line or a record each), not one."""
        return self.content_type in (JSONL, warc.WARC)

    @property
    def signature(self) -> str:
        return signature(self.size, self.mtime_ns)


def signature(size: int | None, mtime_ns: int | None) -> str:
    """What the sensor compares of a file: its size and mtime (a run then compares content hashes)."""
    return f"{size}:{mtime_ns}"


def _ignored(name: str) -> bool:
    return name.startswith((".", "~$")) or name.endswith(_TEMP_SUFFIXES)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def printable(path: str) -> str:
    r"""A path as text that can be stored and shown. File names are bytes on POSIX; Python hands over the
    bytes that are not UTF-8 as lone surrogates ("caf\udce9.txt"), which no database or JSON accepts, so
    they are written as \xNN escapes ("caf\xe9.txt"), as Python shows them."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def scan(root: Path, shards: set[int] | None = None) -> Iterator[SeedFile]:
    """Every candidate file under `root` (recursively), in a stable order, restricted to `shards`. Nothing
    in the folder makes it raise: a file or folder it cannot look at is listed with its problem."""
    root = root.resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"seed folder {root} does not exist; create it or set NEWS_SEEDS_DIR")
    unlistable: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=unlistable.append):
        dirnames[:] = sorted(d for d in dirnames if not _ignored(d))
        base = Path(dirpath)
        entries = sorted(filenames) + [d for d in dirnames if _is_link(base / d)]
        # Plain strings until a file is in the wanted shards: a run over one shard walks the whole folder,
        # and Path arithmetic for every file cost seconds at 100k files.
        folder = printable(base.relative_to(root).as_posix())
        prefix = "" if folder == "." else f"{folder}/"
        for name in entries:
            if _ignored(name):
                continue
            relpath = prefix + printable(name)
            if shards is not None and shard_of(relpath) not in shards:
                continue
            found = _describe(base / name, relpath, root)
            if found is not None:
                yield found
        yield from _unlistable(unlistable, root, shards)
    yield from _unlistable(unlistable, root, shards)


def _unlistable(errors: list[OSError], root: Path, shards: set[int] | None) -> Iterator[SeedFile]:
    """The folders os.walk could not list (it reports them through onerror as it tries), as entries."""
    while errors:
        error = errors.pop(0)
        relpath = printable(Path(error.filename).relative_to(root).as_posix())
        if shards is None or shard_of(relpath) in shards:
            yield _unreadable(Path(error.filename), relpath, 0, error, "cannot list this folder")


def _is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(path.lstat().st_mode)
    except OSError:
        return False  # too long a path to look at: os.walk reports the folder when it cannot list it


def _unreadable(path: Path, relpath: str, mtime_ns: int, error: OSError, what: str) -> SeedFile:
    """An entry that cannot be looked at, with the reason and what to do."""
    if error.errno == errno.ENAMETOOLONG:
        reason = (
            f"its path is {len(os.fsencode(path))} bytes, longer than this system allows; move it to a shorter path"
        )
    elif error.errno == errno.ELOOP:
        reason = "symlink loop (the link leads back to itself); not read"
    elif error.errno == errno.EACCES:
        reason = "permission denied; check its permissions"
    else:
        reason = error.strerror or str(error)
    return SeedFile(relpath, path, 0, mtime_ns, status="unreadable", problem=f"{what}: {reason}")


def _describe(path: Path, relpath: str, root: Path) -> SeedFile | None:
    try:
        lst = path.lstat()
    except FileNotFoundError:
        return None  # vanished before we looked; nothing was listed, nothing to record
    except OSError as exc:
        return _unreadable(path, relpath, 0, exc, "cannot look at this file")
    if stat.S_ISLNK(lst.st_mode):
        try:
            target = path.resolve(strict=True)
        except FileNotFoundError:
            target = path.resolve()  # broken: reported below (outside the folder, or no target)
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
            return _unreadable(path, relpath, lst.st_mtime_ns, OSError(errno.ELOOP, "loop"), "cannot follow")
        if not _inside(target, root):
            return SeedFile(
                relpath,
                path,
                0,
                lst.st_mtime_ns,
                status="refused_symlink",
                problem=f"symlink pointing outside the seed folder (to {target}); refused, not read. "
                "Copy the file into the folder instead",
            )
        try:
            st = target.stat()
        except OSError:
            return SeedFile(
                relpath,
                path,
                0,
                lst.st_mtime_ns,
                status="vanished",
                problem="broken symlink: its target does not exist",
            )
        if stat.S_ISDIR(st.st_mode):
            return None  # a link to a folder inside the seed folder: its files are found there
    else:
        st = lst
    if not stat.S_ISREG(st.st_mode):
        return SeedFile(
            relpath,
            path,
            0,
            st.st_mtime_ns,
            status="unreadable",
            problem="not a regular file (FIFO, socket or device); not read",
        )
    if content_type_for(path.name) is None:
        supported = " ".join(sorted({*CONTENT_TYPES, *warc.WARC_SUFFIXES}))
        return SeedFile(
            relpath,
            path,
            st.st_size,
            st.st_mtime_ns,
            status="unsupported",
            problem=f"unsupported file type {path.suffix or '(none)'!r}; supported: {supported}",
        )
    return SeedFile(relpath, path, st.st_size, st.st_mtime_ns)


@dataclass(frozen=True)
class ReadItem:
    """One document's worth of bytes out of a seed file (the whole file, or one line of a .jsonl)."""

    locator: str | None
    data: bytes | None
    size: int
    sha256: str | None
    truncated: bool = False
    problem: str | None = None
    status: str = "ok"
    fetched_at: datetime | None = None  # when a web archive captured it; None: when the pipeline read it


@dataclass(frozen=True)
class ReadResult:
    items: Iterable[ReadItem]  # a web archive's are read lazily, record by record
    file_sha256: str | None
    status: str


def _open_inside(path: Path, root: Path) -> int:
    """A read-only fd on the file, refusing anything that now resolves outside the root or is not regular."""
    real = path.resolve()
    if not _inside(real, root.resolve()):
        raise PermissionError(f"{path} now resolves outside the seed folder (to {real}); refused")
    fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise PermissionError(f"{path} is not a regular file; not read")
    return fd


def read_seed_file(entry: SeedFile, root: Path, max_document_bytes: int, max_jsonl_bytes: int) -> ReadResult:
    """Read a scanned file into document items; problems become items with `problem` set, never raises."""
    if entry.problem:
        return ReadResult(
            [ReadItem(None, None, entry.size, None, problem=entry.problem, status=entry.status)],
            None,
            entry.status,
        )
    limit = max_jsonl_bytes if entry.content_type == JSONL else max_document_bytes
    try:
        fd = _open_inside(entry.path, root)
    except FileNotFoundError:
        return _failed(entry, "vanished", "file disappeared between listing and reading; it will be read if it returns")
    except PermissionError as exc:
        return _failed(entry, "refused_symlink" if "outside" in str(exc) else "unreadable", str(exc))
    except OSError as exc:
        return _failed(entry, "unreadable", f"cannot open: {exc.strerror}; check the file's permissions")
    if entry.content_type == warc.WARC:
        return _read_warc(entry, root, fd, max_document_bytes)
    with os.fdopen(fd, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            prefix = handle.read(EVIDENCE_BYTES)
            what = "JSONL file" if entry.content_type == JSONL else "file"
            problem = (
                f"{what} is {_mib(size)}, over the {_mib(limit)} limit; split it or raise "
                f"{'NEWS_MAX_JSONL_BYTES' if entry.content_type == JSONL else 'NEWS_MAX_DOCUMENT_BYTES'}"
            )
            item = ReadItem(None, prefix, size, None, truncated=True, problem=problem, status="too_large")
            return ReadResult([item], None, "too_large")
        data = handle.read(limit + 1)
    if len(data) > limit:  # grew while we read it
        return _failed(entry, "too_large", f"file grew past the {_mib(limit)} limit while being read")
    digest = hashlib.sha256(data).hexdigest()
    if entry.content_type != JSONL:
        return ReadResult([ReadItem(None, data, len(data), digest)], digest, "ok")
    return ReadResult(list(_jsonl_items(data, max_document_bytes)), digest, "ok")


def _jsonl_items(data: bytes, max_line_bytes: int) -> Iterator[ReadItem]:
    for number, line in enumerate(data.split(b"\n"), start=1):
        line = line.rstrip(b"\r")
        if not line.strip():
            continue
        if len(line) > max_line_bytes:
            yield ReadItem(
                f"line {number}",
                line[:EVIDENCE_BYTES],
                len(line),
                None,
                truncated=True,
                problem=f"line {number} is {_mib(len(line))}, over the {_mib(max_line_bytes)} per-article limit",
                status="too_large",
            )
            continue
        yield ReadItem(f"line {number}", line, len(line), hashlib.sha256(line).hexdigest())


def _read_warc(entry: SeedFile, root: Path, fd: int, max_record_bytes: int) -> ReadResult:
    """A web archive: hashed in one streaming pass (so an unchanged file is recognised before its records
    are read), then its records read lazily in a second. No whole-file limit: memory holds one record."""
    digest = hashlib.sha256()
    with os.fdopen(fd, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return ReadResult(_warc_items(entry, root, max_record_bytes), digest.hexdigest(), "ok")


def _warc_items(entry: SeedFile, root: Path, max_record_bytes: int) -> Iterator[ReadItem]:
    try:
        handle = os.fdopen(_open_inside(entry.path, root), "rb")
    except OSError as exc:
        yield ReadItem(None, None, entry.size, None, problem=f"cannot read the archive again: {exc}", status="vanished")
        return
    with handle:
        try:
            for record in warc.html_records(handle, max_record_bytes, EVIDENCE_BYTES):
                locator = f"record at byte {record.offset}"
                if record.data is None:
                    problem = (
                        f"{locator}: the page is over the {_mib(max_record_bytes)} limit; raise NEWS_MAX_DOCUMENT_BYTES"
                    )
                    yield ReadItem(
                        locator, record.evidence, record.size, None, True, problem, "too_large", record.captured_at
                    )
                else:
                    digest = hashlib.sha256(record.data).hexdigest()
                    yield ReadItem(locator, record.data, record.size, digest, fetched_at=record.captured_at)
        except warc.DamagedArchive as exc:
            yield ReadItem("damaged", None, entry.size, None, problem=str(exc), status="damaged")


def _mib(size: int) -> str:
    return f"{size / 1048576:.1f} MiB"


def _failed(entry: SeedFile, status: str, problem: str) -> ReadResult:
    return ReadResult([ReadItem(None, None, entry.size, None, problem=problem, status=status)], None, status)


def document_id(uri: str, locator: str | None, item: ReadItem, mtime_ns: int) -> str:
    """Same bytes at the same place = same document. Unreadable items are identified by what was seen."""
    content = item.sha256 or f"unread:{item.status}:{item.size}:{mtime_ns}"
    return stable_id("seed_folder", uri, locator or "", content)


@dataclass(frozen=True)
class ShardState:
    """What a shard of the folder holds: how many files, and a digest of their paths, sizes and mtimes."""

    files: int
    digest: str


def shard_states(signatures: Iterable[tuple[str, str]]) -> dict[str, ShardState]:
    """Per shard key, the state of (relpath, "size:mtime_ns") pairs: equal states mean the same files with
    the same sizes and mtimes, which is what a run compares to decide what to read again."""
    by_shard: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for relpath, signature in signatures:
        by_shard[shard_key(shard_of(relpath))].append((relpath, signature))
    states = {}
    for key, pairs in sorted(by_shard.items()):
        digest = hashlib.sha256()
        for relpath, signature in sorted(pairs):
            digest.update(f"{relpath}\0{signature}\n".encode())
        states[key] = ShardState(len(pairs), digest.hexdigest()[:16])
    return states


def folder_states(root: Path) -> dict[str, ShardState]:
    """The state of every shard of the folder as a scan finds it now (one stat per file)."""
    return shard_states((entry.relpath, entry.signature) for entry in scan(root))


@dataclass(frozen=True)
class SeedFolderCursor:
    """What the seed sensor last saw, per shard, and how many runs it requested, as readable JSON:
    {"files": 5, "runs_requested": 1, "shards": {"seeds-01": {"files": 1, "digest": "3fa29c1e0b7d4e21"}, …}}.

    Per shard, not per file: a run covers whole shards and compares each of their files with the
    warehouse's seed_files (where the per-file sizes and mtimes are kept), so the sensor only has to know
    which shards changed. The cursor stays about 1 KB for 10 or 100,000 files."""

    shards: dict[str, ShardState]
    runs_requested: int = 0

    @property
    def files(self) -> int:
        return sum(state.files for state in self.shards.values())

    @classmethod
    def decode(cls, raw: str | None) -> SeedFolderCursor | None:
        """None when there is no cursor or it is not one of these (an older format, or damaged): the
        sensor then compares the folder with what the warehouse holds."""
        try:
            value = json.loads(raw or "")
            shards = {key: ShardState(int(s["files"]), str(s["digest"])) for key, s in value["shards"].items()}
            return cls(shards, int(value.get("runs_requested", 0)))
        except (ValueError, TypeError, KeyError, AttributeError):
            return None

    def encode(self) -> str:
        shards = {key: {"files": s.files, "digest": s.digest} for key, s in sorted(self.shards.items())}
        value = {"files": self.files, "runs_requested": self.runs_requested, "shards": shards}
        return json.dumps(value, separators=(",", ":"))

    def changed_shards(self, now: dict[str, ShardState]) -> list[str]:
        """Shards whose files are not what the cursor saw: new, changed or deleted files (a deleted file's
        shard runs too, to withdraw its article)."""
        return sorted(key for key in {*self.shards, *now} if self.shards.get(key) != now.get(key))

    def run_key(self, keys: Iterable[str], now: dict[str, ShardState]) -> str:
        """The key of the run this cursor requests next for `keys`: the same request evaluated twice (a tick
        resumed after a crash) is one run, and the count of requests so far makes every later change a new
        run, even one back to an earlier state (a file deleted, put back, deleted again)."""
        text = "\n".join(f"{key}={_state_text(self.shards.get(key))}>{_state_text(now.get(key))}" for key in keys)
        return f"seeds:{self.runs_requested + 1}:{hashlib.sha256(text.encode()).hexdigest()[:12]}"


def _state_text(state: ShardState | None) -> str:
    return f"{state.files}:{state.digest}" if state else "-"


def change_summary(keys: Iterable[str], before: dict[str, ShardState], now: dict[str, ShardState]) -> str:
    """The shards that changed, as a person reads it: "seeds-07 (2 files, was 1)"."""
    parts = []
    for key in keys:
        files = now[key].files if key in now else 0
        was = f", was {before[key].files}" if key in before else ""
        parts.append(f"{key} ({files} file{'' if files == 1 else 's'}{was})")
    return ", ".join(parts)
