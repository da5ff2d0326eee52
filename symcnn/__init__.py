"""symcnn: CNN tensor sizes and parameter counts, derived symbolically with sympy.

>>> import symcnn
>>> net = symcnn.load("alexnet")
>>> d = net.derive()
>>> d.total_params
62378344
>>> print(d["conv1"].steps[0])
O = (I - K + 2*P)/S + 1 = (227 - 11 + 2*0)/4 + 1 = 55
"""

from .derivation import LayerDerivation, NetworkDerivation, Step
from .errors import (
    LayerError, RoundingError, ShapeError, SolveError, SpecError, SymcnnError, UnknownNameError,
)
from .formulas import (
    FORMULA_NAMES, ROUNDINGS, Formula, conv_output, conv_params, fc_conv_params, fc_fc_params, formula,
    pool_output,
)
from .layers import LRN, AvgPool2d, Conv2d, Dropout, Flatten, Layer, Linear, MaxPool2d, ReLU, Softmax
from .network import Network
from .networks import load
from .report import report
from .shape import Shape
from .symbols import (
    B_c, B_cf, B_ff, C, D, F, F_prev, G, H, I, K, N, O, P, P_c, P_cf, P_ff, P_s, S, W, W_c, W_cf, W_ff,
)

__all__ = [
    # symbols
    "I", "K", "P", "S", "N", "C", "F", "O", "P_s", "F_prev", "H", "W", "D", "G",
    "W_c", "B_c", "P_c", "W_cf", "B_cf", "P_cf", "W_ff", "B_ff", "P_ff",
    # formulas
    "Formula", "formula", "FORMULA_NAMES", "ROUNDINGS",
    "conv_output", "pool_output", "conv_params", "fc_conv_params", "fc_fc_params",
    # layers and networks
    "Layer", "Conv2d", "MaxPool2d", "AvgPool2d", "Linear", "Flatten", "ReLU", "Softmax", "LRN", "Dropout",
    "Network", "Shape", "load",
    # reports
    "report",
    # derivations
    "Step", "LayerDerivation", "NetworkDerivation",
    # errors
    "SymcnnError", "ShapeError", "RoundingError", "LayerError", "SpecError", "UnknownNameError", "SolveError",
]
