"""The official IIIF Presentation 3 schema (tests/iiif/schema/), as a ready validator."""

import json
from functools import cache
from pathlib import Path

import jsonschema

HERE = Path(__file__).resolve().parent / "schema"


def example(name: str) -> dict:
    return json.loads((HERE / name).read_text())


@cache
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads((HERE / "presentation-3.schema.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def errors(doc: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in validator().iter_errors(doc)]
