"""The surgeries app's jobs: finishing days, and the email to someone an organiser booked for.

Imported from SurgeriesConfig.ready() so workers register them.
"""

import logging

from celery import shared_task

from surgeries.services.days import days_finish_ended
from surgeries.services.on_behalf import SEND_BOOKED_FOR_YOU_TASK, booked_for_you_send

logger = logging.getLogger(__name__)


@shared_task(name="surgeries.finish_days")
def finish_days() -> int:
    finished = days_finish_ended()
    logger.info("Finished %s surgery day(s) that have ended", finished)
    return finished


@shared_task(name=SEND_BOOKED_FOR_YOU_TASK)
def send_booked_for_you(*, booking_id: int, link_id: int | None = None, token: str = "", address: str = "") -> None:
    booked_for_you_send(booking_id=booking_id, link_id=link_id, token=token, address=address)
