"""The collection: adding and removing bulletins, and a served index that updates without a restart."""

from __future__ import annotations

import threading
import time

import pytest

from assistant.config import Settings
from assistant.index import open_index
from assistant.library import CHECK_SECONDS, BulletinError, Library, add_bulletin, remove_bulletin
from conftest import FIXTURES

NEW = FIXTURES / "practice-bulletin-issue-7.md"


@pytest.fixture()
def settings(corpus_copy, tmp_path):
    return Settings.from_env({}, corpus=corpus_copy, index=tmp_path / "index")


def test_add_copies_a_checked_bulletin(settings):
    bulletin = add_bulletin(NEW, settings.corpus)
    assert bulletin.id == "practice-bulletin-issue-7"
    assert (settings.corpus / NEW.name).read_bytes() == NEW.read_bytes()


@pytest.mark.parametrize("name, content, message", [
    ("notes.csv", "a,b", "not a bulletin format"),
    ("empty.txt", "\n\n", "no passages"),
    ("shopping.txt", "Eggs, milk and bread are needed for the weekend and the shop shuts at six.", "no sections or cases"),
])
def test_add_refuses_what_is_not_a_bulletin_and_changes_nothing(settings, tmp_path, name, content, message):
    before = sorted(p.name for p in settings.corpus.iterdir())
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(BulletinError, match=message):
        add_bulletin(path, settings.corpus)
    assert sorted(p.name for p in settings.corpus.iterdir()) == before


def test_add_refuses_a_second_copy_unless_replacing(settings):
    add_bulletin(NEW, settings.corpus)
    with pytest.raises(BulletinError, match="--replace"):
        add_bulletin(NEW, settings.corpus)
    add_bulletin(NEW, settings.corpus, replace=True)


def test_remove_takes_a_bulletin_out(settings):
    add_bulletin(NEW, settings.corpus)
    removed = remove_bulletin("practice-bulletin-issue-7", settings.corpus)
    assert removed.issue == "7" and not (settings.corpus / NEW.name).exists()
    with pytest.raises(BulletinError, match="no bulletin with id"):
        remove_bulletin("practice-bulletin-issue-7", settings.corpus)
    with pytest.raises(BulletinError, match="only bulletin"):
        remove_bulletin("learning-review-issue-2", settings.corpus)


def test_ids_and_citations_of_older_bulletins_do_not_change(settings):
    before = open_index(settings.corpus, settings.index)
    add_bulletin(NEW, settings.corpus)
    after = open_index(settings.corpus, settings.index)
    old = {p.id: p for p in before.passages}
    assert all(old[p.id] == p for p in after.passages if p.bulletin_id == "learning-review-issue-2")
    assert [b.id for b in after.bulletins] == ["practice-bulletin-issue-7", "learning-review-issue-2"]


def test_citations_name_each_bulletin_and_issue(settings):
    from assistant.answer import Answerer

    add_bulletin(NEW, settings.corpus)
    answerer = Answerer(open_index(settings.corpus, settings.index))
    top = answerer.answer("unannounced home visits for neglect").answers[0]
    assert top.citation.label.startswith("Safeguarding Practice Bulletin, issue 7 · Case 4 — Neglect of a toddler")
    other = answerer.answer("What do I do when a child goes missing?").answers[0]
    assert other.citation.label.startswith("Learning Review, issue 2 · Case 1")


def test_newer_bulletin_ranks_first_when_two_say_much_the_same(settings, tmp_path):
    from assistant.answer import Answerer

    newer = tmp_path / "learning-review-issue-3.txt"
    newer.write_text(
        "Welcome to the 3rd issue of the Leicestershire & Rutland Learning Review.\n\n"
        "Case 4—Missing children\n\nRecommendations for practice:\n\n"
        "..That you know what to do when a child is reported missing and who to tell straight away.\n"
    )
    add_bulletin(newer, settings.corpus)
    answer = Answerer(open_index(settings.corpus, settings.index)).answer("What do I do when a child goes missing?")
    first, second = answer.answers[0], answer.answers[1]
    assert first.citation.bulletin_id == "learning-review-issue-3"
    assert second.citation.bulletin_id == "learning-review-issue-2" and "reported missing" in second.text
    assert "the newest is Learning Review, issue 3" in answer.message


def test_a_served_index_is_swapped_for_a_rebuilt_one_without_dropping_a_question(settings, monkeypatch):
    library = Library(settings)
    assert len(library.answerer().index.bulletins) == 1
    failures, answered = [], []
    stop = threading.Event()

    def ask_continuously():
        while not stop.is_set() and len(answered) < 5000:
            try:
                answer = library.answerer().answer("What do I do when a child goes missing?")
                answered.append(bool(answer.answers))
            except Exception as exc:  # any failure during the swap is what this test is for
                failures.append(exc)

    worker = threading.Thread(target=ask_continuously)
    worker.start()
    try:
        add_bulletin(NEW, settings.corpus)
        open_index(settings.corpus, settings.index, rebuild=True)
        deadline = time.monotonic() + 10 * CHECK_SECONDS + 5
        while len(library.answerer().index.bulletins) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        worker.join(timeout=30)
    assert failures == [] and answered and all(answered)
    assert [b.id for b in library.answerer().index.bulletins] == ["practice-bulletin-issue-7", "learning-review-issue-2"]
