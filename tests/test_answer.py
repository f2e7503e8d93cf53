"""Answers: the right recommendation first, cited; no-match; urgency; near-duplicates; matched terms."""

from __future__ import annotations

import pytest

from assistant.answer import RELATIVE_FLOOR, Answerer, QuestionError
from assistant.index import ANSWER_TYPES, build
from assistant.ingest import parse_bulletin


def test_missing_child_question_quotes_the_case_1_recommendation(answerer):
    answer = answerer.answer("What do I do when a child goes missing?")
    top = answer.answers[0]
    assert "when a child is reported missing" in top.text
    assert top.citation.case == "Case 1 — Child Sexual Exploitation (CSE)"
    assert top.citation.label == "Learning Review, issue 2 · Case 1 — Child Sexual Exploitation (CSE) · Recommendations for practice"
    assert top.citation.url == f"/bulletin/learning-review-issue-2#{top.passage_id}"
    assert top.citation.bulletin == "Leicestershire & Rutland Learning Review, issue 2"
    assert {"child", "missing"} <= {t.lower() for t in top.matched_terms}
    assert not answer.no_match and not answer.urgent
    assert all(q.score >= RELATIVE_FLOOR * top.score for q in answer.answers)
    assert {c.area_id for c in answer.contacts} >= {"leicestershire", "rutland", "leicester-city", "out-of-hours"}


def test_at_most_three_quotes_and_weak_ones_left_out(answerer):
    answer = answerer.answer("how should strategy meetings be recorded and shared with health")
    assert 1 <= len(answer.answers) <= 3
    assert [q.score for q in answer.answers] == sorted((q.score for q in answer.answers), reverse=True)


def test_quotes_are_verbatim_passages(answerer, index):
    for quote in answerer.answer("how should strategy meetings be recorded").answers:
        assert index.passage(quote.passage_id).text == quote.text


def test_misspelt_question_still_finds_the_missing_child_recommendation(answerer):
    answer = answerer.answer("wat do i do wen a chid goes misssing")
    assert "reported missing" in answer.answers[0].text
    assert answer.corrections == {"chid": "child", "misssing": "missing"}


def test_words_of_the_field_are_not_corrected_into_corpus_words(answerer, index):
    assert index.speller.correct("ehcp") == "ehc"  # one letter from a thesaurus word ("ehc plan")
    answer = answerer.answer("how to apply for an EHCP for a child with autism")
    assert answer.corrections == {}  # "EHCP" is in the safeguarding lexicon: a subject of its own
    assert answer.no_match  # which no bulletin covers


def test_rarer_forms_of_common_words_are_not_corrected(index):
    assert {"covering", "barrier"} <= index.word_freq.keys()  # one letter from "cowering" and "barrister"
    query = index.query("the toddler was cowering when dad came in, and mum's barrister says it is nothing")
    assert query.corrections == {}  # "cower" and "barristers" are common, so these are real words


def test_text_speak_for_a_function_word_is_not_corrected_into_a_corpus_word(index):
    assert index.query("what shld sws focus on instead of ticking boxes").corrections == {}  # not "sold"


@pytest.mark.parametrize("question", ["family's in Leicester city not the county - which team do i refer to",
                                      "I work in Leicester city itself. Which team do I get in touch with?",
                                      "leicester city referral no."])
def test_which_team_to_reach_in_a_place_asks_for_its_duty_contact(answerer, question):
    top = answerer.answer(question).answers[0]
    assert "0116 2527004" in top.text


@pytest.mark.parametrize("question, number", [
    ("And if the family's in Rutland, who do I get hold of?", "01572 758407"),
    ("A family of mine has just moved into the city itself. Who do I send my worries to now?", "0116 2527004"),
    ("Is there a number for out of hours, like weekends or bank holidays, if I need to pass on a worry?",
     "0116 2551606")])
def test_asking_how_to_reach_someone_finds_the_duty_contact(answerer, question, number):
    answer = answerer.answer(question)
    assert not answer.no_match and number in answer.answers[0].text


@pytest.mark.parametrize("question, expected", [
    ("Our manager keeps forwarding us this learning leaflet. What's it actually for?", "The purpose of this newsletter"),
    ("I emailed the school about a worry. Can I just assume they've got what I meant?", "understood"),
])
def test_a_question_asked_in_common_words_only_is_answered(answerer, question, expected):
    answer = answerer.answer(question)
    assert not answer.no_match and expected in answer.answers[0].text


def test_a_bank_holiday_without_a_way_to_get_in_touch_is_still_a_question_of_leave(answerer):
    assert answerer.answer("How many bank holidays do I get this year?").no_match


def test_duty_number_question_finds_the_one_rutland_passage(answerer):
    top = answerer.answer("what is the duty number for Rutland?").answers[0]
    assert "01572 758407" in top.text and "dutyteam@rutland.gcsx.gov.uk" in top.text


@pytest.mark.parametrize("question", ["what's the weather tomorrow?", "how do I reset my password", "tell me a joke"])
def test_off_topic_question_gets_no_passages_but_the_contacts(answerer, question):
    answer = answerer.answer(question)
    assert answer.no_match and answer.answers == ()
    assert "couldn't find" in answer.message
    assert any(c.area_id == "rutland" for c in answer.contacts)


def test_urgent_question_puts_999_and_the_area_first(answerer):
    answer = answerer.answer("A girl has just told me her stepdad hits her and she is scared to go home tonight",
                             area="rutland")
    assert answer.urgent
    assert [c.area_id for c in answer.contacts[:2]] == ["emergency", "rutland"]
    assert answer.contacts[0].phone == "999" and "999" in answer.message


def test_emergency_number_comes_from_settings(index):
    answer = Answerer(index, emergency_number="112").answer("a child is unconscious right now")
    assert answer.contacts[0].phone == "112"


@pytest.mark.parametrize("question", ["How often should core groups meet after ICPC?",
                                      "How often do I have to visit a child on a CP plan?"])
def test_asking_how_often_where_no_passage_gives_a_frequency_needs_a_closer_match(answerer, index, question):
    assert "frequency" in index.query(question).kinds and not index.gives["frequency"].any()
    assert answerer.answer(question).no_match
    assert not answerer.answer(question.replace("How often ", "").capitalize()).no_match  # asked plainly: answered


def test_a_frequency_is_recognised_in_a_passage():
    gives = ANSWER_TYPES["frequency"].search
    assert all(gives(t) for t in ("the core group meets every six weeks", "visits are weekly", "once a month"))
    assert not any(gives(t) for t in ("every child matters", "in July 2011", "once the plan ends"))


def test_a_count_is_recognised_in_a_passage():
    gives = ANSWER_TYPES["quantity"].search
    assert all(gives(t) for t in ("traces 149 children", "for 9 months", "in seven local authorities"))
    assert not any(gives(t) for t in ("5. Insufficient attention", "call 0116 305 0005", "in 2011 the", "one reader"))


def test_the_lift_for_a_count_does_not_make_a_passage_an_answer(answerer):
    # "long" is a field word (a plan's duration), and the passage giving "9 months" is lifted, but
    # the lift only orders passages: it is no sign that one of them answers.
    assert answerer.answer("how long do I boil an egg for a runny yolk").no_match
    assert not answerer.answer("how long should a newborn stay on a cp plan").no_match


def test_a_match_on_everyday_words_alone_is_no_match(answerer, index):
    question = "can you recommend a pizza place in Leicester"
    query = index.query(question)
    assert {"leicest", "recommend"} & {t for w in query.words for t in w.terms if w.known}  # the corpus has these
    assert not any(w.domain for w in query.words)
    assert answerer.answer(question).no_match


def test_safeguarding_words_the_bulletin_never_uses_do_not_sink_a_question(answerer, index):
    plain = answerer.answer("how do I identify CSE risks")
    candidates = "pupil nursery toddler cot bedroom nappy playground classroom tantrum lunchbox".split()
    unseen = [w.word for w in index.query(" ".join(candidates)).words if not w.known and w.domain]
    assert len(unseen) >= 5  # safeguarding words (data/domain.txt) that neither bulletin nor thesaurus has
    wordy = " ".join(unseen) + ": how do I identify CSE risks"
    answer = answerer.answer(wordy)
    assert not answer.no_match and answer.answers[0].passage_id == plain.answers[0].passage_id
    # Weighed like words from another subject, the same unseen words would sink the question.
    assert Answerer(index, unseen_domain_weight=index.idf("")).answer(wordy).no_match


def test_places_and_times_do_not_make_a_question_ours(answerer, index):
    words = {w.word: w for w in index.query("Oakham after 5pm: CSE").words}
    assert words["oakham"].known and not words["oakham"].domain  # a "- " line in the thesaurus
    assert words["cse"].domain
    assert answerer.answer("weather in oakham tomorrow").no_match
    assert answerer.answer("the printer is broken again, who do i call").no_match  # a "-who do i call" term
    out_of_hours = answerer.answer("who do I call out of hours")
    assert not out_of_hours.no_match and "0116 2551606" in out_of_hours.answers[0].text
    rutland = answerer.answer("rutland email")  # a place and a way to get in touch: a duty contact
    assert not rutland.no_match and "dutyteam@rutland" in rutland.answers[0].text


def test_near_duplicates_do_not_crowd_out_another_passage(answerer):
    answer = answerer.answer("a very young baby died with significant injuries, what about the surviving children?")
    texts = [q.text for q in answer.answers]
    assert texts.count("Very young baby died with significant injuries.") == 1
    dup = next(q for q in answer.answers if q.text.startswith("Very young baby"))
    assert len(dup.also_in) == 1 and dup.also_in[0].case != dup.citation.case
    assert any("surviving children" in q.text for q in answer.answers)


def test_empty_question_is_refused(answerer):
    with pytest.raises(QuestionError):
        answerer.answer("   ")


def test_answer_shape(answerer):
    shape = answerer.answer("What is MARAC?").to_dict()
    assert set(shape) >= {"question", "answers", "no_match", "urgent", "message", "contacts"}
    first = shape["answers"][0]
    assert set(first) >= {"passage_id", "text", "score", "matched_terms", "citation"}
    assert set(first["citation"]) >= {"bulletin", "case", "section", "label", "url"}
    assert set(shape["contacts"][0]) >= {"area", "phone", "email", "when"}
    assert "MARAC" in first["matched_terms"]


@pytest.mark.parametrize("number", [1, 2, 3])
def test_a_question_naming_a_case_gets_that_case(answerer, number):
    answer = answerer.answer(f"what are the learning points from case {number}")
    assert answer.answers[0].citation.case.startswith(f"Case {number} —")


@pytest.mark.parametrize("number", [1, 2, 3])
def test_asking_only_about_a_case_gets_its_summary_first(answerer, number):
    first = answerer.answer(f"what happened in case {number}?").answers[0]
    assert first.kind == "case summary" and first.citation.case.startswith(f"Case {number} —")


@pytest.mark.parametrize("number", [1, 2, 3])
def test_asking_for_a_case_summary_around_other_words_still_gets_its_summary(answerer, number):
    # The asker's own occasion ("our team meeting") is not what is asked; "meeting" alone would find
    # the cases' strategy meetings.
    question = f"I'm presenting case {number} at our team meeting tomorrow. In a nutshell, what happened?"
    first = answerer.answer(question).answers[0]
    assert first.kind == "case summary" and first.citation.case.startswith(f"Case {number} —")


def test_a_case_asked_about_for_an_audit_gets_its_summary(answerer):
    # An audit is the asker's occasion, not Munro's culture of compliance.
    first = answerer.answer("For an audit I'm doing, remind me what the first case was about.").answers[0]
    assert first.kind == "case summary" and first.citation.case.startswith("Case 1 —")


def test_taking_a_family_off_their_plan_asks_about_stepping_down(answerer):
    first = answerer.answer("We're taking a family off their plan next month. What needs to be in place?").answers[0]
    assert "explicit transition plan" in first.text


def test_asking_which_part_of_the_bulletin_gets_the_sentence_that_says(answerer):
    first = answerer.answer("Planning a slot on infants: which part of the bulletin is relevant to me?").answers[0]
    assert first.kind == "context" and "babies under 12 months" in first.text


def test_a_decisive_best_passage_answers_a_wordy_question(answerer, index):
    question = ("auntie and the lady across the road keep phoning up moaning about the kids, how seriously should we "
                "take what relatives and neighbours say")
    query = index.query(question)
    scores = index.scores(query)
    candidates = [int(i) for i in index.top(scores.fused, 12) if scores.fused[i] > 0]
    assert answerer.coverage(query, candidates[:1]) < answerer.min_coverage  # most of it is other words
    assert answerer.decisive(query, candidates, scores.fused)
    answer = answerer.answer(question)
    assert not answer.no_match and "family, friends and neighbours" in answer.answers[0].text


@pytest.mark.parametrize("question, number", [("what happened in the CSE case", 1), ("what was the third case about", 3),
                                              ("the CSE case: who were the offenders and the victims", 1),
                                              ("what was the first case in the bulletin actually about?", 1)])
def test_a_case_named_by_its_title_is_that_case(answerer, question, number):
    first = answerer.answer(question).answers[0]
    assert first.citation.case.startswith(f"Case {number} —")


def test_a_question_about_work_administration_needs_a_closer_match(answerer):
    assert answerer.answer("what's the court fee for issuing a care order application").no_match
    assert answerer.answer("how do I claim mileage for a home visit to a child on a cp plan").no_match
    assert answerer.answer("what's the pay band for a senior practitioner in children's social care").no_match
    assert answerer.answer("how do I apply for a secondment to the multi-agency safeguarding hub").no_match
    kept = answerer.answer("how many days should a newborn be on a cp plan before it is stepped down")
    assert not kept.no_match and "9 months" in kept.answers[0].text  # the frame, but a close match


def test_a_referral_to_camhs_is_a_subject_of_its_own(answerer):
    # Its own pathway: the duty numbers are not how to refer an anxious child to CAMHS.
    assert answerer.answer("how do I refer a teenager with anxiety to CAMHS?").no_match
    kept = answerer.answer("how do I refer a child to social care in Rutland?")
    assert not kept.no_match and "Rutland" in kept.answers[0].text


def test_how_much_asks_about_money_only_when_it_says_so(answerer):
    assert answerer.answer("how much does a DBS check for a foster carer cost").no_match
    weighed = answerer.answer("she's 16, insists it's her choice to be with a 24 yr old - how much does her consent count?")
    assert not weighed.no_match and "informed consent" in weighed.answers[0].text


def test_the_story_around_a_long_question_weighs_as_ten_words(index):
    long = ("the chap across the road rang twice last month and again this week, going on about constant noise and "
            "banging; how much notice should we take of what family and neighbours say")
    short = "how much notice should we take of neighbours"
    for question, longer in ((long, True), (short, False)):
        query = index.query(question)
        scores = index.scores(query)
        rows = [int(i) for i in index.top(scores.fused, 3)]
        told, untold = Answerer(index).coverage(query, rows), Answerer(index, story_words=1000).coverage(query, rows)
        assert (told > untold) if longer else (told == untold), (question, told, untold)


def test_a_subject_no_bulletin_covers_needs_a_closer_match(answerer, index):
    question = "what are a school's duties under prevent duty and radicalisation rules"
    assert index.query(question).unseen_subject
    assert answerer.answer(question).no_match
    # Once a bulletin covers the subject, the same kind of question is treated like any other.
    covering = parse_bulletin("# Private fostering\n\nA child who is privately fostered must be notified to the "
                              "local authority, and private fostering arrangements are checked.\n", "pf")
    assert index.query("private fostering rules").unseen_subject
    assert not build([covering]).query("private fostering rules").unseen_subject


def test_a_passage_far_above_the_rest_answers_a_wordy_question(answerer):
    question = ("Primary head teacher: a referral about an older pupil was treated as less urgent because of his "
                "age. Is that a recognised issue?")
    answer = answerer.answer(question)  # most of its words are not the bulletin's; one is, far better than any other
    assert not answer.no_match and answer.answers[0].text.startswith("7. Initial decisions that are overly focused")


def test_a_subject_no_bulletin_names_is_not_found_through_its_concept(answerer, index):
    question = "What are the statutory timescales for completing a Section 47 enquiry and an assessment?"
    query = index.query(question)
    assert query.unseen_subject and all(not t.startswith("~") for w in query.words[3:5] for t in w.terms)
    assert answerer.answer(question).no_match
    assert not answerer.answer("IDVA - do MARAC risks need passing to the cp conference?").no_match  # a role


def test_a_subject_in_the_askers_job_title_is_not_the_question(answerer, index):
    assert index.query("how do school attendance fines work").unseen_subject
    asker = "School attendance officer - I made a referral weeks ago and heard nothing back. Is that a known problem?"
    assert not index.query(asker).unseen_subject
    assert "feedback the outcome to the referrer" in answerer.answer(asker).answers[0].text


def test_a_subject_that_only_sets_the_scene_of_a_question_about_a_case_is_not_the_question(answerer, index):
    question = "what does the CSE case expect of us when a young person in a children's home goes AWOL?"
    assert index.query(question).unseen_subject and index.query(question).cases == (1,)
    answer = answerer.answer(question)
    assert not answer.no_match and "when a child is reported missing" in answer.answers[0].text
    # Without a case named, the same subject still holds the question to the closer match.
    assert answerer.answer("how do I register a children's home").no_match


def test_a_subject_that_only_sets_the_scene_before_the_question_is_not_the_question(answerer, index):
    question = ("I manage a supported lodgings scheme for care leavers and one of our young women is pregnant. "
                "When should the pre-birth assessment begin?")
    assert index.query(question).unseen_subject
    answer = answerer.answer(question)
    assert not answer.no_match and answer.answers[0].text.startswith("Pre-birth assessments should begin")
    # The subject asked about in a question of its own, or in the last sentence, is still the question.
    assert answerer.answer("Private fostering notification? How long do parents have to tell us?").no_match
    assert answerer.answer("I work with families. How long do parents have to notify private fostering?").no_match
    assert index.query("I'm reading about private fostering. How long do parents have to tell us about it?"
                       ).question_start == 0  # "it" points back to the subject


def test_asking_whom_to_ring_out_of_hours_gets_the_out_of_hours_number(answerer):
    answer = answerer.answer("Who do I ring if it's evenings or a weekend?")
    assert not answer.no_match and answer.answers[0].text.startswith("Out of Office hours for all areas")


def test_a_field_acronym_for_out_of_hours_asks_for_the_number(answerer):
    answer = answerer.answer("ooh number?")
    assert not answer.no_match and answer.answers[0].text.startswith("Out of Office hours for all areas")


@pytest.mark.parametrize("question, asks", [
    ("As a childminder I notice how children look and behave. Does the research say we pay enough attention?", False),
    ("I'm a childminder and a mum never engages - what does the learning say?", False),
    ("we work in a children's home; what is the learning on missing children?", False),
    ("I run a family hub and we're worried about funding. Did the Government say anything about early help?", False),
    ("For our lone working policy, what number do staff ring outside office hours?", False),
    ("At my youth offending team meeting we asked about exploited girls being charged. What's the line?", False),
    ("We're a children's home; what is the learning on missing children?", False),
    ("There's a minimum time for a newborn on a plan. Has the LSCB adopted it?", False),  # a verb here
    ("If a girl goes missing from the children's home, what must we be clear about?", False),  # where she was
    ("lone working policy for evening visits?", True),
    ("What do Ofsted look for in a children's home?", True),
    ("what support is there after an adoption", True),
    ("what does a lone working policy need to say", True),
    ("how do I run a family hub", True),
    ("What does Ofsted require for registering as a childminder?", True),
    ("how do childminders register", True),
])
def test_a_subject_that_says_who_is_asking_is_not_the_question(index, question, asks):
    assert index.query(question).unseen_subject == asks


def test_a_pitfall_named_by_its_subject_is_that_pitfall(answerer):
    # The ten pitfalls sit under "What research tells us"; their kind carries the word "pitfall".
    first = answerer.answer("voice of the child pitfall").answers[0]
    assert first.text.startswith("5. Insufficient attention is paid to what children say")
