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

import sys
from pathlib import Path

import pytest
import yaml
from test_checkdoc_corpus import findings, normal

from symcnn.views.checkdoc import check_file

DOCS2 = Path(__file__).resolve().parent / "fixtures" / "docs2"
MANIFEST = yaml.safe_load((DOCS2 / "manifest.yaml").read_text(encoding="utf-8"))


def network_of(doc: dict) -> str | None:
    """A built-in network's name, or the spec file of this folder the document names."""
    network = doc.get("network")
    if network is None:
        return None
    return str(DOCS2 / network) if (DOCS2 / network).is_file() else network


@pytest.fixture(scope="module")
def results():
    return {doc["file"]: check_file(DOCS2 / doc["file"], network=network_of(doc)) for doc in MANIFEST}


def test_the_manifest_matches_its_documents():
    folder = Path(__file__).resolve().parent / "fixtures" / "docs"
    sys.path.insert(0, str(folder))
    try:
        import verify_manifest
    finally:
        sys.path.remove(str(folder))
    assert verify_manifest.check(MANIFEST, DOCS2) == []
    assert len(MANIFEST) >= 15
    assert not any(doc.get("layer_names") for doc in MANIFEST)


@pytest.mark.parametrize("doc", MANIFEST, ids=[doc["file"] for doc in MANIFEST])
def test_every_planted_mistake_is_found_and_nothing_else(doc, results):
    found = findings(results[doc["file"]])
    planted = {m["line"]: m for m in doc["mistakes"] or []}
    missed = [f"{line}: {m['text']}" for line, m in sorted(planted.items()) if line not in found]
    false_alarms = [f"{line}: {hits}" for line, hits in sorted(found.items()) if line not in planted]
    assert (missed, false_alarms) == ([], [])


@pytest.mark.parametrize("doc", [d for d in MANIFEST if d["mistakes"]], ids=[d["file"] for d in MANIFEST
                                                                             if d["mistakes"]])
def test_the_blame_names_the_wrong_token(doc, results):
    found = findings(results[doc["file"]])
    wrong_blames = []
    for m in doc["mistakes"]:
        kind, blamed = found.get(m["line"], [("none", None)])[0]
        ok = blamed is not None and normal(blamed) == normal(m["blame"])
        if not ok:
            wrong_blames.append((m["line"], m["blame"], blamed))
    assert wrong_blames == []


def test_corpus_totals(results):
    # 19 documents, 8 fully correct, 22 planted mistakes (README of the corpus): all found, none extra
    planted = sum(len(doc["mistakes"] or []) for doc in MANIFEST)
    found = sum(1 for doc in MANIFEST for m in doc["mistakes"] or [] if m["line"] in findings(results[doc["file"]]))
    flagged = sum(len(hits) for r in results.values() for hits in findings(r).values())
    assert (len(MANIFEST), sum(1 for doc in MANIFEST if doc["correct"])) == (19, 8)
    assert (planted, found, flagged) == (22, 22, 22)
    assert all(results[doc["file"]].status == "ok" for doc in MANIFEST if doc["correct"])


def test_names_read_from_their_form_are_reported_with_the_documents_name(results):
    # conv3_x in the thesis-style tables, C3 in the Korean post, FC-7 in the Chinese one: the
    # claims say which layer of the network the name was read as
    ko = results["ko_lenet5_velog.md"]
    assert [(c.layer, c.called, c.claimed) for c in ko.wrong_claims] == [("features.5", "S4", "5x5x6")]
    zh = results["zh_alexnet_zhihu.md"]
    assert {(c.layer, c.called) for c in zh.claims if c.called} == {("fc1", "FC6"), ("fc2", "FC7"), ("fc3", "FC8")}
