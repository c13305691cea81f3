"""The seed-folder sensor trusts the warehouse's record of what runs read only while no run is in flight
(pipelines/defs/sensors.py)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest
from dagster._core.test_utils import create_run_for_test

from pipelines.core.settings import Settings
from pipelines.core.sources.seed_folder import ShardState, all_shard_keys, folder_states
from pipelines.defs import sensors
from pipelines.defs.common import range_tags
from pipelines.defs.resources import NewsSettings


def test_a_run_being_canceled_is_still_in_flight(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A CANCELING run's process still runs and may still write: the warehouse is not read as settled."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "new.txt").write_text("Headline\n\nA body.")
    read: list[list[str]] = []
    monkeypatch.setattr(sensors, "ingested_states", lambda _warehouse, keys: read.append(keys) or {})
    news = NewsSettings.from_settings(Settings(seeds_dir=seeds, warehouse_dir=tmp_path / "warehouse"))
    with dg.instance_for_test() as instance:
        run = create_run_for_test(instance, job_name="ingest", status=dg.DagsterRunStatus.STARTED)
        instance.report_run_canceling(run)
        with dg.build_sensor_context(instance=instance, resources={"news": news}) as context:
            result = sensors.seed_folder_sensor(context)
        assert isinstance(result, dg.SensorResult) and len(result.run_requests) == 1
        assert read == []  # the cursor alone decided
        instance.report_run_canceled(instance.get_run_by_id(run.run_id))
        with dg.build_sensor_context(instance=instance, resources={"news": news}) as context:
            sensors.seed_folder_sensor(context)
        assert len(read) == 1  # no run in flight: the warehouse says what was read


def test_a_first_tick_finds_a_shard_emptied_since_the_last_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files read by `make run` and then all deleted before the daemon ever ticked leave their shard with no
    files: with no cursor, only the warehouse knows the shard, and its run must withdraw them."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "kept.txt").write_text("Headline\n\nA body.")
    now = folder_states(seeds)
    (kept_shard,) = now
    emptied = next(key for key in all_shard_keys() if key != kept_shard)
    held = {**now, emptied: ShardState(files=3, digest="gone")}  # what the warehouse says runs read
    monkeypatch.setattr(sensors, "ingested_states", lambda _warehouse, keys: {k: held[k] for k in keys if k in held})
    news = NewsSettings.from_settings(Settings(seeds_dir=seeds, warehouse_dir=tmp_path / "warehouse"))
    with (
        dg.instance_for_test() as instance,
        dg.build_sensor_context(instance=instance, resources={"news": news}) as context,
    ):
        result = sensors.seed_folder_sensor(context)
    assert isinstance(result, dg.SensorResult) and len(result.run_requests) == 1
    tags = result.run_requests[0].tags
    assert tags == range_tags(emptied, emptied)
