"""What the HTML report's page recomputes, and how: its numbers as closed forms compiled to JavaScript.

Every number of a report that depends on the input size is, in the network's analysis, a
closed form in ``I`` (or in ``H`` and ``W``). A :class:`LivePage` gives each such number of the
page an expression; :func:`javascript` compiles the expressions into functions of ``(h, w)``
in exact rational arithmetic on ``BigInt`` (a count may pass 2^53, and a float would round a
floor wrongly), which the page's script evaluates when the reader changes the input size.

The worked steps are recomputed too: a step's values are put into its general formula as
:class:`Live` placeholders, printed ``\\live{e,k}{227}`` in LaTeX (see :mod:`.mathml`) and
``§e§`` in text (for the checks' messages; ``¤e¤`` where the engine writes no thousands
separators), so the page writes the same formula with its
own numbers. The page says an input is not valid with the words of the engine's checks
(:data:`symcnn.steps.NOT_WHOLE`, :data:`symcnn.steps.TOO_SMALL`).
"""

from __future__ import annotations

import json
from typing import Any

from sympy import Add, Basic, Dummy, Mul, Pow, Symbol, ceiling, evaluate, floor

from ...analysis import Analysis
from ...errors import SymcnnError
from ...formulas import formula
from ...numbers import TEX, every_digit
from ...printing import tex, text, tidy
from ...records import LayerDerivation, Step
from ...shape import Shape
from ...steps import NOT_WHOLE, TOO_SMALL, WINDOW, output_label, window
from ...symbols import H, I, P_s, W
from .data import ReportData, shown_quotient, sides


class NotLive(Exception):
    """An expression the page cannot recompute (a symbol other than the input size, a piecewise rule)."""


class Live(Dummy):
    """A number the page recomputes: expression ``e`` of the page, the ``k``-th live element,
    shown as ``shown`` (its value at the report's input) until the reader changes the size."""

    e: int
    k: int
    shown: Basic
    command: str

    def __new__(cls, e: int, k: int, shown: Basic, command: str = "live"):
        obj = super().__new__(cls, f"live{e}")
        obj.e, obj.k, obj.shown, obj.command = e, k, shown, command
        return obj

    def _latex(self, printer) -> str:
        # every digit: the page reads the number back (a person's text elides a huge one)
        shown = every_digit(int(self.shown), TEX) if self.shown.is_Integer else printer._print(self.shown)
        return rf"\{self.command}{{{self.e},{self.k}}}{{{shown}}}"

    def _sympystr(self, printer) -> str:
        return f"§{self.e}§"


def javascript(expr: Basic, symbols: tuple[Symbol, ...]) -> str:
    """``expr`` as a JavaScript expression in the page's exact rationals (``[n, d]`` of BigInt).

    The input size(s) are ``h`` and ``w`` (``I`` is ``h``); ``S`` adds, ``P`` multiplies,
    ``E`` raises to a whole power, ``F`` and ``C`` are floor and ceiling.

    >>> from sympy import floor, Rational
    >>> javascript(floor(I/4 - Rational(7, 4)) + 1, (I,))
    'S([1n,1n],F(S([-7n,4n],P([1n,4n],h))))'
    """
    names = {I: "h"} if symbols == (I,) else {H: "h", W: "w"}

    def go(e: Basic) -> str:
        if e in names:
            return names[e]
        if e.is_Rational:
            return f"[{e.p}n,{e.q}n]"
        if isinstance(e, Add):
            return "S(" + ",".join(go(a) for a in e.args) + ")"
        if isinstance(e, Mul):
            return "P(" + ",".join(go(a) for a in e.args) + ")"
        if isinstance(e, Pow) and e.exp.is_Integer:
            return f"E({go(e.base)},{int(e.exp)})"
        if isinstance(e, floor):
            return f"F({go(e.args[0])})"
        if isinstance(e, ceiling):
            return f"C({go(e.args[0])})"
        raise NotLive(f"the page cannot compute {e}")

    return go(expr)


def _depends(expr: Basic, symbols: tuple[Symbol, ...]) -> bool:
    free = expr.free_symbols
    if free and not free <= set(symbols):
        if free & set(symbols):
            raise NotLive(f"{expr} depends on the input size and on other symbols")
        return False
    return bool(free)


class LivePage:
    """The live numbers of one HTML page: their expressions, what each element shows, the checks.

    ``steps`` is the analysis in ``I`` (the worked steps of a square input); ``table`` the one
    the sizes and counts are read from: in ``H`` and ``W`` where the network has it, so that a
    reader may pick a non-square input.
    """

    def __init__(self, data: ReportData):
        self.data = data
        self.steps: Analysis | None = data.analysis
        self.table: Analysis | None = data.analysis_hw or data.analysis
        self.expressions: list[str] = []
        self._index: dict[Basic, int] = {}
        self.keys: list[list[Any]] = []
        self.problem = ""
        self._symbolic: dict[int, tuple[Step, str, int]] = {}
        d = data.derivation
        self.square = d.input.rank == 2 and d.input.spatial[0] == d.input.spatial[1]
        if self.steps is None:
            self.problem = data.reason or "no closed forms"
            return
        if self.table is not None and self.table.stopped is not None:  # in H and W: keep to I
            self.table = self.steps
        if self.steps.stopped is not None:
            self.problem = self.steps.stopped.text()
            return
        if self.steps.stops_at:  # an opaque layer: nothing after it has a closed form to recompute
            self.problem = f"the closed forms stop before {self.steps.stops_at} (opaque: not derived)"
            return
        assert self.table is not None
        if not all(v.is_Integer for v in self.table.min_inputs.values()):
            self.problem = "the smallest input is a formula of the hyper-parameters"
            return
        self._precheck()
        if self.square and self.live:
            for ld in d.layers:
                self._match(ld)

    def _precheck(self) -> None:
        """Whether the page can recompute everything it shows (decided before the page's control is
        written): every closed form either depends on the input size alone, or not at all."""
        assert self.table is not None and self.steps is not None
        exprs: list[Basic] = [self.table.params, self.table.macs, self.table.activations]
        for ld in self.table.derivation.layers:
            exprs += [*ld.output.dims, *(x for s in ld.inputs for x in s.dims), ld.weights, ld.biases, ld.buffers]
        for ld in self.steps.derivation.layers:
            exprs += [x for s in ld.steps for x in (s.value, *s.values.values())]
        try:
            for expr in exprs:
                if _depends(expr, self.table.symbols if I not in expr.free_symbols else (I,)):
                    javascript(expr, self.table.symbols if I not in expr.free_symbols else (I,))
        except NotLive as e:
            self.problem = str(e)

    @property
    def live(self) -> bool:
        return not self.problem

    # -- expressions --------------------------------------------------------------------------

    def expression(self, expr: Basic, symbols: tuple[Symbol, ...]) -> int | None:
        """The index of ``expr`` among the page's expressions; None where it is the same at every size."""
        if not self.live:
            return None
        try:
            if not _depends(expr, symbols):
                return None
            if expr not in self._index:
                self.expressions.append(javascript(expr, symbols))
                self._index[expr] = len(self.expressions) - 1
        except NotLive as e:
            self.problem = str(e)
            return None
        return self._index[expr]

    def key(self, key: list[Any]) -> int:
        self.keys.append(key)
        return len(self.keys) - 1

    # -- what a key of the report names ---------------------------------------------------------

    def resolve(self, key: tuple) -> Any:
        """The closed form (or shape, or shapes) that ``key`` names in :attr:`table`."""
        assert self.table is not None
        d = self.table.derivation
        match key:
            case ("input",):
                return d.input
            case ("total", what):
                return getattr(self.table, what) if what in ("params", "macs", "activations") else d.total(what)
            case ("type", type):
                return d.total("params", type)  # as sympy: the totals the API gives are ints where numeric
            case (layer, what):
                return getattr(d[layer], what)
        raise KeyError(key)

    def number(self, key: tuple | None) -> tuple[int, int] | None:
        """``(expression, element)`` for a number the page recomputes, or None."""
        if key is None or not self.live or self.table is None:
            return None
        e = self.expression(self.resolve(key), self.table.symbols)
        return None if e is None else (e, self.key(list(key)))

    def dims(self, shape: Shape, key: tuple | None) -> list[tuple[int, int] | None]:
        """For each size of ``shape``: ``(expression, element)`` where the page recomputes it."""
        if key is None or not self.live or self.table is None:
            return [None] * len(shape.dims)
        target = self.resolve(key[:2])
        if len(key) == 3:
            target = target[key[2]]
        out = []
        for i, dim in enumerate(target.dims):
            e = self.expression(dim, self.table.symbols)
            out.append(None if e is None else (e, self.key([*key, i])))
        return out

    # -- steps --------------------------------------------------------------------------------

    def _match(self, ld: LayerDerivation) -> None:
        """Pair each step of ``ld`` with the same step of the analysis in I."""
        assert self.steps is not None
        symbolic = self.steps.derivation[ld.name]
        if [(s.formula, s.symbol, s.axis) for s in symbolic.steps] != [(s.formula, s.symbol, s.axis)
                                                                        for s in ld.steps]:
            return
        for i, (s, t) in enumerate(zip(ld.steps, symbolic.steps)):
            self._symbolic[id(s)] = (t, ld.name, i)

    def step_sides(self, step: Step) -> tuple[list[str], int | None]:
        """The sides of ``step`` in LaTeX with live placeholders, and which of them (if any) is the
        rounded quotient (shown only where the rounding changed it)."""
        found = self._symbolic.get(id(step)) if self.live else None
        if found is None:
            return [tex(s) for s in sides(step)], None
        symbolic, layer, i = found
        where = [layer, i]
        values: dict[Basic, Basic] = {}
        for sym, value in step.values.items():
            e = self.expression(symbolic.values[sym], (I,))
            values[sym] = value if e is None else Live(e, self.key(["step", *where, str(sym)]), value)
        substituted = tidy(step.general, values)
        e = self.expression(symbolic.value, (I,))
        value = step.value if e is None else Live(e, self.key(["step", *where, "value"]), step.value)
        shown = step.chain()  # which sides the step shows: the same at every size
        chain: list[Basic] = [step.general]
        if any(side is step.substituted for side in shown):
            chain.append(substituted)
        if shown[-1] is step.value:
            chain.append(value)
        out = [tex(s) for s in chain]
        quotient = self._quotient(step, symbolic, substituted, where)
        if quotient is None:
            return out, None
        out.insert(len(out) - 1, quotient[0])
        return out, quotient[1]

    def _quotient(self, step: Step, symbolic: Step, substituted: Basic, where: list) -> tuple[str, int] | None:
        """The side ``floor(53.25) + 1`` of a rounded step, as it shows at any size."""
        brackets = list(substituted.atoms(floor, ceiling))
        if step.rounding in (None, "exact") or len(brackets) != 1:
            return None
        division = formula(step.formula, step.rounding).quotient
        if division is None:
            return None
        num, den = division
        q = num.xreplace(dict(symbolic.values)) / den.xreplace(dict(symbolic.values))
        e = self.expression(q, (I,))
        if e is None:
            return None
        shown = shown_quotient(step.unrounded) if step.unrounded is not None else step.value
        node = brackets[0]
        with evaluate(False):
            side = substituted.xreplace({node: node.func(Live(e, self.key(["step", *where, "quotient"]), shown,
                                                               "liveq"), evaluate=False)})
        return tex(side), e

    # -- checks -----------------------------------------------------------------------------------

    def checks(self) -> list[dict[str, Any]]:
        """The engine's checks of every division, in the order it makes them, for the page to say
        why an input is not valid: each with its words filled but for the numbers."""
        if not self.live or self.table is None:
            return []
        symbols = self.table.symbols
        out = []
        for ld in self.table.derivation.layers:
            inputs = ", ".join(self._text_shape(s, symbols) for s in ld.inputs)
            for s in ld.steps:
                if s.rounding is None:
                    continue
                f = formula(s.formula, s.rounding)
                if f.quotient is None:
                    continue
                values = {sym: self._placeholder(v, symbols) for sym, v in s.values.items()}
                numerator = f.quotient[0].xreplace(dict(s.values))
                quotient = numerator / f.quotient[1].xreplace(dict(s.values))
                n, q = self.expression(numerator, symbols), self.expression(quotient, symbols)
                if n is None or q is None:
                    continue  # the same at every size: it holds at the report's input
                slides = window(s.values)
                out.append({
                    "where": f"{ld.name} (input {inputs})",
                    "label": output_label(s.axis or _first_axis(ld)),
                    "substituted": text(tidy(s.general, values)),
                    "numerator": n, "quotient": q, "value": self.expression(s.value, symbols),
                    "exact": s.rounding == "exact",
                    "overhang": s.rounding == "ceil" and P_s in s.values,
                    "window": (WINDOW.format(kind=slides[0], size=text(slides[1]), padded="§p§") + ": ") if slides
                    else "",
                    "padded": self._text_number(slides[2], symbols) if slides and slides[2] is not None else "",
                })
        return out

    def _analysis_words(self) -> dict[str, str]:
        """What the analysis says of an input below the smallest, or against exact rounding's
        congruence (``§s§`` the size's symbol, ``§v§`` its value): the page's last word, where
        no check of a division has spoken."""
        assert self.table is not None
        table, words = self.table, {}
        try:
            Shape.of("0x0x3")
        except SymcnnError as e:
            words["not_a_size"] = str(e).replace("0x0x3", "§v§")
        s = table.symbols[0]
        trials = {"below": 0}
        c = (table.exact_inputs or {}).get(s)
        if c is not None and c.modulus > 1:
            off = next(r for r in range(c.modulus) if r not in c.residues)
            trials["not_congruent"] = c.modulus * 10**9 + off  # above the smallest, off the congruence
        for name, size in trials.items():
            try:
                table.values_at(size)
            except SymcnnError as e:
                words[name] = str(e).replace(f"{s} = {size}", "§s§ = §v§").replace(f"needs {s} ", "needs §s§ ")
        return words

    def fits(self) -> list[dict[str, Any]]:
        """The input sizes the layers declare (a Linear's ``in_features``): where what reaches a
        layer is not what it declares, the page says so as the engine does."""
        assert self.table is not None
        out = []
        for fit in self.table.fits:
            e = self.expression(fit.derived, self.table.symbols)
            if e is None:
                continue
            inputs = ", ".join(self._text_shape(s, self.table.symbols) for s in self.table.derivation[fit.layer].inputs)
            out.append({"where": f"{fit.layer} (input {inputs})", "derived": e, "declared": int(fit.declared),
                        "message": self.table.mismatch(fit, Live(e, -1, fit.declared))})
        return out

    def equal(self) -> list[dict[str, Any]]:
        """The merges whose inputs have equal sizes for some inputs only: where they differ, the page
        says so as the engine does (their sizes, evaluated on the page)."""
        assert self.table is not None
        out = []
        symbols = self.table.symbols
        for m in self.table.matches:
            a, b = (self.expression(v, symbols) for v in m.equal.sizes)
            if a is None or b is None:
                continue
            d = self.table.derivation[m.layer]
            names = m.equal.inputs
            read = list(getattr(d.layer, "inputs", ()))
            shapes = [self._text_shape(d.inputs[read.index(n)], symbols) for n in names]
            inputs = ", ".join(self._text_shape(s, symbols) for s in d.inputs)
            out.append({"where": f"{m.layer} (input {inputs})", "a": a, "b": b,
                        "message": f"inputs {names[0]!r} ({shapes[0]}) and {names[1]!r} ({shapes[1]}) {m.equal.what}"})
        return out

    def _placeholder(self, value: Basic, symbols) -> Basic:
        e = self.expression(value, symbols)
        return value if e is None else Live(e, -1, value)

    def _text_number(self, value: Basic, symbols) -> str:
        e = self.expression(value, symbols)
        return text(value) if e is None else f"§{e}§"

    def _text_shape(self, shape: Shape, symbols) -> str:
        """A layer's input as an error names it (``str(Shape)``: no separators; ``¤e¤`` a live size)."""
        return "x".join(str(d) if (e := self.expression(d, symbols)) is None else f"¤{e}¤" for d in shape.dims)

    # -- the page's data --------------------------------------------------------------------------

    def script(self) -> tuple[str, str]:
        """The page's data (JSON) and its compiled expressions (JavaScript)."""
        data: dict[str, Any] = {"live": self.live, "problem": self.problem}
        if self.live and self.table is not None:
            d = self.data.derivation
            table = self.table
            checks = self.checks()
            data.update(
                network=d.name, rounding=d.rounding, channels=int(d.input.channels) if d.input.channels.is_Integer
                else None,
                input=[int(x) for x in d.input.spatial], square=self.square,
                symbols=[str(s) for s in table.symbols],
                min={str(s): int(v) for s, v in table.min_inputs.items()},
                congruence={str(s): [list(c.residues), c.modulus] for s, c in (table.exact_inputs or {}).items()},
                checks=checks, fits=self.fits(), equal=self.equal(), keys=self.keys,
                words={"too_small": TOO_SMALL, "not_whole": NOT_WHOLE, **self._analysis_words()},
            )
        code = ("function symcnnExpressions(S, P, E, F, C) {\n  return [\n"
                + "".join(f"    (h, w) => {e},\n" for e in self.expressions) + "  ];\n}")
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")), code


def _first_axis(ld: LayerDerivation) -> str | None:
    return ld.input.axes[0] if ld.input.rank else None


__all__ = ["LivePage", "Live", "javascript", "NotLive"]
