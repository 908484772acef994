"""Shared helpers of the benchmarks: a bench database, gunicorn, an RQ worker.

Everything runs on this machine and talks to 127.0.0.1 only. Every wait is
bounded in time; every process started here is stopped by its own pid.
"""

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "site"
VAR = REPO / "var" / "bench"
PYTHON = str(REPO / ".venv" / "bin" / "python")
GUNICORN = str(REPO / ".venv" / "bin" / "gunicorn")
# The role needs CREATEDB; only databases named bench_* are ever created or dropped.
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://dlxh:dlxh@127.0.0.1:5432")
REDIS_BASE_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# Environment and Django in this process


def bench_env(db_name, *, redis_db=13, hosts=("127.0.0.1", "localhost")):
    """The environment of every process of one benchmark run (production-like)."""
    VAR.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.bench_settings",
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS=",".join(hosts),
        DATABASE_URL=f"{PG_ADMIN_URL}/{db_name}",
        REDIS_URL=f"{REDIS_BASE_URL}/{redis_db}",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="WARNING",
        STATIC_ROOT=str(VAR / "static"),
        PRIVATE_FILES_ROOT=str(VAR / "private"),
        BASE_URL="http://127.0.0.1:8000",
    )
    env.pop("WEB_CONCURRENCY", None)
    return env


def setup_django(env):
    """Configure this process like the served ones (same settings, same key)."""
    for path in (str(SITE), str(REPO)):
        if path not in sys.path:
            sys.path.insert(0, path)
    for name in (
        "DJANGO_SETTINGS_MODULE",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "REDIS_URL",
        "SECURE_SSL_REDIRECT",
        "LOG_LEVEL",
        "STATIC_ROOT",
        "PRIVATE_FILES_ROOT",
        "BASE_URL",
    ):
        os.environ[name] = env[name]
    import django

    django.setup()


# The bench database


def _check_name(name):
    if not name.startswith("bench_") or not name.replace("_", "").isalnum():
        raise ValueError(f"bench databases are named bench_*: {name!r}")


def _admin_connection():
    import psycopg

    return psycopg.connect(f"{PG_ADMIN_URL}/postgres", autocommit=True)


def database_exists(name):
    _check_name(name)
    with _admin_connection() as connection:
        row = connection.execute(
            "select 1 from pg_database where datname = %s", [name]
        ).fetchone()
    return row is not None


def recreate_database(name):
    """Drop (if it exists) and create an empty bench database."""
    _check_name(name)
    with _admin_connection() as connection:
        connection.execute(f'drop database if exists "{name}" with (force)')
        connection.execute(f'create database "{name}"')


def drop_database(name):
    _check_name(name)
    from django.db import connections

    connections.close_all()
    with _admin_connection() as connection:
        connection.execute(f'drop database if exists "{name}" with (force)')


def prepare_database(env, db_name, *, province=66, fresh=True):
    """A migrated database with the province seeded, and collected static files.

    Runs in this process (setup_django first): migrate, seed_province, collectstatic.
    """
    from django.core.management import call_command

    if fresh or not database_exists(db_name):
        log(f"creating database {db_name}")
        recreate_database(db_name)
    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    log(f"migrated in {time.monotonic() - started:.0f} s")
    call_command("seed_province", str(province), verbosity=0)
    started = time.monotonic()
    call_command("collectstatic", interactive=False, verbosity=0)
    log(f"static files collected in {time.monotonic() - started:.0f} s")


# Processes


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port, proc, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process {proc.pid} exited with {proc.returncode}")
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", port), timeout=1),
        ):
            return
        time.sleep(0.2)
    raise TimeoutError(f"nothing answers on 127.0.0.1:{port} after {timeout} s")


def stop(proc, timeout=30):
    """SIGTERM (a graceful stop for gunicorn and RQ), then SIGKILL if it lingers."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@contextlib.contextmanager
def gunicorn(env, *, port, workers=2, log_name="gunicorn"):
    """gunicorn serving config.wsgi on 127.0.0.1:port, as deploy/ runs it."""
    VAR.mkdir(parents=True, exist_ok=True)
    log_path = VAR / f"{log_name}.log"
    with open(log_path, "w") as log_file:
        proc = subprocess.Popen(
            [
                GUNICORN,
                "--chdir",
                str(SITE),
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
                "config.wsgi",
            ],
            env=env,
            cwd=REPO,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for_port(port, proc, timeout=60)
            log(f"gunicorn {proc.pid} ({workers} workers) on 127.0.0.1:{port}")
            yield proc
        finally:
            stop(proc)


@contextlib.contextmanager
def rq_worker(env, queues=("default",), log_name="rqworker", worker_class=None, nice=0):
    """One RQ worker (`manage.py rqworker`), stopped with a warm shutdown.

    `nice`: as the deployment's `Nice=` (deploy/systemd/dlxh-worker@.service).
    """
    options = ["--worker-class", worker_class] if worker_class else []
    VAR.mkdir(parents=True, exist_ok=True)
    with open(VAR / f"{log_name}.log", "w") as log_file:
        proc = subprocess.Popen(
            [PYTHON, "manage.py", "rqworker", *options, *queues],
            preexec_fn=(lambda: os.nice(nice)) if nice else None,
            env=env,
            cwd=REPO,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            time.sleep(1)
            if proc.poll() is not None:
                raise RuntimeError(f"rqworker exited with {proc.returncode}")
            log(f"rqworker {proc.pid} on {', '.join(queues)}")
            yield proc
        finally:
            stop(proc)


def empty_queues(names=("default",)):
    """Drop jobs a previous, interrupted run may have left in the bench Redis db."""
    import django_rq

    for name in names:
        django_rq.get_queue(name).empty()


def wait_for_queues(names=("default",), timeout=120):
    """Seconds until the queues are empty and no job runs (None on timeout)."""
    import django_rq

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        busy = 0
        for name in names:
            queue = django_rq.get_queue(name)
            busy += queue.count + queue.started_job_registry.count
        if not busy:
            return time.monotonic() - started
        time.sleep(0.2)
    return None


# Measuring


def children(pid):
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(p) for p in path.read_text().split()]
    except OSError:
        return []


def cpu_seconds(pid, *, with_children=False):
    """CPU time (user + system) of a process, and of its reaped children."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # After the ")": state is field 3, utime 14, stime 15, cutime 16, cstime 17.
    ticks = int(fields[11]) + int(fields[12])
    if with_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / CLOCK_TICKS


def postgres_backends(db_name):
    """pids of the PostgreSQL backends connected to db_name (by process title)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if title.startswith("postgres: ") and f" {db_name} " in title:
            pids.append(int(entry.name))
    return pids


class CpuMeter:
    """CPU used by gunicorn's workers, the RQ worker (with its work horses) and
    the bench database's PostgreSQL backends between start() and stop().

    Backends come and go (CONN_MAX_AGE, RQ's forked work horses), so a thread
    samples every `interval` seconds and keeps each process's last value; a
    process that exits loses at most its last interval.
    """

    def __init__(self, *, web=None, worker=None, db_name=None, interval=0.5):
        self.web, self.worker, self.db_name = web, worker, db_name
        self.interval = interval

    def _sample(self):
        sample = {"web": {}, "worker": {}, "db": {}}
        if self.web is not None:
            sample["web"] = {pid: cpu_seconds(pid) for pid in children(self.web.pid)}
        if self.worker is not None:
            pid = self.worker.pid
            sample["worker"] = {pid: cpu_seconds(pid, with_children=True)}
        if self.db_name:
            sample["db"] = {
                pid: cpu_seconds(pid) for pid in postgres_backends(self.db_name)
            }
        return sample

    def _run(self):
        while not self._done.wait(self.interval):
            for name, pids in self._sample().items():
                self.last[name].update(pids)

    def start(self):
        self.before = self._sample()
        self.last = {name: dict(pids) for name, pids in self.before.items()}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self.wall = time.monotonic()
        self.process = time.process_time()
        return self

    def stop(self):
        self._done.set()
        self._thread.join(timeout=10)
        for name, pids in self._sample().items():
            self.last[name].update(pids)
        self.wall = time.monotonic() - self.wall
        self.process = time.process_time() - self.process
        self.used = {
            name: sum(
                cpu - self.before[name].get(pid, 0.0) for pid, cpu in pids.items()
            )
            for name, pids in self.last.items()
        }
        self.used["client"] = self.process
        return self.used


def loadavg():
    return Path("/proc/loadavg").read_text().split()[0]


# Figures


def percentile(values, fraction):
    """Nearest-rank percentile of a list of numbers (None when empty)."""
    if not values:
        return None
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]
