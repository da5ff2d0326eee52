"""Each explanation of a wrong step (``symcnn.checkdoc.blame.EXPLANATIONS``) on its own.

For each, a document whose one wrong step it explains: the blame check-doc gives, the
explanation that gave it (the first in order that singles out one part), and the same blame
from that explanation alone. Every figure is worked out in a comment beside it.
"""

from __future__ import annotations

import pytest

from symcnn.checkdoc import blame, check_document

CASES = [
    # H_3 was set to 16; a chain that brings in H_4 and H_5 then claims H_3 is 8
    pytest.param("$H_3 = 16$\n\n$H_3 = H_4 = H_5 = 8$\n", "_name_set_earlier",
                 "H_3 = 16 (line 1), not 8", id="name-set-earlier"),
    # K^2 C N with C = 3: 6^2 x 3 x 96 = 36 x 288 = 10,368, the figure written; with C = 256
    # (set since): 36 x 256 x 96 = 884,736
    pytest.param("$K = 6$, $N = 96$, $C = 3$\n\nThen $C = 256$.\n\n$$K^{2} C N = 10,368$$\n", "_old_value",
                 "10,368 should be 884,736: 10,368 is the value with C = 3 (line 1), but C = 256 since line 3",
                 id="old-value"),
    # W_c = 11^2 x 3 x 96 = 121 x 288 = 34,848; 94,848 is put in for W_c: 34,848 + 96 = 34,944
    pytest.param("$$W_c = 11^{2} \\times 3 \\times 96 = 34,848$$\n\n$$P_c = W_c + B_c = 94,848 + 96 = 34,944$$\n",
                 "_value_put_in", "94,848 should be W_c = 34,848 (line 1)", id="value-put-in"),
    # 2 x 3 = 6, as the last side says: 7 is the side that is wrong
    pytest.param("$$x = 2 \\times 3 = 7 = 6$$\n", "_the_chain", "7 should be 6", id="the-chain"),
    # 1/3 = 0.333...: at the last digit written (hundredths) 0.33, not 0.34
    pytest.param("$$1/3 = 0.34$$\n", "_rounded_figure", "0.34 should be 0.33", id="rounded-figure"),
    # 25,088 x 4,096 = 102,760,448 and + 4,096 gives 102,764,544: the result leaves out the bias
    pytest.param("$$25,088 \\cdot 4,096 + 4,096 = 102,760,448$$\n", "_what_the_document_shows",
                 "102,760,448 should be 102,764,544: it leaves out + 4,096", id="left-out-term"),
    # 11^2 x 3 x 96 = 34,848 (above), + 96 = 34,944; 94,944 is one digit off it
    pytest.param("$K=11$, $C=3$, $N=96$\n\n$$W_{c}=K^{2}\\times C\\times N=11^{2}\\times 3\\times 96=34,848$$\n\n"
                 "$$P_{c}=W_{c}+96=94,944$$\n", "_one_slip", "94,944 should be 34,944", id="one-slip"),
]


def _recording(monkeypatch, explanations) -> list[str]:
    """Run blame with ``explanations`` only, noting which of them gave each blame."""
    gave: list[str] = []

    def noted(explain):
        def run(step):
            found = explain(step)
            if found is not None:
                gave.append(explain.__name__)
            return found

        return run

    monkeypatch.setattr(blame, "EXPLANATIONS", tuple(noted(e) for e in explanations))
    return gave


@pytest.mark.parametrize("doc, explanation, expected", CASES)
def test_the_first_explanation_that_fits_gives_the_blame(monkeypatch, doc, explanation, expected):
    gave = _recording(monkeypatch, blame.EXPLANATIONS)
    result = check_document(doc)
    assert [str(w.blame) for w in result.wrong] == [expected]
    assert gave == [explanation]


@pytest.mark.parametrize("doc, explanation, expected", CASES)
def test_each_explanation_alone(monkeypatch, doc, explanation, expected):
    alone = next(e for e in blame.EXPLANATIONS if e.__name__ == explanation)
    _recording(monkeypatch, [alone])
    result = check_document(doc)
    assert [str(w.blame) for w in result.wrong] == [expected]


def test_every_explanation_has_a_case():
    assert {e.__name__ for e in blame.EXPLANATIONS} == {case.values[1] for case in CASES}
