"""Summit facts: rules over hand-made sentences, the facts gold checks, the pair scores."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import Span, spans_of

from summit_extract.evaluation.facts.evaluate import evaluate_facts, render_facts
from summit_extract.evaluation.facts.gold import FactsGoldError, load_facts_file, validate_facts
from summit_extract.evaluation.facts.scoring import baseline_facts, score_facts
from summit_extract.extraction.facts.extract import Place, extract_facts
from summit_extract.extraction.facts.patterns import FactsPatternError, load_fact_patterns


def roles_of(text: str) -> dict[str, list[str]]:
    spans = spans_of(text, orgs=("UAC", "PACT"))
    return {row["id"]: sorted(row["roles"]) for row in extract_facts(text, spans)["participants"]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The UAC summit gathered member states Ruritania, Freedonia and Elbonia.",
            {"RUR": ["member"], "FRE": ["member"], "ELB": ["member"]},
        ),
        ("At the UAC summit, guest countries such as Latveria attended.", {"LAT": ["guest"]}),
        ("The UAC summit saw Genovia becoming a full member.", {"GEN": ["member", "new-member"]}),
        # A group spelt out after a dash, colon or bracket is its members; a list after the summit's dash is not.
        (
            "Leaders of UAC countries – Ruritania, Freedonia and Elbonia – met at the summit.",
            {"RUR": ["member"], "FRE": ["member"], "ELB": ["member"]},
        ),
        ("The UAC (Ruritania, Freedonia) summit closed.", {"RUR": ["member"], "FRE": ["member"]}),
        # A group as the subject of a verb that gathers its members.
        (
            "The UAC summit closed. The UAC groups Ruritania, Freedonia and Elbonia.",
            {"RUR": ["member"], "FRE": ["member"], "ELB": ["member"]},
        ),
        ("The UAC summit closed – Ruritania and Freedonia disagreed.", {}),
        # A list after the name that completes a role is that role's ("the partner countries of the UAC (A, B)").
        (
            "At the UAC summit the partner countries of the UAC (Ruritania, Freedonia) spoke.",
            {"RUR": ["partner"], "FRE": ["partner"]},
        ),
        # A trigger before the group's name does not reach its members spelt out after it.
        (
            "The UAC summit closed. New members will strengthen the UAC (Ruritania, Freedonia).",
            {"RUR": ["member"], "FRE": ["member"]},
        ),
        # "while" opens a clause a trigger before it does not reach.
        (
            "At the UAC summit, Ruritania and Freedonia currently enjoy observer status, while Elbonia spoke.",
            {"RUR": ["observer"], "FRE": ["observer"]},
        ),
        # An invitation in the active voice: the country after it is the guest, not the one who invites.
        (
            "Ruritania has invited the leaders of Freedonia and Elbonia to the UAC summit.",
            {"FRE": ["guest"], "ELB": ["guest"]},
        ),
        ("At the UAC summit, Freedonia and Elbonia were invited.", {"FRE": ["guest"], "ELB": ["guest"]}),
        ("The UAC summit closed. States including Ruritania and others are part of the UAC.", {"RUR": ["member"]}),
        # A year by the joining dates it before this summit (with no summit year, before the latest year named);
        # a year further on in the sentence dates something else.
        ("The UAC summit met. Genovia became a full member in 2019.\n\nTrade rose in 2031.", {"GEN": ["member"]}),
        (
            "The 2031 UAC summit met. Genovia became a full member on Friday, the first since the UAC began in 2001.",
            {"GEN": ["member", "new-member"]},
        ),
        (
            "At the UAC summit Latveria and Elbonia expressed interest in joining.",
            {"LAT": ["candidate"], "ELB": ["candidate"]},
        ),
        ("The UAC summit met with observer states Freedonia and Genovia.", {"FRE": ["observer"], "GEN": ["observer"]}),
        ("The UAC summit was held in Lumen, Ruritania.", {"RUR": ["host"]}),
        ("Ruritania spoke at the UAC summit about trade.", {}),
        ("An essay on the UAC and Ruritania, member of nothing in particular.", {}),
        # A trigger before an enumeration covers every item, names of leaders between the items included.
        (
            "At the UAC summit the member states, President Ann Bell of Ruritania, King Tom of Freedonia and "
            "Elbonia, met.",
            {"RUR": ["member"], "FRE": ["member"], "ELB": ["member"]},
        ),
        # A trigger after the list covers it all when nothing precedes the list.
        (
            "At the UAC summit Ruritania, Freedonia and Genovia were also invited.",
            {"RUR": ["guest"], "FRE": ["guest"], "GEN": ["guest"]},
        ),
        # A plural trigger after the list agrees with all of it, beside the trigger before it.
        (
            "The UAC summit invited the leaders of Latveria and Elbonia as partner countries.",
            {"LAT": ["guest", "partner"], "ELB": ["guest", "partner"]},
        ),
        # With a trigger before the list, one right after it is an apposition of the last item.
        (
            "The UAC summit welcomed guest countries such as Latveria and Elbonia as chair of the Pact.",
            {"LAT": ["guest"], "ELB": ["chair", "guest"]},
        ),
        # The predicate of one country does not run on into the next list.
        (
            "At the UAC summit, Genovia becoming a full member and other states like Latveria and Elbonia "
            "expressing interest in joining.",
            {"GEN": ["member", "new-member"], "LAT": ["candidate"], "ELB": ["candidate"]},
        ),
        # A negation between the country and its trigger takes the role away.
        ("At the UAC summit Freedonia is no longer a member.", {}),
        ("The UAC summit met under Latveria's chairmanship.", {"LAT": ["chair"]}),
        (
            "The UAC summit opened.\n\nNew members:\n\n- Freedonia\n\n- Genovia",
            {"FRE": ["member", "new-member"], "GEN": ["member", "new-member"]},
        ),
        ("Ruritania: Proud host of the UAC Summit", {"RUR": ["host"]}),
        (
            "At the UAC summit Latveria and Genovia were among the member states.",
            {"LAT": ["member"], "GEN": ["member"]},
        ),
        # Long titles of leaders between the items of one enumeration.
        (
            "The UAC summit's member states sent President Ann Bell of the Constitutional Republic of Ruritania "
            "and President Tom Roe of the United Free Federation of Freedonia.",
            {"RUR": ["member"], "FRE": ["member"]},
        ),
        # Becoming a member, with an ordinal between, is a new membership.
        ("At the UAC summit Genovia became the tenth member state.", {"GEN": ["member", "new-member"]}),
        ("The UAC summit admitted Elbonia, which was accepted as a member.", {"ELB": ["member", "new-member"]}),
        # A trigger after "and" opens the next conjunct: it is not said of the list before it.
        (
            "The UAC summit welcomed Ruritania, Freedonia and, as an observer, Genovia.",
            {"GEN": ["observer"]},
        ),
        (
            "At the UAC summit Latveria and Elbonia were granted observer status.",
            {"LAT": ["observer"], "ELB": ["observer"]},
        ),
        # The host of the next meeting is not this summit's host.
        ("The UAC summit closed; Latveria hosted the next summit.", {}),
        # Attending a "plus" or expanded session is a guest's role.
        (
            "The UAC summit's expanded session was attended by Latveria and Genovia.",
            {"LAT": ["guest"], "GEN": ["guest"]},
        ),
        # Organisation names and "rotating" pass between a country and its trigger.
        ("At the UAC summit Genovia, which holds the UAC presidency, spoke.", {"GEN": ["chair"]}),
        ("The UAC summit closed. Elbonia now holds the rotating chairmanship.", {"ELB": ["chair"]}),
        ("The UAC summit closed; Freedonia takes over the chairmanship.", {"FRE": ["chair"]}),
        # A role in another body is not a role at this summit.
        ("At the UAC summit Latveria, as chair of the PACT, spoke.", {}),
        ("At the UAC summit Latveria, as chair of the UAC, spoke.", {"LAT": ["chair"]}),
        ("At the UAC summit the current chair of the PACT, Elbonia, spoke.", {}),
        ("At the UAC summit the current chair of the UAC, Elbonia, spoke.", {"ELB": ["chair"]}),
        # Joining in a year before the summit's is membership, not a new membership.
        ("The 2031 UAC summit met. Latveria became a full member in 2025.", {"LAT": ["member"]}),
        # A dateline gives the host.
        ("LUMEN, Ruritania, 3 May (Staff) - The UAC summit opened.", {"RUR": ["host"]}),
        # The country the meeting takes place in is its host.
        ("The UAC summit was held in the capital of Ruritania.", {"RUR": ["host"]}),
        ("UAC leaders meeting in Genovia agreed on trade.", {"GEN": ["host"]}),
        ("The UAC summit took place in Latveria's capital.", {"LAT": ["host"]}),
        ("The UAC summit welcomed the elections held in Elbonia.", {}),
        ("The UAC summit agreed to hold the 42nd summit in Freedonia.", {}),
        # Verbs of composition enumerate the members.
        (
            "The UAC summit met. The UAC brings together Ruritania, Freedonia and Elbonia.",
            {"RUR": ["member"], "FRE": ["member"], "ELB": ["member"]},
        ),
        ("The UAC summit met. The bloc comprises Genovia and Latveria.", {"GEN": ["member"], "LAT": ["member"]}),
        ("The UAC summit met; Elbonia takes part as an associate member.", {"ELB": ["member"]}),
        # Superlatives and "took part" pass between a country and its trigger.
        (
            "At the UAC summit Ruritania and Genovia, the largest UAC members, spoke.",
            {"RUR": ["member"], "GEN": ["member"]},
        ),
        ("At the UAC summit Freedonia took part as a full member.", {"FRE": ["member"]}),
        # A chair before its holder needs the holder named next to it: titles, leaders' names and handover verbs pass.
        ("The UAC summit met. The presidency's agenda rests on a pact, which Ruritania joined.", {}),
        ("The UAC summit was chaired by President Bo Lund of Genovia.", {"GEN": ["chair"]}),
        # A country's leader, named after its possessive, stands for it before a trigger.
        ("At the UAC summit Ruritania's Prime Minister Ana Vel presided.", {"RUR": ["chair"]}),
        ("At the UAC summit Ruritania's trade envoy presided.", {}),
        # A country after a verb of the members is its object, not a member.
        # Meeting the leaders of other states at a summit makes them its guests.
        (
            "On its second day the UAC summit met the leaders of Elbonia and Genovia.",
            {"ELB": ["guest"], "GEN": ["guest"]},
        ),
        ("At the UAC summit the member states condemned Elbonia's raids.", {}),
        ("At the UAC summit the member states signed a pact with Latveria.", {}),
        ("At the UAC summit the member states included Genovia and Latveria.", {"GEN": ["member"], "LAT": ["member"]}),
        (
            "President of Latveria Ivo Tam and President of Genovia Ana Rell took part in the meeting as guests "
            "of the UAC summit.",
            {"LAT": ["guest"], "GEN": ["guest"]},
        ),
        ("The UAC summit met. The presidency passed from Freedonia to Elbonia.", {"FRE": ["chair"], "ELB": ["chair"]}),
        (
            "The UAC summit met. Latveria held the presidency in 2030 and handed it to Genovia.",
            {"LAT": ["chair"], "GEN": ["chair"]},
        ),
        # A country's leader called the chair, in apposition; the head of a body is not the meeting's chair.
        ("The UAC summit closed, said the President of Ruritania and Chair of the UAC, N. Veli.", {"RUR": ["chair"]}),
        (
            "At the UAC summit were the outgoing Chairperson of the Union, H.E. Ali Veli, President of Freedonia, "
            "and the Chairperson of the UAC Commission, H.E. Ada Kaya, President of Elbonia.",
            {"FRE": ["chair"]},
        ),
        # The chairmanship passing to a country, whatever comes between.
        ("At the UAC summit it was said that the chairmanship would pass to Genovia in May.", {"GEN": ["chair"]}),
        (
            "At the UAC summit the host will pass on the rotating presidency of the bloc to Latveria.",
            {"LAT": ["chair"]},
        ),
        # Invited to membership is a candidate; invited as a guest is a guest.
        (
            "At the UAC summit leaders agreed to invite two countries, namely Latveria and Genovia, to join the bloc.",
            {"LAT": ["candidate"], "GEN": ["candidate"]},
        ),
        (
            "The UAC summit invited Latveria and Genovia into the alliance.",
            {"LAT": ["candidate"], "GEN": ["candidate"]},
        ),
        ("The UAC summit invited Latveria to the outreach session.", {"LAT": ["guest"]}),
        ("The UAC summit will extend an invitation to Genovia when conditions are met.", {"GEN": ["candidate"]}),
        # The status of a member granted at this summit; a group named after its members.
        (
            "At the UAC summit the leaders signed a decision granting Genovia the status of a UAC member state.",
            {"GEN": ["member", "new-member"]},
        ),
        (
            "Ruritania, Freedonia and Elbonia, a group known as the UAC, met at their summit.",
            {"RUR": ["member"], "FRE": ["member"], "ELB": ["member"]},
        ),
    ],
)
def test_roles(text, expected):
    assert roles_of(text) == expected


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("The 12th UAC summit opened in Lumen, Ruritania in 2031.", "edition", 12),
        ("The 12th UAC summit opened in Lumen, Ruritania in 2031.", "city", "Lumen"),
        ("The 12th UAC summit opened in Lumen, Ruritania in 2031.", "country", "RUR"),
        ("The 12th UAC summit opened in Lumen, Ruritania in 2031.", "year", 2031),
        ("The UAC summit opened.", "organization", "UAC"),
        ("The UAC summit in Lumen closed.", "city", "Lumen"),
        ("The twenty-fourth UAC summit closed.", "edition", 24),
        ("The Seventh Summit of the UAC closed.", "edition", 7),
        ("It was the first UAC summit since the war.", "edition", None),
        ("The XVI UAC Summit closed.", "edition", 16),
        ("Ruritania: Proud host of the UAC Summit", "country", "RUR"),
        ("The UAC summit met on 3–4 July 2031.", "start", "2031-07-03"),
        ("The UAC summit met on 3–4 July 2031.", "end", "2031-07-04"),
        ("The UAC summit met from 30 November to 1 December 2031.", "start", "2031-11-30"),
        ("The UAC summit ran from 29 November and 1 December 2031.", "end", "2031-12-01"),
        ("The UAC summit met on July 9-10, 2031.", "start", "2031-07-09"),
        # The report's own dates are not the summit's; a range wins over a single date.
        ("Lumen, 5 May 2031\n\nThe UAC summit met on 3 May.", "start", "2031-05-03"),
        ("Published on 5 May 2031\n\nThe UAC summit met on 3 and 4 May.", "start", "2031-05-03"),
        ("Published on 5 May 2031\n\nThe UAC summit met.", "year", 2031),
        ("The UAC summit met. It recalled the 1990 treaty and the 2031 Summit agenda.", "year", 2031),
        ("The 44th and 45th UAC Summits closed.", "edition", 44),
        ("LUMEN, Ruritania, 3 May - The UAC summit closed.", "city", "Lumen"),
        ("KORVA, May 3 (Staff) - The UAC summit closed.", "city", "Korva"),
        # The dateline names the city before a summit held elsewhere that the text recalls.
        ("KORVA, May 3 (Staff) - The UAC summit closed, a year after the summit in Lumen.", "city", "Korva"),
        ("At the UAC summit the leaders met in Korva on Friday.", "city", "Korva"),
        ("The UAC summit, held in the Ruritanian city of Korva, closed.", "city", "Korva"),
        # A line that opens with a word and a comma is not a dateline unless a date or a credit follows.
        ("Meanwhile, the UAC summit was held in Lumen.", "city", "Lumen"),
        ("Thus, the UAC summit closed.", "city", None),
        ("Korva, 4 May (Staff) - The UAC summit closed.", "city", "Korva"),
        ("Korva (Staff) - The UAC summit closed.", "city", "Korva"),
        # The page's own date line before the dateline.
        ("date 2031-05-04 KORVA, Ruritania, May 4. The UAC summit closed.", "city", "Korva"),
        ("date 2031-05-04 KORVA, Ruritania, May 4. The UAC summit closed.", "country", "RUR"),
        ("NEW LUMEN CITY: The UAC summit closed.", "city", "New Lumen City"),
        ("KORVA. NORDPRESS - The UAC summit closed.", "city", "Korva"),
        # A page's date line that opens with a weekday is no dateline.
        ("Friday, June 14, 2031\n\nThe UAC summit met in Korva.", "city", "Korva"),
        # A report filed from elsewhere: where the text says the summit is held beats the dateline.
        ("PELLA (Staff) - The UAC summit in Korva closed.", "city", "Korva"),
        ("PELLA (Staff) - The UAC summit closed.", "city", "Pella"),
        ("UAC Summit concludes in Korva with a declaration", "city", "Korva"),
        # Leaders who gathered report a meeting as those who met do.
        ("Leaders of the UAC gathered in Korva on Monday.", "city", "Korva"),
        # A place in a quoted theme, or where a later summit is due, is no city.
        ('The UAC summit\'s theme was "Investing in Korva".', "city", None),
        ("The UAC summit closed. The chair's first summit is due in Korva in 2032.", "city", None),
        # A dateline with a particle in the city's name.
        ("Pella de Korva, 7 July 2031\n\nThe UAC summit closed.", "city", "Pella de Korva"),
        # An owner's name is no city.
        ("The UAC summit was held in Ruritania's North Province.", "city", None),
        # A dateline as written is a place: not a sentence's opening words.
        ("On Thursday, 23 May 2031 the UAC summit met in Korva.", "city", "Korva"),
        ("Meanwhile (Staff) - The UAC summit met in Korva.", "city", "Korva"),
        # A country's dateline on a report of the meeting is its venue; not when the first sentence is about
        # something else.
        ("Ruritania, June 17 - Leaders of the UAC gathered in Korva for the summit.", "country", "RUR"),
        ("Ruritania, June 17 - Floods hit the north. The UAC summit closed.", "country", None),
        # The city the summit is named after; not a qualifier, another organisation's or another edition's.
        ("The UAC Korva Summit was convened from May 19 to 21.", "city", "Korva"),
        ("The UAC Extraordinary Summit was convened.", "city", None),
        ("The UAC summit met. The UAC Korva Summit will be next year.", "city", None),
        # A month-first full date dates the summit when nothing nearer does.
        ("The UAC summit closed.\n\nLeaders left Lumen on October 10, 2031.", "year", 2031),
        # The meeting said to be in a country: through the words that name it, a verb of its course, a day.
        ("The summit of the UAC's leading economies in Ruritania closed.", "country", "RUR"),
        ("UAC Summit concludes in Ruritania, adopts declaration", "country", "RUR"),
        ("The UAC summit concluded on Friday in Ruritania.", "country", "RUR"),
        ("The UAC summit discussed the situation in Ruritania.", "country", None),
        ("The session of the UAC on the situation in Ruritania closed.", "country", None),
        # The venue by its country's adjective, when the text names that country and no other like it.
        ("The UAC summit closed on Friday in the Ruritanian city of Korva. Ruritania spoke.", "country", "RUR"),
        ("The UAC summit was held in the Zembian city of Korva. Ruritania spoke.", "country", None),
        ("The UAC summit was held in the Freedonian capital. Freedonia and Ruritania spoke.", "country", "FRE"),
    ],
)
def test_summit_fields(text, field, value):
    # The made-up cities, named as places as the model would name them (a dateline as written must be one).
    places = [
        Place(m.start(), m.end(), m.group()) for m in re.finditer(r"\b(?:Pella de Korva|Korva|Lumen|Pella)\b", text)
    ]
    assert extract_facts(text, spans_of(text), places=places)["summit"][field] == value


@pytest.mark.parametrize(
    ("first_id", "expected"),
    [
        # A body of the organisation named first stands for the organisation.
        ("UAC-council", "UAC"),
        ("PACT", "PACT"),
    ],
)
def test_summit_organization(first_id, expected):
    text = "The Council summit met; the Union agreed."
    spans = [Span(4, 11, "ORG", first_id), Span(28, 33, "ORG", "UAC")]
    assert extract_facts(text, spans)["summit"]["organization"] == expected


def org_spans(text: str, names: dict[str, str]) -> list[Span]:
    return sorted(
        (Span(m.start(), m.end(), "ORG", org_id) for name, org_id in names.items() for m in re.finditer(name, text)),
        key=lambda s: s.start,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An agency's credit is not the summit's organisation: after a dateline, before "reports", on its own line.
        ("KORVA, May 3 (Nordpress) - The PACT summit closed.", "PACT"),
        ("Nordpress reports that the PACT met at a summit.", "PACT"),
        ("Nordpress\n\nLeaders met at a summit of the PACT.", "PACT"),
        ("Leaders told Nordpress that the PACT summit closed.", "PACT"),
        # The organisation named beside its meeting, not merely the first one named.
        ("The UAC observed as the PACT summit opened.", "PACT"),
        ("The UAC observed the summit of the PACT.", "PACT"),
        ("The UAC observed as PACT leaders met at the summit.", "PACT"),
        # Nothing beside a meeting word: the first one named.
        ("The UAC and the PACT held a summit.", "UAC"),
        # A known news agency is never the organisation, wherever it stands.
        ("Xinhua covered the summit of the PACT.", "PACT"),
    ],
)
def test_summit_organization_is_the_one_that_meets(text, expected):
    spans = org_spans(text, {"Nordpress": "nordpress", "PACT": "PACT", "UAC": "UAC", "Xinhua": "xinhua-news-agency"})
    assert extract_facts(text, spans)["summit"]["organization"] == expected


def test_a_body_named_with_its_organisation_stands_for_it():
    """A body whose name ends with the organisation's full name is that organisation's summit."""
    body = "Authority of Heads of State and Government of the Economic Community of West African States"
    text = f"The {body} met at a summit. ECOWAS leaders agreed."
    spans = [
        Span(4, 4 + len(body), "ORG", "ecowas-authority"),
        Span(text.index("ECOWAS"), text.index("ECOWAS") + 6, "ORG", "ECOWAS"),
    ]
    assert extract_facts(text, spans)["summit"]["organization"] == "ECOWAS"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A body the tables do not know stands for the one organisation of states the article names most.
        ("The Supreme Council held its summit in Lumen. SCO leaders spoke.", "SCO"),
        ("The Supreme Council held its summit in Lumen. The SCO and NATO sent envoys.", "supreme-council"),
        ("The Lumen Forum held its summit. The SCO sent envoys.", "lumen-forum"),
    ],
)
def test_an_unknown_body_stands_for_the_organisation_the_article_names(text, expected):
    names = {"Supreme Council": "supreme-council", "Lumen Forum": "lumen-forum", "SCO": "SCO", "NATO": "NATO"}
    spans = [Span(m.start(), m.end(), "ORG", names[m.group()]) for m in re.finditer("|".join(names), text)]
    assert extract_facts(text, spans)["summit"]["organization"] == expected


@pytest.mark.parametrize(
    ("text", "published", "year"),
    [
        ("The UAC summit closed.", "2031-05-04", 2031),
        ("The UAC summit closed.", None, None),
        # What the text says about the meeting's year comes first.
        ("The UAC Summit 2030 closed.", "2031-05-04", 2030),
        # A year beside a summit word before the report's year is an earlier edition's; another edition's is none.
        ("Leaders recalled the 2008 UAC summit in Korva.", "2031-05-04", 2031),
        ("The UAC summit closed. The next UAC summit in 2033 meets in Korva.", None, None),
    ],
)
def test_the_report_date_dates_the_summit_it_reports(text, published, year):
    assert extract_facts(text, spans_of(text), published=published)["summit"]["year"] == year


@pytest.mark.parametrize(
    ("text", "place", "city"),
    [
        ("Leaders gathered in the city of Korva for the UAC summit.", "Korva", "Korva"),
        ("The UAC summit took place at Korva on Friday.", "Korva", "Korva"),
        # Another edition's place, and a place the meeting is not said to be in.
        ("The next UAC summit will be held in Korva.", "Korva", None),
        ("Floods hit Korva. The UAC summit closed.", "Korva", None),
        # The place beside the word for the meeting, and a capital named in apposition.
        ("Leaders met at their Korva Summit of the UAC.", "Korva", "Korva"),
        ("The leader left for the Ruritanian capital, Korva, for the UAC summit.", "Korva", "Korva"),
        # An organisation the model takes for a place is no city.
        ("The UAC summit discussed trade.", "UAC", None),
        # A day or a month the model takes for a place is no city.
        ("The UAC summit was held in September.", "September", None),
        # The city after a venue's names; a city of a country named by its adjective and other words.
        ("The UAC summit opened at the Old Banquet Hall, State Villa, Korva.", "Korva", "Korva"),
        ("The UAC summit opened at the Old Banquet Hall, Korva.", "Old Banquet Hall", None),
        ("The UAC summit opened at a hotel in Korva Bay, Northshire.", "Northshire", None),
        ("Leaders ended the UAC summit after sessions in the western Ruritanian city of Korva.", "Korva", "Korva"),
        # "Following" the meeting is this edition; the following summit is another.
        ("Following the meeting of the UAC in Korva, leaders signed a package.", "Korva", "Korva"),
        ("UAC Leaders Sign Pact Following Summit In Korva", "Korva", "Korva"),
        ("The UAC summit closed; the following summit meets in Korva.", "Korva", None),
    ],
)
def test_the_city_is_a_place_the_model_names_where_the_meeting_is(text, place, city):
    start = text.index(place)
    found = extract_facts(text, spans_of(text), places=[Place(start, start + len(place), place)])
    assert found["summit"]["city"] == city


def test_no_summit_no_participants():
    text = "The UAC counts Ruritania among its member states."
    facts = extract_facts(text, spans_of(text))
    assert (facts["summit"], facts["participants"]) == (None, [])


@pytest.mark.parametrize(
    ("text", "status", "proposer"),
    [
        ("The leaders adopted the Lumen Declaration at the UAC summit.", "adopted", None),
        ("The Lumen Declaration was signed at the UAC summit.", "signed", None),
        ("The Unity Initiative proposed by Ruritania was discussed at the UAC summit.", "proposed", "RUR"),
        ("Leaders will sign the Trade Roadmap next year.", "planned", None),
        ("They recalled the Lumen Declaration.", "mentioned", None),
        # A status trigger after the document, across passive glue.
        ("At the UAC summit the Lumen Declaration had been adopted in full.", "adopted", None),
        # A list introduced by a colon gives its status to every item.
        ("The leaders signed the following documents:\n\n1. Lumen Declaration;\n\n2. Trade Roadmap.", "signed", None),
        ("Documents adopted by the leaders:\n\n- Trade Roadmap\n\n- Lumen Declaration", "adopted", None),
        ("The heads approved two texts: a statement on trade, and the Lumen Declaration.", "adopted", None),
        # The nearest trigger governs the document, not the strongest in the sentence.
        ("The leaders signed a pact and welcomed the Lumen Declaration.", "adopted", None),
        # A document signed in an earlier year is only mentioned at a later summit.
        ("The UAC summit of 2031 met. The Lumen Declaration was signed in 1990.", "mentioned", None),
        ("The UAC summit endorsed Ruritania's Unity Initiative.", "adopted", "RUR"),
        # The possessor of a proposal for a document proposes it.
        ("At the UAC summit they backed Ruritania's long-standing proposal for a Trade Roadmap.", "proposed", "RUR"),
        # The first trigger of a list's introduction is its head.
        ("Texts adopted, endorsed or signed:\n\n- Lumen Declaration\n\n- Trade Roadmap", "adopted", None),
        # Conjoined triggers state both acts: the strongest counts.
        ("Texts adopted and signed:\n\n- Lumen Declaration\n\n- Trade Roadmap", "signed", None),
        ("Texts adopted or signed:\n\n- Lumen Declaration\n\n- Trade Roadmap", "adopted", None),
        # An act of another occasion is not this summit's.
        ("The leaders recalled the Lumen Declaration adopted at earlier summits.", "mentioned", None),
        # A year elsewhere in a list does not date the act the list reports.
        (
            "The 2031 UAC summit met.\n\nThe heads signed the following:\n\n1. Lumen Declaration;\n\n"
            "2. Report on its work in 2030.",
            "signed",
            None,
        ),
        # A declaration titled after the summit's city is the summit's own text, adopted though only mentioned.
        ("The UAC summit was held in Lumen. The Lumen Declaration is short.", "adopted", None),
        ("The UAC summit was held in Pella. The Lumen Declaration is short.", "mentioned", None),
        # The -ing form of a status verb states the act as the past participle does.
        ("The UAC summit ended with the leaders adopting the Trade Roadmap.", "adopted", None),
        # A roadmap is not a text issued in the summit's name.
        ("The UAC summit was held in Lumen. The Lumen Trade Roadmap is short.", "mentioned", None),
        # What is said after a list of documents is said of every item.
        ("At the UAC summit the Lumen Declaration and Trade Roadmap are expected to be signed.", "planned", None),
        # An act at a meeting the text has already dated to another occasion.
        (
            "The first UAC meeting was held in 1999. The Lumen Declaration was adopted at that meeting.",
            "mentioned",
            None,
        ),
        ("At the UAC summit the leaders will issue the Lumen Declaration on Friday.", "planned", None),
        ("At the UAC summit the leaders issue the Lumen Declaration.", "adopted", None),
        # A year inside a title dates no act; with no year of the summit, the latest year the text names dates it.
        ("The UAC summit of 2031 met. The leaders signed the Trade Roadmap for 2030-2032.", "signed", None),
        (
            "The UAC summit met. Members keep the Lumen Declaration, signed in 1992.\n\nTrade rose in 2023.",
            "mentioned",
            None,
        ),
        # The chair's own text of the meeting is its outcome; the release or endorsement of a text adopts it.
        ("The UAC summit closed. The Chair's Statement is short.", "adopted", None),
        ("The UAC summit closed with the release of the Lumen Declaration.", "adopted", None),
        ("A highlight of the UAC summit was the endorsement of the Water Plan.", "adopted", None),
        # A closing quotation mark between a quoted title and its verb.
        ('A text entitled "Lumen Declaration" was approved at the UAC summit.', "adopted", None),
        # A headline's present tense reports the act; a base form after "to" is an intention.
        ("UAC Leaders Sign Lumen Declaration", "signed", None),
        ("At the UAC summit the leaders are expected to adopt the Lumen Declaration.", "planned", None),
        ("At the UAC summit the leaders stood ready to sign the Lumen Declaration.", "planned", None),
        # With no summit year, only a year right after the act dates it, not one in what follows the title.
        ("The UAC summit met. Leaders adopted the Water Plan, which covers the years 2024 to 2033.", "adopted", None),
        # A status word that governs another verb says nothing of the document.
        ("At the UAC summit Ruritania agreed to send the Trade Roadmap to its parliament.", "mentioned", None),
        # An act whose anniversary is marked happened on an earlier occasion.
        ("The UAC summit marked the anniversary of the adoption of the Lumen Declaration.", "mentioned", None),
        # The title written again in lower case says what happened to the document under its title.
        (
            "The UAC leaders adopted a lumen trade roadmap on Friday.\n\nLumen Trade Roadmap\n\nThe text.",
            "adopted",
            None,
        ),
    ],
)
def test_document_status_and_proposer(text, status, proposer):
    titles = (
        "Lumen Declaration",
        "Unity Initiative",
        "Lumen Trade Roadmap",
        "Trade Roadmap for 2030-2032",
        "Trade Roadmap",
        "Water Plan",
        "Chair's Statement",
    )
    rows = extract_facts(text, spans_of(text, documents=titles))["documents"]
    assert {(row["status"], row["proposer"]) for row in rows} == {(status, proposer)}


LIST_TITLES = ("Lumen Declaration", "Unity Initiative", "Lumen Trade Roadmap", "Water Plan", "Port Memorandum")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An unmarked list of lines ending in ";": the line that opened it governs every item, however long.
        (
            "The UAC summit closed.\nThe following documents were signed:\nLumen Declaration;\n"
            + "Decision on the venue of the next meeting of the council of ministers;\n" * 4
            + "Water Plan;",
            {"lumen-declaration": "signed", "water-plan": "signed"},
        ),
        # A nested introduction inside the list governs the items after it; a trigger on an item's own line
        # governs that item.
        (
            "The UAC summit closed.\nThe following documents were signed:\nLumen Declaration;\n"
            "Decision approving the following documents:\nWater Plan;\nDecision on signing the Port Memorandum;",
            {"lumen-declaration": "signed", "water-plan": "adopted", "port-memorandum": "planned"},
        ),
        # "Title: what it does." lines after a colon are items too.
        (
            "The UAC summit closed.\nKey outcomes included the adoption of:\nLumen Trade Roadmap: a plan for trade.\n"
            "Water Plan: a plan for lakes.",
            {"lumen-trade-roadmap": "adopted", "water-plan": "adopted"},
        ),
        # A heading after a marked list ends it: what follows is not one of its items.
        (
            "The UAC summit closed.\nDocuments adopted:\n• Lumen Declaration\nWhat they say\n"
            "• Water: the text recalls the Water Plan.",
            {"lumen-declaration": "adopted", "water-plan": "mentioned"},
        ),
        # A long item that opens a list of its own ends in a colon and keeps the list going.
        (
            "The UAC summit closed.\nThe following documents were signed:\nLumen Declaration;\nDecision of the "
            + "council of the heads of the member states of the union " * 3
            + "approving the following documents:\nWater Plan;\nPort Memorandum;",
            {"lumen-declaration": "signed", "water-plan": "adopted", "port-memorandum": "adopted"},
        ),
    ],
)
def test_lists_opened_by_a_colon(text, expected):
    rows = extract_facts(text, spans_of(text, documents=LIST_TITLES))["documents"]
    assert {row["id"]: row["status"] for row in rows} == expected


GOOD = {
    "doc_id": "a1",
    "summit": {
        "organization": "UAC",
        "edition": 3,
        "city": "Lumen",
        "country": "RUR",
        "year": 2031,
        "start": None,
        "end": None,
    },
    "participants": [{"id": "RUR", "roles": ["host", "member"]}],
    "documents": [{"id": "lumen-declaration", "title": "Lumen Declaration", "status": "adopted", "proposer": None}],
}
IDS = {"ORG": {"UAC"}, "COUNTRY": {"RUR"}, "DOCUMENT": {"lumen-declaration"}}


def _changed(path: str, value) -> dict:
    facts = json.loads(json.dumps(GOOD))
    *parents, last = path.split(".")
    target = facts
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    if value is KeyError:
        del target[last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return facts


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("doc_id", "b2", "doc_id"),
        ("summit.edition", "3", "summit.edition"),
        ("summit.start", "4 July", "summit.start"),
        ("summit.organization", "XYZ", "summit.organization"),
        ("summit.country", "FRE", "summit.country"),
        ("participants.0.roles", ["new-member"], "new-member without member"),
        ("participants.0.roles", ["king"], "roles"),
        ("participants.0.id", "FRE", "not a COUNTRY id"),
        ("documents.0.status", "rejected", "status"),
        ("documents.0.proposer", "FRE", "proposer"),
        ("documents", [], "DOCUMENT ids"),
        ("documents.0.title", KeyError, "document keys"),
    ],
)
def test_facts_gold_refuses(path, value, message):
    with pytest.raises(FactsGoldError, match=message):
        validate_facts(_changed(path, value), "facts/a1.json", "a1", IDS)


def test_facts_gold_file_loads_and_names_file(tmp_path: Path):
    good, bad = tmp_path / "a1.json", tmp_path / "a2.json"
    good.write_text(json.dumps(GOOD), encoding="utf-8")
    bad.write_text("{", encoding="utf-8")
    assert load_facts_file(good, IDS)["summit"]["edition"] == 3
    with pytest.raises(FactsGoldError, match="a2.json"):
        load_facts_file(bad, IDS)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"roles": {}, "statuses": {}}', "keys"),
        ('{"roles": {}, "statuses": {}, "proposer": ["by"], "not_city_words": ["Annual"]}', "venue_words"),
        (
            '{"roles": {"king": ["crowned"]}, "statuses": {}, "proposer": ["by"], "not_city_words": ["Annual"], '
            '"venue_words": ["Hall"]}',
            "unknown",
        ),
        (
            '{"roles": {"host": []}, "statuses": {}, "proposer": ["by"], "not_city_words": ["Annual"], '
            '"venue_words": ["Hall"]}',
            "roles.host",
        ),
        (
            '{"roles": {}, "statuses": {}, "proposer": ["by"], "not_city_words": [], "venue_words": ["Hall"]}',
            "not_city_words",
        ),
        ('{"roles": {}, "statuses": {}, "proposer": ["by"], "not_city_words": ["Annual"], "venue_words": []}', "venue"),
    ],
)
def test_fact_patterns_refuse(tmp_path: Path, content, message):
    path = tmp_path / "facts.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FactsPatternError, match=message):
        load_fact_patterns(path)


def test_scores_and_baseline():
    text = "The UAC summit gathered member states Ruritania and Freedonia, with guest countries such as Latveria."
    spans = spans_of(text)
    gold = {
        "summit": GOOD["summit"] | {"city": None, "country": None, "edition": None, "year": None},
        "participants": [
            {"id": "RUR", "roles": ["member"]},
            {"id": "FRE", "roles": ["member"]},
            {"id": "LAT", "roles": ["guest"]},
        ],
        "documents": [],
    }
    rules = score_facts([(gold, extract_facts(text, spans))])
    baseline = score_facts([(gold, baseline_facts(spans))])
    assert (rules.roles.tp, rules.roles.fp, rules.roles.fn) == (3, 0, 0)
    assert (baseline.roles.tp, baseline.roles.fp, baseline.roles.fn) == (2, 1, 1)
    assert rules.summit_accuracy()["organization"] == 1.0


@pytest.mark.parametrize(
    ("found", "right"),
    [("Lumen", True), ("LUMEN", True), ("lumen  ", True), ("Pella", False), (None, False)],
)
def test_a_city_in_other_case_is_the_same_city(found, right):
    summit = {key: None for key in ("organization", "edition", "country", "year", "start", "end")}
    gold = {"summit": summit | {"city": "Lumen"}, "participants": [], "documents": []}
    predicted = {"summit": summit | {"city": found}, "participants": [], "documents": []}
    assert score_facts([(gold, predicted)]).summit_accuracy()["city"] == (1.0 if right else 0.0)


@dataclass(frozen=True)
class Article:
    doc_id: str
    text: str
    spans: tuple
    facts: dict | None = None


def test_evaluate_facts_with_and_without_facts_gold(tmp_path: Path):
    text = "The UAC summit gathered member states Ruritania and Freedonia."
    article = Article("a1", text, tuple(spans_of(text)))
    (tmp_path / "gold").mkdir()
    assert evaluate_facts(tmp_path / "gold", {"a1": article}, [article]) == {}
    (tmp_path / "facts").mkdir()
    gold = {
        "doc_id": "a1",
        "summit": dict.fromkeys(GOOD["summit"]) | {"organization": "UAC"},
        "participants": [{"id": "RUR", "roles": ["member"]}, {"id": "FRE", "roles": ["guest"]}],
        "documents": [],
    }
    (tmp_path / "facts" / "a1.json").write_text(json.dumps(gold), encoding="utf-8")
    summary = evaluate_facts(tmp_path / "gold", {"a1": article}, [article])
    assert summary["articles"] == 1
    assert summary["summit-extract"]["roles"]["tp"] == 1
    assert "roles" in render_facts(summary)
    # A record's own facts are what is scored: here a record that says nothing about roles.
    silent = Article("a1", text, article.spans, facts={"summit": None, "participants": [], "documents": []})
    assert evaluate_facts(tmp_path / "gold", {"a1": article}, [silent])["summit-extract"]["roles"]["tp"] == 0


def test_participle_with_agent_does_not_reach_the_next_document():
    text = "The UAC summit adopted texts including the Unity Initiative proposed by Ruritania, the Trade Roadmap."
    rows = extract_facts(text, spans_of(text, documents=("Unity Initiative", "Trade Roadmap")))["documents"]
    assert {row["id"]: (row["status"], row["proposer"]) for row in rows} == {
        "unity-initiative": ("proposed", "RUR"),
        "trade-roadmap": ("adopted", None),
    }


def test_proposer_goes_to_the_document_right_before_it():
    text = "The UAC summit adopted the Lumen Declaration, the Unity Initiative proposed by Ruritania and more."
    rows = extract_facts(text, spans_of(text, documents=("Lumen Declaration", "Unity Initiative")))["documents"]
    assert {row["id"]: row["proposer"] for row in rows} == {"lumen-declaration": None, "unity-initiative": "RUR"}


def test_seed_article_facts():
    from summit_extract.evaluation.gold import load_gold

    (doc,) = load_gold(Path(__file__).resolve().parents[1] / "corpus/gold/000_f25956cb5b5f35ed.jsonl").values()
    facts = extract_facts(doc.text, doc.spans)
    summit = facts["summit"]
    assert (summit["organization"], summit["edition"], summit["city"]) == ("SCO", 24, "Astana")
    roles = {row["id"]: set(row["roles"]) for row in facts["participants"]}
    members = {"BLR", "CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB"}
    assert summit["country"] == "KAZ"
    assert {c for c, r in roles.items() if "member" in r} == members
    assert {c for c, r in roles.items() if "guest" in r} == {"AZE", "MNG", "QAT", "TUR", "TKM"}
    assert {c for c, r in roles.items() if "candidate" in r} == {"BGD", "LAO", "QAT"}
    assert {c for c, r in roles.items() if "new-member" in r} == {"BLR"}
    assert roles["KAZ"] & {"chair", "host"}
    documents = {row["id"]: row for row in facts["documents"]}
    assert documents["astana-declaration"]["status"] == "adopted"
    assert documents["world-unity-for-just-peace-harmony-and-development"]["proposer"] == "KAZ"


@pytest.mark.parametrize(
    ("long_title", "short_title", "shared"),
    [
        # A short form of the title, or its acronym, shares the status of the long one.
        ("Lumen Trade Roadmap", "Trade Roadmap", True),
        ("Common Pact On Trade Rules", "CPTR", True),
        # A title with many more words is another document.
        ("Lumen Declaration On Trade Rules And Energy", "Lumen Declaration", False),
        ("Common Pact On Trade Rules", "CPX", False),
    ],
)
def test_two_ids_of_one_document_share_a_status(long_title, short_title, shared):
    text = f"At the UAC summit the leaders adopted the {long_title}. Later the {short_title} was discussed."
    long_at, short_at = text.index(long_title), text.rindex(short_title)
    spans = spans_of(text) + [
        Span(long_at, long_at + len(long_title), "DOCUMENT", long_title.lower().replace(" ", "-")),
        Span(short_at, short_at + len(short_title), "DOCUMENT", short_title.replace(" ", "-")),
    ]
    statuses = {
        row["id"]: row["status"] for row in extract_facts(text, sorted(spans, key=lambda s: s.start))["documents"]
    }
    assert statuses[long_title.lower().replace(" ", "-")] == "adopted"
    assert statuses[short_title.replace(" ", "-")] == ("adopted" if shared else "mentioned")
