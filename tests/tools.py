"""The four profilers, run on a PyTorch model as their users run them (eval, one sample), and the
models the counting and memory tests compare with: every built-in network's PyTorch reference
(tests/torch_zoo.py) and torchvision's families (tests/torch_families.py).

Imported by test modules only after ``require`` of torch, torchvision and the tools.
"""

from __future__ import annotations

import copy
import io
import logging
import warnings

import torch
import torch_zoo
from torch import nn

#: Two sizes each built-in network's PyTorch model takes (an FC layer fixes the size of the article's
#: AlexNets and LeNet-5 to a range; the others pool adaptively), the smaller where the model allows.
BUILTIN_SIZES = {
    "lenet5": (32, 35), "alexnet": (227, 250), "alexnet-paper": (227, 250), "alexnet-torchvision": (96, 131),
    "vgg16": (224, 240), "vgg16-bn": (224, 240), "resnet18": (64, 97), "resnet50": (64, 97),
    "mobilenet-v2": (64, 97),
}
#: (H, W) two sizes for torchvision's families, one not square; Inception-v3 at the import tests' sizes
#: (at 96 x 96 its training-only auxiliary head fits no input symcnn tries).
FAMILY_SIZES = ((96, 96), (80, 112))
SIZES_OF = {"inception_v3": ((160, 160), (112, 208))}


def builtin_model(name: str) -> nn.Module:
    """The built-in network's PyTorch model in eval. The article's AlexNet leaves out the ReLUs and the
    dropout: its model is torch_zoo's with those replaced by ``nn.Identity``, which no tool counts."""
    model, _ = torch_zoo.build(name)
    if name == "alexnet":
        for parent in model.modules():
            for key, child in parent.named_children():
                if isinstance(child, (nn.ReLU, nn.Dropout)):
                    setattr(parent, key, nn.Identity())
    return model.eval()


def fvcore_total(model: nn.Module, x: torch.Tensor) -> int:
    from fvcore.nn import FlopCountAnalysis

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        analysis = FlopCountAnalysis(model.eval(), x)
        analysis.unsupported_ops_warnings(False)
        analysis.uncalled_modules_warnings(False)
        logging.getLogger("fvcore").setLevel(logging.ERROR)
        return int(analysis.total())


def ptflops_total(model: nn.Module, x: torch.Tensor) -> int:
    from ptflops import get_model_complexity_info

    macs, _ = get_model_complexity_info(model.eval(), tuple(x.shape[1:]), as_strings=False,
                                        print_per_layer_stat=False, verbose=False, ost=io.StringIO())
    assert macs is not None, "ptflops failed"
    return int(macs)


def thop_total(model: nn.Module, x: torch.Tensor) -> int:
    import thop

    # thop leaves buffers on the modules it has no rule for: it profiles a copy
    ops, _ = thop.profile(copy.deepcopy(model).eval(), (x,), verbose=False)
    return round(ops)


def torchinfo_total(model: nn.Module, x: torch.Tensor) -> int:
    import torchinfo

    return int(torchinfo.summary(model.eval(), input_size=tuple(x.shape), verbose=0, mode="eval").total_mult_adds)


TOOLS = {"fvcore": fvcore_total, "ptflops": ptflops_total, "thop": thop_total, "torchinfo": torchinfo_total}
