"""Valid inputs: the smallest input size for which every layer has an output, the input
sizes that make every division whole in exact rounding (a congruence), and the inputs that
give a wanted size at a layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import gcd

from sympy import Basic, Integer, Rational, Symbol, ceiling, floor
from sympy.ntheory.modular import solve_congruence

from ..errors import SolveError
from ..network import Network, sources
from ..printing import text
from ..records import NetworkDerivation
from .collapse import ROUNDERS


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


def exact_inputs(derivation: NetworkDerivation, symbols: tuple[Symbol, ...]) -> dict[Symbol, Congruence] | None:
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
            a, b = linear(size, x, d.name)
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


def linear(expr: Basic, x: Symbol, where: str) -> tuple[Rational, Rational]:
    """``(a, b)`` with ``expr = a x + b``, a and b rational."""
    terms = expr.as_coefficients_dict()
    if set(terms) - {x, Integer(1)} or x not in terms or not all(c.is_Rational for c in terms.values()):
        raise SolveError(f"output size {expr} is not linear in {x}", where=where, rule="linear size")
    return terms[x], terms.get(Integer(1), Integer(0))


def _linear_congruence(a: int, b: int, m: int) -> tuple[int, int] | None:
    """Solve ``a x = b (mod m)`` as ``(residue, modulus)``, or None where it has no solution."""
    g = gcd(a, m)
    if b % g:
        return None
    m2 = m // g
    return ((b // g) * pow(a // g, -1, m2) % m2 if m2 > 1 else 0), m2


def min_inputs(network: Network, derivation: NetworkDerivation, symbols: tuple[Symbol, ...],
               exact: dict[Symbol, Congruence] | None) -> dict[Symbol, int]:
    """Smallest input per symbol such that every output is at least 1 and every window fits
    its padded input (the two derive() enforces)."""
    lowest = dict.fromkeys(symbols, 1)
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
        lowest[x] = max(lowest[x], smallest_input(expr, x, at_least, where))

    for layer, _ in sources(network.layers):
        d = derivation[layer.name]
        for size in d.output.spatial:
            need(size, Integer(1), layer.name)
        # derive() lets a pooling window in ceil mode overhang the input's end; elsewhere
        # the window must fit the padded input.
        overhang = any(step.overhang for step in d.steps)
        if d.inputs[0].spatial and not overhang:
            window = layer.window(d.inputs[0])
            for size, (k, _, p) in zip(d.inputs[0].spatial, window or ()):
                if not (k - 2 * p).free_symbols & set(symbols):  # adaptive pooling cuts its windows from the input
                    need(size, k - 2 * p, layer.name)
    if exact is not None:
        for x, cong in exact.items():
            lowest[x] += (cong.residue - lowest[x]) % cong.modulus
    return lowest


def smallest_input(expr: Basic, x: Symbol, t: Basic, where: str) -> int:
    """The smallest whole x >= 1 with ``expr >= t``, for ``expr`` of the form
    ``alpha * R(a x + b) + beta`` (R floor or ceiling, alpha, a > 0) or ``a x + b``."""
    if x not in expr.free_symbols:
        if (expr >= t) is not True and expr.is_number:
            raise SolveError(f"size {text(expr)} is below {t} for every input", where=where, rule="size >= 1")
        return 1
    terms = expr.as_coefficients_dict()
    rounders = [term for term in terms if isinstance(term, ROUNDERS)]
    if len(rounders) == 1 and all(term is rounders[0] or x not in term.free_symbols for term in terms):
        inner = rounders[0]
        alpha = terms[inner]
        beta = expr - alpha * inner
        if alpha.is_positive and beta.is_number:
            level = ceiling((t - beta) / alpha)  # R(u) >= level, R(u) being whole
            a, b = linear(inner.args[0], x, where)
            if a.is_positive:
                if isinstance(inner, floor):  # u >= level
                    bound = ceiling((level - b) / a)
                else:  # ceil(u) >= level  <=>  u > level - 1
                    bound = floor((level - 1 - b) / a) + 1
                return max(1, int(bound))
    else:
        try:
            a, b = linear(expr, x, where)
        except SolveError:
            a = None
        if a is not None and a.is_positive:
            return max(1, int(ceiling((t - b) / a)))
    raise SolveError(f"cannot solve {text(expr)} >= {t} for {x} in closed form", where=where, rule="closed form")


__all__ = ["Congruence", "exact_inputs", "min_inputs", "smallest_input", "linear"]
