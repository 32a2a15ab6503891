"""Matchmaking listens to the outbox's embedded scheduler: without a broker, the
confirmations organisers asked for are booked there, in the background."""

from django.dispatch import receiver

from matchmaking.services.confirm import proposal_confirmations_book_waiting
from outbox.signals import scheduler_pass


@receiver(scheduler_pass, dispatch_uid="matchmaking-book-waiting-confirmations")
def book_waiting_confirmations(sender, **kwargs) -> None:
    proposal_confirmations_book_waiting()
