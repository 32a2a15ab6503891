# The outbox's models now belong to the outbox app (outbox.0001), which keeps their
# tables: remove them from this app's state only.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0005_health_heartbeat_and_database_identity"),
        ("outbox", "0001_moved_from_people"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Notification"),
                migrations.DeleteModel(name="NotificationPreference"),
                migrations.DeleteModel(name="SweepHeartbeat"),
            ],
            database_operations=[],
        ),
    ]
