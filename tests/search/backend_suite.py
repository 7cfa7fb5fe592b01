"""The one backend test suite. Each backend's test module subclasses BackendSuite and provides
a `backend` fixture (an empty index); every test here must pass on every backend.

Only behaviour a backend itself owns is tested here: matching, facets, filters, sorting, paging,
time filtering, writes and rebuilds. Consent re-checks and highlighting are in test_public.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from archive.search.base import SearchQuery
from tests.factories import ItemFactory
from tests.search.helpers import corpus, documents


def ids(results) -> set[str]:
    return {h.id for h in results.hits}


def facet(results, name) -> dict[str, int]:
    return {b.value: b.count for b in results.facets[name]}


class BackendSuite:
    @pytest.fixture
    def items(self, backend):
        items = corpus()
        backend.index(documents(items))
        return items

    def q(self, backend, text="", **kw):
        return backend.search(SearchQuery(text=text, **kw))

    def test_count_and_match_all(self, backend, items):
        assert backend.count() == 5
        r = self.q(backend)
        assert r.total == 5 and len(r.hits) == 5
        assert r.took_ms >= 0

    def test_single_word_and_case(self, backend, items):
        assert ids(self.q(backend, "SCARF")) == {str(items["scarf"].pk)}
        assert ids(self.q(backend, "watch")) == {str(items["watch"].pk)}

    def test_diacritic_insensitive_both_ways(self, backend, items):
        assert ids(self.q(backend, "cafe")) == {str(items["watch"].pk)}
        assert ids(self.q(backend, "arrêtée")) == ids(self.q(backend, "arretee")) == {str(items["watch"].pk)}

    def test_prefix_of_last_word(self, backend, items):
        assert ids(self.q(backend, "wrist")) == {str(items["watch"].pk)}
        assert ids(self.q(backend, "bufan")) == {str(items["scarf"].pk)}

    def test_phrase_keeps_word_order(self, backend, items):
        assert ids(self.q(backend, '"blue scarf"')) == {str(items["scarf"].pk)}
        assert ids(self.q(backend, '"scarf blue"')) == set()

    def test_all_words_required(self, backend, items):
        assert ids(self.q(backend, "watch siege")) == set()

    def test_arabic_normalisation(self, backend, items):
        want = {str(items["arabic"].pk)}
        assert ids(self.q(backend, "احمد")) == want          # hamza on alef, harakat
        assert ids(self.q(backend, "المدرسه")) == want       # taa marbuta written as haa
        assert ids(self.q(backend, "إلى المكتبة")) == want   # alef forms, alef maqsura

    def test_chinese_without_spaces(self, backend, items):
        want = {str(items["chinese"].pk)}
        assert ids(self.q(backend, "手表")) == want
        assert ids(self.q(backend, "爆炸中")) == want
        assert ids(self.q(backend, "表手")) == set()

    def test_transcript_text_is_searchable(self, backend, items):
        assert ids(self.q(backend, "umbrella")) == {str(items["testimony"].pk)}
        hit = self.q(backend, "umbrella").hits[0]
        assert any(c["start"] == 12.5 for c in hit.document["cues"])

    def test_facet_counts(self, backend, items):
        r = self.q(backend)
        assert facet(r, "kind") == {"object_story": 2, "photograph": 1, "testimony": 2}
        assert facet(r, "country") == {"XA": 2, "XB": 2, "XC": 1}
        assert facet(r, "event") == {"synthetic-blast": 2, "synthetic-siege": 2}
        assert facet(r, "decade") == {"1990": 1, "2000": 2, "2010": 2}
        assert facet(r, "year")["2004"] == 1
        langs = facet(r, "language")
        assert langs["en"] == 3 and langs["ar"] == 1 and langs["zh-hans"] == 1 and langs["fr"] == 1
        assert facet(r, "has_transcript") == {"true": 1, "false": 4}
        assert facet(r, "content_warning") == {"true": 1, "false": 4}

    def test_hidden_items_leave_hits_total_and_facets(self, backend, items):
        hidden = (str(items["scarf"].pk), str(items["testimony"].pk))
        r = self.q(backend, hidden=hidden)
        assert r.total == 3 and ids(r) == {str(i.pk) for i in items.values()} - set(hidden)
        assert facet(r, "kind") == {"object_story": 2, "testimony": 1}
        assert facet(r, "has_transcript") == {"false": 3} and facet(r, "content_warning") == {"false": 3}
        assert ids(self.q(backend, "scarf", hidden=hidden)) == set()

    def test_facets_follow_the_query(self, backend, items):
        r = self.q(backend, "synthetic")
        assert r.total == 4
        assert facet(r, "country") == {"XA": 2, "XB": 2}

    def test_filters(self, backend, items):
        assert ids(self.q(backend, filters={"kind": ["photograph"]})) == {str(items["scarf"].pk)}
        assert ids(self.q(backend, filters={"language": ["ar", "zh-hans"]})) == {
            str(items["arabic"].pk), str(items["chinese"].pk)}
        assert ids(self.q(backend, filters={"has_transcript": ["true"]})) == {str(items["testimony"].pk)}
        assert ids(self.q(backend, filters={"content_warning": ["true"]})) == {str(items["scarf"].pk)}
        r = self.q(backend, filters={"decade": ["2000"], "country": ["XA"]})
        assert ids(r) == {str(items["watch"].pk), str(items["arabic"].pk)}
        assert facet(r, "kind") == {"object_story": 1, "testimony": 1}
        assert ids(self.q(backend, filters={"year": ["not-a-year"]})) == set()

    def test_a_facet_counts_without_its_own_filter(self, backend, items):
        # Faceted search: choosing XA keeps XB and XC on offer (OR within a facet), while every
        # other facet counts only what the filters leave.
        r = self.q(backend, filters={"country": ["XA"]})
        assert r.total == 2
        assert facet(r, "country") == {"XA": 2, "XB": 2, "XC": 1}
        assert facet(r, "kind") == {"object_story": 1, "testimony": 1}
        r = self.q(backend, filters={"country": ["XA"], "kind": ["testimony"]})
        assert ids(r) == {str(items["arabic"].pk)}
        assert facet(r, "country") == {"XA": 1, "XB": 1}
        assert facet(r, "kind") == {"object_story": 1, "testimony": 1}
        assert facet(r, "has_transcript") == {"false": 1}
        r = self.q(backend, filters={"language": ["ar"]})
        assert facet(r, "language")["en"] == 3 and r.total == 1

    def test_sort_by_date_and_pagination(self, backend, items):
        newest = [h.id for h in self.q(backend, sort="newest").hits]
        assert newest[0] == str(items["testimony"].pk) and newest[-1] == str(items["chinese"].pk)
        oldest = [h.id for h in self.q(backend, sort="oldest").hits]
        assert oldest == list(reversed(newest))
        page2 = self.q(backend, sort="newest", page=2, page_size=2)
        assert page2.total == 5 and [h.id for h in page2.hits] == newest[2:4]

    def test_relevance_prefers_title_matches(self, backend, items):
        extra = ItemFactory(title={"en": "A letter"}, summary={"en": "She wrote about a scarf."}, story={})
        backend.index(documents([extra]))
        hits = self.q(backend, "scarf").hits
        assert [h.id for h in hits] == [str(items["scarf"].pk), str(extra.pk)]

    def test_replace_and_delete(self, backend, items):
        watch = items["watch"]
        watch.title = {"en": "A pocket compass"}
        watch.save()
        backend.index(documents([watch]))
        assert backend.count() == 5
        assert ids(self.q(backend, "compass")) == {str(watch.pk)}
        assert ids(self.q(backend, "wristwatch")) == set()
        backend.delete([str(watch.pk), "no-such-id"])
        assert backend.count() == 4
        assert ids(self.q(backend, "compass")) == set()
        assert str(watch.pk) not in set(backend.ids())

    def test_purge_removes_for_good(self, backend, items):
        # What an erasure calls: the document goes like a delete (compaction is backend-specific).
        watch = items["watch"]
        assert backend.purge([str(watch.pk), "no-such-id"]) == 2
        assert backend.count() == 4
        assert ids(self.q(backend, "wristwatch")) == set()
        assert str(watch.pk) not in set(backend.ids())

    def test_embargo_and_expiry_filtered_at_query_time(self, backend):
        now = timezone.now()
        embargoed = ItemFactory(title={"en": "Embargoed lantern"}, consent={"embargo_until": now + timedelta(days=2)})
        expiring = ItemFactory(title={"en": "Expiring lantern"}, consent={"expires_at": now + timedelta(days=5)})
        backend.index(documents([embargoed, expiring]))
        assert ids(self.q(backend, "lantern", at=now)) == {str(expiring.pk)}
        assert ids(self.q(backend, "lantern", at=now + timedelta(days=3))) == {str(expiring.pk), str(embargoed.pk)}
        assert ids(self.q(backend, "lantern", at=now + timedelta(days=6))) == {str(embargoed.pk)}
        assert backend.count(visible_at=now) == 1
        assert backend.count() == 2

    def test_rebuild_swaps_in_a_complete_index(self, backend, items):
        target = backend.start_rebuild()
        docs = documents(items)
        backend.index(docs[:2], target=target)
        # Until the rebuild finishes, the live index still answers with everything.
        assert self.q(backend).total == 5
        backend.index(docs[2:], target=target)
        backend.finish_rebuild(target)
        assert self.q(backend).total == 5
        assert ids(self.q(backend, "scarf")) == {str(items["scarf"].pk)}

    def test_clear(self, backend, items):
        backend.clear()
        assert backend.count() == 0
        assert self.q(backend).total == 0
