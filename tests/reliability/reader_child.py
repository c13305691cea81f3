"""Child process: an analyst holding news.duckdb open, querying it over and over until the file `stop`
appears (or `seconds` pass). Prints one JSON line: how many queries ran and any error. The pipeline must
never make it fail.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb


def main(path: str, seconds: str, stop: str) -> int:
    con = duckdb.connect(path, read_only=True)
    queries, error = 0, None
    deadline = time.monotonic() + float(seconds)
    try:
        while time.monotonic() < deadline and not Path(stop).exists():
            con.execute("SELECT count(*), max(length(text)) FROM articles").fetchone()
            queries += 1
            time.sleep(0.05)
    except duckdb.Error as exc:
        error = str(exc)
    print(json.dumps({"queries": queries, "error": error}))
    return 0 if error is None else 1


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:4]))
