"""Workshop feedback now belongs to the afterday app (afterday/0001). Its table keeps its
name and rows; only the migration state forgets it here."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('afterday', '0001_moved_from_surgeries_and_workshops'),
        ('workshops', '0003_workshop_calendar_sequence'),
    ]

    operations = [
        # The tables stay where they are: only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(
                    name='WorkshopFeedback',
                ),
            ],
        ),
    ]
