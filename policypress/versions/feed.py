"""``feed.xml``: an Atom feed (RFC 4287) of the versions published across all policies, one per
language. Its dates come from the release records, never the clock, so an unchanged archive
gives the same bytes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

ATOM_NS = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class FeedEntry:
    id: str  # a permanent IRI: the version's own address
    title: str
    link: str  # absolute
    updated: dt.date
    summary: str


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def render_feed(
    *,
    lang: str,
    title: str,
    feed_url: str,
    home_url: str,
    author: str,
    entries: Sequence[FeedEntry],
    fallback_updated: dt.date,
) -> bytes:
    """The Atom document: newest entry first, ``updated`` the newest entry's date (or
    ``fallback_updated`` when nothing has been released yet)."""
    ordered = sorted(entries, key=lambda e: (e.updated, e.id), reverse=True)
    updated = ordered[0].updated if ordered else fallback_updated
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f"<feed xmlns={quoteattr(ATOM_NS)} xml:lang={quoteattr(lang)}>",
        f"  <id>{escape(feed_url)}</id>",
        f"  <title>{escape(title)}</title>",
        f"  <updated>{_timestamp(updated)}</updated>",
        f"  <author><name>{escape(author)}</name></author>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(feed_url)}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(home_url)}/>',
    ]
    for entry in ordered:
        lines += [
            "  <entry>",
            f"    <id>{escape(entry.id)}</id>",
            f"    <title>{escape(entry.title)}</title>",
            f"    <updated>{_timestamp(entry.updated)}</updated>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(entry.link)}/>',
            f"    <summary>{escape(entry.summary)}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")
