"""Moving a database back to before a model moved apps, and forward again, for upgrade tests."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    """Migrate the test database to `targets` (app, migration name or None for "none")."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def migrate_to_latest() -> None:
    migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())
