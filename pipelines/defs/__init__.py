"""Thin Dagster wiring: assets, checks, the sensor, the schedule, jobs and resources over pipelines/core.

Dagster calls some parameters this project relies on beta (`backfill_policy` on @asset: a backfill of
any number of batches is one run) and warns once per asset in every process that loads these
definitions: ~20 BetaWarnings on each `make ui` (its code server, then every run). They speak of
Dagster's API stability, which the pinned version settles, not of anything a user can act on, so they
are silenced here, where every process that loads the definitions passes first.
"""

import warnings

import dagster as dg

warnings.filterwarnings("ignore", category=dg.BetaWarning)
warnings.filterwarnings("ignore", category=dg.PreviewWarning)
