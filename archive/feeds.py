"""An RSS/Atom feed of newly published items: only what the consent policy allows on the web,
with fields from the public projection (names as the consent says to display them)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from archive import consent
from archive.i18n import pick
from archive.projection import public_projection


class LatestItemsFeed(Feed):
    title = _("Memories: newly shared stories")
    description = _("Testimonies, photographs and object stories recently published in the archive.")

    def link(self):
        return "/"

    def items(self):
        rows = (
            consent.visible_items("web")
            .select_related("event", "contributor")
            .prefetch_related("subjects", "media")
            .order_by("-published_at", "-pk")[:30]  # one direction: read backwards off the index
        )
        # Each entry is the projection; an item whose consent changed meanwhile drops out.
        return [p for p in (public_projection(item, "web") for item in rows) if p is not None]

    # RSS readers treat <description> (and many <title>) as HTML: contributor text goes out
    # escaped, so it shows as the characters typed and never becomes markup. The story is cut
    # before escaping, so the cut can never fall inside an entity or a tag.
    def item_title(self, public):
        return escape(pick(public.title).text)

    def item_description(self, public):
        return escape(pick(public.summary).text or pick(public.story).text[:500])

    def item_link(self, public):
        return reverse("item-detail", kwargs={"item_id": public.id})

    def item_guid(self, public):
        return f"{settings.SITE_URL}/items/{public.id}"

    item_guid_is_permalink = False

    def item_author_name(self, public):
        return public.name or None

    def item_pubdate(self, public):
        return public.published_at


class LatestItemsAtomFeed(LatestItemsFeed):
    feed_type = Atom1Feed
    subtitle = LatestItemsFeed.description

    def item_title(self, public):
        # An Atom <title> without a type is text: readers never parse it, so it goes as typed.
        return pick(public.title).text
