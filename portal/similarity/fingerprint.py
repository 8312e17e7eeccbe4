"""Narrative fingerprints for recycled material (雷同材料): normalize, shingle, sketch, compare.

Pure functions, no database. The method and its parameters:

- **Normalize**: keep CJK ideographs only; every run of digits (ASCII or full-width, with a
  decimal part) becomes the one token "0"; punctuation, spaces and Latin letters are dropped.
  A recycled narrative with other figures ("满意率99.2%" for "满意率98.5%") or another layout
  is then the same text.
- **Shingles**: every run of SHINGLE = 8 consecutive normalized characters. A substituted
  name of m characters breaks only the m + 7 shingles that touch it: a 3,000-character
  narrative with its team name (9 characters) replaced 10 times and a person's name (3) 20
  times keeps about 88 % of its shingles, while eight characters are long enough that two
  unrelated narratives built from the same stock phrases ("以客户为中心", "全心全意") share
  few (bench/narrative_bench.py measures recycled pairs at Jaccard 0.6-0.8 with containment
  above 0.8, unrelated ones at containment below 0.1).
- **Sample for the index**: the sketch looks only at shingles that start with an anchor
  character, a fixed pseudo-random quarter of the ideographs (about a fifth of the positions
  of real text). The choice depends on the text alone, so two copies sample the same shingles,
  and a regular expression finds them in C: indexing a 3,000-character narrative takes well
  under a millisecond of Python.
- **Stable hashes**: a sampled shingle's value, and a band's key, is BLAKE2b of its bytes cut
  to 8 bytes and read as a 63-bit number (it fits the signed 64-bit columns and is never the
  empty-bin marker). It is the same in every process and every Python version (Python's
  `hash()` promises neither), so the values stored in the database stay valid. SCHEME names
  this choice; rows of an older scheme are dropped and recomputed by `flask similarity index`
  (scheme 1 mixed CRC-32 with CPython's hash of a tuple).
- **Sketch**: one-permutation MinHash: the values fall into BANDS x ROWS = 72 bins by value
  and each bin keeps its smallest; two narratives agree on a bin with probability close to the
  Jaccard similarity J of their samples.
- **LSH banding**: 24 bands of 3 bins; a band's values hash to one key in an indexed table.
  Two narratives become candidates when any band key agrees, with probability
  1 - (1 - J^3)^24: 0.59 at J = 0.33, 0.86 at 0.4, 0.96 at 0.5, 0.995 at 0.6, and 0.002 at
  J = 0.05. Finding candidates is one indexed lookup of 24 keys, not a comparison with every
  narrative in the archive.
- **Confirmation** compares a candidate exactly, on the full shingle sets (every position,
  the 8-character strings themselves).
  The similarity is containment, |A & B| / min(|A|, |B|): the share of the shorter narrative
  found in the other, so a short text lifted whole into a longer one counts fully. A pair is
  flagged at FLAG_THRESHOLD = 0.5, "most of its text".
- **Shared passages**: runs of positions whose shingle occurs in the other text, merged and
  mapped back to offsets in the original text, so highlights fall on what the author wrote.
  Unlike a sequence diff, this also finds paragraphs that were moved.
"""

from __future__ import annotations

import functools
import hashlib
import re
import struct
from dataclasses import dataclass

SCHEME = 2
SHINGLE = 8
BANDS = 24
ROWS = 3
BINS = BANDS * ROWS
FLAG_THRESHOLD = 0.5
# A narrative with fewer distinct sampled shingles than this (about 100 characters of varied
# text; a real one of 1,500 characters has over 200) is too little to judge, and not indexed.
MIN_SAMPLES = 20
_blake2b_8 = functools.partial(hashlib.blake2b, digest_size=8)
_BAND = struct.Struct(f"<2q{ROWS}q")  # what a band key hashes: scheme, band, its bins

_CJK_CLASS = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002a6df\U0002a700-\U0002ebef\U00030000-\U0003134f"
)
# Written to start with a character class (not a repeat) so the regular expression engine
# skips ahead to the next digit in C instead of trying a match at every character.
_DIGITS = re.compile(r"[0-9０-９][0-9０-９]*(?:[.．][0-9０-９]+)?")
_DROP = re.compile(f"[^{_CJK_CLASS}0]")
_CJK_CHAR = re.compile(f"[{_CJK_CLASS}]")
NUMBER_TOKEN = "0"


def _is_anchor(code_point: int) -> bool:
    return ((code_point * 2654435761) & 0xFFFFFFFF) >> 30 == 0


_ANCHORS = "".join(chr(c) for c in range(0x4E00, 0xA000) if _is_anchor(c))
_SAMPLED_SHINGLES = re.compile(f"(?=([{_ANCHORS}].{{{SHINGLE - 1}}}))", re.S)


def normalize(text: str | None) -> str:
    """The comparable form of a narrative: ideographs, with each number as one token."""
    return _DROP.sub("", _DIGITS.sub(NUMBER_TOKEN, text or ""))


def normalize_with_offsets(text: str | None) -> tuple[str, list[int], list[int]]:
    """normalize(text) with, for each kept character, its start and end offset in `text`."""
    text = text or ""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for number in _DIGITS.finditer(text):
        _keep_ideographs(text, pos, number.start(), chars, starts, ends)
        chars.append(NUMBER_TOKEN)
        starts.append(number.start())
        ends.append(number.end())
        pos = number.end()
    _keep_ideographs(text, pos, len(text), chars, starts, ends)
    return "".join(chars), starts, ends


def _keep_ideographs(
    text: str, begin: int, end: int, chars: list[str], starts: list[int], ends: list[int]
) -> None:
    for match in _CJK_CHAR.finditer(text, begin, end):
        chars.append(match.group())
        starts.append(match.start())
        ends.append(match.end())


def shingles(normalized: str) -> list[str]:
    """The shingle at each position, in order."""
    return [normalized[i : i + SHINGLE] for i in range(len(normalized) - SHINGLE + 1)]


def shingle_set(normalized: str) -> set[str]:
    """Every shingle of the text, for exact comparison (slicing beats a regular expression)."""
    return {normalized[i : i + SHINGLE] for i in range(len(normalized) - SHINGLE + 1)}


def sampled_values(normalized: str) -> set[int]:
    """Stable values of the sampled shingles (those starting with an anchor character)."""
    return set(map(stable_hash, map(str.encode, _SAMPLED_SHINGLES.findall(normalized))))


def stable_hash(data: bytes) -> int:
    """63 bits of BLAKE2b of the bytes: the same in every process and Python version."""
    return int.from_bytes(_blake2b_8(data).digest(), "big") >> 1


def sketch(values: set[int]) -> list[int | None]:
    """One-permutation MinHash: the smallest value in each of BINS bins (None: empty bin)."""
    smallest: dict[int, int] = {}
    get = smallest.get
    for value in values:
        slot = value % BINS
        kept = get(slot)
        if kept is None or value < kept:
            smallest[slot] = value
    return [get(slot) for slot in range(BINS)]


def band_keys(bins: list[int | None]) -> list[tuple[int, int]]:
    """(band, key) for every band whose bins are all filled; none for too short a text."""
    if BINS - bins.count(None) < min(MIN_SAMPLES, BINS):
        return []
    keys = []
    for band in range(BANDS):
        values = bins[band * ROWS : (band + 1) * ROWS]
        if None not in values:
            keys.append((band, stable_hash(_BAND.pack(SCHEME, band, *values))))
    return keys


def containment(a: set[str], b: set[str]) -> tuple[float, int]:
    """(|A ∩ B| / min(|A|, |B|), |A ∩ B|); 0 when either is empty."""
    if not a or not b:
        return 0.0, 0
    shared = len(a & b)
    return shared / min(len(a), len(b)), shared


@dataclass(frozen=True)
class Segment:
    """A piece of an original text, and whether it is shared with the other text."""

    text: str
    shared: bool


def shared_spans(text: str, other_shingles: set[str]) -> list[tuple[int, int]]:
    """(start, end) offsets in `text` of its passages whose shingles occur in the other text."""
    normalized, starts, ends = normalize_with_offsets(text)
    runs: list[list[int]] = []
    for i, shingle in enumerate(shingles(normalized)):
        if shingle not in other_shingles:
            continue
        if runs and i <= runs[-1][1]:
            runs[-1][1] = i + SHINGLE
        else:
            runs.append([i, i + SHINGLE])
    return [(starts[a], ends[b - 1]) for a, b in runs]


def segments(text: str, spans: list[tuple[int, int]]) -> list[Segment]:
    """The whole text cut into shared and unshared segments, in order."""
    out: list[Segment] = []
    pos = 0
    for start, end in spans:
        if start > pos:
            out.append(Segment(text[pos:start], False))
        out.append(Segment(text[start:end], True))
        pos = end
    if pos < len(text):
        out.append(Segment(text[pos:], False))
    return out
