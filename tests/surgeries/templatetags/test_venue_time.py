from datetime import date

from surgeries.templatetags.venue_time import venue_datetime, venue_time
from tests.factories import local_datetime


def test_summer_time_is_shown_as_bst():
    starts = local_datetime(date(2027, 7, 6), 10)

    assert venue_datetime(starts, "Europe/London") == "Tuesday 6 July 2027, 10:00 BST"
    assert starts.hour == 9  # stored in UTC


def test_winter_time_is_shown_as_gmt():
    assert venue_time(local_datetime(date(2027, 1, 5), 10), "Europe/London") == "10:00 GMT"


def test_day_after_clocks_go_forward_keeps_wall_clock_time():
    # Clocks went forward at 01:00 UTC on Sunday 28 March 2027.
    saturday = local_datetime(date(2027, 3, 27), 10)
    sunday = local_datetime(date(2027, 3, 28), 10)

    assert venue_time(saturday, "Europe/London") == "10:00 GMT"
    assert venue_time(sunday, "Europe/London") == "10:00 BST"
    assert (sunday - saturday).total_seconds() == 23 * 3600


def test_other_venue_zones_show_their_own_abbreviation():
    assert venue_time(local_datetime(date(2027, 1, 5), 10, zone="America/New_York"), "America/New_York") == (
        "10:00 EST"
    )
