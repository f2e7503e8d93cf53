"""Text analysis: tokens, stems, stopwords that keep meaning, the thesaurus and typo tolerance."""

from __future__ import annotations

import pytest

from assistant.analysis import (CONCEPT_PREFIX, Phrases, Speller, damerau, default_analyzer, fold, has_phrase,
                                read_data)


@pytest.fixture(scope="module")
def analyzer():
    return default_analyzer()


def test_stems_make_plurals_and_tenses_meet(analyzer):
    assert analyzer.terms("assessments") == analyzer.terms("assessment")
    assert analyzer.stem("recorded") == analyzer.stem("recording")


@pytest.mark.parametrize("word", ["not", "no", "missing", "under", "before", "after", "alone"])
def test_words_that_matter_here_are_not_stopwords(analyzer, word):
    assert word not in analyzer.stopwords


@pytest.mark.parametrize("word", ["the", "what", "do", "i", "should", "us"])
def test_question_words_are_stopwords(analyzer, word):
    assert word in analyzer.stopwords


def test_a_pronoun_in_a_heading_does_not_match_one_in_a_question(index):
    # The pitfalls sit under "What research tells us"; "won't let us in" is not about them.
    assert "us" not in index.query("parents won't let us in").terms


@pytest.mark.parametrize(
    "left, right",
    [
        ("CSE", "child sexual exploitation"),
        ("cp plan", "child protection plan"),
        ("MARAC", "Multi Agency Risk Assessment Conference"),
        ("IRO", "Independent Review Officers"),
        ("SCR", "serious case review"),
        ("SILP", "Significant Incident Learning Processes"),
        ("LSCB", "local safeguarding children board"),
        ("CPD", "continued professional development"),
        ("runaway", "reported missing"),
        ("newborn", "babies"),
        ("unborn", "infant"),
        ("strategy meeting", "strategy discussion"),
    ],
)
def test_thesaurus_gives_synonyms_a_shared_concept(analyzer, left, right):
    shared = {t for t in analyzer.terms(left) if t.startswith(CONCEPT_PREFIX)}
    assert shared & set(analyzer.terms(right)), (left, right)


def test_a_term_with_an_apostrophe_also_matches_without_one(analyzer):
    concept = CONCEPT_PREFIX + "non_engagement"  # the thesaurus has "won't engage", not "wont engage"
    assert concept in analyzer.terms("parents won't engage") and concept in analyzer.terms("parents wont engage")
    assert concept not in analyzer.terms("parents want to engage")


def test_a_single_word_synonym_is_indexed_as_its_concept(analyzer):
    assert analyzer.terms("runaway") == analyzer.terms("missing")


def test_phrase_words_keep_their_stems(analyzer):
    terms = set(analyzer.terms("child protection plan"))
    assert {"protect", "plan", CONCEPT_PREFIX + "child_protection_plan"} <= terms


def test_fold_keeps_offsets():
    text = "aide-mémoire for the child's plan"
    assert len(fold(text)) == len(text)
    assert fold(text).startswith("aide-memoire")


def test_token_offsets_point_into_the_original(analyzer):
    text = "Pre-birth assessments should begin swiftly"
    for tok in analyzer.tokens(text):
        assert text[tok.start : tok.end].lower() == tok.surface


@pytest.mark.parametrize("a, b, distance", [("chid", "child", 1), ("misssing", "missing", 1),
                                           ("safegaurding", "safeguarding", 1), ("abc", "xyz", 3)])
def test_damerau_distance(a, b, distance):
    assert damerau(a, b, 3) == distance


@pytest.fixture(scope="module")
def speller():
    vocab = {"child": 30, "missing": 2, "safeguarding": 5, "old": 3, "shared": 2}
    return Speller(vocab, frozenset({"what", "when", "do"}), english=frozenset({"told", "scared", "sort"}))


@pytest.mark.parametrize("typed, fixed", [("chid", "child"), ("misssing", "missing"),
                                          ("safegaurding", "safeguarding"), ("wat", "what"), ("wen", "when")])
def test_typos_are_corrected_to_corpus_words(speller, typed, fixed):
    assert speller.correct(typed) == fixed


@pytest.mark.parametrize("word", ["told", "scared", "sort", "pizza", "xq"])
def test_real_words_and_strangers_are_left_alone(speller, word):
    assert speller.correct(word) is None


def test_a_case_reference_is_one_term(analyzer):
    assert analyzer.terms("lessons from Case 2") == analyzer.terms("lessons from case 2")
    assert CONCEPT_PREFIX + "case#2" in analyzer.terms("Case 2")
    assert "2" not in analyzer.terms("Case 2")


def test_a_word_inside_a_phrase_keeps_its_own_concept(analyzer):
    terms = analyzer.terms("what children say")  # a phrase of its own (the child's voice)
    assert CONCEPT_PREFIX + "child" in terms and CONCEPT_PREFIX + "child" in analyzer.terms("a child")


def test_irregular_forms_meet_their_base_word(analyzer):
    assert analyzer.stem("came") == analyzer.stem("come") and analyzer.stem("told") == analyzer.stem("telling")
    assert analyzer.stem("children") == analyzer.stem("child")


def test_every_gapped_thesaurus_term_has_two_words_to_find(analyzer):
    # "assumed ... got it" is only "assumed" once its stopwords are left out: it could never match.
    assert analyzer.unmatchable == []


def test_a_negative_contraction_is_the_word_not(analyzer):
    # "isn't" is read as "isn" and "t": the first half is no word to search for, the second is "not".
    assert [t.stem for t in analyzer.tokens("the plan isn't working, he doesn't know") if not t.stop] == [
        "plan", "not", "work", "not"]
    assert "~non_engagement" in analyzer.terms("parents who won't engage")  # a phrase still sees them


def test_a_negative_contraction_typed_as_one_word_is_read_as_typed_in_full(analyzer):
    assert set(analyzer.terms("the family arent moving forward")) == set(analyzer.terms("the family aren't moving forward"))
    assert set(analyzer.terms("parents dont engage")) == set(analyzer.terms("parents do not engage"))
    assert "not" in analyzer.terms("she isnt safe") and "~progress" in analyzer.terms("they arent moving forward")


def test_a_negative_contraction_meets_its_words_written_out(analyzer):
    assert "~professional_difference" in analyzer.terms("the social worker doesn't agree with me")
    assert "~missing" in analyzer.terms("she has not come home") and "~missing" in analyzer.terms("she hasn't come home")


def test_a_gapped_term_is_not_loosened_by_its_stopwords(analyzer):
    # "never got ... back" would be "never ... back" without its stopword: "never looks back through the file".
    assert "~feedback_to_the_referrer" not in analyzer.terms("they never look back through the file")
    assert "~feedback_to_the_referrer" in analyzer.terms("the school never heard anything back")


def test_a_verb_particle_is_not_a_word_but_phrases_still_see_it(analyzer):
    assert "up" not in analyzer.terms("how do we write it up") and "out" not in analyzer.terms("find out")
    assert analyzer.terms("out of hours") == analyzer.terms("out-of-hours") != []


def test_a_phrase_written_with_they_also_meets_she_and_he(analyzer):
    # The thesaurus writes "so they know right"; a practitioner types "so she knows right".
    they = {c.name for c in analyzer.analyse("so they know right").concepts}
    assert they and they <= {c.name for c in analyzer.analyse("i told the hv, so she knows right?").concepts}
    assert they <= {c.name for c in analyzer.analyse("so he knows right").concepts}


def test_phrases_that_overlap_both_count_but_not_one_inside_another(analyzer):
    names = {c.name for c in analyzer.analyse("who do I ring at the weekend").concepts}
    assert {"duty_team", "out_of_hours"} <= names
    names = {c.name for c in analyzer.analyse("on a child protection plan").concepts}
    assert "child_protection_plan" in names and "child_protection" not in names


def test_missing_the_signs_is_not_a_missing_child(analyzer):
    assert "~missing" in analyzer.terms("the child went missing again")
    assert "~missing" not in analyzer.terms("we missed the signs") + analyzer.terms("what do practitioners miss")


def test_cases_named_together_are_each_named(analyzer):
    names = {c.name for c in analyzer.analyse("what happened in cases 2 and 3?").concepts}
    assert {"case#2", "case#3"} <= names


def test_a_dictated_homophone_is_read_as_said_when_the_next_word_shows_it(analyzer):
    # Speech-to-text writes "weather" for "whether"; the weather itself stays the weather.
    assert "whether" in analyzer.terms("ticking boxes or weather the help is working")
    assert "weather" not in analyzer.terms("weather she can really agree to it")
    assert "weather" in analyzer.terms("what is the weather like in leicester tomorrow")
    assert "weather" in analyzer.terms("weather tomorrow")
    assert "~child_sexual_exploitation" in analyzer.terms("the learning from the cease case")  # "CSE", said
    assert "~child_sexual_exploitation" not in analyzer.terms("cease contact with dad")


def test_cases_named_by_ordinals_are_each_named(analyzer):
    # People who read the bulletin as stories: "the first story", "the second and third ones".
    def cases(text):
        return {c.name for c in analyzer.analyse(text).concepts if c.name.startswith("case#")}
    assert cases("what happened in the third case") == {"case#3"}
    assert cases("the first story in here, what happened to those girls") == {"case#1"}
    assert cases("are the second and third stories about babies?") == {"case#2", "case#3"}
    assert cases("the first, second & third examples") == {"case#1", "case#2", "case#3"}
    assert cases("first of all, the case was closed") == set()
    assert cases("the second meeting about the third child") == set()


def test_a_pitfall_counted_off_a_list_of_mistakes_is_its_number(analyzer):
    # "the third pitfall", "mistake number two", "number three on that list of mistakes".
    def surfaces(text):
        return [t.surface for t in analyzer.tokens(text)]
    assert "3" in surfaces("what is the third pitfall") and "3" in surfaces("the 3rd common mistake")
    assert "2" in surfaces("mistake number two")
    assert "3" in surfaces("number three on that list of mistakes")
    assert "10" in surfaces("number ten on the mistakes list")
    # A count is not a number on the list, nor is "number one" with no mistakes in sight.
    assert "3" not in surfaces("I made three mistakes") and "1" not in surfaces("number one priority on my list")


def test_a_case_or_pitfall_numbered_in_words_is_its_number(analyzer):
    # Speech-to-text writes "case two" and "pitfall number three".
    assert analyzer.terms("what happened in case two") == analyzer.terms("what happened in case 2")
    names = {c.name for c in analyzer.analyse("cases two and three").concepts}
    assert {"case#2", "case#3"} <= names
    assert "3" in analyzer.terms("pitfall number three") and "3" in analyzer.terms("pitfalls three")
    assert not any(t.startswith(CONCEPT_PREFIX + "case#") for t in analyzer.terms("just in case one of them is hurt"))
    assert "1" not in analyzer.terms("one of the children")
    names = {c.name for c in analyzer.analyse("case number one, what went on there").concepts}
    assert "case#1" in names and "case#1" in {c.name for c in analyzer.analyse("case no. 1").concepts}


@pytest.mark.parametrize("text, audience", [
    ("I'm running a session for newly qualified staff on noticing the child", "newly qualified staff"),
    ("In supervision with a new worker I want to raise drift", "a new worker"),
    ("I'm briefing new officers on the CSE case", "new officers"),
    ("a briefing for community midwives and health visitors. Which cases are about babies?",
     "community midwives and health visitors"),
])
def test_the_people_an_occasion_is_for_are_its_audience(analyzer, text, audience):
    tokens = analyzer.tokens(text)
    assert " ".join(tokens[i].surface for i in sorted(analyzer.audience(text, tokens))) == audience


@pytest.mark.parametrize("text", [
    "Do we talk to dads and other carers enough?",  # no occasion: the carers are what is asked
    "After the training, staff asked about missing children",  # the audience never crosses a comma
    "a training session on missing children for staff",  # "on" ends the audience before the topic
])
def test_people_outside_an_occasion_audience_are_searched(analyzer, text):
    assert not analyzer.audience(text, analyzer.tokens(text))


def test_a_web_address_is_not_words(analyzer):
    assert analyzer.terms("http://www.trixonline.co.uk/website/news/news_index.html") == []
    assert analyzer.terms("see www.lscb.org for the news") == analyzer.terms("see for the news")


def test_an_age_written_short_is_a_word_of_the_field(analyzer):
    domain = {t.surface for t in analyzer.tokens("the 24yo with a 15yrs old") if analyzer.is_domain(t)}
    assert domain == {"24yo", "15yrs"}
    assert not any(analyzer.is_domain(t) for t in analyzer.tokens("room 24 on floor 2yes"))


def test_an_age_in_words_is_not_the_words_year_and_old(analyzer):
    terms = analyzer.terms("her 24 year old lodger")
    assert "24" in terms and not {"year", "old", "~baby"} & set(terms)  # not "babies under a year old"
    assert "~teenager" in analyzer.terms("a 15-year-old girl")  # thesaurus phrases still see them
    assert {"year", "old", "~baby"} <= set(analyzer.terms("babies under a year old"))
    assert "year" in analyzer.terms("followed for 2 years")


def test_an_age_spelt_out_is_the_same_age_in_digits(analyzer):
    spelt = analyzer.tokens("a fifteen-year-old girl")
    assert analyzer.terms("a fifteen-year-old girl") == analyzer.terms("a 15-year-old girl")
    assert (spelt[1].start, spelt[1].end) == (2, 9)  # where "fifteen" is, for highlighting
    assert "four" in analyzer.terms("up to four years after the decision")  # a duration, not an age


@pytest.mark.parametrize("text, found", [("he is coming to stay tonight", True), ("coming to", False),
                                         ("stay tonight", True), ("she stays tonight", False), ("", False)])
def test_a_phrase_is_found_only_as_whole_consecutive_words(text, found):
    phrases = Phrases(["coming to stay", "stay tonight", "x y z w"])
    assert phrases.longest == 4
    assert has_phrase(text, phrases) is found
    assert has_phrase(text, list(phrases)) is found  # a plain list of phrases works the same


def test_a_word_can_be_kept_from_a_stem_it_should_not_share(analyzer):
    # Snowball makes "officer" and "office" one stem; irregular.txt keeps "officer" whole.
    assert analyzer.stem("officers") == analyzer.stem("officer") != analyzer.stem("office")
    assert not set(analyzer.terms("housing officer")) & set(analyzer.terms("Out of Office hours"))


def test_each_thesaurus_line_lists_a_term_once():
    for line in read_data("thesaurus.txt").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        terms = [t.strip() for t in line.split(",")]
        assert len(terms) == len(set(terms)), [t for t in set(terms) if terms.count(t) > 1]
