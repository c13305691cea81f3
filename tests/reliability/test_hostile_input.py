"""Hostile and broken input: whatever bytes arrive, each input ends as an article or a reject with a
reason, no run crashes, and text is never interpreted as SQL."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.core.articles import CleanArticle, DocumentIn, Rejection, build_article
from pipelines.core.formats import HTML, JSONL, MARKDOWN, TEXT
from pipelines.core.settings import Settings
from tests.conftest import SEEDS, too_deep_folder
from tests.integration.helpers import materialize_all, published_rows, working_rows
from tests.reliability.cli_run import cli_env, dagster_home, run_cli

NOW = datetime(2026, 11, 21)
CONTENT_TYPES = [TEXT, MARKDOWN, HTML, JSONL]

# Text that looks like news some of the time and like garbage the rest: lines, furniture, markup, JSON.
_fragments = st.sampled_from(
    [
        "Headline here",
        "",
        "2 min read",
        "29 December, 2020",
        "Reuters, Moscow :",
        "block",
        "<p>",
        "</div>",
        '{"title": "x", "text": "y"}',
        "---",
        "title: x",
        "# Heading",
        "[link](http://x)",
        "\x00",
        "\ufeff",
        "Кремль заявил",
        "Café “quoted”",
        "MOSCOW (Reuters) - The Kremlin said on Tuesday that talks continue.",
    ]
)
_texty = st.lists(st.one_of(_fragments, st.text(max_size=80)), max_size=30).map("\n".join)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(st.binary(max_size=4096), _texty.map(lambda t: t.encode("utf-8", "surrogatepass"))),
    content_type=st.sampled_from(CONTENT_TYPES),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]),
)
def test_any_bytes_become_an_article_or_a_reject(data: bytes, content_type: str, encoding: str) -> None:
    with contextlib.suppress(UnicodeDecodeError, UnicodeEncodeError):
        data = data.decode("utf-8").encode(encoding)
    doc = DocumentIn("d", "seeds-00", "seeds/x", None, content_type, data, NOW)
    outcome = build_article(doc, NOW)
    if isinstance(outcome, Rejection):
        assert outcome.stage in {"decode", "parse", "extract", "clean"} and outcome.reason
    else:
        assert isinstance(outcome, CleanArticle)
        assert outcome.row["text"].strip() and outcome.row["title"]
        assert "\n\n\n" not in outcome.row["text"]


@settings(max_examples=1, deadline=None)
@given(
    files=st.lists(
        st.tuples(
            st.sampled_from([".txt", ".md", ".html", ".jsonl", ".htm"]),
            st.one_of(st.binary(max_size=2000), _texty.map(str.encode)),
        ),
        min_size=25,
        max_size=25,
    )
)
def test_fuzzed_seed_folder_loads_without_a_crash(files: list[tuple[str, bytes]], tmp_path_factory) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    seeds = root / "seeds"
    seeds.mkdir()
    for i, (suffix, data) in enumerate(files):
        (seeds / f"f{i:02d}{suffix}").write_bytes(data)
    settings_ = Settings(seeds, root / "warehouse")
    result = materialize_all(settings_)
    assert result.success
    assert all(c.passed for c in result.get_asset_check_evaluations())
    unaccounted = working_rows(
        settings_,
        "SELECT count(*) FROM documents d WHERE NOT EXISTS "
        "(SELECT 1 FROM document_articles x WHERE x.document_id = d.document_id) AND NOT EXISTS "
        "(SELECT 1 FROM rejects r WHERE r.document_id = d.document_id)",
    )
    assert unaccounted == [(0,)]


HOSTILE = [
    "'); DROP TABLE articles; --",
    "Robert'); DELETE FROM documents WHERE ('1'='1",
    '"; DROP SCHEMA main CASCADE; --',
    "$batch_keys",
    "?",
    "%s %d {0}",
    "\\'; COPY documents TO '/tmp/leak.csv'; --",
]


def test_sql_shaped_text_is_stored_verbatim(settings: Settings) -> None:
    lines = [
        json.dumps({"url": f"https://example.com/{i}", "title": t, "text": f"Body {i}: {t} and more words."})
        for i, t in enumerate(HOSTILE)
    ]
    (settings.seeds_dir / "hostile.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (settings.seeds_dir / "'); DROP TABLE documents; --.txt").write_text(
        "Quoted 'headline'\n\nA body; DROP TABLE x; --"
    )
    assert materialize_all(settings).success
    titles = {r[0] for r in published_rows(settings, "SELECT title FROM articles")}
    assert set(HOSTILE) <= titles and "Quoted 'headline'" in titles
    assert published_rows(settings, "SELECT count(*) FROM documents")[0][0] == 5 + len(HOSTILE) + 1
    assert not Path("/tmp/leak.csv").exists()
    hits = published_rows(settings, "SELECT count(*) FROM search('''); DROP TABLE articles; --')")
    assert hits[0][0] >= 0 and published_rows(settings, "SELECT count(*) FROM articles")[0][0] == 5 + len(HOSTILE) + 1


def test_a_hostile_folder_and_sources_file_through_make_run(tmp_path: Path) -> None:
    """The folder and sources file a hostile user would hand `make run`: symlink loops, a name that is not
    UTF-8, a path longer than PATH_MAX, a URL urllib cannot split, intervals no clock holds. The run ends
    with every seed ingested, each bad entry a reject or an invalid source with its reason."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    (seeds / "a.txt").symlink_to("b.txt")
    (seeds / "b.txt").symlink_to("a.txt")
    with open(os.fsencode(seeds) + b"/caf\xe9.txt", "wb") as handle:  # noqa: PTH123 (a bytes path)
        handle.write(b"Cafe owners protest\n\nCafe owners protested against new taxes in Paris on Monday.")
    (seeds / "deep").mkdir()
    too_deep_folder(seeds / "deep")
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "feeds:\n  - 'http://[::1'\n"
        "  - {url: 'https://a.example/rss', poll_minutes: 99999999999999999999999}\n"
        "  - {url: 'https://b.example/rss', poll_minutes: 1e10}\n"
    )
    warehouse = tmp_path / "warehouse"
    env = cli_env(dagster_home(tmp_path), seeds, warehouse, NEWS_SOURCES_FILE=str(sources))
    result = run_cli(env)
    assert result.returncode == 0, result.stderr[-3000:]
    # 5 seeds, the cafe, a, b and the deep folder: all new, as the total says
    assert re.search(r"documents +9 .* 9\n", result.stdout), result.stdout
    settings = Settings(seeds, warehouse)
    titles = {row[0] for row in published_rows(settings, "SELECT uri FROM articles JOIN documents USING (document_id)")}
    assert sum(uri.endswith("caf\\xe9.txt") for uri in titles) == 1 and len(titles) == 6
    rejects = dict(published_rows(settings, "SELECT regexp_extract(uri, '[^/]+$'), reason FROM rejects"))
    assert "symlink loop" in rejects["a.txt"] and "symlink loop" in rejects["b.txt"]
    assert any("longer than this system allows" in reason for reason in rejects.values())
    invalid = published_rows(settings, "SELECT url, last_error FROM sources WHERE status = 'invalid' ORDER BY url")
    assert [url for url, _ in invalid] == ["http://[::1", "https://a.example/rss", "https://b.example/rss"]
    assert all(reason for _, reason in invalid)
