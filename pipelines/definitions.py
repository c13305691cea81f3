"""The Dagster code location (workspace.yaml loads this module). The only place that lists everything."""

import dagster as dg

from pipelines.defs import dagster_fix, sqlite_engines
from pipelines.defs.brief import BRIEF_ASSETS
from pipelines.defs.corrections import CorrectionsFile
from pipelines.defs.dedupe import DEDUPE_ASSETS
from pipelines.defs.entities import ENTITY_ASSETS, EntityOverrides
from pipelines.defs.events import EVENT_ASSETS
from pipelines.defs.ingest import INGEST_ASSETS
from pipelines.defs.jobs import ingest_job
from pipelines.defs.nlp import NLP_ASSETS, SpacyModel
from pipelines.defs.publish import build_publish_asset
from pipelines.defs.resources import NewsSettings
from pipelines.defs.schedules import feed_poll_schedule
from pipelines.defs.sensors import seed_folder_sensor

dagster_fix.apply()
sqlite_engines.apply()

# Every asset that writes the warehouse, in flow order; the publish asset runs after all of them, and the
# brief (which reads what was published) after it.
STAGE_ASSETS = [*INGEST_ASSETS, *DEDUPE_ASSETS, *NLP_ASSETS, *ENTITY_ASSETS, *EVENT_ASSETS]
ALL_ASSETS = [*STAGE_ASSETS, build_publish_asset(STAGE_ASSETS), *BRIEF_ASSETS]


def build_resources(news: NewsSettings) -> dict[str, object]:
    """Every resource the assets use; tests call this with their own NewsSettings."""
    return {
        "news": news,
        "spacy_model": SpacyModel(),
        "entity_overrides": EntityOverrides(),
        "corrections": CorrectionsFile(),
    }


defs = dg.Definitions(
    assets=ALL_ASSETS,
    jobs=[ingest_job],
    sensors=[seed_folder_sensor],
    schedules=[feed_poll_schedule],
    resources=build_resources(NewsSettings.from_env()),
    # Steps run in the run's own process: a step per process would pay ~2.6 s of imports and model
    # loading each (DESIGN §9), and every stage here is a single writer anyway.
    executor=dg.in_process_executor,
)
