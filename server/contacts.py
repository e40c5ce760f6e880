"""Contact details given at join: their shapes, and the consent without which none is kept.

A person may give an email, a phone and a profile link, each optional. Each is personal data
that only their mutual connections may ever see (docs/protocol.md, "Staying in touch"), so
each needs its own consent: ``consent.email`` for the email, and so on. A detail given without
its consent is checked like any other field (a malformed one is a 400, so a client bug shows)
and then dropped: it is not stored at all (minimal data). None of them is ever in a log: they
live in the store's participant records only, which erasure can remove.

``consent.contact`` (the first version's one box: "people I meet may receive my contact
details, if they agree too") is still accepted and kept, but shares no detail by itself: with
nothing but it, a person has given nothing to share.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from rooms.fields import FieldError, Flag, Text

DETAILS = ("email", "phone", "link")
CONSENTS = ("contact", *DETAILS)  # the consent keys that are kept; others are ignored

EMAIL_MAX, PHONE_MAX, LINK_MAX = 254, 32, 300  # 254: the longest address SMTP carries
# One @, something before it, a dotted domain after it, no space: the shape, not a proof that
# the address exists (only a mail sent to it could tell, and nobody sends one).
_EMAIL = re.compile(r"[^\s@]+@[^\s@.]+(\.[^\s@.]+)+")
_PHONE = re.compile(r"\+?[0-9 ()\-]+")  # digits, spaces, + - ( ), as people write them
_PHONE_DIGITS = (5, 17)  # a short national number up to E.164's 15 digits and an extension


def _email(value: object) -> str:
    text = Text(EMAIL_MAX).check("contact.email", value)
    if not _EMAIL.fullmatch(text):
        raise FieldError("'contact.email' must look like name@example.org")
    return text


def _phone(value: object) -> str:
    text = Text(PHONE_MAX).check("contact.phone", value)
    digits = sum(c.isdigit() for c in text)
    if not _PHONE.fullmatch(text) or not _PHONE_DIGITS[0] <= digits <= _PHONE_DIGITS[1]:
        raise FieldError("'contact.phone' may hold digits, spaces and + - ( ) only, with "
                         f"{_PHONE_DIGITS[0]} to {_PHONE_DIGITS[1]} digits")
    return text


def _link(value: object) -> str:
    text = Text(LINK_MAX).check("contact.link", value)
    # No space inside, an http(s) scheme and a host: a link a browser opens as a web page,
    # never javascript: or data:, which would run in the page that shows it.
    parts = urlsplit(text) if not any(c.isspace() for c in text) else None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FieldError("'contact.link' must be an http or https link, such as "
                         "https://example.org/me")
    return text


_CHECKS = {"email": _email, "phone": _phone, "link": _link}


def consents(raw: object) -> dict[str, bool]:
    """The kept consent flags of a join body's ``consent`` (unknown keys are ignored)."""
    if not isinstance(raw, Mapping):
        raise FieldError("'consent' must be an object of true/false")
    return {str(k): Flag().check(f"consent.{k}", v) for k, v in raw.items() if k in CONSENTS}


def details(raw: object, consent: Mapping[str, bool]) -> dict[str, str]:
    """The contact details to store: each one given, well formed and consented to."""
    if not isinstance(raw, Mapping):
        raise FieldError("'contact' must be an object with email, phone or link")
    unknown = sorted(str(k) for k in raw if k not in DETAILS)
    if unknown:
        raise FieldError(f"unknown field 'contact.{unknown[0]}'")
    checked = {k: _CHECKS[k](v) for k, v in raw.items()}  # every given one is checked
    return {k: v for k, v in checked.items() if consent.get(k) is True}
