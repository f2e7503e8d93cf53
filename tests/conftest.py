"""Shared fixtures: the bulletin as shipped, its index (built once, in a scratch folder) and an answerer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.answer import Answerer
from assistant.index import open_index
from assistant.ingest import read_bulletin

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
BULLETIN = CORPUS / "learning-review-issue-2.txt"
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def bulletin():
    return read_bulletin(BULLETIN)


@pytest.fixture(scope="session")
def index(tmp_path_factory):
    return open_index(CORPUS, tmp_path_factory.mktemp("index"))


@pytest.fixture(scope="session")
def answerer(index):
    return Answerer(index)


@pytest.fixture()
def corpus_copy(tmp_path):
    """A writable copy of the corpus, for tests that change it."""
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    return folder
