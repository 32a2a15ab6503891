"""Throwaway PostgreSQL databases for the stack test, the upgrade test and the web
benchmark: each makes its own beside the database DATABASE_URL names (same server,
that name plus a suffix), and drops it when done.

No Django import: the two tests import this before Django is set up, and set it up
against the database made here.
"""

from urllib.parse import urlsplit

import psycopg2


def beside(url: str, suffix: str) -> str:
    """The database on `url`'s server named as `url`'s plus `suffix`: never the named
    database itself, since whoever asks will drop it."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise ValueError("This needs PostgreSQL: set DATABASE_URL to a postgres:// address.")
    if not suffix:
        raise ValueError("A throwaway database needs a suffix, so the named database is never dropped.")
    return parts._replace(path=parts.path + suffix).geturl()


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def create_database(url: str) -> None:
    """An empty database at `url`, dropping any left from an earlier run."""
    drop_database(url)
    _admin_sql(url, f'CREATE DATABASE "{database_name(url)}"')


def drop_database(url: str) -> None:
    """Drop the database at `url` if it exists, ending any connection still open to it."""
    _admin_sql(url, f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')


def _admin_sql(url: str, statement: str) -> None:
    # CREATE and DROP DATABASE run outside a transaction, from the server's own database.
    parts = urlsplit(url)
    connection = psycopg2.connect(parts._replace(path="/postgres").geturl())
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()
