"""Text analysis for the database backend, mirroring the Elasticsearch analyzers.

Elasticsearch analyses text itself (see ``interlink_search.documents``); the database backend
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

# Letters that Unicode does not decompose but Elasticsearch's ``asciifolding`` folds
# (Lucene's ASCIIFoldingFilter), so both backends fold "Straße" to "strasse".
_ASCII_FOLDING = str.maketrans(
    {
        "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "ð": "d",
        "þ": "th", "ı": "i", "ħ": "h", "ŧ": "t", "ŀ": "l", "ŋ": "n", "ĸ": "q", "ſ": "s",
    }
)  # fmt: skip

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
    """Lower-case and fold to ASCII as ``asciifolding`` does: "Participación" ->
    "participacion", "Straße" -> "strasse", "Ærø" -> "aero"."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_ASCII_FOLDING))
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


# Per language: a lower-cased word -> its indexed terms. A plain dict read in a list
# comprehension costs half of an ``lru_cache`` call per word; cleared when it grows big.
_TERMS: dict[str, dict[str, str]] = {}
_TERMS_LIMIT = 400_000


def word_terms(word: str, language: str) -> str:
    """A lower-cased word's indexed terms: its folded form, then its stem if different."""
    folded = fold_word(word)
    stemmed = stem(word, language)
    return folded if stemmed == folded else f"{folded} {stemmed}"


def document_terms(texts: Iterable[str], language: str) -> str:
    """The terms the database backend indexes: folded words plus their stems."""
    cache = _TERMS.setdefault(language, {})
    if len(cache) > _TERMS_LIMIT:
        cache.clear()
    known = cache.get
    terms: list[str] = []
    for text in texts:
        terms += [
            known(word) or cache.setdefault(word, word_terms(word, language))
            for word in words(text)
        ]
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
