"""``reviews.ics``: each policy's next review as an all-day event (RFC 5545), for Outlook, Google
Calendar and Apple Calendar. The same inputs give the same bytes: nothing comes from the clock."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from policypress import __version__
from policypress.content.model import Project
from policypress.reviews.schedule import review_status

CALENDAR_FILE = "reviews.ics"
_EPOCH = dt.date(2000, 1, 1)


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Fold a content line into lines of at most 75 octets (RFC 5545 3.1), never inside a
    UTF-8 character; continuation lines start with a space."""
    data = line.encode("utf-8")
    parts = []
    limit = 75
    while len(data) > limit:
        cut = limit
        while cut > 0 and (data[cut] & 0xC0) == 0x80:  # a continuation byte: step back
            cut -= 1
        parts.append(data[:cut])
        data = data[cut:]
        limit = 74  # the leading space counts
    parts.append(data)
    return "\r\n ".join(part.decode("utf-8") for part in parts)


def _day(value: dt.date) -> str:
    return value.strftime("%Y%m%d")


def render_calendar(project: Project, policy_urls: dict[str, str]) -> bytes:
    """One VEVENT per policy with a next review date. The UID is the policy's (so a calendar
    that subscribes moves the event when the date changes); SEQUENCE grows with the date, so a
    later review date supersedes an earlier one on import; DTSTAMP is the policy's last recorded
    date, not the time of the build."""
    config = project.config
    host = urlsplit(config.site.base_url).hostname or "policypress.invalid"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//policypress//policypress {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(f'{config.school.short_name}: policy reviews')}",
    ]
    for row in review_status(project, None).rows:
        if row.next_review is None:
            continue
        url = policy_urls.get(row.slug, "")
        stamp = max(
            (d for d in (row.last_reviewed, row.approved_on) if d is not None),
            default=row.next_review,
        )
        details = [f"Owner: {row.owner or 'not given'}"]
        if row.last_reviewed:
            details.append(f"Last reviewed: {row.last_reviewed.isoformat()}")
        if row.review_cycle:
            details.append(f"Review cycle: {row.review_cycle.text}")
        if row.approved_by or row.approved_on:
            on = f" on {row.approved_on.isoformat()}" if row.approved_on else ""
            details.append(f"Approved by: {row.approved_by or 'not given'}{on}")
        details.append(f"Statutory: {'yes' if row.statutory else 'no'}")
        if url:
            details.append(url)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{row.slug}.review@{host}",
            f"SEQUENCE:{(row.next_review - _EPOCH).days}",
            f"DTSTAMP:{_day(stamp)}T000000Z",
            f"DTSTART;VALUE=DATE:{_day(row.next_review)}",
            f"DTEND;VALUE=DATE:{_day(row.next_review + dt.timedelta(days=1))}",
            f"SUMMARY:{escape_text(f'Review due: {row.title}')}",
            f"DESCRIPTION:{escape_text(chr(10).join(details))}",
            *([f"URL:{url}"] if url else []),
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
