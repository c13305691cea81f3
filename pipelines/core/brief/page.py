"""The brief as one HTML page: headline numbers, charts, the largest stories and their sources.

The Vega/Vega-Lite/vega-embed bundle comes from vl-convert (the versions Altair's specs are written for)
and is embedded once; each chart is a spec handed to vegaEmbed. Everything taken from articles is
escaped: a headline cannot inject markup, and JSON inside <script> cannot close the tag.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import vl_convert
from altair.utils._importers import vl_version_for_vl_convert

from pipelines.core.atomic_files import write_atomically
from pipelines.core.brief import charts

# The page says which data it shows, so a run whose published data did not change can keep it.
VERSION_META = "news-brief-version"


@cache
def renderer_version() -> str:
    """Changes when the brief's code, its SQL or the JavaScript bundle changes."""
    from pipelines.core.storage import SQL_DIR

    digest = hashlib.sha256(vl_convert.__version__.encode())
    for path in sorted(
        [
            *Path(__file__).parent.glob("*.py"),
            *(SQL_DIR / "statements").glob("brief_*.sql"),
            SQL_DIR / "statements" / "warehouse_totals.sql",
        ]
    ):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@cache
def _bundled(vl_convert_version: str, vl_version: str) -> str:
    """vega, vega-lite and vega-embed as one script; a literal "</script" in it would end the tag early.
    Kept per process by version, whichever warehouse the page is for: a process that renders briefs
    for several warehouses (the test suite, a notebook) bundles once."""
    return vl_convert.javascript_bundle(vl_version=vl_version).replace("</script", "<\\/script")


def _vega_bundle(cache_dir: Path | None) -> str:
    """The script for this vl-convert version. Bundling takes vl-convert ~1.5 s, the largest part of
    rendering the page, for a result that only changes with its version: it is kept in `cache_dir` (when
    given), so a run that adds one article does not pay it again."""
    version = vl_version_for_vl_convert()
    cached = cache_dir / f"vega-bundle-{vl_convert.__version__}-{version}.js" if cache_dir else None
    if cached is not None and cached.is_file():
        return cached.read_text(encoding="utf-8")
    bundle = _bundled(vl_convert.__version__, version)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(cached, bundle)  # a concurrent renderer sees the whole bundle or none
    return bundle


@dataclass
class BriefData:
    """What the page shows; every list is already aggregated and bounded by the SQL that made it."""

    totals: dict[str, Any]
    days: int  # the window of reports the charts and lists count (stages.brief.RECENT_DAYS)
    events_per_day: list[dict[str, Any]] = field(default_factory=list)
    participants: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    stories: list[dict[str, Any]] = field(default_factory=list)
    places: list[dict[str, Any]] = field(default_factory=list)

    def version(self) -> str:
        """Identifies the page's content: the published data version and the renderer."""
        return f"{self.totals.get('data_version', 0)}-{renderer_version()}"


def _script_json(value: Any) -> str:
    return json.dumps(value, default=str).replace("</", "<\\/")


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


# The cards: (key of warehouse_totals, label, what it counts). The first five are the totals `make run`
# prints; countable events are what the charts below count.
_CARDS = [
    ("documents", "documents", "inputs as received (files, feed entries, pages): make run's documents total"),
    ("articles", "articles", "cleaned articles, exact copies merged: make run's articles total"),
    ("reports", "distinct reports", "articles that are not a near-duplicate copy of another report"),
    ("stories", "stories", "reports of one happening grouped: make run's stories total"),
    ("coded_events", "coded events", "every event the coder found: make run's events total"),
    (
        "events",
        "countable events",
        "coded events of distinct reports, not negated or hypothetical, without those an analyst dropped",
    ),
    ("entities", "entities", "people, organisations, countries and places"),
    ("rejects", "rejects", "inputs that could not be read or cleaned: make run's rejects total"),
]


def _totals(totals: dict[str, Any]) -> str:
    cards = "".join(
        f'<div class="card" title="{_e(meaning)}"><b>{int(totals.get(key) or 0):,}</b><span>{_e(label)}</span></div>'
        for key, label, meaning in _CARDS
    )
    note = (
        "Totals of the whole warehouse; documents, articles, stories, coded events and rejects are the totals "
        "<code>make run</code> prints. Countable events leave out negated and hypothetical events and the copies "
        "of a report: they are what the charts count."
    )
    return f'<div class="cards">{cards}</div><p class=note>{note}</p>'


def when(value: datetime | date | str | None) -> str:
    """A timestamp as people read it: "29 Dec 2020" for a date (or midnight), "6 Dec 2026, 16:12 UTC"
    otherwise (the warehouse keeps UTC without a zone); "" for none."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return f"{value.day} {value:%b %Y}"
    if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
        return f"{value.day} {value:%b %Y}"
    return f"{value.day} {value:%b %Y, %H:%M} UTC"


def outlets(story: dict[str, Any]) -> str:
    """Who carried a story, as the page and the asset metadata list it: named outlets, then how many
    articles name none."""
    named = story["sources"] or ""
    unnamed = int(story.get("unnamed") or 0)
    if not unnamed:
        return named
    others = f"{unnamed} article{'s' if unnamed != 1 else ''} naming no outlet"
    return f"{named}; {others}" if named else others


def _stories_table(stories: Sequence[dict[str, Any]]) -> str:
    if not stories:
        return '<p class="empty">No stories yet.</p>'
    rows = "".join(
        "<tr>"
        f"<td>{_e(s['title'])}</td><td class=n>{_e(s['articles'])}</td><td class=n>{_e(s['events'])}</td>"
        f"<td>{_e(when(s['first_published_at']))}</td><td class=src>{_e(outlets(s))}</td>"
        "</tr>"
        for s in stories
    )
    head = "<tr><th>story</th><th>articles</th><th>events</th><th>first published</th><th>outlets</th></tr>"
    return f'<table class="stories">{head}{rows}</table>'


_CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2933;
       background: #f7f9fb; }
header, main { max-width: 900px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 4px; }
p.note, p.empty { color: #52606d; margin: 0 0 10px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 18px 0 6px; }
.card { background: white; border: 1px solid #e4e7eb; border-radius: 8px; padding: 10px 14px; min-width: 92px; }
.card b { display: block; font-size: 22px; }
.card span { color: #52606d; font-size: 13px; }
.chart { background: white; border: 1px solid #e4e7eb; border-radius: 8px; padding: 12px; overflow-x: auto; }
table.stories { width: 100%; border-collapse: collapse; background: white; font-size: 14px; }
table.stories th, table.stories td { border-bottom: 1px solid #e4e7eb; padding: 6px 8px; text-align: left;
                                      vertical-align: top; }
td.n { text-align: right; }
td.src { color: #52606d; font-size: 13px; }
code { font-size: 13px; }
footer { max-width: 900px; margin: 30px auto; padding: 0 24px; color: #7b8794; font-size: 12px; }
"""


def _chart_section(chart_id: str, title: str, note: str, has_data: bool) -> str:
    body = f'<div class="chart" id="{chart_id}"></div>' if has_data else '<p class="empty">Nothing to show yet.</p>'
    return f"<section><h2>{_e(title)}</h2><p class=note>{_e(note)}</p>{body}</section>"


def render_page(data: BriefData, generated_at: datetime, source: str, bundle_cache: Path | None = None) -> str:
    """The whole page as text: about 1 MB, almost all of it the embedded JavaScript and world outline.
    `bundle_cache`: a folder where the JavaScript bundle is kept between processes."""
    specs: dict[str, dict[str, Any]] = {}
    sections = []
    for chart_id, title, note, rows, build in [
        (
            "events-per-day",
            "Events over time, by type",
            f"Countable events of the reports taken in over the last {data.days} days, on a time axis: an "
            "event's day is its own date when the text fixes it, else its article's publication date. Events of "
            "reports that state no date are counted apart (no date): the day the pipeline took them in is not "
            "when they happened.",
            data.events_per_day,
            charts.events_per_day,
        ),
        (
            "participants",
            "Top actors and recipients",
            f"Who acts and who is acted upon in the reports taken in over the last {data.days} days, by linked "
            "entity (else as written).",
            data.participants,
            charts.participants,
        ),
        (
            "entities",
            "Top entities",
            f"People, organisations, countries and places by the number of distinct reports taken in over the "
            f"last {data.days} days naming them.",
            data.entities,
            charts.top_entities,
        ),
    ]:
        if rows:
            specs[chart_id] = build(rows)
        sections.append(_chart_section(chart_id, title, note, bool(rows)))
    sections.append(
        "<section><h2>Largest recent stories</h2><p class=note>Stories that gained articles in the week up to the "
        "latest one, largest first, with the outlets that carried them (the site's or feed's name, or the agency "
        "of a dateline).</p>"
        f"{_stories_table(data.stories)}</section>"
    )
    specs["map"] = charts.event_map(data.places)
    sections.append(
        _chart_section(
            "map",
            "Where events happened",
            f"{len(data.places)} geocoded places of the events of the reports taken in over the last "
            f"{data.days} days (circle size: events; places too close to name are in the tooltips); countries: "
            "Natural Earth 1:110m.",
            True,
        )
    )
    embeds = "\n".join(
        f"vegaEmbed('#{chart_id}', {_script_json(spec)}, {{renderer: 'svg', actions: false}}).catch(showError);"
        for chart_id, spec in specs.items()
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="{VERSION_META}" content="{_e(data.version())}">
<title>News brief</title>
<style>{_CSS}</style>
<script>{_vega_bundle(bundle_cache)}</script>
</head>
<body>
<header>
<h1>News brief</h1>
<p class=note>{_e(source)} · generated {_e(when(generated_at.replace(second=0, microsecond=0)))} · latest
article taken in {_e(when(data.totals.get("last_article_at")) or "none yet")}</p>
{_totals(data.totals)}
</header>
<main>
{"".join(sections)}
</main>
<footer>Made by the analyst_brief asset from the published warehouse (data version
{_e(data.totals.get("data_version"))}). Charts: Vega-Lite, rendered in this page; nothing is loaded from the
network.</footer>
<script>
function showError(error) {{
  const message = document.createElement('p');
  message.className = 'chart-error';
  message.textContent = 'A chart could not be drawn: ' + String(error);
  document.body.appendChild(message);
}}
{embeds}
</script>
</body>
</html>
"""


def page_version(text_head: str) -> str | None:
    """The version a rendered page declares (None when it declares none), from the start of its text."""
    marker = f'<meta name="{VERSION_META}" content="'
    start = text_head.find(marker)
    if start < 0:
        return None
    start += len(marker)
    end = text_head.find('"', start)
    return html.unescape(text_head[start:end]) if end > start else None
