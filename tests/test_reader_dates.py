"""Dates as Jekyll reads them: Ruby's Time.parse leniency, Psych's UTC timestamps, the site time zone."""

from __future__ import annotations

import datetime as _dt
from zoneinfo import ZoneInfo

import pytest

from migrate.reader.dates import jekyll_date, parse_time

LA = ZoneInfo("America/Los_Angeles")
UTC = _dt.timezone.utc


@pytest.mark.parametrize(
    "text,expected_utc",
    [
        ("2020-05-27 15:20", "2020-05-27T22:20:00+00:00"),  # no seconds: local (LA, summer)
        ("2020-01-02", "2020-01-02T08:00:00+00:00"),  # date only: local midnight
        ("2020-01-02 10:00:00 -0700", "2020-01-02T17:00:00+00:00"),
        ("2020-01-02T10:00:00Z", "2020-01-02T10:00:00+00:00"),
        ("2020-01-02 10:00:00 PST", "2020-01-02T18:00:00+00:00"),
        ("2020-01-02T10:00:00.5+05:30", "2020-01-02T04:30:00.500000+00:00"),
        ("2023-01-29 18:30:22 2023 -0800", "2023-01-30T02:30:22+00:00"),  # zone not right after time: ignored
        ("2016-1-5 9:00", "2016-01-05T17:00:00+00:00"),
        ("2020-02-30", "2020-03-01T08:00:00+00:00"),  # Ruby rolls day 30 of February over
    ],
)
def test_parse_time_like_ruby(text, expected_utc):
    assert parse_time(text, LA).astimezone(UTC).isoformat() == expected_utc


@pytest.mark.parametrize("text", ["2020-13-01", "2020-01-32", "not a date", ""])
def test_impossible_dates_raise(text):
    with pytest.raises(ValueError):
        parse_time(text, LA)


def test_result_is_in_the_site_zone():
    value = parse_time("2020-01-02 03:00:00 +0000", LA)
    assert value.tzinfo == LA
    assert (value.year, value.month, value.day, value.hour) == (2020, 1, 1, 19)


def test_yaml_timestamp_without_offset_is_utc_like_psych():
    naive = _dt.datetime(2020, 1, 2, 5, 0, 0)
    assert jekyll_date(naive, LA).isoformat() == "2020-01-01T21:00:00-08:00"


def test_yaml_date_is_local_midnight():
    assert jekyll_date(_dt.date(2020, 3, 15), LA).isoformat() == "2020-03-15T00:00:00-07:00"


def test_aware_timestamp_moves_into_site_zone():
    aware = _dt.datetime(2020, 1, 10, 23, 30, tzinfo=_dt.timezone(_dt.timedelta(hours=-11)))
    assert jekyll_date(aware, UTC).date() == _dt.date(2020, 1, 11)


@pytest.mark.parametrize("value", [3.5, 2017, True, ["2020-01-01"], None])
def test_non_dates_raise(value):
    with pytest.raises(ValueError):
        jekyll_date(value, UTC)


def test_a_number_is_read_as_its_ruby_string():
    # Jekyll parses ``date.to_s``: "12345" is year 12 (2012), day 345 for Ruby's Date._parse
    assert jekyll_date(12345, UTC).isoformat() == "2012-12-10T00:00:00+00:00"


@pytest.mark.parametrize(
    "text,zone,expected",
    [
        ("11-9-2017", "UTC", "2017-09-11T00:00:00+00:00"),  # day-month-year: a long last number is the year
        # CEST is no abbreviation of Time.zone_offset: a local time, unless the local zone is called CEST
        ("Fri Sep  3 11:21:31 CEST 2021", "UTC", "2021-09-03T11:21:31+00:00"),
        ("Fri Sep  3 11:21:31 CEST 2021", "Europe/Berlin", "2021-09-03T11:21:31+02:00"),
        ("Fri Sep  3 11:21:31 CET 2021", "Europe/Berlin", "2021-09-03T12:21:31+02:00"),
        ("2021-10-31 02:30:00", "Europe/Berlin", "2021-10-31T02:30:00+01:00"),  # twice on the clock: the second
    ],
)
def test_dates_ruby_reads(text, zone, expected):
    assert parse_time(text, ZoneInfo(zone), _dt.datetime(2024, 1, 1, tzinfo=UTC)).isoformat() == expected


@pytest.mark.parametrize("text", ["2020-01-02", "2020-1-2", "0999-12-31", "2021-02-29", "2020-13-40", "9999-99-99"])
def test_the_plain_date_shortcut_gives_what_the_rules_give(text):
    from migrate.reader.dates import _date_parse, date_parse

    assert date_parse(text) == _date_parse(text)
