"""Stand-off gold for published articles we may not redistribute (corpus/GUIDELINES.md section 9).

The repository keeps an article's address and what is annotated in it, never its text. Scoring
aligns that gold onto whatever copy of the page a user has (a saved page, an excerpt, a PDF):
each mention is found in reading order in the copy's cleaned text by its letters and digits, so
whitespace, line breaks, hyphenation and page text before and after the article do not matter.
A fingerprint of the annotated region tells when the copy differs from the one annotated.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import string
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..extraction.countries import default_country_table
from ..extraction.identity import Canonicaliser, is_acronym, learnt_aliases
from ..extraction.organizations import canonicaliser
from ..records import LABELS
from .gold import GoldDoc, GoldError, GoldSpan, canonical_gold, default_span_id

SHAPES = ("wire", "news", "official-release", "statement", "op-ed", "analysis", "encyclopedia", "list")
HOUSE_STYLES = ("us-uk", "other")
_REQUIRED = {"id": str, "url": str, "outlet": str, "mentions": list}
_OPTIONAL = {
    "published": (str, type(None)),
    "shape": str,
    "house_style": str,
    "retrieved": dict,
    "facts": (dict, type(None)),
    "notes": list,
    "region": dict,
}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class StandoffError(GoldError):
    """A stand-off gold file that breaks GUIDELINES section 9; the message names the file and key."""


@dataclass(frozen=True, slots=True)
class Mention:
    label: str
    surface: str
    id: str | None = None


@dataclass(frozen=True, slots=True)
class Region:
    """The annotated region: letters and digits read before the first and after the last mention,
    its length in letters and digits, and their SHA-256."""

    before: int
    after: int
    chars: int
    sha256: str

    def to_dict(self) -> dict[str, Any]:
        return {"before": self.before, "after": self.after, "chars": self.chars, "sha256": self.sha256}


@dataclass(frozen=True, slots=True)
class StandoffGold:
    id: str
    url: str
    outlet: str
    mentions: tuple[Mention, ...]
    facts: dict[str, Any] | None = None
    published: str | None = None
    shape: str | None = None
    house_style: str | None = None
    region: Region | None = None
    path: Path | None = None
    data: dict[str, Any] = field(default_factory=dict, compare=False)


def _fail(where: str, message: str) -> StandoffError:
    return StandoffError(f"{where}: {message}")


def _mention(item: Any, where: str) -> Mention:
    ok = isinstance(item, list) and len(item) in (2, 3) and all(isinstance(v, str) for v in item)
    if not ok:
        raise _fail(where, f"expected [label, surface] or [label, surface, id], got {item!r}")
    label, surface, *rest = item
    if label not in LABELS:
        raise _fail(where, f"label {label!r} is not one of {', '.join(LABELS)}")
    if not letters(surface)[0]:
        raise _fail(where, f"surface {surface!r} has no letter or digit")
    return Mention(label, surface, rest[0] if rest else None)


def _region(data: Any, where: str) -> Region:
    keys = {"before": int, "after": int, "chars": int, "sha256": str}
    if not isinstance(data, dict) or set(data) != set(keys):
        raise _fail(where, f"expected keys {', '.join(keys)} (written by `summit-extract gold fingerprint`)")
    for key, kind in keys.items():
        if not isinstance(data[key], kind) or isinstance(data[key], bool):
            raise _fail(f"{where}.{key}", f"expected {kind.__name__}, got {data[key]!r}")
    return Region(**data)


def read_standoff(path: str | Path) -> StandoffGold:
    """One stand-off gold file, checked key by key."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise StandoffError(f"{path}: {error}") from error
    where = str(path)
    if not isinstance(data, dict):
        raise _fail(where, f"expected a JSON object, got {type(data).__name__}")
    unknown = set(data) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        raise _fail(where, f"unknown keys {sorted(unknown)}")
    for key, kind in _REQUIRED.items():
        if not isinstance(data.get(key), kind):
            raise _fail(f"{where}, key {key!r}", f"expected {kind.__name__}, got {data.get(key)!r:.60}")
    for key, kind in _OPTIONAL.items():
        if key in data and not isinstance(data[key], kind):
            raise _fail(f"{where}, key {key!r}", f"wrong type {type(data[key]).__name__}")
    if data["id"] != path.stem or not _ID.match(data["id"]):
        raise _fail(f"{where}, key 'id'", f"{data['id']!r} must be the file name, in lower case, digits and hyphens")
    if data.get("published") is not None and not _DATE.match(data["published"]):
        raise _fail(f"{where}, key 'published'", f"expected YYYY-MM-DD or null, got {data['published']!r}")
    if data.get("shape") is not None and data["shape"] not in SHAPES:
        raise _fail(f"{where}, key 'shape'", f"{data['shape']!r} is not one of {', '.join(SHAPES)}")
    if data.get("house_style") is not None and data["house_style"] not in HOUSE_STYLES:
        raise _fail(f"{where}, key 'house_style'", f"{data['house_style']!r} is not one of {', '.join(HOUSE_STYLES)}")
    mentions = tuple(_mention(item, f"{where}, mentions[{n}]") for n, item in enumerate(data["mentions"]))
    if not mentions:
        raise _fail(f"{where}, key 'mentions'", "no mention: an article with nothing annotated cannot be aligned")
    region = _region(data["region"], f"{where}, key 'region'") if "region" in data else None
    return StandoffGold(
        id=data["id"],
        url=data["url"],
        outlet=data["outlet"],
        mentions=mentions,
        facts=data.get("facts"),
        published=data.get("published"),
        shape=data.get("shape"),
        house_style=data.get("house_style"),
        region=region,
        path=path,
        data=data,
    )


def standoff_files(folder: str | Path) -> list[Path]:
    folder = Path(folder)
    if not folder.is_dir():
        raise StandoffError(f"{folder}: not a folder of stand-off gold (*.json)")
    return sorted(folder.glob("*.json"))


def load_standoff_set(folder: str | Path) -> list[StandoffGold]:
    files = standoff_files(folder)
    if not files:
        raise StandoffError(f"{folder}: no stand-off gold files (*.json) in it")
    return [read_standoff(path) for path in files]


# --- letters and digits: the view of a text that every copy of it shares ------------------------


def letters(text: str) -> tuple[str, list[int]]:
    """The letters and digits of `text` with accents and compatibility forms taken apart (NFKD),
    each with the offset of the character it came from; case is kept."""
    chars: list[str] = []
    offsets: list[int] = []
    for offset, char in enumerate(text):
        if char.isascii():
            if char.isalnum():
                chars.append(char)
                offsets.append(offset)
            continue
        for part in unicodedata.normalize("NFKD", char):
            if part.isalnum():
                lower = part.lower()
                chars.append(part if len(lower) == 1 else lower)
                offsets.append(offset)
    return "".join(chars), offsets


def _bounded(text: str, start: int, end: int) -> bool:
    """No letter or digit runs on at either end of text[start:end] ("Niger" is not in "Nigeria")."""
    return (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())


def _find(stream: str, folded: str, key: str, offsets: list[int], text: str, since: int) -> int:
    """Where `key` next occurs as whole words from `since`: with its own case first, then in any case."""
    for haystack, needle in ((stream, key), (folded, key.lower())):
        at = haystack.find(needle, since)
        while at >= 0:
            if _bounded(text, offsets[at], offsets[at + len(needle) - 1] + 1):
                return at
            at = haystack.find(needle, at + 1)
    return -1


def _with_edges(surface: str, text: str, start: int, end: int) -> tuple[int, int]:
    """The span of a mention found by its letters and digits, widened over the characters the surface has
    before its first and after its last letter or digit where the copy has them too ("U.S." keeps its full
    stop, "(2030-2035)" its brackets)."""
    head = len(surface) - len(surface.lstrip(_EDGE))
    tail = len(surface) - len(surface.rstrip(_EDGE))
    if head and text[max(0, start - head) : start] == surface[:head]:
        start -= head
    if tail and text[end : end + tail] == surface[len(surface) - tail :]:
        end += tail
    return start, end


# What may stand at a mention's edge beyond its letters and digits: punctuation, never a space.
_EDGE = "".join(sorted(set(string.punctuation) | set("’‘“”«»–—")))


@dataclass(frozen=True, slots=True)
class Alignment:
    """Gold mentions found in a copy: their offsets in `text`, and the region they stand in."""

    spans: tuple[tuple[int, int], ...]
    region: tuple[int, int]  # character offsets of the annotated region in the copy
    fingerprint: Region  # the region as found in this copy


class AlignmentError(StandoffError):
    """The copy does not hold the gold's mentions in order."""


def align(gold: StandoffGold, text: str) -> Alignment:
    """Find every mention of `gold` in reading order in `text` (linear: one pass over the stream)."""
    stream, offsets = letters(text)
    folded = stream.lower()
    if len(folded) != len(stream):  # a lower case form of another length: compare by case-folded stream only
        folded = stream
    spans: list[tuple[int, int]] = []
    marks: list[tuple[int, int]] = []
    since = 0
    for number, mention in enumerate(gold.mentions):
        key = letters(mention.surface)[0]
        at = _find(stream, folded, key, offsets, text, since)
        if at < 0:
            near = text[offsets[since - 1] + 1 :][:40] if since else text[:40]
            raise AlignmentError(
                f"{gold.id}: mention {number + 1} of {len(gold.mentions)}, {mention.label} {mention.surface!r}, "
                f"is not in the copy after the previous one (the copy goes on {near!r}...)"
            )
        marks.append((at, at + len(key)))
        spans.append(_with_edges(mention.surface, text, offsets[at], offsets[at + len(key) - 1] + 1))
        since = at + len(key)
    before = gold.region.before if gold.region else marks[0][0]
    after = gold.region.after if gold.region else len(stream) - marks[-1][1]
    first, last = max(0, marks[0][0] - before), min(len(stream), marks[-1][1] + after)
    region_text = folded[first:last]
    fingerprint = Region(
        before=marks[0][0] - first,
        after=last - marks[-1][1],
        chars=len(region_text),
        sha256=hashlib.sha256(region_text.lower().encode("utf-8")).hexdigest(),
    )
    region = (offsets[first] if first < len(offsets) else len(text), offsets[last - 1] + 1 if last else 0)
    return Alignment(spans=tuple(spans), region=region, fingerprint=fingerprint)


def fingerprint(gold: StandoffGold, text: str) -> Region:
    """The region of the annotated copy `text`: everything it holds around the mentions."""
    return align(dataclasses.replace(gold, region=None), text).fingerprint


def with_fingerprint(gold: StandoffGold, text: str) -> dict[str, Any]:
    """The gold file's data with `region` computed from the annotated copy."""
    data = dict(gold.data)
    data["region"] = fingerprint(gold, text).to_dict()
    return data


# --- ids and facts -------------------------------------------------------------------------------


def mention_id(mention: Mention, where: str) -> str:
    """The id a mention is written with: its own, or the one the bundled gold would give it
    (a document acronym keeps its capitals, GUIDELINES 5.3)."""
    if mention.id:
        return mention.id
    if mention.label == "DOCUMENT" and is_acronym(mention.surface):
        return mention.surface
    return default_span_id(mention.label, mention.surface, where)


def set_rules(golds: list[StandoffGold], rules: Canonicaliser | None = None) -> Canonicaliser:
    """The canonicaliser for a set, with the acronyms its articles define, as a corpus run learns them."""
    mentions = []
    for gold in golds:
        for mention in gold.mentions:
            try:
                mentions.append((mention.label, mention_id(mention, gold.id), mention.surface))
            except GoldError:
                continue  # named when its article is aligned
    return (rules or canonicaliser()).with_aliases(learnt_aliases(mentions))


def gold_doc(gold: StandoffGold, text: str, alignment: Alignment, source: str, rules: Canonicaliser) -> GoldDoc:
    """The aligned gold as an ordinary gold record over the copy's text, ids canonical."""
    spans = []
    for mention, (start, end) in zip(gold.mentions, alignment.spans, strict=True):
        where = f"{gold.path or gold.id}: {mention.label} {mention.surface!r}"
        span_id = mention_id(mention, where)
        spans.append(GoldSpan(start=start, end=end, label=mention.label, text=text[start:end], id=span_id))
    return canonical_gold(GoldDoc(doc_id=gold.id, source=source, text=text, spans=tuple(spans)), rules)


_STRENGTH = ("signed", "adopted", "proposed", "planned", "mentioned")


def resolve_facts(gold: StandoffGold, doc: GoldDoc) -> dict[str, Any] | None:
    """The article's facts in GUIDELINES section 8 form, each surface resolved to the id of its mention."""
    facts = gold.facts
    if facts is None:
        return None
    where = f"{gold.path or gold.id}, facts"
    if set(facts) != {"summit", "participants", "documents"}:
        raise _fail(where, "keys must be summit, participants, documents")
    by_surface: dict[tuple[str, str], str] = {}
    for mention, span in zip(gold.mentions, doc.spans, strict=True):
        by_surface.setdefault((mention.label, letters(mention.surface)[0].lower()), span.id)

    def resolve(value: Any, labels: tuple[str, ...], key: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise _fail(f"{where}, {key}", f"expected a surface, got {value!r}")
        for label in labels:
            found = by_surface.get((label, letters(value)[0].lower()))
            if found:
                return found
        if "COUNTRY" in labels and default_country_table().by_id(value) is not None:
            return value
        raise _fail(f"{where}, {key}", f"{value!r} is not a {' or '.join(labels)} surface of the mentions")

    summit = facts["summit"]
    if summit is not None:
        if not isinstance(summit, dict):
            raise _fail(f"{where}, summit", "expected an object or null")
        summit = dict(summit)
        summit["organization"] = resolve(summit.get("organization"), ("ORG", "COUNTRY"), "summit.organization")
        summit["country"] = resolve(summit.get("country"), ("COUNTRY",), "summit.country")
    participants: dict[str, list[str]] = {}
    for n, row in enumerate(facts["participants"]):
        if not isinstance(row, dict) or set(row) != {"country", "roles"} or not isinstance(row["roles"], list):
            raise _fail(f"{where}, participants[{n}]", "expected {'country': surface, 'roles': [...]}")
        roles = participants.setdefault(resolve(row["country"], ("COUNTRY",), f"participants[{n}]"), [])
        roles += [role for role in row["roles"] if role not in roles]
    documents: dict[str, dict[str, Any]] = {}
    for n, row in enumerate(facts["documents"]):
        if not isinstance(row, dict) or set(row) != {"title", "status", "proposer"}:
            raise _fail(f"{where}, documents[{n}]", "expected {'title', 'status', 'proposer'}")
        doc_id = resolve(row["title"], ("DOCUMENT",), f"documents[{n}].title")
        proposer = resolve(row["proposer"], ("ORG", "COUNTRY"), f"documents[{n}].proposer")
        status = row["status"]
        earlier = documents.get(doc_id)
        if earlier is not None and status in _STRENGTH and earlier["status"] in _STRENGTH:
            status = min(status, earlier["status"], key=_STRENGTH.index)
        documents[doc_id] = {
            "id": doc_id,
            "title": row["title"],
            "status": status,
            "proposer": proposer or (earlier or {}).get("proposer"),
        }
    return {
        "doc_id": gold.id,
        "summit": summit,
        "participants": [{"id": key, "roles": roles} for key, roles in participants.items()],
        "documents": list(documents.values()),
    }
