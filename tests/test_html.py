"""The HTML report in a real browser: Debian's headless Chromium, driven over the DevTools protocol.

For every built-in network: at its own input, at two other sizes set through the URL fragment
and through the control (and at a non-square one), every number the page shows equals
symcnn's own derivation at that size (``Network.derive``, not the page's closed forms); an
invalid size shows the message the command line prints; the page asks for nothing but
itself; its math is MathML (no TeX left in its text). Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction

import pytest
from conftest import ROOT, require_program

import symcnn
from symcnn.analysis import analyse
from symcnn.builders.zoo import BUILTIN
from symcnn.errors import SymcnnError
from symcnn.printing import terminating, thousands
from symcnn.views.report.files import filename

ARTIFACTS = ROOT / "tests" / "artifacts"
REPORTS = ROOT / "reports"


@pytest.fixture(scope="module")
def browser():
    from browser import Browser

    with Browser(require_program("chromium")) as b:
        yield b


def page_numbers(browser) -> list[tuple[list, str, bool]]:
    """Every number the page recomputes: (what it is, as the page's data names it; its text; shown)."""
    keys = browser.evaluate("JSON.parse(document.getElementById('symcnn-page').textContent).keys")
    found = browser.evaluate("""[...document.querySelectorAll('[data-k]')].map(e => [+e.dataset.k,
        e.dataset.q !== undefined ? e.innerHTML : e.textContent, e.getClientRects().length > 0,
        e.closest('[data-s]') ? !e.closest('[data-s]').classList.contains('off') : true])""")
    return [(keys[k], text, shown, side) for k, text, shown, side in found]


def expected(d, key: list):
    """What ``key`` names in the derivation ``d`` (a sympy number)."""
    match key:
        case ["input", i]:
            return d.input.dims[i]
        case ["total", what]:
            return getattr(d, f"total_{what}")
        case ["type", type]:
            return d.params_of(type)
        case ["step", layer, i, part]:
            step = d[layer].steps[i]
            if part == "value":
                return step.value
            if part == "quotient":
                return step.unrounded
            return next(v for s, v in step.values.items() if str(s) == part)
        case [layer, "output", i]:
            return d[layer].output.dims[i]
        case [layer, "inputs", j, i]:
            return d[layer].inputs[j].dims[i]
        case [layer, what]:
            return getattr(d[layer], what)
    raise AssertionError(key)


def quotient_text(q) -> str:
    """The rounded quotient as the report writes it: a decimal where it ends, else a fraction (MathML)."""
    digits = terminating(q, max_places=14)
    if digits is not None:
        return f"<mn>{digits}</mn>"
    f = Fraction(int(q.p), int(q.q))
    return f"<mfrac><mn>{f.numerator}</mn><mn>{f.denominator}</mn></mfrac>"


def check_numbers(browser, net: symcnn.Network, h: int, w: int) -> int:
    """Every number on the page equals the derivation at h x w; the count of numbers checked."""
    d = net.derive(f"{h}x{w}x{net.input.channels}")
    assert browser.evaluate("document.getElementById('message').textContent") == ""
    numbers = page_numbers(browser)
    assert numbers, "the page recomputes no number"
    checked = 0
    for key, text, shown, side in numbers:
        if key[0] == "step" and h != w:
            assert not shown, key  # the worked steps are shown for a square input only
            continue
        want = expected(d, key)
        if key[-1] == "quotient":
            # shown where the rounding changed the quotient, with the quotient it rounded
            assert side == (want is not None), key
            if want is not None:
                assert text == quotient_text(want), key
        else:
            assert text == thousands(want), (key, text, want)
        checked += 1
    return checked


def sizes(net: symcnn.Network) -> tuple[int, int, int]:
    """Two valid sizes other than the network's own, and an invalid one (exact: not whole; floor:
    below the smallest input, or 0 where every size from 1 works)."""
    a = analyse(net)
    own = int(net.input.spatial[0])
    if a.exact_inputs is not None:
        m = a.exact_inputs[symcnn.I].modulus
        return own + m, own + 3 * m, own + 1
    return own + 32, own + 57, a.min_input - 1


def cli_message(net: symcnn.Network, size: int) -> str:
    """What ``symcnn summary NET --input SxSxC`` says of an invalid size (without ``symcnn: error:``
    and the command-line hint; a size below 1 is the ``input`` field's, where the command line
    names its flag)."""
    with pytest.raises(SymcnnError) as error:
        net.derive(f"{size}x{size}x{net.input.channels}")
    return str(error.value)


def open_page(browser, path, fragment: str = "") -> None:
    browser.open(path.as_uri() + fragment)
    assert browser.evaluate("document.getElementById('symcnn').dataset.ready") == "true"
    assert browser.console_errors() == []


def set_size(browser, h: int, w: int | None = None) -> None:
    """Type into the control as a reader does: the number field (and the width, height and width apart)."""
    browser.evaluate(f"""(() => {{
        const apart = document.getElementById('apart');
        if (apart && apart.checked !== {str(w is not None).lower()}) {{ apart.click(); }}
        for (const [id, v] of [['size-h', {h}], ['size-w', {w if w is not None else h}]]) {{
            const f = document.getElementById(id); f.value = v; f.dispatchEvent(new Event('input'));
        }}
    }})()""")


@pytest.mark.parametrize("name", BUILTIN)
def test_every_number_follows_the_input_size(browser, name):
    net = symcnn.load(name)
    path = REPORTS / filename(name, "html", "en")
    own = int(net.input.spatial[0])
    first, second, invalid = sizes(net)
    counted = {}

    open_page(browser, path)
    counted["own"] = check_numbers(browser, net, own, own)
    assert browser.requests() == [path.as_uri()]  # nothing but the page itself

    # no TeX left in what the page shows: its math is MathML
    shown = browser.evaluate("document.body.innerText")
    assert not re.search(r"\\[A-Za-z]+|\$|\^\{|_\{", shown), re.search(r".{30}(\\[A-Za-z]+|\$|\^\{|_\{).{30}", shown)
    assert browser.evaluate("document.querySelectorAll('math').length") > 10

    open_page(browser, path, f"#I={first}")
    counted["fragment"] = check_numbers(browser, net, first, first)
    set_size(browser, second)
    counted["control"] = check_numbers(browser, net, second, second)
    assert browser.evaluate("location.hash") == f"#I={second}"
    set_size(browser, first, second)
    counted["apart"] = check_numbers(browser, net, first, second)
    assert browser.evaluate("location.hash") == f"#H={first}&W={second}"

    ARTIFACTS.mkdir(exist_ok=True)
    browser.screenshot(ARTIFACTS / f"{name}.html.png")

    set_size(browser, invalid)
    assert browser.evaluate("document.getElementById('message').textContent") == cli_message(net, invalid)
    assert browser.evaluate("document.getElementById('symcnn').classList.contains('invalid')")
    assert browser.requests() == [path.as_uri()], browser.requests()  # the fragment is not sent
    assert all(counted.values()), counted


def test_messages_at_many_sizes_are_the_command_lines(browser):
    """Below the smallest input (a window larger than the padded input) and not whole (exact)."""
    for name, tried in [("alexnet", [50, 66, 100, 226, 228, 300, 1028]), ("lenet5", [20, 27, 31]),
                        ("vgg16", [5, 16, 31]), ("alexnet-paper", [30, 66])]:
        net = symcnn.load(name)
        open_page(browser, REPORTS / filename(name, "html", "en"))
        for size in tried:
            set_size(browser, size)
            assert browser.evaluate("document.getElementById('message').textContent") == cli_message(net, size), size


def test_korean_page(browser):
    path = REPORTS / filename("alexnet", "html", "ko")
    open_page(browser, path, "#I=259")
    assert browser.evaluate("document.documentElement.lang") == "ko"
    assert "출력 텐서 크기" in browser.evaluate("document.body.innerText")
    check_numbers(browser, symcnn.load("alexnet"), 259, 259)


def test_page_data_is_json_without_a_closing_tag():
    text = (REPORTS / filename("alexnet", "html", "en")).read_text(encoding="utf-8")
    data = re.search(r'<script type="application/json" id="symcnn-page">(.*?)</script>', text, re.S).group(1)
    assert json.loads(data)["network"] == "alexnet"


def test_user_text_is_escaped(browser, tmp_path):
    names = ["<b>bold</b>", 'a&b "q"', "</script><script>window.hacked = 1</script>", "$x$ \\frac{1}{2}"]
    net = symcnn.Network("odd<&>", "32x32x3", [
        symcnn.Conv2d(names[0], channels=4, kernel=3, padding=1), symcnn.MaxPool2d(names[1], kernel=2),
        symcnn.ReLU(names[2]), symcnn.Linear(names[3], features=10)])
    path = tmp_path / "odd.html"
    path.write_text(symcnn.report(net, "html"), encoding="utf-8")
    open_page(browser, path, "#I=64")
    assert browser.evaluate("window.hacked") is None
    assert browser.evaluate("document.querySelectorAll('script').length") == 2
    assert browser.evaluate("document.querySelectorAll('b').length") == 0
    shown = browser.evaluate("document.body.innerText")
    assert all(name in shown for name in names) and "odd<&>" in shown
    # conv 3x3 with padding 1 keeps 64; the pool halves it: the FC sees 32 x 32 x 4 = 4,096 values,
    # 4,096 x 10 + 10 = 40,970 parameters, and the conv 3 x 3 x 3 x 4 + 4 = 112
    assert check_numbers(browser, net, 64, 64) > 0
    assert browser.evaluate("document.querySelector('tfoot').innerText").split("\t")[5] == f"{40_970 + 112:,}"


def test_figures_mark_the_size_chosen(browser):
    open_page(browser, REPORTS / filename("alexnet", "html", "en"), "#I=259")
    figures = browser.evaluate("""[...document.querySelectorAll('figure svg')].map(s => {
        const m = s.querySelector('[data-marker]');
        return [s.dataset.what, +m.getAttribute('x1'), m.style.display, +m.dataset.i0, +m.dataset.x0,
                +m.dataset.i1, +m.dataset.x1];
    })""")
    assert [f[0] for f in figures] == ["size", "macs"]
    for what, x, display, i0, x0, i1, x1 in figures:
        assert display == "" and abs(x - (x0 + (259 - i0) * (x1 - x0) / (i1 - i0))) < 1e-6, what
    set_size(browser, 259, 291)  # the figures are in I: no marker for a non-square input
    assert browser.evaluate("[...document.querySelectorAll('[data-marker]')].map(m => m.style.display)") == [
        "none", "none"]


def test_a_page_made_at_a_non_square_input(browser, tmp_path):
    # 230x200: conv 3x5, stride 2, floor: H floor((230 - 3)/2) + 1 = 114, W floor((200 - 5)/2) + 1 = 98
    net = symcnn.Network("rect", "230x200x3", [symcnn.Conv2d("c", channels=2, kernel=(3, 5), stride=2),
                                               symcnn.Flatten("flat"), symcnn.Linear("fc", features=3)],
                         rounding="floor")
    path = tmp_path / "rect.html"
    path.write_text(symcnn.report(net, "html"), encoding="utf-8")
    open_page(browser, path)
    assert check_numbers(browser, net, 230, 200) > 0
    steps = "getComputedStyle(document.querySelector('.steps')).display"
    assert browser.evaluate(steps) != "none"  # its own steps, per axis
    assert "114x98x2" in browser.evaluate("document.body.innerText")
    open_page(browser, path, "#I=150")
    assert check_numbers(browser, net, 150, 150) > 0
    assert browser.evaluate(steps) == "none"  # worked out at 230x200 only: not shown at another input


def test_a_declared_input_size(browser, tmp_path):
    # conv 3x3 without padding: I - 2; 4 channels; the FC declares 3,600 = 4 x 30 x 30 inputs, so
    # 32x32 fits, and so does 27x38 (4 x 25 x 36 = 3,600); 40x40 gives 4 x 38 x 38 = 5,776
    net = symcnn.Network("d", "32x32x3", [symcnn.Conv2d("c", channels=4, kernel=3), symcnn.Flatten("f"),
                                          symcnn.Linear("fc", features=10, in_features=3600)], rounding="floor")
    path = tmp_path / "declared.html"
    path.write_text(symcnn.report(net, "html"), encoding="utf-8")
    open_page(browser, path, "#H=27&W=38")
    assert check_numbers(browser, net, 27, 38) > 0
    set_size(browser, 40)
    shown = browser.evaluate("document.getElementById('message').textContent")
    # the command line's words; it lists the sizes that fit nearest to the one given first
    assert shown.split("; the input sizes")[0] == cli_message(net, 40).split("; the input sizes")[0]
    assert shown.startswith("fc (input 5776): declares in_features = 3,600, but its input has length 5,776")
