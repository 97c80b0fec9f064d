"""Does an invitation read like a sales pitch, or talk only about the sender?

A coffee invitation is about the other person. The check names the words that triggered a
warning so the user can fix the draft, rather than a vague score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Phrases of a sales pitch; matched as whole words, case-insensitive.
PITCH_PHRASES: tuple[str, ...] = (
    "pricing",
    "price",
    "prices",
    "demo",
    "our product",
    "our products",
    "our solution",
    "our platform",
    "our service",
    "our offering",
    "discount",
    "discounts",
    "limited time",
    "special offer",
    "free trial",
    "buy",
    "purchase",
    "sign up",
    "subscription",
    "roi",
    "quote",
    "deal",
)
SELF_WORDS = frozenset({"i", "me", "my", "mine", "myself", "we", "us", "our", "ours"})
OTHER_WORDS = frozenset({"you", "your", "yours", "yourself"})
# Warn when the sender's words outnumber the recipient's this many times (and are many).
SELF_RATIO = 2.5
SELF_MINIMUM = 5

_PITCH_RE = re.compile(
    r"\b(" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in PITCH_PHRASES) + r")\b",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[A-Za-z']+")

Span = tuple[int, int]  # [start, end) character offsets into the checked text


@dataclass(frozen=True)
class MessageWarning:
    """One problem with a draft; ``spans`` say where in the text, so an editor can mark them."""

    kind: str  # "pitch" or "self_focus"
    words: tuple[str, ...]
    message: str
    spans: tuple[Span, ...] = field(default=(), compare=False)


def check_message(text: str) -> list[MessageWarning]:
    """Warnings for a draft; an empty list when it reads like a personal invitation."""
    warnings: list[MessageWarning] = []
    pitch: list[str] = []
    pitch_spans: list[Span] = []
    for match in _PITCH_RE.finditer(text):
        pitch_spans.append(match.span())
        phrase = " ".join(match.group(0).lower().split())
        if phrase not in pitch:
            pitch.append(phrase)
    if pitch:
        quoted = ", ".join(f'"{p}"' for p in pitch)
        warnings.append(
            MessageWarning(
                "pitch",
                tuple(pitch),
                f"This reads like a sales pitch ({quoted}); an invitation to coffee "
                "works better without one.",
                tuple(pitch_spans),
            )
        )
    matches = [(m.group(0).lower().strip("'"), m.span()) for m in _WORD_RE.finditer(text)]
    words = [w for w, _ in matches]
    mine = [w for w in words if w in SELF_WORDS]
    theirs = [w for w in words if w in OTHER_WORDS]
    if len(mine) >= SELF_MINIMUM and len(mine) > SELF_RATIO * max(len(theirs), 1):
        used = tuple(sorted(set(mine)))
        warnings.append(
            MessageWarning(
                "self_focus",
                used,
                f"This talks about you far more than about them ({len(mine)} of "
                f"{'/'.join(used)} against {len(theirs)} of you/your).",
                tuple(span for w, span in matches if w in SELF_WORDS),
            )
        )
    return warnings
