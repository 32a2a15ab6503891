"""After the day's models, moved from surgeries (made there by surgeries/0005 and 0006)
and workshops (workshops/0002).

State only: the tables keep their surgeries_* and workshops_* names (db_table),
constraints and indexes keep theirs, and no row is copied. surgeries/0010 and
workshops/0004 then drop the models from their state."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('surgeries', '0009_matchmaking_moved_to_its_app'),
        ('workshops', '0003_workshop_calendar_sequence'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay where they are: only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='SessionNote',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField(max_length=2000, verbose_name='next steps')),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('booking', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='session_note', to='surgeries.booking')),
                        ('written_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'surgeries_sessionnote',
                    },
                ),
                migrations.CreateModel(
                    name='Feedback',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('learner', 'Learner'), ('surgeon', 'Surgeon'), ('facilitator', 'Facilitator')], max_length=20)),
                        ('usefulness', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('comment', models.TextField(blank=True, max_length=1000)),
                        ('comment_audience', models.CharField(choices=[('surgeon', 'My surgeon and the organisers'), ('organisers', 'Only the organisers')], default='organisers', max_length=20)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='feedback_given', to=settings.AUTH_USER_MODEL)),
                        ('booking', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='feedback', to='surgeries.booking')),
                        ('day', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='feedback', to='surgeries.surgeryday')),
                    ],
                    options={
                        'db_table': 'surgeries_feedback',
                        'ordering': ['created_at', 'id'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('usefulness__isnull', True), models.Q(('usefulness__gte', 1), ('usefulness__lte', 5)), _connector='OR'), name='feedback_usefulness_1_to_5'), models.UniqueConstraint(condition=models.Q(('booking__isnull', False)), fields=('booking', 'author'), name='feedback_once_per_session'), models.UniqueConstraint(condition=models.Q(('booking__isnull', True)), fields=('day', 'author', 'role'), name='feedback_once_per_day_and_role')],
                    },
                ),
                migrations.CreateModel(
                    name='WorkshopFeedback',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('usefulness', models.PositiveSmallIntegerField()),
                        ('comment', models.TextField(blank=True, max_length=1000)),
                        ('comment_audience', models.CharField(choices=[('facilitators', 'The facilitators and the organisers'), ('organisers', 'Only the organisers')], default='organisers', max_length=20)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='workshop_feedback', to=settings.AUTH_USER_MODEL)),
                        ('registration', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='feedback', to='workshops.registration')),
                        ('workshop', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='feedback', to='workshops.workshop')),
                    ],
                    options={
                        'verbose_name_plural': 'workshop feedback',
                        'db_table': 'workshops_workshopfeedback',
                        'ordering': ['created_at', 'id'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('usefulness__gte', 1), ('usefulness__lte', 5)), name='workshop_feedback_usefulness_1_to_5')],
                    },
                ),
            ],
        ),
    ]
