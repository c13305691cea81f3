"""Global stages on the lake take turns across processes, whatever Dagster knows: its pool global_stages
serialises them only among the runs of one instance. Two near-duplicate stages that overlapped (runs with no
shared instance) both grouped the same new articles, and every member row was written twice."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.cluster.conftest import require

require("PostgreSQL")

from pipelines.cluster.profile import Cluster  # noqa: E402
from pipelines.core.settings import Settings  # noqa: E402
from pipelines.core.stages import near_duplicates  # noqa: E402
from pipelines.core.storage import open_storage  # noqa: E402
from pipelines.core.storage.lake import GLOBAL_STAGES_LOCK  # noqa: E402
from tests.cluster.test_lake_equality import _new_lake  # noqa: E402
from tests.unit.test_near_duplicates_stage import OTHER, REWORDED, WIRE, put  # noqa: E402

pytestmark = pytest.mark.slow

BATCH = ["seeds-00"]


def _waits_for_the_lock(cluster: Cluster, catalog: str) -> bool:
    """Whether a session is queued for the global stages' advisory lock on the lake's catalog server."""
    con = cluster._pg_connect(catalog)
    try:
        with con.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = %s",
                [GLOBAL_STAGES_LOCK],
            )
            return cur.fetchone()[0] > 0
    finally:
        con.close()


def test_a_second_near_duplicate_stage_waits_for_the_first(
    cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _new_lake(cluster, "global_stages", tmp_path / "lake")
    warehouse = open_storage(Settings(tmp_path / "seeds", tmp_path / "folder", warehouse_url=url))
    with warehouse.session() as s:
        for article_id, text in (("a", WIRE), ("b", REWORDED), ("c", OTHER)):
            put(s, article_id, text)

    # Stage A has chosen its work and is about to group it when stage B, in another session, starts.
    second: dict[str, Any] = {}
    entered = threading.Event()

    def stage_b() -> None:
        with warehouse.session(exclusive=True) as s:
            entered.set()
            second["report"] = near_duplicates.group_near_duplicates(s, BATCH, "run-b")
            second["violations"] = s.query("check_near_duplicates", batch_keys=BATCH)

    real_group_chunk = near_duplicates._group_chunk
    b = threading.Thread(target=stage_b)

    def group_chunk_after_b_started(*args: Any, **kwargs: Any) -> Any:
        if not b.is_alive() and not entered.is_set():
            b.start()
            deadline = time.monotonic() + 60
            while not entered.is_set() and not _waits_for_the_lock(cluster, "global_stages"):
                assert time.monotonic() < deadline, "stage B neither started nor waited for the lock"
                time.sleep(0.05)
            if entered.is_set():  # B got in: it runs to its end before A goes on (the overlap of two runs)
                b.join(timeout=120)
        return real_group_chunk(*args, **kwargs)

    monkeypatch.setattr(near_duplicates, "_group_chunk", group_chunk_after_b_started)
    with warehouse.session(exclusive=True) as s:
        first = near_duplicates.group_near_duplicates(s, BATCH, "run-a")
        assert s.query("check_near_duplicates", batch_keys=BATCH) == []
        assert not entered.is_set()  # B waited for A's session to end
    b.join(timeout=120)

    assert first.rows_in == 3
    assert second["report"].rows_in == 0 and second["violations"] == []  # B found A's groups, nothing to do
    with warehouse.session() as s:
        rows = s.con.execute("SELECT article_id, count(*) FROM article_dups GROUP BY ALL ORDER BY 1").fetchall()
    assert rows == [("a", 1), ("b", 1), ("c", 1)]
