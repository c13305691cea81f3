"""`make bench ONLY=lake`: what the DuckLake backend costs where the stages rely on what DuckLake lacks, against
today's DuckDB working file. Needs PostgreSQL, redis-server is not used; SeaweedFS comes from the cluster extra.

A private PostgreSQL and SeaweedFS are started for the run (pipelines/cluster, in a temporary folder) and
stopped after it. Three backends hold the same rows: the DuckDB file (with today's ART index on
lsh_bands.band_key and primary keys), the lake with its files in a local folder, and the lake with its files
on S3 (SeaweedFS on 127.0.0.1).

- Near-duplicate candidates: the stage's own statement (warehouse/statements/near_duplicate_candidates.sql)
  for a chunk of 500 new articles (32 band keys each, one in ten sharing its bands with a stored article)
  against a history of 10k and 100k articles (random signatures). DuckLake has no index, so the band join is
  a hash join over a scan of lsh_bands: its cost grows with history, where the indexed join's does not.
  "first" is the first statement of a fresh connection (each Dagster step opens one), "warm" the median of
  the next four.
- insert_new and upsert of 500 signature rows: DuckLake has no primary key, so INSERT OR IGNORE becomes an
  anti-join insert and the delete-then-insert upsert stays as it is (DELETE … USING works on the lake).
- Full-text search over the BBC corpus (or synthetic text without it): the project's postings tables and
  search() macro (warehouse/views.sql) work in the lake; the fts extension's own index cannot be created
  there (PRAGMA create_fts_index fails to commit a NULL-typed column), so a reader would have to rebuild it
  in memory: that rebuild is timed too.
"""

from __future__ import annotations

import contextlib
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from pipelines.benchmarks.end_to_end import corpus_files
from pipelines.core.storage import SQL_DIR, fts_extension_path
from pipelines.core.storage.lake import LakeSettings, search_macro_statements
from pipelines.evaluation import Result

SIZES = (10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
BANDS = 32
CHUNK = 500
REPEATS = 5


def _timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _history(n: int, rng: np.random.Generator) -> dict[str, pa.Table]:
    ids = [f"a{i:08d}" for i in range(n)]
    keys = rng.integers(0, 2**32, size=n * BANDS, dtype=np.uint64).astype(np.uint32)
    return {
        "lsh_bands": pa.table({"band_key": keys, "article_id": np.repeat(np.array(ids, dtype=object), BANDS)}),
        "article_signatures": pa.table(
            {
                "article_id": ids,
                "signed_text_hash": [f"h{i}" for i in range(n)],
                "minhash": [rng.bytes(512) for _ in range(n)],
            }
        ),
        "article_dups": pa.table({"article_id": ids, "dup_group_id": [f"g{i}" for i in range(n)]}),
    }


def _probe(history: dict[str, pa.Table], rng: np.random.Generator) -> pa.Table:
    """A chunk of new articles' band keys; one in ten copies a stored article's keys (a candidate to verify)."""
    bands = history["lsh_bands"]
    stored = len(bands) // BANDS
    keys = rng.integers(0, 2**32, size=CHUNK * BANDS, dtype=np.uint64).astype(np.uint32)
    for i in range(0, CHUNK, 10):
        source = int(rng.integers(0, stored))
        keys[i * BANDS : (i + 1) * BANDS] = bands["band_key"].to_numpy()[source * BANDS : (source + 1) * BANDS]
    ids = np.repeat(np.array([f"new{i:05d}" for i in range(CHUNK)], dtype=object), BANDS)
    return pa.table({"article_id": ids, "band_key": keys})


def _load(con: duckdb.DuckDBPyConnection, history: dict[str, pa.Table], *, indexed: bool) -> None:
    for name, table in history.items():
        con.register("_src", table)
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _src")
        con.unregister("_src")
    if indexed:  # today's schema (migration 003): the band index and the article id keys
        con.execute("CREATE INDEX lsh_bands_band_key ON lsh_bands (band_key)")
        con.execute("ALTER TABLE article_signatures ADD PRIMARY KEY (article_id)")
        con.execute("ALTER TABLE article_dups ADD PRIMARY KEY (article_id)")


def _candidates(con: duckdb.DuckDBPyConnection, probe: pa.Table) -> int:
    con.register("probe", probe)
    try:
        return len(con.execute((SQL_DIR / "statements" / "near_duplicate_candidates.sql").read_text()).fetchall())
    finally:
        con.unregister("probe")


def _writes(con: duckdb.DuckDBPyConnection, rows: pa.Table, *, lake: bool) -> dict[str, float]:
    """insert_new then upsert of `rows` (half new, half stored) into article_signatures, one transaction each."""
    con.register("_rows", rows)
    insert_new = (
        "INSERT INTO article_signatures BY NAME SELECT * FROM _rows AS r "
        "WHERE NOT EXISTS (SELECT 1 FROM article_signatures AS s WHERE s.article_id = r.article_id)"
        if lake
        else "INSERT OR IGNORE INTO article_signatures BY NAME SELECT * FROM _rows"
    )
    upsert = (
        "DELETE FROM article_signatures USING _rows WHERE article_signatures.article_id = _rows.article_id; "
        "INSERT INTO article_signatures BY NAME SELECT * FROM _rows"
    )
    out = {}
    for name, sql in (("insert_new_s", insert_new), ("upsert_s", upsert)):
        out[name] = _timed(lambda sql=sql: (con.execute("BEGIN"), con.execute(sql), con.execute("COMMIT")))
    con.unregister("_rows")
    return out


def _postgres_band_lookup(pg: Any, history: dict[str, pa.Table], probe: pa.Table, n: int) -> dict[str, Any]:
    """The band index kept in PostgreSQL beside the catalog (a B-tree), probed with a chunk's keys: what could
    replace DuckDB's ART index for the lake. Returns load and lookup times like the other backends."""
    import io

    bands = history["lsh_bands"]
    table = f"lsh_bands_{n}"
    with pg.cursor() as cur:
        started = time.perf_counter()
        cur.execute(f"CREATE TABLE {table} (band_key BIGINT NOT NULL, article_id TEXT NOT NULL)")
        buffer = io.StringIO()
        for key, article in zip(bands["band_key"].to_pylist(), bands["article_id"].to_pylist(), strict=True):
            buffer.write(f"{key}\t{article}\n")
        buffer.seek(0)
        cur.copy_expert(f"COPY {table} FROM STDIN", buffer)
        cur.execute(f"CREATE INDEX ON {table} (band_key)")
        cur.execute(f"ANALYZE {table}")
        load_s = time.perf_counter() - started
        lookup = (
            "SELECT DISTINCT p.article_id, b.article_id "
            "FROM unnest(%s::bigint[], %s::text[]) AS p(band_key, article_id) "
            f"JOIN {table} AS b USING (band_key) WHERE b.article_id <> p.article_id"
        )
        args = (probe["band_key"].to_pylist(), probe["article_id"].to_pylist())
        found = [0]

        def query() -> None:
            cur.execute(lookup, args)
            found[0] = len(cur.fetchall())

        first = _timed(query)
        warm = statistics.median(_timed(query) for _ in range(REPEATS - 1))
    return {"load_s": load_s, "band_join_first_s": first, "band_join_warm_s": warm, "candidates": found[0]}


def _texts(data_dir: Path) -> list[tuple[str, str]]:
    texts = [p.read_bytes().decode("utf-8", "replace") for p in corpus_files(data_dir)]
    if texts:
        return [(text.split("\n", 1)[0], text) for text in texts]
    rng = np.random.default_rng(7)
    words = [f"word{i}" for i in range(5000)] + ["military", "police", "oil", "prices"]
    return [(f"title {i}", " ".join(rng.choice(words, 400))) for i in range(2000)]


def _search(con: duckdb.DuckDBPyConnection, texts: list[tuple[str, str]]) -> dict[str, float]:
    articles = pa.table(
        {
            "article_id": [f"a{i}" for i in range(len(texts))],
            "document_id": [f"d{i}" for i in range(len(texts))],
            "title": [t for t, _ in texts],
            "standfirst": [None] * len(texts),
            "text": [body for _, body in texts],
            "published_at": pa.nulls(len(texts), pa.timestamp("us")),
        }
    )
    con.register("_src", articles)
    con.execute("CREATE OR REPLACE TABLE articles AS SELECT * FROM _src")
    con.unregister("_src")
    tokens_macro, search_macro = search_macro_statements((SQL_DIR / "views.sql").read_text("utf-8"))
    con.execute(tokens_macro)
    build = """
        CREATE OR REPLACE TABLE search_postings AS
        SELECT article_id, term, count(*)::INTEGER AS tf
        FROM articles, unnest(search_tokens(concat_ws(' ', title, standfirst, text))) AS t(term)
        GROUP BY article_id, term;
        CREATE OR REPLACE TABLE search_docs AS
        SELECT article_id, 'h' AS text_hash, sum(tf)::INTEGER AS length FROM search_postings GROUP BY article_id;
    """
    out = {"index_build_s": _timed(lambda: con.execute(build))}
    con.execute(search_macro)  # a table macro binds its tables when created
    queries = ["military police", "oil prices", "election campaign", "mobile phone"]
    out["query_median_s"] = statistics.median(
        _timed(lambda q=q: con.execute("SELECT * FROM search($q) LIMIT 10", {"q": q}).fetchall()) for q in queries * 2
    )
    return out


def _fts_rebuild_in_memory(source: duckdb.DuckDBPyConnection) -> float:
    """What a reader pays to build the fts extension's own index over the lake's articles in memory."""
    return _timed(
        lambda: (
            source.execute(
                "CREATE OR REPLACE TABLE memory.main.articles_copy AS SELECT article_id, text FROM articles"
            ),
            source.execute("PRAGMA create_fts_index('memory.main.articles_copy', 'article_id', 'text', overwrite=1)"),
        )
    )


class _Backends:
    """The three stores under test, each made afresh per measurement (`tag` names its files and catalog)."""

    def __init__(self, cluster: Any, folder: Path) -> None:
        self.cluster, self.folder = cluster, folder
        env = cluster.env()
        self.base = LakeSettings(
            catalog_db="",
            pg_host=env["NEWS_CLUSTER_PG_HOST"],
            pg_port=int(env["NEWS_CLUSTER_PG_PORT"]),
            pg_user=env["NEWS_CLUSTER_PG_USER"],
            pg_password=env["NEWS_CLUSTER_PG_PASSWORD"],
            data_path="",
            s3_endpoint=env["NEWS_LAKE_S3_ENDPOINT"],
            s3_key_id=env["NEWS_LAKE_S3_KEY_ID"],
            s3_secret=env["NEWS_LAKE_S3_SECRET"],
        )

    def postgres(self) -> Any:
        con = self.cluster._pg_connect("postgres")
        con.autocommit = True
        return con

    def make(self, tag: str) -> dict[str, Callable[[], duckdb.DuckDBPyConnection]]:
        lakes = {
            "lake_folder": (f"{tag}_folder", f"{self.folder / (tag + '-files')}/"),
            "lake_s3": (f"{tag}_s3", f"s3://news-lake/bench-{tag}/"),
        }
        made: dict[str, Callable[[], duckdb.DuckDBPyConnection]] = {
            "duckdb_file": lambda: _file_connection(self.folder / f"{tag}.duckdb")
        }
        for name, (db, path) in lakes.items():
            with contextlib.closing(self.postgres()) as pg, pg.cursor() as cur:
                cur.execute(f"CREATE DATABASE {db}")
            settings = LakeSettings(**{**vars(self.base), "catalog_db": db, "data_path": path})
            made[name] = settings.connect
        return made


def _band_join_rows(backends: _Backends, n: int, rng: np.random.Generator) -> list[dict[str, Any]]:
    history = _history(n, rng)
    probe = _probe(history, rng)
    writes = pa.table(
        {
            "article_id": [f"a{i:08d}" for i in range(n - CHUNK // 2, n + CHUNK // 2)],
            "signed_text_hash": ["x"] * CHUNK,
            "minhash": [rng.bytes(512) for _ in range(CHUNK)],
        }
    )
    with contextlib.closing(backends.postgres()) as pg:
        postgres = _postgres_band_lookup(pg, history, probe, n)
    nan = float("nan")
    rows = [{"history": n, "backend": "postgres_btree (bands only)", **postgres, "insert_new_s": nan, "upsert_s": nan}]
    for backend, connect in backends.make(f"h{n}").items():
        with contextlib.closing(connect()) as con:
            load_s = _timed(lambda con=con, indexed=backend == "duckdb_file": _load(con, history, indexed=indexed))
        with contextlib.closing(connect()) as con:  # a fresh session, as each Dagster step opens one
            started = time.perf_counter()
            found = _candidates(con, probe)
            first = time.perf_counter() - started
            warm = statistics.median(_timed(lambda con=con: _candidates(con, probe)) for _ in range(REPEATS - 1))
            timings = _writes(con, writes, lake=backend != "duckdb_file")
        rows.append(
            {
                "history": n,
                "backend": backend,
                "load_s": load_s,
                "candidates": found,
                "band_join_first_s": first,
                "band_join_warm_s": warm,
                **timings,
            }
        )
    return rows


def run(data_dir: Path, quick: bool) -> Result:
    from pipelines.cluster.profile import Cluster, missing_binaries

    missing = [m for m in missing_binaries() if "redis" not in m and "celery" not in m]
    if missing:
        return Result("lake", "", skipped="needs " + "; ".join(missing))
    rng = np.random.default_rng(19)
    with tempfile.TemporaryDirectory(prefix="bench-lake-") as tmp:
        Path(tmp).chmod(0o755)  # PostgreSQL runs as its own user when this runs as root
        cluster = Cluster(Path(tmp) / "cluster", workers=())
        cluster.up(["postgres", "seaweedfs"])
        try:
            backends = _Backends(cluster, Path(tmp))
            rows = [row for n in (QUICK_SIZES if quick else SIZES) for row in _band_join_rows(backends, n, rng)]
            texts = _texts(data_dir)
            search_rows = []
            for backend, connect in backends.make("search").items():
                with contextlib.closing(connect()) as con:
                    out = _search(con, texts)
                    if backend != "duckdb_file":
                        out["fts_rebuild_in_memory_s"] = _fts_rebuild_in_memory(con)
                search_rows.append({"backend": backend, "articles": len(texts), **out})
        finally:
            cluster.down()
    return Result("lake", _markdown(rows, search_rows), {"band_join": rows, "search": search_rows})


def _file_connection(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    con.execute(f"INSTALL '{fts_extension_path()}'")
    con.execute("LOAD fts")
    con.execute((SQL_DIR / "statements" / "near_duplicate_session.sql").read_text())
    return con


def _markdown(rows: list[dict[str, Any]], search_rows: list[dict[str, Any]]) -> str:
    lines = [
        "| history | backend | band join, first (ms) | warm (ms) | candidates | insert_new 500 (ms) "
        "| upsert 500 (ms) | load (s) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['history']:,} | {r['backend']} | {r['band_join_first_s'] * 1000:.0f} | "
            f"{r['band_join_warm_s'] * 1000:.0f} | {r['candidates']} | {r['insert_new_s'] * 1000:.0f} | "
            f"{r['upsert_s'] * 1000:.0f} | {r['load_s']:.1f} |"
        )
    lines += [
        "",
        "| search backend | articles | index build (s) | query median (ms) | fts index rebuilt per reader (s) |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in search_rows:
        rebuild = f"{r['fts_rebuild_in_memory_s']:.2f}" if "fts_rebuild_in_memory_s" in r else "–"
        lines.append(
            f"| {r['backend']} | {r['articles']:,} | {r['index_build_s']:.2f} | "
            f"{r['query_median_s'] * 1000:.0f} | {rebuild} |"
        )
    return "\n".join(lines)
