"""The interface both search backends implement."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable

from ..types import Document, SearchQuery, SearchResults


class SearchUnavailable(Exception):
    """The engine could not be reached or refused the request (index updates wait)."""


class SearchTooSlow(Exception):
    """A database search ran past ``SEARCH_DATABASE_TIMEOUT`` and was stopped."""


class RebuildIncomplete(Exception):
    """A rebuilt index does not hold what was written into it: it must not go live."""


class SearchBackend(ABC):
    name: str = ""

    @abstractmethod
    def search(self, query: SearchQuery) -> SearchResults:
        """Hits (highlighted), facet counts, the cursor of the next page and, when
        ``query.suggest`` is set, title completions of the query's words."""

    def count(self, queries: list[SearchQuery]) -> list[int]:
        """How many results each query has (the "no results" help), in one request
        where the backend can."""
        return [self.search(query).total for query in queries]

    @abstractmethod
    def suggest(self, prefix: str, size: int = 8, language: str = "") -> list[str]:
        """Titles with a word starting with ``prefix`` (completion)."""

    @abstractmethod
    def related(
        self, key: str, size: int = 4, kind: str | None = None, language: str = ""
    ) -> list[Document]:
        """Documents like the one with ``key`` (shared sectors, similar words), never
        the document itself or its translations."""

    @abstractmethod
    def upsert(self, documents: Iterable[Document]) -> int:
        """Add or replace documents by key; returns how many were written."""

    @abstractmethod
    def delete(self, keys: Iterable[str]) -> int:
        """Remove documents by key (missing keys are fine)."""

    @abstractmethod
    def keys(self) -> set[str]:
        """Every key in the live index (for reindex clean-up and checks)."""

    def refresh(self) -> None:  # noqa: B027 - optional hook
        """Make recent writes visible to searches (tests, reindex)."""

    def after_writes(self) -> None:  # noqa: B027 - optional hook
        """Housekeeping once a run of index updates is applied (the task's end)."""

    # Reindex: build a fresh index beside the live one, then switch atomically.
    @abstractmethod
    def begin_rebuild(self, target: str | None = None) -> str:
        """Prepare (or reopen, when resuming) a rebuild target; returns its name."""

    def rebuild_target_exists(self, target: str) -> bool:
        """Whether an interrupted rebuild's target is still there to resume into."""
        return True

    @abstractmethod
    def upsert_into(self, target: str, documents: Iterable[Document]) -> int:
        """Write documents into a rebuild target."""

    @abstractmethod
    def finish_rebuild(self, target: str, expected: int | None = None) -> None:
        """Make the rebuilt target the live index; raises ``RebuildIncomplete`` (and
        leaves the live index alone) unless the target holds ``expected`` documents."""
