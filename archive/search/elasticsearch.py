"""The Elasticsearch backend, through elasticsearch-dsl: documents, mappings with per-language
analyzers, bulk indexing, and an alias so that a full reindex swaps in with no downtime.

OPTIONS (settings.SEARCH_BACKENDS[alias]["OPTIONS"]):
- url: the cluster, e.g. http://127.0.0.1:9200 (ELASTICSEARCH_URL)
- index_prefix: names are <prefix>-items (the alias) and <prefix>-items-<timestamp> (indices)
- plain_json (default True): send `application/json` rather than the client's vendor media type
  (`application/vnd.elasticsearch+json; compatible-with=8`). Elasticsearch 8 accepts both;
  OpenSearch-compatible servers (the osmem stand-in used in tests) answer 406 to the vendor type.
- timeout (seconds, default 5), refresh (default True: a single update is visible at once)
- fallback: another SEARCH_BACKENDS alias to answer queries while this one is down.
- api_key (ELASTICSEARCH_API_KEY), ca_certs (a CA bundle path, ELASTICSEARCH_CA_CERTS), shards and
  replicas of a new index (ELASTICSEARCH_SHARDS, ELASTICSEARCH_REPLICAS; default 1 and 0)

Matching runs on the text normalised in Python (archive.search.normalise), indexed with a
whitespace analyzer, so results agree with the database backend whatever analyzers the cluster
has. The per-language fields (english, french, russian, spanish, arabic; Chinese with CJK
bigrams, because the smartcn plugin is not part of a stock cluster nor of the stand-in) only add
to the score: stemmed matches in the visitor's language rank higher but never change the set.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

from django.utils import timezone
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout, TransportError, Urllib3HttpNode
from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers
from elasticsearch_dsl import (
    Boolean,
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    MetaField,
    Object,
    Text,
    analyzer,
    token_filter,
)

from archive.search import es_facets
from archive.search.base import (
    BaseSearchBackend,
    Hit,
    SearchQuery,
    SearchResults,
    SearchUnavailable,
)

logger = logging.getLogger(__name__)
_VENDOR_TYPE = re.compile(r"application/vnd\.elasticsearch\+([\w-]+)(;\s*compatible-with=\d+)?")


class PlainJsonNode(Urllib3HttpNode):
    """An HTTP node that sends plain application/json (and x-ndjson) media types."""

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        if headers:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                value = headers.get(name)
                if value:
                    headers[name] = _VENDOR_TYPE.sub(r"application/\1", value)
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)


# -- analysis ---------------------------------------------------------------------------------
# Text arrives already normalised (lower case, no diacritics, CJK bigrams): split on spaces only.
normalised = analyzer("normalised", tokenizer="whitespace", filter=["lowercase"])
zh_bigram = analyzer(
    "zh_bigram", tokenizer="standard",
    filter=["cjk_width", "lowercase", token_filter("zh_bigrams", "cjk_bigram", output_unigrams=False)],
)
# Named analyzers of the built-in language types (declared in the index settings, so that a
# cluster without one, like the stand-in for `arabic`, falls back instead of refusing the mapping).
LANGUAGE_ANALYZERS = {
    "en": analyzer("lang_en", type="english"), "fr": analyzer("lang_fr", type="french"),
    "ru": analyzer("lang_ru", type="russian"), "es": analyzer("lang_es", type="spanish"),
    "ar": analyzer("lang_ar", type="arabic"), "zh": zh_bigram,
}


class ItemDocument(Document):
    """The mapping. The document is stored whole in _source (for display); only these fields are
    indexed, the rest (language maps, cues, subjects) are kept but not searchable."""

    id = Keyword()
    kind = Keyword()
    event = Keyword()
    country = Keyword()
    languages = Keyword(multi=True)
    exhibitions = Keyword(multi=True)
    year = Integer()
    decade = Integer()
    has_transcript = Boolean()
    content_warning = Boolean()
    date = Date()
    published_at = Date()
    embargo_until = Date()
    expires_at = Date()
    text = Object(properties={
        "title": Text(analyzer=normalised),
        "body": Text(analyzer=normalised),
        "transcript": Text(analyzer=normalised),
    })
    by_language = Object(dynamic=False, properties={
        lang: Text(analyzer=a) for lang, a in LANGUAGE_ANALYZERS.items()
    })

    class Meta:
        dynamic = MetaField(False)


TEXT_FIELDS = ["text.title^4", "text.body", "text.transcript^0.7"]
FACET_SIZE = {"year": 100, "event": 50, "country": 50, "exhibition": 50}
_FACET_FIELD = {"language": "languages", "exhibition": "exhibitions"}


def build_index(name: str, shards: int = 1, replicas: int = 0) -> Index:
    index = Index(name)
    index.settings(number_of_shards=shards, number_of_replicas=replicas)
    index.document(ItemDocument)
    return index


def _field(facet: str) -> str:
    return _FACET_FIELD.get(facet, facet)


def _time_filters(at: datetime) -> list[dict]:
    moment = at.isoformat()
    return [
        {"bool": {"should": [{"bool": {"must_not": {"exists": {"field": "embargo_until"}}}},
                             {"range": {"embargo_until": {"lte": moment}}}], "minimum_should_match": 1}},
        {"bool": {"should": [{"bool": {"must_not": {"exists": {"field": "expires_at"}}}},
                             {"range": {"expires_at": {"gt": moment}}}], "minimum_should_match": 1}},
    ]


def _facet_filter(facet: str, values: list[str]) -> dict | None:
    """The filter clause of one facet (OR within the facet), or None when it filters nothing."""
    if facet in ("has_transcript", "content_warning"):
        wanted = {v.lower() in ("1", "true", "yes", "on") for v in values}
        return {"term": {facet: wanted.pop()}} if len(wanted) == 1 else None
    if facet in ("year", "decade"):
        numbers = [int(v) for v in values if v.isascii() and v.lstrip("-").isdigit() and len(v) <= 6]
        return {"terms": {facet: numbers}} if numbers else {"bool": {"must_not": {"match_all": {}}}}
    return {"terms": {_field(facet): list(values)}}


def _text_clauses(query: SearchQuery) -> tuple[list[dict], list[dict]]:
    """The clauses every match must meet, and the stemmed ones that only add to the score."""
    parsed = query.parsed
    must = [{"multi_match": {"query": t, "fields": TEXT_FIELDS}} for t in parsed.terms]
    must += [{"multi_match": {"query": " ".join(p), "type": "phrase", "fields": TEXT_FIELDS}}
             for p in parsed.phrases]
    if parsed.prefix:
        must.append({"multi_match": {"query": parsed.prefix, "type": "phrase_prefix", "fields": TEXT_FIELDS}})
    lang = (query.language or "en").split("-")[0]
    should = [{"match": {f"by_language.{lang if lang in LANGUAGE_ANALYZERS else 'en'}": {
        "query": query.text[:500], "boost": 0.5}}}]
    return must, should


def _sort(sort: str) -> list:
    if sort == "newest":
        return [{"date": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
    if sort == "oldest":
        return [{"date": {"order": "asc", "missing": "_last"}}, {"id": "asc"}]
    return ["_score", {"date": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]


def build_query(query: SearchQuery) -> dict:
    """The search request body for `query` (pure: golden-tested)."""
    filters = _time_filters(query.at or timezone.now())
    facet_clauses = {}
    for facet, values in sorted(query.filters.items()):
        clause = _facet_filter(facet, values)
        if clause is not None:
            facet_clauses[facet] = clause
    bool_query: dict = {"filter": filters}
    if query.hidden:
        bool_query["must_not"] = [{"ids": {"values": list(query.hidden)}}]
    if not query.parsed.empty:
        # Stemmed matches in the language fields only add to the score.
        bool_query["must"], bool_query["should"] = _text_clauses(query)
    body = {
        "query": {"bool": bool_query},
        "sort": _sort(query.sort),
        "from": query.offset,
        "size": query.page_size,
        "track_total_hits": True,
        "aggs": es_facets.aggs(query, facet_clauses, _field, FACET_SIZE),
    }
    if facet_clauses:
        # Facet filters narrow the hits after the aggregations ran (post_filter); each facet
        # counts under every filter but its own, so a chosen value leaves the others on offer.
        body["post_filter"] = {"bool": {"filter": list(facet_clauses.values())}}
    return body



class ElasticsearchBackend(BaseSearchBackend):
    def __init__(self, alias: str, options: dict | None = None) -> None:
        super().__init__(alias, options)
        self.url = self.options.get("url") or "http://127.0.0.1:9200"
        self.prefix = self.options.get("index_prefix") or "memories"
        self.alias_name = f"{self.prefix}-items"
        self.refresh = self.options.get("refresh", True)
        self._client: Elasticsearch | None = None
        self._ready = False

    @property
    def label(self) -> str:
        return "elasticsearch"

    @property
    def client(self) -> Elasticsearch:
        if self._client is None:
            kwargs = {"request_timeout": float(self.options.get("timeout", 5)), "max_retries": 1,
                      "retry_on_timeout": False}
            if self.options.get("plain_json", True):
                kwargs["node_class"] = PlainJsonNode
            for name in ("api_key", "ca_certs"):
                if self.options.get(name):
                    kwargs[name] = self.options[name]
            self._client = Elasticsearch(self.url, **kwargs)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    @contextmanager
    def _guard(self):
        try:
            yield
        except (TransportConnectionError, ConnectionTimeout) as exc:
            self._ready = False
            raise SearchUnavailable(f"Elasticsearch at {self.url} cannot be reached: {exc}") from exc
        except ApiError as exc:
            # A refused request (a missing index, a mapping conflict) must not take a page down
            # either: log it for the operator and degrade like an outage.
            self._ready = False
            if exc.meta.status < 500:
                logger.error("Elasticsearch refused a request: %s", exc)
            raise SearchUnavailable(f"Elasticsearch answered {exc.meta.status}: {exc}") from exc
        except TransportError as exc:
            raise SearchUnavailable(f"Elasticsearch transport error: {exc}") from exc

    # -- indices ----------------------------------------------------------------------------------
    def mapping_body(self) -> dict:
        """Settings and mappings of a new index (golden-tested)."""
        return build_index("golden").to_dict()

    def _new_index_name(self) -> str:
        return f"{self.alias_name}-{timezone.now().strftime('%Y%m%d%H%M%S%f')}"

    def index_template(self) -> dict:
        """The cluster's index template for this site's indices (`<prefix>-*`): shards and replicas
        from ELASTICSEARCH_SHARDS/REPLICAS, and the mappings. Put before every new index, so that
        an index made on the cluster by an operator (a reindex, a restore under a new name) gets
        the same settings as one this backend makes."""
        body = build_index("template", int(self.options.get("shards", 1)), int(self.options.get("replicas", 0))).to_dict()
        return {"index_patterns": [f"{self.alias_name}-*"], "priority": 100, "template": body}

    def _create_index(self, name: str) -> None:
        self.client.indices.put_index_template(name=f"{self.alias_name}-template", **self.index_template())
        build_index(name, int(self.options.get("shards", 1)), int(self.options.get("replicas", 0))).create(
            using=self.client)

    def _live_indices(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias_name).body)
        except NotFoundError:
            return []

    def ensure_index(self) -> None:
        """Create the first index and its alias when there is none (idempotent)."""
        if self._ready:
            return
        with self._guard():
            if not self._live_indices():
                name = self._new_index_name()
                self._create_index(name)
                self.client.indices.update_aliases(actions=[{"add": {"index": name, "alias": self.alias_name}}])
        self._ready = True

    # -- writes -----------------------------------------------------------------------------------
    def index(self, docs: Iterable[dict], *, target: str | None = None) -> int:
        if target is None:
            self.ensure_index()
        name = target or self.alias_name
        # A generator into streaming_bulk: a rebuild can pass every document of the archive as one
        # iterable (search_reindex reads them by keyset pages) and no list of them is ever held;
        # memory is one chunk of requests.
        actions = ({"_op_type": "index", "_index": name, "_id": d["id"], "_source": d} for d in docs)
        written = 0
        with self._guard():
            for ok, _info in helpers.streaming_bulk(self.client, actions, chunk_size=500, max_chunk_bytes=10 * 2**20,
                                                   raise_on_error=True):
                written += 1 if ok else 0
            if written and self.refresh and target is None:
                self.client.indices.refresh(index=name)
        return written

    def delete(self, ids: Iterable[str]) -> int:
        ids = [str(i) for i in ids]
        if not ids:
            return 0
        self.ensure_index()
        actions = [{"_op_type": "delete", "_index": self.alias_name, "_id": i} for i in ids]
        with self._guard():
            helpers.bulk(self.client, actions, raise_on_error=False, refresh=bool(self.refresh))
        return len(ids)

    def purge(self, ids: Iterable[str]) -> int:
        # A deleted document stays in its Lucene segment (marked deleted) until the segment is
        # merged: refresh so that no search sees it, then expunge the deletions. The merge runs in
        # the background on the cluster; snapshots taken before it still hold the document.
        count = self.delete(ids)
        if count:
            with self._guard():
                self.client.indices.refresh(index=self.alias_name)
                self.client.indices.forcemerge(index=self.alias_name, only_expunge_deletes=True,
                                               wait_for_completion=False)
        return count

    def clear(self) -> None:
        with self._guard():
            old = self._live_indices()
            name = self._new_index_name()
            self._create_index(name)
            self._swap(name, old)
        self._ready = True

    def _swap(self, name: str, old: list[str]) -> None:
        actions = [{"remove": {"index": o, "alias": self.alias_name}} for o in old if o != name]
        actions.append({"add": {"index": name, "alias": self.alias_name}})
        # One atomic alias update: searches see the old index, then the new one, never neither.
        self.client.indices.update_aliases(actions=actions)
        for o in old:
            if o != name:
                self.client.indices.delete(index=o, ignore_unavailable=True)

    def start_rebuild(self, resume: str | None = None) -> str:
        with self._guard():
            if resume and self.client.indices.exists(index=resume):
                return resume
            name = self._new_index_name()
            self._create_index(name)
            return name

    def finish_rebuild(self, target: str) -> None:
        with self._guard():
            self.client.indices.refresh(index=target)
            self._swap(target, self._live_indices())
        self._ready = True

    # -- reads ------------------------------------------------------------------------------------
    def count(self, *, visible_at: datetime | None = None) -> int:
        self.ensure_index()
        query = {"bool": {"filter": _time_filters(visible_at)}} if visible_at else {"match_all": {}}
        with self._guard():
            return int(self.client.count(index=self.alias_name, query=query)["count"])

    def ids(self) -> Iterator[str]:
        self.ensure_index()
        with self._guard():
            for hit in helpers.scan(self.client, index=self.alias_name, query={"query": {"match_all": {}}},
                                    _source=False, size=1000):
                yield hit["_id"]

    def ping(self) -> bool:
        try:
            with self._guard():
                return bool(self.client.ping())
        except SearchUnavailable:
            return False

    def search(self, query: SearchQuery) -> SearchResults:
        started = time.perf_counter()
        self.ensure_index()
        body = build_query(query)
        with self._guard():
            response = self.client.search(index=self.alias_name, **body).body
        hits = [Hit(id=h["_id"], score=float(h.get("_score") or 0), document=_display(h["_source"]))
                for h in response["hits"]["hits"]]
        facets = es_facets.buckets(response)
        total = response["hits"]["total"]
        return SearchResults(
            hits=hits, total=int(total["value"] if isinstance(total, dict) else total), facets=facets,
            took_ms=(time.perf_counter() - started) * 1000, backend=self.label, query=query,
        )


def _display(source: dict) -> dict:
    return {k: v for k, v in source.items() if k not in ("text", "by_language")}
