"""The Celery app the cluster's workers run (`celery --app pipelines.cluster.worker worker`): dagster-celery's
step task, with the broker, result store and settings of pipelines.cluster.celery_settings."""

import os

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
