"""Text analysis for the database backend, mirroring the Elasticsearch analyzers.

Elasticsearch analyses text itself (see ``search.documents``); the database backend
stores pre-analysed terms so PostgreSQL full-text search and SQLite FTS5 see the same
tokens: lower-cased, accent-folded, and stemmed with the Snowball stemmer of the
content's language (a light suffix stripper for Latvian, which Snowball lacks).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

# The languages with their own analysis; other content is folded but not stemmed.
ANALYSED_LANGUAGES: tuple[str, ...] = ("en", "es", "it", "lv")
_SNOWBALL = {"en": "english", "es": "spanish", "it": "italian"}

_WORD = re.compile(r"\w+", re.UNICODE)

# Suffixes of Latvian nouns and adjectives, longest first (after Savoy's light stemmer,
# as in Lucene's LatvianStemmer, without its consonant-mutation rules).
_LATVIAN_SUFFIXES = sorted(
    [
        "ajiem",
        "ajai",
        "ajam",
        "ajām",
        "ajos",
        "ajās",
        "iem",
        "ajā",
        "ais",
        "ai",
        "ei",
        "ām",
        "am",
        "ēm",
        "īm",
        "im",
        "um",
        "us",
        "as",
        "ās",
        "es",
        "os",
        "ij",
        "īs",
        "ēs",
        "is",
        "ie",
        "u",
        "a",
        "i",
        "e",
        "ā",
        "ē",
        "ī",
        "ū",
        "o",
        "s",
        "š",
    ],  # fmt: skip
    key=len,
    reverse=True,
)


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    """``fold`` for one word, cached: vocabularies repeat a lot."""
    return fold(word)


def fold(text: str) -> str:
    """Lower-case and strip accents: "Participación" -> "participacion"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The lower-cased words of ``text``, accents kept (stemmers need them)."""
    return _WORD.findall(text.lower())


def _latvian_stem(word: str) -> str:
    for suffix in _LATVIAN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """One word's folded stem in ``language`` (cached: vocabularies repeat a lot)."""
    if language == "lv":
        return fold(_latvian_stem(word))
    algorithm = _SNOWBALL.get(language)
    if algorithm is None:
        return fold(word)
    return fold(_stemmer(algorithm).stemWord(word))


@lru_cache(maxsize=8)
def _stemmer(algorithm: str) -> snowballstemmer.BaseStemmer:  # type: ignore[name-defined]
    return snowballstemmer.stemmer(algorithm)


def document_terms(texts: Iterable[str], language: str) -> str:
    """The terms the database backend indexes: folded words plus their stems."""
    terms: list[str] = []
    for text in texts:
        for word in words(text):
            folded = fold_word(word)
            terms.append(folded)
            stemmed = stem(word, language)
            if stemmed != folded:
                terms.append(stemmed)
    return " ".join(terms)


def query_alternatives(text: str) -> list[set[str]]:
    """For each query word, the terms that may match it (any analysed language).

    The query's language is unknown, so a word matches a document if its folded form
    or its stem in any of our languages is among the document's terms.
    """
    alternatives: list[set[str]] = []
    for word in words(text):
        options = {fold(word)} | {stem(word, lang) for lang in ANALYSED_LANGUAGES}
        options.discard("")
        if options:
            alternatives.append(options)
    return alternatives
