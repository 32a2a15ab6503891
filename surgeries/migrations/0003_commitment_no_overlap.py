"""PostgreSQL only: nobody can hold two active commitments that overlap in time.

SQLite cannot express an exclusion constraint, so there these operations do
nothing and the booking services' row locks keep the rule on their own.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

CONSTRAINT_SQL = (
    "ALTER TABLE surgeries_commitment ADD CONSTRAINT commitment_no_overlap_per_person "
    "EXCLUDE USING gist (person_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (is_active)"
)
DROP_SQL = "ALTER TABLE surgeries_commitment DROP CONSTRAINT IF EXISTS commitment_no_overlap_per_person"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CONSTRAINT_SQL)


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("surgeries", "0002_days_slots_bookings"),
    ]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(add_constraint, drop_constraint),
    ]
