"""The admin is a safe side door: it lists and describes, but cannot publish or edit consent."""

import pytest

from archive.models import Item
from tests.factories import ExhibitionEntryFactory, ItemFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/admin/archive/item/", "/admin/archive/auditevent/", "/admin/archive/consentversion/",
                                 "/admin/media_pipeline/mediaasset/", "/admin/exhibitions/exhibition/",
                                 "/admin/archive/contributor/"])
def test_admin_pages_render(url, administrator, as_user):
    ItemFactory()
    expected = 404 if url.endswith("consentversion/") else 200  # consent only inline, read-only
    assert as_user(administrator).get(url).status_code == expected


def test_admin_cannot_publish_or_show_contact_details(curator, as_user):
    item = ItemFactory(status=Item.Status.SUBMITTED, consent={"scopes": ["search"]})
    client = as_user(curator)
    page = client.get(f"/admin/archive/item/{item.pk}/change/")
    assert page.status_code == 200
    assert 'name="status"' not in page.text  # read-only: publishing goes through moderation
    assert item.contributor.contact_email not in page.text
    entry = ExhibitionEntryFactory()
    exhibition_page = client.get(f"/admin/exhibitions/exhibition/{entry.exhibition_id}/change/")
    assert exhibition_page.status_code == 200 and 'name="entries-0-item"' not in exhibition_page.text
