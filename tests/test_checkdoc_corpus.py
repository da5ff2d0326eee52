"""``check-doc`` on the document corpus (tests/fixtures/docs): documents written the way people
write them, with every planted mistake listed in manifest.yaml beside its line, what is wrong
(the token to blame) and what it should be. The corpus was written and checked by hand and
with PyTorch, independently of the checker (see tests/fixtures/docs/README.md).

Each document is checked with the network its manifest names (and its layer names):

* every planted mistake is found, on its line (a wrong step, or a wrong size or count);
* nothing else is flagged: no false alarm, in the fully correct documents or elsewhere;
* the blame names the token the manifest blames (``both``: no single token, so none).
"""

from __future__ import annotations

import pytest
from corpus import FIXTURES, check_corpus, manifest, missed_and_false_alarms, totals, verify, wrong_blames

DOCS = FIXTURES / "docs"
MANIFEST = manifest(DOCS)


@pytest.fixture(scope="module")
def results():
    return check_corpus(MANIFEST, DOCS)


def test_the_manifest_matches_its_documents():
    assert verify(MANIFEST, DOCS) == []
    assert len(MANIFEST) >= 20
    assert sum(1 for doc in MANIFEST if doc["correct"]) >= 6


@pytest.mark.parametrize("doc", MANIFEST, ids=[doc["file"] for doc in MANIFEST])
def test_every_planted_mistake_is_found_and_nothing_else(doc, results):
    assert missed_and_false_alarms(doc, results[doc["file"]]) == ([], [])


@pytest.mark.parametrize("doc", [d for d in MANIFEST if d["mistakes"]], ids=[d["file"] for d in MANIFEST
                                                                             if d["mistakes"]])
def test_the_blame_names_the_wrong_token(doc, results):
    assert wrong_blames(doc, results[doc["file"]]) == []


def test_corpus_totals(results):
    # 25 documents, 77 planted mistakes (README of the corpus): all found, none extra.
    assert totals(MANIFEST, results) == (77, 77, 77)
    assert all(results[doc["file"]].status == "ok" for doc in MANIFEST if doc["correct"])
