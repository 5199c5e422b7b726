"""What starts a new fragment generation (``interlink_blocks.fragments``) in the core.

Cached fragments show other pages (related assets, similar calls), taxonomy names and
URLs, so any change to the published page tree, view restrictions, sites or taxonomies
invalidates them. The optional apps connect their own models the same way.
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .fragments import invalidate
from .models import GovernanceModel, LifeEvent, Sector

page_published.connect(invalidate, dispatch_uid="interlink_fragments_published")
page_unpublished.connect(invalidate, dispatch_uid="interlink_fragments_unpublished")
post_page_move.connect(invalidate, dispatch_uid="interlink_fragments_moved")

# Deleting a page of any type deletes its ``Page`` row too, which sends this once.
post_delete.connect(invalidate, sender=Page, dispatch_uid="interlink_fragments_page_deleted")

for model in (PageViewRestriction, Site, Sector, LifeEvent, GovernanceModel):
    post_save.connect(invalidate, sender=model, dispatch_uid=f"interlink_fragments_{model}")
    post_delete.connect(invalidate, sender=model, dispatch_uid=f"interlink_fragments_{model}")


def _brand_changed(sender, instance, created=False, **kwargs):
    # Wagtail creates a site's settings with their defaults on first use: nothing changes.
    if not created:
        invalidate()


# The brand (themes) names no fragment's content today, but a new brand is rare and a
# theme may override the fragments' templates: start afresh rather than reason about it.
if apps.is_installed("interlink_themes"):
    theme_settings = apps.get_model("interlink_themes", "ThemeSettings")
    post_save.connect(
        _brand_changed, sender=theme_settings, dispatch_uid="interlink_fragments_theme"
    )
