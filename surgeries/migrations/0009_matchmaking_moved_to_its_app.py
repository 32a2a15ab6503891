"""Matchmaking's models now belong to the matchmaking app (matchmaking/0001). Their tables
keep their names and rows; only the migration state forgets them here."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('surgeries', '0008_matchmaking_confirm_in_background'),
        ('matchmaking', '0001_moved_from_surgeries'),
    ]

    operations = [
        # The tables stay where they are: only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='proposedpair',
                    name='proposal',
                ),
                migrations.RemoveField(
                    model_name='matchrequest',
                    name='booking',
                ),
                migrations.RemoveField(
                    model_name='matchrequest',
                    name='day',
                ),
                migrations.RemoveField(
                    model_name='matchrequest',
                    name='learner',
                ),
                migrations.RemoveField(
                    model_name='requestpreference',
                    name='request',
                ),
                migrations.RemoveField(
                    model_name='requestwindow',
                    name='request',
                ),
                migrations.RemoveField(
                    model_name='requesttopic',
                    name='request',
                ),
                migrations.RemoveField(
                    model_name='proposedpair',
                    name='request',
                ),
                migrations.RemoveField(
                    model_name='proposedpair',
                    name='slot',
                ),
                migrations.RemoveField(
                    model_name='requesttopic',
                    name='topic',
                ),
                migrations.DeleteModel(
                    name='MatchProposal',
                ),
                migrations.DeleteModel(
                    name='RequestPreference',
                ),
                migrations.DeleteModel(
                    name='RequestWindow',
                ),
                migrations.DeleteModel(
                    name='MatchRequest',
                ),
                migrations.DeleteModel(
                    name='ProposedPair',
                ),
                migrations.DeleteModel(
                    name='RequestTopic',
                ),
            ],
        ),
    ]
