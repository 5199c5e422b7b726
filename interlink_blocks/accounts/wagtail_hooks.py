"""Hook wiring only: the account's part of a person's data download and deletion."""

from wagtail import hooks

from interlink_blocks.participation.services.privacy import (
    DELETE_PERSONAL_DATA_HOOK,
    PERSONAL_DATA_HOOK,
)

from . import services

hooks.register(PERSONAL_DATA_HOOK, services.account_data)
hooks.register(DELETE_PERSONAL_DATA_HOOK, services.delete_account_of)
