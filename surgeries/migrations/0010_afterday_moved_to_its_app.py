"""Feedback and session notes now belong to the afterday app (afterday/0001). Their tables
keep their names and rows; only the migration state forgets them here."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('afterday', '0001_moved_from_surgeries_and_workshops'),
        ('surgeries', '0009_matchmaking_moved_to_its_app'),
    ]

    operations = [
        # The tables stay where they are: only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='sessionnote',
                    name='booking',
                ),
                migrations.RemoveField(
                    model_name='sessionnote',
                    name='written_by',
                ),
                migrations.DeleteModel(
                    name='Feedback',
                ),
                migrations.DeleteModel(
                    name='SessionNote',
                ),
            ],
        ),
    ]
