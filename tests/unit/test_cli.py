"""`make backfill PARTITIONS=...`: keys and ranges are turned into the partition names Dagster is sent."""

import pytest

from pipelines.cli import partition_names
from pipelines.defs.common import BATCHES

KEYS = BATCHES.get_partition_keys()


def test_single_keys_in_definition_order_each_once():
    assert partition_names("seeds-07, seeds-03,seeds-07,", KEYS) == ["seeds-03", "seeds-07"]


def test_range_includes_both_ends():
    assert partition_names("seeds-00...seeds-15", KEYS) == [f"seeds-{i:02d}" for i in range(16)]
    assert partition_names("seeds-14...feeds-01", KEYS) == ["seeds-14", "seeds-15", "feeds-00", "feeds-01"]


def test_ranges_and_keys_mixed():
    assert partition_names("feeds-07,seeds-02...seeds-04", KEYS) == ["seeds-02", "seeds-03", "seeds-04", "feeds-07"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("seeds-16", "unknown partition 'seeds-16'"),
        ("seeds-00...seeds-99", "unknown partition 'seeds-99'"),
        ("seeds-05...seeds-02", "empty range"),
        (" , ", "no partitions given"),
    ],
)
def test_bad_specs_are_refused(spec, message):
    with pytest.raises(ValueError, match=message):
        partition_names(spec, KEYS)


def test_loading_the_definitions_prints_no_beta_warnings():
    """`make ui` loads the definitions in its code server and in every run: Dagster's BetaWarnings about
    parameters the project relies on (backfill_policy) must not be printed there."""
    import subprocess
    import sys

    command = [sys.executable, "-W", "default", "-c", "import pipelines.definitions"]
    loaded = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    assert "Warning" not in loaded.stderr, loaded.stderr[-2000:]
