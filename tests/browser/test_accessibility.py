"""axe-core reports no serious or critical violation on any page type, in English and in Arabic;
screenshots of the home page, an item and the contribution form in both languages."""

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from archive import contributions
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, ItemFactory, RemembranceDayFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _url(name, *args, lang="en"):
    with translation.override(lang):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            return None


@pytest.fixture
def content():
    day = RemembranceDayFactory(slug="synthetic-day", name={"en": "A day of remembrance (synthetic)",
                                                            "ar": "يوم للذكرى (متخيل)"})
    exhibition = ExhibitionFactory(slug="objects", featured=True, remembrance_day=day,
                                   title={"en": "Objects that remember", "ar": "أشياء تتذكر"},
                                   summary={"en": "Synthetic objects and their stories."})
    item = ItemFactory(title={"en": "A wristwatch stopped at 8:17", "ar": "ساعة يد توقفت عند 8:17"},
                       story={"en": "My father's watch stopped when the glass broke. (Synthetic.)"},
                       place="Eastport", date_text="2004")
    warned = ItemFactory(title={"en": "A torn jacket (synthetic)"}, content_warnings=["injury"])
    ExhibitionEntryFactory(exhibition=exhibition, item=item)
    ExhibitionEntryFactory(exhibition=exhibition, item=warned)
    submission = contributions.submit_contribution(
        kind="object_story", title="A synthetic key", story="A key I kept. (Synthetic.)", language="en", files=[],
        consent={"scopes": ["web"], "name_display": "anonymous"},
    )
    return {"day": day, "exhibition": exhibition, "item": item, "warned": warned, "token": submission.token}


def _pages(content, lang):
    token = content["token"]
    pages = [
        ("home", _url("home", lang=lang)),
        ("exhibitions", _url("exhibition-list", lang=lang)),
        ("exhibition", _url("exhibition-detail", "objects", lang=lang)),
        ("item", _url("item-detail", content["item"].pk, lang=lang)),
        ("content-warning", _url("item-detail", content["warned"].pk, lang=lang)),
        ("remembrance-day", _url("remembrance-day", "synthetic-day", lang=lang)),
        ("search", (_url("search", lang=lang) or "") + "?q=watch" if _url("search", lang=lang) else None),
        ("about", _url("about", lang=lang)),
        ("support", _url("support", lang=lang)),
        ("contribute", _url("contribute", lang=lang)),
        ("manage", _url("manage", token, lang=lang)),
        ("receipt", _url("receipt", token, lang=lang)),
    ]
    return [(name, path) for name, path in pages if path]


def _check(web, name, failures):
    violations = axe_violations(web)
    if violations:
        failures[name] = violations


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_serious_accessibility_violations(web, content, lang):
    failures = {}
    for name, path in _pages(content, lang):
        response = web.goto(path)
        assert response.status == 200, f"{name} {path} -> {response.status}"
        assert web.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        violations = axe_violations(web)
        if violations:
            failures[name] = violations
        if name in ("home", "item", "contribute", "search", "exhibition", "manage"):
            screenshot(web, f"{name}-{lang}")
    # The contribution steps after the first, and the confirmation page of the management flow.
    web.goto(_url("contribute", lang=lang))
    web.check("input[name=kind][value=object_story]")
    web.fill("#id_title", "Synthetic title")
    web.fill("#id_story", "A synthetic story.")
    web.locator("form button[type=submit]").last.click()
    web.wait_for_url(f"**{_url('contribute-files', lang=lang)}")
    _check(web, "files", failures)
    web.locator("button[name=continue]").click()
    web.wait_for_url(f"**{_url('contribute-consent', lang=lang)}")
    _check(web, "consent", failures)
    screenshot(web, f"contribute-choices-{lang}")
    web.locator("form button[type=submit]").last.click()
    web.wait_for_url(f"**{_url('contribute-review', lang=lang)}")
    _check(web, "review", failures)
    web.goto(_url("manage", content["token"], lang=lang))
    web.locator("form[action$='/withdraw/'] button").click()
    web.wait_for_load_state()
    _check(web, "confirm", failures)
    assert not failures, failures


def test_axe_check_can_fail(web):
    """The check above is real: a page with an unlabelled image and input is reported."""
    web.goto(_url("about"))
    web.evaluate("""() => { document.querySelector('main').insertAdjacentHTML('beforeend',
        '<img src="/static/none.png"><input type="text">'); }""")
    assert {v["id"] for v in axe_violations(web)} >= {"image-alt", "label"}
