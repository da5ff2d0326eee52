"""Plots against the input size: each feature map's output width, or a total, for every ``I`` in a range.

A :class:`Figure` holds the numbers (from the closed forms, compiled to exact whole-number
Python by :meth:`~symcnn.analysis.Analysis.compile`), the runs of sizes that are not valid
inputs, the axes and their ticks. Each output writes the same figure: :func:`svg` (written
here, so that a report's figure is the same bytes on every machine, and the HTML page can
move a marker over it), :func:`pgfplots` (for the LaTeX report, drawn by TeX itself) and
:func:`save` for PNG and PDF through matplotlib (an optional extra: ``symcnn[plot]``).

>>> from symcnn import analyse, load
>>> f = figure(analyse(load("alexnet")), "size", 32, 512)
>>> f.series[0].label, f.series[0].points[:2], f.invalid[0]
('conv1', ((67, 15), (99, 23)), (32, 66))
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape as _html_escape
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SpecError, SymcnnError, escaped, quote
from ..limits import check_numeral
from ..numbers import grouped
from .report.files import write_files

if TYPE_CHECKING:  # the analysis loads when a plot is made, not with the command line
    from ..analysis import Analysis

WHAT = ("size", "params", "macs", "activations", "memory")
#: Values from here on are drawn with whole numbers only (a float ends at 1.8e308).
FLOAT_MOST = 10**300
DEFAULT_RANGE = (32, 512)
#: The words of a figure, in English (a report passes its own language's).
WORDS = {
    "size": "output width of each feature map",
    "params": "parameters",
    "macs": "MACs",
    "activations": "activations",
    "memory": "bytes of a training step (Adam, float32)",
    "memory_training": "training step",
    "memory_saved": "saved activations",
    "x": "input size I",
    "x_batch": "batch size B",
    "invalid": "not a valid input",
    "title": "{network}: {what} against the input size ({rounding} rounding)",
}
COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f",
          "#bcbd22")
#: Series with at most this many points show each point as a marker.
MARKERS_UP_TO = 64



def escape(text: str) -> str:
    """User text (a layer name, a caption) for SVG: XML's five specials as entities, and the control
    characters XML 1.0 does not allow at all written as escapes (``\\x0b``), so the file stays XML."""
    return _html_escape(escaped(text, keep="\t\n\r"))

@dataclass(frozen=True)
class Series:
    label: str
    points: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Figure:
    """One plot against the input size ``I`` from ``low`` to ``high`` (both included)."""

    network: str
    what: str
    rounding: str
    low: int
    high: int
    series: tuple[Series, ...]
    #: runs ``(first, last)`` of sizes in the range that are not valid inputs
    invalid: tuple[tuple[int, int], ...]
    xticks: tuple[int, ...]
    yticks: tuple[int, ...]
    words: Mapping[str, str]

    @property
    def ymax(self) -> int:
        return self.yticks[-1]

    @property
    def title(self) -> str:
        return self.words["title"].format(network=self.network, what=self.words[self.what], rounding=self.rounding)

    def value(self, label: str, size: int) -> int | None:
        """The plotted value of series ``label`` at ``size`` (None where it is not plotted)."""
        series = next(s for s in self.series if s.label == label)
        return dict(series.points).get(size)


def parse_range(text: str) -> tuple[int, int]:
    """``32:512`` as ``(32, 512)``."""
    parts = [p.strip() for p in text.split(":")]
    if len(parts) != 2 or not all(re.fullmatch(r"-?[0-9]+", p) for p in parts):  # ASCII digits: not ²
        raise SpecError(f"a range is LOW:HIGH in whole numbers, got {text!r}", where="--range", rule="LOW:HIGH")
    for p in parts:
        check_numeral(p, where="--range")
    low, high = (int(p) for p in parts)
    if not 1 <= low < high:
        raise SpecError(f"a range needs 1 <= LOW < HIGH, got {text!r}", where="--range", rule="LOW:HIGH")
    if high - low > 100_000:
        raise SpecError(f"a range spans at most 100,000 sizes, got {text!r}", where="--range", rule="LOW:HIGH")
    return low, high


def _valid(a: Analysis, size: int) -> bool:
    """Whether the analysis takes ``size`` (as :meth:`Analysis.at` would, without raising)."""
    from ..symbols import I  # sympy loads when a figure is made, not for `symcnn plot --help`

    if size < a.min_inputs[I] or size not in a.congruences[I]:
        return False
    boxes = a.valid_inputs
    return boxes is None or any(lo <= size and (hi is None or size <= hi) for ((lo, hi),) in boxes)


def _runs(sizes: list[int]) -> tuple[tuple[int, int], ...]:
    runs: list[tuple[int, int]] = []
    for s in sizes:
        if runs and runs[-1][1] == s - 1:
            runs[-1] = (runs[-1][0], s)
        else:
            runs.append((s, s))
    return tuple(runs)


def nice_ticks(low: int, high: int, most: int = 6, *, inside: bool = False) -> tuple[int, ...]:
    """Whole ticks 1, 2 or 5 times a power of ten apart: from at or below ``low`` to at or past
    ``high`` (``inside``: only those between them, both ends included).

    >>> nice_ticks(0, 62378344)
    (0, 20000000, 40000000, 60000000, 80000000)
    >>> nice_ticks(32, 512, inside=True)
    (100, 200, 300, 400, 500)
    """
    span = max(high - low, 1)
    step = 1
    while True:
        for m in (1, 2, 5):
            if span <= (most - 1) * step * m:  # whole numbers: no float overflows past 1e308
                step *= m
                if inside:
                    return tuple(range(-(-low // step) * step, high + 1, step))
                first = (low // step) * step
                ticks = list(range(first, high + step, step))
                return tuple(ticks if ticks[-1] >= high else [*ticks, ticks[-1] + step])
        step *= 10


def figure(a: Analysis, what: str = "size", low: int = DEFAULT_RANGE[0], high: int = DEFAULT_RANGE[1],
           words: Mapping[str, str] = WORDS, batch: int = 1) -> Figure:
    """The figure of ``what`` (one of :data:`WHAT`) against the input size for the analysis ``a`` in I
    (``memory``: a training step's bytes at ``batch``)."""
    from ..symbols import I

    if what not in WHAT:
        raise SpecError(f"unknown plot {what!r}; choose one of {', '.join(WHAT)}", where="--what", rule="plot")
    if a.symbols != (I,):
        raise SymcnnError("a plot is against the square input size I", where="plot", rule="analysis in I")
    if a.stopped is not None:
        raise SymcnnError(a.stopped.text(), where=a.network, rule="time budget")
    if not a.min_inputs[I].is_Integer:
        raise SymcnnError(f"the smallest input is {a.min_inputs[I]}: give the hyper-parameters values to plot",
                          where=a.network, rule="a number at every size")
    sizes = range(low, high + 1)
    valid = [s for s in sizes if _valid(a, s)]
    if what == "size":
        groups: dict = {}
        for la in a.layers:
            if not la.output.is_vector:
                groups.setdefault(la.output.spatial[-1], []).append(la.name)
        named = [(_group_label(names), expr) for expr, names in groups.items()]
    elif what == "memory":
        from sympy import Integer

        from ..analysis.memory import memory

        m = memory(a.derivation)
        named = [(words["memory_training"], Integer(0) + m.training(batch)),
                 (words["memory_saved"], Integer(0) + m.activations(batch))]
    else:
        named = [(words[what], getattr(a, what))]
    series = []
    for label, expr in named:
        others = sorted(map(str, expr.free_symbols - {I}))
        if others:
            raise SymcnnError(f"{label} depends on {', '.join(others)} as well as on I: give them values to plot it",
                              where=a.network, rule="a number at every size")
        f = a.compile(expr)
        series.append(Series(label, tuple((s, int(f(s))) for s in valid)))
    top = max(max((v for s in series for _, v in s.points), default=1), 1)  # all zero (a max pool's MACs): 0 to 1
    return Figure(a.network, what, a.rounding, low, high, tuple(series),
                  _runs([s for s in sizes if not _valid(a, s)]), nice_ticks(low, high, inside=True), nice_ticks(0, top),
                  words)


def _group_label(names: list[str]) -> str:
    """The layers that share one output width: ``conv3 … conv5 (3)``, or ``layer2.0.conv1 + 9``."""
    if len(names) == 1:
        return names[0]
    label = f"{names[0]} … {names[-1]} ({len(names)})"
    return label if len(label) <= 30 else f"{names[0]} + {len(names) - 1}"


def tick_label(value: int, step: int) -> str:
    """A tick's label, short: ``60M``, ``1.5G``, ``224``.

    >>> tick_label(60_000_000, 20_000_000), tick_label(1_500_000_000, 500_000_000), tick_label(224, 32)
    ('60M', '1.5G', '224')
    """
    for size, suffix in ((10**12, "T"), (10**9, "G"), (10**6, "M"), (10**3, "k")):
        if step >= size // 10 and value >= size:
            whole, rest = divmod(value, size)
            digits = str(rest * 1000 // size).rjust(3, "0").rstrip("0") if rest else ""
            return f"{whole}{'.' + digits if digits else ''}{suffix}"
    return str(value)


def labels(ticks: tuple[int, ...]) -> list[str]:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    return [tick_label(t, step) for t in ticks]


# -- SVG ----------------------------------------------------------------------------------------

WIDTH, HEIGHT = 760, 380
LEFT, RIGHT, TOP, BOTTOM = 64, 230, 34, 52


def _fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def svg(f: Figure, *, marker: bool = False, caption: str | None = None) -> str:
    """The figure as an SVG document (``marker``: a line the HTML page moves to the size chosen)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    x0, x1 = f.low, f.high

    def x(v: float) -> float:
        return LEFT + (v - x0) * plot_w / (x1 - x0)

    def y(v: float) -> float:
        return TOP + plot_h - v * plot_h / f.ymax

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
           f'height="{HEIGHT}" role="img" font-family="sans-serif" font-size="12" class="symcnn-plot" '
           f'data-what="{f.what}" data-x="{x0} {_fmt(x(x0))} {x1} {_fmt(x(x1))}" data-y="0 {_fmt(y(0))} '
           f'{f.ymax} {_fmt(y(f.ymax))}">',
           f"<title>{escape(caption or f.title)}</title>",
           *([] if caption else [f'<text x="{LEFT}" y="{TOP - 12}" font-size="13">{escape(f.title)}</text>']),
           f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fff" stroke="#999"/>']
    for t, label in zip(f.yticks, labels(f.yticks)):
        out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{_fmt(y(t))}" y2="{_fmt(y(t))}" stroke="#eee"/>'
                   f'<text x="{LEFT - 6}" y="{_fmt(y(t) + 4)}" text-anchor="end">{label}</text>')
    for t, label in zip(f.xticks, labels(f.xticks)):
        out.append(f'<line x1="{_fmt(x(t))}" x2="{_fmt(x(t))}" y1="{TOP + plot_h}" y2="{TOP + plot_h + 4}" '
                   f'stroke="#999"/><text x="{_fmt(x(t))}" y="{TOP + plot_h + 17}" text-anchor="middle">{label}</text>')
    out.append(f'<text x="{LEFT + plot_w / 2:g}" y="{HEIGHT - 12}" text-anchor="middle">{escape(f.words["x"])}</text>')
    band = plot_h * 0.025
    for a, b in f.invalid:
        out.append(f'<rect class="invalid" x="{_fmt(x(a - 0.5))}" y="{_fmt(TOP + plot_h - band)}" '
                   f'width="{_fmt(x(b + 0.5) - x(a - 0.5))}" height="{_fmt(band)}" fill="#e06666"/>')
    for i, s in enumerate(f.series):
        color = COLORS[i % len(COLORS)]
        points = " ".join(f"{_fmt(x(v))},{_fmt(y(w))}" for v, w in s.points)
        out.append(f'<polyline class="series" data-label="{escape(s.label)}" fill="none" stroke="{color}" '
                   f'stroke-width="1.8" points="{points}"/>')
        if len(s.points) <= MARKERS_UP_TO:
            out += [f'<circle cx="{_fmt(x(v))}" cy="{_fmt(y(w))}" r="2.6" fill="{color}"><title>{escape(s.label)}: '
                    f'I = {v}: {grouped(w)}</title></circle>' for v, w in s.points]
    legend_x = LEFT + plot_w + 16
    for i, s in enumerate(f.series):
        ly = TOP + 8 + 18 * i
        out.append(f'<line x1="{legend_x}" x2="{legend_x + 18}" y1="{ly}" y2="{ly}" stroke="{COLORS[i % len(COLORS)]}" '
                   f'stroke-width="2.5"/><text x="{legend_x + 24}" y="{ly + 4}">{escape(_short(s.label))}</text>')
    if f.invalid:
        ly = TOP + 8 + 18 * len(f.series)
        out.append(f'<rect x="{legend_x}" y="{ly - 3}" width="18" height="6" fill="#e06666"/>'
                   f'<text x="{legend_x + 24}" y="{ly + 4}">{escape(f.words["invalid"])}</text>')
    if marker:
        out.append(f'<line data-marker="" data-i0="{x0}" data-x0="{_fmt(x(x0))}" data-i1="{x1}" '
                   f'data-x1="{_fmt(x(x1))}" x1="0" x2="0" y1="{TOP}" y2="{TOP + plot_h}" stroke="#333" '
                   'stroke-dasharray="4 3" style="display:none"/>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _short(label: str, most: int = 30) -> str:
    return label if len(label) <= most else label[:most - 1] + "…"


# -- pgfplots -------------------------------------------------------------------------------------


def pgfplots(f: Figure, escape_tex) -> str:
    """The figure as a pgfplots ``tikzpicture`` (needs ``\\usepackage{pgfplots}``); ``escape_tex``
    makes the labels literal."""
    colors = "\n".join(rf"\definecolor{{symcnn{i}}}{{HTML}}{{{c[1:]}}}" for i, c in enumerate(COLORS))
    xl, yl = labels(f.xticks), labels(f.yticks)
    y = _tex_y(f.ymax)
    lines = [
        colors,
        r"\begin{tikzpicture}",
        r"\begin{axis}[width=0.62\linewidth, height=5.6cm, scale only axis=false, axis on top=false,",
        rf"  xmin={f.low}, xmax={f.high}, ymin=0, ymax={y(f.ymax)},",
        rf"  xtick={{{','.join(map(str, f.xticks))}}}, xticklabels={{{','.join(xl)}}},",
        rf"  ytick={{{','.join(map(y, f.yticks))}}}, yticklabels={{{','.join(yl)}}}, scaled ticks=false,",
        rf"  xlabel={{{escape_tex(f.words['x'])}}}, tick label style={{font=\footnotesize}},",
        r"  legend pos=outer north east, legend cell align=left, legend style={font=\footnotesize, draw=none},",
        r"  ymajorgrids, grid style={gray!20}]",
    ]
    band = f"{f.ymax / 40:.6g}" if f.ymax < FLOAT_MOST else y(f.ymax // 40)
    for a, b in f.invalid:
        lines.append(rf"\fill[red!60] (axis cs:{a - 0.5},0) rectangle (axis cs:{b + 0.5},{band});")
    for i, s in enumerate(f.series):
        mark = r", mark=*, mark size=1.2pt" if len(s.points) <= MARKERS_UP_TO else ", mark=none"
        coords = " ".join(f"({v}, {y(w)})" for v, w in s.points)  # a comma and a space: no decimal comma
        lines.append(rf"\addplot[color=symcnn{i % len(COLORS)}, thick{mark}] coordinates {{{coords}}};")
        lines.append(rf"\addlegendentry{{{_tex_label(escape_tex, s.label)}}}")
    if f.invalid:
        lines.append(r"\addlegendimage{area legend, fill=red!60, draw=none}")
        lines.append(rf"\addlegendentry{{{escape_tex(f.words['invalid'])}}}")
    lines += [r"\end{axis}", r"\end{tikzpicture}"]
    return "\n".join(lines)


def _tex_y(ymax: int):
    """How a height is written for pgfplots: as it is, or past a float (a line of points of 400
    digits each is past TeX's longest line) as a share of 1,000 of the top (the ticks keep
    their labels)."""
    if ymax < FLOAT_MOST:
        return str
    return lambda v: f"{v * 1000 / ymax:.6g}"


def _tex_label(escape_tex, label: str) -> str:
    return escape_tex(_short(label)).replace("…", r"\ldots{}")


# -- PNG and PDF --------------------------------------------------------------------------------


def check_file(path: Path) -> None:
    """Refuse, before any work, a file type symcnn cannot write (or cannot here: PNG and PDF need matplotlib)."""
    suffix = path.suffix.lower()
    if suffix not in (".svg", ".png", ".pdf"):
        raise SpecError(f"a plot is written as .svg, .png or .pdf, got {path.name!r}", where="--out",
                        rule="plot file type")
    if suffix != ".svg":
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            raise SymcnnError(f"{suffix} plots need matplotlib: pip install 'symcnn[plot]' (or write .svg)",
                              where="--out", rule="matplotlib installed") from None


def save(f: Figure, path: Path) -> Path:
    """The figure as ``path``: ``.svg`` written here, ``.png`` and ``.pdf`` through matplotlib."""
    check_file(path)
    if path.suffix.lower() == ".svg":
        write_files({path: svg(f)})
        return path
    if f.ymax >= FLOAT_MOST:
        raise SymcnnError(f"values up to {quote(f.ymax)} are past what matplotlib draws (floats end at 1.8e308); "
                          "write an .svg", where="--out", rule="plot values")
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    fig, ax = pyplot.subplots(figsize=(WIDTH / 96, HEIGHT / 96), dpi=144)
    try:
        for i, s in enumerate(f.series):
            xs, ys = [p[0] for p in s.points], [p[1] for p in s.points]
            ax.plot(xs, ys, color=COLORS[i % len(COLORS)], linewidth=1.6, label=_short(s.label),
                    marker="o" if len(xs) <= MARKERS_UP_TO else None, markersize=3)
        for n, (a, b) in enumerate(f.invalid):
            ax.axhspan(0, f.ymax * 0.025, xmin=(a - 0.5 - f.low) / (f.high - f.low),
                       xmax=(b + 0.5 - f.low) / (f.high - f.low), color="#e06666", linewidth=0,
                       label=f.words["invalid"] if n == 0 else None)
        ax.set_xlim(f.low, f.high)
        ax.set_ylim(0, f.ymax)
        ax.set_xticks(f.xticks, labels(f.xticks))
        ax.set_yticks(f.yticks, labels(f.yticks))
        ax.set_xlabel(f.words["x"])
        ax.set_title(f.title, fontsize=10)
        ax.grid(axis="y", color="#eee")
        if f.series or f.invalid:  # else matplotlib warns on stderr (a network of linear layers only)
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
        fig.tight_layout()
        image = io.BytesIO()
        fig.savefig(image, format=path.suffix.lower()[1:])
    finally:
        pyplot.close(fig)
    write_files({path: image.getvalue()})  # whole or not at all, with the umask's mode, as every file
    return path


__all__ = ["Figure", "Series", "figure", "svg", "pgfplots", "save", "parse_range", "nice_ticks", "tick_label",
           "check_file", "WHAT", "WORDS", "DEFAULT_RANGE"]


def batch_figure(a: Analysis, low: int, high: int, words: Mapping[str, str] = WORDS) -> Figure:
    """A training step's bytes against the batch size B from ``low`` to ``high``, at the network's input."""
    from sympy import Integer

    from ..analysis.memory import memory

    m = memory(a.derivation)
    at = a.values_at()
    series = tuple(Series(label, tuple((b, int((Integer(0) + f(b)).xreplace(at))) for b in range(low, high + 1)))
                   for label, f in ((words["memory_training"], m.training), (words["memory_saved"], m.activations)))
    top = max((v for s in series for _, v in s.points), default=1)
    return Figure(a.network, "memory", a.rounding, low, high, series, (), nice_ticks(low, high, inside=True),
                  nice_ticks(0, top), {**words, "x": words["x_batch"],
                                       "title": "{network}: {what} against the batch size"})
