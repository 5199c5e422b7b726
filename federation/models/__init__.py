"""Federation state, one module per concern (Takahē style), re-exported here."""

from .actors import LocalActor, RemoteActor  # noqa: F401
from .blocks import BlockedActor, BlockedDomain, BlockSeverity  # noqa: F401
from .catalogue import RemoteObject, RemoteObjectKind, remote_objects_withdrawn  # noqa: F401
from .delivery import (  # noqa: F401
    Delivery,
    DeliveryState,
    HostHealth,
    OutboxActivity,
    WorkerHeartbeat,
)
from .follows import FOLLOW_TRANSITIONS, Follower, Following, FollowState  # noqa: F401
from .inbox import InboxMessage, InboxState  # noqa: F401
from .schedule import ScheduledJob  # noqa: F401
