from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from config.celery import app as celery_app
from surgeries.models import Booking, DayAggregate
from surgeries.services.afterday import day_personal_data_purge, register_retention_purger, retention_run
from tests.surgeries.afterday_helpers import past_day, past_session


def _day_with_private_data(organisation, days_ago):
    day = past_day(organisation, days_ago=days_ago)
    past_session(day, index=0, is_no_show=True, note="I use a wheelchair")
    past_session(day, index=1, note="")
    return day


def test_old_days_lose_no_show_marks_and_notes_but_keep_counts(organisation, settings):
    settings.RETENTION_DAYS = 30
    day = _day_with_private_data(organisation, days_ago=31)

    purged = retention_run()

    assert purged == 1
    assert list(Booking.objects.filter(day=day).values_list("is_no_show", "note")) == [(False, ""), (False, "")]
    snapshot = DayAggregate.objects.get(day=day)
    assert (snapshot.sessions_held, snapshot.people_helped) == (1, 1)


def test_recent_days_are_left_alone(organisation, settings):
    settings.RETENTION_DAYS = 30
    day = _day_with_private_data(organisation, days_ago=10)

    assert retention_run() == 0
    assert Booking.objects.filter(day=day, is_no_show=True).count() == 1


def test_retention_days_setting_is_read_each_run(organisation, settings):
    _day_with_private_data(organisation, days_ago=10)
    settings.RETENTION_DAYS = 5

    assert retention_run() == 1


def test_a_day_is_purged_once(organisation, settings):
    settings.RETENTION_DAYS = 1
    day = _day_with_private_data(organisation, days_ago=5)
    retention_run()
    Booking.objects.filter(day=day).update(is_no_show=True)  # marked again later by hand

    assert day_personal_data_purge(day_id=day.pk) is None
    assert DayAggregate.objects.filter(day=day).count() == 1


def test_registered_purgers_run_inside_the_purge(organisation, settings):
    settings.RETENTION_DAYS = 1
    day = _day_with_private_data(organisation, days_ago=5)
    seen = []
    purger = register_retention_purger(lambda d: seen.append(d.pk) or 0)
    try:
        retention_run()
    finally:
        from surgeries.services import afterday

        afterday._purgers.remove(purger)

    assert seen == [day.pk]


def test_management_command_and_celery_task_run_the_same_job(organisation, settings, capsys):
    settings.RETENTION_DAYS = 1
    _day_with_private_data(organisation, days_ago=5)
    second = _day_with_private_data(organisation, days_ago=6)

    call_command("purge_after_day_data")
    second.ends_at = timezone.now() - timedelta(days=3)
    second.save()
    Booking.objects.filter(day=second).update(is_no_show=True)
    DayAggregate.objects.filter(day=second).delete()
    result = celery_app.tasks["surgeries.retention"].delay().get()

    assert "Purged short-lived personal data of 2 surgery day(s)." in capsys.readouterr().out
    assert result == 1


def test_beat_schedule_holds_the_after_the_day_jobs():
    from config.celery import schedule_periodic_tasks

    added = []

    class Recorder:
        def add_periodic_task(self, every, sig, name, **kwargs):
            added.append((name, sig.task, every))

    schedule_periodic_tasks(Recorder())

    assert ("after-day-retention", "surgeries.retention", timedelta(hours=24)) in added
    assert ("feedback-requests", "surgeries.feedback_requests", timedelta(hours=1)) in added


def test_organisers_notes_go_with_the_other_short_lived_data(organisation, settings):
    settings.RETENTION_DAYS = 30
    day = past_day(organisation, days_ago=31)
    kept = past_session(day, index=0, organiser_note="Bring a large-print sheet")
    recent = past_session(past_day(organisation, days_ago=3), organiser_note="Needs the lift")

    retention_run()

    assert Booking.objects.get(pk=kept.pk).organiser_note == ""
    assert Booking.objects.get(pk=recent.pk).organiser_note == "Needs the lift"
