"""Upgrading a real database made by an earlier release: `make test-upgrade`.

For each earlier release below, in a fresh PostgreSQL database:

  old       that release's code (from git) migrates the database and seeds the demo;
  rows      every table's row count is taken;
  migrate   this checkout's `migrate` runs on that database;
  kept      every table that existed keeps exactly its rows (models that moved apps
            keep their tables, so no row may appear or vanish);
  pages     as each demo person, and as a visitor, GET pages from the home page
            following the links each page shows (same site, GET only, up to a bound):
            none may fail, and no link a page shows may lead to "not found".

Prints one line per release and PASS or FAIL; exits 1 on failure. The database is
dropped afterwards. Needs PostgreSQL: UPGRADE_DATABASE_URL, or DATABASE_URL's name
with `_upgrade` appended (or surgeryday_upgrade on 127.0.0.1).
"""

import os
import re
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path
from urllib.parse import urljoin

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable

from demo import databases  # noqa: E402 -- the project's root is on the path only now

# The releases a network may be running when it upgrades. The phase 1 release has
# the notification outbox in people and matchmaking, feedback and notes in surgeries;
# the second already has some of the apps.
EARLIER_RELEASES = {
    "phase 1 release": "0101af4a3f154f00ab044698017aa995a9ee92cd",
    "production release": "fc9534311b088b4afbfbb77351e3adc56453c316",
    "layout release": "c61006e70ab4be6848317bfb0824d8657592b3ba",
    "big days release": "1a43d75ebb8d7341a8c81bd93d1a493fe9809d39",
}
# Tables a migration may add rows to, never take from: the migration ledger, and the
# content types and permissions Django adds for models that are new since that release.
GROWING_TABLES = {"django_migrations", "django_content_type", "auth_permission"}
PAGES_PER_PERSON = 120
# Fewer reachable pages than this means the walk itself is broken (a refused host, say).
MIN_PAGES_PER_PERSON = 3


class UpgradeFailure(Exception):
    """A check failed; the message says which."""


def database_url() -> str:
    url = os.environ.get("UPGRADE_DATABASE_URL")
    if url:
        return url
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/surgeryday")
    if not base.startswith("postgres"):
        raise SystemExit("The upgrade test needs PostgreSQL: set UPGRADE_DATABASE_URL or DATABASE_URL.")
    return databases.beside(base, "_upgrade")


def run(args: list[str], *, cwd: Path, url: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true", "ALLOWED_HOSTS": "127.0.0.1"}
    env.pop("REDIS_URL", None)
    env.pop("BROKER_URL", None)
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603
    if result.returncode != 0:
        output = result.stdout[-2000:] + result.stderr[-4000:]
        raise UpgradeFailure(f"{' '.join(args[1:])} in {cwd.name} failed:\n{output}")
    return result.stdout


def row_counts(url: str) -> dict[str, int]:
    connection = psycopg2.connect(url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 -- names read from pg_tables
            counts[table] = cursor.fetchone()[0]
    connection.close()
    return counts


def old_checkout(commit: str, into: Path) -> Path:
    archive = subprocess.run(  # noqa: S603
        ["git", "archive", "--format=tar", commit],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def compare(before: dict[str, int], after: dict[str, int]) -> list[str]:
    problems = []
    for table, count in before.items():
        if table not in after:
            problems.append(f"table {table} ({count} rows) is gone")
        elif after[table] != count and not (table in GROWING_TABLES and after[table] > count):
            problems.append(f"table {table} held {count} rows, now {after[table]}")
    return problems


def upgrade_from(label: str, commit: str, url: str) -> str:
    databases.create_database(url)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            old = old_checkout(commit, Path(scratch))
            run([PYTHON, "manage.py", "migrate", "--noinput"], cwd=old, url=url)
            run([PYTHON, "manage.py", "seed_demo"], cwd=old, url=url)
        before = row_counts(url)
        run([PYTHON, "manage.py", "migrate", "--noinput"], cwd=ROOT, url=url)
        after = row_counts(url)
        problems = compare(before, after)
        if problems:
            raise UpgradeFailure(f"{label}: rows changed by migrate: " + "; ".join(problems))
        pages = run([PYTHON, str(Path(__file__).resolve()), "--pages"], cwd=ROOT, url=url).strip()
        kept = sum(before.values())
        return f"{label} ({commit[:7]}): {len(before)} tables, {kept} rows kept; {pages}"
    finally:
        databases.drop_database(url)


# --- The page walk, run in a child process with Django set up on the upgraded database.


def walk_pages() -> str:
    import django  # noqa: PLC0415 -- before setup

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.test import Client  # noqa: PLC0415 -- before setup

    from people.models import User  # noqa: PLC0415 -- before setup

    link = re.compile(r'href="([^"#]+)"')
    # Links that end a visit or leave the pages a person uses.
    skipped = ("/accounts/logout", "/admin/", "/static/", "/media/", "mailto:", "http://", "https://", "/metrics")
    visitors = [("visitor", None), *((u.email, u) for u in User.objects.filter(email__endswith="@example.org"))]
    failures = []
    visited = 0
    for name, user in visitors:
        client = Client(HTTP_HOST="127.0.0.1")
        if user is not None:
            client.force_login(user)
        queue, seen = ["/"], {"/"}
        walked = 0
        while queue and walked < PAGES_PER_PERSON:
            url = queue.pop(0)
            response = client.get(url, follow=True)
            walked += 1
            url = response.request["PATH_INFO"]
            if response.status_code != 200:
                failures.append(f"{name}: GET {url} -> {response.status_code}")
                continue
            if "html" not in response.get("Content-Type", ""):
                continue
            for href in link.findall(response.content.decode()):
                target = urljoin(url, href.replace("&amp;", "&"))
                if target.startswith("/") and not target.startswith(skipped) and target not in seen:
                    seen.add(target)
                    queue.append(target)
        visited += walked
        if walked < MIN_PAGES_PER_PERSON:
            failures.append(f"{name}: only {walked} pages reachable from the home page")
    if failures:
        print("\n".join(failures[:30]), file=sys.stderr)
        raise SystemExit(1)
    return f"{visited} pages walked as {len(visitors)} people, none failed"


def main() -> int:
    if sys.argv[1:] == ["--pages"]:
        print(walk_pages())
        return 0
    url = database_url()
    try:
        for label, commit in EARLIER_RELEASES.items():
            print(upgrade_from(label, commit, url), flush=True)
    except UpgradeFailure as failure:
        print(f"FAIL: {failure}")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
