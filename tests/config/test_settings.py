"""Production settings and the environment helpers they are built from."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env_changes):
    """Run manage.py with production settings in a fresh interpreter.

    The environment is a deployment's, not the test run's: only the basics are
    kept (the suite itself sets variables, such as DJANGO_ALLOW_ASYNC_UNSAFE, that
    check --deploy rightly rejects).
    """
    env = {
        key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env():
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "dlxh.example.vn",
        "DLXH_IDENTITY_KEYS": Fernet.generate_key().decode(),
    }


def test_check_deploy_reports_nothing_to_fix():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNINGS" not in output


def test_hsts_preload_is_checked_again_once_the_operator_opts_in():
    result = manage(
        "diffsettings", "--all", **production_env(), SECURE_HSTS_PRELOAD="1"
    )
    assert result.returncode == 0, result.stderr
    assert "SECURE_HSTS_PRELOAD = True" in result.stdout
    assert "SILENCED_SYSTEM_CHECKS = ['axes.W006']" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", SECRET_KEY=None, ALLOWED_HOSTS="dlxh.example.vn")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS=None)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "ALLOWED_HOSTS" in result.stderr


class TestEnvHelpers:
    def test_env_str(self, monkeypatch):
        monkeypatch.setenv("DLXH_TEST_VALUE", "abc")
        assert env_str("DLXH_TEST_VALUE") == "abc"
        monkeypatch.setenv("DLXH_TEST_VALUE", "")
        assert env_str("DLXH_TEST_VALUE", "fallback") == "fallback"
        monkeypatch.delenv("DLXH_TEST_VALUE")
        assert env_str("DLXH_TEST_VALUE") is None

    @pytest.mark.parametrize("value", [None, ""])
    def test_required_env_str_must_be_set(self, monkeypatch, value):
        if value is None:
            monkeypatch.delenv("DLXH_TEST_VALUE", raising=False)
        else:
            monkeypatch.setenv("DLXH_TEST_VALUE", value)
        with pytest.raises(ImproperlyConfigured, match="DLXH_TEST_VALUE"):
            env_str("DLXH_TEST_VALUE", required=True)

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("1", True),
            ("True", True),
            (" yes ", True),
            ("on", True),
            ("0", False),
            ("false", False),
            ("No", False),
            ("off", False),
            ("", False),
        ],
    )
    def test_env_bool_reads_the_usual_spellings(self, monkeypatch, value, expected):
        monkeypatch.setenv("DLXH_TEST_VALUE", value)
        assert env_bool("DLXH_TEST_VALUE", default=not expected) is expected

    def test_env_bool_default(self, monkeypatch):
        monkeypatch.delenv("DLXH_TEST_VALUE", raising=False)
        assert env_bool("DLXH_TEST_VALUE", True) is True

    @pytest.mark.parametrize("value", ["maybe", "2", "enabled"])
    def test_env_bool_rejects_anything_else(self, monkeypatch, value):
        monkeypatch.setenv("DLXH_TEST_VALUE", value)
        with pytest.raises(ImproperlyConfigured, match="DLXH_TEST_VALUE"):
            env_bool("DLXH_TEST_VALUE")

    def test_env_int(self, monkeypatch):
        monkeypatch.setenv("DLXH_TEST_VALUE", "66")
        assert env_int("DLXH_TEST_VALUE", 1) == 66
        monkeypatch.setenv("DLXH_TEST_VALUE", "")
        assert env_int("DLXH_TEST_VALUE", 1) == 1

    @pytest.mark.parametrize("value", ["abc", "1.5", "66 units"])
    def test_env_int_rejects_non_integers(self, monkeypatch, value):
        monkeypatch.setenv("DLXH_TEST_VALUE", value)
        with pytest.raises(ImproperlyConfigured, match="DLXH_TEST_VALUE"):
            env_int("DLXH_TEST_VALUE", 1)

    def test_env_list(self, monkeypatch):
        monkeypatch.setenv("DLXH_TEST_VALUE", "a.vn, b.vn,,")
        assert env_list("DLXH_TEST_VALUE") == ["a.vn", "b.vn"]
        monkeypatch.delenv("DLXH_TEST_VALUE")
        assert env_list("DLXH_TEST_VALUE", ["x"]) == ["x"]
