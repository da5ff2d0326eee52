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

import sys
from pathlib import Path

import pytest
import yaml
from test_checkdoc_corpus import findings, normal

from symcnn.views.checkdoc import check_file

DOCS3 = Path(__file__).resolve().parent / "fixtures" / "docs3"
MANIFEST = yaml.safe_load((DOCS3 / "manifest.yaml").read_text(encoding="utf-8"))


def network_of(doc: dict) -> str | None:
    """A built-in network's name, or the spec file (of tests/fixtures/nets) the document names."""
    network = doc.get("network")
    if network is None:
        return None
    return str(DOCS3 / network) if (DOCS3 / network).is_file() else network


@pytest.fixture(scope="module")
def results():
    return {doc["file"]: check_file(DOCS3 / doc["file"], network=network_of(doc)) for doc in MANIFEST}


def test_the_manifest_matches_its_documents():
    folder = Path(__file__).resolve().parent / "fixtures" / "docs"
    sys.path.insert(0, str(folder))
    try:
        import verify_manifest
    finally:
        sys.path.remove(str(folder))
    assert verify_manifest.check(MANIFEST, DOCS3) == []
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
        if blamed is None or normal(blamed) != normal(m["blame"]):
            wrong_blames.append((m["line"], m["blame"], blamed))
    assert wrong_blames == []


def test_claims_name_the_layer_the_manifest_names(results):
    for doc in MANIFEST:
        claims = {c.line: c.layer for c in results[doc["file"]].wrong_claims}
        for m in doc["mistakes"] or []:
            if m["kind"] == "claim":
                assert claims.get(m["line"]) == m["layer"], (doc["file"], m["line"])


def test_corpus_totals(results):
    # 17 documents, 2 fully correct, 27 planted mistakes (README of the corpus): all found, and
    # one finding a line, none extra (a line with two findings would count twice here)
    planted = sum(len(doc["mistakes"] or []) for doc in MANIFEST)
    found = sum(1 for doc in MANIFEST for m in doc["mistakes"] or [] if m["line"] in findings(results[doc["file"]]))
    flagged = sum(len(hits) for r in results.values() for hits in findings(r).values())
    assert (len(MANIFEST), sum(1 for doc in MANIFEST if doc["correct"])) == (17, 2)
    assert (planted, found, flagged) == (27, 27, 27)
    assert all(results[doc["file"]].status == "ok" for doc in MANIFEST if doc["correct"])
