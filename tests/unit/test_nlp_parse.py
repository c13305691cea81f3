"""The one spaCy pass: paragraph rules, storage round trip, language skip, incremental re-runs."""

import pytest

from pipelines.core.nlp import parse
from pipelines.core.nlp.model import load_pipeline, nlp_version
from pipelines.core.nlp.parse import deserialize_doc, parse_texts
from pipelines.core.settings import Settings
from pipelines.core.sources.seed_folder import all_shard_keys
from pipelines.core.stages.clean_documents import clean_pending_documents
from pipelines.core.stages.nlp_parse import parse_pending_articles
from pipelines.core.stages.seed_documents import ingest_seed_shards
from pipelines.core.warehouse import Warehouse
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
    warehouse = Warehouse(settings.warehouse_dir)
    keys = all_shard_keys()
    with warehouse.session() as session:
        ingest_seed_shards(session, settings, keys, "r1")
        clean_pending_documents(session, keys, "r1")
        first = parse_pending_articles(session, keys, "r1", processes=1)
        again = parse_pending_articles(session, keys, "r2", processes=1)
        # A parse stored without its bytes (an earlier bug did that) is parsed again.
        session.con.execute(
            "UPDATE article_nlp SET docbin = NULL "
            "WHERE article_id = (SELECT min(article_id) FROM article_nlp WHERE status = 'parsed')"
        )
        assert session.scalar("check_nlp_current", version=nlp_version(), batch_keys=keys) == 1
        assert parse_pending_articles(session, keys, "r3", processes=1).rows_in == 1
        rows = session.con.execute(
            "SELECT status, count(*), count(docbin), count(tokens) FROM article_nlp GROUP BY 1 ORDER BY 1"
        ).fetchall()
        assert session.scalar("check_nlp_current", version=nlp_version(), batch_keys=keys) == 0
    assert (first.new, first.duplicate, again.rows_in) == (5, 1, 0)
    # The skipped article shares a chunk with the parsed ones: their parses must all be stored.
    assert rows == [("parsed", 5, 5, 5), ("skipped", 1, 0, 0)]


def test_worker_processes_give_the_same_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [(str(i), f"Officials in Ankara said on day {i} that talks with Moscow would continue.") for i in range(3)]
    local = [p.docbin for p in parse_texts(texts, processes=1)]
    monkeypatch.setattr(parse, "MIN_TEXTS_FOR_WORKERS", 1)
    pooled = [p.docbin for p in parse_texts(texts, processes=2)]
    assert pooled == local
