from django.urls import reverse

from outbox.selectors import non_essential_enabled


def test_person_turns_off_reminders(client, learner):
    client.force_login(learner)

    response = client.post(reverse("notification_preferences"), {})

    assert response.status_code == 302
    assert non_essential_enabled(person=learner) is False


def test_person_turns_reminders_back_on(client, learner):
    client.force_login(learner)
    client.post(reverse("notification_preferences"), {})

    client.post(reverse("notification_preferences"), {"non_essential_enabled": "on"})

    assert non_essential_enabled(person=learner) is True


def test_page_shows_reminders_on_by_default(client, learner):
    client.force_login(learner)

    page = client.get(reverse("notification_preferences")).content.decode()

    assert 'name="non_essential_enabled"' in page
    assert "checked" in page
    assert "always reach you" in page


def test_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(reverse("notification_preferences"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
