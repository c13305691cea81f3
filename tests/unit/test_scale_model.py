"""The model of scale (pipelines/benchmarks/scale_model.py): which bound binds as workers and history grow."""

from __future__ import annotations

from dataclasses import replace

from pipelines.benchmarks.scale_model import Costs, crossover_history, predict

COSTS = Costs()


def test_few_workers_are_the_bound_and_throughput_grows_with_them() -> None:
    one, two = predict(COSTS, 1, 2_000, 100_000), predict(COSTS, 2, 2_000, 100_000)
    assert one.bound == two.bound == "workers"
    assert two.articles_per_s == 2 * one.articles_per_s


def test_past_some_workers_the_serialised_global_stages_cap_throughput() -> None:
    many, more = predict(COSTS, 32, 2_000, 100_000), predict(COSTS, 64, 2_000, 100_000)
    assert many.bound == more.bound == "global stages"
    assert many.articles_per_s == more.articles_per_s
    # More workers then only add cost per article.
    assert more.worker_hours_per_million > many.worker_hours_per_million


def test_the_lake_band_probe_slows_the_global_stages_as_history_grows() -> None:
    small, large = predict(COSTS, 32, 2_000, 100_000), predict(COSTS, 32, 2_000, 10_000_000)
    assert large.articles_per_s < small.articles_per_s / 4
    crossover = crossover_history(COSTS)
    assert (
        COSTS.probe_s_per_article(crossover) == COSTS.global_s
        or abs(COSTS.probe_s_per_article(crossover) - COSTS.global_s) < 1e-6
    )


def test_a_slow_catalog_binds_when_its_commits_take_longer_than_the_work() -> None:
    assert predict(replace(COSTS, commit_s=5.0), 2, 2_000, 100_000).bound == "catalog"
    assert predict(replace(COSTS, commit_s=0.001), 2, 2_000, 100_000).bound == "workers"


def test_larger_batches_spread_the_fixed_step_cost_of_the_serial_chain() -> None:
    assert predict(COSTS, 32, 10_000, 100_000).articles_per_s > 2 * predict(COSTS, 32, 2_000, 100_000).articles_per_s
