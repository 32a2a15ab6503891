"""The periodic retention task. Imported from SurgeriesConfig.ready() so workers register it."""

import logging

from celery import shared_task

from surgeries.services.afterday import retention_run

logger = logging.getLogger(__name__)


@shared_task(name="surgeries.retention")
def retention() -> int:
    purged = retention_run()
    logger.info("Retention: purged personal data of %s surgery day(s)", purged)
    return purged
