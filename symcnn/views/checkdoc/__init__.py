r"""Check the arithmetic of the equations in a Markdown or LaTeX document.

``symcnn check-doc DOC`` reads a document, finds its math and checks every chain of
equalities it can evaluate.  Nothing in the document is ever run as code: each side of
an equation goes through sympy's LaTeX parser (lark backend) and the resulting tree is
evaluated here, with exact fractions and size limits; ``eval``/``sympify`` are never
called on document text.

Where the math is
    ``$...$``, ``$$...$$``, ``\(...\)``, ``\[...\]`` and the ``equation``, ``align`` and
    ``gather`` environments (starred or not).  YAML front matter is ignored; in Markdown
    so are code spans, fenced code blocks, HTML comments and escaped dollars ``\$``; in
    LaTeX so are ``%`` comments, ``\verb`` and verbatim-like environments.  A document is
    LaTeX when its name ends in ``.tex`` or it has ``\documentclass`` or
    ``\begin{document}``; otherwise it is Markdown.

Statements
    Math is cut into lines at ``\\`` and each line into statements at top-level (outside
    braces and brackets) ``;``, ``\quad``, ``\qquad``, ``\text{...}``, relations other
    than ``=`` (``\approx``, ``<``, ``\le``, ``\Rightarrow``, ...) and commas that are not
    thousands separators.  A comma is a thousands separator only inside a number whose
    first group has 1-3 digits and every later group exactly 3 (``34,848``,
    ``4,096,000``; LaTeX's ``34{,}848`` and ``34\,848`` too); so in
    ``F_{-1}=4096,\; F=1000`` the comma separates two statements.  A statement with
    ``=`` (or ``:=``) is an equation; other statements are ignored.  A line that starts
    with ``=`` (``&= ...`` in ``align``) continues the chain of the line before it.

Names and definitions
    A letter or Greek letter with an optional subscript is one name (``W_{c}``,
    ``P_{s}``, ``F_{-1}``, ``\alpha_1``); ``W_c``, ``W_{c}`` and ``W_{\mathrm{c}}`` are
    the same name, and ``I``, ``E``, ``S``, ``d`` are names like any other.  Adjacent
    factors multiply (``2P``, ``KCN``, ``K^{2}CN``) and a name followed by ``(`` is a
    product, never a function call.  When an equation starts with a bare name, the name
    is being defined, not claimed: it takes the value of the last side that evaluates
    and keeps it until it is defined again (``C=3`` ... ``C=256``: later equations see
    256).  A definition whose value cannot be evaluated, such as the general formula
    ``O=\frac{I-K+2P}{S}+1``, defines nothing (an earlier value of ``O`` is kept) and
    counts as skipped.  A chain with a wrong step defines nothing either and forgets
    the name: the document contradicts itself about its value, so later equations
    using it are skipped rather than flagged a second time for the same slip.

What is checked
    Each step of a chain, that is each pair of adjacent sides after the defined name, is
    *checked* when both sides evaluate to numbers and *skipped* when either does not
    (unknown names, unsupported LaTeX, parse failures, numbers too large).  A checked
    step whose sides differ is *wrong*; the right side is then reported against the
    left side's value, which is what it should have been.  Supported: numbers, ``+``,
    ``-``, ``\times``, ``\cdot``, ``*``, ``/``, ``\div``, ``^``, ``\frac``, parentheses
    (with or without ``\left``/``\right``), exact ``\sqrt``, ``!``, ``|x|``, floor,
    ceiling, ``\max``/``\min``.  Values are exact rationals; only when a side is a
    plain decimal literal such as ``0.33`` may the other side differ from it by half a
    unit in its last written digit.  Skipped as ambiguous: ``12 345`` (digits separated
    by a plain space) and ``/`` next to an implicit product (``a/bc``).

Values in reports are strings: integers with thousands separators (``94,944``),
terminating fractions as decimals (``2.5``), others as ``p/q``.

>>> result = check_document("$$P_{c}=94,848+96=34,944$$")
>>> result.checked, result.skipped, result.wrong[0].left, result.wrong[0].right
(1, 0, '94,944', '34,944')
"""

from __future__ import annotations

from .check import check_document, check_file
from .evaluate import _format_value  # noqa: F401  (the tests read it)
from .output import format_text, to_json
from .results import DocCheck, WrongStep

__all__ = ["WrongStep", "DocCheck", "check_document", "check_file", "to_json", "format_text"]
