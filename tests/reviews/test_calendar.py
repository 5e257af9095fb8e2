"""reviews.ics: one all-day event per policy at its next review date, with a stable UID, that
the icalendar package reads back exactly; the same inputs give the same bytes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import icalendar

from policypress.reviews.calendar import escape_text, fold
from tests.conftest import build


def events(site: Path) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical((site / "reviews.ics").read_bytes())
    found = {}
    for event in calendar.walk("VEVENT"):
        found[str(event["UID"])] = event
    return found


def test_one_event_per_policy_at_its_next_review_date(school: Path) -> None:
    build(school, pdf_mode="none")
    found = events(school / "output" / "site")
    assert set(found) == {
        "behaviour-policy.review@sttests.sch.uk",
        "charging-policy.review@sttests.sch.uk",
        "social-media-policy.review@sttests.sch.uk",
    }
    starts = {uid.split(".")[0]: event.decoded("DTSTART") for uid, event in found.items()}
    assert starts == {
        "behaviour-policy": dt.date(2027, 1, 10),
        "charging-policy": dt.date(2027, 4, 1),
        "social-media-policy": dt.date(2028, 6, 1),  # worked out from last_reviewed + 2y
    }
    for event in found.values():
        start = event.decoded("DTSTART")
        assert not isinstance(start, dt.datetime)  # all-day
        assert event.decoded("DTEND") == start + dt.timedelta(days=1)
        assert event.decoded("DTSTAMP")  # required by RFC 5545
    social = found["social-media-policy.review@sttests.sch.uk"]
    # Commas and semicolons in the title survive the escaping.
    assert str(social["SUMMARY"]) == "Review due: Social Media Policy, Staff; Parents"
    assert str(social["URL"]) == "https://sttests.sch.uk/policies/social-media-policy/"
    behaviour = found["behaviour-policy.review@sttests.sch.uk"]
    assert "Approved by: Full Governing Body on 2026-01-15" in str(behaviour["DESCRIPTION"])
    manifest = json.loads((school / "output" / "manifest.json").read_text())
    assert {"path": "reviews.ics", "kind": "asset"}.items() <= next(
        f for f in manifest["files"] if f["path"] == "reviews.ics"
    ).items()


def test_the_calendar_is_the_same_from_build_to_build_and_follows_the_dates(
    school: Path, tmp_path: Path
) -> None:
    build(school, pdf_mode="none")
    first = (school / "output" / "site" / "reviews.ics").read_bytes()
    build(school, tmp_path / "again", pdf_mode="none", cache_dir=tmp_path / "cache2")
    assert (tmp_path / "again" / "site" / "reviews.ics").read_bytes() == first
    policy = school / "content" / "charging-policy.md"
    policy.write_text(policy.read_text().replace("2027-04-01", "2027-05-01"))
    build(school, pdf_mode="none")
    found = events(school / "output" / "site")
    event = found["charging-policy.review@sttests.sch.uk"]  # the same UID, moved
    assert event.decoded("DTSTART") == dt.date(2027, 5, 1)
    before = icalendar.Calendar.from_ical(first)
    old = next(e for e in before.walk("VEVENT") if str(e["UID"]) == str(event["UID"]))
    assert int(event["SEQUENCE"]) > int(old["SEQUENCE"])  # so an import replaces the old one


def test_lines_are_crlf_and_folded_at_75_octets_without_splitting_a_character() -> None:
    title = "Polityka dotycząca mediów społecznościowych – zażółć gęślą jaźń, ąę; " * 3
    line = "SUMMARY:" + escape_text(title)
    folded = fold(line)
    for part in folded.split("\r\n"):
        assert len(part.encode("utf-8")) <= 75
    text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
    text += "UID:x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260102\r\n"
    text += folded + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    event = next(iter(icalendar.Calendar.from_ical(text.encode()).walk("VEVENT")))
    assert str(event["SUMMARY"]) == title


def test_text_values_escape_backslashes_and_line_breaks() -> None:
    assert escape_text("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"


def test_the_shipped_calendar_holds_the_social_media_policy_review(shipped_web: Path) -> None:
    found = events(shipped_web / "site")
    assert list(found) == ["social-media-policy.review@www.example.org"]
    [event] = found.values()
    assert event.decoded("DTSTART") == dt.date(2027, 9, 1)
