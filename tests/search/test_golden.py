"""Golden tests: the generated Elasticsearch mapping and queries, and the database backend's
FTS5 / tsquery expressions, compared with JSON files under tests/search/golden/.

After an intended change, regenerate with UPDATE_GOLDEN=1 and review the diff."""

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.search.base import SearchQuery
from archive.search.database import fts5_expression, tsquery_expression
from archive.search.elasticsearch import ElasticsearchBackend, build_query

GOLDEN = Path(__file__).parent / "golden"
AT = datetime(2026, 8, 21, 9, 0, tzinfo=UTC)

QUERIES = {
    "match_all": SearchQuery(at=AT),
    "words_and_prefix": SearchQuery(text="blue scar", at=AT),
    "phrase_filters_sort": SearchQuery(text='"red umbrella" station', filters={
        "kind": ["testimony"], "decade": ["2010"], "has_transcript": ["true"], "language": ["en", "fr"]},
        sort="newest", page=2, page_size=10, at=AT),
    "arabic": SearchQuery(text="شهادة أَحْمَد", at=AT),
    "chinese": SearchQuery(text="手表 爆炸中", at=AT),
}


def check(name: str, value) -> None:
    path = GOLDEN / f"{name}.json"
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1"
    assert json.loads(text) == json.loads(path.read_text(encoding="utf-8"))


def test_elasticsearch_mapping():
    check("es_mapping", ElasticsearchBackend("golden", {}).mapping_body())


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_elasticsearch_queries(name):
    check(f"es_query_{name}", build_query(QUERIES[name]))


def test_database_expressions():
    check("db_expressions", {
        name: {"fts5": fts5_expression(q.parsed), "tsquery": tsquery_expression(q.parsed)}
        for name, q in QUERIES.items()
    })
