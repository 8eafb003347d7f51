"""The rule loader: every malformed pattern file is one line naming file, line and key; user patterns on top."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from typer.testing import CliRunner

from summit_extract.about import rules_fingerprint
from summit_extract.cli import app
from summit_extract.extraction.components import SUMMIT_COMPONENTS, add_summit_components
from summit_extract.extraction.components.names import NameRules
from summit_extract.extraction.identity import name_key, slug, spelling_variants
from summit_extract.paths import bundled_patterns_dir
from summit_extract.rules import JSON_SCHEMAS, OVERLAY_FILES, RuleError, load_rules, read_folder, read_rule_file

SCO = '{"id": "SCO", "name": "Shanghai Cooperation Organization", "acronyms": ["SCO"]}'
ZETA = '{"id": "ZCF", "name": "Zeta Cooperation Forum", "acronyms": ["ZCF"]}'


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        # organisations
        (
            "organizations.jsonl",
            '{"id": "ZCF", "name": "Zeta Cooperation Forum", "acronyms": "ZCF"}\n',
            r"organizations.jsonl, line 1: key 'acronyms': expected a list of strings, got \"ZCF\"",
        ),
        (
            "organizations.jsonl",
            ZETA + '\n{"id": "ZZ", "name": "Zed"\n',
            r"organizations.jsonl, line 2: not valid JSON \(Expecting ',' delimiter, column 27\)",
        ),
        (
            "organizations.jsonl",
            '{"id": "ZCF", "name": "Zeta Cooperation Forum", "acronym": ["ZCF"]}\n',
            r"organizations.jsonl, line 1: unknown key 'acronym'; an organisation takes id, name, acronyms",
        ),
        ("organizations.jsonl", '{"id": "ZCF"}\n', r"organizations.jsonl, line 1: missing key 'name'"),
        ("organizations.jsonl", '["ZCF"]\n', r"organizations.jsonl, line 1: expected a JSON object, got \[\"ZCF\"\]"),
        (
            "organizations.jsonl",
            '{"id": "ZCF", "name": "Zeta", "variants": ["Zeta Forum", ""]}\n',
            r"line 1: key 'variants': expected non-empty strings in the list, got \"\"",
        ),
        ("organizations.jsonl", '{"id": 7, "name": "Zeta"}\n', r"line 1: key 'id': expected a non-empty string, got 7"),
        ("organizations.jsonl", "\n" + SCO + "\n", r"organizations.jsonl, line 2: key 'id': 'SCO' is already defined"),
        # word lists
        (
            "name_rules.json",
            '{\n  "org_heads": "Forum"\n}\n',
            r"name_rules.json, line 2: key 'org_heads': expected a list of strings, got \"Forum\"",
        ),
        (
            "name_rules.json",
            '{\n  "org_heads": ["Forum"],\n  "org_head": ["Summit"]\n}\n',
            r"name_rules.json, line 3: unknown key 'org_head'; name_rules.json takes org_heads, document_heads",
        ),
        (
            "name_rules.json",
            '{"org_heads": ["Forum", 3]}',
            r"name_rules.json, line 1: key 'org_heads': expected non-empty strings in the list, got 3",
        ),
        (
            "name_rules.json",
            '{\n  "org_heads": ["Forum"]\n  "event_words": []\n}',
            r"name_rules.json, line 3: not valid JSON \(Expecting ',' delimiter, column 3\)",
        ),
        ("name_rules.json", '{"org_heads": [], "org_heads": []}', r"name_rules.json: key 'org_heads' appears twice"),
        ("name_rules.json", '["Forum"]', r"name_rules.json, line 1: expected a JSON object of word lists"),
        # countries and aliases
        (
            "country_aliases.tsv",
            "id\talias\tkind\nKAZ\tQazaqstan\n",
            r"country_aliases.tsv, line 2: expected 3 tab-separated columns, got 2",
        ),
        (
            "country_aliases.tsv",
            "# a comment\nid\talias\tkind\nXXX\tAtlantis\tshort\n",
            r"country_aliases.tsv, line 3: column 'id': unknown country id 'XXX' for alias 'Atlantis'",
        ),
        (
            "country_aliases.tsv",
            "id\talias\tkind\nKAZ\tQazaqstan\tnickname\n",
            r"country_aliases.tsv, line 2: column 'kind': 'nickname' is not one of abbreviation, common",
        ),
        (
            "country_aliases.tsv",
            "id\tname\tkind\n",
            r"country_aliases.tsv, line 1: expected the header id<tab>alias<tab>kind",
        ),
        (
            "country_aliases.tsv",
            "id\talias\tkind\nKAZ\t\tlocal\n",
            r"country_aliases.tsv, line 2: column 'alias' is empty",
        ),
        (
            "countries.tsv",
            "id\tnorm\tstatus\nKAZ\tKazakhstan\tun-member\n",
            r"countries.tsv, line 2: key 'id': 'KAZ' is already defined \(.*countries.tsv, line \d+\)",
        ),
        (
            "countries.tsv",
            "id\tnorm\tstatus\nkaz\tKazakhstan\tun-member\n",
            r"countries.tsv, line 2: column 'id': 'kaz' is not an upper-case id",
        ),
        # files a user's folder cannot hold
        ("cleanup.json", "{}", r"cleanup.json: not a file a patterns folder can add to \(it is read from the bundled"),
        (
            "organisations.jsonl",
            ZETA,
            r"organisations.jsonl: not a file a patterns folder can add to; use name_rules.json",
        ),
    ],
)
def test_malformed_user_pattern_files_are_one_line_naming_file_line_and_key(tmp_path, name, text, message):
    folder = write(tmp_path / "mine", {name: text})
    with pytest.raises(RuleError, match=message) as caught:
        load_rules(folder)
    assert "\n" not in str(caught.value)
    assert str(folder / name) in str(caught.value) or str(folder) in str(caught.value)


@pytest.mark.parametrize(
    ("name", "edit", "message"),
    [
        ("name_rules.json", lambda d: d.pop("geo_suffixes"), r"name_rules.json: missing key 'geo_suffixes'"),
        (
            "span_rules.json",
            lambda d: d["priorities"].update(ner="10"),
            r"span_rules.json, line \d+: key 'priorities': 'ner' should be an integer, got \"10\"",
        ),
        (
            "span_rules.json",
            lambda d: d["priorities"].pop("country"),
            r"span_rules.json, line \d+: key 'priorities': missing 'country'",
        ),
        (
            "cleanup.json",
            lambda d: d.update(byline_cues="by"),
            r"cleanup.json, line \d+: key 'byline_cues': expected a list",
        ),
    ],
)
def test_a_complete_patterns_folder_is_checked_too(tmp_path, name, edit, message):
    folder = tmp_path / "patterns"
    shutil.copytree(bundled_patterns_dir(), folder)
    data = json.loads((folder / name).read_text(encoding="utf-8"))
    edit(data)
    (folder / name).write_text(json.dumps(data, indent=1), encoding="utf-8")
    with pytest.raises(RuleError, match=message):
        read_folder(folder)


def test_the_bundled_patterns_load_and_every_word_list_is_read_by_the_components():
    data = load_rules()
    assert set(data.files) == set(OVERLAY_FILES) | {"cleanup.json", "span_rules.json"}
    fields = {f for f in NameRules.__dataclass_fields__} - {
        "document_head_phrases",
        "plural_heads",
    }  # from document_heads
    assert fields == set(JSON_SCHEMAS["name_rules.json"])


@pytest.mark.parametrize(
    ("folder", "message"),
    [
        ("missing", r"missing: patterns folder not found"),
        ("empty", r"empty: holds none of name_rules.json, organizations.jsonl"),
    ],
)
def test_a_user_folder_that_is_not_one(tmp_path, folder, message):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "README.md").write_text("notes", encoding="utf-8")
    with pytest.raises(RuleError, match=message):
        load_rules(tmp_path / folder)


USER_PATTERNS = {
    "organizations.jsonl": ZETA + "\n",
    "country_aliases.tsv": "id\talias\tkind\nKAZ\tQazaqstan\tlocal\n",
    "countries.tsv": "id\tnorm\tstatus\nATLANTIS\tAtlantis\tlimited-recognition\n",
    "name_rules.json": json.dumps({"org_heads": ["Forum"]}),
}
TEXT = "The Zeta Cooperation Forum met in Qazaqstan and Atlantis, beside the Astana Policy Forum."


@pytest.fixture
def user_patterns(tmp_path) -> Path:
    return write(tmp_path / "my-patterns", USER_PATTERNS)


def ents(nlp, text: str = TEXT) -> list[tuple[str, str, str]]:
    return [(e.text, e.label_, e.kb_id_) for e in nlp(text).ents]


def test_user_patterns_add_organisations_aliases_states_and_word_lists(user_patterns):
    bundled = ents(add_summit_components(spacy.blank("en")))
    assert ("Zeta Cooperation Forum", "ORG", "ZCF") not in bundled
    assert ents(add_summit_components(spacy.blank("en"), patterns=user_patterns)) == [
        ("Zeta Cooperation Forum", "ORG", "ZCF"),
        ("Qazaqstan", "COUNTRY", "KAZ"),
        ("Atlantis", "COUNTRY", "ATLANTIS"),
        ("Astana Policy Forum", "ORG", "astana-policy-forum"),
    ]


def test_user_word_lists_extend_the_bundled_lists(user_patterns):
    words = load_rules(user_patterns).words("name_rules.json")["org_heads"]
    assert words[-1] == "Forum" and "Council" in words


def test_user_patterns_change_the_fingerprint(user_patterns):
    assert rules_fingerprint(load_rules(user_patterns)) != rules_fingerprint(load_rules())


def test_to_disk_writes_each_components_rule_data_and_spacy_load_reads_it(tmp_path, user_patterns):
    nlp = add_summit_components(spacy.blank("en"), patterns=user_patterns)
    expected = ents(nlp)
    nlp.to_disk(tmp_path / "saved")
    # The organisation ruler reads the country table too: a body's name never ends in a country's;
    # it carries the reviewer's id aliases to the canonical-id rules.
    assert sorted(p.name for p in (tmp_path / "saved" / "summit_org_ruler").iterdir()) == [
        "countries.tsv",
        "country_aliases.tsv",
        "id_aliases.tsv",
        "name_rules.json",
        "organizations.jsonl",
    ]
    assert sorted(p.name for p in (tmp_path / "saved" / "summit_country_ruler").iterdir()) == [
        "countries.tsv",
        "country_aliases.tsv",
        "name_rules.json",
    ]
    assert "ZCF" in (tmp_path / "saved" / "summit_acronym_linker" / "organizations.jsonl").read_text(encoding="utf-8")
    shutil.rmtree(user_patterns)  # the saved pipeline carries the rules; its config no longer finds the folder
    portable = {"components": {name: {"patterns": None} for name in SUMMIT_COMPONENTS[:-1]}}
    loaded = spacy.load(tmp_path / "saved", config=portable)
    assert loaded.pipe_names == list(SUMMIT_COMPONENTS)
    assert ents(loaded) == expected


def test_a_saved_pipeline_loads_anywhere_once_its_patterns_folder_is_gone(tmp_path, user_patterns):
    """Save, delete the folder, `spacy.load` in a new process (no rules cached) with no config override, extract."""
    nlp = add_summit_components(spacy.blank("en"), patterns=user_patterns)
    expected = ents(nlp)
    nlp.to_disk(tmp_path / "saved")
    shutil.rmtree(user_patterns)
    assert str(user_patterns) not in (tmp_path / "saved" / "config.cfg").read_text(encoding="utf-8")
    program = (
        "import json, sys, spacy\n"
        "nlp = spacy.load(sys.argv[1])\n"
        "print(json.dumps([[e.text, e.label_, e.kb_id_] for e in nlp(sys.argv[2]).ents]))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", program, str(tmp_path / "saved"), TEXT], capture_output=True, text=True, cwd=tmp_path
    )
    assert loaded.returncode == 0, loaded.stderr
    assert [tuple(entity) for entity in json.loads(loaded.stdout)] == expected


@pytest.mark.parametrize("name", [name for name in SUMMIT_COMPONENTS if name != "summit_span_resolver"])
def test_a_proposing_component_alone_says_it_sets_no_ents_and_how_to_get_them(name):
    nlp = spacy.blank("en")
    nlp.add_pipe(name)
    with pytest.warns(UserWarning) as warned:
        assert nlp(TEXT).ents == ()
    assert str(warned[0].message) == (
        f"{name} only proposes candidates (doc._.summit_candidates) and sets no doc.ents; "
        'add the resolver after it: nlp.add_pipe("summit_span_resolver")'
    )


def test_the_one_line_recipe_sets_ents(recwarn):
    nlp = spacy.blank("en")
    nlp.add_pipe("summit_country_ruler")
    nlp.add_pipe("summit_span_resolver")
    assert [(e.text, e.label_) for e in nlp("Kazakhstan and China met in Astana.").ents] == [
        ("Kazakhstan", "COUNTRY"),
        ("China", "COUNTRY"),
    ]
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]


def test_from_disk_checks_the_saved_rule_data(tmp_path):
    nlp = add_summit_components(spacy.blank("en"))
    nlp.to_disk(tmp_path / "saved")
    saved = tmp_path / "saved" / "summit_org_ruler" / "organizations.jsonl"
    saved.write_text(
        saved.read_text(encoding="utf-8") + '{"id": "X", "name": "X", "acronyms": "X"}\n', encoding="utf-8"
    )
    with pytest.raises(RuleError, match=r"summit_org_ruler/organizations.jsonl, line \d+: key 'acronyms'"):
        spacy.load(tmp_path / "saved")


def test_run_with_a_malformed_user_file_exits_2_with_one_line(tmp_path):
    folder = write(tmp_path / "mine", {"organizations.jsonl": '{"id": "SCO2", "name": "X", "acronyms": "SCO"}\n'})
    (tmp_path / "a.txt").write_text("The SCO met in Astana.\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["run", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out.jsonl"), "--patterns", str(folder)]
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"summit-extract: error: {folder / 'organizations.jsonl'}, line 1: key 'acronyms': "
        'expected a list of strings, got "SCO"'
    )


def test_read_rule_file_refuses_an_unknown_file_name(tmp_path):
    path = write(tmp_path, {"notes.json": "{}"}) / "notes.json"
    with pytest.raises(RuleError, match=r"notes.json: not a pattern file; expected one of name_rules.json"):
        read_rule_file(path)


@pytest.mark.parametrize(
    ("name", "variant"),
    [
        ("Organisation of Islamic Cooperation", "Organization of Islamic Cooperation"),
        ("Organisation of Islamic Cooperation", "Organisation of Islamic Co-operation"),
        ("International Labour Organization", "International Labor Organization"),
        ("Côte d'Ivoire", "Cote d'Ivoire"),
        ("Côte d'Ivoire", "Côte d’Ivoire"),
        ("Programme of Action", "Program of Action"),
    ],
)
def test_spelling_variants(name, variant):
    assert variant in spelling_variants(name)


def test_spelling_variants_swap_whole_words_only():
    assert "Programmeme of Action" not in spelling_variants("Programme of Action")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("the Russian Federation", "Russian  Federation"),
        ("Türkiye", "turkiye"),
        ("Côte d’Ivoire", "Cote d'Ivoire"),
        ("THE Gambia", "Gambia"),
    ],
)
def test_one_name_key_for_every_table(a, b):
    assert name_key(a) == name_key(b)


def test_slug_takes_the_american_spelling_of_every_pair():
    assert slug("International Labour Organisation Centre") == slug("International Labor Organization Center")


def test_the_patterns_folder_is_looked_up_once_per_setting(tmp_path, monkeypatch):
    """The rules ask for it at every organisation they check: a loaded folder is not found and checked again."""
    folder = tmp_path / "patterns"
    shutil.copytree(bundled_patterns_dir(), folder)
    monkeypatch.setenv("SUMMIT_EXTRACT_PATTERNS", str(folder))
    loaded = load_rules()
    folder.rename(tmp_path / "moved")
    assert load_rules() is loaded


@pytest.mark.parametrize("setting", ["missing", "a-file"])
def test_a_patterns_setting_that_is_no_folder_is_named(tmp_path, monkeypatch, setting):
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    monkeypatch.setenv("SUMMIT_EXTRACT_PATTERNS", str(tmp_path / setting))
    with pytest.raises(FileNotFoundError, match=f"Pattern folder not found: {tmp_path / setting}. Point"):
        load_rules()
