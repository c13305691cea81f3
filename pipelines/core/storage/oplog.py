"""The write log: every committed transaction of the working database, replayable on a copy of it.

Publishing news.duckdb by copying the whole working file costs time proportional to the warehouse, on
every run. Instead each transaction's writes are logged (the SQL text, its parameters, and the Arrow
relations it read) and a standby copy replays only the transactions it lacks, so a publish costs what
the run changed. See EmbeddedWarehouse.publish.

Layout: <dir>/<seq>/ holds ops.json and one Arrow IPC file per relation; <seq>.pending/ while the
transaction commits. The sequence number is stored in the working database in the same transaction,
so after a crash the log is repaired against it: a pending entry whose number was committed is kept,
any other pending entry is dropped.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipelines.core.atomic_files import fsync_dir
from pipelines.core.storage.session import Op

_PENDING = ".pending"


class LogGap(RuntimeError):
    """The log no longer holds every transaction a standby needs (it was pruned or damaged)."""


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot log a parameter of type {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "$datetime" in value:
        return datetime.fromisoformat(value["$datetime"])
    if isinstance(value, dict) and "$date" in value:
        return date.fromisoformat(value["$date"])
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


class OpLog:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _final(self, seq: int) -> Path:
        return self.directory / f"{seq:012d}"

    def _pending(self, seq: int) -> Path:
        return self.directory / f"{seq:012d}{_PENDING}"

    def stage(self, seq: int, ops: list[Op]) -> None:
        """Write transaction `seq` durably as pending, before its COMMIT."""
        target = self._pending(seq)
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        entries = []
        for i, op in enumerate(ops):
            files = {}
            for j, (name, table) in enumerate(op.relations.items()):
                file = f"{i}_{j}.arrow"
                with pa.OSFile(str(target / file), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
                    writer.write_table(table)
                files[name] = file
            params = {k: _encode(v) for k, v in (op.params or {}).items()} if op.params else None
            entries.append({"sql": op.sql, "params": params, "relations": files})
        ops_file = target / "ops.json"
        ops_file.write_text(json.dumps(entries), encoding="utf-8")
        for file in target.iterdir():
            with file.open("rb") as handle:
                os.fsync(handle.fileno())
        fsync_dir(target)

    def commit(self, seq: int) -> None:
        """Mark transaction `seq` committed (after its COMMIT succeeded)."""
        self._pending(seq).rename(self._final(seq))
        fsync_dir(self.directory)

    def discard(self, seq: int) -> None:
        shutil.rmtree(self._pending(seq), ignore_errors=True)

    def recover(self, committed: int) -> None:
        """Settle the log against the last sequence number the database committed: a pending entry at or
        below it committed before a crash (keep it); anything else above it belongs to a future the
        database does not have (a crash before COMMIT, or a working file restored from news.duckdb)."""
        if not self.directory.is_dir():
            self.directory.mkdir(parents=True, exist_ok=True)
            return
        for entry in self.directory.iterdir():
            pending = entry.name.endswith(_PENDING)
            seq = int(entry.name[: -len(_PENDING)] if pending else entry.name)
            if pending and seq <= committed and not self._final(seq).exists():
                entry.rename(self._final(seq))
            elif pending or seq > committed:
                shutil.rmtree(entry, ignore_errors=True)

    def read(self, seq: int) -> list[Op]:
        path = self._final(seq)
        try:
            entries = json.loads((path / "ops.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise LogGap(f"write log entry {seq} is missing or damaged ({exc})") from exc
        ops = []
        for entry in entries:
            relations = {}
            for name, file in entry["relations"].items():
                with pa.memory_map(str(path / file)) as source:
                    relations[name] = pa.ipc.open_file(source).read_all()
            params = {k: _decode(v) for k, v in entry["params"].items()} if entry["params"] else None
            ops.append(Op(entry["sql"], params, relations))
        return ops

    def between(self, after: int, upto: int) -> Iterator[tuple[int, list[Op]]]:
        """Transactions after..upto in order; LogGap when one of them is not in the log."""
        for seq in range(after + 1, upto + 1):
            yield seq, self.read(seq)

    def prune(self, upto: int) -> None:
        """Drop entries every standby has already applied."""
        if not self.directory.is_dir():
            return
        for entry in self.directory.iterdir():
            if not entry.name.endswith(_PENDING) and entry.name.isdigit() and int(entry.name) <= upto:
                shutil.rmtree(entry, ignore_errors=True)
