"""``check-doc`` on the third document corpus (tests/fixtures/docs3): documents written as people
write them, by someone who did not write the checker: a Korean velog post and a Naver blog pasted
from the browser as plain text, a Korean tistory post and Notion export, a Japanese note with
full-width digits, Chinese CSDN and Zhihu posts (numbers right after Han characters, 亿 and 万), a
LaTeX homework with ``align*`` and ``aligned``, a GitHub docs page of tables, an e-mail with ``~``
and ``≈``, a Marp slide deck, a StackOverflow answer with code, ceil-mode pooling (GoogLeNet,
SqueezeNet), and ``--network`` against alexnet, vgg16, resnet18 and the spec files of
tests/fixtures/nets. Each mistake is listed in manifest.yaml beside its line, the token to blame
and what it should be, with the hand computation; the figures of the networks come from PyTorch
forward hooks (tests/fixtures/docs3/README.md).

* every planted mistake is found, on its line;
* nothing else is flagged;
* the blame names the token the manifest blames.
"""

from __future__ import annotations

import pytest
from corpus import FIXTURES, check_corpus, manifest, missed_and_false_alarms, totals, verify, wrong_blames

DOCS3 = FIXTURES / "docs3"
MANIFEST = manifest(DOCS3)


@pytest.fixture(scope="module")
def results():
    return check_corpus(MANIFEST, DOCS3)


def test_the_manifest_matches_its_documents():
    assert verify(MANIFEST, DOCS3) == []
    assert len(MANIFEST) >= 15
    assert not any(doc.get("layer_names") for doc in MANIFEST)


@pytest.mark.parametrize("doc", MANIFEST, ids=[doc["file"] for doc in MANIFEST])
def test_every_planted_mistake_is_found_and_nothing_else(doc, results):
    assert missed_and_false_alarms(doc, results[doc["file"]]) == ([], [])


@pytest.mark.parametrize("doc", [d for d in MANIFEST if d["mistakes"]], ids=[d["file"] for d in MANIFEST
                                                                             if d["mistakes"]])
def test_the_blame_names_the_wrong_token(doc, results):
    assert wrong_blames(doc, results[doc["file"]]) == []


def test_claims_name_the_layer_the_manifest_names(results):
    for doc in MANIFEST:
        claims = {c.line: c.layer for c in results[doc["file"]].wrong_claims}
        for m in doc["mistakes"] or []:
            if m["kind"] == "claim":
                assert claims.get(m["line"]) == m["layer"], (doc["file"], m["line"])


def test_corpus_totals(results):
    # 17 documents, 2 fully correct, 27 planted mistakes (README of the corpus): all found, and
    # one finding a line, none extra (a line with two findings would count twice here)
    assert (len(MANIFEST), sum(1 for doc in MANIFEST if doc["correct"])) == (17, 2)
    assert totals(MANIFEST, results) == (27, 27, 27)
    assert all(results[doc["file"]].status == "ok" for doc in MANIFEST if doc["correct"])
