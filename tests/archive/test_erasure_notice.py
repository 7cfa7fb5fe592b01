"""The receipt and the management page say what an erasure cannot reach at once, and for how long
(settings.BACKUP_RETENTION_DAYS), in the contributor's language."""

import pytest

from archive import contributions


def submit():
    return contributions.submit_contribution(
        kind="object_story", title="A green coat", story="A synthetic story about a coat.", language="en",
        files=[], consent={"scopes": ["web"]},
    )


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["receipt", "manage"])
def test_the_retention_of_backups_is_said_with_its_period(client, settings, page):
    settings.BACKUP_RETENTION_DAYS = 45
    token = submit().token
    text = client.get(f"/en/{page}/{token}/").content.decode()
    assert "database backups and archived logs" in text
    assert "deleted within 45 days" in text


@pytest.mark.django_db
@pytest.mark.xdist_group("locale")
def test_the_notice_is_translated(client, settings):
    settings.BACKUP_RETENTION_DAYS = 30
    token = submit().token
    text = client.get(f"/fr/receipt/{token}/").content.decode()
    assert "sauvegardes de la base et journaux archivés" in text and "30 jours" in text


def test_the_default_retention_is_thirty_days():
    from memorial import settings as production

    assert production.BACKUP_RETENTION_DAYS == 30
