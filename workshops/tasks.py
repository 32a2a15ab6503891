"""The workshops app's periodic task. Imported from WorkshopsConfig.ready() so workers register it."""

import logging

from celery import shared_task

from workshops.feedback_requests import workshop_feedback_requests_schedule

logger = logging.getLogger(__name__)


@shared_task(name="workshops.feedback_requests")
def feedback_requests() -> int:
    written = workshop_feedback_requests_schedule()
    logger.info("Workshop feedback requests: %s scheduled", written)
    return written
