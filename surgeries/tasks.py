"""The surgeries app's periodic task. Imported from SurgeriesConfig.ready() so workers register it."""

import logging

from celery import shared_task

from surgeries.services.days import days_finish_ended

logger = logging.getLogger(__name__)


@shared_task(name="surgeries.finish_days")
def finish_days() -> int:
    finished = days_finish_ended()
    logger.info("Finished %s surgery day(s) that have ended", finished)
    return finished
