"""The asset checks that look only at what a step touched still fail on damaged rows of that scope."""

from __future__ import annotations

from datetime import datetime

from pipelines.core.settings import Settings
from pipelines.core.sources.seed_folder import all_shard_keys
from pipelines.core.storage.embedded import EmbeddedWarehouse
from pipelines.defs.checks import CountCheck
from pipelines.defs.dedupe import ONE_GROUP
from pipelines.defs.entities import OFFSETS_IN_TEXT
from tests.integration.helpers import materialize_all

SINCE = datetime(2000, 1, 1)


def _violations(settings: Settings, check: CountCheck, damage: str, **params: object) -> tuple[int, int]:
    """The check's count before and after `damage` (rolled back afterwards), as the asset reports it."""
    with EmbeddedWarehouse(settings.warehouse_dir).session() as session:

        def count() -> int:
            return check.result(session, all_shard_keys(), **params).metadata["violations"].value

        before = count()
        session.con.execute("BEGIN TRANSACTION")
        session.con.execute(damage)
        after = count()
        session.con.execute("ROLLBACK")
    return before, after


def test_scoped_checks_still_find_damage(settings: Settings) -> None:
    assert materialize_all(settings).success
    first = "(SELECT min(rowid) FROM entity_mentions_base)"
    surface = f"UPDATE entity_mentions_base SET surface = surface || 'x' WHERE rowid = {first}"
    assert _violations(settings, OFFSETS_IN_TEXT, surface, since=SINCE) == (0, 1)
    # Mentions written before the step began are not the step's to check.
    assert _violations(settings, OFFSETS_IN_TEXT, surface, since=datetime(2999, 1, 1)) == (0, 0)
    one = "(SELECT min(article_id) FROM article_dups)"
    assert _violations(settings, ONE_GROUP, f"DELETE FROM article_dups WHERE article_id = {one}")[1] >= 1
    size = f"UPDATE dup_groups SET size = size + 1 WHERE canonical_article_id = {one}"
    assert _violations(settings, ONE_GROUP, size) == (0, 1)
    canonical = f"UPDATE article_dups SET dup_method = 'near_duplicate' WHERE article_id = {one}"
    assert _violations(settings, ONE_GROUP, canonical)[1] >= 1


def test_a_failed_listed_check_names_the_wrong_rows(settings: Settings) -> None:
    """A blocking check that fails in a user's run says which articles and groups are wrong, not only how many."""
    assert materialize_all(settings).success
    with EmbeddedWarehouse(settings.warehouse_dir).session() as session:
        (lost,) = session.con.execute("SELECT min(article_id) FROM article_dups").fetchone()
        session.con.execute("BEGIN TRANSACTION")
        session.con.execute("DELETE FROM article_dups WHERE article_id = ?", [lost])
        result = ONE_GROUP.result(session, all_shard_keys())
        session.con.execute("ROLLBACK")
        passed = ONE_GROUP.result(session, all_shard_keys())
    assert not result.passed and result.metadata["violations"].value >= 1
    assert {"problem": "article in no group", "article_id": lost, "dup_group_id": "None"} in result.metadata[
        "examples"
    ].value
    assert passed.passed and "examples" not in passed.metadata
