"""What the check-doc corpus tests share (tests/fixtures/docs, docs2, docs3): a corpus's
manifest, checking each of its documents with the network it names, and comparing what the
checker flagged with the mistakes the manifest plants."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from symcnn.checkdoc import check_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def manifest(folder: Path) -> list[dict]:
    """The documents of a corpus folder, as its manifest.yaml lists them."""
    return yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))


def network_of(doc: dict, folder: Path) -> str | None:
    """A built-in network's name, or the spec file (beside the documents) the document names."""
    network = doc.get("network")
    if network is None:
        return None
    return str(folder / network) if (folder / network).is_file() else network


def check_corpus(docs: list[dict], folder: Path) -> dict:
    """Each document checked, with its network and layer names: file name -> result."""
    return {doc["file"]: check_file(folder / doc["file"], network=network_of(doc, folder),
                                    layer_names=doc.get("layer_names") or None) for doc in docs}


def verify(docs: list[dict], folder: Path) -> list[str]:
    """The manifest's own problems against its documents (tests/fixtures/docs/verify_manifest.py)."""
    here = str(FIXTURES / "docs")
    sys.path.insert(0, here)
    try:
        import verify_manifest
    finally:
        sys.path.remove(here)
    return verify_manifest.check(docs, folder)


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


def missed_and_false_alarms(doc: dict, result) -> tuple[list[str], list[str]]:
    """The planted mistakes not found, and the lines flagged where nothing was planted."""
    found = findings(result)
    planted = {m["line"]: m for m in doc["mistakes"] or []}
    missed = [f"{line}: {m['text']}" for line, m in sorted(planted.items()) if line not in found]
    false_alarms = [f"{line}: {hits}" for line, hits in sorted(found.items()) if line not in planted]
    return missed, false_alarms


def wrong_blames(doc: dict, result) -> list[tuple]:
    """The mistakes whose first finding blames another token than the manifest (``both``: no
    single token, so none)."""
    found = findings(result)
    wrong = []
    for m in doc["mistakes"] or []:
        kind, blamed = found.get(m["line"], [("none", None)])[0]
        if m["blame"] == "both":
            ok = kind == "step" and blamed is None
        else:
            ok = blamed is not None and normal(blamed) == normal(m["blame"])
        if not ok:
            wrong.append((m["line"], m["blame"], blamed))
    return wrong


def totals(docs: list[dict], results: dict) -> tuple[int, int, int]:
    """(mistakes planted, planted mistakes found, findings in all)."""
    planted = sum(len(doc["mistakes"] or []) for doc in docs)
    found = sum(1 for doc in docs for m in doc["mistakes"] or [] if m["line"] in findings(results[doc["file"]]))
    flagged = sum(len(hits) for r in results.values() for hits in findings(r).values())
    return planted, found, flagged
