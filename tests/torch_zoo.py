"""Reference CNNs in plain PyTorch, and a tracer that reads off their layer shapes.

Tests compare symcnn's symbolic derivations against these models layer by layer.
torchvision is deliberately not used: each network below is rebuilt from
``torch.nn`` so that the reference does not depend on a package that is heavy and
often fails to install beside a CPU build of torch.

Networks
--------
``BUILDERS`` maps a network name to ``(builder, (C, H, W))``: ``builder()``
returns a fresh ``nn.Module`` and the tuple is its default input shape.
``build(name)`` gives the same model with zero weights, much faster for the big
ones, and ``count_params(model)`` its parameter total.

The torchvision rebuilds (``alexnet-torchvision``, ``vgg16``, ``vgg16-bn``,
``resnet18``, ``resnet50``, ``mobilenet-v2``) use torchvision's module names, so
their ``state_dict`` keys are torchvision's.  Two parameter-free modules are added
where torchvision calls a function in ``forward`` instead, so that every change of
shape shows up in a trace: ``flatten`` (an ``nn.Flatten``) in every network, and
``avgpool`` in MobileNetV2 (torchvision calls ``adaptive_avg_pool2d`` there).
No LocalResponseNorm is used in the AlexNets: it has no parameters and keeps the
shape, so it would only lengthen the layer list.

Trace records
-------------
``trace(model, (C, H, W))`` runs one forward pass on a zero tensor of batch 1 and
returns one dict per module call, in execution order::

    {"name": "layer1.0.conv1",  # qualified name from model.named_modules()
     "type": "Conv2d",          # class name
     "kind": "layer",           # "layer": a leaf module (one without children)
                                # "block": a block that adds a residual
     "shape": (64, 56, 56),     # output shape without the batch dim, (C, H, W) or (F,)
     "params": 36864,           # numel of the module's own parameters (recurse=False)
     "buffers": 0}              # numel of its own buffers, num_batches_tracked excluded

A leaf module called more than once makes one record per call: torchvision's
ResNet blocks reuse one ``relu`` two (BasicBlock) or three (Bottleneck) times.

Residual additions are not modules, so the blocks that make them -- every
``BasicBlock`` and ``Bottleneck``, and each ``InvertedResidual`` whose
``use_res_connect`` is true -- are hooked too.  A block record comes right after
the records of the layers inside it and gives the shape after the addition (and
the final ReLU, for ResNet blocks).  Its ``params`` and ``buffers`` are 0, as for
any module that only holds other modules, so the sum of ``params`` over all
records is the model's parameter count.

``buffers`` counts BatchNorm's ``running_mean`` and ``running_var``; the scalar
``num_batches_tracked`` is left out, since it is a step counter, not a statistic
of the layer.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

Shape = tuple[int, ...]


# --------------------------------------------------------------------------- LeNet-5


class LeNet5(nn.Module):
    """LeCun et al. (1998), with full C3 connectivity and plain average pooling."""

    def __init__(self, num_classes: int = 10) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, kernel_size=5),  # C1
            nn.Tanh(),
            nn.AvgPool2d(kernel_size=2, stride=2),  # S2
            nn.Conv2d(6, 16, kernel_size=5),  # C3
            nn.Tanh(),
            nn.AvgPool2d(kernel_size=2, stride=2),  # S4
            nn.Conv2d(16, 120, kernel_size=5),  # C5
            nn.Tanh(),
        )
        self.flatten = nn.Flatten()
        self.classifier = nn.Sequential(
            nn.Linear(120, 84),  # F6
            nn.Tanh(),
            nn.Linear(84, num_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.flatten(self.features(x)))


def lenet5() -> nn.Module:
    return LeNet5()


# --------------------------------------------------------------------------- AlexNet


class AlexNet(nn.Module):
    """``features``, optional ``avgpool``, ``flatten``, ``classifier``: torchvision's layout."""

    def __init__(
        self, features: nn.Sequential, avgpool: nn.Module | None, num_classes: int = 1000
    ) -> None:
        super().__init__()
        self.features = features
        if avgpool is not None:
            self.avgpool = avgpool
        self.flatten = nn.Flatten()
        self.classifier = nn.Sequential(
            nn.Dropout(p=0.5),
            nn.Linear(256 * 6 * 6, 4096),
            nn.ReLU(inplace=True),
            nn.Dropout(p=0.5),
            nn.Linear(4096, 4096),
            nn.ReLU(inplace=True),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.features(x)
        if hasattr(self, "avgpool"):
            x = self.avgpool(x)
        return self.classifier(self.flatten(x))


def _alexnet_227(groups: int) -> nn.Module:
    # groups=2 on conv2, conv4 and conv5 is the paper's two-GPU split: those layers
    # only see the half of the previous layer that lived on their own GPU.
    features = nn.Sequential(
        nn.Conv2d(3, 96, kernel_size=11, stride=4),
        nn.ReLU(inplace=True),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(96, 256, kernel_size=5, padding=2, groups=groups),
        nn.ReLU(inplace=True),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(256, 384, kernel_size=3, padding=1),
        nn.ReLU(inplace=True),
        nn.Conv2d(384, 384, kernel_size=3, padding=1, groups=groups),
        nn.ReLU(inplace=True),
        nn.Conv2d(384, 256, kernel_size=3, padding=1, groups=groups),
        nn.ReLU(inplace=True),
        nn.MaxPool2d(kernel_size=3, stride=2),
    )
    return AlexNet(features, avgpool=None)


def alexnet() -> nn.Module:
    """The blog article's AlexNet: 96/256/384/384/256 filters on a 227x227 input."""
    return _alexnet_227(groups=1)


def alexnet_paper() -> nn.Module:
    """Krizhevsky et al. (2012) with the two-GPU split as grouped convolutions."""
    return _alexnet_227(groups=2)


def alexnet_torchvision() -> nn.Module:
    features = nn.Sequential(
        nn.Conv2d(3, 64, kernel_size=11, stride=4, padding=2),
        nn.ReLU(inplace=True),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(64, 192, kernel_size=5, padding=2),
        nn.ReLU(inplace=True),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(192, 384, kernel_size=3, padding=1),
        nn.ReLU(inplace=True),
        nn.Conv2d(384, 256, kernel_size=3, padding=1),
        nn.ReLU(inplace=True),
        nn.Conv2d(256, 256, kernel_size=3, padding=1),
        nn.ReLU(inplace=True),
        nn.MaxPool2d(kernel_size=3, stride=2),
    )
    return AlexNet(features, avgpool=nn.AdaptiveAvgPool2d((6, 6)))


# --------------------------------------------------------------------------- VGG

VGG16_CFG: list[int | str] = [
    64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M",
]  # fmt: skip


class VGG(nn.Module):
    def __init__(self, features: nn.Sequential, num_classes: int = 1000) -> None:
        super().__init__()
        self.features = features
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.flatten = nn.Flatten()
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096),
            nn.ReLU(True),
            nn.Dropout(p=0.5),
            nn.Linear(4096, 4096),
            nn.ReLU(True),
            nn.Dropout(p=0.5),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.flatten(self.avgpool(self.features(x))))


def _vgg_features(cfg: list[int | str], batch_norm: bool) -> nn.Sequential:
    layers: list[nn.Module] = []
    in_channels = 3
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            continue
        assert isinstance(v, int)
        layers.append(nn.Conv2d(in_channels, v, kernel_size=3, padding=1))
        if batch_norm:
            layers.append(nn.BatchNorm2d(v))
        layers.append(nn.ReLU(inplace=True))
        in_channels = v
    return nn.Sequential(*layers)


def vgg16() -> nn.Module:
    return VGG(_vgg_features(VGG16_CFG, batch_norm=False))


def vgg16_bn() -> nn.Module:
    return VGG(_vgg_features(VGG16_CFG, batch_norm=True))


# --------------------------------------------------------------------------- ResNet


def conv3x3(in_planes: int, out_planes: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=stride, padding=1, bias=False)


def conv1x1(in_planes: int, out_planes: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(in_planes, out_planes, kernel_size=1, stride=stride, bias=False)


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(
        self, inplanes: int, planes: int, stride: int = 1, downsample: nn.Module | None = None
    ) -> None:
        super().__init__()
        self.conv1 = conv3x3(inplanes, planes, stride)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # torchvision runs the downsample branch last; traces keep that order.
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(out + identity)


class Bottleneck(nn.Module):
    """ResNet v1.5: the stride sits on the 3x3 conv, not on the first 1x1."""

    expansion = 4

    def __init__(
        self, inplanes: int, planes: int, stride: int = 1, downsample: nn.Module | None = None
    ) -> None:
        super().__init__()
        self.conv1 = conv1x1(inplanes, planes)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = conv3x3(planes, planes, stride)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = conv1x1(planes, planes * self.expansion)
        self.bn3 = nn.BatchNorm2d(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(out + identity)


class ResNet(nn.Module):
    def __init__(
        self, block: type[BasicBlock | Bottleneck], layers: list[int], num_classes: int = 1000
    ) -> None:
        super().__init__()
        self.inplanes = 64
        self.conv1 = nn.Conv2d(3, self.inplanes, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(self.inplanes)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, 64, layers[0])
        self.layer2 = self._make_layer(block, 128, layers[1], stride=2)
        self.layer3 = self._make_layer(block, 256, layers[2], stride=2)
        self.layer4 = self._make_layer(block, 512, layers[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(512 * block.expansion, num_classes)

    def _make_layer(
        self, block: type[BasicBlock | Bottleneck], planes: int, blocks: int, stride: int = 1
    ) -> nn.Sequential:
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(
                conv1x1(self.inplanes, planes * block.expansion, stride),
                nn.BatchNorm2d(planes * block.expansion),
            )
        layers = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(self.flatten(self.avgpool(x)))


def resnet18() -> nn.Module:
    return ResNet(BasicBlock, [2, 2, 2, 2])


def resnet50() -> nn.Module:
    return ResNet(Bottleneck, [3, 4, 6, 3])


# --------------------------------------------------------------------------- MobileNetV2


def _make_divisible(v: float, divisor: int = 8) -> int:
    """torchvision's channel rounding: to a multiple of 8, never below 90% of ``v``."""
    new_v = max(divisor, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


class Conv2dNormActivation(nn.Sequential):
    """Conv (no bias) + BatchNorm + ReLU6 with "same" padding, as torchvision.ops names it."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int = 3,
        stride: int = 1,
        groups: int = 1,
    ) -> None:
        super().__init__(
            nn.Conv2d(
                in_channels,
                out_channels,
                kernel_size,
                stride,
                padding=(kernel_size - 1) // 2,
                groups=groups,
                bias=False,
            ),
            nn.BatchNorm2d(out_channels),
            nn.ReLU6(inplace=True),
        )


class InvertedResidual(nn.Module):
    def __init__(self, inp: int, oup: int, stride: int, expand_ratio: int) -> None:
        super().__init__()
        self.stride = stride
        hidden_dim = int(round(inp * expand_ratio))
        self.use_res_connect = stride == 1 and inp == oup
        layers: list[nn.Module] = []
        if expand_ratio != 1:
            layers.append(Conv2dNormActivation(inp, hidden_dim, kernel_size=1))
        layers += [
            Conv2dNormActivation(hidden_dim, hidden_dim, stride=stride, groups=hidden_dim),
            nn.Conv2d(hidden_dim, oup, 1, 1, 0, bias=False),  # linear bottleneck: no activation
            nn.BatchNorm2d(oup),
        ]
        self.conv = nn.Sequential(*layers)
        self.out_channels = oup

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.use_res_connect:
            return x + self.conv(x)
        return self.conv(x)


class MobileNetV2(nn.Module):
    # t (expansion), c (output channels), n (repeats), s (stride of the first repeat)
    SETTING = [
        [1, 16, 1, 1],
        [6, 24, 2, 2],
        [6, 32, 3, 2],
        [6, 64, 4, 2],
        [6, 96, 3, 1],
        [6, 160, 3, 2],
        [6, 320, 1, 1],
    ]

    def __init__(
        self, num_classes: int = 1000, width_mult: float = 1.0, dropout: float = 0.2
    ) -> None:
        super().__init__()
        input_channel = _make_divisible(32 * width_mult)
        self.last_channel = _make_divisible(1280 * max(1.0, width_mult))
        features: list[nn.Module] = [Conv2dNormActivation(3, input_channel, stride=2)]
        for t, c, n, s in self.SETTING:
            output_channel = _make_divisible(c * width_mult)
            for i in range(n):
                features.append(
                    InvertedResidual(input_channel, output_channel, s if i == 0 else 1, t)
                )
                input_channel = output_channel
        features.append(Conv2dNormActivation(input_channel, self.last_channel, kernel_size=1))
        self.features = nn.Sequential(*features)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.flatten = nn.Flatten()
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout),
            nn.Linear(self.last_channel, num_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.flatten(self.avgpool(self.features(x))))


def mobilenet_v2() -> nn.Module:
    return MobileNetV2()


# --------------------------------------------------------------------------- registry

BUILDERS: dict[str, tuple[Callable[[], nn.Module], Shape]] = {
    "lenet5": (lenet5, (1, 32, 32)),
    "alexnet": (alexnet, (3, 227, 227)),
    "alexnet-paper": (alexnet_paper, (3, 227, 227)),
    "alexnet-torchvision": (alexnet_torchvision, (3, 224, 224)),
    "vgg16": (vgg16, (3, 224, 224)),
    "vgg16-bn": (vgg16_bn, (3, 224, 224)),
    "resnet18": (resnet18, (3, 224, 224)),
    "resnet50": (resnet50, (3, 224, 224)),
    "mobilenet-v2": (mobilenet_v2, (3, 224, 224)),
}


def build(name: str) -> tuple[nn.Module, Shape]:
    """The named network with every parameter and buffer zero, and its default input shape.

    Built on the meta device and then given zeroed CPU storage, which skips the
    random initialisation: for the VGGs that alone takes about a second, and shapes
    and counts do not depend on the values.
    """
    builder, shape = BUILDERS[name]
    with torch.device("meta"):
        model = builder()
    model = model.to_empty(device="cpu")
    with torch.no_grad():
        for tensor in [*model.parameters(), *model.buffers()]:
            tensor.zero_()
    return model, shape


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


# --------------------------------------------------------------------------- tracing


def _is_residual_block(module: nn.Module) -> bool:
    if isinstance(module, (BasicBlock, Bottleneck)):
        return True
    return isinstance(module, InvertedResidual) and module.use_res_connect


def _own_buffer_count(module: nn.Module) -> int:
    return sum(
        b.numel()
        for name, b in module.named_buffers(recurse=False)
        if name != "num_batches_tracked"
    )


def trace(model: nn.Module, input_shape: Shape) -> list[dict]:
    """Run ``model`` once on zeros of shape ``(1, *input_shape)``; one record per module call.

    The record format is described in this module's docstring.  The pass runs in
    eval mode, so BatchNorm's running statistics are left as they were; the model's
    own mode is restored afterwards.
    """
    records: list[dict] = []

    def hook_for(name: str, kind: str) -> Callable:
        def hook(module: nn.Module, _inputs: tuple, output: torch.Tensor) -> None:
            records.append(
                {
                    "name": name,
                    "type": type(module).__name__,
                    "kind": kind,
                    "shape": tuple(output.shape[1:]),
                    "params": sum(p.numel() for p in module.parameters(recurse=False)),
                    "buffers": _own_buffer_count(module),
                }
            )

        return hook

    handles = []
    for name, module in model.named_modules():
        if next(module.children(), None) is None:
            handles.append(module.register_forward_hook(hook_for(name, "layer")))
        elif _is_residual_block(module):
            handles.append(module.register_forward_hook(hook_for(name, "block")))
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(torch.zeros(1, *input_shape))
    finally:
        for handle in handles:
            handle.remove()
        model.train(was_training)
    return records
