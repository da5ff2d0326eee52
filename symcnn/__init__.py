"""symcnn: CNN tensor sizes and parameter counts, derived symbolically with sympy.

>>> import symcnn
>>> net = symcnn.load("alexnet")
>>> d = net.derive()
>>> d.total_params
62378344
>>> print(d["conv1"].steps[0])
O = (I - K + 2*P)/S + 1 = (227 - 11 + 2*0)/4 + 1 = 55

This module is the facade: the public names, and the wiring of the late-bound services
(:mod:`symcnn.hooks`) through which the engine reaches the analysis and the views without
importing them. How the package is built: see the README's "How it is built".
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from . import hooks

if TYPE_CHECKING:  # the names as a type checker sees them; at run time each loads on first use
    from .analysis.closed import Analysis, analyse
    from .analysis.counting import compare, count
    from .analysis.memory import memory
    from .analysis.solve import solve
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

__all__ = [
    "__version__",
    # symbols
    "I", "K", "P", "S", "N", "C", "F", "O", "P_s", "F_prev", "H", "W", "D", "G", "V",
    "W_c", "B_c", "P_c", "W_cf", "B_cf", "P_cf", "W_ff", "B_ff", "P_ff",
    # formulas
    "Formula", "formula", "FORMULA_NAMES", "ROUNDINGS",
    "conv_output", "pool_output", "conv_params", "fc_conv_params", "fc_fc_params",
    # layers and networks
    "Layer", "LAYER_TYPES", "Conv", "Conv1d", "Conv2d", "Conv3d",
    "ConvTranspose", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d",
    "MaxPool", "MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool", "AvgPool1d", "AvgPool2d", "AvgPool3d",
    "AdaptiveAvgPool", "AdaptiveMaxPool", "GlobalAvgPool", "BatchNorm", "LayerNorm", "GroupNorm", "LRN",
    "ReLU", "ReLU6", "Hardswish", "Hardsigmoid", "SiLU", "Sigmoid", "Tanh", "GELU", "Softmax", "Identity",
    "Dropout", "Flatten", "Linear", "Add", "Concat",
    "Multiply", "Elementwise", "DropPath", "ChannelShuffle", "Split", "Upsample", "Pad", "Crop", "PixelShuffle",
    "PixelUnshuffle", "ChannelLinear", "Scale", "Opaque",
    "Network", "Shape", "load", "display",
    # importers (torch and onnx load only when asked)
    "from_torch", "from_onnx",
    # reports and whole-network analysis
    "report", "analyse", "Analysis", "solve",
    # compute as each tool counts it, and the memory of a training step
    "count", "compare", "memory",
    # derivations
    "Step", "LayerDerivation", "NetworkDerivation",
    # errors
    "SymcnnError", "ShapeError", "RoundingError", "LayerError", "SpecError", "UnknownNameError", "SolveError",
    "LimitError",
]

# The engine's late-bound services, provided by the layers above it (imported on first use).
hooks.provide("analyse", "symcnn.analysis.closed:analyse")
hooks.provide("declared_mismatch", "symcnn.analysis.closed:declared_mismatch")
hooks.provide("markdown", "symcnn.views.notebook:markdown")
hooks.provide("latex", "symcnn.views.notebook:latex")

# Every public name loads on first use, so that `import symcnn` (and `symcnn --help`, which
# imports it) does not import sympy; `from symcnn import X` works as for any module.
_HOMES = {
    name: module
    for module, names in {
        "symcnn.builders.load": "load",
        "symcnn.errors": (
            "LayerError RoundingError ShapeError SolveError SpecError SymcnnError UnknownNameError LimitError"
        ),
        "symcnn.formulas": (
            "FORMULA_NAMES Formula conv_output conv_params fc_conv_params fc_fc_params formula pool_output"
        ),
        "symcnn.layers": (
            "GELU LAYER_TYPES LRN AdaptiveAvgPool AdaptiveMaxPool Add AvgPool AvgPool1d AvgPool2d AvgPool3d "
            "BatchNorm Concat Conv Conv1d Conv2d Conv3d ConvTranspose ConvTranspose1d ConvTranspose2d "
            "ConvTranspose3d Dropout Flatten GlobalAvgPool GroupNorm Hardsigmoid Hardswish Identity Layer "
            "LayerNorm Linear MaxPool MaxPool1d MaxPool2d MaxPool3d ReLU ReLU6 Sigmoid SiLU Softmax Tanh "
            "Multiply Elementwise DropPath ChannelShuffle Split Upsample Pad Crop PixelShuffle PixelUnshuffle "
            "ChannelLinear Scale Opaque"
        ),
        "symcnn.network": "Network",
        "symcnn.records": "LayerDerivation NetworkDerivation Step",
        "symcnn.rounding": "ROUNDINGS",
        "symcnn.shape": "Shape",
        "symcnn.printing": "display",
        "symcnn.symbols": "B_c B_cf B_ff C D F F_prev G H I K N O P P_c P_cf P_ff P_s S V W W_c W_cf W_ff",
        "symcnn.analysis.closed": "analyse Analysis",
        "symcnn.analysis.solve": "solve",
        "symcnn.analysis.counting": "count compare",
        "symcnn.analysis.memory": "memory",
        "symcnn.views.report.render": "report",
        "symcnn.builders.torch": "from_torch",
        "symcnn.builders.onnx": "from_onnx",
    }.items()
    for name in names.split()
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        value = getattr(import_module(_HOMES[name]), name)
        globals()[name] = value  # looked up once; a submodule import must not shadow it later (symcnn.solve)
        return value
    raise AttributeError(f"module 'symcnn' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})
