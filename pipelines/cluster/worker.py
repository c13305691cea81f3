"""The Celery app the cluster's workers run (`celery --app pipelines.cluster.worker worker`): dagster-celery's
step task, with the broker, result store and settings of pipelines.cluster.celery_settings."""

import multiprocessing
import multiprocessing.process
import os
from typing import Any

from celery.signals import worker_process_init
from dagster_celery.executor import CeleryExecutor
from dagster_celery.make_app import make_app
from dagster_celery.tasks import create_task

from pipelines.cluster.celery_settings import CELERY_CONFIG

app = make_app(
    CeleryExecutor.for_cli(
        broker=os.environ["NEWS_CLUSTER_BROKER_URL"],
        backend=os.environ["NEWS_CLUSTER_RESULT_BACKEND"],
        config_source=CELERY_CONFIG,
    ).app_args()
)

execute_plan = create_task(app)


@worker_process_init.connect
def _allow_worker_pools(**_: Any) -> None:
    """Let a step start the pipeline's own worker processes (pipelines.core.workers) from a Celery pool child.

    Celery runs each step in a child of its prefork pool, so that killing the step's process fails the step at
    once (WorkerLostError) instead of losing the worker. But the child is marked daemonic, and Python refuses
    to let a daemonic process start children ("daemonic processes are not allowed to have children"), and its
    authentication key is billiard's, which multiprocessing cannot pickle into a spawned child: any stage with
    a batch large enough for the worker pool (cleaning, parsing, event coding) would fail. The pool's children
    are the step's own: they end with it (their queue closes when the step's process dies)."""
    config = multiprocessing.current_process()._config  # no public way to clear the flag
    config["daemon"] = False
    config["authkey"] = multiprocessing.process.AuthenticationString(os.urandom(32))
