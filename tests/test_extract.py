"""End to end on the seed article with the real en_core_web_sm pipeline."""

from __future__ import annotations

import re

import jsonschema
import pytest

from summit_extract.extraction.model import ModelNotFoundError, load_model, resolve_model
from summit_extract.output.schema import extraction_schema

SEED_COUNTRIES = {
    "Kazakhstan": "KAZ",
    "Belarus": "BLR",
    "China": "CHN",
    "India": "IND",
    "Iran": "IRN",
    "Kyrgyzstan": "KGZ",
    "Pakistan": "PAK",
    "Russia": "RUS",
    "Tajikistan": "TJK",
    "Uzbekistan": "UZB",
    "Azerbaijan": "AZE",
    "Mongolia": "MNG",
    "Qatar": "QAT",
    "Türkiye": "TUR",
    "Turkmenistan": "TKM",
    "Bangladesh": "BGD",
    "Laos": "LAO",
}
SEED_DOCUMENTS = {
    "Astana Declaration",
    "World Unity for Just Peace, Harmony, and Development",
    "SCO Development Strategy until 2025",
    "Cooperation Program to Counter Terrorism, Separatism, and Extremism for 2025-2027",
    "Anti-Drug Strategy",
    "Energy Cooperation Development Strategy",
    "Initiative on World Unity for a Just Peace, Harmony, and Development",
    "SCO Development Strategy until 2035",
    "Cooperation Program to Counter Terrorism, Separatism, and Extremism for 25–2027",
}
SEED_ORGS = {
    "Shanghai Cooperation Organization": "SCO",
    "SCO": "SCO",
    "CSTO": "CSTO",
    "CICA": "CICA",
    "CIS": "CIS",
    "EEC": "EEC",
    "OIC": "OIC",
    "UN": "UN",
    "SCO Secretariat": "sco-secretariat",
    "SCO Heads of State Council": "sco-heads-of-state-council",
    "Central Asian Regional Information Coordination Center": "CARICC",
    "Pakistan Research Center for a Community with Shared Future": "PRCCSF",
    "PRCCSF": "PRCCSF",
    "Association of Investors": "association-of-investors",
}
NOT_ENTITIES = {"Astana", "Islamabad", "Central Asia", "Kazakh", "Exemplary", "Kassym-Jomart Tokayev", "East", "West"}


@pytest.fixture(scope="module")
def seed_record(extractor, seed_raw):
    return extractor.extract(seed_raw, doc_id="000_f25956cb5b5f35ed", source="corpus/articles/000_f25956cb5b5f35ed.txt")


def by_label(record, label):
    return {e.text: e.id for e in record.entities if e.label == label}


@pytest.mark.model
def test_seed_names_all_seventeen_countries_with_iso3_and_no_city(seed_record):
    assert by_label(seed_record, "COUNTRY") == SEED_COUNTRIES


@pytest.mark.model
def test_seed_organisations_with_linked_acronyms(seed_record):
    assert by_label(seed_record, "ORG") == SEED_ORGS


@pytest.mark.model
def test_seed_document_titles_have_exact_boundaries(seed_record):
    assert set(by_label(seed_record, "DOCUMENT")) == SEED_DOCUMENTS


@pytest.mark.model
def test_seed_has_no_city_region_demonym_or_person(seed_record):
    assert not {e.text for e in seed_record.entities} & NOT_ENTITIES


@pytest.mark.model
def test_offsets_point_into_clean_and_raw_text(seed_record, seed_raw):
    for entity in seed_record.entities:
        assert seed_record.text[entity.start : entity.end] == entity.text
        raw = seed_raw[entity.raw_start : entity.raw_end]
        assert re.sub(r"\s+", " ", raw) == entity.text, entity


@pytest.mark.model
def test_record_follows_the_json_schema_and_metadata(seed_record):
    data = seed_record.to_dict()
    jsonschema.validate(data, extraction_schema())
    assert data["meta"]["published"] == "2024-07-08"
    assert data["pipeline"]["model"].startswith("en_core_web_sm")


@pytest.mark.model
def test_python_api_returns_the_same_record_for_one_text(seed_raw, seed_record):
    from summit_extract import extract

    record = extract(seed_raw, doc_id="000_f25956cb5b5f35ed")
    assert [e.to_dict() for e in record.entities] == [e.to_dict() for e in seed_record.entities]


@pytest.mark.model
def test_only_the_components_extraction_needs_are_loaded(extractor):
    names = extractor.nlp.pipe_names
    assert names[0] == "ner"
    assert not {"parser", "lemmatizer", "tagger", "attribute_ruler"} & set(names)


@pytest.mark.model
def test_the_facts_parser_comes_from_the_same_load_of_the_model(extractor):
    # Kept disabled beside the NER: the sentences it parses share the pipeline's vocabulary (and its
    # memory zones), where a second load of the model had one of its own.
    assert {"parser", "tagger"} <= set(extractor.nlp.disabled)
    [doc] = extractor.structure.parse(["Kazakhstan hosted the summit."])
    assert doc.vocab is extractor.nlp.vocab


@pytest.mark.model
def test_the_facts_parser_sets_no_lemmas_or_coarse_tags(extractor):
    # The attribute ruler and the lemmatizer were a third of the parse: the structure patterns match forms and TAG.
    assert not {"attribute_ruler", "lemmatizer"} & set(extractor.nlp.component_names)
    [doc] = extractor.structure.parse(["Kazakhstan hosted the summit."])
    assert [(t.tag_, t.dep_, t.pos_, t.lemma_) for t in doc][:2] == [("NNP", "nsubj", "", ""), ("VBD", "ROOT", "", "")]


@pytest.mark.model
@pytest.mark.parametrize(
    "sentence",
    [
        "Kazakhstan hosted the summit in Astana on Tuesday.",
        "The leaders of India, China and Russia adopted the declaration, which Brazil did not sign.",
        "Uzbekistan took over the chairmanship from Kyrgyzstan.",
    ],
)
def test_the_kept_parser_parses_as_the_model_loaded_for_it(extractor, sentence):
    from summit_extract.extraction.model import load_parser

    [kept] = extractor.structure.parse([sentence])
    [separate] = load_parser().pipe([sentence])

    def analysis(doc):
        return [(t.text, t.dep_, t.head.i, t.tag_) for t in doc]

    assert analysis(kept) == analysis(separate)


@pytest.mark.model
@pytest.mark.parametrize("keep_parser", [False, True])
def test_a_sentence_parser_only_where_the_parser_was_kept(keep_parser):
    from summit_extract.extraction.model import load_model, sentence_parser

    nlp = load_model(keep_parser=keep_parser)
    assert nlp.pipe_names == ["ner"]
    assert (sentence_parser(nlp) is not None) is keep_parser


@pytest.mark.model
@pytest.mark.parametrize(
    "text, expected",
    [
        ("Michael Jordan visited Jordan.", [("COUNTRY", "Jordan")]),
        ("The ASEAN Secretariat in Jakarta hosted the talks.", [("ORG", "ASEAN Secretariat")]),
        ("President Kassym-Jomart Tokayev opened the SCO summit.", [("ORG", "SCO")]),
        ("Leaders met at the Sandton Convention Centre in Johannesburg.", []),
        ("The Kazan Declaration was adopted on Wednesday.", [("DOCUMENT", "Kazan Declaration")]),
        # a gerund after "and" that answers one before it continues the title
        (
            "Ministers signed the Accord on Fighting Hunger and Promoting Dialogue between Cultures. It was",
            [("DOCUMENT", "Accord on Fighting Hunger and Promoting Dialogue between Cultures")],
        ),
        # a nationality adjective before a lower-case word: the phrase says where, it is not in the name
        (
            "The Lima Accord on Forest Protection in the Peruvian capital was signed.",
            [("DOCUMENT", "Lima Accord on Forest Protection")],
        ),
        (
            "The Regional Health Council in the Brazilian city of Recife met.",
            [("ORG", "Regional Health Council")],
        ),
        # an agency between slashes after a dateline, and in parentheses glued to a caption's last word
        ("MOSCOW, May 3. /TASS/. Talks began.", [("ORG", "TASS")]),
        ("Leaders posed for a photo on May 20, 2023.(PTI) Talks began.", [("ORG", "PTI")]),
        # a nationality before an outlet describes it
        ("Leaders approved the plan, Russian Tass news agency reported.", [("ORG", "Tass")]),
        # a hyphen that ends a word before a space separates two names
        (
            "(NEWSWIRE- Lake-Arab News Agency (LANA)) Lumen – The declaration was issued.",
            [("ORG", "Lake-Arab News Agency"), ("ORG", "LANA")],
        ),
        # an organisation's name ends where a person's title and name begin
        (
            "Lake Directorate of Communications Director Vural Kandemir spoke.",
            [("ORG", "Lake Directorate of Communications")],
        ),
        # a state's formal name with "of" for "of the", and a formal name made from an official "<Adj> Republic"
        (
            "Troops from the Democratic Republic of Congo and the Republic of Rwanda met.",
            [("COUNTRY", "Democratic Republic of Congo"), ("COUNTRY", "Republic of Rwanda")],
        ),
        # a document of a kind (indefinite article, or a type phrase alone) is not a title
        ("The sides also signed A Memorandum of Understanding on trade; and more.", []),
        ("They signed a Memorandum of Understanding yesterday.", []),
        # a list inside a long formal title keeps "and their ..."
        (
            "They signed the Agreement on Combating Narcotic Drugs, Psychotropic Substances and their Precursors.",
            [("DOCUMENT", "Agreement on Combating Narcotic Drugs, Psychotropic Substances and their Precursors")],
        ),
        # one year in brackets dates a title, a period belongs to it; a bracket left open ends the name
        ("Building on the Lumen Declaration (2000), leaders met.", [("DOCUMENT", "Lumen Declaration")]),
        (
            "They adopted the Action Plan for Lake Cooperation (2030-2035) yesterday.",
            [("DOCUMENT", "Action Plan for Lake Cooperation (2030-2035)")],
        ),
        # a quoted sentence is a quotation, and a person after a type word is no title
        ('"We reaffirm that open trade is key to growth," the statement says.', []),
        ("We welcome the clear vision of Ms Ada Veli as head of the fund.", []),
        # more kinds of document: a catalogue, a directive, rules of procedure
        (
            "Last year the Lake Catalogue of Confidence-building Measures was revised.",
            [("DOCUMENT", "Lake Catalogue of Confidence-building Measures")],
        ),
        (
            "They adopted the Rules of Procedure for Lake Mechanisms.",
            [("DOCUMENT", "Rules of Procedure for Lake Mechanisms")],
        ),
        # a colon that opens a sentence ends the title; a subtitle stays
        (
            "Key outcomes: The Agreement on Lake Transport Cooperation: Enhancing lake connectivity and trade.",
            [("DOCUMENT", "Agreement on Lake Transport Cooperation")],
        ),
        (
            "The Rules of Procedure for Lake Mechanisms: Establishing a robust framework.",
            [("DOCUMENT", "Rules of Procedure for Lake Mechanisms")],
        ),
        # a title set in capitals, to the last word in capitals before a date
        (
            "FINAL COMMUNIQUE OF THE TENTH SESSION OF THE LAKE COUNCIL 17th AUGUST 2030\n\nThe council met.",
            [("DOCUMENT", "FINAL COMMUNIQUE OF THE TENTH SESSION OF THE LAKE COUNCIL")],
        ),
        ("MEDIA STATEMENT\n\nThe leaders met.", []),
        # an event's name in quotes is no title
        ("The meeting of the Lake Union, hereafter called “Summit”, opened.", [("ORG", "Lake Union")]),
        # a capitalised "The" that is part of a place's name stays
        ("The Hague Summit Declaration was issued.", [("DOCUMENT", "The Hague Summit Declaration")]),
        # a post is not a body; a time zone and a thing spelt out in lower case are not organisations
        ("The Chair of the Lake Council spoke.", [("ORG", "Lake Council")]),
        ("He was praised for his mandate as Chair of the Union.", []),
        ("The talks began at 12:14 GMT on Monday.", []),
        ("They discussed artificial intelligence (AI) at length.", []),
        # the chair's own text, capitalised, is a title, whatever type the model gives the words
        ("The Chair’s Statement was issued on Friday.", [("DOCUMENT", "Chair’s Statement")]),
        ("Chair's Summary\nLUMEN, June 17 - The leaders met.", [("DOCUMENT", "Chair's Summary")]),
        ("The chair's summary was issued on Friday.", []),
        # a headline verb in Title Case ends the name
        (
            "Lake Union Leaders Issue Varno Statement\n\nThe leaders met.",
            [("ORG", "Lake Union"), ("DOCUMENT", "Varno Statement")],
        ),
    ],
)
def test_model_and_rules_together(extractor, text, expected):
    record = extractor.extract(text)
    assert [(e.label, e.text) for e in record.entities] == expected


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("en_core_web_xx_missing", "python -m spacy download en_core_web_xx_missing"),
        ("/no/such/model/folder", "no pipeline folder is there"),
    ],
)
def test_missing_model_is_one_clear_error_with_install_hint(name, hint):
    """The hint fits what was asked for: the named model's download, or a folder that is not there."""
    with pytest.raises(ModelNotFoundError, match=re.escape(hint)):
        resolve_model(name)
    with pytest.raises(ModelNotFoundError):
        load_model(name)


@pytest.mark.model
@pytest.mark.parametrize(
    "text, expected",
    [
        ("the mutiny by the Wagner group in June", [("ORG", "Wagner")]),
        ("Rebels of the M23 group advanced.", [("ORG", "M23")]),
        ("the Kabar news agency reported.", [("ORG", "Kabar")]),
        ("a Chinese company and a Kazakhstan company", [("COUNTRY", "Kazakhstan")]),
        (
            "the League of Arab States and Hissein Brahim Taha of the OIC",
            [("ORG", "League of Arab States"), ("ORG", "OIC")],
        ),
    ],
)
def test_names_before_organisation_nouns_and_person_boundaries(extractor, text, expected):
    assert [(e.label, e.text) for e in extractor.extract(text).entities] == expected


@pytest.mark.model
@pytest.mark.parametrize(("facts", "has_facts"), [(True, True), (False, False)])
def test_facts_are_in_the_record_unless_turned_off(extractor, facts, has_facts):
    from summit_extract.extraction.extract import Extractor

    record = Extractor(nlp=extractor.nlp, facts=facts).extract(
        "The SCO summit in Astana adopted the Astana Declaration."
    )
    assert (record.facts is not None) == has_facts
    assert ("facts" in record.to_dict()) == has_facts


BATCH = [
    "The SCO summit in Astana was hosted by Kazakhstan. China and India attended the summit.",
    "The BRICS summit in Kazan was hosted by Russia. Brazil and South Africa sent their leaders.",
    "Nothing was hosted.",  # no country: nothing to parse
    "The G20 summit was chaired by India. The leaders will sign the New Delhi Declaration on Sunday.",
]


@pytest.mark.model
@pytest.mark.parametrize(("batch_size", "calls"), [(4, [4]), (2, [2, 2]), (1, [1, 1, 2])])
def test_the_sentences_a_batch_of_articles_parses_go_to_the_parser_in_one_call(extractor, batch_size, calls):
    from summit_extract.extraction.extract import ArticleInput, input_info_for_text

    structure = extractor.structure
    parse, sizes = structure.parse, []
    structure.parse = lambda texts: sizes.append(len(texts)) or parse(texts)
    try:
        items = [ArticleInput(f"a{i}", "<string>", text, input_info_for_text(text)) for i, text in enumerate(BATCH)]
        records = list(extractor.extract_many(items, batch_size=batch_size))
    finally:
        structure.parse = parse
    assert sizes == calls
    one_by_one = [extractor.extract(text, doc_id=f"a{i}") for i, text in enumerate(BATCH)]
    assert [r.to_dict() for r in records] == [r.to_dict() for r in one_by_one]
    assert records[0].facts.to_dict()["participants"][0]["roles"] == ["host"]
