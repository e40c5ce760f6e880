"""The JSON export parses back and validates against its versioned schema."""

from __future__ import annotations

import json

import jsonschema

from server.exports import json_export
from server.exports.collect import collect
from server.exports.schema import schema

from .forum import NAMES, forum


def test_the_export_validates_against_the_schema() -> None:
    """A whole forum's export is valid JSON Schema 2020-12 data of version 1."""
    data = json.loads(json_export.render(collect(forum().sources())).decode("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema())
    jsonschema.Draft202012Validator(schema()).validate(data)
    assert (data["version"], data["$schema"]) == (1, schema()["$id"])
    assert schema()["$id"].endswith("/v1.json")


def test_the_schema_refuses_an_export_without_its_label() -> None:
    """The label is required: an export stripped of it does not validate."""
    data = json.loads(json_export.render(collect(forum().sources())))
    del data["label"]
    errors = list(jsonschema.Draft202012Validator(schema()).iter_errors(data))
    assert any("label" in e.message for e in errors)


def test_names_survive_as_utf8() -> None:
    """The region's letters come back as they went in."""
    data = json.loads(json_export.render(collect(forum().sources())).decode("utf-8"))
    authors = {i["author"] for r in data["rooms"] for i in r["ideas"]}
    assert {NAMES["p1"], NAMES["p2"], NAMES["p3"], NAMES["p4"]} <= authors
