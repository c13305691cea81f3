"""A writer process for the lake tests: `python -m tests.cluster.lake_writer NAME TRANSACTIONS ROWS`.

Commits TRANSACTIONS transactions into the lake named by NEWS_WAREHOUSE_URL, each inserting ROWS rows
with ids NAME-<txn>-<row> into `items` and upserting its progress row in `progress` (the row every writer of
the same NAME would touch), retrying a transaction that DuckLake reports as conflicting. Prints one JSON line:
how many commits were retried."""

import contextlib
import json
import sys

import duckdb

from pipelines.core.storage.lake import LakeSettings


def main(name: str, transactions: int, rows: int) -> None:
    con = LakeSettings.from_env().connect()
    retries = 0
    for txn in range(transactions):
        while True:
            try:
                con.execute("BEGIN")
                con.execute(
                    "INSERT INTO items SELECT $name || '-' || $txn || '-' || range, $name, $txn FROM range($rows)",
                    {"name": name, "txn": txn, "rows": rows},
                )
                con.execute("DELETE FROM progress WHERE writer = $name", {"name": name})
                con.execute("INSERT INTO progress VALUES ($name, $txn)", {"name": name, "txn": txn})
                con.execute("COMMIT")
                break
            except duckdb.TransactionException:
                retries += 1
                with contextlib.suppress(duckdb.TransactionException):  # a failed COMMIT already ended it
                    con.execute("ROLLBACK")
    con.close()
    print(json.dumps({"writer": name, "retries": retries}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
