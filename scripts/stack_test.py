"""The production stack, end to end, on 127.0.0.1: `make test-stack`.

Builds a fresh PostgreSQL database, collects static files with the manifest
storage, and starts a private redis-server, an SMTP sink, two gunicorn instances
behind nginx (with the location blocks of deploy/nginx/), two Celery workers and
one beat, all with production settings and each in its own process group. Then:

  static    a hashed static file comes from nginx with a year-long cache header;
  booking   a learner logs in and books over HTTP; the confirmation is mailed;
  load      public pages and bookings by other learners from a few threads, while
            one gunicorn instance and one Celery worker are killed with SIGKILL;
  emails    every booking's confirmation and reminder arrives exactly once;
  healthz   /healthz turns 503 without Redis and 200 again with it (skipped
            while the site has no /healthz);
  backup    pg_dump -Fc, pg_restore into a new database, migrate, and gunicorn
            serves the demo day from the restored copy.

Prints one line of figures per phase and PASS or FAIL, and exits 1 on failure.
Everything it started is stopped by process group, and its databases dropped.

    STACK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/surgeryday_stack \\
        .venv/bin/python scripts/stack_test.py

Without STACK_DATABASE_URL it uses DATABASE_URL's name with `_stack` appended (or
surgeryday_stack); the restore goes to that name with `_restore` appended.
"""

import html
import http.client
import json
import logging
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/surgeryday"

from demo import databases  # noqa: E402 -- the project's root is on the path only now

LEARNERS = 20  # booking by HTTP during the load, besides the first one
# The day page's links to more of its free times, and how many of its pages a learner
# opens at most looking for their slot.
MORE_FREE_TIMES = re.compile(r'<a href="(\?[^"]*)"[^>]*>(?:See all|Next page)')
MAX_FREE_TIMES_PAGES = 6
PAGE_REQUESTS = 300  # public GETs during the load
PAGE_THREADS = 3
BOOKING_THREADS = 2
REMINDER_MINUTES = 60
# Reminders fall due this long after the day is made: after every booking of the load.
REMINDERS_DUE_AFTER = timedelta(seconds=45)
LEASE_SECONDS = 8
TIMEOUT_SECONDS = 240


class StackFailure(Exception):
    """A check failed; the message says which and by how much."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise StackFailure(message)


def wait_until(condition, *, timeout: float, what: str, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise StackFailure(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


# --- configuration and environment ---------------------------------------------------------


def _database_urls() -> tuple[str, str]:
    """STACK_DATABASE_URL, or DATABASE_URL's server and name with `_stack` appended: never
    the database itself, which this test drops."""
    url = os.environ.get("STACK_DATABASE_URL", "")
    if not url:
        base = os.environ.get("DATABASE_URL", "")
        url = databases.beside(base if base.startswith("postgres") else DEFAULT_SERVER, "_stack")
    return url, databases.beside(url, "_restore")


def _production_env(*, database_url: str, redis_port: int, smtp_port: int, site_port: int, static_root: Path) -> dict:
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "VIRTUAL_ENV", "TZ"}
    return {
        **{key: value for key, value in os.environ.items() if key in keep},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SITE_URL": f"http://127.0.0.1:{site_port}",
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_TIMEOUT": "3",
        "STATIC_ROOT": str(static_root),
        "NOTIFICATION_SWEEP_SECONDS": "2",
        "NOTIFICATION_LEASE_SECONDS": str(LEASE_SECONDS),
        "NOTIFICATION_RETRY_SECONDS": "1",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "INFO",
    }


# --- HTTP: one "browser" per thread, cookies kept by hand ---------------------------------


class Browser:
    """A tiny HTTP client with cookies. Production cookies are Secure; this plain-HTTP
    client still sends them back, as a browser would behind the TLS nginx terminates."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, str]:
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, dict(response.headers), text

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
        self.connection = None


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Tally:
    """Requests sent through nginx during the load, and how they ended."""

    sent: int = 0
    ok: int = 0
    failed: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, browser: Browser, method: str, path: str, expect: int, form: dict | None = None):
        with self.lock:
            self.sent += 1
        try:
            status, headers, text = browser.request(method, path, form)
        except (OSError, http.client.HTTPException) as error:
            with self.lock:
                self.failed.append(f"{method} {path}: {type(error).__name__}")
            return None
        with self.lock:
            if status == expect:
                self.ok += 1
            else:
                self.failed.append(f"{method} {path}: {status}")
        return (status, headers, text) if status == expect else None


def find_link(browser: Browser, tally: Tally, *, day_path: str, target: str) -> bool:
    """Look for a link to `target` as a person would: the day page shows a few times an
    hour, so follow its "See all" and "Next page" links until one shows it."""
    to_visit, seen = [day_path], set()
    while to_visit and len(seen) < MAX_FREE_TIMES_PAGES:
        path = to_visit.pop(0)
        seen.add(path)
        page = tally.record(browser, "GET", path, 200)
        if page is None:
            return False
        if target in page[2]:
            return True
        more = (day_path + html.unescape(query) for query in MORE_FREE_TIMES.findall(page[2]))
        to_visit += [link for link in more if link not in seen and link not in to_visit]
    return False


def log_in_and_book(browser: Browser, tally: Tally, *, email: str, password: str, day_id: int, slot_id: int) -> bool:
    """The learner's path through the site: log-in page, log in, the day (and more of its
    free times until their slot shows), the booking form, book."""
    page = tally.record(browser, "GET", "/accounts/login/", 200)
    if page is None:
        return False
    token = CSRF_FIELD.search(page[2]).group(1)
    form = {"csrfmiddlewaretoken": token, "login": email, "password": password}
    if tally.record(browser, "POST", "/accounts/login/", 302, form) is None:
        return False
    book_path = f"/days/{day_id}/slots/{slot_id}/book/"
    if not find_link(browser, tally, day_path=f"/days/{day_id}/", target=book_path):
        return False
    page = tally.record(browser, "GET", book_path, 200)
    if page is None:
        return False
    form = {"csrfmiddlewaretoken": CSRF_FIELD.search(page[2]).group(1), "note": ""}
    booked = tally.record(browser, "POST", book_path, 302, form)
    return booked is not None and booked[1].get("Location", "").endswith("/bookings/")


# --- the stack ---------------------------------------------------------------------------


class Stack:
    """Every part the test starts, and the figures it gathers."""

    def __init__(self, workdir: Path) -> None:
        from tests.workers import free_port  # noqa: PLC0415 -- before setup

        self.workdir = workdir
        self.database_url, self.restore_url = _database_urls()
        self.static_root = workdir / "public" / "static"
        self.ports = {name: free_port() for name in ("redis", "smtp", "web-1", "web-2", "nginx", "restored")}
        self.env = _production_env(
            database_url=self.database_url,
            redis_port=self.ports["redis"],
            smtp_port=self.ports["smtp"],
            site_port=self.ports["nginx"],
            static_root=self.static_root,
        )
        self.processes = None
        self.smtp = None
        self.sink = None
        self.figures: dict[str, str] = {}
        self.day_id = 0
        self.learners: list[tuple[str, int]] = []  # (email, slot id)
        self.password = ""
        self.load_failures: list[str] = []
        self.summary: list[str] = []  # the headline figures, for the last line

    def manage(self, *args: str, env: dict | None = None) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        check(result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def start_gunicorn(self, name: str, env: dict | None = None) -> None:
        env = {**(env or self.env), "GUNICORN_BIND": f"127.0.0.1:{self.ports[name]}"}
        command = [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "config.wsgi"]
        self.processes.start(name, command, env=env)

    def start_nginx(self) -> None:
        conf = self.workdir / "nginx"
        (conf / "snippets").mkdir(parents=True)
        for snippet in (ROOT / "deploy" / "nginx").glob("surgeryday-*.conf"):
            shutil.copy(snippet, conf / "snippets" / snippet.name)
        mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").is_file() else ""
        # As root, nginx's workers would drop to "nobody", who cannot read this private directory.
        user = "user root;" if os.geteuid() == 0 else ""
        upstreams = "\n".join(
            f"        server 127.0.0.1:{self.ports[name]} max_fails=1 fail_timeout=10s;" for name in ("web-1", "web-2")
        )
        (conf / "nginx.conf").write_text(f"""
{user}
daemon off;
worker_processes 1;
pid {conf}/nginx.pid;
error_log {conf}/error.log warn;
events {{ worker_connections 256; }}
http {{
    {mime}
    default_type application/octet-stream;
    client_body_temp_path {conf}/client_body;
    proxy_temp_path {conf}/proxy;
    fastcgi_temp_path {conf}/fastcgi;
    uwsgi_temp_path {conf}/uwsgi;
    scgi_temp_path {conf}/scgi;
    access_log {conf}/access.log;
    upstream surgeryday_web {{
{upstreams}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{self.ports["nginx"]};
        server_name 127.0.0.1;
        client_max_body_size 1m;
        root {self.static_root.parent};
        include snippets/surgeryday-locations.conf;
    }}
}}
""")
        # Debian keeps nginx in /usr/sbin, which is not on an ordinary user's PATH. -e: the error
        # log from the first line on, before the configuration names this one.
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        command = [nginx, "-p", str(conf), "-c", str(conf / "nginx.conf"), "-e", str(conf / "error.log")]
        self.processes.start("nginx", command)

    def start_beat(self, name: str) -> None:
        command = [str(BIN / "celery"), "-A", "config", "beat", "--scheduler", "config.beat.StandbyRedBeatScheduler"]
        self.processes.start(name, [*command, "--loglevel", "INFO"])

    def active_beat(self, names: tuple[str, ...]) -> str | None:
        """The one running beat whose latest word in its log is that it is active, if exactly one is."""
        active = []
        for name in names:
            if name not in self.processes.running:
                continue
            log = (self.processes.log_dir / f"{name}-{self.processes.starts[name]}.log").read_text(errors="replace")
            if log.rfind("beat: active") > log.rfind("standing by"):
                active.append(name)
        return active[0] if len(active) == 1 else None

    def last_sweep_seconds_ago(self) -> float | None:
        status, _, body = self.get("/healthz")
        return json.loads(body)["scheduler"]["last_sweep_seconds_ago"] if status in (200, 503) else None

    def start_worker(self, name: str) -> None:
        command = [str(BIN / "celery"), "-A", "config", "worker", "--concurrency", "2", "--loglevel", "WARNING"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--hostname", f"{name}@%h"]
        self.processes.start(name, command)

    def get(self, path: str, port_name: str = "nginx") -> tuple[int, dict, str]:
        browser = Browser(self.ports[port_name])
        try:
            return browser.request("GET", path)
        finally:
            browser.close()

    def answers(self, path: str, port_name: str = "nginx", status: int = 200) -> bool:
        try:
            return self.get(path, port_name)[0] == status
        except OSError:
            return False


# --- phases: one function each, run in order by main() ------------------------------------


def phase_database(stack: Stack) -> None:
    """The shared state: a private Redis, and a fresh database, migrated and seeded; then
    static files collected with production settings."""
    import django  # noqa: PLC0415 -- before setup

    os.environ.update(stack.env)
    django.setup()
    from tests.workers import Processes, start_redis  # noqa: PLC0415 -- before setup

    began = time.monotonic()
    stack.processes = Processes(stack.workdir, stack.env)
    start_redis(stack.processes, stack.ports["redis"])
    databases.create_database(stack.database_url)
    stack.manage("migrate", "--noinput")
    stack.manage("seed_demo")
    stack.manage("collectstatic", "--noinput")
    stack.figures["database"] = (
        f"redis up; database migrated, demo seeded, static collected in {time.monotonic() - began:.0f} s"
    )


def phase_start(stack: Stack) -> None:
    """The SMTP sink, two web servers, nginx, two workers, one beat."""

    from tests.workers import CountingSink  # noqa: PLC0415 -- before setup

    stack.sink = CountingSink()
    stack.smtp = Controller(stack.sink, hostname="127.0.0.1", port=stack.ports["smtp"])
    # The sink's own log repeats every SMTP command, addresses included: not wanted here.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    stack.smtp.start()
    stack.start_gunicorn("web-1")
    stack.start_gunicorn("web-2")
    stack.start_nginx()
    stack.start_worker("worker-1")
    stack.start_worker("worker-2")
    stack.start_beat("beat")
    for name in ("web-1", "web-2"):
        wait_until(lambda name=name: stack.answers("/", name), timeout=60, what=f"gunicorn {name}")
    wait_until(lambda: stack.answers("/nginx-health"), timeout=20, what="nginx")
    stack.figures["start"] = "smtp sink, 2 gunicorn, nginx, 2 celery workers, 1 beat up"


def phase_static(stack: Stack) -> None:
    """A hashed name from the manifest is served by nginx, cached for a year."""

    manifest = json.loads((stack.static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/app.css"]
    status, headers, body = stack.get(f"/static/{hashed}")
    check(status == 200, f"/static/{hashed} answered {status}")
    check("immutable" in headers.get("Cache-Control", ""), f"no long cache header: {headers.get('Cache-Control')}")
    check(body == (stack.static_root / hashed).read_text(), "the static file served differs from the one collected")
    status, _, page = stack.get("/")
    check(status == 200 and f"/static/{hashed}" in page, "the home page does not link the hashed stylesheet")
    stack.figures["static"] = f"/static/{hashed} 200, {headers['Cache-Control']}"


def _seed_day(stack: Stack) -> str:
    """A published day whose sessions start just over REMINDER_MINUTES from now, one
    surgeon and one free slot per learner, so every reminder falls due within seconds."""
    from django.contrib.auth.hashers import make_password  # noqa: PLC0415 -- before setup
    from django.test.utils import override_settings  # noqa: PLC0415 -- before setup
    from django.utils import timezone  # noqa: PLC0415 -- before setup

    from people.models import User  # noqa: PLC0415 -- before setup
    from tests.factories import TEST_PASSWORD, DaySurgeonFactory, SlotFactory, SurgeryDayFactory, UserFactory  # noqa: PLC0415 -- before setup

    starts_at = timezone.now() + timedelta(minutes=REMINDER_MINUTES) + REMINDERS_DUE_AFTER
    # Hashing 42 passwords properly would take most of the time the reminders allow:
    # make them cheaply, then give the learners one real hash.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        day = SurgeryDayFactory(
            title="Stack test day",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
            reminder_offsets_minutes=[REMINDER_MINUTES],
        )
        for index in range(LEARNERS + 1):
            slot = SlotFactory(day_surgeon=DaySurgeonFactory(day=day))
            stack.learners.append((UserFactory(email=f"stack-learner{index}@example.org").email, slot.pk))
    emails = [email for email, _ in stack.learners]
    User.objects.filter(email__in=emails).update(password=make_password(TEST_PASSWORD))
    stack.day_id = day.pk
    return TEST_PASSWORD


def _mail_for(kind: str, *, day_id: int) -> set[str]:
    from outbox.emails import message_id_for  # noqa: PLC0415 -- before setup
    from outbox.models import Notification  # noqa: PLC0415 -- before setup
    from surgeries.models import Booking  # noqa: PLC0415 -- before setup

    bookings = Booking.objects.filter(day_id=day_id).values_list("pk", flat=True)
    rows = Notification.objects.filter(kind=kind, subject_id__in=list(bookings), subject_type__model="booking")
    return {message_id_for(notification_id=pk) for pk in rows.values_list("pk", flat=True)}


def phase_booking(stack: Stack) -> None:
    """One learner logs in and books through nginx; the confirmation reaches the sink."""
    from surgeries.notifications.bookings import BOOKING_CONFIRMED  # noqa: PLC0415 -- before setup

    stack.password = _seed_day(stack)
    email, slot_id = stack.learners.pop(0)
    tally, browser = Tally(), Browser(stack.ports["nginx"])
    booked = log_in_and_book(browser, tally, email=email, password=stack.password, day_id=stack.day_id, slot_id=slot_id)
    browser.close()
    check(booked, f"the first booking did not go through: {tally.failed}")
    confirmation = wait_until(
        lambda: _mail_for(BOOKING_CONFIRMED, day_id=stack.day_id), timeout=10, what="the confirmation row"
    )
    wait_until(lambda: confirmation <= set(stack.sink.deliveries), timeout=30, what="the confirmation email")
    stack.figures["booking"] = f"logged in and booked in {tally.sent} requests; confirmation delivered"


def phase_load(stack: Stack) -> None:
    """Pages and bookings from several threads; one gunicorn and one worker killed halfway."""
    from django.utils import timezone  # noqa: PLC0415 -- before setup

    from surgeries.models import Booking, SurgeryDay  # noqa: PLC0415 -- before setup

    demo_day = SurgeryDay.objects.exclude(pk=stack.day_id).filter(status=SurgeryDay.Status.PUBLISHED).first()
    pages = ["/", f"/days/{stack.day_id}/", f"/days/{demo_day.pk}/", "/accounts/login/"]
    tally, pending = Tally(), list(stack.learners)
    booking_deadline = SurgeryDay.objects.get(pk=stack.day_id).starts_at - timedelta(
        minutes=REMINDER_MINUTES, seconds=5
    )
    gets_left = iter(range(PAGE_REQUESTS))
    lock = threading.Lock()

    def browse() -> None:
        browser = Browser(stack.ports["nginx"])
        while (number := next(gets_left, None)) is not None:
            tally.record(browser, "GET", pages[number % len(pages)], 200)
        browser.close()

    def book() -> None:
        while True:
            with lock:
                if not pending or timezone.now() > booking_deadline:
                    return
                email, slot_id = pending.pop()
            browser = Browser(stack.ports["nginx"])
            log_in_and_book(browser, tally, email=email, password=stack.password, day_id=stack.day_id, slot_id=slot_id)
            browser.close()

    threads = [threading.Thread(target=browse) for _ in range(PAGE_THREADS)]
    threads += [threading.Thread(target=book) for _ in range(BOOKING_THREADS)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    wait_until(lambda: tally.sent >= (PAGE_REQUESTS + 6 * LEARNERS) // 2, timeout=60, what="half the load", every=0.01)
    # Around the worker kill the sink answers 451 for a moment, so the kill cannot land in
    # the millisecond between the SMTP server accepting a mail and the row marked sent.
    stack.sink.quiet()
    stack.processes.kill("web-1")
    stack.processes.kill("worker-1")
    stack.sink.resume()
    killed_at = tally.sent
    for thread in threads:
        thread.join(timeout=120)
    check(not any(thread.is_alive() for thread in threads), "the load did not finish in two minutes")
    made = Booking.objects.filter(day_id=stack.day_id, status=Booking.Status.ACTIVE).count()
    error_log = (stack.workdir / "nginx" / "error.log").read_text()
    rerouted = error_log.count("while connecting to upstream") + error_log.count("while reading response header")
    stack.figures["load"] = (
        f"{tally.sent} requests sent, {tally.ok} OK, {len(tally.failed)} failed "
        f"(web-1 and worker-1 killed after request {killed_at}; nginx logged {rerouted} upstream errors "
        f"and passed those requests on) in {time.monotonic() - began:.1f} s; "
        f"{made} bookings made of {LEARNERS + 1} learners, {len(pending)} not tried"
    )
    stack.load_failures = tally.failed
    # Only a request in flight to the killed instance may fail, and only a POST: nginx
    # passes a GET on to the other instance. So at most one per booking thread.
    posts_only = all(failure.startswith("POST ") for failure in tally.failed)
    within = len(tally.failed) <= BOOKING_THREADS
    stack.summary.append(f"requests sent/OK/failed {tally.sent}/{tally.ok}/{len(tally.failed)}")
    check(within and posts_only, f"requests failed beyond the killed ones: {tally.failed}")
    check(not pending, f"{len(pending)} learners could not be tried before their reminders fell due")


def phase_emails(stack: Stack) -> None:
    """Each booking's confirmation and reminder arrives exactly once."""
    from surgeries.models import Booking  # noqa: PLC0415 -- before setup
    from surgeries.notifications.bookings import BOOKING_CONFIRMED, SESSION_REMINDER  # noqa: PLC0415 -- before setup

    bookings = Booking.objects.filter(day_id=stack.day_id).count()
    confirmations, reminders = (
        _mail_for(BOOKING_CONFIRMED, day_id=stack.day_id),
        _mail_for(SESSION_REMINDER, day_id=stack.day_id),
    )
    expected = confirmations | reminders
    check(len(confirmations) == len(reminders) == bookings, f"{bookings} bookings but {len(reminders)} reminders")
    began = time.monotonic()
    try:
        wait_until(lambda: expected <= set(stack.sink.deliveries), timeout=90, what="every expected email", every=0.5)
    finally:
        # Long enough for a claim by the killed worker to lapse and be sent again, if it were going to double.
        time.sleep(LEASE_SECONDS + 3)
        deliveries = Counter(stack.sink.deliveries)
        delivered = sum(1 for message_id in expected if deliveries[message_id] >= 1)
        doubled = sum(count - 1 for count in deliveries.values() if count > 1)
        others = sum(count for message_id, count in deliveries.items() if message_id not in expected)
        stack.figures["emails"] = (
            f"{len(expected)} expected ({len(confirmations)} confirmations, {len(reminders)} reminders), "
            f"{delivered} delivered, {doubled} doubled; {others} other emails (surgeons, demo); "
            f"{stack.sink.refused} refused with 451 around the kill; waited {time.monotonic() - began:.0f} s"
        )
    stack.summary.append(f"emails expected/delivered/doubled {len(expected)}/{delivered}/{doubled}")
    check(delivered == len(expected) and doubled == 0, "emails lost or doubled")


def phase_healthz(stack: Stack) -> None:
    """Without Redis, /healthz says 503 within a minute; with Redis back, 200 again."""
    from tests.workers import start_redis  # noqa: PLC0415 -- before setup

    status = stack.get("/healthz")[0]
    if status == 404:
        stack.figures["healthz"] = "skipped: the site has no /healthz yet"
        return
    check(status == 200, f"/healthz answered {status} with every part up")
    stack.processes.kill("redis")
    down = time.monotonic()
    wait_until(lambda: stack.answers("/healthz", status=503), timeout=60, what="/healthz to say 503", every=1)
    noticed = time.monotonic() - down
    start_redis(stack.processes, stack.ports["redis"])
    wait_until(lambda: stack.answers("/healthz"), timeout=60, what="/healthz to say 200 again", every=1)
    stack.figures["healthz"] = f"200, 503 {noticed:.0f} s after Redis stopped, 200 again after it restarted"


def phase_scheduler(stack: Stack) -> None:
    """A standby beat takes over from a killed one; with no beat at all /healthz says 503
    within a minute, and 200 again once a beat runs."""
    if stack.get("/healthz")[0] == 404:
        stack.figures["scheduler"] = "skipped: the site has no /healthz yet"
        return
    stack.start_beat("beat-standby")
    # Whichever beat holds the lock is active; right after the Redis restart of the
    # previous phase that may be the newcomer, which is just as correct. Each beat says
    # which it is within one tick (at most 5 s), so look only after that.
    time.sleep(7)
    active = wait_until(lambda: stack.active_beat(("beat", "beat-standby")), timeout=30, what="one active beat")
    standby = ({"beat", "beat-standby"} - {active}).pop()
    stack.processes.kill(active)
    killed = time.monotonic()

    # The sweep runs every 2 s: with the active beat gone it falls behind (a sweep queued
    # just before the kill may still finish a moment later), and once the standby has
    # taken the lock (BEAT_LOCK_TIMEOUT_SECONDS, 20 s) it is recent again.
    def last_sweep(older: bool) -> bool:
        seconds = stack.last_sweep_seconds_ago()
        return seconds is not None and (seconds >= 3) == older

    wait_until(lambda: last_sweep(older=True), timeout=15, what="sweeps to stop with the active beat", every=0.5)
    wait_until(lambda: last_sweep(older=False), timeout=60, what="the standby beat to sweep", every=0.5)
    took_over = time.monotonic() - killed
    check(stack.answers("/healthz"), "/healthz says 200 with the standby beat sweeping")
    stack.processes.kill(standby)
    down = time.monotonic()
    wait_until(lambda: stack.answers("/healthz", status=503), timeout=60, what="/healthz to say 503", every=1)
    noticed = time.monotonic() - down
    stack.start_beat("beat")
    wait_until(lambda: stack.answers("/healthz"), timeout=60, what="/healthz to say 200 again", every=1)
    stack.figures["scheduler"] = (
        f"standby beat swept {took_over:.0f} s after the active one was killed; with no beat /healthz said 503 "
        f"after {noticed:.0f} s, 200 again once a beat started"
    )


def phase_backup(stack: Stack) -> None:
    """pg_dump -Fc, pg_restore into a new database, migrate, serve the demo day from it."""
    from django.utils.html import escape  # noqa: PLC0415 -- before setup

    from surgeries.models import SurgeryDay  # noqa: PLC0415 -- before setup

    demo_day = SurgeryDay.objects.exclude(pk=stack.day_id).filter(status=SurgeryDay.Status.PUBLISHED).first()
    dump = stack.workdir / "surgeryday.dump"
    began = time.monotonic()
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), "-d", stack.database_url], check=True, timeout=120)
    databases.create_database(stack.restore_url)
    subprocess.run(["pg_restore", "--no-owner", "-d", stack.restore_url, str(dump)], check=True, timeout=120)
    restored_env = {**stack.env, "DATABASE_URL": stack.restore_url}
    stack.manage("migrate", "--noinput", env=restored_env)
    stack.start_gunicorn("restored", env=restored_env)
    wait_until(lambda: stack.answers("/", "restored"), timeout=60, what="gunicorn on the restored database")
    status, _, page = stack.get(f"/days/{demo_day.pk}/", "restored")
    stack.processes.kill("restored")
    check(status == 200 and escape(demo_day.title) in page, f"restored demo day page: {status}")
    size = dump.stat().st_size // 1024
    stack.figures["backup"] = (
        f"{size} KiB dump restored and migrated, demo day page 200 in {time.monotonic() - began:.0f} s"
    )


PHASES = [phase_database, phase_start, phase_static, phase_booking, phase_load, phase_emails, phase_healthz]
PHASES += [phase_scheduler, phase_backup]


def shut_down(stack: Stack) -> None:
    if stack.processes is not None:
        stack.processes.kill_all()
    if stack.smtp is not None:
        stack.smtp.stop()
    if stack.processes is not None:
        from django.db import connections  # noqa: PLC0415 -- before setup

        connections.close_all()
    for url in (stack.database_url, stack.restore_url):
        databases.drop_database(url)


def main() -> int:
    began = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="surgeryday-stack-"))
    stack = Stack(workdir)
    failure = None
    try:
        for phase in PHASES:
            if time.monotonic() - began > TIMEOUT_SECONDS:
                raise StackFailure(f"over {TIMEOUT_SECONDS} s before {phase.__name__}")
            name = phase.__name__.removeprefix("phase_")
            try:
                phase(stack)
            finally:
                if name in stack.figures:
                    print(f"  {name:<9} {stack.figures[name]}", flush=True)
    except StackFailure as error:
        failure = str(error)
    except Exception as error:
        failure = f"{type(error).__name__}: {error}"
    finally:
        shut_down(stack)
    if stack.load_failures:
        print("  failed requests: " + "; ".join(stack.load_failures))
    seconds = time.monotonic() - began
    figures = "; ".join([*stack.summary, f"{seconds:.0f} s"])
    if failure:
        print(f"FAIL: {failure}\n  {figures}\n  logs kept in {workdir}")
        return 1
    if os.environ.get("STACK_KEEP_LOGS"):
        print(f"  logs kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"PASS: {figures}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
