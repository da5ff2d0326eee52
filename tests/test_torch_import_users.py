"""Importing the models users write and the torchvision models beyond classification: each against
PyTorch's own numbers.

Every expected figure is PyTorch's: ``sum(p.numel() for p in model.parameters())`` (each tensor
once) and the shape of every leaf module's output from a forward pass on zeros, at the import size
and at other sizes.
"""

import pytest
from conftest import require

torch = require("torch")
nn = torch.nn
F = torch.nn.functional

from symcnn.analysis import analyse  # noqa: E402
from symcnn.builders.torch import from_torch  # noqa: E402


def params(model) -> int:
    return sum(p.numel() for p in model.parameters())


def hooked(model, spatial, channels=3):
    """``name -> [...spatial, C]`` of every leaf module's (last) output in a forward pass on zeros, and the output."""
    found = {}
    hooks = []

    def hook(name):
        def record(module, inputs, output):
            if isinstance(output, torch.Tensor):
                dims = list(output.shape[1:])
                found[name] = [*dims[1:], dims[0]] if len(dims) > 1 else dims
        return record

    for name, module in model.named_modules():
        if name and not any(True for _ in module.children()):
            hooks.append(module.register_forward_hook(hook(name)))
    try:
        with torch.no_grad():
            out = model.eval()(torch.zeros(1, channels, *spatial))
    finally:
        for h in hooks:
            h.remove()
    return found, out


def dims(t) -> list[int]:
    d = list(t.shape[1:])
    return [*d[1:], d[0]] if len(d) > 1 else d


def size(spatial, channels=3) -> str:
    return "x".join(str(s) for s in (*spatial, channels))


def assert_matches(model, net, sizes, channels=3, skip=()):
    """At each size: the total parameters, and every leaf module's output where symcnn has a layer of its name."""
    for spatial in sizes:
        d = net.derive(size(spatial, channels))
        assert d.total_params == params(model), spatial
        found, _ = hooked(model, spatial, channels)
        by_name = {ld.name: ld for ld in d.layers}
        wrong = {name: (by_name[name].output.to_json(), want) for name, want in found.items()
                 if name in by_name and name not in skip and by_name[name].output.to_json() != want}
        assert wrong == {}, spatial


# -- a module symcnn has no layer for, with parameters ---------------------------------------------


class NormOverMap(nn.Module):
    """A LayerNorm over C x H x W (not over the channels): symcnn has no layer for it."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.ln = nn.LayerNorm([4, 30, 30])

    def forward(self, x):
        return self.ln(self.conv(x))


def test_a_module_with_parameters_and_no_layer_is_opaque_with_them():
    model = NormOverMap()
    net = from_torch(model, "32x32x3")
    assert [layer.name for layer in net.layers if layer.type == "opaque"] == ["ln"]
    assert net.derive().total_params == params(model)  # 3*3*3*4 + 4 + 2*4*30*30 = 7,312
    assert net.derive().output.to_json() == dims(model(torch.zeros(1, 3, 32, 32)))


# -- forward(x, mask=None), several outputs ----------------------------------------------------------


class Masked(nn.Module):
    def __init__(self):
        super().__init__()
        self.pad = nn.ReflectionPad2d(2)
        self.dw = nn.Conv2d(3, 3, 3, groups=3, bias=False)
        self.pw = nn.Conv2d(3, 16, 1)
        self.same = nn.Conv2d(16, 16, 3, padding="same", dilation=2)
        self.circular = nn.Conv2d(16, 16, 3, padding=1, padding_mode="circular")
        self.up = nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1)
        self.keep = nn.Identity()
        self.head = nn.Conv2d(8, 2, 1)

    def forward(self, x, mask=None):
        x = self.circular(self.same(self.pw(self.dw(self.pad(x)))))
        x = self.keep(self.up(x))
        y = self.head(x)
        if mask is not None:
            y = y * mask
        return y, x


def test_forward_with_an_optional_argument_and_a_tuple_output():
    model = Masked()
    net = from_torch(model, "32x32x3")
    assert not [layer for layer in net.layers if layer.type == "opaque"]
    assert_matches(model, net, [(32, 32), (40, 36), (57, 57)])
    a = analyse(net, "floor", symbolic="HW")  # the closed forms give PyTorch's sizes too
    from sympy import Integer

    from symcnn.symbols import H, W

    for h, w in [(40, 36), (57, 57)]:
        y, x = model(torch.zeros(1, 3, h, w))
        head = next(la for la in a.layers if la.name == "head")
        assert [v.xreplace({H: Integer(h), W: Integer(w)}) for v in head.output.dims] == dims(y)


# -- parameters read, then indexed or expanded, by an opaque operation -------------------------------


class TinyViT(nn.Module):
    """A class token expanded and concatenated, a table of biases indexed, an attention module that
    returns a tuple, and ``x.dim()``: the parameters of each must count once."""

    def __init__(self, dim=16, heads=2):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, 4, stride=4)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.table = nn.Parameter(torch.zeros(9, heads))
        self.register_buffer("index", torch.zeros(4, dtype=torch.long))
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.head = nn.Linear(dim, 10)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        torch._assert(x.dim() == 3, "tokens")
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1)
        x = x + self.table[self.index].sum()
        x, _ = self.attn(x, x, x)
        return self.head(x[:, 0])


def test_parameters_read_through_other_operations_count_once():
    model = TinyViT()
    net = from_torch(model, "32x32x3")
    assert "torch.fx" in net.description
    d = net.derive()
    assert d.total_params == params(model)  # 784 + 16 + 18 + 1,088 + 170 = 2,076
    assert d.output.to_json() == dims(model(torch.zeros(1, 3, 32, 32)))


class Windows(nn.Module):
    """A window partition: a view into more axes than a feature map has."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.out = nn.Conv2d(8, 4, 1)

    def forward(self, x):
        n, c, h, w = x.shape
        parts = self.conv(x).view(n, c * 0 + 8, h // 4, 4, w // 4, 4).permute(0, 2, 4, 1, 3, 5)
        x = parts.permute(0, 3, 1, 4, 2, 5).reshape(n, 8, h, w)
        return self.out(x)


def test_an_opaque_tensor_of_more_axes_than_a_map():
    model = Windows()
    net = from_torch(model, "16x16x3")
    d = net.derive()
    assert d.total_params == params(model)
    assert d.output.to_json() == dims(model(torch.zeros(1, 3, 16, 16)))
    shown = [ld.output.to_json() for ld in d.layers if ld.type == "opaque"]
    windows = model.conv(torch.zeros(1, 3, 16, 16)).view(1, 8, 4, 4, 4, 4).permute(0, 2, 4, 1, 3, 5)
    assert dims(windows) in shown  # (N, 4, 4, 8, 4, 4), its second axis written last as a map's channels


def test_swin_t_counts_its_relative_position_tables():
    torchvision = require("torchvision")
    with torch.device("meta"):
        model = torchvision.models.swin_t()
    net = from_torch(model, "224x224x3")
    assert net.derive().total_params == params(model)  # 28,288,354


class TinyViTExported(TinyViT):
    """The same, with Python control flow on a shape: torch.export traces it."""

    def forward(self, x):
        if x.shape[1] != 3:
            raise ValueError("RGB")
        return super().forward(x)


def test_parameters_read_through_other_operations_count_once_when_exported():
    model = TinyViTExported()
    net = from_torch(model, "32x32x3")
    assert "torch.export" in net.description
    d = net.derive()
    assert d.total_params == params(model)
    assert d.output.to_json() == dims(model(torch.zeros(1, 3, 32, 32)))


# -- tied weights ------------------------------------------------------------------------------------


class Tied(nn.Module):
    """``b`` uses ``a``'s weights with a bias of its own; ``a`` is also called twice."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 1)
        self.a = nn.Conv2d(8, 8, 3, padding=1)
        self.b = nn.Conv2d(8, 8, 3, padding=1)
        self.b.weight = self.a.weight

    def forward(self, x):
        x = self.stem(x)
        return self.b(self.a(x)) + self.a(x)


class TiedExported(Tied):
    def forward(self, x):
        if x.shape[1] != 3:
            raise ValueError("RGB")
        return super().forward(x)


@pytest.mark.parametrize("model", [Tied(), TiedExported()], ids=["fx", "export"])
def test_tied_weights_with_biases_of_their_own_count_once(model):
    net = from_torch(model, "16x16x3")
    d = net.derive()
    assert d.total_params == params(model)  # stem 32 + a 584 + b's own bias 8 = 624
    assert d["b"].note == "shares the weights of a (counted there)"
    assert_matches(model, net, [(16, 16), (20, 13)])


# -- convolutions run as functions, buffers, squeezes, lazy modules ----------------------------------


class Conv3dNoBias(nn.Conv3d):
    """A subclass that sets its own defaults (as torchvision's video ResNets do): fx traces into
    nn.Conv3d's forward, which calls F.conv3d with the module's parameters."""

    def __init__(self, cin, cout, stride=1):
        super().__init__(cin, cout, kernel_size=(3, 3, 3), stride=stride, padding=(1, 1, 1), bias=False)


class Standardised(nn.Conv2d):
    """Weight standardisation: F.conv2d with a weight computed from the parameter."""

    def forward(self, x):
        w = self.weight
        w = (w - w.mean(dim=(1, 2, 3), keepdim=True)) / (w.std(dim=(1, 2, 3), keepdim=True) + 1e-5)
        return F.conv2d(x, w, self.bias, self.stride, self.padding, self.dilation, self.groups)


class Video(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = Conv3dNoBias(3, 8, stride=(1, 2, 2))
        self.bn = nn.BatchNorm3d(8)
        self.pool = nn.MaxPool3d(3, stride=2, padding=1)
        self.conv = Conv3dNoBias(8, 16, stride=2)
        self.gap = nn.AdaptiveAvgPool3d(1)
        self.fc = nn.Linear(16, 5)

    def forward(self, x):
        x = self.conv(self.pool(torch.relu(self.bn(self.stem(x)))))
        return self.fc(self.gap(x).flatten(1))


def test_a_conv_subclass_and_functional_3d_convolutions():
    model = Video()
    net = from_torch(model, "8x32x32x3")
    assert not [layer.name for layer in net.layers if layer.type == "opaque"]
    assert net["stem"].type == "conv"
    assert_matches(model, net, [(8, 32, 32), (5, 40, 27), (16, 17, 33)])


def test_a_standardised_weight_is_a_convolution_counting_its_parameter():
    model = nn.Sequential(Standardised(3, 8, 3, padding=1), nn.ReLU(), Standardised(8, 4, 3, stride=2, bias=False))
    net = from_torch(model, "16x16x3")
    assert [layer.type for layer in net.layers if layer.name in ("0", "2")] == ["conv", "conv"]
    assert_matches(model, net, [(16, 16), (19, 24)])


class FrozenNorm(nn.Module):
    """A batch norm frozen into buffers (torchvision's FrozenBatchNorm2d, in its detection backbones)."""

    def __init__(self, c):
        super().__init__()
        for name in ("weight", "bias", "running_mean", "running_var"):
            self.register_buffer(name, torch.ones(c))

    def forward(self, x):
        scale = self.weight.reshape(1, -1, 1, 1) * (self.running_var.reshape(1, -1, 1, 1) + 1e-5).rsqrt()
        shift = self.bias.reshape(1, -1, 1, 1) - self.running_mean.reshape(1, -1, 1, 1) * scale
        return x * scale + shift


def test_arithmetic_with_buffers_keeps_the_shape_and_counts_nothing():
    model = nn.Sequential(nn.Conv2d(3, 8, 3), FrozenNorm(8), nn.ReLU(), nn.Conv2d(8, 4, 3, stride=2))
    net = from_torch(model, "16x16x3")
    assert not [layer.name for layer in net.layers if layer.type == "opaque"]
    assert_matches(model, net, [(16, 16), (23, 18)])


def test_detection_backbone_with_frozen_batch_norms_and_five_outputs():
    require("torchvision")
    from torchvision.models.detection.backbone_utils import resnet_fpn_backbone

    with torch.device("meta"):
        model = resnet_fpn_backbone(backbone_name="resnet18", weights=None, trainable_layers=5)
    net = from_torch(model, "224x224x3")
    assert not [layer.name for layer in net.layers if layer.type == "opaque"]
    assert net.derive().total_params == params(model)  # 13,774,016


class Pooled(nn.Module):
    def __init__(self, how):
        super().__init__()
        self.how = how
        self.conv = nn.Conv1d(1, 16, 80, stride=4) if how == "1d" else nn.Conv2d(3, 16, 3)
        self.pool = nn.MaxPool1d(4, stride=3, ceil_mode=True) if how == "1d" else nn.MaxPool2d(3, 2, ceil_mode=True)
        self.gap = nn.AdaptiveAvgPool1d(1) if how == "1d" else nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.gap(self.pool(torch.relu(self.conv(x))))
        if self.how == "2d-twice":
            x = x.squeeze(-1).squeeze(-1)
        elif self.how == "2d-dims":
            x = torch.squeeze(x, (2, 3))
        else:
            x = x.squeeze(-1)
        return self.fc(x)


@pytest.mark.parametrize("how, sizes, channels", [
    ("1d", [(8000,), (8123,), (16001,)], 1),
    ("2d-twice", [(32, 32), (41, 30)], 3),
    ("2d-dims", [(32, 32), (41, 30)], 3),
])
def test_a_squeeze_after_pooling_to_one_is_a_flatten(how, sizes, channels):
    model = Pooled(how)
    net = from_torch(model, size(sizes[0], channels))
    assert not [layer.name for layer in net.layers if layer.type == "opaque"]
    assert_matches(model, net, sizes, channels)


class Lazy(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.LazyConv2d(8, 3)
        self.fc = nn.LazyLinear(10)

    def forward(self, x):
        return self.fc(torch.flatten(F.max_pool2d(self.conv(x), 2), 1))


def test_lazy_modules_are_made_on_a_copy_at_the_import_size():
    model = Lazy()
    net = from_torch(model, "32x32x3")
    assert all(isinstance(p, torch.nn.parameter.UninitializedParameter) for p in model.parameters())  # left alone
    model(torch.zeros(1, 3, 32, 32))  # PyTorch makes them so
    assert net.derive().total_params == params(model)  # conv 3*3*3*8 + 8, fc 15*15*8*10 + 10: 18,234
    assert "lazy" in net.description


class TwoImages(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(6, 4, 3)

    def forward(self, image1, image2):
        return self.conv(torch.cat([image1, image2], 1))


def test_a_model_of_two_inputs_is_refused_in_one_line():
    from symcnn.builders.torch import ModelImportError

    with pytest.raises(ModelImportError) as e:
        from_torch(TwoImages(), "16x16x3")
    assert str(e.value) == ("TwoImages: forward takes 2 inputs (image1, image2); symcnn imports models of one input "
                            "(a feature map)")


class FixedOffset(nn.Module):
    """A buffer of the import size's height and width added: it fits that size only, as in PyTorch."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.register_buffer("offset", torch.zeros(1, 4, 14, 14))

    def forward(self, x):
        return self.conv(x) + self.offset


def test_a_buffer_of_one_size_is_not_taken_for_any_size():
    model = FixedOffset()
    net = from_torch(model, "16x16x3")
    assert [layer.type for layer in net.layers] == ["conv", "opaque"]
    with pytest.raises(RuntimeError):
        model(torch.zeros(1, 3, 20, 20))  # PyTorch refuses another size
    with pytest.raises(ValueError, match="opaque"):
        net.derive("20x20x3")
