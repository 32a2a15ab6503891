"""Shared harness for the PostgreSQL concurrency tests: many attempts, released together."""

import os
import threading
import time
from collections import Counter
from collections.abc import Callable

from django.db import connection

from people.models import User

# PostgreSQL here allows 100 connections in all, so the attempts are shared out over
# this many threads, each with its own connection, each making its share in turn.
THREADS = int(os.environ.get("CONCURRENCY_THREADS", "40"))


def race(
    attempt: Callable[[int], object],
    *,
    attempts: int,
    success: str,
    domain_error: type[Exception],
    threads: int = THREADS,
) -> Counter:
    """Run `attempt(i)` for i in range(attempts) across threads released by one barrier.

    Returns how often each outcome happened: `success`, a domain error's message, or
    "crash: ..." for anything else (which is an error page to a user, so a test
    asserting on the counter fails).
    """
    outcomes: list[str] = []
    barrier = threading.Barrier(threads)

    def worker(indices: range) -> None:
        try:
            barrier.wait(timeout=30)
            for index in indices:
                try:
                    attempt(index)
                    outcomes.append(success)
                except domain_error as error:
                    outcomes.append(error.message)
                except Exception as error:
                    outcomes.append(f"crash: {type(error).__name__}: {error}")
        finally:
            connection.close()

    workers = [threading.Thread(target=worker, args=(range(t, attempts, threads),)) for t in range(threads)]
    started = time.monotonic()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    counted = Counter(outcomes)
    print(f"\n{attempts} attempts on {threads} threads in {time.monotonic() - started:.2f}s: {dict(counted)}")
    return counted


def racers(count: int, prefix: str = "racer") -> list[User]:
    """`count` people written straight to the database: hashing hundreds of passwords would take minutes."""
    return User.objects.bulk_create(
        User(email=f"{prefix}{i}@example.org", display_name=f"{prefix} {i}", password="!") for i in range(count)
    )
