"""``check-doc`` on the second document corpus (tests/fixtures/docs2): documents in styles the
first corpus does not have (a lecture handout, a Reddit thread, a Medium post, a notebook, a
thesis chapter, Korean, Japanese and Chinese posts, an e-mail, a model README, tables comparing
networks, an exam, slides, a chat export, a GitHub issue), each mistake listed in manifest.yaml
beside its line, the token to blame and what it should be. The numbers were computed with
Python and PyTorch, independently of the checker (tests/fixtures/docs2/README.md).

Unlike the first corpus, no document gives ``layer_names``: names such as ``conv3_x``, ``C3``,
``FC-7`` or ``features.18`` are read from ``--network`` alone, as a user's would be.

* every planted mistake is found, on its line;
* nothing else is flagged;
* the blame names the token the manifest blames.
"""

from __future__ import annotations

import pytest
from corpus import FIXTURES, check_corpus, manifest, missed_and_false_alarms, totals, verify, wrong_blames

DOCS2 = FIXTURES / "docs2"
MANIFEST = manifest(DOCS2)


@pytest.fixture(scope="module")
def results():
    return check_corpus(MANIFEST, DOCS2)


def test_the_manifest_matches_its_documents():
    assert verify(MANIFEST, DOCS2) == []
    assert len(MANIFEST) >= 15
    assert not any(doc.get("layer_names") for doc in MANIFEST)


@pytest.mark.parametrize("doc", MANIFEST, ids=[doc["file"] for doc in MANIFEST])
def test_every_planted_mistake_is_found_and_nothing_else(doc, results):
    assert missed_and_false_alarms(doc, results[doc["file"]]) == ([], [])


@pytest.mark.parametrize("doc", [d for d in MANIFEST if d["mistakes"]], ids=[d["file"] for d in MANIFEST
                                                                             if d["mistakes"]])
def test_the_blame_names_the_wrong_token(doc, results):
    assert wrong_blames(doc, results[doc["file"]]) == []


def test_corpus_totals(results):
    # 19 documents, 8 fully correct, 22 planted mistakes (README of the corpus): all found, none extra
    assert (len(MANIFEST), sum(1 for doc in MANIFEST if doc["correct"])) == (19, 8)
    assert totals(MANIFEST, results) == (22, 22, 22)
    assert all(results[doc["file"]].status == "ok" for doc in MANIFEST if doc["correct"])


def test_names_read_from_their_form_are_reported_with_the_documents_name(results):
    # conv3_x in the thesis-style tables, C3 in the Korean post, FC-7 in the Chinese one: the
    # claims say which layer of the network the name was read as
    ko = results["ko_lenet5_velog.md"]
    assert [(c.layer, c.called, c.claimed) for c in ko.wrong_claims] == [("features.5", "S4", "5x5x6")]
    zh = results["zh_alexnet_zhihu.md"]
    assert {(c.layer, c.called) for c in zh.claims if c.called} == {("fc1", "FC6"), ("fc2", "FC7"), ("fc3", "FC8")}
