"""Documents stage for the seed folder: new or changed files of the given shards become documents.

What a file no longer holds is withdrawn (withdrawn_documents): all its documents when it was deleted
(a file of the scanned shards that the scan no longer finds), the documents of its old content when it
changed (an edited file, a .jsonl line removed). The articles stage then withdraws the articles left
with no document, so a deleted file's article, events and search hits leave every view; putting the
file back reads it again and brings them back.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipelines.core.settings import PROJECT_ROOT, Settings
from pipelines.core.sources import seed_folder
from pipelines.core.sources.seed_folder import SeedFile, shard_from_key, shard_key, shard_of
from pipelines.core.stages.report import StageReport, reject_row
from pipelines.core.storage import Session, Storage, WarehouseError, utcnow

# Flush to the warehouse every this many bytes read, so memory stays bounded on huge backfills.
FLUSH_BYTES = 64 * 1024 * 1024


def display_uri(seeds_dir: Path, relpath: str) -> str:
    """documents.uri for a seed file: relative to the project when the folder is inside it."""
    path = seeds_dir / relpath
    try:
        return path.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def _withdraw_deleted(session: Session, keys: list[str], listed: set[str], run_id: str) -> int:
    """Files of the scanned shards that were there before and are not now: each becomes status deleted and
    its documents are withdrawn. Returns how many."""
    gone = [row for row in session.query("live_seed_files", batch_keys=keys) if row["relpath"] not in listed]
    if not gone:
        return 0
    now = utcnow()
    files = [
        {
            "relpath": row["relpath"],
            "uri": row["uri"],
            "size_bytes": None,
            "mtime_ns": None,
            "sha256": None,
            "document_id": None,
            "status": "deleted",
            "batch_key": shard_key(shard_of(row["relpath"])),
            "seen_at": now,
        }
        for row in gone
    ]
    probe = [{"uri": row["uri"], "reason": "deleted"} for row in gone]
    with session.transaction():
        session.upsert("seed_files", files, ["relpath"])
        session.write_with("withdraw_documents", probe, current=[], now=now, run_id=run_id)
        session.bump_data_version("documents")
    return len(gone)


def _unchanged(entry: SeedFile, known: dict[str, Any] | None) -> bool:
    return (
        known is not None
        and known["size_bytes"] == entry.size
        and known["mtime_ns"] == entry.mtime_ns
        and known["status"] == entry.status
    )


class _Batch:
    """Rows waiting to be written together, with the seed_files rows that say they were read."""

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        self.documents: list[dict[str, Any]] = []
        self.files: list[dict[str, Any]] = []
        self.rejects: list[dict[str, Any]] = []
        self.changed: list[str] = []  # documents of files that changed since they were last read
        self.replaced: list[dict[str, str]] = []  # files (uri, reason) whose former documents may be gone
        # documents of those files read in this run, also the ones an earlier flush wrote (a web archive's
        # records are flushed as they come, so one file's documents can span flushes)
        self.current: list[str] = []
        self.bytes = 0

    def flush(self, session: Session) -> None:
        if not (self.documents or self.files or self.rejects):
            return
        with session.transaction():
            if self.changed:  # a file back to bytes read before is that document again
                session.write_with("forget_reverted_documents", [{"document_id": d} for d in self.changed])
            session.insert_new("documents", self.documents, ["document_id"])
            session.upsert("seed_files", self.files, ["relpath"])
            session.upsert("rejects", self.rejects, ["reject_id"])
            if self.replaced:
                current = self.current + [d["document_id"] for d in self.documents]
                session.write_with(
                    "withdraw_documents", self.replaced, current=current, now=utcnow(), run_id=self.run_id
                )
                session.write("restore_documents", current=current)
            if self.documents or self.rejects or self.replaced:
                session.bump_data_version("documents")
        self.__init__(self.run_id)


def ingest_seed_shards(
    session: Session,
    settings: Settings,
    batch_keys: Iterable[str],
    run_id: str,
    entries: list[SeedFile] | None = None,
) -> StageReport:
    """Read new/changed files of the shards named by `batch_keys`; return what happened.

    `entries` lets a caller pass a listing it already made (the sensor's, or a test's); by default the
    shards are scanned here.
    """
    keys = sorted(set(batch_keys))
    report = StageReport("documents", keys, run_id)
    shards = {shard_from_key(k) for k in keys}
    root = settings.seeds_dir
    listing = entries if entries is not None else list(seed_folder.scan(root, shards))
    known = (
        {row["relpath"]: row for row in session.query_with("seed_files_for", [{"relpath": e.relpath} for e in listing])}
        if listing
        else {}
    )
    report.rows_in = len(listing)
    batch = _Batch(run_id)
    for entry in listing:
        previous = known.get(entry.relpath)
        if _unchanged(entry, previous):
            report.duplicate += 1
            continue
        result = seed_folder.read_seed_file(entry, root, settings.max_document_bytes, settings.max_jsonl_bytes)
        now = utcnow()
        uri = display_uri(root, entry.relpath)
        key = shard_key(entry.shard)
        state = {
            "relpath": entry.relpath,
            "uri": uri,
            "size_bytes": entry.size,
            "mtime_ns": entry.mtime_ns,
            "sha256": result.file_sha256,
            "document_id": None,
            "status": result.status,
            "batch_key": key,
            "seen_at": now,
        }
        if result.status == "ok" and previous is not None and previous["sha256"] == result.file_sha256:
            report.duplicate += 1  # touched, not changed: remember the new mtime only
            batch.files.append(state)
            continue
        file_ids: list[str] = []
        file_mtime = datetime.fromtimestamp(entry.mtime_ns / 1e9, UTC).replace(tzinfo=None)
        for item in result.items:
            doc_id = seed_folder.document_id(uri, item.locator, item, entry.mtime_ns)
            file_ids.append(doc_id)
            if previous is not None:
                batch.changed.append(doc_id)
            batch.documents.append(
                {
                    "document_id": doc_id,
                    "batch_key": key,
                    "source_kind": "seed_folder",
                    "uri": uri,
                    "locator": item.locator,
                    "content_type": entry.content_type,
                    "size_bytes": item.size,
                    "sha256": item.sha256,
                    "raw": item.data,
                    "raw_truncated": item.truncated,
                    "fetched_at": item.fetched_at or now,
                    "file_mtime": file_mtime,
                    "run_id": run_id,
                }
            )
            batch.bytes += len(item.data or b"")
            if item.problem:
                report.rejected += 1
                batch.rejects.append(reject_row(doc_id, key, "read", item.problem, uri, run_id))
            else:
                report.new += 1
            if not entry.holds_many:
                state["document_id"] = doc_id
            if batch.bytes >= FLUSH_BYTES:  # within a file too: a web archive can hold gigabytes
                batch.flush(session)
        if previous is not None:  # its documents not read now are withdrawn (current: all read now)
            batch.replaced.append({"uri": uri, "reason": "replaced"})
            batch.current.extend(file_ids)
        batch.files.append(state)
    batch.flush(session)
    report.details["files_deleted"] = _withdraw_deleted(session, keys, {e.relpath for e in listing}, run_id)
    if report.new or report.rejected:
        report.preview = session.query("preview_new_documents", run_id=run_id)
    report.details["files_seen"] = len(listing)
    report.details["files_unchanged"] = report.duplicate
    return report.finish(session)


def ingested_states(warehouse: Storage, keys: list[str]) -> dict[str, seed_folder.ShardState]:
    """The state of these seed shards as the published warehouse records them: what runs have read. Empty
    when nothing is published yet (or it cannot be opened just now: a lake the first run has not created yet
    cannot be attached), so that everything is read."""
    if not keys:
        return {}
    try:
        con = warehouse.read_published()
    except (WarehouseError, duckdb.Error):
        return {}
    try:
        rows = Session(con).query("live_seed_files", batch_keys=keys)
    finally:
        con.close()
    return seed_folder.shard_states(
        (row["relpath"], seed_folder.signature(row["size_bytes"], row["mtime_ns"])) for row in rows
    )
