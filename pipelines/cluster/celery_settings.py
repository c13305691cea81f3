"""How the Celery executor and its workers talk: one place, read by both sides (pipelines.cluster.definitions
configures the executor of the runs, pipelines.cluster.worker the workers), so they cannot disagree.

Broker and result store are Redis (NEWS_CLUSTER_BROKER_URL, NEWS_CLUSTER_RESULT_BACKEND); each Dagster step
is one Celery task on the queue `dagster`.

What happens when a worker dies in the middle of a step (kill -9, the OOM killer, a lost machine):
- the process running the step dies, its worker survives (the usual case: workers run steps in a pool
  child): Celery marks the task failed with WorkerLostError at once, the run fails naming the step and
  the error, and the daemon re-executes the run from the failed step (run_retries in the profile's
  dagster.yaml). Requeueing the task instead (task_reject_on_worker_lost) would retry forever a step that
  kills every worker it lands on, say by running out of memory;
- the whole worker dies (its process group killed, its machine lost): nothing reports the step's end. The run
  notices: each task records the worker that started it (task_track_started), and the run pings that worker
  while the step runs; one that misses several pings in a row is declared lost, and the step fails with
  WorkerLostError naming it (pipelines.cluster.lost_workers). The run fails and the daemon re-executes it.
  The lost task, never acknowledged (task_acks_late), comes back from Redis after the visibility timeout;
  the worker that receives it then skips it, since its run has ended (pipelines.cluster.worker).
"""

from __future__ import annotations

from typing import Any

# The longest a step may run before Redis assumes its worker is gone and redelivers it (seconds); a run notices
# a lost worker much sooner (pipelines.cluster.lost_workers) and the redelivered task is then skipped.
VISIBILITY_TIMEOUT = 6 * 3600

CELERY_CONFIG: dict[str, Any] = {
    "task_acks_late": True,
    "task_reject_on_worker_lost": False,
    # The STARTED state names the worker running a step, which the run watches (pipelines.cluster.lost_workers).
    "task_track_started": True,
    # A worker takes one step at a time: steps are long and uneven, prefetching would starve the other worker.
    "worker_prefetch_multiplier": 1,
    "broker_connection_retry_on_startup": True,
    "broker_transport_options": {"visibility_timeout": VISIBILITY_TIMEOUT, "max_retries": 3},
    "result_expires": 7 * 24 * 3600,
}


def executor_config() -> dict[str, Any]:
    """The celery_executor's config: broker and backend from the environment, read where the run executes."""
    return {
        "broker": {"env": "NEWS_CLUSTER_BROKER_URL"},
        "backend": {"env": "NEWS_CLUSTER_RESULT_BACKEND"},
        "config_source": CELERY_CONFIG,
    }
