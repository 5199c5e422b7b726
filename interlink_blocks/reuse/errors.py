"""What can go wrong in a reuse, with messages an editor can act on."""


class ReuseError(Exception):
    """A reuse could not be done; the message says why. Nothing was created."""


class ReuseRefused(ReuseError):
    """The origin may not be reused (licence, unknown type, bad metadata)."""


class DuplicateReuse(ReuseError):
    """The origin object was reused here before: open ``page`` instead of copying again."""

    def __init__(self, message: str, page):
        super().__init__(message)
        self.page = page
