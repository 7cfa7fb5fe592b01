"""One sign-in page for staff and researchers: the reading room's old sign-in URL follows it, a
researcher lands in the reading room, and the workspace's brand link takes them there too."""

from django.urls import reverse


def test_the_old_research_sign_in_redirects_with_its_next(client, db):
    response = client.get("/fr/curator/research/sign-in/?next=/fr/curator/research/")
    assert response.status_code == 301
    assert response["Location"] == "/fr/account/sign-in/?next=/fr/curator/research/"


def test_anonymous_readers_are_sent_to_the_one_sign_in(client, db):
    response = client.get(reverse("research:room"))
    assert response.status_code == 302 and response["Location"].startswith("/en/account/sign-in/?next=")


def test_a_researcher_signs_in_on_the_one_page_and_lands_in_the_reading_room(client, researcher):
    page = client.get("/en/account/sign-in/")
    assert b"Vetted researchers sign in here too" in page.content
    response = client.post("/en/account/sign-in/", {"username": "test-researcher",
                                                    "password": "pw-for-tests-researcher"})
    assert response.status_code == 302 and response["Location"] == reverse("research:room")
    room = client.get(response["Location"])
    assert room.status_code == 200
    assert b'class="cw-brand" href="/en/curator/research/"' in room.content
    assert b"/en/account/recovery-codes/" not in room.content  # no second factor, so no codes to offer
    assert client.get(reverse("curator:dashboard")).status_code == 403  # still not staff


def test_staff_land_in_the_workspace(client, archivist):
    response = client.post("/en/account/sign-in/", {"username": "test-archivist", "password": "pw-for-tests"})
    assert response.status_code == 302 and response["Location"] == reverse("curator:dashboard")
