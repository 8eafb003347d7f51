"""Roles read from sentence structure: spaCy's DependencyMatcher over the model's own parse.

A window of characters cannot tell the subject of "hosted" from the object of "brought together";
the dependency parse can. The parser runs only on the sentences that hold a country and one of the
words the patterns look for (`sentence_words`), never on the whole article, so the NER pipeline
stays as fast as it is. The patterns are data, in `patterns/facts_structure.json`, checked on load:
each is a DependencyMatcher pattern with a node named `country`; the country it matches, and every
country joined to it by conjunction or apposition ("A, B and C"), gets the pattern's role.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from summit_extract.errors import SummitError
from summit_extract.extraction.components.names import default_name_rules
from summit_extract.paths import patterns_dir
from summit_extract.records import ROLES, STATUSES

STRUCTURE_FILE = "facts_structure.json"
# Parses sentences: a list of texts in, a Doc with a dependency parse and fine tags for each out (no lemmas, no
# coarse POS: the model's attribute ruler and lemmatizer do not run, so the patterns match word forms and TAG).
Parse = Callable[[list[str]], list[Doc]]


# What the attribute ruler and the lemmatizer would set, which the sentence parser leaves out (a third of its time).
UNSET = frozenset({"LEMMA", "POS", "MORPH"})
# The fine tags of a verb (the coarse POS VERB of the model's tag map).
VERB_TAGS = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ"})
NOUN_TAGS = frozenset({"NN", "NNS"})


class StructurePatternError(SummitError):
    """patterns/facts_structure.json is malformed."""


@dataclass(frozen=True, slots=True)
class StructurePattern:
    name: str
    role: str
    pattern: tuple[dict[str, Any], ...]
    object_is_org: bool = False  # the verb's direct object, if it has one, must be an organisation


@dataclass(frozen=True, slots=True)
class StructurePatterns:
    sentence_words: frozenset[str]
    roles: tuple[StructurePattern, ...]
    status_words: frozenset[str] = frozenset()
    # what makes the nearest status word an unsafe guess: a future or a planning word, a negation, "draft"
    status_cues: frozenset[str] = frozenset()
    # form of a governing verb -> status ("approved" -> adopted)
    status_forms: dict[str, str] = field(default_factory=dict)
    # what makes an act planned: an auxiliary ("will sign"), a governing verb ("agreed to sign"), a preposition
    # ("decisions on signing")
    planned: dict[str, frozenset[str]] = field(default_factory=dict)
    # a noun for the act on the way to the verb decides ("welcomed the signing of the Pact": signed) unless it is
    # the act an anniversary marks ("the anniversary of the adoption of the Pact": mentioned)
    status_nouns: dict[str, str] = field(default_factory=dict)
    past_nouns: frozenset[str] = frozenset()

    def sentence_filter(self) -> re.Pattern[str]:
        return _words_pattern(self.sentence_words)

    def status_filter(self) -> re.Pattern[str]:
        return _words_pattern(self.status_words)

    def status_cue_filter(self) -> re.Pattern[str]:
        return _words_pattern(self.status_cues)


@lru_cache(maxsize=8)
def _words_pattern(words: frozenset[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r")\b", re.I)


def load_structure_patterns(path: Path | None = None) -> StructurePatterns:
    """The structure patterns of `path` (default: the bundled file), each checked by spaCy's own matcher."""
    path = path if path is not None else patterns_dir() / STRUCTURE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise StructurePatternError(f"{path}: {error}") from error
    keys = {
        "sentence_words",
        "roles",
        "status_words",
        "status_cues",
        "statuses",
        "planned",
        "status_nouns",
        "past_nouns",
    }
    if not isinstance(data, dict) or set(data) != keys:
        raise StructurePatternError(f"{path}: keys must be {', '.join(sorted(keys))}")
    for key in ("sentence_words", "status_words", "status_cues", "past_nouns"):
        words = data[key]
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
            raise StructurePatternError(f"{path}: {key} must be a non-empty list of words")
    status_forms = {}
    statuses = data["statuses"]
    if not isinstance(statuses, dict) or not set(statuses) <= set(STATUSES):
        raise StructurePatternError(f"{path}: statuses must map statuses ({', '.join(STATUSES)}) to verb forms")
    for status, forms in statuses.items():
        if not isinstance(forms, list) or not all(isinstance(w, str) and w.strip() for w in forms):
            raise StructurePatternError(f"{path}: statuses.{status} must be a list of verb forms")
        status_forms.update({form.lower(): status for form in forms})
    nouns = data["status_nouns"]
    if not isinstance(nouns, dict) or not all(isinstance(k, str) and v in STATUSES for k, v in nouns.items()):
        raise StructurePatternError(f"{path}: status_nouns must map nouns to statuses ({', '.join(STATUSES)})")
    planned = data["planned"]
    if not isinstance(planned, dict) or set(planned) != {"auxiliaries", "governors", "prepositions"}:
        raise StructurePatternError(f"{path}: planned must have auxiliaries, governors, prepositions")
    if not all(isinstance(v, list) and all(isinstance(w, str) for w in v) for v in planned.values()):
        raise StructurePatternError(f"{path}: planned values must be lists of words")
    if not isinstance(data["roles"], list):
        raise StructurePatternError(f"{path}: roles must be a list of patterns")
    matcher = DependencyMatcher(Vocab())
    patterns = []
    for index, item in enumerate(data["roles"]):
        where = f"{path}: roles[{index}]"
        if not isinstance(item, dict) or not {"name", "role", "pattern"} <= set(item) <= {
            "name",
            "role",
            "pattern",
            "object_is_org",
        }:
            raise StructurePatternError(f"{where}: expected keys name, role, pattern (and object_is_org)")
        if item["role"] not in ROLES:
            raise StructurePatternError(f"{where}: role {item['role']!r} is not one of {', '.join(ROLES)}")
        nodes = item["pattern"]
        named = isinstance(nodes, list) and any(isinstance(n, dict) and n.get("RIGHT_ID") == "country" for n in nodes)
        if not named:
            raise StructurePatternError(f"{where}: the pattern needs a node with RIGHT_ID 'country'")
        unset = sorted(
            {
                a
                for n in nodes
                if isinstance(n, dict) and isinstance(n.get("RIGHT_ATTRS"), dict)
                for a in n["RIGHT_ATTRS"]
            }
            & UNSET
        )
        if unset:
            raise StructurePatternError(
                f"{where} ({item['name']!r}): {', '.join(unset)} is not set by the sentence parser (no attribute ruler "
                "or lemmatizer runs): match the word forms (LOWER) and the fine tag (TAG, e.g. VBD) instead"
            )
        try:
            matcher.add(item["name"], [nodes])
        except (ValueError, KeyError, TypeError) as error:
            raise StructurePatternError(f"{where} ({item['name']!r}): {error}") from error
        if not {w.lower() for n in nodes for w in _node_words(n)} & {w.lower() for w in data["sentence_words"]}:
            raise StructurePatternError(
                f"{where} ({item['name']!r}): none of its words (LOWER) is in sentence_words, so no sentence it "
                "could match is ever parsed"
            )
        patterns.append(
            StructurePattern(item["name"], item["role"], tuple(nodes), bool(item.get("object_is_org", False)))
        )
    return StructurePatterns(
        frozenset(w.lower() for w in data["sentence_words"]),
        tuple(patterns),
        frozenset(w.lower() for w in data["status_words"]),
        frozenset(w.lower() for w in data["status_cues"]),
        status_forms,
        {key: frozenset(w.lower() for w in value) for key, value in planned.items()},
        {noun.lower(): status for noun, status in nouns.items()},
        frozenset(w.lower() for w in data["past_nouns"]),
    )


def _node_words(node: dict[str, Any]) -> list[str]:
    """The word forms a pattern node matches by LOWER (one form, or a list under IN)."""
    lower = node.get("RIGHT_ATTRS", {}).get("LOWER")
    if isinstance(lower, str):
        return [lower]
    forms = lower.get("IN", []) if isinstance(lower, dict) else []
    return [w for w in forms if isinstance(w, str)]


@lru_cache(maxsize=1)
def default_structure_patterns() -> StructurePatterns:
    return load_structure_patterns()


def _matcher(vocab: Vocab, patterns: StructurePatterns) -> DependencyMatcher:
    matcher = DependencyMatcher(vocab)
    for pattern in patterns.roles:
        matcher.add(pattern.name, [list(pattern.pattern)])
    return matcher


def _group(token: Token) -> list[Token]:
    """The token and every token joined to it as a conjunct or an apposition ("A, B and C")."""
    found, todo = [], [token]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(child for child in current.children if child.dep_ in ("conj", "appos"))
    return found


def _negated(token: Token) -> bool:
    return any(child.dep_ == "neg" for child in token.children)


class StructureRoles:
    """Roles of countries from the parse of the sentences that may state them."""

    def __init__(self, parse: Parse, patterns: StructurePatterns | None = None) -> None:
        self.parse = parse
        self.patterns = patterns or default_structure_patterns()
        self.titles = default_name_rules().person_titles
        self._filter = self.patterns.sentence_filter()
        self._status = self.patterns.status_filter()
        self._status_cue = self.patterns.status_cue_filter()
        self._by_name = {p.name: p for p in self.patterns.roles}
        self._matchers: dict[int, DependencyMatcher] = {}
        self._ahead: dict[str, Doc] = {}

    def chosen(
        self, text: str, segments: Sequence[tuple[int, int]], countries: Sequence[Any], documents: Sequence[Any] = ()
    ) -> list[tuple[int, int]]:
        """The segments worth parsing: a country and a word the role patterns look for, or a document and a word
        of a status. `countries` and `documents` are in text order."""
        return [
            (s, e)
            for s, e in segments
            if (within(countries, s, e) and self._filter.search(text, s, e))
            or (within(documents, s, e) and self._needs_parse_for_status(text, s, e))
        ]

    def parse_segments(
        self, text: str, segments: Sequence[tuple[int, int]], countries: Sequence[Any], documents: Sequence[Any] = ()
    ) -> dict[tuple[int, int], Parsed]:
        """The `chosen` segments, parsed in one batch (those given to `parse_ahead` taken from there)."""
        chosen = self.chosen(text, segments, countries, documents)
        texts = [text[start:end] for start, end in chosen]
        missing = [sentence for sentence in texts if sentence not in self._ahead]
        known = self._ahead | (dict(zip(missing, self.parse(missing), strict=True)) if missing else {})
        docs = [known[sentence] for sentence in texts]
        return {segment: Parsed(segment[0], doc) for segment, doc in zip(chosen, docs, strict=True)}

    def parse_ahead(self, sentences: list[str]) -> None:
        """Parse the sentences of many articles in one call, for their `parse_segments` to take (one call per
        article cost a fifth more); an empty list lets the last ones go (their Docs belong to a memory zone)."""
        self._ahead = dict(zip(sentences, self.parse(sentences), strict=True)) if sentences else {}

    def _needs_parse_for_status(self, text: str, start: int, end: int) -> bool:
        """Whether the nearest status word may not be the one that governs: a status word with a cue that can
        turn it (future, planning, negation, "draft"), or two status words in one sentence. Other sentences
        keep the window rule's answer and cost no parse."""
        words = self._status.findall(text, start, end)
        return bool(words) and (len(words) > 1 or bool(self._status_cue.search(text, start, end)))

    def status(self, parsed: Parsed, start: int, end: int) -> tuple[str, tuple[int, int]] | None:
        """The status the verb that governs the document at text[start:end] gives it, and the verb's offsets:
        "approving the draft Plan" is adopted, "will sign the Pact" and "decisions on signing the Pact" are
        planned, a negated verb leaves it mentioned."""
        span = parsed.doc.char_span(start - parsed.start, end - parsed.start, alignment_mode="expand")
        if span is None or not len(span):
            return None
        token = span.root
        for _ in range(4):
            if token.head.i == token.i or token.dep_ not in _TOWARD_VERB:
                return None
            token = token.head
            offsets = (parsed.start + token.idx, parsed.start + token.idx + len(token))
            if token.tag_ in NOUN_TAGS and token.lower_ in self.patterns.status_nouns:
                marked = token.head.dep_ == "prep" and token.head.head.lower_ in self.patterns.past_nouns
                if marked:
                    return "mentioned", offsets
                return ("planned" if self._called_for(token) else self.patterns.status_nouns[token.lower_]), offsets
            status = self.patterns.status_forms.get(token.lower_) if token.tag_ in VERB_TAGS else None
            if status is None:
                continue
            if _negated(token):
                return "mentioned", offsets  # "did not adopt": nothing happened to it
            return ("planned" if self._planned(token) else status), offsets
        return None

    def _called_for(self, noun: Token) -> bool:
        """Whether the act a noun names is asked for, not done: "urged the adoption of", "calls for the signing
        and adoption of" (a verb of planning governs it, as object or through "for")."""
        while noun.dep_ == "conj" and noun.head.i != noun.i:
            noun = noun.head
        head = noun.head
        if noun.dep_ == "pobj" and head.lower_ == "for":
            head = head.head
        return noun.dep_ in ("dobj", "pobj") and head.lower_ in self.patterns.planned["governors"]

    def _planned(self, verb: Token) -> bool:
        planned = self.patterns.planned
        if any(child.dep_ == "aux" and child.lower_ in planned["auxiliaries"] for child in verb.children):
            return True
        head = verb.head
        if verb.dep_ == "xcomp" and head.lower_ in planned["governors"]:
            return True
        return verb.dep_ == "pcomp" and head.lower_ in planned["prepositions"]

    def roles(
        self, text: str, parsed: dict[tuple[int, int], Parsed], countries: Sequence[Any], orgs: Sequence[Any]
    ) -> list[tuple[Any, str, str]]:
        """(country span, role, pattern name) for every country a pattern finds in the parsed segments."""
        found: list[tuple[Any, str, str]] = []
        for (start, end), sentence in parsed.items():
            in_sentence = within(countries, start, end)
            if not in_sentence or not self._filter.search(text, start, end):
                continue  # parsed for a document's status only: no pattern can match
            doc = sentence.doc
            matcher = self._matchers.get(id(doc.vocab))
            if matcher is None:
                matcher = self._matchers[id(doc.vocab)] = _matcher(doc.vocab, self.patterns)
            org_spans = [(o.start - start, o.end - start) for o in within(orgs, start, end)]
            seen: set[tuple[int, str]] = set()
            for match_id, token_ids in matcher(doc):
                pattern = self._by_name[doc.vocab.strings[match_id]]
                nodes = {node["RIGHT_ID"]: doc[i] for node, i in zip(pattern.pattern, token_ids, strict=True)}
                verb = nodes.get("verb") or nodes.get("office")
                if verb is not None and _negated(verb):
                    continue
                if pattern.object_is_org and verb is not None and not _object_is_org(verb, org_spans):
                    continue
                for token in _group(nodes["country"]):
                    country = _span_at(in_sentence, start + token.idx) or self._led(token, in_sentence, start)
                    if country is not None and (country.start, pattern.role) not in seen:
                        seen.add((country.start, pattern.role))
                        found.append((country, pattern.role, pattern.name))
        return sorted(found, key=lambda item: item[0].start)

    def _led(self, token: Token, countries: Sequence[Any], start: int) -> Any | None:
        """The country a leader stands for: "presided over by X, President of the Republic of A" and "under the
        chairmanship of the President of B" make A and B chair. Followed down apposition and "of" from a person's
        title, at most four arcs."""
        titled = token.text in self.titles
        frontier, steps = [token], 0
        while frontier and steps < 4:
            steps += 1
            children = [
                child
                for node in frontier
                for child in node.children
                if child.dep_ in ("appos", "pobj", "compound") or (child.dep_ == "prep" and child.lower_ == "of")
            ]
            for child in children:
                titled = titled or child.text in self.titles
                country = _span_at(countries, start + child.idx)
                if country is not None and titled:
                    return country
            frontier = children
        return None


@dataclass(frozen=True, slots=True)
class Parsed:
    """One parsed segment: where it starts in the article, and its Doc."""

    start: int
    doc: Doc

    def token_at(self, offset: int) -> Token | None:
        span = self.doc.char_span(offset - self.start, offset - self.start + 1, alignment_mode="expand")
        return span[0] if span is not None and len(span) else None

    def close(self, a: int, b: int, hops: int = 4) -> bool:
        """Whether the tokens at article offsets `a` and `b` are at most `hops` arcs apart in the tree,
        conjuncts and appositions of one list counting as one ("hosted by A and B")."""
        first, second = self.token_at(a), self.token_at(b)
        if first is None or second is None:
            return True  # nothing to judge by: the window rule stands
        return _distance(_list_head(first), _list_head(second)) <= hops


def _list_head(token: Token) -> Token:
    while token.dep_ in ("conj", "appos") and token.head.i != token.i:
        token = token.head
    return token


def _distance(a: Token, b: Token) -> int:
    up = {}
    steps = 0
    node = a
    while True:
        up[node.i] = steps
        if node.head.i == node.i:
            break
        node, steps = node.head, steps + 1
    steps = 0
    node = b
    while node.i not in up:
        if node.head.i == node.i:
            return len(a.doc)
        node, steps = node.head, steps + 1
    return up[node.i] + steps


# The arcs from a document up to the verb that governs it: its object, the object of a preposition it hangs
# from, a conjunct of another object, an apposition.
_TOWARD_VERB = frozenset({"dobj", "pobj", "nsubjpass", "conj", "appos", "prep", "compound", "attr", "oprd"})


def within(spans: Sequence[Any], start: int, end: int) -> Sequence[Any]:
    """The spans that start in [start, end), from `spans` in text order, found by bisection: the facts rules ask
    this per mention, and a scan of all spans each time made a long article's facts quadratic."""
    return spans[bisect.bisect_left(spans, start, key=_start) : bisect.bisect_left(spans, end, key=_start)]


def _start(span: Any) -> int:
    return span.start


def _span_at(spans: Sequence[Any], offset: int) -> Any | None:
    return next((s for s in spans if s.start <= offset < s.end), None)


def _object_is_org(verb: Token, org_spans: list[tuple[int, int]]) -> bool:
    objects = [child for child in verb.children if child.dep_ == "dobj"]
    return all(any(s <= obj.idx < e for s, e in org_spans) for obj in objects)
