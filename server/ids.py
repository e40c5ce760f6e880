"""Random ids and human-friendly join codes."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L: a code read off a projector from the back of the room must be unambiguous.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_id(prefix: str) -> str:
    """An unguessable id with a prefix that says what it names."""
    return f"{prefix}{secrets.token_urlsafe(9)}".replace("-", "x").replace("_", "y")


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    """What a person typed as a code: case, spaces and dashes do not matter."""
    return "".join(c for c in text.upper() if c.isalnum())
