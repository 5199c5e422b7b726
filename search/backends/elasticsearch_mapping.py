"""The Elasticsearch index: analyzers and mapping, declared with ``elasticsearch.dsl``.

Text is indexed twice: in ``title``/``summary``/``text`` with an accent-folding
analyzer (every document), and in ``<field>_<lang>`` with the analyzer of the
content's language (only that language's fields are filled, chosen by
``analysis_language``). Queries search all of them, so a Spanish query matches the
Spanish stem of a Spanish asset and an unaccented query matches accented text.

Per-language *fields* rather than multi-field *sub-fields*: osmem-server (our test
engine) matches every document on sub-fields, real Elasticsearch handles both.
English and Spanish use ``snowball`` filters then fold accents; Italian and Latvian
use the built-in language analyzers (see ``LANGUAGE_ANALYZERS``).
"""

from __future__ import annotations

from typing import Any

from elasticsearch.dsl import (
    Completion,
    Date,
    Document,
    Index,
    Keyword,
    Text,
    analyzer,
    token_filter,
)

from ..analysis import ANALYSED_LANGUAGES
from ..documents import LIST_FIELDS

TEXT_FIELDS: tuple[str, ...] = ("title", "summary", "text")
KEYWORD_FIELDS: tuple[str, ...] = (
    "key",
    "kind",
    "origin",
    "municipality",
    "analysis_language",
    "status",
    "phase",
    "governance_model",
    "asset_form",
    "licence",
    "published_year",
    "deadline_year",
    "sort_deadline",
    "sort_published",
    *LIST_FIELDS,
)

folding = analyzer("il_folding", tokenizer="standard", filter=["lowercase", "asciifolding"])

LANGUAGE_ANALYZERS = {
    "en": analyzer(
        "il_en",
        tokenizer="standard",
        filter=[
            "lowercase",
            token_filter("il_en_stop", "stop", stopwords="_english_"),
            token_filter("il_en_stem", "snowball", language="English"),
            "asciifolding",
        ],
    ),
    "es": analyzer(
        "il_es",
        tokenizer="standard",
        filter=[
            "lowercase",
            token_filter("il_es_stop", "stop", stopwords="_spanish_"),
            token_filter("il_es_stem", "snowball", language="Spanish"),
            "asciifolding",
        ],
    ),
    # Italian and Latvian use Elasticsearch's built-in language analyzers (elision,
    # stop words, light stemmers). osmem's Snowball Italian matches every document, and
    # it lacks the Latvian analyzer, which it replaces with ``standard`` (no stemming).
    "it": analyzer("il_it", type="italian"),
    "lv": analyzer("il_lv", type="latvian"),
}
assert set(LANGUAGE_ANALYZERS) == set(ANALYSED_LANGUAGES)  # noqa: S101 - import-time check


class SearchDocument(Document):
    """One call or asset, local or federated (see ``search.documents``)."""

    title = Text(analyzer=folding)
    summary = Text(analyzer=folding)
    text = Text(analyzer=folding)
    url = Keyword(index=False)
    published_at = Date()
    deadline = Date()
    opens_at = Date()
    suggest = Completion(analyzer=folding, search_analyzer=folding)


for _field in KEYWORD_FIELDS:
    SearchDocument._doc_type.mapping.field(_field, Keyword())
for _lang, _analyzer in LANGUAGE_ANALYZERS.items():
    for _name in TEXT_FIELDS:
        SearchDocument._doc_type.mapping.field(f"{_name}_{_lang}", Text(analyzer=_analyzer))


def index_body(name: str) -> dict[str, Any]:
    index = Index(name)
    index.settings(number_of_shards=1)
    index.document(SearchDocument)
    return index.to_dict()


def engine_source(document: dict[str, Any]) -> dict[str, Any]:
    """The document as Elasticsearch stores it: language fields and completion added."""
    source = dict(document)
    language = document.get("analysis_language")
    if language in LANGUAGE_ANALYZERS:
        for name in TEXT_FIELDS:
            source[f"{name}_{language}"] = document.get(name, "")
    # Empty values are left out: they are no facet bucket and no date.
    for name in (*KEYWORD_FIELDS, "published_at", "deadline", "opens_at"):
        if source.get(name) in ("", None):
            source.pop(name, None)
    words = document.get("title", "").split()
    # Every word-suffix of the title, so completion finds a title by any of its words.
    source["suggest"] = {"input": [" ".join(words[i:]) for i in range(min(len(words), 12))]}
    return source


ENGINE_ONLY_FIELDS = frozenset(
    {"suggest", *(f"{name}_{lang}" for name in TEXT_FIELDS for lang in LANGUAGE_ANALYZERS)}
)


def neutral_document(source: dict[str, Any]) -> dict[str, Any]:
    """Back from the engine's ``_source`` to the document shape of ``search.documents``."""
    document = {k: v for k, v in source.items() if k not in ENGINE_ONLY_FIELDS}
    for date_field in ("published_at", "deadline", "opens_at"):
        document.setdefault(date_field, None)
    for name in KEYWORD_FIELDS:
        document.setdefault(name, [] if name in LIST_FIELDS else "")
    return document
