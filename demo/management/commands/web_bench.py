"""Benchmark the pages of a big day through gunicorn with production settings: `make bench`.

1. Create a fresh PostgreSQL database (DATABASE_URL's name + `_bench`), migrate it,
   seed the big day (demo/bench/seed.py), ANALYZE, and make signed-in sessions.
2. Start a private redis-server and gunicorn (2 sync workers, DEBUG=false, the bench
   URLconf with the constant `/bench/trivial`) on free ports of 127.0.0.1.
3. For each page: its queries (counted in this process on the same database), its
   size, then its throughput over a few connections beside the trivial page's.
4. Each page at a fixed 50 requests a second, for its p95.
5. Contention: 200 people book one slot at once, 200 take 5 workshop places at once.
6. Memory of each gunicorn worker; then stop what was started and drop the database,
   also on failure or Ctrl-C.

Prints one JSON line per figure on stdout, each with its target and pass or fail;
progress goes to stderr.
"""

import math
import os
import shutil
import signal
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from demo import databases
from demo.bench import load, stack, stats
from demo.bench.seed import CONTENTION_PLACES, BigDay, Size, seed_big_day
from surgeries.models import Booking, Slot
from workshops.models import Registration

TRIVIAL = "/bench/trivial"
# The fixed rate is kept by streams of one connection each, sending this many requests a
# second one at a time and started 1/rate s apart, so requests arrive evenly: up to 500 ms
# a request the rate holds; a slower page is sent fewer (its line says how many) and fails.
# More streams would hide less queueing but leave gunicorn a longer queue of requests to
# finish after each run.
FIXED_RATE_PER_CONNECTION = 2


def pages(big: BigDay) -> list[tuple[str, str, str | None]]:
    """(name, path, who is signed in): nobody, the learner who has a booking, or the organiser."""
    day = big.day_id
    return [
        ("home", reverse("home"), None),
        ("public day", reverse("surgeries:day_detail", args=[day]), None),
        ("programme", reverse("surgeries:programme", args=[day]), None),
        ("booking form", reverse("surgeries:book", args=[day, big.form_slot_id]), "learner"),
        ("my bookings", reverse("surgeries:my_bookings"), "learner"),
        ("desk", reverse("surgeries:desk", args=[day]), "organiser"),
        ("matchmaking", reverse("matchmaking:proposal", args=[day]), "organiser"),
        ("impact report", reverse("afterday:day_report", args=[day]), "organiser"),
        ("calendar feed", reverse("surgeries:calendar_feed", args=[big.calendar_token]), None),
    ]


class Command(BaseCommand):
    help = "Seed a big day into a fresh PostgreSQL database and benchmark its pages through gunicorn."

    def add_arguments(self, parser):
        parser.add_argument(
            "--database-url",
            default="",
            help="PostgreSQL server and base name (default DATABASE_URL); the benchmark makes and drops that "
            "name + _bench.",
        )
        parser.add_argument("--seconds", type=int, default=10, help="Throughput run per page (default 10).")
        parser.add_argument("--connections", type=int, default=4, help="Connections of a throughput run.")
        parser.add_argument("--fixed-seconds", type=int, default=30, help="Fixed-rate run per page (default 30).")
        parser.add_argument("--rate", type=int, default=stats.FIXED_RATE, help="Requests a second of that run.")
        parser.add_argument("--contenders", type=int, default=200, help="People racing for one slot and a workshop.")
        parser.add_argument("--surgeons", type=int, default=250)
        parser.add_argument("--requests", type=int, default=1200, help="Matchmaking requests.")

    def handle(self, *args, **options):
        began = time.monotonic()
        for name in ("seconds", "connections", "fixed_seconds", "rate", "contenders", "requests"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be at least 1.")
        if options["surgeons"] < 2:
            raise CommandError("--surgeons must be at least 2.")
        # This process reads the bench database through its own connection, so it must be PostgreSQL too.
        if connection.vendor != "postgresql":
            raise CommandError("The web benchmark needs PostgreSQL: run it with DATABASE_URL=postgres://...")
        base_url = options["database_url"] or _url_of(connection.settings_dict)
        try:
            bench_url = stack.bench_database_url(base_url)
        except ValueError as error:
            raise CommandError(str(error)) from None
        workdir = Path(tempfile.mkdtemp(prefix="web-bench-"))
        processes = stack.Processes(workdir)
        previous = signal.signal(signal.SIGTERM, _interrupt)
        failed = True
        try:
            with _database(bench_url):
                self._run(options, bench_url, workdir, processes)
            failed = False
        except KeyboardInterrupt:
            raise CommandError("Interrupted: gunicorn is stopped and the bench database dropped.") from None
        finally:
            processes.stop_all()
            signal.signal(signal.SIGTERM, previous)
            databases.drop_database(bench_url)
            if failed:
                self._note(f"logs kept in {workdir}")
            else:
                shutil.rmtree(workdir, ignore_errors=True)
        # Other work on the machine takes the same cores: the figures mean little under a high load.
        load_1m, load_5m, _ = os.getloadavg()
        self._line(
            {
                "run": "total",
                "seconds": round(time.monotonic() - began),
                "load_average": [round(load_1m, 1), round(load_5m, 1)],
                "cpus": os.cpu_count(),
            }
        )

    def _run(self, options, bench_url: str, workdir: Path, processes: stack.Processes) -> None:
        size = Size(surgeons=options["surgeons"], requests=options["requests"], contenders=options["contenders"])
        big, sessions = self._seed(size)
        secret_key = sessions.pop("secret_key")
        redis_port, web_port = stack.free_port(), stack.free_port()
        env = stack.production_env(
            database_url=bench_url, redis_port=redis_port, static_root=workdir / "static", secret_key=secret_key
        )
        started = time.monotonic()
        stack.start_redis(processes, redis_port, env)
        stack.collectstatic(env)
        master = stack.start_gunicorn(processes, web_port, env)
        self._note(f"gunicorn up on 127.0.0.1:{web_port} in {time.monotonic() - started:.0f} s")
        self._line(_targets())
        measured = [(name, path, sessions[who] if who else None) for name, path, who in pages(big)]
        _warm_up(web_port, measured)
        self._throughput_lines(options, web_port, measured, secret_key)
        self._fixed_rate_lines(options, web_port, measured)
        self._contention(web_port, big, sessions)
        workers = stack.worker_pids(master.pid)
        self._line(
            {
                "run": "memory",
                "gunicorn_workers": len(workers),
                "worker_rss_kib": [stack.rss_kib(pid) for pid in workers],
                "master_rss_kib": stack.rss_kib(master.pid),
                "target": "reported",
            }
        )

    def _throughput_lines(self, options, port: int, measured: list, secret_key: str) -> None:
        """The trivial page's throughput, then each page's beside it, with its size and queries."""
        trivial = self._throughput(options, port, TRIVIAL, None)
        self._line(
            {"page": "trivial", "rps": round(trivial.rps, 1), "p50_ms": trivial.ms(0.5), "p95_ms": trivial.ms(0.95)}
        )
        for name, path, key in measured:
            status, body = load.fetch(port, path, session_key=key)
            if status != 200:
                raise CommandError(f"{name} ({path}) answered {status} before the load")
            queries = _queries(path, key, secret_key)
            run = self._throughput(options, port, path, key)
            self._line(stats.page_line(page=name, run=run, size=len(body), queries=queries, trivial_rps=trivial.rps))

    def _fixed_rate_lines(self, options, port: int, measured: list) -> None:
        rate, seconds = options["rate"], options["fixed_seconds"]
        connections = math.ceil(rate / FIXED_RATE_PER_CONNECTION)
        for name, path, key in measured:
            run = load.hey_paced(port, path, seconds=seconds, rate=rate, streams=connections, session_key=key)
            load.wait_until_quiet(port, TRIVIAL)
            self._line(stats.fixed_rate_line(page=name, run=run, rate=rate, seconds=seconds))

    def _seed(self, size: Size) -> tuple[BigDay, dict]:
        started = time.monotonic()
        call_command("migrate", verbosity=0, interactive=False)
        migrated = time.monotonic()
        big = seed_big_day(size=size)
        # Autovacuum is off on this machine's PostgreSQL, so nothing else would gather the
        # planner's statistics for tables filled a second ago: without them it guesses.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        secret_key = stack.new_secret_key()
        keys = load.sessions_for([big.organiser_id, big.learner_id, *big.contender_ids], secret_key=secret_key)
        sessions = {"organiser": keys[big.organiser_id], "learner": keys[big.learner_id], "secret_key": secret_key}
        sessions["contenders"] = [keys[pk] for pk in big.contender_ids]
        free = Slot.objects.filter(day_id=big.day_id).exclude(bookings__status=Booking.Status.ACTIVE).count()
        self._line(
            {
                "run": "setup",
                "surgeons": size.surgeons,
                "free_slots": free,
                "matchmaking_requests": size.requests,
                "matchmaking_pairs": big.pairs,
                "migrate_seconds": round(migrated - started, 1),
                "seed_seconds": round(time.monotonic() - migrated, 1),
            }
        )
        return big, sessions

    def _throughput(self, options, port: int, path: str, key: str | None) -> stats.Run:
        run = load.hey(
            port,
            path,
            seconds=options["seconds"],
            connections=options["connections"],
            rate=load.MAX_RATE_PER_CONNECTION,
            session_key=key,
        )
        load.wait_until_quiet(port, TRIVIAL)
        return run

    def _contention(self, port: int, big: BigDay, sessions: dict) -> None:
        """Everyone posts at once for the slot, then for the workshop's places; the database says who holds one."""
        contenders = sessions["contenders"]
        races = [
            (
                "one slot",
                1,
                reverse("surgeries:book", args=[big.day_id, big.contested_slot_id]),
                {"note": ""},
                Booking.objects.filter(slot_id=big.contested_slot_id, status=Booking.Status.ACTIVE),
            ),
            (
                f"workshop with {CONTENTION_PLACES} places",
                CONTENTION_PLACES,
                reverse("workshops:register", args=[big.contested_workshop_id]),
                {},
                Registration.objects.filter(workshop_id=big.contested_workshop_id, status=Registration.Status.ACTIVE),
            ),
        ]
        for what, places, path, form, holders in races:
            started = time.monotonic()
            statuses = load.post_all_at_once(port, path, contenders, form)
            line = stats.contention_line(
                what=what,
                requests=len(contenders),
                held=holders.count(),
                expected=places,
                statuses=statuses,
                seconds=time.monotonic() - started,
            )
            self._line(line)

    def _line(self, line: dict) -> None:
        self.stdout.write(stats.dumps(line))
        self.stdout.flush()

    def _note(self, text: str) -> None:
        self.stderr.write(f"web_bench: {text}")


def _warm_up(port: int, measured: list[tuple[str, str, str | None]]) -> None:
    """Each worker imports views and compiles templates on its first requests: not measured."""
    for _ in range(stack.GUNICORN_WORKERS * 2):
        load.fetch(port, TRIVIAL)
        for _name, path, key in measured:
            load.fetch(port, path, session_key=key)


def _interrupt(signum, frame):
    # A SIGTERM ends the run like Ctrl-C does, so the finally blocks stop gunicorn and drop the database.
    raise KeyboardInterrupt


def _targets() -> dict:
    return {
        "run": "targets",
        "p95_ms_at_fixed_rate": f"< {stats.P95_TARGET_MS:g} at {stats.FIXED_RATE} rps, every page",
        "ratio_to_trivial": f">= {stats.RATIO_TARGET} for {', '.join(stats.RATIO_PAGES)}",
        "bytes": f"< {stats.BYTES_TARGET} for every page",
        "contention": "exactly 1 booking of one slot, exactly 5 places of 5; no server error",
    }


def _url_of(database: dict) -> str:
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    return f"postgres://{database['USER']}{password}@{host}:{database.get('PORT') or 5432}/{database['NAME']}"


@contextmanager
def _database(url: str):
    """Point this process's connection at the bench database (as Django's test runner does for
    its test database), and back at the end, closed, so the database can be dropped."""
    databases.create_database(url)
    wanted = dj_database_url.parse(url)
    keys = ("NAME", "USER", "PASSWORD", "HOST", "PORT")
    saved = {key: connection.settings_dict[key] for key in keys}
    connections.close_all()
    connection.settings_dict.update({key: wanted[key] for key in keys})
    try:
        yield
    finally:
        connections.close_all()
        connection.settings_dict.update(saved)


def _queries(path: str, session_key: str | None, secret_key: str) -> int:
    """Queries of one request of the page, warm (its second request), in this process."""
    client = Client(HTTP_HOST="127.0.0.1")
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    with override_settings(
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS=["127.0.0.1"],
        SECURE_SSL_REDIRECT=False,
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    ):
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
    if response.status_code != 200:
        sys.stderr.write(f"web_bench: {path} answered {response.status_code} in-process\n")
    return len(queries)
