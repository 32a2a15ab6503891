import os
from datetime import timedelta

from celery import Celery, signature

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("surgeryday")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def schedule_periodic_tasks(sender: Celery, **kwargs) -> None:
    """Every periodic job, in one place. A second beat may stand by (config/beat.py, docs/reminders.md).

    Registered once Celery has read the Django settings, so intervals can come from them.
    """
    from django.conf import settings

    sweep_every = settings.NOTIFICATION_SWEEP_SECONDS
    sender.add_periodic_task(
        timedelta(seconds=sweep_every),
        signature("people.notifications.sweep"),
        name="sweep-due-notifications",
        # A sweep that could not start in time is simply replaced by the next one.
        expires=sweep_every,
    )
    # Daily: delete a finished day's short-lived personal data once RETENTION_DAYS have passed.
    sender.add_periodic_task(timedelta(hours=24), signature("surgeries.retention"), name="after-day-retention")
    # Daily: delete audit entries older than AUDIT_RETENTION_DAYS.
    sender.add_periodic_task(timedelta(hours=24), signature("people.audit_retention"), name="audit-retention")
    # Hourly: ask learners of days that just ended how their session went (sent the morning after).
    sender.add_periodic_task(timedelta(hours=1), signature("surgeries.feedback_requests"), name="feedback-requests")
    # Hourly: the same for workshop participants, one message per person and day.
    sender.add_periodic_task(
        timedelta(hours=1), signature("workshops.feedback_requests"), name="workshop-feedback-requests"
    )
    # Hourly: mark published days that have ended as finished.
    sender.add_periodic_task(timedelta(hours=1), signature("surgeries.finish_days"), name="finish-ended-days")
    # A matchmaking confirmation whose job was lost with a worker is queued again once it has stalled.
    resume_every = max(1, settings.MATCHMAKING_CONFIRM_STALLED_SECONDS // 2)
    sender.add_periodic_task(
        timedelta(seconds=resume_every),
        signature("surgeries.matchmaking_confirm_resume"),
        name="resume-matchmaking-confirmations",
        expires=resume_every,
    )
