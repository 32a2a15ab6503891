"""A participant gives up a place (and the seat goes to the waiting list) at the
very moment an organiser cancels the whole day, on PostgreSQL.

Giving up the place holds the workshop lock and, through the promotion, inserts
rows that point at the day; cancelling the day holds the day and then wants the
workshop. The day is locked "for no key update", which lets those inserts go
ahead, so the two finish one after the other instead of deadlocking.
"""

import threading

import pytest
from django.db import connection

from surgeries.models import SurgeryDay
from surgeries.services import day_cancel
from tests.factories import UserFactory, WorkshopFactory, registered
from workshops import receivers
from workshops.models import Registration, Workshop, WorkshopWaitingEntry
from workshops.services import registration as registration_services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_giving_up_a_place_while_the_day_is_cancelled_does_not_deadlock(organisation, organiser, monkeypatch):
    workshop = WorkshopFactory(day__organisation=organisation, capacity=1)
    place = registered(workshop=workshop)
    waiting = UserFactory()
    registration_services.waiting_list_join(workshop_id=workshop.pk, person=waiting)
    participant_holds_workshop = threading.Event()
    organiser_holds_day = threading.Event()
    promote, cancel_workshops = registration_services.waiting_list_promote, receivers.workshops_cancel_for_day

    def promote_after_the_day_is_locked(**kwargs):
        participant_holds_workshop.set()
        assert organiser_holds_day.wait(timeout=10)
        return promote(**kwargs)

    def cancel_workshops_once_both_hold_a_lock(**kwargs):
        organiser_holds_day.set()
        return cancel_workshops(**kwargs)

    monkeypatch.setattr(registration_services, "waiting_list_promote", promote_after_the_day_is_locked)
    monkeypatch.setattr(receivers, "workshops_cancel_for_day", cancel_workshops_once_both_hold_a_lock)
    errors: list[str] = []

    def in_thread(action):
        def run():
            try:
                action()
            except Exception as error:  # the test reports any error the user would see
                errors.append(f"{type(error).__name__}: {error}")
            finally:
                connection.close()

        return threading.Thread(target=run)

    def give_up_place():
        registration_services.registration_cancel(registration_id=place.pk, by=place.person)

    def cancel_day():
        assert participant_holds_workshop.wait(timeout=10)
        day_cancel(day=SurgeryDay.objects.get(pk=workshop.day_id), by=organiser)

    threads = [in_thread(give_up_place), in_thread(cancel_day)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert SurgeryDay.objects.get(pk=workshop.day_id).status == SurgeryDay.Status.CANCELLED
    assert Workshop.objects.get(pk=workshop.pk).status == Workshop.Status.CANCELLED
    # The seat went to the waiting person first, then the day took every place with it.
    assert not Registration.objects.filter(workshop=workshop, status=Registration.Status.ACTIVE).exists()
    assert Registration.objects.filter(workshop=workshop, person=waiting).exists()
    assert WorkshopWaitingEntry.objects.get(person=waiting).status != WorkshopWaitingEntry.Status.WAITING
