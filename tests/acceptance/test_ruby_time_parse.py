"""Ruby is the oracle for dates: ``parse_time`` gives what Jekyll's ``Time.parse(text).localtime`` gives."""

from __future__ import annotations

import datetime as _dt
import json
import os
import subprocess
from zoneinfo import ZoneInfo

import pytest

from migrate.reader.dates import UnrepresentableDate, parse_time

pytestmark = pytest.mark.acceptance

NOW = _dt.datetime(2024, 6, 15, 13, 14, 15, tzinfo=_dt.timezone.utc)
ZONES = ["UTC", "Europe/Berlin", "America/Los_Angeles", "Asia/Kolkata"]
# what sites write in front matter, and the corners of Ruby's Date._parse
DATES = [
    "11-9-2017", "Fri Sep  3 11:21:31 CEST 2021", "Fri Sep  3 11:21:31 CET 2021", "Fri Sep  3 11:21:31 PDT 2021",
    "Fri Sep  3 11:21:31 PST 2021", "Fri Sep  3 11:21:31 IST 2021", "Fri Sep  3 11:21:31 2021",
    "2020-05-27 15:20", "2020-01-02", "2020-01-02 10:00:00 -0700", "2020-01-02T10:00:00Z",
    "2020-01-02 10:00:00 PST", "2020-01-02T10:00:00.5+05:30", "2023-01-29 18:30:22 2023 -0800", "2016-1-5 9:00",
    "2020-02-30", "2020-01-02 10:00:00 +01", "2020-01-02 10:00:00 +1", "2020-01-02 10:00:00 GMT+2",
    "2020-01-02 10:00:00 UTC+2", "2020-01-02 10:00:00 EST", "2020-01-02 10:00:00 z", "2020-01-02 10:00:00 J",
    "2020-01-02 10:00:00 +05:30:15", "2020-01-02 10:00 pm", "2020-01-02 10pm", "2020-01-02 12am",
    "12/25/2019", "25/12/2019", "2019/12/25", "2019/12/25 08:30", "25.12.2019", "2019.12.25", "12.25.19",
    "3 March 2018", "3rd March 2018", "March 3, 2018", "March 3rd, 2018 10:00", "Mar 3 2018", "3-Mar-2018",
    "Mar-03-2018", "Sat, 03 Mar 2018 10:11:12 +0100", "Sat, 03 Mar 2018 10:11:12 GMT", "Saturday 3 March 2018",
    "2018-03", "March 2018", "2018", "20180303", "20180303T101112", "20180303101112", "180303",
    "'18 March 3", "March '18", "H30.03.03", "2018-062", "2018-W09-6", "10:11", "10:11:12",
    "June 1", "1st", "3 Mar", "2018-03-03 10:11:12.123456 +0000", "2018-03-03 25:00", "2018-13-03",
    "2018-03-03 10:11:12 Europe/Berlin", "2018-03-03 10:11:12 CEST", "2018-07-03 10:11:12 CEST",
    "2018-03-03 10:11:12 Central Standard Time", "2018-03-03 10:11:12 PST8PDT", "99-03-03", "69-03-03",
    "68-03-03", "-2018-03-03", "5 BC", "Jan 5 10 BC", "0001-01-01", "9999-12-31 23:59:59", "10000-01-01",
    "2021-03-28 02:30:00", "2021-10-31 02:30:00", "1.2.3", "2020-1-1 1:2:3", "  2019-04-01  ", "2019-04-01 xyz",
    "not a date", "", "2020-02-29 24:00:00", "2021-02-29", "2020-12-31 23:59:60", "T", "2018-03-03t10:11:12",
    "Tue, 9 Apr 2019 20:57:43 -0700", "2019-04-09 20:57:43.000000000 -07:00", "2015-08-05 15:28:00 CST",
    "Mon, 2 Nov 2015 15:39:32 +0100", "13/08/2016 08:30", "2016-08-13 08:30:00 +0200 (CEST)", "05-10-15",
    "2019-05-28 13:15 +0000", "August 14th, 2016", "14th August 2016", "Aug 14, 2016 at 10:00 AM",
    "1. Januar 2020", "2020年1月1日", "Montag, 6. Januar 2020 10:00", "6 janvier 2020", "2020-01-01 10:00 Uhr",
    "2019-W01", "Tue Jan 1 2019", "01/02/03", "1/2", "2020-06-15T25:00:00", "2020-06-31", "2020-06-15 10:00 +5",
    "2020-06-15 10:00:00 Z", "2020-06-15 10:00 a.m.", "15 June", "June", "10h30", "2020-06-15 10:00 EDT dst",
    "Sun, 15 Jun 2020 10:00:00 MEZ", "2020-06-15 10:00:00 Pacific Standard Time", "-0001-01-01", "020-06-15",
]

_PROBE = r"""
require "time"
require "json"
now = Time.at(ARGV[0].to_i).utc
out = JSON.parse(STDIN.read).map do |s|
  begin
    t = Time.parse(s, now).localtime
    [t.to_i, t.nsec / 1000, t.utc_offset]
  rescue ArgumentError, RangeError => e
    nil
  end
end
puts JSON.generate(out)
"""


def _ruby(zone: str) -> list[list[int] | None]:
    proc = subprocess.run(
        ["ruby", "-e", _PROBE, str(int(NOW.timestamp()))], input=json.dumps(DATES), capture_output=True,
        text=True, timeout=120, env={**os.environ, "TZ": zone}, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


@pytest.mark.parametrize("zone", ZONES)
def test_parse_time_equals_ruby_time_parse(zone):
    expected = _ruby(zone)
    mismatches, unrepresentable = [], []
    for text, want in zip(DATES, expected):
        try:
            got = parse_time(text, ZoneInfo(zone), NOW)
            ours: list[int] | None = [int(got.timestamp() // 1), got.microsecond, int(got.utcoffset().total_seconds())]
        except UnrepresentableDate:
            unrepresentable.append(text)
            continue
        except ValueError:
            ours = None
        if ours != want:
            mismatches.append((text, want, ours))
    print(f"\nDATES zone={zone} strings={len(DATES)} mismatches={len(mismatches)} "
          f"outside-years-1-9999={len(unrepresentable)}")
    for item in mismatches:
        print("MISMATCH", item)
    assert mismatches == []
    # Ruby has years before 1 and after 9999 (within a day of them, a zone may cross the edge); those, and
    # only those, are refused as such
    lowest = _dt.datetime(1, 1, 2, tzinfo=_dt.timezone.utc).timestamp()
    highest = _dt.datetime(9999, 12, 30, tzinfo=_dt.timezone.utc).timestamp()
    wanted = dict(zip(DATES, expected))
    assert [t for t in unrepresentable if wanted[t] is None or lowest < wanted[t][0] < highest] == []
