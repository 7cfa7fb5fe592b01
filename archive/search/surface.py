"""Registers the `search` surface with archive.surfaces, and keeps the index in step with edits.

The handler is called by archive.tasks.propagate_consent after every consent change or
publication. It is idempotent: it indexes the item when the policy allows it on `search` (now, or
once a future embargo ends: embargo and expiry are filtered at query time) and otherwise deletes
its document.
"""

from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from archive import surfaces
from archive.models import Item
from archive.search import checks  # noqa: F401  (registers the system check)
from archive.search.tasks import queue_index, queue_remove, sync_item


class SearchSurface(surfaces.Surface):
    name = "search"
    label = _("Search")

    def propagate(self, item: Item) -> str:
        return sync_item(str(item.pk))


surfaces.register(SearchSurface())


def _item_saved(sender, instance: Item, raw: bool = False, **kwargs) -> None:
    # A curator's edit (title, description, status) changes the document: reindex after commit.
    if not raw:
        queue_index(instance.pk)


def _item_deleted(sender, instance: Item, **kwargs) -> None:
    queue_remove(instance.pk)


post_save.connect(_item_saved, sender=Item, dispatch_uid="archive.search.item_saved")
post_delete.connect(_item_deleted, sender=Item, dispatch_uid="archive.search.item_deleted")
