"""Confidentiality labels: how what is said at a forum may be shared (TLP 2.0 and Chatham House).

The ids are stable (stored in logs and exports); the meanings are what every screen shows next
to the label, in FIRST's TLP 2.0 wording (https://www.first.org/tlp/) and Chatham House's own.
"""

from __future__ import annotations

from types import MappingProxyType

LABELS = MappingProxyType({
    "chatham-house": "Use what you hear, but do not reveal who said it or where they work.",
    "tlp-clear": "TLP:CLEAR. No limit on disclosure: this may be shared with the world.",
    "tlp-green": "TLP:GREEN. Share within the community, not via public channels.",
    "tlp-amber": "TLP:AMBER. Share only on a need-to-know basis within your organization "
                 "and its clients.",
    "tlp-amber-strict": "TLP:AMBER+STRICT. Share only within your own organization.",
    "tlp-red": "TLP:RED. For the people present only: no further disclosure.",
})

# A forum created without a label gets the one most such forums run under.
DEFAULT_LABEL = "chatham-house"


def label_view(label: str) -> dict[str, str]:
    """A label as every screen shows it: its id and its one-line meaning."""
    return {"id": label, "meaning": LABELS[label]}
