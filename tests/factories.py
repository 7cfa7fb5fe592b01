"""Factories for the models (synthetic content only: no real people)."""

import factory
from django.utils import timezone

from archive import services
from archive.models import SURFACES, Contributor, Event, Item, Subject
from exhibitions.models import Exhibition, ExhibitionEntry, RemembranceDay


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    name = factory.Sequence(lambda n: {"en": f"Synthetic event {n}", "fr": f"Événement fictif {n}"})
    country = "XX"


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject

    slug = factory.Sequence(lambda n: f"subject-{n}")
    label = factory.Sequence(lambda n: {"en": f"Subject {n}"})


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contributor

    name = factory.Sequence(lambda n: f"Alex Example{n}")
    contact_email = factory.Sequence(lambda n: f"person{n}@example.org")


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item
        skip_postgeneration_save = True

    kind = Item.Kind.OBJECT_STORY
    status = Item.Status.PUBLISHED
    title = factory.Sequence(lambda n: {"en": f"A wristwatch kept {n}", "ar": f"ساعة يد {n}"})
    summary = factory.Sequence(lambda n: {"en": f"Summary {n}"})
    story = factory.Sequence(lambda n: {"en": f"The story of object {n}, synthetic."})
    contributor = factory.SubFactory(ContributorFactory)
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def consent(obj, create, extracted, **kwargs):
        """ItemFactory(consent={"scopes": [...], ...}); default: every scope, full name."""
        if not create or extracted is False:
            return
        options = {"scopes": list(SURFACES), "name_display": "full", "display_name": "Alex Example"}
        options.update(extracted or {})
        options.update(kwargs)
        services.record_consent(obj, propagate=False, actor_label="test", **options)


class RemembranceDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RemembranceDay

    slug = factory.Sequence(lambda n: f"day-{n}")
    name = {"en": "International Day of Remembrance of and Tribute to the Victims of Terrorism"}
    month = 8
    day = 21


class ExhibitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exhibition

    slug = factory.Sequence(lambda n: f"exhibition-{n}")
    title = factory.Sequence(lambda n: {"en": f"Objects that remember {n}"})
    status = Exhibition.Status.PUBLISHED


class ExhibitionEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExhibitionEntry

    exhibition = factory.SubFactory(ExhibitionFactory)
    item = factory.SubFactory(ItemFactory)
    position = factory.Sequence(int)
