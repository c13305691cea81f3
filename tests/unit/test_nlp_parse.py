"""The one spaCy pass: paragraph rules, storage round trip, language skip, incremental re-runs."""

import pytest

from pipelines.core import workers
from pipelines.core.nlp import parse
from pipelines.core.nlp.model import load_pipeline, nlp_version
from pipelines.core.nlp.parse import deserialize_doc, parse_texts, warm_up
from pipelines.core.settings import Settings
from pipelines.core.sources.seed_folder import all_shard_keys
from pipelines.core.stages.clean_documents import clean_pending_documents
from pipelines.core.stages.nlp_parse import parse_pending_articles
from pipelines.core.stages.seed_documents import ingest_seed_shards
from pipelines.core.storage.embedded import EmbeddedWarehouse
from tests.conftest import seed_text


def test_entities_and_sentences_never_cross_a_paragraph_break() -> None:
    raw = seed_text("000")  # uncleaned: headline, repeated headline, standfirst, body
    (parsed,) = parse_texts([("a", raw)], processes=1)
    doc = deserialize_doc(load_pipeline().vocab, parsed.docbin)
    assert all("\n" not in ent.text for ent in doc.ents)
    assert all("\n\n" not in sent.text.strip() for sent in doc.sents)
    assert parsed.sentences == len(list(doc.sents)) and parsed.tokens == len(doc)


def test_round_trip_keeps_parse_and_entities() -> None:
    text = "Russian Foreign Minister Sergei Lavrov met Mevlut Cavusoglu in Moscow on Tuesday."
    (parsed,) = parse_texts([("k", text)], processes=1)
    doc = deserialize_doc(load_pipeline().vocab, parsed.docbin)
    assert doc.text == text
    assert ("Sergei Lavrov", "PERSON") in [(e.text, e.label_) for e in doc.ents]
    met = next(t for t in doc if t.lemma_ == "meet")
    assert met.dep_ == "ROOT" and {c.dep_ for c in met.children} >= {"nsubj", "dobj"}


def test_stage_parses_english_skips_others_and_is_incremental(settings: Settings) -> None:
    (settings.seeds_dir / "spanish.txt").write_text(
        "Titular en español\n\nEl ministro de Asuntos Exteriores anunció hoy nuevas conversaciones con Turquía "
        "sobre la situación en el norte de Siria.",
        encoding="utf-8",
    )
    warehouse = EmbeddedWarehouse(settings.warehouse_dir)
    keys = all_shard_keys()
    with warehouse.session() as session:
        ingest_seed_shards(session, settings, keys, "r1")
        clean_pending_documents(session, keys, "r1")
        first = parse_pending_articles(session, keys, "r1", processes=1)
        again = parse_pending_articles(session, keys, "r2", processes=1)
        rows = session.con.execute(
            "SELECT status, count(*), count(docbin), count(tokens) FROM article_nlp GROUP BY 1 ORDER BY 1"
        ).fetchall()
        assert session.scalar("check_nlp_current", version=nlp_version(), batch_keys=keys) == 0
    assert (first.new, first.duplicate, again.rows_in) == (5, 1, 0)
    # The skipped article shares a chunk with the parsed ones: their parses must all be stored.
    assert rows == [("parsed", 5, 5, 5), ("skipped", 1, 0, 0)]


def test_worker_processes_give_the_same_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [(str(i), f"Officials in Ankara said on day {i} that talks with Moscow would continue.") for i in range(3)]
    local = list(parse_texts(texts, processes=1))
    monkeypatch.setattr(workers, "MIN_ITEMS_FOR_WORKERS", 1)
    pooled = list(parse_texts(texts, processes=2))
    assert [p.docbin for p in pooled] == [p.docbin for p in local]
    assert [p.products for p in pooled] == [p.products for p in local]  # mentions and story terms too


def test_model_batches_are_bounded_by_texts_and_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse, "BATCH_SIZE", 3)
    monkeypatch.setattr(parse, "BATCH_CHARS", 100)
    texts = ["a" * 40, "b" * 40, "c" * 40, "d" * 250, "e" * 10, "f" * 10, "g" * 10, "h" * 10]
    batches = list(parse._batches(texts))
    # Two texts fill 80 of 100 characters; a text over the bound goes alone; short ones three at a time.
    assert batches == [texts[0:2], [texts[2]], [texts[3]], texts[4:7], [texts[7]]]
    words = [f"Report number {i} from Ankara." + " More words." * (i * 7) for i in range(7)]
    assert [doc.text for doc in parse.pipe(load_pipeline(), words)] == words


def test_warm_up_loads_what_a_parse_needs() -> None:
    load_pipeline.cache_clear()
    warm_up()
    assert load_pipeline.cache_info().currsize == 1


def _syndicated(text: str, headline: str, date_line: str = "", trimmed: int = 2) -> str:
    """Seed 001 re-published elsewhere: new headline, a date line, its last paragraphs trimmed."""
    body = text.split("\n", 1)[1].rsplit("\n\n", trimmed)[0]
    return f"{headline}\n\n{date_line}\n{body}\n\nRelated stories\n\nTurkey warns Syria\n"


def test_copies_are_not_parsed_and_a_promoted_copy_is(settings: Settings) -> None:
    from tests.integration.helpers import materialize_all

    original = seed_text("001")
    (settings.seeds_dir / "copy.txt").write_text(_syndicated(original, "Russia deploys police to Ain Issa"))
    assert materialize_all(settings).success
    with EmbeddedWarehouse(settings.warehouse_dir).session() as s:
        rows = s.con.execute(
            "SELECT d.dup_method, n.status, n.reason FROM article_nlp n JOIN article_dups d USING (article_id) "
            "WHERE d.dup_group_id = (SELECT dup_group_id FROM article_dups GROUP BY 1 HAVING count(*) > 1)"
        ).fetchall()
    assert sorted(r[:2] for r in rows) == [("canonical", "parsed"), ("near", "skipped")]
    assert "near-duplicate copy of" in next(r[2] for r in rows if r[1] == "skipped")

    # A copy published a day earlier arrives late: it becomes canonical and is parsed in its run, in
    # whatever batch it lives; the former canonical member keeps its parse (counts go through canonical).
    (settings.seeds_dir / "earlier.txt").write_text(
        _syndicated(original, "Russian police head for Ain Issa", "28 December, 2020", trimmed=3)
    )
    assert materialize_all(settings).success
    with EmbeddedWarehouse(settings.warehouse_dir).session() as s:
        rows = s.con.execute(
            "SELECT a.title, d.dup_method, n.status FROM article_nlp n JOIN article_dups d USING (article_id) "
            "JOIN articles_base a USING (article_id) WHERE a.title LIKE 'Russian police head%'"
        ).fetchall()
        events = s.con.execute(
            "SELECT count(*) FROM events e JOIN articles_base a USING (article_id) "
            "WHERE a.title LIKE 'Russian police head%'"
        ).fetchone()[0]
    assert rows == [("Russian police head for Ain Issa", "canonical", "parsed")] and events > 0
