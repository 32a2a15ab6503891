"""Matchmaking's background jobs. Celery finds this module by autodiscovery (each app's `tasks`).

A leaf: nothing imports it; the services queue its jobs by name (`CONFIRM_TASK`).
"""

import logging

from celery import shared_task
from django.db import OperationalError

from matchmaking.services.confirm import CONFIRM_TASK, proposal_confirm_pairs, proposal_confirmations_resume

logger = logging.getLogger(__name__)


# A deadlock or a lost connection leaves the pair it was booking pending; trying again
# carries on from there. Booking refusals are not errors here: they are recorded per pair.
@shared_task(
    name=CONFIRM_TASK,
    ignore_result=True,
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=5,
)
def matchmaking_confirm(*, proposal_id: int) -> str:
    """Book the pairs of a proposal the organiser confirmed (see matchmaking/services/confirm.py)."""
    proposal = proposal_confirm_pairs(proposal_id=proposal_id)
    if proposal is None:
        logger.info("Matchmaking proposal %s is gone or not being confirmed; nothing to book.", proposal_id)
        return "nothing to do"
    return proposal.status


@shared_task(name="surgeries.matchmaking_confirm_resume", ignore_result=True)
def matchmaking_confirm_resume() -> int:
    """Periodic: queue again any confirmation whose job was lost."""
    return proposal_confirmations_resume()
