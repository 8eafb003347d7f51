"""Tokenizer rules for wire copy, on top of the model's own.

Agencies credit themselves between slashes after a dateline ("MOSCOW, May 3. /Nordpress/.") and in
parentheses glued to a caption's last word ("... 2023.(Nordpress)"). The stock English rules keep
"/Nordpress/." and "2023.(Nordpress" as single tokens, so no name inside them can be matched. Splitting
a slash at the edge of a word and a full stop before an opening parenthesis makes them tokens of
their own; a slash inside a word ("and/or", "RFE/RL", "12/05") is left alone. A hyphen that ends a word
before a space ("(NEWSWIRE- Lake News Agency)") separates two names and is split off too; one inside a
word ("Brazil-Arab") stays.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

SLASH_PREFIX = r"/(?=[A-Za-z])"
SLASH_SUFFIXES = (r"(?<=[A-Za-z])/", r"(?<=[A-Za-z]/)[.,]")
HYPHEN_SUFFIX = r"(?<=[A-Za-z])-"
STOP_BEFORE_PARENTHESIS = (r"(?<=[0-9A-Za-z])\.(?=\()", r"(?<=[0-9A-Za-z]\.)\((?=[A-Za-z])")


def adapt_tokenizer(nlp: Language) -> Language:
    """Add the wire-copy rules to `nlp`'s tokenizer (once; they are saved with the pipeline)."""
    tokenizer = nlp.tokenizer
    defaults = nlp.Defaults
    if tokenizer.prefix_search is not None and SLASH_PREFIX in tokenizer.prefix_search.__self__.pattern:
        return nlp  # a pipeline saved with the rules already has them
    tokenizer.prefix_search = compile_prefix_regex([*(defaults.prefixes or ()), SLASH_PREFIX]).search
    tokenizer.suffix_search = compile_suffix_regex([*(defaults.suffixes or ()), *SLASH_SUFFIXES, HYPHEN_SUFFIX]).search
    tokenizer.infix_finditer = compile_infix_regex([*(defaults.infixes or ()), *STOP_BEFORE_PARENTHESIS]).finditer
    return nlp
