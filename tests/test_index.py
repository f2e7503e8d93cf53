"""The index: BM25 and TF-IDF scores equal their reference formulas, and saving, loading and rebuilding work."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
from rank_bm25 import BM25Okapi
from scipy import sparse

from assistant.analysis import CONCEPT_PREFIX, concept_name, default_analyzer, read_data
from assistant.index import (
    B,
    CONTEXT_ONLY,
    FRAME,
    INTRODUCTION,
    K1,
    KIND_INTENT_BOOST,
    OTHER_AREA,
    RECORD_PRIOR,
    StaleIndex,
    bm25_idf,
    bm25_weights,
    build,
    form_words,
    fuse,
    holds_phrase,
    kind_intents,
    load,
    open_index,
    read_corpus,
    requests,
    save,
    tfidf_query_vector,
)
from assistant.ingest import is_record
from conftest import CORPUS


class LuceneIdfBM25(rank_bm25_base := BM25Okapi):
    """rank-bm25's BM25 with the non-negative IDF we chose, as the reference implementation."""

    def _calc_idf(self, nd):
        for word, freq in nd.items():
            self.idf[word] = math.log(1 + (self.corpus_size - freq + 0.5) / (freq + 0.5))


def document_terms(passage, analyzer):
    """A passage's text and context terms, counted alike (the reference for the BM25 comparison)."""
    return analyzer.terms(passage.text) + analyzer.terms(passage.context)


def counts_of(docs, vocab):
    rows = [r for r, d in enumerate(docs) for _ in d]
    cols = [vocab[t] for d in docs for t in d]
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(docs), len(vocab)))


def test_half_the_passages_idf_is_positive():
    # Okapi's IDF is exactly zero for a term in half the passages; ours stays positive.
    okapi = math.log((4 - 2 + 0.5) / (2 + 0.5))
    assert okapi == 0.0
    assert bm25_idf(4, np.array([2]))[0] > 0
    assert np.all(bm25_idf(4, np.array([0, 1, 2, 3, 4])) > 0)


def test_half_the_passages_term_still_ranks():
    docs = [["missing", "child"], ["missing", "plan"], ["plan", "baby"], ["baby", "conference"]]
    vocab = {t: i for i, t in enumerate(sorted({t for d in docs for t in d}))}
    weights, _ = bm25_weights(counts_of(docs, vocab))
    scores = np.asarray(weights[:, [vocab["missing"]]].sum(axis=1)).ravel()
    assert scores[0] > 0 and scores[1] > 0 and scores[2] == 0


def test_bm25_scores_equal_rank_bm25_on_the_bulletin(index):
    docs = [document_terms(p, index.analyzer) for p in index.passages]
    # The index weighs context terms at half; compare on text + context counted alike.
    vocab = {}
    for d in docs:
        for t in d:
            vocab.setdefault(t, len(vocab))
    weights, _ = bm25_weights(counts_of(docs, vocab), K1, B)
    reference = LuceneIdfBM25(docs, k1=K1, b=B)
    for question in ["What do I do when a child goes missing?", "cp plan for a newborn", "MARAC risk sharing"]:
        terms = [t for t in index.analyzer.terms(question) if t in vocab]
        cols = [vocab[t] for t in terms]
        ours = np.asarray(weights[:, cols].sum(axis=1)).ravel()
        assert np.allclose(ours, reference.get_scores(terms), atol=1e-9, rtol=0)


def test_bm25_scores_equal_rank_bm25_on_a_generated_corpus():
    rng = np.random.default_rng(7)
    words = [f"w{i}" for i in range(300)]
    docs = [list(rng.choice(words, size=rng.integers(3, 40), p=None)) for _ in range(500)]
    vocab = {w: i for i, w in enumerate(words)}
    weights, _ = bm25_weights(counts_of(docs, vocab), K1, B)
    reference = LuceneIdfBM25(docs, k1=K1, b=B)
    for _ in range(20):
        query = list(rng.choice(words, size=4))
        ours = np.asarray(weights[:, [vocab[w] for w in query]].sum(axis=1)).ravel()
        assert np.allclose(ours, reference.get_scores(query), atol=1e-9, rtol=0)


def test_tfidf_query_vector_matches_scikit_learn():
    from sklearn.feature_extraction.text import TfidfTransformer

    counts = np.array([[1, 0, 2], [0, 3, 1], [1, 1, 0]], dtype=float)
    transformer = TfidfTransformer(sublinear_tf=True).fit(counts)
    query = np.array([2.0, 0.0, 1.0])
    expected = transformer.transform(query.reshape(1, -1)).toarray().ravel()
    assert np.allclose(tfidf_query_vector(query, transformer.idf_), expected, atol=1e-12)


def test_top_k_is_the_best_first(index):
    scores = np.array([0.1, 0.9, 0.5, 0.9, 0.0])
    assert list(index.top(scores, 3)) == [1, 3, 2]
    assert list(index.top(scores, 10)) == [1, 3, 2, 0, 4]


def test_save_and_load_give_the_same_scores(index, tmp_path):
    save(index, tmp_path)
    loaded = load(tmp_path, index.corpus_hash)
    assert loaded.passages == index.passages
    assert loaded.bulletins == index.bulletins
    for question in ["What do I do when a child goes missing?", "duty number for Rutland", "wat about chid",
                     "exploiting runaways and their pizza"]:
        a, b = index.scores(index.query(question)), loaded.scores(loaded.query(question))
        assert np.array_equal(a.fused, b.fused)
        known = [[t for t in i.query(question).terms if t in i.vocab] for i in (index, loaded)]
        assert known[0] == known[1] and known[0]


@pytest.mark.parametrize("question", ["an organised group of men", "risk was minimised", "toddlers and nurseries",
                                      "was the plan de-registered early", "rules for foster carers and private fostering",
                                      "referrals on 15-16yos get screened out"])  # a plural of a thesaurus "16yo"
def test_a_loaded_index_reads_questions_as_the_built_one_does(index, tmp_path, question):
    save(index, tmp_path)
    loaded = load(tmp_path, index.corpus_hash)
    built = [(w.word, w.known, w.domain) for w in index.query(question).words]
    assert [(w.word, w.known, w.domain) for w in loaded.query(question).words] == built
    assert loaded.query(question).unseen_subject == index.query(question).unseen_subject


def test_a_loaded_index_answers_without_loading_a_stemmer(index, tmp_path):
    save(index, tmp_path)
    code = (
        "import sys; from pathlib import Path; from assistant.index import load; "
        "from assistant.answer import Answerer; "
        f"a = Answerer(load(Path({str(tmp_path)!r}))); "
        "r = a.answer('what about exploiting runaways'); "
        "assert r.answers and 'nltk' not in sys.modules and 'sklearn' not in sys.modules, sorted(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_saved_index_is_plain_files(index, tmp_path):
    save(index, tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["corpus_hash"] == index.corpus_hash and manifest["package_version"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*manifest["files"], "manifest.json"])
    assert not any(p.suffix in (".pkl", ".pickle") for p in tmp_path.iterdir())


def test_stale_index_is_rebuilt_with_a_notice(corpus_copy, tmp_path):
    notices = []
    folder = tmp_path / "index"
    first = open_index(corpus_copy, folder, notices.append)
    assert len(notices) == 1 and "rebuilding" in notices[0]
    notices.clear()
    open_index(corpus_copy, folder, notices.append)
    assert notices == []  # current: loaded, not rebuilt
    bulletin = corpus_copy / "learning-review-issue-2.txt"
    bulletin.write_text(bulletin.read_text() + "\n\nStaff should record every strategy meeting in the child's file without delay.\n")
    second = open_index(corpus_copy, folder, notices.append)
    assert notices == ["index: rebuilding (the corpus has changed)"]
    assert len(second.passages) == len(first.passages) + 1


@pytest.mark.parametrize("damage", ["truncate", "garble", "delete"])
def test_damaged_index_file_is_rebuilt(corpus_copy, tmp_path, damage):
    folder = tmp_path / "index"
    open_index(corpus_copy, folder)
    target = folder / "matrices.npz"
    if damage == "truncate":
        target.write_bytes(target.read_bytes()[:100])
    elif damage == "garble":
        (folder / "passages.jsonl").write_text("{not json")
    else:
        target.unlink()
    with pytest.raises(StaleIndex):
        load(folder)
    notices = []
    rebuilt = open_index(corpus_copy, folder, notices.append)
    assert "rebuilding" in notices[0] and len(rebuilt.passages) > 50
    load(folder)  # and the rebuilt files are sound


def test_unreadable_bulletin_is_skipped_with_a_warning(corpus_copy, tmp_path):
    (corpus_copy / "broken.txt").write_text("   \n\n")
    bulletins, warnings = read_corpus(corpus_copy)
    assert [b.id for b in bulletins] == ["learning-review-issue-2"]
    assert warnings and "broken.txt" in warnings[0]


def test_build_from_bulletins_directly():
    bulletins, _ = read_corpus(CORPUS)
    index = build(bulletins)
    assert len(index.passages) == sum(len(b.passages) for b in bulletins)
    assert index.bm25.shape == index.tfidf.shape == (len(index.passages), len(index.vocab))


def test_column_scores_equal_a_sparse_product():
    from assistant.index import column_scores

    rng = np.random.default_rng(3)
    matrix = sparse.random(200, 50, density=0.1, random_state=4, format="csc")
    cols = np.array([3, 17, 17, 49, 0])
    weights = rng.random(len(cols))
    expected = np.asarray(matrix[:, cols] @ weights).ravel()
    assert np.allclose(column_scores(matrix, cols, weights), expected, atol=1e-12)


def test_the_words_of_a_request_for_a_summary_are_not_searched_for(index):
    # "short" is in a Case 1 recommendation ("the short, medium and long term"): not what is asked.
    question = "case 1 - what happened, just the short version pls"
    assert {"short", "version"} <= form_words(question)
    assert "short" not in index.query(question).terms and "short" in index.query("short term plans").terms
    first = index.passages[int(index.top(index.scores(index.query(question)).fused, 1)[0])]
    assert first.kind == "case summary" and first.case_number == 1
    # Nor are they words the answer must cover: "nutshell" is no word of the bulletin's.
    assert "nutshell" not in [w.word for w in index.query("cse case - what happened, in a nutshell").words]


def test_a_case_named_by_number_and_by_its_title_is_named_once(index):
    # "the CSE one" restates Case 1's title: those words name the case, they ask nothing more.
    query = index.query("case 1, the CSE one - what happened to the girls")
    assert query.cases == (1,) and "~child_sexual_exploitation" in query.case_terms
    assert "~child_sexual_exploitation" not in index.query("case 2 - any CSE?").case_terms  # not case 2's title


def test_two_cases_named_together_find_the_passage_that_introduces_them(index):
    # "Why are cases 2 and 3 grouped together": neither case's passages say; the one before them does.
    for question in ("why are cases 2 and 3 grouped together", "cases 2 and 3 are about what age group"):
        first = index.passages[int(index.top(index.scores(index.query(question)).fused, 1)[0])]
        assert first.text.startswith("The next two cases highlight"), question
    one = index.query("what happened in case 2")
    first = index.passages[int(index.top(index.scores(one).fused, 1)[0])]
    assert first.case_number == 2  # one case named: its own passages, not the introduction


def test_which_case_is_about_something_finds_the_passage_that_introduces_cases(index, monkeypatch):
    # "Which of the cases..." asks for the sentence that says what the cases are about, not a study
    # that shares more of the question's words ("children under a year old").
    query = index.query("which of the cases are about babies under one year old")
    first = index.passages[int(index.top(index.scores(query).fused, 1)[0])]
    assert first.text.startswith("The next two cases highlight")
    # A lift, never a reason to hold the question to a closer match: a bulletin with no such passage
    # answers it from the cases themselves.
    gives = dict(index.gives)
    gives[INTRODUCTION] = np.zeros(len(index.passages), dtype=bool)
    monkeypatch.setattr(index, "gives", gives)
    assert not index.lacks_answer_type(query)


def test_where_to_look_is_not_searched_for(index):
    # "What does the bulletin say about" frames the question: the bulletin's own introduction is not the answer.
    question = "Some families never let anyone in. What does the bulletin say about working with them?"
    query = index.query(question)
    assert not {"bulletin", "~bulletin"} & set(query.terms)
    assert "bulletin" not in [w.word for w in query.words] and "frame" not in query.kinds
    first = index.passages[int(index.top(index.scores(query).fused, 1)[0])]
    assert first.text.startswith("That you have strategies and consequences in place")
    # A time that sets the scene is not searched for: the month of "next month" is not "9 months".
    query = index.query("closing a cp plan next month, what needs to be in place for step down?")
    assert "month" not in query.terms
    first = index.passages[int(index.top(index.scores(query).fused, 1)[0])]
    assert first.text.startswith("When ending a cp plan for a child")
    # "In this issue" says where to look, like "in this bulletin": the introduction to the issue is not the answer.
    assert "issu" not in index.query("Which of the reviews in this issue are about babies?").terms
    # "Bottom line" asks for the gist, not for the bottom lines set with a family (consequences).
    assert not {"bottom", "~consequences"} & set(index.query("Bottom line, what should staff do about CSE?").terms)
    # Where the frame is all there is, it is the question.
    assert "~bulletin" in index.query("what does the bulletin say").terms


def test_whom_an_occasion_is_for_is_not_searched_for(index):
    # The audience of a session is not its subject: "newly qualified" alone finds the passage on whom
    # the pitfalls guidance suits, not the pitfall the session is about.
    question = "I'm running a session for newly qualified staff on making your mind up too early. Which pitfall?"
    query = index.query(question)
    assert not {"newli", "qualifi", "~newly_qualified"} & set(query.terms)
    assert "qualified" not in [w.word for w in query.words]
    first = index.passages[int(index.top(index.scores(query).fused, 1)[0])]
    assert first.text.startswith("1. An initial hypothesis")
    assert "~newly_qualified" in index.query("Is the pitfalls guidance meant for newly qualified staff?").terms


@pytest.mark.parametrize(
    "question, kinds",
    [
        ("quick summary of case 1 please", {"case summary"}),
        ("where can I read Munro's full report?", {"link"}),
        ("I assumed the school understood me - which pitfall is that?", {"pitfall"}),
        ("we decided early it was an accident and stopped looking - a recognised mistake?", {"pitfall"}),
        ("what did the review recommend for families who won't engage", {"recommendation"}),
        ("family keeps cancelling visits - what should we have in place?", {"recommendation"}),
        ("what should I do when a child goes missing", {"recommendation"}),
        ("as a TA what am I actually expected to do about it", {"recommendation"}),
        ("has the board actually set anything up yet for staff after a death", {"note"}),
        ("any update on the working group", {"note"}),
        ("what should a newborn plan include", set()),
    ],
)
def test_a_question_naming_a_kind_of_passage_lifts_that_kind(index, question, kinds):
    query = index.query(question)
    assert query.kinds == kinds
    plain = index.scores(replace(query, kinds=frozenset())).fused
    lifted = index.scores(query).fused
    wanted = np.array([p.kind in kinds for p in index.passages])
    assert np.allclose(lifted[wanted], plain[wanted] * KIND_INTENT_BOOST)
    assert np.allclose(lifted[~wanted], plain[~wanted])


def test_a_reference_record_weighs_less_than_the_passage_describing_the_work(index):
    records = [i for i, p in enumerate(index.passages) if p.text.startswith(("Book Title:", "Series:"))]
    assert records and all(index.prior[i] == RECORD_PRIOR for i in records)
    query = index.query("research on whether abused kids do better going home or staying in care")
    ranked = index.top(index.scores(query).fused, 2)
    assert index.passages[ranked[0]].text.startswith("The book is based on a large scale study")


def test_a_question_asking_why_lifts_the_passages_that_give_a_reason(index):
    query = index.query("why are babies under one a special worry in these reviews?")
    assert "reason" in query.kinds
    plain = index.scores(replace(query, kinds=frozenset())).fused
    lifted = index.scores(query).fused
    reasons = np.array(["because" in p.text for p in index.passages])
    assert reasons.any() and np.allclose(lifted[reasons], plain[reasons] * KIND_INTENT_BOOST)
    assert np.allclose(lifted[~reasons], plain[~reasons])
    assert "fragility of babies" in index.passages[index.top(lifted, 1)[0]].text


def test_a_question_asking_how_many_lifts_the_passages_that_give_a_count(index):
    query = index.query("How many children did the study behind the recommended book follow?")
    assert "quantity" in query.kinds
    counted = index.gives["quantity"]
    assert counted.any() and np.allclose(index.scores(query).unlifted[counted] * KIND_INTENT_BOOST,
                                         index.scores(query).fused[counted])
    assert "149 children" in index.passages[index.top(index.scores(query).fused, 1)[0]].text


def test_a_question_asking_who_wrote_a_work_lifts_its_reference_record(index):
    query = index.query("who wrote that book about abused kids going home or staying in care")
    assert "reference" in query.kinds
    records = index.gives["reference"]
    assert records.any() and all(is_record(p.text) for p, r in zip(index.passages, records) if r)
    assert np.allclose(index.scores(query).fused[records], index.scores(query).unlifted[records] * KIND_INTENT_BOOST)
    assert index.passages[index.top(index.scores(query).fused, 1)[0]].text.startswith("Book Title:")


def test_a_question_asking_when_lifts_the_passages_that_give_a_date(index):
    query = index.query("when did the govt respond to the munro report")
    assert "date" in query.kinds
    first = index.passages[index.top(index.scores(query).fused, 1)[0]]
    assert first.text.startswith("In July 2011 the Government published its response")


def test_a_passage_matching_only_through_its_context_weighs_less(index):
    # "Series: Safeguarding Children across Services" sits under "one reader's recommendation": the
    # heading meets "a book a reader recommended", its own words nothing the question asks.
    scores = index.scores(index.query("what's the study behind the book a reader recommended?"))
    plain = fuse(scores.bm25, scores.tfidf, "sum", 0.5) * index.prior
    series = next(i for i, p in enumerate(index.passages) if p.text.startswith("Series:"))
    study = next(i for i, p in enumerate(index.passages) if p.text.startswith("The book is based on"))
    assert scores.unlifted[series] == pytest.approx(plain[series] * CONTEXT_ONLY)
    assert scores.unlifted[study] == pytest.approx(plain[study])
    assert int(index.top(scores.fused, 1)[0]) == study


def test_a_phrase_inside_a_longer_request_of_another_kind_is_that_request():
    # "a recommendation at this stage" asks what has been done since (the N.B. note), not for a recommendation.
    asked = requests("Is anything under way yet on supporting staff, or is it a recommendation at this stage?")
    assert "note" in asked and "recommendation" not in asked
    assert "note" not in requests("is there a recommendation about supporting staff after a child death")
    # A frame only says where to look: "what does the bulletin recommend" still asks for a recommendation.
    assert "recommendation" in requests("What does the bulletin recommend for families who won't engage?")


def test_a_request_phrase_holding_another_kinds_phrase_adds_a_word_of_its_own():
    # Without one ("just a recommendation" is "a recommendation" once its filler is dropped), the
    # longer phrase would take every plain request for the shorter one's kind.
    stop = default_analyzer().stopwords
    intents = {kind: phrases for kind, phrases in kind_intents().items() if kind != FRAME}
    for kind, phrases in intents.items():
        for other, others in intents.items():
            for phrase in phrases:
                inner = [q for q in others if other != kind and holds_phrase(phrase, q)]
                for q in inner:
                    assert any(w not in stop for w in phrase.split() if w not in q.split()), (kind, phrase, q)


def test_every_thesaurus_concept_meets_the_bulletin_unless_a_subject_of_its_own(index):
    # A concept no passage carries finds nothing: "when was the pitfalls guide first written" met no
    # passage until the concept held the bulletin's own words, "the original version of Ten pitfalls".
    # A subject of its own ("designated safeguarding lead") is one the bulletin does not cover.
    carried = {t.removeprefix(CONCEPT_PREFIX) for t in index.vocab if t.startswith(CONCEPT_PREFIX)}
    subjects = {concept_name(line) for line in read_data("subjects.txt").splitlines()
                if line.strip() and not line.startswith("#")}
    assert sorted(default_analyzer().concept_names() - carried - subjects) == []



def test_a_question_naming_an_area_weighs_other_areas_duty_contacts_less(index):
    rows = {c.area_id: index.passages.index(index.passage(c.passage_id)) for c in index.contacts()}
    factor = index._other_areas(["~rutland", "child"])
    others = {rows["leicestershire"], rows["leicester-city"]}
    assert all(factor[r] == (OTHER_AREA if r in others else 1.0) for r in range(len(index.passages)))
    assert index._other_areas(["child", "~duty_team"]) is None  # no area named: nothing changes
    query = index.query("I'm updating our team's contact sheet. What's the phone number for the Leicestershire "
                        "children's duty team?")
    assert index.top(index.scores(query).fused, 1)[0] == rows["leicestershire"]


def test_a_thesaurus_phrase_of_stopwords_only_is_a_word_of_the_question(index):
    words = index.query("Someone left a copy of this in our staff room. What's it actually for?").words
    phrase = [w for w in words if w.terms == ("~purpose",)]
    assert len(phrase) == 1 and phrase[0].domain and phrase[0].word == "What's it actually for"
    assert not [w for w in index.query("What is the weather for tomorrow?").words if w.terms[0].startswith("~")]
