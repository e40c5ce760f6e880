"""Hypothesis strategies for the fuzz tests: JSON values, hostile text, and text that is no JSON.

Shared by the HTTP and the websocket fuzzers, which send what these draw to a real server.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from rooms.fields import Choice, Flag, Int, Ref, Spec, Text
from rooms.phases import PhaseList

# Characters that have broken servers: controls, bidi overrides, lone surrogates, joiners,
# non-characters, a BOM, and characters that change length under NFC.
NASTY = ("\x00", "\x07", "\r", "\x1b", "\x7f", "\x85", "\u202e", "\u2066", "\u200f", "\u200d",
         "\ud800", "\udfff", "\ufffe", "\uffff", "\ufeff", "e\u0301", "\U0001f469\u200d\U0001f4bb",
         "\u2028", "\\", '"', "'", "</script>", "%00", "${x}")

# Any character at all (lone surrogates included), weighted towards the nasty ones.
characters = st.one_of(st.characters(codec=None, exclude_categories=()),
                       st.sampled_from([c for c in NASTY if len(c) == 1]))
texts = st.one_of(
    st.sampled_from(NASTY),
    st.builds(lambda a, nasty, b: a + nasty + b, st.text(max_size=5), st.sampled_from(NASTY),
              st.text(max_size=5)),
    st.text(characters, max_size=40), st.text(characters, min_size=100, max_size=200))

numbers = st.one_of(
    st.integers(-(2**64), 2**64), st.sampled_from([0, -1, 1, 2**53 + 1, 10**40, -(10**300)]),
    st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([0.5, -0.0, 1e308, 1e-320]))
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)), max_leaves=12)


def nested(depth: int, inner: str = "1") -> str:
    """JSON arrays and objects nested ``depth`` deep around ``inner``."""
    half = depth // 2
    return '{"a":' * half + "[" * (depth - half) + inner + "]" * (depth - half) + "}" * half


# Text that is not JSON, or not JSON the server may take: each is spliced into a JSON text.
NOT_JSON = ("NaN", "Infinity", "-Infinity", "1e999", "-1e400", '"\\ud800"', '"\\udfff x"',
            '"a\\u0000b"', "9" * 5000, "01", "1.", ".5", "+1", "0x10", "'single'", "undefined",
            "[1,]", '{"a":1,}', "\ufeff{}", '"\x01"', "tru", "nul", "[", "}", "")
not_json = st.sampled_from(NOT_JSON)
deep = st.one_of(st.integers(30, 40), st.sampled_from([960, 1000, 1500, 20_000])).map(nested)


def dumps(value: Any) -> str:
    """JSON text of a drawn value; lone surrogates are escaped, as a client may send them."""
    return json.dumps(value, ensure_ascii=True, allow_nan=False)


@st.composite
def spliced(draw: st.DrawFn, value: Any) -> str:
    """The JSON text of ``value`` with a hostile fragment put in place of one of its values."""
    text = dumps(value)
    fragment = draw(st.one_of(not_json, deep))
    spots = [i for i, c in enumerate(text) if c in ",:["] or [0]
    at = draw(st.sampled_from(spots)) + 1
    return text[:at] + fragment + text[at:]


def field_values(field: object) -> st.SearchStrategy[Any]:
    """Values for one argument: mostly what its check accepts or just misses, at times any."""
    if isinstance(field, Text):
        near: st.SearchStrategy[Any] = st.one_of(
            texts, st.just("x" * (field.max_len + 1)), st.just("   "), st.just("An idea"))
    elif isinstance(field, Int):
        near = st.one_of(st.integers(field.low - 2, field.high + 2), numbers, st.booleans(),
                         st.just(float(field.low)))
    elif isinstance(field, Flag):
        near = st.one_of(st.booleans(), st.sampled_from([0, 1, "true", None]))
    elif isinstance(field, Choice):
        near = st.one_of(st.sampled_from(field.values), texts)
    elif isinstance(field, Ref):
        near = st.one_of(st.sampled_from(KNOWN_IDS), st.none(), texts, st.just("i" * 65))
    elif isinstance(field, PhaseList):
        near = st.lists(st.fixed_dictionaries(
            {"id": st.one_of(st.sampled_from(["open", "vote", "Bad Id"]), texts),
             "label": st.one_of(st.just("Open"), texts),
             "allows": st.one_of(st.just(["ideas", "votes"]), json_values)}), max_size=3)
    else:
        near = json_values
    return st.one_of(near, near, near, json_values)


# Ids that may exist in a fuzzed room (ideas, comments and clusters are named by a seq).
KNOWN_IDS = (*[f"{kind}{n}" for kind in "ick" for n in range(1, 60)],
             "open", "vote", "brief", "nosuchthing")


@st.composite
def arguments(draw: st.DrawFn, spec: Spec) -> Any:
    """Arguments for a command: its own fields (some left out, some extra), or anything."""
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values)
    args: dict[str, Any] = {}
    for name, field in {**spec.required, **spec.optional}.items():
        if name in spec.required and draw(st.integers(0, 9)) == 0:
            continue  # a required argument left out
        if name in spec.optional and draw(st.booleans()):
            continue
        args[name] = draw(field_values(field))
    if draw(st.integers(0, 9)) == 0:
        args[draw(texts)] = draw(json_values)  # an argument no command has
    return args
