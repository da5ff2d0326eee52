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

import re
import sys
from pathlib import Path

import pytest
import yaml

from symcnn.views.checkdoc import check_file

DOCS = Path(__file__).resolve().parent / "fixtures" / "docs"
MANIFEST = yaml.safe_load((DOCS / "manifest.yaml").read_text(encoding="utf-8"))


def normal(written: str) -> str:
    """A token as the document writes it, compared whatever its spelling: ``34{,}848`` and
    ``34,848``, ``55\\times 55`` and ``55x55``."""
    text = str(written).replace("{,}", ",").replace("\\,", "")
    text = re.sub(r"\\times|\\cdot|[×·*]", "x", text)
    return re.sub(r"\s+", "", text)


def findings(result) -> dict[int, list[tuple[str, str | None]]]:
    """What the checker flagged, by line: (kind, the token it blames or None)."""
    found: dict[int, list[tuple[str, str | None]]] = {}
    for w in result.wrong:
        found.setdefault(w.line, []).append(("step", w.blame.written if w.blame is not None else None))
    for c in result.wrong_claims:
        found.setdefault(c.line, []).append(("claim", c.written))
    return found


@pytest.fixture(scope="module")
def results():
    return {doc["file"]: check_file(DOCS / doc["file"], network=doc.get("network"),
                                    layer_names=doc.get("layer_names") or None) for doc in MANIFEST}


def test_the_manifest_matches_its_documents():
    sys.path.insert(0, str(DOCS))
    try:
        import verify_manifest
    finally:
        sys.path.remove(str(DOCS))
    assert verify_manifest.check(MANIFEST) == []
    assert len(MANIFEST) >= 20
    assert sum(1 for doc in MANIFEST if doc["correct"]) >= 6


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
        if m["blame"] == "both":
            ok = kind == "step" and blamed is None
        else:
            ok = blamed is not None and normal(blamed) == normal(m["blame"])
        if not ok:
            wrong_blames.append((m["line"], m["blame"], blamed))
    assert wrong_blames == []


def test_corpus_totals(results):
    # 25 documents, 77 planted mistakes (README of the corpus): all found, none extra.
    planted = sum(len(doc["mistakes"] or []) for doc in MANIFEST)
    found = sum(1 for doc in MANIFEST for m in doc["mistakes"] or [] if m["line"] in findings(results[doc["file"]]))
    flagged = sum(len(hits) for r in results.values() for hits in findings(r).values())
    assert (planted, found, flagged) == (77, 77, 77)
    assert all(results[doc["file"]].status == "ok" for doc in MANIFEST if doc["correct"])
