"""Whole-network analysis: closed forms in the input size, valid inputs, compute, receptive fields.

The network is derived once with a symbolic input (``I x I``, or ``H x W``); after each
layer its record is rewritten so that nested floors (or ceilings) collapse into one, by

    floor((floor(u) + c)/b) = floor((u + c)/b)      for a whole b > 0 and an integer c

(and the same for ceiling). *Why it holds:* ``n = floor(u) + c = floor(u + c)`` as c is
whole, and for a whole ``b > 0`` and any real y, ``floor(floor(y)/b) = floor(y/b)``: with
``q = floor(y/b)``, ``q b <= y`` gives ``q b <= floor(y)`` (q b is whole), and
``floor(y) <= y < (q + 1) b`` gives ``floor(y)/b < q + 1``. Taking ``y = u + c``
yields the rule; the issue's form ``floor((floor(x/a) + c)/b) = floor((x + a c)/(a b))``
is the case ``u = x/a``. Where the constant is a fraction, ``floor(n/b + beta) =
floor((n + floor(b beta))/b)`` for whole n first makes it whole (ceiling: ``ceil(b beta)``).
Each layer's inputs are already collapsed, so each rewrite only touches the few nodes the
layer added: the work grows linearly with the depth.

>>> from symcnn import load, I
>>> a = load("alexnet").analyse("floor")
>>> a["pool3"].output.spatial[0]
floor(I/32 - 35/32)
>>> a.min_input, a.inputs_for("pool3", 6)
(67, Range(227, 259, 1))
>>> a.at(a.params, 227)
62378344
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Mapping

from sympy import (
    Add, Basic, Integer, Range, Rational, Symbol, ceiling, factor_terms, floor, lambdify,
)
from sympy.ntheory.modular import solve_congruence
from sympy.printing.pycode import PythonCodePrinter

from .derivation import LayerDerivation, NetworkDerivation, _num
from .errors import RoundingError, ShapeError, SolveError, SpecError
from .formulas import round_with
from .printing import text
from .shape import Shape
from .symbols import H, I, P_s, W

if TYPE_CHECKING:
    from .network import Network

#: How symcnn counts compute; printed with every MACs figure.
MACS_CONVENTION = (
    "MACs = multiply-accumulates of the weights only (no bias adds, no pooling, no activations); "
    "FLOPs = 2 x MACs"
)
BYTES_PER_ELEMENT = 4  # float32

_ROUNDERS = (floor, ceiling)


# ---------------------------------------------------------------------------------------
# Collapsing nested floors and ceilings


def collapse(expr: Basic) -> Basic:
    """``expr`` with every ``floor(floor(u)/b + beta)`` (and ceiling) merged into one.

    >>> from sympy import floor, Rational
    >>> collapse(floor(floor(floor(I/4 - Rational(11, 4))/2)/2 - Rational(3, 2)))
    floor(I/16 - 35/16)
    """
    if not isinstance(expr, Basic) or not expr.args or not expr.has(floor, ceiling):
        return expr
    args = tuple(collapse(a) for a in expr.args)
    if isinstance(expr, _ROUNDERS):
        expr = round_with(type(expr), args[0])
    elif args != expr.args:
        expr = expr.func(*args)
    return _fold(expr) if isinstance(expr, Add) else expr


def _fold(expr: Add) -> Basic:
    """``floor(u) + k`` as ``floor(u + k)`` for a whole k: one form for every size."""
    rest, rounders = expr.as_independent(floor, ceiling, as_Add=True)
    if not (isinstance(rounders, _ROUNDERS) and rest.is_Integer):
        return expr
    return round_with(type(rounders), rounders.args[0] + rest)


def collapse_record(d: LayerDerivation) -> LayerDerivation:
    """A layer's record with its output sizes, parameters and MACs collapsed."""
    out = d.output
    return replace(
        d,
        output=Shape(tuple(collapse(s) for s in out.spatial), collapse(out.channels)),
        weights=collapse(d.weights),
        biases=collapse(d.biases),
        macs=collapse(d.macs),
    )


# ---------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class ReceptiveField:
    """Per spatial axis: receptive field size, effective stride, effective padding (Araujo et al. 2019)."""

    size: tuple[Basic, ...]
    stride: tuple[Basic, ...]
    padding: tuple[Basic, ...]

    def to_json(self) -> dict:
        return {k: _axes_json(getattr(self, k)) for k in ("size", "stride", "padding")}

    def text(self) -> str:
        return "/".join(_axes_text(getattr(self, k)) for k in ("size", "stride", "padding"))


def _axes_json(values: tuple[Basic, ...]):
    if all(v == values[0] for v in values):
        return _num(values[0])
    return [_num(v) for v in values]


def _axes_text(values: tuple[Basic, ...]) -> str:
    if all(v == values[0] for v in values):
        return text(values[0], separators=False)
    return "x".join(text(v, separators=False) for v in values)


@dataclass(frozen=True)
class Congruence:
    """The inputs ``x`` with ``x = residue (mod modulus)``."""

    residue: int
    modulus: int

    def __contains__(self, x: int) -> bool:
        return x % self.modulus == self.residue

    def to_json(self) -> dict:
        return {"modulus": self.modulus, "residue": self.residue}

    def __str__(self) -> str:
        return f"= {self.residue} mod {self.modulus}"


@dataclass(frozen=True)
class LayerAnalysis:
    """One layer's closed forms (from its collapsed derivation record)."""

    record: LayerDerivation
    receptive_field: ReceptiveField | None

    @property
    def name(self) -> str:
        return self.record.name

    @property
    def type(self) -> str:
        return self.record.type

    @property
    def output(self) -> Shape:
        return self.record.output

    @property
    def params(self) -> Basic:
        return self.record.params

    @property
    def macs(self) -> Basic:
        return self.record.macs

    @property
    def activations(self) -> Basic:
        """Elements of the output tensor."""
        return self.record.output.numel

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "type": self.type,
            "output": [str(s) for s in self.output.dims],
            "params": str(self.params),
            "macs": str(self.macs),
            "activations": str(self.activations),
            "receptive_field": self.receptive_field.to_json() if self.receptive_field else None,
        }


@dataclass(frozen=True)
class Analysis:
    """A network's closed forms in its input size(s) ``symbols``, and what follows from them."""

    network: str
    rounding: str
    symbols: tuple[Symbol, ...]
    input: Shape
    derivation: NetworkDerivation
    layers: tuple[LayerAnalysis, ...]
    min_inputs: Mapping[Symbol, int]
    exact_inputs: Mapping[Symbol, Congruence] | None

    def __getitem__(self, name: str) -> LayerAnalysis:
        self.derivation[name]  # raises the usual error for an unknown name
        return next(la for la in self.layers if la.name == name)

    @property
    def params(self) -> Basic:
        return self.derivation.total_params

    @property
    def macs(self) -> Basic:
        return Add(*(la.macs for la in self.layers))

    @property
    def activations(self) -> Basic:
        return Add(*(la.activations for la in self.layers))

    @property
    def min_input(self) -> int | dict[str, int]:
        """Smallest input (per symbol) for which every layer's output is at least 1."""
        if self.symbols == (I,):
            return self.min_inputs[I]
        return {s.name: v for s, v in self.min_inputs.items()}

    @property
    def last_map(self) -> LayerAnalysis | None:
        maps = [la for la in self.layers if not la.output.is_vector]
        return maps[-1] if maps else None

    @property
    def receptive_field_layer(self) -> LayerAnalysis | None:
        """The last feature map with a receptive field of its own (global and adaptive
        pooling, whose windows grow with the input, see all of it)."""
        maps = [la for la in self.layers if not la.output.is_vector and la.receptive_field is not None]
        return maps[-1] if maps else None

    @property
    def receptive_field(self) -> ReceptiveField | None:
        """At :attr:`receptive_field_layer`, the last feature map that has one."""
        last = self.receptive_field_layer
        return last.receptive_field if last else None

    def receptive_field_of(self, layer: str | None = None) -> ReceptiveField | None:
        return self[layer].receptive_field if layer else self.receptive_field

    # -- numbers --------------------------------------------------------------------------

    def values_at(self, size: int | Shape | None = None) -> dict[Symbol, int]:
        """The symbols' values for an input ``size`` (default: the network's input)."""
        shape = self.input if size is None else size
        if isinstance(shape, bool) or not isinstance(shape, (int, Shape)):
            raise SpecError(f"an input size is a whole number or a Shape, got {shape!r}", where="size",
                            rule="input size")
        if isinstance(shape, int):
            values = {s: Integer(shape) for s in self.symbols}
        elif self.symbols == (I,):
            if shape.spatial[0] != shape.spatial[-1]:
                raise SpecError(f"the input {shape} is not square; analyse with --symbolic HW", rule="square input")
            values = {I: shape.spatial[0]}
        else:
            values = dict(zip(self.symbols, shape.spatial))
        if size is not None:
            self._check_valid(values)
        return values

    def _check_valid(self, values: Mapping[Symbol, Basic]) -> None:
        # The closed forms hold only where derive() would succeed: below the smallest input a
        # floor goes to 0 or below, and in exact rounding a division stops being whole.
        for s, v in values.items():
            if not v.is_Integer:
                continue
            if v < self.min_inputs[s]:
                raise ShapeError(
                    f"input {s} = {v} is below the smallest input {self.min_inputs[s]} "
                    f"for which every layer's output is at least 1", where=self.network, rule="smallest input")
            if self.exact_inputs is not None and int(v) not in self.exact_inputs[s]:
                raise RoundingError(
                    f"input {s} = {v} makes a division not whole; exact rounding needs {s} "
                    f"{self.exact_inputs[s]}: choose rounding floor or ceil", where=self.network,
                    rule="exact division")

    def at(self, expr: Basic, size: int | Shape | Basic | None = None) -> Basic:
        """``expr`` at an input size (a symbol, or None, leaves it as the closed form)."""
        if size is None or isinstance(size, Symbol):
            return expr
        return expr.xreplace(self.values_at(size))

    def compile(self, expr: Basic) -> Callable[..., int | Fraction]:
        """A fast function of the input size(s) for ``expr``, in exact integer arithmetic.

        >>> from symcnn import load
        >>> a = load("alexnet").analyse("floor")
        >>> f = a.compile(a.params)
        >>> [f(i) for i in (227, 259)]
        [62378344, 76009832]
        """
        return compile_expr(expr, self.symbols)

    def output_size(self, size=None, layer: str | None = None) -> Basic:
        la = self[layer] if layer else (self.last_map or self.layers[-1])
        width = la.output.spatial[-1] if la.output.spatial else la.output.channels
        return self.at(width, size)

    # -- inverse questions ----------------------------------------------------------------

    def inputs_for(self, layer: str, size: int, symbol: Symbol = I) -> Range:
        """The inputs (at least the smallest valid one) that give ``layer`` an output ``size`` wide."""
        la = self[layer]
        axis = self.symbols.index(symbol) if symbol in self.symbols else -1
        if la.output.is_vector or axis < 0:
            raise SolveError(
                f"{layer}'s output {la.output} has no spatial size in {symbol}", where=layer, rule="feature map"
            )
        expr = la.output.spatial[axis]
        low = max(_lowest(expr, symbol, Integer(size), layer), self.min_inputs[symbol])
        high = _lowest(expr, symbol, Integer(size) + 1, layer)
        if self.exact_inputs is not None:
            cong = self.exact_inputs[symbol]
            low += (cong.residue - low) % cong.modulus
            return Range(low, max(low, high), cong.modulus)
        return Range(low, max(low, high))

    # -- output ---------------------------------------------------------------------------

    def to_json(self) -> dict:
        at = self.values_at() if self._square_or_hw() else None
        data = {
            "network": self.network,
            "rounding": self.rounding,
            "symbols": [s.name for s in self.symbols],
            "input": self.input.to_json(),
            "layers": [la.to_json() for la in self.layers],
            "params": str(self.params),
            "macs": str(self.macs),
            "activations": str(self.activations),
            "macs_convention": MACS_CONVENTION,
            "min_input": self.min_input,
            "receptive_field": self.receptive_field.to_json() if self.receptive_field else None,
        }
        if self.exact_inputs is not None:
            cong = {s.name: c.to_json() for s, c in self.exact_inputs.items()}
            data["exact_inputs"] = cong["I"] if self.symbols == (I,) else cong
        if at is not None:
            data["at_input"] = {
                "params": _num(self.params.xreplace(at)),
                "macs": _num(self.macs.xreplace(at)),
                "activations": _num(self.activations.xreplace(at)),
                "activation_bytes": _num(BYTES_PER_ELEMENT * self.activations.xreplace(at)),
            }
        return data

    def _square_or_hw(self) -> bool:
        return self.symbols != (I,) or self.input.spatial[0] == self.input.spatial[-1]


# ---------------------------------------------------------------------------------------
# Building an analysis


def analyse(network: "Network", rounding: str | None = None, symbolic: str = "I") -> Analysis:
    """Derive ``network`` with a symbolic input and collect its closed forms.

    ``symbolic`` is ``"I"`` (a square I x I input) or ``"HW"`` (H x W).
    """
    return _analyse(network, rounding or network.rounding, symbolic)


@lru_cache(maxsize=64)
def _analyse(network: "Network", rounding: str, symbolic: str) -> Analysis:
    symbols = _symbols(symbolic, network.input)
    spatial = symbols * 2 if symbols == (I,) else symbols
    shape = Shape(spatial, network.input.channels)
    derivation = network.derive(shape, rounding, simplify=collapse_record)
    fields = _receptive_fields(network, derivation)
    layers = tuple(LayerAnalysis(d, fields[d.name]) for d in derivation.layers)
    exact = _exact_inputs(derivation, symbols) if rounding == "exact" else None
    if rounding == "exact" and exact is None:
        raise SolveError(
            "no input size makes every division whole; choose --rounding floor or ceil",
            where=network.name, rule="exact division",
        )
    return Analysis(
        network.name, rounding, symbols, network.input, derivation, layers,
        _min_inputs(network, derivation, symbols, exact), exact,
    )


def _symbols(symbolic: str, input: Shape) -> tuple[Symbol, ...]:
    if input.rank != 2:
        raise SpecError(f"closed forms need a 2-d input (HxWxC), got {input}", where="--symbolic", rule="2-d input")
    if symbolic == "I":
        return (I,)
    if symbolic == "HW":
        return (H, W)
    raise SpecError(f"--symbolic must be I or HW, got {symbolic!r}", where="--symbolic", rule="I or HW")


def _sources(network: "Network"):
    """Each layer with the names of the layers it reads."""
    previous = "input"
    for layer in network.layers:
        yield layer, layer.inputs or (previous,)
        previous = layer.name


def _receptive_fields(network: "Network", derivation: NetworkDerivation) -> dict[str, ReceptiveField | None]:
    """Araujo et al.: r_out = r_in + (k - 1) j_in, j_out = j_in s, p_out = p_in + p j_in.

    Over several inputs the largest field is kept; a vector output ends the spatial part,
    and so does a window that grows with the input (adaptive pooling): its output sees all
    of the input, whatever its size.
    """
    rank = derivation.input.rank
    one = (Integer(1),) * rank
    fields: dict[str, ReceptiveField | None] = {"input": ReceptiveField(one, one, (Integer(0),) * rank)}
    for layer, sources in _sources(network):
        d = derivation[layer.name]
        incoming = [fields[s] for s in sources]
        if d.output.is_vector or any(f is None for f in incoming):
            fields[layer.name] = None
            continue
        rf = max(incoming, key=lambda f: _sort_key(f.size))
        window = layer.window(d.inputs[0])
        if window is not None and any(not v.is_number for axis in window for v in axis[:2]):
            fields[layer.name] = None
            continue
        if window is not None:
            rf = ReceptiveField(
                tuple(r + (k - 1) * j for r, j, (k, _, _) in zip(rf.size, rf.stride, window)),
                tuple(j * s for j, (_, s, _) in zip(rf.stride, window)),
                tuple(p0 + p * j for p0, j, (_, _, p) in zip(rf.padding, rf.stride, window)),
            )
        fields[layer.name] = rf
    return fields


def _sort_key(sizes: tuple[Basic, ...]):
    return tuple(int(s) if s.is_Integer else 0 for s in sizes)


def _exact_inputs(derivation: NetworkDerivation, symbols: tuple[Symbol, ...]) -> dict[Symbol, Congruence] | None:
    """In exact rounding every output size must be whole; each is linear in one symbol,
    ``(A x + B)/D``, whole exactly when ``A x = -B (mod D)``. Their solutions combine by CRT."""
    conditions: dict[Symbol, set[tuple[int, int]]] = {s: set() for s in symbols}
    for d in derivation.layers:
        for size in d.output.spatial:
            free = size.free_symbols & set(symbols)
            if not free:
                continue
            if len(free) > 1:
                raise SolveError(f"output size {size} mixes {', '.join(sorted(map(str, free)))}", where=d.name,
                                 rule="one symbol per axis")
            (x,) = free
            a, b = _linear(size, x, d.name)
            denominator = Integer(a.q).lcm(b.q) if b.is_Rational else None
            if denominator is None:
                raise SolveError(f"output size {size} is not linear in {x}", where=d.name, rule="linear size")
            A, B, D = int(a * denominator), int(b * denominator), int(denominator)
            cong = _linear_congruence(A, -B, D)
            if cong is None:
                return None
            conditions[x].add(cong)
    result = {}
    for x, conds in conditions.items():
        combined = solve_congruence(*sorted(conds)) if conds else (0, 1)
        if combined is None:
            return None
        result[x] = Congruence(int(combined[0]), int(combined[1]))
    return result


def _linear(expr: Basic, x: Symbol, where: str) -> tuple[Rational, Rational]:
    """``(a, b)`` with ``expr = a x + b``, a and b rational."""
    terms = expr.as_coefficients_dict()
    if set(terms) - {x, Integer(1)} or x not in terms or not all(c.is_Rational for c in terms.values()):
        raise SolveError(f"output size {expr} is not linear in {x}", where=where, rule="linear size")
    return terms[x], terms.get(Integer(1), Integer(0))


def _linear_congruence(a: int, b: int, m: int) -> tuple[int, int] | None:
    """Solve ``a x = b (mod m)`` as ``(residue, modulus)``, or None where it has no solution."""
    from math import gcd

    g = gcd(a, m)
    if b % g:
        return None
    m2 = m // g
    return ((b // g) * pow(a // g, -1, m2) % m2 if m2 > 1 else 0), m2


def _min_inputs(network, derivation, symbols, exact) -> dict[Symbol, int]:
    """Smallest input per symbol such that every output is at least 1 and every window fits
    its padded input (the two derive() enforces)."""
    lowest = {s: 1 for s in symbols}
    asked: set[tuple[Basic, Basic]] = set()

    def need(expr: Basic, at_least: Basic, where: str):
        if (expr, at_least) in asked:  # the axes and the layers that keep the size repeat it
            return
        asked.add((expr, at_least))
        free = expr.free_symbols & set(symbols)
        if not free:
            return
        if len(free) > 1:
            raise SolveError(f"size {expr} mixes {', '.join(sorted(map(str, free)))}", where=where,
                             rule="one symbol per axis")
        (x,) = free
        lowest[x] = max(lowest[x], _lowest(expr, x, at_least, where))

    for layer, _ in _sources(network):
        d = derivation[layer.name]
        for size in d.output.spatial:
            need(size, Integer(1), layer.name)
        # derive() lets a pooling window in ceil mode overhang the input's end; elsewhere
        # the window must fit the padded input.
        overhang = any(step.rounding == "ceil" and P_s in step.values for step in d.steps)
        if d.inputs[0].spatial and not overhang:
            window = layer.window(d.inputs[0])
            for size, (k, _, p) in zip(d.inputs[0].spatial, window or ()):
                if not (k - 2 * p).free_symbols & set(symbols):  # adaptive pooling cuts its windows from the input
                    need(size, k - 2 * p, layer.name)
    if exact is not None:
        for x, cong in exact.items():
            lowest[x] += (cong.residue - lowest[x]) % cong.modulus
    return lowest


def _lowest(expr: Basic, x: Symbol, t: Basic, where: str) -> int:
    """The smallest whole x >= 1 with ``expr >= t``, for ``expr`` of the form
    ``alpha * R(a x + b) + beta`` (R floor or ceiling, alpha, a > 0) or ``a x + b``."""
    if x not in expr.free_symbols:
        if (expr >= t) is not True and expr.is_number:
            raise SolveError(f"size {text(expr)} is below {t} for every input", where=where, rule="size >= 1")
        return 1
    terms = expr.as_coefficients_dict()
    rounders = [term for term in terms if isinstance(term, _ROUNDERS)]
    if len(rounders) == 1 and all(term is rounders[0] or x not in term.free_symbols for term in terms):
        inner = rounders[0]
        alpha = terms[inner]
        beta = expr - alpha * inner
        if alpha.is_positive and beta.is_number:
            level = ceiling((t - beta) / alpha)  # R(u) >= level, R(u) being whole
            a, b = _linear(inner.args[0], x, where)
            if a.is_positive:
                if isinstance(inner, floor):  # u >= level
                    bound = ceiling((level - b) / a)
                else:  # ceil(u) >= level  <=>  u > level - 1
                    bound = floor((level - 1 - b) / a) + 1
                return max(1, int(bound))
    else:
        try:
            a, b = _linear(expr, x, where)
        except SolveError:
            a = None
        if a is not None and a.is_positive:
            return max(1, int(ceiling((t - b) / a)))
    raise SolveError(f"cannot solve {text(expr)} >= {t} for {x} in closed form", where=where, rule="closed form")


# ---------------------------------------------------------------------------------------
# Compiled closed forms


class _WholePrinter(PythonCodePrinter):
    """Python code in whole numbers: ``floor(p/q)`` as ``p // q``, fractions as ``Fraction``.

    Floats would round ``floor((I - 7)/3)`` wrongly where ``I/3 - 7/3`` lands just below a
    whole number; integer division cannot.
    """

    def _fraction(self, arg: Basic):
        from sympy import fraction, together

        num, den = fraction(together(arg))
        return (num, den) if den.is_Integer else None

    def _print_floor(self, expr):
        nd = self._fraction(expr.args[0])
        if nd is None:
            return super()._print_floor(expr)
        return f"(({self._print(nd[0])}) // {nd[1]})"

    def _print_ceiling(self, expr):
        nd = self._fraction(expr.args[0])
        if nd is None:
            return super()._print_ceiling(expr)
        return f"(-((-({self._print(nd[0])})) // {nd[1]}))"

    def _print_Rational(self, expr):
        return f"Fraction({expr.p}, {expr.q})"

    def _print_Half(self, expr):
        return self._print_Rational(expr)


def compile_expr(expr: Basic, symbols: tuple[Symbol, ...]) -> Callable[..., int | Fraction]:
    """``expr`` as a Python function of ``symbols`` (lambdify through :class:`_WholePrinter`)."""
    f = lambdify(symbols, expr, modules=[{"Fraction": Fraction}, "math"], printer=_WholePrinter)

    def whole(*values):
        v = f(*values)
        return int(v) if isinstance(v, Fraction) and v.denominator == 1 else v

    return whole


def display(expr: Basic) -> str:
    """``expr`` with each floor/ceiling argument over one denominator.

    >>> from sympy import Rational
    >>> display(floor(I/32 - Rational(35, 32)))
    'floor((I - 35)/32)'
    """
    def tidy(e: Basic) -> Basic:
        if isinstance(e, Add) and all(t == 1 or t.is_Symbol for t in e.as_coefficients_dict()):
            return factor_terms(e)
        if not e.args:
            return e
        return e.func(*(tidy(a) for a in e.args), evaluate=False)

    return str(tidy(expr))


def run(args) -> int:
    """``symcnn derive NET [--rounding R] [--symbolic I|HW] [--json]``."""
    import json

    from .networks import load
    from .printing import thousands

    net = load(args.network)
    a = analyse(net, args.rounding, args.symbolic)
    if args.json:
        print(json.dumps(a.to_json(), indent=2))
        return 0
    names = ", ".join(s.name for s in a.symbols)
    print(f"{a.network}: closed forms in {names} (input {a.derivation.input}), rounding {a.rounding}")
    header = ("layer", "type", "output", "params", "MACs", "receptive field")
    rows = [
        (la.name, la.type, " x ".join(display(d) for d in la.output.dims), display(la.params), display(la.macs),
         la.receptive_field.text() if la.receptive_field else "-")
        for la in a.layers
    ]
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    for r in (header, tuple("-" * w for w in widths), *rows):
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    print()
    at = a.values_at() if a._square_or_hw() else None
    where = ", ".join(f"{s} = {v}" for s, v in at.items()) if at else ""
    for label, expr in (("params", a.params), ("MACs", a.macs), ("activations", a.activations)):
        value = f"   at {where}: {thousands(expr.xreplace(at))}" if at else ""
        print(f"{label:12} {display(expr)}{value}")
    if at:
        acts = a.activations.xreplace(at)
        print(f"{'':12} {thousands(BYTES_PER_ELEMENT * acts)} bytes of activations at float32")
    else:
        print(f"{'':12} (no values at the input {a.input}: it is not square; see them with --symbolic HW)")
    print(f"smallest input (every output >= 1): "
          + (str(a.min_input) if isinstance(a.min_input, int) else ", ".join(f"{k} = {v}" for k, v in a.min_input.items())))
    if a.exact_inputs is not None:
        print("whole divisions (exact rounding): "
              + ", ".join(f"{s} {c}" for s, c in a.exact_inputs.items()))
    if a.receptive_field is not None:
        print(f"receptive field at {a.receptive_field_layer.name} (size/stride/padding): {a.receptive_field.text()}")
    print(f"# {MACS_CONVENTION}")
    return 0


__all__ = [
    "Analysis", "LayerAnalysis", "ReceptiveField", "Congruence", "analyse", "collapse", "collapse_record",
    "compile_expr", "display", "MACS_CONVENTION",
]
