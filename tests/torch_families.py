"""The torchvision models the import tests use: the smallest of each classification family, two
segmentation networks, and PyTorch's own shapes of a model, recorded by forward hooks on real tensors.

Imported by test modules only after ``require("torch")`` and ``require("torchvision")``.
"""

from __future__ import annotations

import warnings

import torch
import torchvision.models as tvm
import torchvision.models.segmentation as seg
from torch import nn

# (H, W) sizes: the first is the import size; the others are not square. Smaller than the 224 x 224
# the models are trained at, to keep the forward passes short: every model takes them (Inception-v3
# needs 75 x 75; its auxiliary head, which runs only in training, does not fit them and is skipped).
SIZES = ((160, 160), (192, 128), (112, 208))


def _quiet(build):
    def make():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # GoogLeNet's and Inception's notes on weight initialisation
            return build()
    return make


# family -> (builder, sizes); the smallest model of each family torchvision has.
FAMILIES = {
    "alexnet": (tvm.alexnet, SIZES),
    "vgg11": (tvm.vgg11, SIZES),
    "resnet18": (tvm.resnet18, SIZES),
    "resnext50_32x4d": (tvm.resnext50_32x4d, SIZES),
    "wide_resnet50_2": (tvm.wide_resnet50_2, SIZES),
    "squeezenet1_1": (tvm.squeezenet1_1, SIZES),
    "densenet121": (tvm.densenet121, SIZES),
    "googlenet": (_quiet(tvm.googlenet), SIZES),  # with its two auxiliary heads (training only)
    "inception_v3": (_quiet(tvm.inception_v3), SIZES),  # with its auxiliary head
    "mobilenet_v2": (tvm.mobilenet_v2, SIZES),
    "mobilenet_v3_small": (tvm.mobilenet_v3_small, SIZES),
    "mnasnet0_5": (tvm.mnasnet0_5, SIZES),
    "shufflenet_v2_x0_5": (tvm.shufflenet_v2_x0_5, SIZES),
    "efficientnet_b0": (tvm.efficientnet_b0, SIZES),
    "efficientnet_v2_s": (tvm.efficientnet_v2_s, SIZES),
    "regnet_y_400mf": (tvm.regnet_y_400mf, SIZES),
    "convnext_tiny": (tvm.convnext_tiny, SIZES),
    # segmentation: a ResNet-50 backbone with dilation, and MobileNet-v3 with its upsampling head
    "fcn_resnet50": (lambda: seg.fcn_resnet50(weights=None, weights_backbone=None), SIZES),
    "lraspp_mobilenet_v3_large": (lambda: seg.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None),
                                  SIZES),
}


def hooked_shapes(model: nn.Module, size: tuple[int, int]) -> list[tuple[str, list[int]]]:
    """``(name, H x W x C)`` of every call of every leaf module, in order, from one forward pass of
    a real tensor of zeros in eval mode. The k-th call of a module is named ``name@k`` (k >= 2).

    Channels lie where PyTorch puts them: second (N, C, H, W) except after a module that works on
    the last axis of a 4-d tensor (Linear, LayerNorm) or torchvision's Permute to (N, H, W, C), and
    element-wise modules keep the layout of their input.
    """
    records: list[tuple[str, list[int]]] = []
    calls: dict[str, int] = {}
    # id of a tensor -> (the tensor, whether its channels are last); the tensor is kept so that its id
    # is not reused by a later tensor while the forward pass runs
    last_axis: dict[int, tuple] = {}
    hooks = []

    def hook(name):
        def record(module, inputs, output):
            if not isinstance(output, torch.Tensor):
                return
            x = inputs[0] if inputs and isinstance(inputs[0], torch.Tensor) else None
            channels_last = last_axis.get(id(x), (None, False))[1] if x is not None else False
            if type(module) in (nn.Linear, nn.LayerNorm) and output.dim() == 4:  # not LayerNorm2d
                channels_last = True
            if type(module).__name__ == "Permute":
                channels_last = list(module.dims) == [0, 2, 3, 1]
            last_axis[id(output)] = (output, channels_last)
            calls[name] = calls.get(name, 0) + 1
            key = name if calls[name] == 1 else f"{name}@{calls[name]}"
            dims = list(output.shape[1:])
            if len(dims) > 1 and not channels_last:
                dims = [*dims[1:], dims[0]]
            records.append((key, dims, type(module).__name__))
        return record

    for name, module in model.named_modules():
        if name and not any(True for _ in module.children()):
            hooks.append(module.register_forward_hook(hook(name)))
    try:
        model.eval()
        with torch.no_grad():
            out = model(torch.zeros(1, 3, *size))
    finally:
        for h in hooks:
            h.remove()
    if isinstance(out, dict):
        out = out["out"]
    dims = list(out.shape[1:])
    records.append(("<output>", [*dims[1:], dims[0]] if len(dims) > 1 else dims, "output"))
    return records
