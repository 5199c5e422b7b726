"""The Federation admin menu: follows, followers, catalogue, deliveries, blocklists, identity.

Wagtail ``ModelViewSet``s list the rows (with Wagtail's filters and permissions); state
changes that must send an activity (follow, unfollow, approve, remove, retry) go through
small confirm-then-POST views that call the services in ``publishing`` and ``delivery``.
"""

from .viewsets import FederationViewSetGroup, admin_urls  # noqa: F401
