"""The Celery app the cluster's workers run (`celery --app pipelines.cluster.worker worker`): dagster-celery's
step task, with the broker, result store and settings of pipelines.cluster.celery_settings."""

import multiprocessing
import multiprocessing.process
import os
from typing import Any

from celery import Task
from celery.signals import worker_process_init
from celery.utils.log import get_task_logger
from dagster import DagsterInstance
from dagster._grpc.types import ExecuteStepArgs
from dagster._serdes import unpack_value
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

logger = get_task_logger(__name__)


class SkipStepsOfEndedRuns(Task):
    """dagster-celery's step task, which does nothing when the step's run has already ended.

    A task whose worker was lost stays unacknowledged in Redis, and Redis hands it out again once the visibility
    timeout has passed. By then the run watching it has failed it (pipelines.cluster.lost_workers) and, with
    run retries, re-executed it in a new run: running the old copy would only repeat the step out of turn."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        step_args = unpack_value(kwargs["execute_step_args_packed"], as_type=ExecuteStepArgs)
        with DagsterInstance.from_ref(step_args.instance_ref) as instance:
            run = instance.get_run_by_id(step_args.run_id)
        if run is not None and run.is_finished:
            logger.warning(
                "skipping step(s) %s: their run %s has ended (%s)",
                ", ".join(step_args.step_keys_to_execute or []),
                step_args.run_id,
                run.status.value,
            )
            return []
        return super().__call__(*args, **kwargs)


execute_plan = create_task(app, base=SkipStepsOfEndedRuns)


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
