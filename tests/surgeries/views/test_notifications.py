"""The organiser's page of a day's notification counts and failures."""

import pytest
from django.urls import reverse
from django.utils import timezone

from outbox.models import Notification
from outbox.services import notification_schedule
from surgeries.models import SurgeonWithdrawal
from surgeries.notifications import DAY_REMINDER, HOUR_BEFORE
from tests.factories import DaySurgeonFactory, SlotFactory, UserFactory

pytestmark = pytest.mark.django_db


def _url(day):
    return reverse("day_notifications", args=[day.pk])


def _reminder(day, recipient, *, state=Notification.State.PENDING, error=""):
    row = notification_schedule(
        kind=DAY_REMINDER, recipient=recipient, subject=day, slot=HOUR_BEFORE, due_at=timezone.now()
    )
    Notification.objects.filter(pk=row.pk).update(state=state, last_error=error, attempts=3)
    return row


def test_organiser_sees_counts_and_failure_reasons(client, organiser, learner, surgeon, day):
    _reminder(day, learner, state=Notification.State.SENT)
    _reminder(day, surgeon, state=Notification.State.FAILED, error="SMTPRecipientsRefused 550")
    _reminder(day, UserFactory())
    client.force_login(organiser)

    response = client.get(_url(day))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<dd class="col-6 col-sm-9" data-count="pending">1</dd>' in page
    assert '<dd class="col-6 col-sm-9" data-count="sent">1</dd>' in page
    assert '<dd class="col-6 col-sm-9" data-count="failed">1</dd>' in page
    assert "SMTPRecipientsRefused 550" in page
    assert "Sam Surgeon" in page
    assert surgeon.email not in page


@pytest.mark.parametrize(
    ("persona", "status"), [("surgeon", 403), ("learner", 403), ("other_organiser", 404), ("stranger", 404)]
)
def test_people_who_do_not_organise_the_day_are_refused(client, request, day, persona, status):
    """Members of the organisation are refused; outsiders are not even told the day exists."""
    client.force_login(request.getfixturevalue(persona))

    response = client.get(_url(day))

    assert response.status_code == status


def test_anonymous_visitor_is_sent_to_log_in(client, day):
    response = client.get(_url(day))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_unknown_day_is_not_found(client, organiser):
    client.force_login(organiser)

    assert client.get(reverse("day_notifications", args=[999999])).status_code == 404


@pytest.mark.parametrize("rows", [1, 40])
def test_query_count_does_not_grow_with_notifications(client, organiser, day, django_assert_num_queries, rows):
    for _ in range(rows):
        _reminder(day, UserFactory(), state=Notification.State.FAILED, error="SMTPDataError 554")
        SurgeonWithdrawal.objects.create(day=day, day_surgeon=DaySurgeonFactory(day=day), rebooked=1, waiting=1)
    client.force_login(organiser)

    # session, user, day, organiser check, counts, failures, withdrawals
    with django_assert_num_queries(9):
        response = client.get(_url(day))

    page = response.content.decode()
    assert page.count('class="failed-notification"') == rows
    assert page.count("withdrew from the day.") == rows


def test_organiser_sees_which_surgeon_withdrew_and_what_happened(client, organiser, day):
    day_surgeon = DaySurgeonFactory(day=day, person=UserFactory(display_name="Kim Surgeon"))
    slot = SlotFactory(day_surgeon=day_surgeon)
    SurgeonWithdrawal.objects.create(day=day, day_surgeon=day_surgeon, slot=slot, rebooked=1, waiting=1)
    client.force_login(organiser)

    page = " ".join(client.get(_url(day)).content.decode().split())

    assert "Kim Surgeon withdrew from the session at 10:00 GMT." in page
    assert "Learners told: 1 moved to another session, 1 put on the waiting list." in page


def test_organiser_sees_learners_only_told_their_session_is_off(client, organiser, day):
    day_surgeon = DaySurgeonFactory(day=day, person=UserFactory(display_name="Kim Surgeon"))
    SurgeonWithdrawal.objects.create(day=day, day_surgeon=day_surgeon, rebooked=0, waiting=1, not_placed=1)
    client.force_login(organiser)

    page = " ".join(client.get(_url(day)).content.decode().split())

    assert (
        "Learners told: 0 moved to another session, 1 put on the waiting list, "
        "1 only that their session is off (the waiting list would not take them)." in page
    )
