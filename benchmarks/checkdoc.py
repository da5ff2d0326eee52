"""How fast ``check-doc`` reads documents, and that it stays linear on hostile ones.

    python benchmarks/checkdoc.py [SEED]

Three measurements (the fastest of a few runs), each beside a peer measured in the same run (so that the ratios, not
the seconds, are what carries over to another machine):

1. Throughput: about 1 MB of distinct derivations (display math, inline math, prose with
   unicode operators and ``x``, table rows), and half of it; the peer is one regular
   expression pass over the same text that finds every number.
2. Hostile delimiters: 100 KB (and 50 KB) of unmatched ``$``, ``\\(``, braces, ``<!--``,
   backtick runs and ``$`` prices in a table; each must take time in proportion to its
   size.
3. Texts that once took minutes (a long run of comma groups, a long word before ``layer``
   with ``--network``, 1 MB on one line, a 1,400-line course summary with ``--network``),
   each beside half of it, in processor time.
4. One numeric equation: the time per equation over 2,000 distinct ones; the peer is
   sympy's LaTeX parser (the Earley parser check-doc used before) on 20 of them.
"""

from __future__ import annotations

import random
import re
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from symcnn.checkdoc import check_document  # noqa: E402


def timed(fn, *args, runs: int = 3) -> tuple[float, object]:
    """The fastest of ``runs`` runs (the machine is shared: the fastest is the least disturbed)."""
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def cpu(fn, *args) -> float:
    """The processor time of one run (on a shared machine, wall time measures the others too)."""
    start = time.process_time()
    fn(*args)
    return time.process_time() - start


def derivations(size: int, rng: random.Random) -> str:
    """Distinct, correct derivations in the styles people write, about ``size`` characters."""
    parts: list[str] = []
    total = 0
    k = 0
    while total < size:
        k += 1
        kk, c, n = rng.choice([1, 3, 5, 7, 11]), rng.randint(1, 512), rng.randint(1, 512)
        i = rng.randint(kk + 8, 1024)
        s = rng.choice([1, 2])
        i -= (i - kk) % s
        o = (i - kk) // s + 1
        w = kk * kk * c * n
        style = k % 4
        if style == 0:
            text = (f"## Layer {k}\n\nWith $K={kk}$, $C={c}$, $N={n}$:\n\n"
                    f"$$O = \\frac{{{i} - {kk} + 2 \\cdot 0}}{{{s}}} + 1 = {o}$$\n\n"
                    f"$$W_{{c}} = K^{{2}} \\times C \\times N = {kk}^{{2}} \\times {c} \\times {n} = {w:,}$$\n\n"
                    f"$$P_{{c}} = W_{{c}} + N = {w:,} + {n} = {w + n:,}$$\n\n")
        elif style == 1:
            text = f"- layer {k}: {kk}×{kk}×{c}×{n} = {w:,} weights, plus {n} biases: {w:,} + {n} = {w + n:,}.\n"
        elif style == 2:
            text = f"| l{k} | ({kk}*{kk}*{c})*{n} + {n} = {w + n:,} | {o}x{o}x{n} |\n"
        else:
            text = (f"Layer {k} outputs $({i} - {kk})/{s} + 1 = {o}$ by {o}, so {o} x {o} x {n} = {o * o * n:,} "
                    f"values, ≈ {o * o * n / 1000:.1f}k.\n\n")
        parts.append(text)
        total += len(text)
    return "".join(parts)


def hostile(size: int) -> dict[str, str]:
    unit = {
        "unmatched $": "$5 and ",
        "unmatched \\(": "\\( x ",
        "braces": "${{{{{{ ",
        "<!--": "<!-- ",
        "backtick runs": "`` ``` ` ",
        "$ prices in a table": "| $5 | $6 = $7 |\n",
        "\\begin{align} unclosed": "\\begin{align} a &= ",
        "a list 1,1,1,... after =": "1,",
        "one word after =": "x",
    }
    texts = {name: (u * (size // len(u) + 1))[:size] for name, u in unit.items()}
    for name in ("a list 1,1,1,... after =", "one word after ="):
        texts[name] = "a = " + texts[name][4:]
    return texts


def equations(count: int, rng: random.Random) -> list[str]:
    out = []
    for _ in range(count):
        a, b, c = rng.randint(2, 999), rng.randint(2, 999), rng.randint(2, 99)
        out.append(f"{a}^{{2}} \\times {b} + \\frac{{{c * 4}}}{{4}} = {a * a * b + c:,}")
    return out


def prose_lines(count: int) -> str:
    """A course summary of ``count`` lines: layer names, sizes, counts and arithmetic."""
    lines = []
    for k in range(count):
        n = k % 5 + 1
        c, m = 2 ** (n + 3), 2 ** (n + 4)
        lines.append(f"- conv{n}: {m} filters of 3x3, output 56x56x{m}, params 3*3*{c}*{m} + {m} = {9 * c * m + m:,}; "
                     f"the pooling layer after it halves the size.")
    return "\n".join(lines) + "\n"


def adversarial() -> None:
    """Texts that once took minutes: each is timed beside half of it (linear: a ratio near 2)."""
    cases = {
        "160 KB of 123,123,... after =": lambda n: "x = " + ",".join(["123"] * (n // 4)),
        "a word of n letters before ' layer 3' (--network)": lambda n: "The " + "a" * n + " layer 3 outputs 13x13x256.",
        "1 MB on one line": lambda n: derivations(n, random.Random(5)).replace("\n", " "),
        "1,400-line prose (--network), n lines": lambda n: prose_lines(n),
    }
    sizes = {"160 KB of 123,123,... after =": 160_000, "a word of n letters before ' layer 3' (--network)": 22,
             "1 MB on one line": 1_000_000, "1,400-line prose (--network), n lines": 1_400}
    check_document("conv1 = 1", network="alexnet")  # the network built once, outside the timing
    for name, make in cases.items():
        n = sizes[name]
        network = "alexnet" if "network" in name else None
        full, half = (cpu(lambda s, net=network: check_document(s, network=net), make(size)) for size in (n, n // 2))
        print(f"{name:52} {full:6.2f} s   half {half:6.2f} s   ratio {full / max(half, 1e-9):4.2f}")
    print()


def main(seed: int) -> None:
    rng = random.Random(seed)
    print(f"check-doc benchmark (seed {seed})\n")

    big = derivations(1_000_000, rng)
    half = big[: len(big) // 2]
    half = half[: half.rfind("\n\n")]
    for name, text in (("1 MB", big), ("0.5 MB", half)):
        t, result = timed(check_document, text, runs=2)
        peer, numbers = timed(lambda s: len(re.findall(r"\d[\d,.]*", s)), text)
        assert result.wrong == (), result.wrong[:2]
        print(f"{name:8} {len(text):>9,} chars  check-doc {t:6.2f} s  ({result.checked:,} steps checked)  "
              f"peer (every number by one regex) {peer:.3f} s  ratio {t / peer:,.0f}")
    print()

    for name, text in hostile(100_000).items():
        t100, _ = timed(check_document, text)
        t50, _ = timed(check_document, text[:50_000])
        print(f"100 KB of {name:24} {t100:6.3f} s   50 KB {t50:6.3f} s   ratio {t100 / t50:4.2f}")
    print()

    adversarial()

    eqs = equations(2_000, rng)
    doc = "\n\n".join(f"$${e}$$" for e in eqs)
    t, result = timed(check_document, doc)
    assert result.checked == len(eqs) and not result.wrong
    per = t / len(eqs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from sympy.parsing.latex import parse_latex

        sample = [e.split("=")[0] for e in eqs[:20]]
        parse_latex(sample[0], backend="lark")  # build the grammar outside the timing
        t_peer, _ = timed(lambda: [parse_latex(s, backend="lark") for s in sample], runs=1)
    per_peer = t_peer / len(sample)
    print(f"one numeric equation: check-doc {per * 1000:.3f} ms (over {len(eqs):,}); "
          f"sympy parse_latex, one side only, {per_peer * 1000:.1f} ms; ratio {per_peer / per:,.0f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 11)
