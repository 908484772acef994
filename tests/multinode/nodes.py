"""Processes that stand for machines: gunicorn web processes and RQ workers,
each with a local directory of its own, sharing the test run's PostgreSQL
database, Redis and a bucket.

Every process is started in a session of its own and stopped (SIGTERM, then
SIGKILL for whatever is left, its children included) by a cleanup the test
registers, whether the test passed or not.
"""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests
from django.db import connection

from tests.exports.test_worker import descendants

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 90  # seconds; the machine has two cores shared with other runs
LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


class Node:
    """One process standing for a machine; its log and local directory."""

    def __init__(self, name, directory, process, log):
        self.name, self.directory = name, directory
        self.process, self.log = process, log
        self.url = None

    def log_tail(self, lines=30):
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self):
        if self.process.poll() is None:
            pids = [*descendants(self.process.pid), self.process.pid]
            for pid in pids:
                _signal(pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
            # RQ's work horse runs in a session of its own: its pid, not the
            # process group, is what must go.
            for pid in [*pids, *descendants(self.process.pid)]:
                _signal(pid, signal.SIGKILL)
            self.process.wait(timeout=30)


def _signal(pid, number):
    try:
        os.kill(pid, number)
    except ProcessLookupError:
        pass


def node_environment(directory, queue, storage_env):
    """What each machine's environment says: the shared database, Redis and
    bucket, and a local directory of its own (files and temporary files)."""
    tmp = directory / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.exports.worker_settings",
        "DLXH_TEST_DATABASE_NAME": connection.settings_dict["NAME"],
        "DLXH_TEST_MEDIA_ROOT": str(directory / "private"),
        "DLXH_TEST_EXPORTS_QUEUE": queue,
        "TMPDIR": str(tmp),
        **storage_env,
    }


def start(name, command, env, directory):
    directory.mkdir(parents=True, exist_ok=True)
    log = directory.parent / f"{name}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return Node(name, directory, process, log)


def start_web(name, directory, env):
    """gunicorn, as deploy/systemd/dlxh-web.service runs it, on a port of its
    own choosing (no race for a free port)."""
    return start(
        name,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--chdir",
            str(ROOT / "site"),
            "--bind",
            "127.0.0.1:0",
            "--workers",
            "1",
            "--timeout",
            "120",
            "--no-control-socket",
        ],
        env,
        directory,
    )


def start_worker(name, directory, env, queue):
    """An export worker, as deploy/systemd/dlxh-export-worker@.service runs
    one (a forked work horse per job)."""
    return start(
        name,
        [sys.executable, "manage.py", "rqworker", queue],
        env,
        directory,
    )


def wait_until_serving(node):
    """The web node's address, once its worker answers."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if node.process.poll() is not None:
            raise AssertionError(f"{node.name} exited:\n{node.log_tail()}")
        if node.url is None:
            found = LISTENING.search(node.log.read_text(errors="replace"))
            if found:
                node.url = f"http://127.0.0.1:{found.group(1)}"
        if node.url is not None:
            try:
                # The first request loads the whole application in the
                # gunicorn worker: on a loaded machine that can outlast a
                # read timeout, which is a reason to wait longer, not to fail.
                if requests.get(f"{node.url}/admin/login/", timeout=30).ok:
                    return node.url
            except (requests.ConnectionError, requests.Timeout):
                pass
        time.sleep(0.2)
    raise AssertionError(f"{node.name} did not start:\n{node.log_tail()}")
