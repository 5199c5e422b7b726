from .contributions import AnswerStatus, Contribution, ContributionKind, ContributionState  # noqa: F401
from .engagement import (  # noqa: F401
    CallWatch,
    NotificationEvent,
    Report,
    Subscription,
    Support,
    TeamRequest,
    TeamRequestState,
    TeamRole,
)
from .participants import Participant  # noqa: F401
