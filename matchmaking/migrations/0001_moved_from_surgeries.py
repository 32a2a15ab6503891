"""Matchmaking's models, moved from surgeries (created there by surgeries/0004 and 0008).

State only: the tables keep their surgeries_* names (db_table), constraints and indexes
keep theirs, and no row is copied. surgeries/0009 then drops the models from its state."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('people', '0005_health_heartbeat_and_database_identity'),
        ('surgeries', '0008_matchmaking_confirm_in_background'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay where they are: only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='MatchProposal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('confirming', 'Being confirmed'), ('confirmed', 'Confirmed')], default='draft', max_length=20)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('confirmed_at', models.DateTimeField(blank=True, null=True)),
                        ('confirm_queued_at', models.DateTimeField(blank=True, null=True)),
                        ('pairs_to_book', models.PositiveIntegerField(default=0)),
                        ('pairs_booked', models.PositiveIntegerField(default=0)),
                        ('pairs_not_booked', models.PositiveIntegerField(default=0)),
                        ('request_count', models.PositiveIntegerField(default=0)),
                        ('unmatched', models.JSONField(blank=True, default=list)),
                        ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('day', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='match_proposals', to='surgeries.surgeryday')),
                    ],
                    options={
                        'db_table': 'surgeries_matchproposal',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='MatchRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('languages', models.CharField(blank=True, help_text='For example: English, Urdu.', max_length=200)),
                        ('note', models.TextField(blank=True, max_length=1000, verbose_name='note for your surgeon')),
                        ('status', models.CharField(choices=[('open', 'Waiting to be matched'), ('matched', 'Matched')], default='open', max_length=20)),
                        ('reasons', models.JSONField(blank=True, default=list)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('booking', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='surgeries.booking')),
                        ('day', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='match_requests', to='surgeries.surgeryday')),
                        ('learner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='match_requests', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'surgeries_matchrequest',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='ProposedPair',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('fit', models.PositiveIntegerField(default=0)),
                        ('reasons', models.JSONField(blank=True, default=list)),
                        ('locked', models.BooleanField(default=False)),
                        ('outcome', models.CharField(choices=[('pending', 'Not booked yet'), ('booked', 'Booked'), ('not_booked', 'Could not be booked')], default='pending', max_length=20)),
                        ('problem', models.CharField(blank=True, max_length=300, verbose_name='why it could not be booked')),
                        ('settled_at', models.DateTimeField(blank=True, null=True)),
                        ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pairs', to='matchmaking.matchproposal')),
                        ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='matchmaking.matchrequest')),
                        ('slot', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='surgeries.slot')),
                    ],
                    options={
                        'db_table': 'surgeries_proposedpair',
                        'ordering': ['slot__starts_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='RequestPreference',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('perspective', 'Perspective'), ('language', 'Language')], max_length=20)),
                        ('value', models.CharField(max_length=80)),
                        ('strength', models.CharField(choices=[('wish', 'I would like'), ('must', 'I need')], default='wish', max_length=10)),
                        ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='preferences', to='matchmaking.matchrequest')),
                    ],
                    options={
                        'db_table': 'surgeries_requestpreference',
                        'ordering': ['kind', 'value'],
                    },
                ),
                migrations.CreateModel(
                    name='RequestTopic',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('priority', models.PositiveSmallIntegerField(choices=[(1, 'Nice to have'), (2, 'Important'), (3, 'Most important')], default=2)),
                        ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='topics', to='matchmaking.matchrequest')),
                        ('topic', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.topic')),
                    ],
                    options={
                        'db_table': 'surgeries_requesttopic',
                        'ordering': ['-priority', 'topic__name'],
                    },
                ),
                migrations.CreateModel(
                    name='RequestWindow',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('starts_at', models.DateTimeField()),
                        ('ends_at', models.DateTimeField()),
                        ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='windows', to='matchmaking.matchrequest')),
                    ],
                    options={
                        'db_table': 'surgeries_requestwindow',
                        'ordering': ['starts_at'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='matchproposal',
                    constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['draft', 'confirming'])), fields=('day',), name='match_proposal_one_open'),
                ),
                migrations.AddConstraint(
                    model_name='matchrequest',
                    constraint=models.UniqueConstraint(fields=('day', 'learner'), name='match_request_once_per_day'),
                ),
                migrations.AddConstraint(
                    model_name='proposedpair',
                    constraint=models.UniqueConstraint(fields=('proposal', 'request'), name='proposed_pair_one_per_request'),
                ),
                migrations.AddConstraint(
                    model_name='proposedpair',
                    constraint=models.UniqueConstraint(fields=('proposal', 'slot'), name='proposed_pair_one_per_slot'),
                ),
                migrations.AddConstraint(
                    model_name='requestpreference',
                    constraint=models.UniqueConstraint(fields=('request', 'kind', 'value'), name='request_preference_unique'),
                ),
                migrations.AddConstraint(
                    model_name='requesttopic',
                    constraint=models.UniqueConstraint(fields=('request', 'topic'), name='request_topic_unique'),
                ),
                migrations.AddConstraint(
                    model_name='requesttopic',
                    constraint=models.CheckConstraint(condition=models.Q(('priority__gte', 1), ('priority__lte', 3)), name='request_topic_priority'),
                ),
                migrations.AddConstraint(
                    model_name='requestwindow',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='request_window_ends_after_start'),
                ),
            ],
        ),
    ]
