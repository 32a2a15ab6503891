"""Wall-clock due times at the venue, across both Europe/London clock changes."""

from datetime import UTC, datetime, time

from outbox.scheduling import local_time_on

LONDON = "Europe/London"


def test_local_time_on_the_evening_before_the_spring_change_keeps_its_local_hour():
    # Clocks go forward at 01:00 UTC on 29 March 2026: the evening before is still GMT.
    day_starts = datetime(2026, 3, 29, 9, 0, tzinfo=UTC)  # 10:00 BST

    assert local_time_on(day_starts, zone=LONDON, days=-1, at=time(18, 0)) == datetime(2026, 3, 28, 18, 0, tzinfo=UTC)


def test_local_time_on_the_morning_after_the_autumn_change_keeps_its_local_hour():
    # Clocks go back at 01:00 UTC on 25 October 2026: the morning after is GMT again.
    day_ends = datetime(2026, 10, 24, 15, 0, tzinfo=UTC)  # 16:00 BST

    assert local_time_on(day_ends, zone=LONDON, days=1, at=time(10, 0)) == datetime(2026, 10, 25, 10, 0, tzinfo=UTC)


def test_local_time_on_counts_days_from_the_local_date_not_the_utc_one():
    just_after_midnight_in_london = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # 1 July, 00:30 BST

    assert local_time_on(just_after_midnight_in_london, zone=LONDON, days=1, at=time(10, 0)) == datetime(
        2026, 7, 2, 9, 0, tzinfo=UTC
    )
