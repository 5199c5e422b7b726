from .claims import Certificate, Claim, ClaimKind, ClaimState  # noqa: F401
from .discussion import (  # noqa: F401
    Message,
    MessageReport,
    MessageState,
    Notification,
    NotificationSettings,
    NotifyKind,
    NotifyMode,
)
from .log import Activity, Verb  # noqa: F401
from .process import Objective, Process, ProcessPhase, Task, WorkStatus  # noqa: F401
from .resources import Resource, ResourceKind, ResourceVersion  # noqa: F401
from .team import Invitation, Membership, ProcessRole  # noqa: F401
