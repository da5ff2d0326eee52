"""Derivations as data: what was computed, from which formula, with which values.

A :class:`Step` is one equation of the worked derivation (``O = (I - K + 2P)/S + 1 =
(227 - 11 + 2*0)/4 + 1 = 55``). A :class:`LayerDerivation` holds one layer's steps and
results; a :class:`NetworkDerivation` holds every layer's and the totals. Reports, the
checker and the closed forms read these records; nothing downstream recomputes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Mapping

from sympy import Add, Basic, Integer, Rational, Symbol, ceiling, floor

from .errors import RoundingError, ShapeError
from .formulas import Formula, round_with, rounded
from .printing import tex, text, tidy
from .shape import Shape
from .symbols import P_s

if TYPE_CHECKING:
    from .layers import Layer


@dataclass(frozen=True)
class Step:
    """One equation of a derivation: ``symbol = general = substituted = value``.

    ``rounding`` is the mode applied to this step's division (``None`` where there is
    none); ``unrounded`` is the exact quotient that floor or ceil rounded, where they
    changed it (``213/4`` for ``floor(213/4) = 53``).
    """

    symbol: Symbol
    formula: str
    general: Basic
    substituted: Basic
    value: Basic
    values: Mapping[Symbol, Basic] = field(default_factory=dict)
    axis: str | None = None
    rounding: str | None = None
    unrounded: Basic | None = None

    @property
    def is_numeric(self) -> bool:
        return self.value.is_Number is True

    def chain(self) -> list[Basic]:
        """The distinct sides, in order: general, substituted, value (repeats dropped)."""
        sides: list[Basic] = [self.general]
        for side in (self.substituted, self.value):
            if text(side) != text(sides[-1]):
                sides.append(side)
        return sides

    def lhs_text(self) -> str:
        return f"{text(self.symbol)}[{self.axis}]" if self.axis else text(self.symbol)

    def lhs_tex(self) -> str:
        name = tex(self.symbol)
        if not self.axis:
            return name
        return f"{name}_{{{self.axis}}}" if "_" not in name else f"{name}^{{({self.axis})}}"

    def text(self) -> str:
        return " = ".join([self.lhs_text(), *(text(s) for s in self.chain())])

    def tex(self) -> str:
        return " = ".join([self.lhs_tex(), *(tex(s) for s in self.chain())])

    def __str__(self) -> str:
        return self.text()

    def _repr_latex_(self) -> str:
        return f"${self.tex()}$"


def make_step(
    symbol: Symbol,
    f: Formula,
    values: Mapping[Symbol, Basic],
    *,
    part: int = -1,
    axis: str | None = None,
    where: str = "",
) -> Step:
    """Put ``values`` into part ``part`` of formula ``f`` and evaluate it.

    For an output-size formula this also checks the division: in ``exact`` rounding a
    quotient that is not whole is a :class:`RoundingError`; a kernel larger than the
    padded input is a :class:`ShapeError` (a pooling window in ceil mode may overhang the
    end, but the output must still be at least 1).
    """
    general = f.parts[part][1]
    values = dict(values)
    substituted = tidy(general, values)
    evaluated: dict[Basic, Basic] = {}
    value = _evaluate(general, values, evaluated)
    rounding = unrounded = None
    if f.quotient is not None:
        rounding = f.rounding
        numerator = _evaluate(f.quotient[0], values, evaluated)
        quotient = numerator / _evaluate(f.quotient[1], values, evaluated)
        label = "output " + _AXIS_NAMES.get(axis, axis or "size")
        # A kernel never reaches past the padded input; a pooling window in ceil mode may
        # overhang its end as long as it starts inside (PyTorch's ceil_mode, Caffe's pooling).
        overhang = f.rounding == "ceil" and P_s in values
        if _unbounded(numerator):  # a symbolic size that grows with the input: never too small for all
            too_small = False
        elif overhang:
            too_small = (rounded(quotient, "ceil") + 1).is_positive is False
        else:
            too_small = numerator.is_negative
        if too_small:
            raise ShapeError(
                f"{_window(values)}: "
                f"{label} {text(substituted)} = {text(value)} would be below 1",
                where=where,
                rule="kernel <= padded input",
            )
        if quotient.is_Rational and not quotient.is_Integer:
            if f.rounding == "exact":
                raise RoundingError(
                    f"{label} {text(substituted)} = {_decimal(quotient + 1)} is not whole; "
                    "exact rounding (the article's formula) needs whole divisions: "
                    "choose --rounding floor (PyTorch) or --rounding ceil (Caffe pooling) "
                    "(rounding: floor in a spec or claims file)",
                    where=where,
                    rule="exact division",
                )
            unrounded = quotient
    return Step(symbol, f.name, general, substituted, value, values, axis, rounding, unrounded)


def _evaluate(expr: Basic, values: Mapping[Symbol, Basic], done: dict[Basic, Basic]) -> Basic:
    """The unevaluated formula ``expr`` with ``values`` put in, evaluated (``done`` keeps the subterms).

    ``substituted.doit()`` gives the same, but evaluates the values again: a symbolic size is
    an expression of floors that sympy would re-evaluate, asking for signs each time.
    Roundings go through :func:`~symcnn.formulas.round_with`.
    """
    if expr in values:
        return values[expr]
    if not expr.args:
        return expr
    if expr not in done:
        args = [_evaluate(a, values, done) for a in expr.args]
        done[expr] = round_with(expr.func, args[0]) if isinstance(expr, (floor, ceiling)) else expr.func(*args)
    return done[expr]


def _unbounded(expr: Basic) -> bool:
    """Whether ``expr`` grows past every bound as its symbols (sizes, not bounded above) grow.

    Such an expression is not negative for every value of its symbols, so sympy's
    ``is_negative`` cannot be True; asking would cost milliseconds. Built of symbols that
    are at least 0, positive rational multiples, sums with numbers, floor and ceiling.
    """
    if expr.is_Symbol:
        return expr.is_nonnegative is True
    if isinstance(expr, (floor, ceiling)):
        return _unbounded(expr.args[0])
    if expr.is_Mul:
        coeff, rest = expr.as_coeff_Mul()
        return coeff.is_Rational and coeff.is_positive and rest is not expr and _unbounded(rest)
    if expr.is_Add:
        growing = [t for t in expr.args if not t.is_Rational]
        return bool(growing) and all(_unbounded(t) for t in growing)
    return False


_AXIS_NAMES = {"H": "height", "W": "width", "L": "length", "D": "depth"}


def _window(values: Mapping[Symbol, Basic]) -> str:
    from .symbols import D, I, K, P, P_s

    kind, size = ("kernel", values[K]) if K in values else ("pooling window", values.get(P_s))
    if values.get(D, 1) != 1:
        kind, size = f"dilated {kind}", (values[D] * (size - 1) + 1)
    padded = (values[I] + 2 * values.get(P, 0)).doit() if I in values else None
    return f"{kind} {text(size)} is larger than the padded input {text(padded)}"


def _decimal(q: Rational) -> str:
    """``217/4`` as ``54.25`` (a few digits where it does not terminate)."""
    as_float = float(q)
    return f"{as_float:.6g}"


@dataclass(frozen=True)
class LayerDerivation:
    """Everything derived for one layer: its steps, output shape and parameter counts."""

    layer: "Layer"
    inputs: tuple[Shape, ...]
    output: Shape
    steps: tuple[Step, ...] = ()
    weights: Basic = Integer(0)
    biases: Basic = Integer(0)
    rounding: str = "exact"
    #: multiply-accumulates: weight multiplications only (no bias adds, no pooling)
    macs: Basic = Integer(0)
    #: values a layer keeps that are not parameters (batch norm's running statistics)
    buffers: Basic = Integer(0)

    @property
    def name(self) -> str:
        return self.layer.name

    @property
    def type(self) -> str:
        return self.layer.type

    @property
    def params(self) -> Basic:
        return self.weights + self.biases

    @property
    def input(self) -> Shape:
        return self.inputs[0]

    @property
    def formulas(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.formula for s in self.steps))

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "type": self.type,
            "output": self.output.to_json(),
            "weights": _num(self.weights),
            "biases": _num(self.biases),
            "params": _num(self.params),
            **self._extra_json(),
        }

    def _extra_json(self) -> dict:
        """Keys only some layers have: groups, dilation, buffers (left out at their defaults)."""
        extra = {}
        groups = getattr(self.layer, "groups", None)
        if isinstance(groups, Basic) and groups != 1:
            extra["groups"] = _num(groups)
        dilation = getattr(self.layer, "dilation", None)
        if isinstance(dilation, tuple) and any(d != 1 for d in dilation):
            extra["dilation"] = [_num(d) for d in dilation]
        if self.buffers != 0:
            extra["buffers"] = _num(self.buffers)
        return extra

    def text(self) -> str:
        head = f"{self.name} ({self.type}): {self.input} -> {self.output}"
        return "\n".join([head, *(f"  {s.text()}" for s in self.steps)])

    def __str__(self) -> str:
        return self.text()

    def _repr_markdown_(self) -> str:
        from .render import layer_markdown

        return layer_markdown(self)

    def _repr_latex_(self) -> str:
        from .render import layer_latex

        return layer_latex(self)


def _num(value: Basic):
    """An int for JSON where the value is a number, else its sympy ``str``."""
    return int(value) if value.is_Integer else str(value)


@dataclass(frozen=True)
class NetworkDerivation:
    """Every layer's derivation, in order, and the totals."""

    name: str
    input: Shape
    rounding: str
    layers: tuple[LayerDerivation, ...]

    def __getitem__(self, name: str) -> LayerDerivation:
        try:
            return self._by_name[name]
        except KeyError:
            from .errors import UnknownNameError

            raise UnknownNameError(f"no layer named {name!r} in {self.name}", rule="layer name") from None

    @cached_property
    def _by_name(self) -> dict[str, LayerDerivation]:
        return {layer.name: layer for layer in self.layers}

    @property
    def output(self) -> Shape:
        return self.layers[-1].output

    @property
    def total_params(self) -> Basic:
        return Add(*(d.params for d in self.layers))

    @property
    def total_weights(self) -> Basic:
        return Add(*(d.weights for d in self.layers))

    @property
    def total_buffers(self) -> Basic:
        """Values kept that are not parameters (running statistics); not in ``total_params``."""
        return Add(*(d.buffers for d in self.layers))

    @property
    def total_biases(self) -> Basic:
        return Add(*(d.biases for d in self.layers))

    def params_of(self, type: str) -> Basic:
        """The parameters of every layer of one type (``conv`` gives the article's 3,747,200)."""
        return Add(*(d.params for d in self.layers if d.type == type))

    def to_json(self) -> dict:
        return {
            "network": self.name,
            "input": self.input.to_json(),
            "rounding": self.rounding,
            "layers": [d.to_json() for d in self.layers],
            "total_params": _num(self.total_params),
            **({"total_buffers": _num(self.total_buffers)} if self.total_buffers != 0 else {}),
        }

    def _repr_markdown_(self) -> str:
        from .render import render_markdown

        return render_markdown(self)

    def _repr_latex_(self) -> str:
        from .render import network_latex

        return network_latex(self)


__all__ = ["Step", "LayerDerivation", "NetworkDerivation", "make_step", "rounded"]
