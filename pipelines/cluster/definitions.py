"""The cluster profile's code location (pipelines/cluster/workspace.yaml): the same assets, jobs, sensors,
schedules and resources as pipelines.definitions, with each step executed by a worker instead of in the run's
own process. NEWS_CLUSTER_EXECUTOR chooses the workers: `celery` (default; the queue and workers of
`make cluster-up`, or Celery workers on other machines) or `k8s` (a Kubernetes Job per step; see
pipelines/cluster/k8s/)."""

import os

import dagster as dg

from pipelines import definitions as embedded  # the module: a second Definitions at module scope is ambiguous
from pipelines.cluster.celery_settings import executor_config


def cluster_executor(kind: str) -> dg.ExecutorDefinition:
    if kind == "celery":
        from pipelines.cluster.lost_workers import watched_celery_executor

        return watched_celery_executor.configured(executor_config())
    if kind == "k8s":
        from dagster_k8s import k8s_job_executor

        # Steps of a run in parallel; the Dagster pools still cap the writers across runs. The pods get the
        # profile's settings from this Secret and ConfigMap (see k8s/values.yaml).
        return k8s_job_executor.configured(
            {"max_concurrent": 8, "env_secrets": ["news-cluster-secrets"], "env_config_maps": ["news-cluster-env"]}
        )
    raise ValueError(f"NEWS_CLUSTER_EXECUTOR={kind!r}: use celery or k8s")


defs = dg.Definitions(
    assets=embedded.defs.assets,
    asset_checks=embedded.defs.asset_checks,
    jobs=embedded.defs.jobs,
    sensors=embedded.defs.sensors,
    schedules=embedded.defs.schedules,
    resources=embedded.defs.resources,
    executor=cluster_executor(os.environ.get("NEWS_CLUSTER_EXECUTOR") or "celery"),
)
