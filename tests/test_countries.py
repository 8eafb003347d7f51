"""The country table and the country ruler, including the known traps of country libraries."""

from __future__ import annotations

import pytest

from summit_extract.extraction.components import CountryRuler
from summit_extract.extraction.countries import CountryTable, default_country_table


def countries_in(nlp, text: str) -> list[tuple[str, str]]:
    ruler = CountryRuler(nlp)
    nlp.add_pipe("summit_span_resolver")
    doc = nlp.get_pipe("summit_span_resolver")(ruler(nlp.make_doc(text)))
    return [(ent.text, ent.kb_id_) for ent in doc.ents]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Russia and the Russian Federation", [("Russia", "RUS"), ("Russian Federation", "RUS")]),
        ("Türkiye, Turkiye and Turkey", [("Türkiye", "TUR"), ("Turkiye", "TUR"), ("Turkey", "TUR")]),
        ("the UK and the U.K.", [("UK", "GBR"), ("U.K.", "GBR")]),
        ("Niger borders Nigeria", [("Niger", "NER"), ("Nigeria", "NGA")]),
        ("Papua New Guinea and Guinea", [("Papua New Guinea", "PNG"), ("Guinea", "GIN")]),
        ("Guinea-Bissau and Equatorial Guinea", [("Guinea-Bissau", "GNB"), ("Equatorial Guinea", "GNQ")]),
        ("Georgia joined", [("Georgia", "GEO")]),
        ("a firm in New Jersey and one in Jersey", []),
        ("Dominica and the Dominican Republic", [("Dominica", "DMA"), ("Dominican Republic", "DOM")]),
        ("Lao PDR and the Kyrgyz Republic", [("Lao PDR", "LAO"), ("Kyrgyz Republic", "KGZ")]),
        ("the People's Republic of China", [("People's Republic of China", "CHN")]),
        ("the People’s Republic of China", [("People’s Republic of China", "CHN")]),
        ("the UAE President", [("UAE", "ARE")]),
        ("Côte d'Ivoire and Cote d'Ivoire", [("Côte d'Ivoire", "CIV"), ("Cote d'Ivoire", "CIV")]),
        ("Southern Lebanon", [("Lebanon", "LBN")]),
        ("Kosovo and Taiwan and Palestine", [("Kosovo", "XKX"), ("Taiwan", "TWN"), ("Palestine", "PSE")]),
        ("the Turkish Republic of Northern Cyprus", [("Turkish Republic of Northern Cyprus", "TRNC")]),
        ("ASTANA, KAZAKHSTAN", [("KAZAKHSTAN", "KAZ")]),
    ],
)
def test_country_names_and_traps(blank_nlp, text, expected):
    assert countries_in(blank_nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Astana and Islamabad",  # capitals
        "Central Asia, the Middle East and the Global South",  # regions
        "the Kazakh President and Chinese investors",  # demonyms
        "a turkey for dinner and fine china",  # lower-case common nouns
        "Hong Kong and Puerto Rico",  # territories, not states
    ],
)
def test_not_countries(blank_nlp, text):
    assert countries_in(blank_nlp, text) == []


@pytest.mark.parametrize(
    "name, expected_id, expected_norm",
    [
        ("Russian Federation", "RUS", "Russia"),
        ("Islamic Republic of Iran", "IRN", "Iran"),
        ("Republic of Korea", "KOR", "South Korea"),
        ("Viet Nam", "VNM", "Vietnam"),
        ("the State of Palestine", "PSE", "Palestine"),
        ("Holy See", "VAT", "Vatican City"),
        ("Bharat", "IND", "India"),
    ],
)
def test_lookup_normalises_to_iso3_and_common_name(name, expected_id, expected_norm):
    country = default_country_table().lookup(name)
    assert (country.id, country.norm) == (expected_id, expected_norm)


def test_table_holds_every_un_member_and_no_territory():
    table = default_country_table()
    ids = {entry.country.id for entry in table.names}
    assert len({i for i in ids if table.by_id(i).status == "un-member"}) == 193
    assert not ids & {"JEY", "HKG", "PRI", "GRL", "ABW"}


def test_unknown_alias_id_is_reported_with_file_and_row(tmp_path):
    states = tmp_path / "countries.tsv"
    states.write_text("id\tnorm\tstatus\nKAZ\tKazakhstan\tun-member\n", encoding="utf-8")
    aliases = tmp_path / "aliases.tsv"
    aliases.write_text("id\talias\tkind\nXXX\tAtlantis\tshort\n", encoding="utf-8")
    with pytest.raises(
        ValueError, match=r"aliases.tsv, line 2: column .id.: unknown country id .XXX. for alias .Atlantis."
    ):
        CountryTable.load(states, aliases)
