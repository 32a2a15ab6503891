"""The periodic after-the-day tasks. Imported from SurgeriesConfig.ready() so workers register them."""

import logging

from celery import shared_task

from surgeries.afterday_notifications import feedback_requests_schedule
from surgeries.services.afterday import retention_run
from surgeries.services.days import days_finish_ended

logger = logging.getLogger(__name__)


@shared_task(name="surgeries.retention")
def retention() -> int:
    purged = retention_run()
    logger.info("Retention: purged personal data of %s surgery day(s)", purged)
    return purged


@shared_task(name="surgeries.feedback_requests")
def feedback_requests() -> int:
    written = feedback_requests_schedule()
    logger.info("Feedback requests: %s scheduled", written)
    return written


@shared_task(name="surgeries.finish_days")
def finish_days() -> int:
    finished = days_finish_ended()
    logger.info("Finished %s surgery day(s) that have ended", finished)
    return finished
