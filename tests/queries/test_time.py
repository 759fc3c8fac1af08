"""The one parser of dates and record times that readers type (API parameters, browser addresses and forms)."""

import datetime as dt

import pytest

from agreements.queries.time import FIRST, LAST, BadTime, parse_day, parse_record_time


@pytest.mark.parametrize(
    "text, day, expected",
    [
        ("2015", FIRST, dt.date(2015, 1, 1)),
        ("2015", LAST, dt.date(2015, 12, 31)),
        ("2016-02", LAST, dt.date(2016, 2, 29)),
        ("2016-02", FIRST, dt.date(2016, 2, 1)),
        ("2015-06-01", LAST, dt.date(2015, 6, 1)),
        ("2010/2012", FIRST, dt.date(2010, 1, 1)),
    ],
)
def test_an_edtf_date_stands_for_its_first_or_last_day(text, day, expected):
    assert parse_day(text, day) == expected


def test_an_empty_date_is_no_date():
    assert parse_day("  ") is None


@pytest.mark.parametrize("text", ["2015-02-30", "yesterday", "1996-06/..", "9" * 200])
def test_a_date_that_names_no_day_is_refused_with_what_to_enter(text):
    with pytest.raises(BadTime, match="EDTF|at most"):
        parse_day(text)


def test_a_record_time_without_offset_is_utc():
    assert parse_record_time("2024-06-01T00:00") == dt.datetime(2024, 6, 1, tzinfo=dt.timezone.utc)


def test_an_unreadable_record_time_is_refused():
    with pytest.raises(BadTime, match="ISO 8601"):
        parse_record_time("June 2024")


def test_a_record_time_with_an_offset_the_database_cannot_hold_is_moved_to_utc():
    from agreements.queries.time import parse_record_time

    value = parse_record_time("0014-11-07T18:57:28.35958-17:16")
    assert value.utcoffset() == dt.timedelta(0) and value.day == 8


def test_a_record_time_that_leaves_the_calendar_in_utc_is_the_first_moment_the_registry_can_hold():
    from agreements.queries.time import parse_record_time

    # Nothing is recorded before year 1 or after 9999: such a moment reads as the edge, never a 500.
    assert parse_record_time("0001-01-01T00:00:00+10:00") == dt.datetime.min.replace(tzinfo=dt.timezone.utc)
