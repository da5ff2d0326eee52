"""The reports and the document checker agree: every report symcnn renders checks clean."""

import pytest

import symcnn
from symcnn.builders.zoo import BUILTIN
from symcnn.checkdoc import check_document

CASES = [
    pytest.param("alexnet", None, None, id="alexnet"),
    pytest.param("alexnet", "224x224x3", "floor", id="alexnet-224-floor"),
    pytest.param("alexnet", "224x224x3", "ceil", id="alexnet-224-ceil"),
]
ZOO = [name for name in BUILTIN if name != "alexnet"]


def check(text: str, name: str, fmt: str):
    return check_document(text, name=f"{name}.{fmt}", syntax="markdown" if fmt == "md" else "latex")


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("fmt", ["md", "tex"])
@pytest.mark.parametrize("network, size, rounding", CASES)
def test_report_checks_clean(network, size, rounding, fmt, lang):
    result = check(symcnn.report(network, fmt, lang=lang, input=size, rounding=rounding), network, fmt)
    assert result.wrong == ()
    # Every layer's worked equations are numeric chains the checker evaluates: AlexNet has
    # 8 output-size steps (5 conv, 3 pool) and 3 parameter steps for each of its 8
    # conv/FC layers, 32 in all, and the report shows each at least once.
    assert result.checked >= 32


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("fmt", ["md", "tex"])
@pytest.mark.parametrize("network", ZOO)
def test_zoo_report_checks_clean(network, fmt, lang):
    d = symcnn.load(network).derive()
    result = check(symcnn.report(network, fmt, lang=lang), network, fmt)
    assert result.wrong == ()
    # at least one numeric chain per layer that has worked steps
    assert result.checked >= sum(1 for ld in d.layers if ld.steps)


REPORTS = sorted((__import__("pathlib").Path(__file__).parent.parent / "reports").iterdir())


@pytest.fixture(scope="module")
def derived():
    """Each built-in network derived once (the reports' own networks)."""
    cache: dict = {}
    return lambda name: cache.setdefault(name, symcnn.load(name).derive())


@pytest.mark.parametrize("path", REPORTS, ids=[p.name for p in REPORTS])
def test_every_committed_report_checks_clean_with_its_network(path, derived):
    # what `symcnn check-doc reports/NET.* --network NET` reads: the file as committed, its
    # arithmetic and what it says about NET's layers; a report is right, so nothing is wrong
    from symcnn.checkdoc import check_file

    network = path.name.split(".")[0]
    plain = check_file(str(path))
    assert plain.wrong == ()
    result = check_file(str(path), network=derived(network))
    assert result.wrong == ()
    assert [c for c in result.claims if not c.ok] == []
    # the network's layers were read: every report names each layer with its output size
    assert len(result.claims) >= sum(1 for d in derived(network).layers if d.type in ("conv", "fc"))
