"""The periodic after-the-day tasks. Imported from AfterdayConfig.ready() so workers register them."""

import logging

from celery import shared_task

from afterday.notifications import feedback_requests_schedule
from afterday.services import retention_run

logger = logging.getLogger(__name__)


@shared_task(name="surgeries.retention")
def retention() -> int:
    purged = retention_run()
    logger.info("Retention: purged personal data of %s surgery day(s)", purged)
    return purged


@shared_task(name="surgeries.feedback_requests")
def feedback_requests() -> int:
    """Sessions and workshops alike: one hourly job writes both kinds of request."""
    written = feedback_requests_schedule()
    logger.info("Feedback requests: %s scheduled", written)
    return written


@shared_task(name="workshops.feedback_requests")
def workshop_feedback_requests() -> int:
    """The former workshops-only job, kept so messages still queued under its name run.

    It does the same as `surgeries.feedback_requests`; running both is harmless,
    since the outbox's unique key means nobody is asked twice.
    """
    return feedback_requests()
