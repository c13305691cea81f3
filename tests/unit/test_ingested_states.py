"""What the seed sensor believes runs have read (seed_documents.ingested_states) when there is nothing to read."""

from __future__ import annotations

import pytest

from pipelines.core.stages.seed_documents import ingested_states
from pipelines.core.storage import NotPublished, Storage, WarehouseError
from pipelines.core.storage.lake import LakeError


class Unreadable(Storage):
    """A warehouse whose published side cannot be opened, with the error it raises."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def session(self):
        raise AssertionError("the sensor only reads what is published")

    def publish(self, session, *, force=False):
        raise AssertionError("the sensor never publishes")

    def read_published(self):
        raise self.error

    @property
    def published_location(self) -> str:
        return "nowhere"


@pytest.mark.parametrize(
    "error",
    [
        NotPublished("news.duckdb does not exist yet"),
        # A fresh lake: the first run creates it, and attaching it read-only before that fails.
        LakeError("cannot attach the lake news_lake: Existing DuckLake … does not exist"),
    ],
)
def test_nothing_readable_means_every_file_is_new(error: WarehouseError) -> None:
    assert ingested_states(Unreadable(error), ["seeds-00"]) == {}
