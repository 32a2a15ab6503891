"""Load on the benchmark's gunicorn, and only there: every request goes to 127.0.0.1.

Throughput and fixed-rate runs use hey (a Debian package), bounded by time and, through
its per-connection rate limit, by count. The contention runs are threads here, one
signed-in person each, released together by a barrier.
"""

import http.client
import subprocess
import threading
import time
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.crypto import get_random_string

from demo.bench.stats import Run, combine, parse_hey_csv
from people.models import User

HOST = "127.0.0.1"
# A CSRF secret both in the cookie and in the form, as a browser that loaded the form sends it.
CSRF_SECRET_LENGTH = 32
MAX_RATE_PER_CONNECTION = 500  # throughput runs: at most this many requests a second per connection


def sessions_for(user_ids: list[int], *, secret_key: str) -> dict[int, str]:
    """A signed-in session per person, made directly (as logging in would leave it), signed with
    the web server's key. Returns each person's session key: the session cookie's value."""
    backend = settings.AUTHENTICATION_BACKENDS[-1]
    expires = timezone.now() + timedelta(days=1)
    keys, rows = {}, []
    with override_settings(SECRET_KEY=secret_key):
        for user in User.objects.filter(pk__in=user_ids):
            store = SessionStore()
            data = {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: backend,
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
            key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
            rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
            keys[user.pk] = key
    Session.objects.bulk_create(rows)
    return keys


def cookie_header(session_key: str | None, csrf: str | None = None) -> str:
    cookies = []
    if session_key:
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session_key}")
    if csrf:
        cookies.append(f"{settings.CSRF_COOKIE_NAME}={csrf}")
    return "; ".join(cookies)


def fetch(port: int, path: str, *, session_key: str | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        headers = {"Cookie": cookie_header(session_key)} if session_key else {}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def hey(port: int, path: str, *, seconds: int, connections: int, rate: float, session_key: str | None) -> Run:
    """`connections` connections, each sending at most `rate` requests a second, for `seconds` seconds.

    Redirects are not followed (a redirect is counted as not 200). hey waits for the requests in
    flight when the time is up (each at most 60 s), so nothing is left queued in gunicorn;
    the subprocess timeout is a second bound in case hey hangs."""
    command = ["hey", "-z", f"{seconds}s", "-c", str(connections), "-q", f"{rate:g}", "-t", "60"]
    command += ["-disable-redirects", "-disable-compression", "-o", "csv"]
    if session_key:
        command += ["-H", f"Cookie: {cookie_header(session_key)}"]
    command.append(f"http://{HOST}:{port}{path}")
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120, check=True)
    return parse_hey_csv(result.stdout)


def hey_paced(port: int, path: str, *, seconds: int, rate: float, streams: int, session_key: str | None) -> Run:
    """`rate` requests a second, spread evenly: `streams` hey processes of one connection each,
    sending `rate / streams` a second, started 1/`rate` s apart.

    One hey with many connections starts them together, so its requests arrive in bursts
    (25 at once, twice a second, at 50 a second) and p95 measures the queue of a burst. A
    fixed rate means a request every 1/`rate` s; a stream still waits for its own answer
    before its next request, so a page slower than `streams / rate` s falls behind and its
    line shows fewer requests a second than asked.
    """
    command = ["hey", "-z", f"{seconds}s", "-c", "1", "-q", f"{rate / streams:g}", "-t", "60"]
    command += ["-disable-redirects", "-disable-compression", "-o", "csv"]
    if session_key:
        command += ["-H", f"Cookie: {cookie_header(session_key)}"]
    command.append(f"http://{HOST}:{port}{path}")
    processes: list[tuple[float, subprocess.Popen]] = []
    began = time.monotonic()
    try:
        for index in range(streams):
            time.sleep(max(0.0, began + index / rate - time.monotonic()))
            started = time.monotonic() - began
            processes.append((started, subprocess.Popen(command, stdout=subprocess.PIPE, text=True)))
        runs = []
        for started, process in processes:
            output, _ = process.communicate(timeout=seconds + 120)
            if process.returncode:
                raise subprocess.CalledProcessError(process.returncode, command)
            runs.append(parse_hey_csv(output, started_at=started))
    finally:
        for _, process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    return combine(runs)


def wait_until_quiet(port: int, path: str, *, timeout: float = 90) -> None:
    """After an overloaded run, gunicorn still works through requests hey gave up on: wait until
    a constant page answers at once again, so the next run starts on an idle server."""
    deadline = time.monotonic() + timeout
    quick = 0
    while time.monotonic() < deadline and quick < 3:
        started = time.monotonic()
        try:
            fetch(port, path)
        except OSError:
            quick = 0
        else:
            quick = quick + 1 if time.monotonic() - started < 0.05 else 0
        time.sleep(0.1)


def post_all_at_once(port: int, path: str, session_keys: list[str], form: dict[str, str]) -> list[int]:
    """Each signed-in person POSTs `form` to `path` in their own thread, all released together.
    Returns every status (0 for no answer)."""
    statuses = [0] * len(session_keys)
    barrier = threading.Barrier(len(session_keys))

    def post(index: int, session_key: str) -> None:
        csrf = get_random_string(CSRF_SECRET_LENGTH)
        body = urlencode({**form, "csrfmiddlewaretoken": csrf})
        headers = {
            "Cookie": cookie_header(session_key, csrf),
            "Content-Type": "application/x-www-form-urlencoded",
        }
        connection = http.client.HTTPConnection(HOST, port, timeout=120)
        try:
            connection.connect()
            barrier.wait(timeout=60)
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            statuses[index] = response.status
        except (OSError, http.client.HTTPException, threading.BrokenBarrierError):
            statuses[index] = 0
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i, key)) for i, key in enumerate(session_keys)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return statuses
