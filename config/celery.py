import logging
import os
from datetime import timedelta

from celery import Celery, Task, signature
from celery.exceptions import Reject
from celery.signals import before_task_publish
from django.conf import settings
from django.db import DatabaseError

from config.logs import REQUEST_ID_TASK_HEADER, message_header, request_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)

# The message header naming the database of whoever queued the task.
DATABASE_HEADER = "surgeryday_database"


def own_database() -> str:
    """This process's database identity ("" if unknown: nothing is compared then)."""
    # Imported here: this module loads before Django is set up, when models cannot.
    from people.selectors import database_identity  # noqa: PLC0415 -- before setup

    try:
        return database_identity()
    except DatabaseError:
        return ""


@before_task_publish.connect
def name_the_database(headers: dict | None = None, **kwargs) -> None:
    if headers is None:
        return
    identity = own_database()
    if identity:
        headers.setdefault(DATABASE_HEADER, identity)
    # So the task's log lines can be matched with the request that queued it.
    if request_id.get():
        headers.setdefault(REQUEST_ID_TASK_HEADER, request_id.get())


def refuse_foreign_database(task: Task) -> None:
    """Refuse a task queued by a process that uses another database than this worker.

    Its ids would point at other rows here, or at none: the task would quietly skip or,
    worse, act on the wrong row. A message without the header (run in-process, or
    queued by an older version) is let through.
    """
    request = task.request
    queued_for = message_header(request, DATABASE_HEADER)
    if not queued_for:
        return
    here = own_database()
    if here and queued_for != here:
        logger.error(
            "Task %s (%s) refused: queued against database %s, but this worker uses database %s. "
            "Check DATABASE_URL of the worker, beat and web servers.",
            request.id,
            task.name,
            queued_for,
            here,
        )
        raise Reject("database mismatch", requeue=False)


class DatabaseCheckedTask(Task):
    def __call__(self, *args, **kwargs):
        refuse_foreign_database(self)
        return super().__call__(*args, **kwargs)


app = Celery("surgeryday", task_cls=DatabaseCheckedTask)
# Celery's current app in every thread, not only this one: the apps reach it that way
# (outbox's run_scheduler reads its beat schedule) rather than importing config.
app.set_default()
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def schedule_periodic_tasks(sender: Celery, **kwargs) -> None:
    """Every periodic job, in one place. A second beat may stand by (config/beat.py, docs/reminders.md).

    Registered once Celery has read the Django settings, so intervals can come from them.
    """
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
    # Hourly: ask learners and workshop participants (one message per person and day) of days
    # that just ended how it went (sent the morning after).
    sender.add_periodic_task(timedelta(hours=1), signature("surgeries.feedback_requests"), name="feedback-requests")
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
