from .assets import AssetDocument, AssetImage, AssetIndexPage, AssetPage  # noqa: F401
from .base import InterlinkPage  # noqa: F401
from .calls import CallIndexPage, CallPage  # noqa: F401
from .fragments import FragmentGeneration  # noqa: F401
from .home import InformationPage, MunicipalityHomePage  # noqa: F401
from .stories import StoryIndexPage, StoryPage  # noqa: F401
from .taxonomy import GovernanceModel, LifeEvent, Sector  # noqa: F401
