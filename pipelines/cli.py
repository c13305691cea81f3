"""Command line: `python -m pipelines run` (what `make run` calls), `poll` (`make poll`), `backfill` (for
`make backfill`), `sql-init` (for `make sql`) and `schema-doc` (for `make docs`).

`run` executes the same Dagster job the sensor and the UI launch, in this process, against the Dagster
instance in $DAGSTER_HOME, so the run shows up in the UI's history like any other.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.core.settings import PROJECT_ROOT, Settings


def _quiet_dagster() -> None:
    warnings.filterwarnings("ignore", module="dagster")
    warnings.filterwarnings("ignore", message=".*is currently in beta.*")
    warnings.filterwarnings("ignore", message=".*is currently in preview.*")


def run(args: argparse.Namespace) -> int:
    """Ingest the seed folder (and, with a sources file, poll the due sources) in one run; print a summary.
    Exit 0 when the run succeeded (failing sources are listed, not an error), 1 when it failed, 2 on a
    usage error."""
    from pipelines.core.sources.registry import feed_shard_keys
    from pipelines.core.sources.seed_folder import all_shard_keys

    settings = Settings.from_env()
    if not settings.seeds_dir.is_dir():
        print(
            f"Seed folder {settings.seeds_dir} does not exist: create it or set NEWS_SEEDS_DIR.",
            file=sys.stderr,
        )
        return 2
    # With a sources file, the feed batches follow the seed batches (one contiguous range, one run).
    keys = all_shard_keys() + (feed_shard_keys() if settings.has_sources else [])
    if args.partitions:
        try:
            keys = _partition_range(keys, args.partitions)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
    if not _dagster_home():
        return 2
    outcome = _ingest(settings, keys, {"launched_by": "make run"}, args.log_level)
    if outcome is None:
        return 1
    what = _shown(settings.seeds_dir)
    if settings.has_sources and settings.sources_file is not None:
        what += f" and {_shown(settings.sources_file)}"
    _print_summary(what, settings, outcome)
    return 0


def poll(args: argparse.Namespace) -> int:
    """Poll the sources file's feeds and pages in one run: the due ones, or with --now every one (or the one
    named) whatever its schedule says. Exit 0 when every source polled succeeded, 3 when the run succeeded
    but a source failed (each is listed with its reason), 1 when the run failed, 2 on a usage error."""
    from pipelines.core.sources.registry import feed_batch_key, feed_shard_keys
    from pipelines.core.sources.sources_file import SourcesFileError, find_source, load_sources

    settings = Settings.from_env()
    if not settings.has_sources or settings.sources_file is None:
        print(
            f"No sources file at {settings.sources_file}: list feeds and pages in sources.yaml (see "
            "sources.example.yaml) or set NEWS_SOURCES_FILE.",
            file=sys.stderr,
        )
        return 2
    keys, poll_now = feed_shard_keys(), "all" if args.now else None
    if args.source:
        try:
            found = find_source(load_sources(settings.sources_file), args.source)
        except SourcesFileError as exc:
            print(f"{exc}: fix the file to poll one of its sources.", file=sys.stderr)
            return 2
        if found is None:
            print(
                f"No source named {args.source!r} in {_shown(settings.sources_file)} (give its name, URL or "
                "id as written there).",
                file=sys.stderr,
            )
            return 2
        keys = [feed_batch_key(found.source_id)]
        poll_now = found.source_id if args.now else None
    if not _dagster_home():
        return 2
    # Imported past the usage errors: the job's definitions (Dagster, spaCy) take ~1.5 s of CPU to load.
    from pipelines.defs.common import POLL_NOW_TAG

    tags = {"launched_by": "make poll"} | ({POLL_NOW_TAG: poll_now} if poll_now else {})
    outcome = _ingest(settings, keys, tags, args.log_level)
    if outcome is None:
        return 1
    _print_summary(_shown(settings.sources_file), settings, outcome)
    return 3 if outcome.feeds and outcome.feeds["failed"] else 0


def _dagster_home() -> bool:
    """Runs are recorded in the Dagster instance of $DAGSTER_HOME (the one `make ui` shows)."""
    if not os.environ.get("DAGSTER_HOME"):
        print("DAGSTER_HOME is not set: use `make run`, or export DAGSTER_HOME=$PWD/.dagster", file=sys.stderr)
        return False
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    return True


@dataclass(frozen=True)
class Outcome:
    """What a run did, for its summary."""

    summary: dict[str, int]
    feeds: dict[str, int] | None
    failing: list[dict[str, Any]]
    seconds: float
    published: str  # where analysts read the warehouse (a file, or the lake's catalog)
    directory: Path  # the warehouse folder (the brief is written there)


def _ingest(settings: Settings, keys: list[str], tags: dict[str, str], log_level: str) -> Outcome | None:
    """One run of the ingest job over the partitions keys[0]..keys[-1] in this process, recorded in the
    Dagster instance of $DAGSTER_HOME; what the run did (None when it failed, said on stderr)."""
    _quiet_dagster()
    import dagster as dg

    from pipelines.core.sources.sources_file import SourcesFileError, load_sources
    from pipelines.core.storage import open_storage
    from pipelines.definitions import defs
    from pipelines.defs.common import range_tags
    from pipelines.defs.run_guard import process_tags, reclaim_dead_runs

    try:
        load_sources(settings.sources_file)
    except SourcesFileError as exc:
        print(f"Warning: {exc}. Feeds and pages are polled as last read; fix the file.", file=sys.stderr)
    started = time.monotonic()
    instance = dg.DagsterInstance.get()
    for message in reclaim_dead_runs(instance):
        print(message, file=sys.stderr)
    result = defs.resolve_job_def("ingest").execute_in_process(
        instance=instance,
        tags={**range_tags(keys[0], keys[-1]), **tags, **process_tags()},
        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
        raise_on_error=False,
    )
    elapsed = time.monotonic() - started
    if not result.success:
        print(
            f"Run {result.run_id} failed; see the messages above, or the run in the Dagster UI (make ui).",
            file=sys.stderr,
        )
        return None
    warehouse = open_storage(settings)
    with warehouse.session() as session:
        summary = session.query("run_summary", run_id=result.run_id)[0]
        feeds = session.query("feed_run_summary", run_id=result.run_id)[0] if settings.has_sources else None
        failing = session.query("failing_sources", run_id=result.run_id) if settings.has_sources else []
    return Outcome(summary, feeds, failing, elapsed, warehouse.published_location, warehouse.directory)


def _partition_range(keys: list[str], wanted: str) -> list[str]:
    """The contiguous range of `keys` from the first to the last partition named in `wanted` (a run
    covers one range, as the seed sensor's runs do)."""
    named = [k.strip() for k in wanted.split(",") if k.strip()]
    unknown = [k for k in named if k not in keys]
    if unknown or not named:
        raise ValueError(f"unknown partition(s) {', '.join(unknown) or wanted!r}; they are {keys[0]} … {keys[-1]}")
    positions = sorted(keys.index(k) for k in named)
    return keys[positions[0] : positions[-1] + 1]


def _print_summary(what: str, settings: Settings, outcome: Outcome) -> None:
    """What `make run` and `make poll` print: the table, the sources' line and each failing source."""
    s, feeds, failing = outcome.summary, outcome.feeds, outcome.failing
    rows = [
        ("documents", s["documents_new"], f"{s['files_unchanged']} files unchanged", s["documents_total"]),
        ("articles", s["articles_new"], f"{s['articles_updated']} updated", s["articles_total"]),
        ("duplicates", s["duplicates_new"], "documents repeating an article", s["duplicates_total"]),
        ("near-dups", s["near_dups_new"], "articles copying another report", s["near_dups_total"]),
        ("rejects", s["rejects_new"], "see the rejects table", s["rejects_total"]),
        ("stories", s["stories_new"], f"{s['stories_articles']} articles clustered", s["stories_total"]),
        ("events", s["events_new"], "coded actions (table events)", s["events_total"]),
    ]
    print(f"Ingested {what} in {outcome.seconds:.1f} s")
    print(f"  {'':<11}{'new':>6}  {'':<32}{'total':>7}")
    for name, new, note, total in rows:
        print(f"  {name:<11}{new:>6}  {note:<32}{total:>7}")
    if feeds is not None:
        print(
            f"Sources: {feeds['polled']} polled ({feeds['unchanged']} unchanged, {feeds['failed']} failed), "
            f"{feeds['entries_new']} new feed entries; {feeds['sources_enabled']} enabled, "
            f"{feeds['sources_failing']} failing{':' if failing else ''}"
        )
        for source in failing:
            print(f"  {_source_problem(source)}")
    published = outcome.published
    shown, sql = (published, "cluster-sql") if settings.warehouse_url else (_shown(Path(published)), "sql")
    print(f"Warehouse: {shown}  (query it: make {sql})")
    brief = outcome.directory / "brief.html"
    if brief.is_file():
        print(f"Brief:     {_shown(brief)}  (open it in a browser)")


def _source_problem(source: dict[str, Any]) -> str:
    """One failing or invalid source as the summary lists it: what it is, why, and what happens next."""
    name = source["url"] if not source["name"] else f"{source['name']} ({source['url']})"
    if source["status"] == "invalid":
        return f"invalid  {name}: {source['last_error']} (fix its entry in the sources file)"
    when = "failed in this run" if source["failed_in_run"] else "not polled in this run"
    retry = source["next_poll_at"]
    again = f"; next try {retry:%Y-%m-%d %H:%M} UTC" if retry is not None else ""
    failures = source["consecutive_failures"]
    return (
        f"failing  {name}: {source['last_error']} ({when}, {failures} failure{'s' if failures != 1 else ''} "
        f"in a row{again})"
    )


def _shown(path: Path) -> str:
    """Paths inside the project are shown relative to it, as a user typed them."""
    try:
        return str(path.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


_BACKFILL = """
mutation Backfill($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on Error { message }
  }
}"""


def partition_names(spec: str, keys: Sequence[str]) -> list[str]:
    """The partitions named by `spec`: comma-separated keys and ranges `first...last` (both included, in
    the order of `keys`, e.g. `seeds-00...seeds-15`), each once, in the order of `keys`."""
    position = {key: index for index, key in enumerate(keys)}
    chosen: set[int] = set()
    for item in (part.strip() for part in spec.split(",")):
        if not item:
            continue
        first, dots, last = item.partition("...")
        ends = [first.strip(), last.strip()] if dots else [item]
        unknown = [end for end in ends if end not in position]
        if unknown:
            raise ValueError(f"unknown partition {unknown[0]!r} (partitions: {keys[0]} … {keys[-1]})")
        start, stop = position[ends[0]], position[ends[-1]]
        if start > stop:
            raise ValueError(f"empty range {item!r}: {ends[0]} comes after {ends[-1]}")
        chosen.update(range(start, stop + 1))
    if not chosen:
        raise ValueError("no partitions given")
    return [keys[index] for index in sorted(chosen)]


def backfill(args: argparse.Namespace) -> int:
    """Submit an asset backfill to the running Dagster (make ui): the daemon runs it as one run per
    contiguous range of partitions, with progress on the UI's Backfills page."""
    _quiet_dagster()
    import httpx

    from pipelines.definitions import ALL_ASSETS
    from pipelines.defs.common import BATCHES

    selection = [{"path": list(key.path)} for asset in ALL_ASSETS for key in asset.keys]
    params: dict[str, object] = {"assetSelection": selection}
    if args.partitions:
        try:
            params["partitionNames"] = partition_names(args.partitions, BATCHES.get_partition_keys())
        except ValueError as exc:
            print(f"--partitions {args.partitions}: {exc}", file=sys.stderr)
            return 2
    else:
        params["allPartitions"] = True
    try:
        response = httpx.post(
            f"{args.url}/graphql", json={"query": _BACKFILL, "variables": {"params": params}}, timeout=30
        )
        response.raise_for_status()
    except httpx.HTTPError as exc:
        print(
            f"Cannot reach Dagster at {args.url} ({exc}). Start it with `make ui`, or run the batch "
            "synchronously with `make run`.",
            file=sys.stderr,
        )
        return 2
    result = response.json().get("data", {}).get("launchPartitionBackfill") or {}
    if result.get("__typename") != "LaunchBackfillSuccess":
        print(f"Dagster refused the backfill: {result.get('message') or response.text}", file=sys.stderr)
        return 1
    print(f"Backfill {result['backfillId']} submitted: {args.url}/runs/b/{result['backfillId']}")
    return 0


def sql_init(_: argparse.Namespace) -> int:
    """The statement `make sql` passes to the DuckDB CLI: load FTS from the pinned package, no network."""
    from pipelines.core.storage import fts_extension_path

    print(f"LOAD '{fts_extension_path()}';")
    return 0


def schema_doc(_: argparse.Namespace) -> int:
    """Regenerate warehouse/README.md from the schema's COMMENT ON metadata (what `make docs` runs)."""
    from pipelines.core.schema_page import PAGE, build_page

    text = build_page()
    if PAGE.is_file() and PAGE.read_text("utf-8") == text:
        print(f"{_shown(PAGE)} is up to date")
    else:
        PAGE.write_text(text, encoding="utf-8")
        print(f"Wrote {_shown(PAGE)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", help="ingest the seed folder through the Dagster job and print a summary")
    p_run.add_argument("--log-level", default="WARNING", help="Dagster console log level (default WARNING)")
    p_run.add_argument(
        "--partitions", help="only these batches, e.g. seeds-03 (a run covers the range from the first to the last)"
    )
    p_run.set_defaults(func=run)
    p_poll = sub.add_parser(
        "poll",
        help="poll the sources file's due feeds and pages (--now: all of them, or SOURCE) and print a summary; "
        "exit 3 when a source failed",
    )
    p_poll.add_argument("source", nargs="?", help="only this source: its name, URL or id in the sources file")
    p_poll.add_argument("--now", action="store_true", help="whatever their schedule or back-off says")
    p_poll.add_argument("--log-level", default="WARNING", help="Dagster console log level (default WARNING)")
    p_poll.set_defaults(func=poll)
    p_backfill = sub.add_parser("backfill", help="submit a backfill (all partitions, or --partitions) to make ui")
    p_backfill.add_argument(
        "--partitions", help="comma-separated partition keys and ranges, e.g. seeds-03,seeds-07 or seeds-00...seeds-15"
    )
    p_backfill.add_argument("--url", default="http://127.0.0.1:3000", help="Dagster webserver (default: make ui's)")
    p_backfill.set_defaults(func=backfill)
    sub.add_parser("sql-init", help="print the DuckDB CLI init statement").set_defaults(func=sql_init)
    sub.add_parser("schema-doc", help="regenerate warehouse/README.md from the schema").set_defaults(func=schema_doc)
    args = parser.parse_args(argv)
    return int(args.func(args))
