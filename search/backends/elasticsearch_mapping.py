"""The Elasticsearch index: analyzers and mapping, declared with ``elasticsearch.dsl``.

Text is indexed twice: in ``title``/``summary``/``text`` with an accent-folding
analyzer (every document), and in ``<field>_<lang>`` with the analyzer of the
content's language (only that language's fields are filled, chosen by
``analysis_language``). Queries search all of them, so a Spanish query matches the
Spanish stem of a Spanish asset and an unaccented query matches accented text.

Per-language *fields* rather than multi-field *sub-fields*: osmem-server (our test
engine) matches every document on sub-fields, real Elasticsearch handles both.

Each language analyzer is custom: stop words, a stemmer and ``asciifolding`` (English,
Spanish, Italian: Snowball; Italian also removes elided articles; Latvian:
Elasticsearch's ``latvian`` stemmer). Engines differ in what they implement, so the
backend probes each language analyzer when it creates an index (``_analyze``, and
``_validate/query`` to see the term a query would look for). A language whose
analyzer the engine refuses or turns into no term gets the engine's built-in analyzer
for that language instead (``Fallback.BUILT_IN``), and if that fails too, folding only
(``Fallback.FOLDING``); each step is logged as a warning. osmem-server refuses the
Latvian stemmer and stop words, and its custom Italian stemmer yields an empty query
term (which matched every document), so on osmem Latvian and Italian use the built-in
analyzers.
"""

from __future__ import annotations

import enum
from typing import Any, cast

from elasticsearch.dsl import (
    Completion,
    Date,
    Index,
    Keyword,
    Mapping,
    Text,
    analyzer,
    token_filter,
)
from elasticsearch.dsl.analysis import Analyzer

from ..analysis import ANALYSED_LANGUAGES
from ..documents import LIST_FIELDS
from ..facets import FACET_NAMES

TEXT_FIELDS: tuple[str, ...] = ("title", "summary", "text")
KEYWORD_FIELDS: tuple[str, ...] = (
    "key",
    "kind",
    "origin",
    "municipality",
    "text_language",
    "analysis_language",
    "group",
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


class Fallback(enum.IntEnum):
    """How far a language's analysis fell back on an engine that lacks a filter."""

    CUSTOM = 0
    BUILT_IN = 1
    FOLDING = 2


folding = analyzer("il_folding", tokenizer="standard", filter=["lowercase", "asciifolding"])

# One word per language whose analysis must yield a term, for the probe.
PROBE_WORDS = {"en": "libraries", "es": "bibliotecas", "it": "biblioteche", "lv": "bibliotēkas"}
_BUILT_IN = {"en": "english", "es": "spanish", "it": "italian", "lv": "latvian"}
_ITALIAN_ARTICLES = ["c", "l", "all", "dall", "dell", "nell", "sull", "coll", "pell", "gl",
                     "agl", "dagl", "degl", "negl", "sugl", "un", "m", "t", "s", "v", "d"]  # fmt: skip


def _custom(language: str) -> Analyzer:
    stop = {"en": "_english_", "es": "_spanish_", "it": "_italian_", "lv": "_latvian_"}[language]
    chain: list[Any] = []
    if language == "it":
        chain.append(
            token_filter("il_it_elision", "elision", articles=_ITALIAN_ARTICLES, articles_case=True)
        )
    chain += ["lowercase", token_filter(f"il_{language}_stop", "stop", stopwords=stop)]
    if language == "lv":
        chain.append(token_filter("il_lv_stem", "stemmer", language="latvian"))
    else:
        name = {"en": "English", "es": "Spanish", "it": "Italian"}[language]
        chain.append(token_filter(f"il_{language}_stem", "snowball", language=name))
    chain.append("asciifolding")
    return cast(Analyzer, analyzer(f"il_{language}", tokenizer="standard", filter=chain))


def language_analyzer(language: str, fallback: Fallback = Fallback.CUSTOM) -> Analyzer:
    """The analyzer of ``language``'s fields at a fallback level."""
    if fallback == Fallback.BUILT_IN:
        return cast(Analyzer, analyzer(f"il_{language}", type=_BUILT_IN[language]))
    if fallback == Fallback.FOLDING:
        return cast(
            Analyzer,
            analyzer(f"il_{language}", tokenizer="standard", filter=["lowercase", "asciifolding"]),
        )
    return _custom(language)


LANGUAGE_ANALYZERS: dict[str, Analyzer] = {lang: _custom(lang) for lang in ANALYSED_LANGUAGES}
assert set(PROBE_WORDS) == set(_BUILT_IN) == set(ANALYSED_LANGUAGES)  # noqa: S101 - import-time check


def mapping(fallbacks: dict[str, Fallback] | None = None) -> Mapping:
    """The document mapping (see ``interlink_search.documents``), with each language analyzer
    at its fallback level (custom unless ``fallbacks`` says otherwise)."""
    fallbacks = fallbacks or {}
    document = Mapping()
    for name in TEXT_FIELDS:
        document.field(name, Text(analyzer=folding))
    document.field("url", Keyword(index=False))
    for name in ("published_at", "deadline", "opens_at"):
        document.field(name, Date())
    document.field("suggest", Completion(analyzer=folding, search_analyzer=folding))
    for name in KEYWORD_FIELDS:
        # Facets are aggregated on every search: their global ordinals are built when
        # the index refreshes, not by the first search after it (at a million
        # documents, a stall like the database backend's cold start).
        document.field(name, Keyword(eager_global_ordinals=name in FACET_NAMES))
    for lang in ANALYSED_LANGUAGES:
        lang_analyzer = language_analyzer(lang, fallbacks.get(lang, Fallback.CUSTOM))
        for name in TEXT_FIELDS:
            document.field(f"{name}_{lang}", Text(analyzer=lang_analyzer))
    return document


def index_body(
    name: str, fallbacks: dict[str, Fallback] | None = None, bulk: bool = False
) -> dict[str, Any]:
    """The create-index body; ``bulk`` turns periodic refreshes off (a rebuild target
    is refreshed once, when it goes live)."""
    index = Index(name)
    settings: dict[str, Any] = {"number_of_shards": 1}
    if bulk:
        settings["refresh_interval"] = "-1"
    index.settings(**settings)
    index.mapping(mapping(fallbacks))
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
        if source.get(name) in ("", None, []):
            source.pop(name, None)
    words = document.get("title", "").split()
    # Every word-suffix of the title, so completion finds a title by any of its words.
    source["suggest"] = {"input": [" ".join(words[i:]) for i in range(min(len(words), 12))]}
    return source


ENGINE_ONLY_FIELDS = frozenset(
    {"suggest", *(f"{name}_{lang}" for name in TEXT_FIELDS for lang in LANGUAGE_ANALYZERS)}
)


def neutral_document(source: dict[str, Any]) -> dict[str, Any]:
    """Back from the engine's ``_source`` to the document shape of ``interlink_search.documents``."""
    document = {k: v for k, v in source.items() if k not in ENGINE_ONLY_FIELDS}
    for date_field in ("published_at", "deadline", "opens_at"):
        document.setdefault(date_field, None)
    for name in KEYWORD_FIELDS:
        document.setdefault(name, [] if name in LIST_FIELDS else "")
    return document
