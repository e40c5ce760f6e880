"""The key that groups a word cloud's answers: case-, accent- and spacing-insensitive.

"Ryga", "ryga" and " RYGA! " are one word; so are "Łódź" and "Lodz", "Ærø" and "aero",
"Straße" and "strasse". The key is case-folded, decomposed (NFKD) and stripped of combining
marks. The letters that carry their stroke or ligature in the letter itself do not decompose
under NFKD (Ł, Ø, Æ, Œ, ß, Đ, Ð, Þ, Ħ, Ŧ and their pairs, the dotless i U+0131), so they are
spelled out first, the way a person without the key on their keyboard types them. White space
runs become one space, and punctuation at either end goes: "floods." and "floods" are one
word. The key is for grouping only; a word cloud shows the spelling people used most
(``rooms/hall/tally.py``).
"""

from __future__ import annotations

import unicodedata

# After case folding, so only the lower-case forms are needed (casefold maps ß to "ss"
# already, and ẞ too; both are here in case a folded form ever keeps them).
_SPELLED_OUT = str.maketrans({
    "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ð": "d", "þ": "th",
    "ħ": "h", "\u0131": "i", "ŧ": "t", "ŀ": "l", "ĸ": "k",
})


def word_key(text: str) -> str:
    """The grouping key of a word cloud answer; never empty for a non-blank answer."""
    # Decomposed before folding too: a script capital A (U+1D4D0) is "A" only once decomposed.
    folded = unicodedata.normalize("NFKD", text).casefold().translate(_SPELLED_OUT)
    bare = "".join(c for c in unicodedata.normalize("NFKD", folded)
                   if not unicodedata.combining(c))
    spaced = " ".join(bare.split())
    # An answer of symbols only ("🔥", "?!"), or of marks only, is its own word, not no word.
    return _strip_punctuation(spaced) or spaced or " ".join(folded.split())


def _strip_punctuation(text: str) -> str:
    # Punctuation and symbols at the ends only: "e-mail" stays one word, "(e-mail)" is it too.
    start, end = 0, len(text)
    while start < end and _edge(text[start]):
        start += 1
    while end > start and _edge(text[end - 1]):
        end -= 1
    return text[start:end]


def _edge(c: str) -> bool:
    return c == " " or unicodedata.category(c)[0] in "PS"
