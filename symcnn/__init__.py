"""symcnn: CNN tensor sizes and parameter counts, derived symbolically with sympy.

>>> import symcnn
>>> net = symcnn.load("alexnet")
>>> d = net.derive()
>>> d.total_params
62378344
>>> print(d["conv1"].steps[0])
O = (I - K + 2*P)/S + 1 = (227 - 11 + 2*0)/4 + 1 = 55

This module is the facade: the public names, each loaded on first use, and the notebook
display of networks and derivations, registered with IPython's formatters where IPython
runs (the engine's records know nothing of the views). How the package is built: see
docs/building.md.
"""

import re
import sys
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names as a type checker sees them; at run time each loads on first use
    from .analysis.closed import Analysis, analyse, explain
    from .analysis.counting import compare, count
    from .analysis.forms import ClosedForm
    from .analysis.memory import memory
    from .analysis.solve import Solutions, solve
    from .attention import ClassToken, PositionEmbedding, SelfAttention, Tokens, TokenSelect
    from .builders.load import load
    from .builders.onnx import from_onnx
    from .builders.torch import from_torch
    from .errors import (
        LayerError,
        LimitError,
        RoundingError,
        ShapeError,
        SolveError,
        SpecError,
        SymcnnError,
        UnknownNameError,
    )
    from .formulas import (
        FORMULA_NAMES,
        Formula,
        conv_output,
        conv_params,
        fc_conv_params,
        fc_fc_params,
        formula,
        pool_output,
    )
    from .layers import (
        GELU,
        LAYER_TYPES,
        LRN,
        AdaptiveAvgPool,
        AdaptiveMaxPool,
        Add,
        AvgPool,
        AvgPool1d,
        AvgPool2d,
        AvgPool3d,
        BatchNorm,
        ChannelLinear,
        ChannelShuffle,
        Concat,
        Conv,
        Conv1d,
        Conv2d,
        Conv3d,
        ConvTranspose,
        ConvTranspose1d,
        ConvTranspose2d,
        ConvTranspose3d,
        Crop,
        Dropout,
        DropPath,
        Elementwise,
        Flatten,
        GlobalAvgPool,
        GroupNorm,
        Hardsigmoid,
        Hardswish,
        Identity,
        Layer,
        LayerNorm,
        Linear,
        MaxPool,
        MaxPool1d,
        MaxPool2d,
        MaxPool3d,
        Multiply,
        Opaque,
        Pad,
        PixelShuffle,
        PixelUnshuffle,
        ReLU,
        ReLU6,
        Scale,
        Sigmoid,
        SiLU,
        Softmax,
        Split,
        Tanh,
        Upsample,
    )
    from .network import Network
    from .printing import display
    from .records import LayerDerivation, NetworkDerivation, Step
    from .rounding import ROUNDINGS
    from .shape import Shape
    from .symbols import (
        B_c,
        B_cf,
        B_ff,
        C,
        D,
        F,
        F_prev,
        G,
        H,
        I,
        K,
        N,
        O,
        P,
        P_c,
        P_cf,
        P_ff,
        P_s,
        S,
        V,
        W,
        W_c,
        W_cf,
        W_ff,
    )
    from .views.report.render import report

__version__ = "0.2.0"


def _public_names() -> dict[str, str]:
    """Each public name and its home module, read from the ``if TYPE_CHECKING:`` imports above:
    the one list of the package's names, which type checkers read as imports and which this
    reads as text (nothing imported, not even ``ast``, which costs ``import symcnn`` more than
    all of this) to load each name on first use."""
    source = Path(__file__).read_text(encoding="utf-8")
    block = source.split("\nif TYPE_CHECKING:", 1)[1].split("\n\n", 1)[0]
    return {name: f"symcnn.{module}" for module, names in re.findall(r"from \.([\w.]+) import (\([^)]*\)|.*)", block)
            for name in re.findall(r"\w+", names)}


# Every public name loads on first use, so that `import symcnn` (and `symcnn --help`, which
# imports it) does not import sympy; `from symcnn import X` works as for any module.
_HOMES = _public_names()
__all__ = ["__version__", *_HOMES]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        value = getattr(import_module(_HOMES[name]), name)
        globals()[name] = value  # looked up once; a submodule import must not shadow it later (symcnn.solve)
        return value
    if name[:1].isupper():  # a layer kind added since (its class registers itself): symcnn.NewKind
        kinds = {cls.__name__: cls for cls in import_module("symcnn.layers").LAYER_TYPES.values()}
        if name in kinds:
            return kinds[name]
    raise AttributeError(f"module 'symcnn' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


def _notebook_display() -> None:
    """Show networks and derivations as Markdown and LaTeX in IPython (Jupyter): the views'
    :mod:`symcnn.views.notebook` registered with IPython's formatters by type name, so that
    neither the records nor the views load before something is shown."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return
    formatters = shell.display_formatter.formatters
    shown = (("symcnn.network", "Network"), ("symcnn.records", "NetworkDerivation"),
             ("symcnn.records", "LayerDerivation"))
    for module, name in shown:
        formatters["text/markdown"].for_type_by_name(module, name, _markdown)
    for module, name in (*shown, ("symcnn.records", "Step")):
        formatters["text/latex"].for_type_by_name(module, name, _latex)


def _markdown(value: Any) -> str:
    from .views.notebook import markdown

    return markdown(value)


def _latex(value: Any) -> str:
    from .views.notebook import latex

    return latex(value)


_notebook_display()
