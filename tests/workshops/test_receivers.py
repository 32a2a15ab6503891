"""Workshops hear of their day's events only from surgeries' services (surgeries/signals.py)."""

import pytest

from surgeries.models import SurgeryDay
from surgeries.services import day_cancel
from tests.factories import WorkshopFactory, registered
from workshops import receivers
from workshops.models import Registration, Workshop

pytestmark = pytest.mark.django_db


def test_a_day_cancelled_outside_the_services_leaves_its_workshops_alone(organisation):
    # The admin or a shell can set the status, but only day_cancel cancels what hangs
    # off the day (bookings, notices, workshops), so a bare save changes nothing else.
    workshop = WorkshopFactory(day__organisation=organisation)
    place = registered(workshop=workshop)
    day = SurgeryDay.objects.get(pk=workshop.day_id)

    day.status = SurgeryDay.Status.CANCELLED
    day.save()

    assert Workshop.objects.get(pk=workshop.pk).status == Workshop.Status.ACTIVE
    assert Registration.objects.get(pk=place.pk).status == Registration.Status.ACTIVE


def test_a_receiver_that_fails_undoes_the_days_cancellation(organisation, organiser, monkeypatch):
    workshop = WorkshopFactory(day__organisation=organisation)

    def fail(**kwargs):
        raise RuntimeError("workshops could not be cancelled")

    monkeypatch.setattr(receivers, "workshops_cancel_for_day", fail)

    with pytest.raises(RuntimeError):
        day_cancel(day=workshop.day, by=organiser)

    assert SurgeryDay.objects.get(pk=workshop.day_id).status == SurgeryDay.Status.PUBLISHED
