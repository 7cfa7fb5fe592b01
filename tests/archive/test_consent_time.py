"""Property: the policy's time functions agree with its answers.

Hypothesis draws a consent (scopes, withdrawal, embargo and expiry around a moment) and a moment
to ask at. Whatever it draws: `refusal_reason` is None exactly when `allows` says yes; no answer
changes between a moment and the `next_boundary` after it, and the queryset forms
(`visible_q`, `next_boundary_in`, `boundary_subqueries`, `crossed_q`) say what the per-item
functions say.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from archive import consent
from archive.models import SURFACES, ConsentVersion, Item
from tests.factories import ItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

HOURS = st.one_of(st.none(), st.integers(min_value=-72, max_value=72))


@st.composite
def consents(draw):
    embargo, expiry = draw(HOURS), draw(HOURS)
    if embargo is not None and expiry is not None and expiry <= embargo:
        expiry = embargo + draw(st.integers(min_value=1, max_value=48))
    return {
        "scopes": draw(st.lists(st.sampled_from(SURFACES), unique=True)),
        "withdrawn": draw(st.booleans()),
        "published": draw(st.booleans()),
        "embargo": embargo, "expiry": expiry,
        # Often exactly at a boundary (where >= and > differ), or half an hour off one.
        "ask": draw(st.sampled_from([h for h in (embargo, expiry) if h is not None] or [0])
                    | st.integers(min_value=-80, max_value=80)),
        "minutes": draw(st.sampled_from([0, 0, 30, -30])),
    }


def _make(drawn, base):
    hours = lambda h: None if h is None else base + timedelta(hours=h)  # noqa: E731
    item = ItemFactory(status=Item.Status.PUBLISHED if drawn["published"] else Item.Status.SUBMITTED,
                       consent={"scopes": drawn["scopes"], "withdrawn": drawn["withdrawn"],
                                "embargo_until": hours(drawn["embargo"]), "expires_at": hours(drawn["expiry"])})
    return Item.objects.select_related("current_consent").get(pk=item.pk)


@hsettings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=consents())
@example(drawn={"scopes": ["web"], "withdrawn": False, "published": True, "embargo": -2, "expiry": 5,
                "ask": 5, "minutes": 0})  # asked at the very moment consent expires
@example(drawn={"scopes": ["web"], "withdrawn": False, "published": True, "embargo": 3, "expiry": None,
                "ask": 3, "minutes": 0})  # asked at the very moment an embargo ends
def test_time_functions_agree_with_the_answers(drawn):
    Item.objects.all().delete()
    ConsentVersion.objects.all().delete()
    base = timezone.now().replace(microsecond=0)
    item = _make(drawn, base)
    at = base + timedelta(hours=drawn["ask"], minutes=drawn["minutes"])
    c = item.current_consent
    upcoming = consent.next_boundary(c, at)
    assert upcoming == consent.next_boundary_in(Item.objects.all(), at)
    assert upcoming is None or upcoming > at
    assert consent.boundaries(c, at) == sorted(t for t in (c.embargo_until, c.expires_at) if t and t > at)
    # The last moment before the boundary (or far ahead when there is none) answers as `at` does.
    before = (upcoming - timedelta(microseconds=1)) if upcoming else at + timedelta(days=3650)
    for surface in SURFACES:
        answer = consent.allows(item, surface, at)
        assert (consent.refusal_reason(item, surface, at) is None) is answer
        assert consent.allows(item, surface, before) is answer
        assert Item.objects.filter(consent.visible_q(surface, at), pk=item.pk).exists() is answer
    # Crossing a boundary is what crossed_q reports, field by field.
    for field in consent.TIME_FIELDS:
        moment = getattr(c, field)
        crossed = moment is not None and moment <= at
        assert Item.objects.filter(consent.crossed_q(field, at), pk=item.pk).exists() is crossed


def test_boundary_subqueries_find_the_first_moment_over_every_version():
    now = timezone.now()
    ItemFactory(consent={"embargo_until": now + timedelta(days=5), "expires_at": now + timedelta(days=9)})
    ItemFactory(consent={"expires_at": now + timedelta(days=2)})
    ItemFactory(consent={"embargo_until": now - timedelta(days=1)})
    row = Item.objects.annotate(**consent.boundary_subqueries(now)).values(*consent.TIME_FIELDS).first()
    assert row == {"embargo_until": now + timedelta(days=5), "expires_at": now + timedelta(days=2)}


def test_refusal_reasons_name_the_rule_that_counts():
    now = timezone.now()
    item = ItemFactory(consent={"scopes": ["web"], "embargo_until": now + timedelta(days=1)})
    assert consent.refusal_reason(item, "web", now).startswith("under embargo until")
    assert consent.refusal_reason(item, "search", now + timedelta(days=2)) == "consent does not cover search"
    assert consent.refusal_reason(item, "web", now + timedelta(days=2)) is None
    assert not consent.may_publish(None)
    assert consent.may_publish(item.current_consent)
