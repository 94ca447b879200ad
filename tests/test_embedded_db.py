"""The embedded PostgreSQL of the quick start: started, shared, reused and stopped as promised.

Each test drives `python -m config.embedded_db` as the scripts do, on a data folder of its
module (initialised once, about four seconds), with the database named by GOLMOK_TEST_URL.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from config.embedded_db import clear_stale_pid_file, where
from config.env import DEFAULT_DATABASE_URL

ROOT = Path(__file__).resolve().parent.parent
VAR = "GOLMOK_TEST_URL"
# Prints the URL it was given and what the server there says about itself.
REPORT = f"""
import os, psycopg
url = os.environ["{VAR}"]
print("url", url)
with psycopg.connect(url) as conn:
    print("server", conn.execute("SHOW server_version").fetchone()[0])
    print("database", conn.execute("SELECT current_database()").fetchone()[0])
"""


@pytest.fixture(scope="module")
def data():
    # Not under pytest's own temporary folders: pytest keeps those private to their owner (and
    # resets their modes when another worker starts), while the server may run as another user.
    folder = Path(tempfile.mkdtemp(prefix="golmok-embedded-"))
    yield folder / "postgres"
    shutil.rmtree(folder, ignore_errors=True)


def wrapper(data, *command, fallback=False, **env):
    args = [sys.executable, "-m", "config.embedded_db", "--env", VAR, "--data", str(data)]
    clean = {k: v for k, v in os.environ.items() if k != VAR}
    return args + (["--fallback"] if fallback else []) + ["--", *command], {**clean, **env}


def run(data, *command, fallback=False, **env):
    args, env = wrapper(data, *command, fallback=fallback, **env)
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def start(data):
    """The wrapper running a command that waits a minute, returned once the command runs."""
    waits = "import time; print('running', flush=True); time.sleep(60)"
    args, env = wrapper(data, sys.executable, "-c", waits)
    process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    for line in process.stdout:
        if line == "running\n":
            return process
    raise AssertionError(f"the wrapper ended early with {process.wait()}")


def running(data) -> bool:
    return (data / "postmaster.pid").exists()


def test_a_command_runs_on_the_embedded_server_and_the_server_stops_after(data):
    result = run(data, sys.executable, "-c", REPORT)
    assert result.returncode == 0, result.stderr
    assert f"url postgresql://postgres@/golmok?host={data.resolve()}" in result.stdout
    assert "server 18." in result.stdout
    assert "database golmok" in result.stdout
    assert "psql:" in result.stdout
    assert "has stopped" in result.stdout
    assert not running(data)


def test_the_data_is_kept_for_the_next_run(data):
    keep = "CREATE TABLE IF NOT EXISTS kept (n int); INSERT INTO kept VALUES (7)"
    script = "import os, psycopg, sys; c = psycopg.connect(os.environ[sys.argv[1]]); "
    first = run(data, sys.executable, "-c", script + f"c.execute('{keep}'); c.commit()", VAR)
    again = run(
        data,
        sys.executable,
        "-c",
        script + "print('kept', c.execute('SELECT max(n) FROM kept').fetchone()[0])",
        VAR,
    )
    assert first.returncode == 0, first.stderr
    assert "kept 7" in again.stdout, again.stderr


def test_the_command_exit_status_is_passed_on(data):
    assert run(data, sys.executable, "-c", "raise SystemExit(3)").returncode == 3


def test_sigterm_stops_the_command_and_then_the_server(data):
    process = start(data)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 128 + signal.SIGTERM
    assert not running(data)


def test_the_command_is_stopped_when_the_server_goes_away_and_the_next_run_recovers(data):
    process = start(data)
    postmaster = int((data / "postmaster.pid").read_text().split()[0])
    os.kill(postmaster, signal.SIGKILL)
    assert process.wait(timeout=60) != 0
    result = run(data, sys.executable, "-c", REPORT)  # postmaster.pid is left over
    assert result.returncode == 0, result.stderr
    assert "database golmok" in result.stdout


def test_a_server_shared_by_two_commands_stops_with_the_last(data):
    first = start(data)
    second = run(data, "true")
    assert "keeps running for another command" in second.stdout
    assert running(data)
    first.send_signal(signal.SIGTERM)
    first.wait(timeout=60)
    assert not running(data)


def test_a_database_url_of_ones_own_is_used_and_nothing_starts(tmp_path):
    own = "postgres://golmok@db.internal:5432/golmok"
    args, env = wrapper(
        tmp_path / "unused", sys.executable, "-c", f"import os; print(os.environ['{VAR}'])"
    )
    result = subprocess.run(
        args, cwd=ROOT, env={**env, VAR: own}, capture_output=True, text=True, timeout=60
    )
    assert (result.returncode, result.stdout) == (0, own + "\n")
    assert not (tmp_path / "unused").exists()


def test_with_fallback_a_server_that_answers_is_used_as_it_is(tmp_path):
    # The server this suite runs on answers, whichever it is.
    suite = os.environ.get("TEST_DATABASE_URL", DEFAULT_DATABASE_URL)
    args, env = wrapper(tmp_path / "unused", sys.executable, "-c", REPORT, fallback=True)
    result = subprocess.run(
        args, cwd=ROOT, env={**env, VAR: suite}, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"url {suite}\n")
    assert not (tmp_path / "unused").exists()


def test_with_fallback_a_closed_port_gets_the_embedded_server(data):
    result = run(data, sys.executable, "-c", REPORT, fallback=True, **{VAR: closed_port_url()})
    assert result.returncode == 0, result.stderr
    assert "No PostgreSQL answers at 127.0.0.1:" in result.stdout
    assert f"url postgresql://postgres@/golmok?host={data.resolve()}" in result.stdout


def test_a_pid_file_left_by_a_crash_is_cleared_unless_its_server_runs(tmp_path):
    pid_file = tmp_path / "postmaster.pid"
    assert clear_stale_pid_file(tmp_path) is False  # none
    # A live process that is no postmaster, none at all, and initdb's own (negative) mark.
    for stale in (os.getpid(), 2**22 + 1, -(2**22 + 1)):
        pid_file.write_text(f"{stale}\n{tmp_path}\n{int(time.time())}\n5432\n{tmp_path}\n")
        (tmp_path / ".s.PGSQL.5432.lock").write_text(f"{stale}\n")
        assert clear_stale_pid_file(tmp_path) is True
        assert not pid_file.exists()
        assert not (tmp_path / ".s.PGSQL.5432.lock").exists()


def test_where_names_the_host_and_port_or_the_socket():
    assert where("postgres://postgres@127.0.0.1:5999/golmok") == "127.0.0.1:5999"
    assert where("postgresql://postgres@/golmok?host=/srv/pg") == "/srv/pg"


def closed_port_url() -> str:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"postgres://postgres@127.0.0.1:{port}/golmok"
