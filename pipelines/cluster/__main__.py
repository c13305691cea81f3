"""`python -m pipelines.cluster up|down|status|env|sql` (what the Makefile's cluster-* targets call)."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from pipelines.cluster.profile import SERVICES, Cluster, ClusterError


def _up(cluster: Cluster, args: argparse.Namespace) -> int:
    pids = cluster.up(args.services or SERVICES)
    for name, pid in pids.items():
        print(f"  {name:<18} pid {pid}")
    env = cluster.env()
    print(f"Dagster UI: {env['NEWS_CLUSTER_WEBSERVER']}   state: {cluster.state_dir}")
    print('Stop everything with `make cluster-down`; a shell\'s environment: eval "$(make -s cluster-env)"')
    return 0


def _down(cluster: Cluster, args: argparse.Namespace) -> int:
    stopped = cluster.down(args.services or None)
    print("stopped: " + (", ".join(stopped) if stopped else "nothing was running"))
    return 0


def _status(cluster: Cluster, _: argparse.Namespace) -> int:
    for name, pid in cluster.status().items():
        print(f"  {name:<18} {'pid ' + str(pid) if pid else 'stopped'}")
    return 0


def _env(cluster: Cluster, _: argparse.Namespace) -> int:
    for key, value in cluster.env().items():
        print(f"export {key}={shlex.quote(value)}")
    return 0


def _sql(cluster: Cluster, _: argparse.Namespace) -> int:
    """The DuckDB CLI on the lake, read-only, search() working. The init file holds the secrets: mode 600."""
    from pipelines.core.storage.lake import LakeSettings

    os.environ.update(cluster.env())
    if cluster.service("postgres").pid() is None:
        print("The cluster profile is not running: make cluster-up first.", file=sys.stderr)
        return 1
    init = cluster.state_dir / "duckdb-init.sql"
    fd = os.open(init, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        # Quiet while setting up (each statement would print its result), then the prompt.
        setup = [*LakeSettings.from_env().setup_sql(read_only=True), "USE lake"]
        handle.write(".output /dev/null\n" + ";\n".join(setup) + ";\n.output\n")
    duckdb_cli = Path(sys.executable).parent / "duckdb"
    os.execv(duckdb_cli, [str(duckdb_cli), "-init", str(init)])
    return 0  # not reached


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.cluster", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, fn, help_text in (
        ("up", _up, "start the profile's services (all, or those named)"),
        ("down", _down, "stop the profile's services (all, or those named)"),
        ("status", _status, "which services run"),
        ("env", _env, "the profile's environment as shell exports"),
        ("sql", _sql, "DuckDB CLI on the lake, read-only"),
    ):
        command = sub.add_parser(name, help=help_text)
        command.set_defaults(fn=fn)
        if name in ("up", "down"):
            command.add_argument("services", nargs="*", metavar="SERVICE", help=", ".join(SERVICES))
    args = parser.parse_args(argv)
    unknown = sorted(set(getattr(args, "services", [])) - set(SERVICES))
    if unknown:
        parser.error(f"unknown service(s) {', '.join(unknown)}; services: {', '.join(SERVICES)}")
    try:
        return args.fn(Cluster(), args)
    except ClusterError as exc:
        print(exc, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
