r"""Check the arithmetic a document writes: in its math, its prose and its tables.

``symcnn check-doc DOC`` reads a Markdown, LaTeX, plain-text or HTML document or a Jupyter
notebook, finds every equality a reader could check and checks it; with ``--network NET``
it also checks the tensor sizes and parameter counts the document gives for that network's
layers. Nothing
in a document is ever run as code: its arithmetic is read by a grammar of our own and
computed with exact fractions.

One module per step, in the order the data flows:

* :mod:`.find`: what to read (math, prose, table cells) and what not (code, comments);
  :mod:`.notebook` and :mod:`.webpage` read a notebook's cells and a page's text into it,
  each line placed where it is in the file;
* :mod:`.literals`: numbers as written (separators of either convention, unit suffixes,
  rounded figures) and as shown back;
* :mod:`.tokens`: math and prose as tokens;
* :mod:`.statements`: tokens cut into chains of equalities, with their positions;
* :mod:`.evaluate`: one side parsed (an LALR grammar, lark) and computed;
* :mod:`.check`: names and their values, each step's verdict; :mod:`.blame`: which part
  of a wrong step is wrong;
* :mod:`.network`: what the document says about a network's layers;
* :mod:`.output`: text, JSON and GitHub annotations.

>>> result = check_document("$$P_{c}=94,848+96=34,944$$")
>>> result.checked, result.skipped, result.wrong[0].left, result.wrong[0].right
(1, 0, '94,944', '34,944')
>>> check_document("Conv-1: 11x11x3x96 + 96 = 34,944 parameters.").status
'ok'
"""

from __future__ import annotations

from .check import check_document, check_file, read_document
from .literals import format_value
from .output import FORMATS, format_github, format_text, to_json
from .results import Blame, DocCheck, Formula, NetworkClaim, Skip, WrongStep

__all__ = [
    "check_document", "check_file", "read_document", "DocCheck", "WrongStep", "Blame", "Skip", "Formula",
    "NetworkClaim", "to_json", "format_text", "format_github", "FORMATS", "format_value",
]
