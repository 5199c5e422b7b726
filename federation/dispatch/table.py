"""The dispatch table: which handlers an inbound activity reaches, by activity and object type.

A route is ``(activity type, object type) → handler``. The object type is the embedded
object's ``type`` (every one of them when it is a list), ``ID_ONLY`` when the activity
names its object by id alone (a string, or an object without ``type``: what most
``Like``s, ``Delete``s and some ``Undo``s carry), and a route for ``ANY`` object type
matches all of these. An activity reaches every handler whose route matches it, exact
routes first, each handler **once** even if several of its routes match; each handler
decides from the object whether it concerns its feature (a ``Create(Note)`` is a reply to
one of our calls, or it is nothing to participation).

>>> table = DispatchTable()
>>> table.register("Like", ANY, lambda incoming: True, feature="participation")
>>> [route.feature for route in table.routes_for({"type": "Like", "object": "https://x/1"})]
['participation']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..models import RemoteActor

ANY = "*"
ID_ONLY = "@id"


def id_of(value: Any) -> str:
    """The id of an ActivityStreams reference: a string, or an object's ``id``."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def route_key(activity: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    """The activity's type, and its object's types (``(ID_ONLY,)`` for an object named by
    id alone)."""
    kind = activity.get("type")
    obj = activity.get("object")
    object_kind = obj.get("type") if isinstance(obj, dict) else None
    kinds = object_kind if isinstance(object_kind, list) else [object_kind]
    found = tuple(item for item in kinds if isinstance(item, str) and item)
    return (kind if isinstance(kind, str) else ""), (found or (ID_ONLY,))


@dataclass(frozen=True)
class Incoming:
    """One verified, stored activity from ``sender``, as handlers read it."""

    activity: dict[str, Any]
    sender: RemoteActor

    @property
    def type(self) -> str:
        return route_key(self.activity)[0]

    @property
    def object(self) -> dict[str, Any] | None:
        """The embedded object, or ``None`` when only its id is given."""
        obj = self.activity.get("object")
        return obj if isinstance(obj, dict) else None

    @property
    def object_id(self) -> str:
        return id_of(self.activity.get("object"))

    @property
    def object_types(self) -> tuple[str, ...]:
        return route_key(self.activity)[1]


# A handler returns whether it acted on the activity (the message is then "processed";
# when no handler did, "ignored"). It raises only for a failure worth retrying: the
# message is then marked failed and every handler's writes for it are rolled back.
Handler = Callable[[Incoming], bool]


@dataclass(frozen=True)
class Route:
    activity_type: str
    object_type: str
    handler: Handler
    feature: str

    @property
    def name(self) -> str:
        return f"{self.feature}.{getattr(self.handler, '__name__', repr(self.handler))}"


class RouteError(ValueError):
    """A route registered twice, or with a type that can never match."""


class DispatchTable:
    """Routes in registration order; see the module docstring for how they match."""

    def __init__(self) -> None:
        self._routes: dict[tuple[str, str], list[Route]] = {}

    def register(self, activity_type: str, object_type: str, handler: Handler, *,
                 feature: str) -> Route:  # fmt: skip
        if not activity_type or activity_type == ANY or not object_type:
            raise RouteError(f"{feature}: a route needs an activity type and an object type")
        key = (activity_type, object_type)
        if any(route.handler is handler for route in self._routes.get(key, [])):
            raise RouteError(f"{feature}: {handler!r} is already registered for {key}")
        route = Route(activity_type, object_type, handler, feature)
        self._routes.setdefault(key, []).append(route)
        return route

    def unregister(self, route: Route) -> None:
        self._routes[(route.activity_type, route.object_type)].remove(route)

    def routes(self) -> list[Route]:
        """Every route, by activity type then registration order (for docs and checks)."""
        return sorted(
            (route for routes in self._routes.values() for route in routes),
            key=lambda route: route.activity_type,
        )

    def routes_for(self, activity: dict[str, Any]) -> list[Route]:
        """The routes ``activity`` reaches, one per handler, exact object types first."""
        activity_type, object_types = route_key(activity)
        matched: dict[Handler, Route] = {}
        for object_type in (*object_types, ANY):
            for route in self._routes.get((activity_type, object_type), []):
                matched.setdefault(route.handler, route)
        return list(matched.values())

    def dispatch(self, incoming: Incoming) -> bool:
        """Calls every handler ``incoming`` reaches; whether any of them acted on it."""
        acted = False
        for route in self.routes_for(incoming.activity):
            acted = bool(route.handler(incoming)) or acted
        return acted

    @contextmanager
    def extra_route(self, activity_type: str, object_type: str, handler: Handler, *,
                    feature: str = "test") -> Iterator[Route]:  # fmt: skip
        """A route that exists only inside the ``with`` block (tests, experiments)."""
        route = self.register(activity_type, object_type, handler, feature=feature)
        try:
            yield route
        finally:
            self.unregister(route)


table = DispatchTable()


def handles(activity_type: str, *object_types: str) -> Callable[[Handler], Handler]:
    """Registers the decorated function in ``table`` for ``activity_type`` and each of
    ``object_types`` (``ANY`` when none is given); its feature is its module's name."""

    def register(handler: Handler) -> Handler:
        feature = handler.__module__.rsplit(".", 1)[-1]
        for object_type in object_types or (ANY,):
            table.register(activity_type, object_type, handler, feature=feature)
        return handler

    return register
