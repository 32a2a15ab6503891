# The outbox's models moved here from the people app. Their tables keep their names
# (Meta.db_table), so this only tells Django's state about them; nothing in the
# database changes. people.0006 removes them from the people app's state.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("people", "0005_health_heartbeat_and_database_identity"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="NotificationPreference",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "non_essential_enabled",
                            models.BooleanField(
                                default=True,
                                help_text="Reminders and other messages you could do without. Confirmations and cancellations always go.",
                            ),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "person",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notification_preference",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"db_table": "people_notificationpreference"},
                ),
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=64)),
                        ("subject_id", models.PositiveBigIntegerField()),
                        ("scope_id", models.PositiveBigIntegerField()),
                        ("slot", models.CharField(blank=True, max_length=32)),
                        ("due_at", models.DateTimeField()),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("pending", "Pending"),
                                    ("sending", "Sending"),
                                    ("sent", "Sent"),
                                    ("cancelled", "Cancelled"),
                                    ("failed", "Failed"),
                                ],
                                default="pending",
                                max_length=16,
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("last_error", models.CharField(blank=True, max_length=200)),
                        ("claim_token", models.UUIDField(blank=True, null=True)),
                        ("claimed_until", models.DateTimeField(blank=True, null=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "scope_type",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="contenttypes.contenttype",
                            ),
                        ),
                        (
                            "subject_type",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="contenttypes.contenttype",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "people_notification",
                        "ordering": ["due_at", "id"],
                        "indexes": [
                            models.Index(
                                condition=models.Q(("state", "pending")), fields=["due_at"], name="notification_due_idx"
                            ),
                            models.Index(
                                condition=models.Q(("state", "sending")),
                                fields=["claimed_until"],
                                name="notification_lapsed_idx",
                            ),
                            models.Index(fields=["subject_type", "subject_id"], name="notification_subject_idx"),
                            models.Index(fields=["scope_type", "scope_id", "state"], name="notification_scope_idx"),
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("kind", "recipient", "subject_type", "subject_id", "slot"),
                                name="notification_unique_per_slot",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("state", "sending"), _negated=True),
                                    models.Q(("claim_token__isnull", False), ("claimed_until__isnull", False)),
                                    _connector="OR",
                                ),
                                name="notification_sending_has_claim",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="SweepHeartbeat",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("swept_at", models.DateTimeField()),
                    ],
                    options={"db_table": "people_sweepheartbeat"},
                ),
            ],
            database_operations=[],
        ),
    ]
