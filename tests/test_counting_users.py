"""Models as users bring them, beside the built-in networks and torchvision's families: timm's building
blocks (a batch norm that holds its activation, subclasses of ``nn.Linear`` and ``nn.LayerNorm``, a
layer scale by ``x.mul(gamma)``, dropouts of probability 0, group norm) and the three ways attention
runs (``nn.MultiheadAttention`` in torchvision's ViT, timm's ``Attention``, torchvision's Swin). Each
tool's total is the tool run on the model, at two sizes; the activations saved for backward are the bytes
``torch.autograd.graph.saved_tensors_hooks`` sees in a CPU training step; Adam's state is
``torch.optim.Adam``'s after one step. The models are small: a few layers, inputs of 32 to 64.
"""

import warnings

import pytest
from conftest import require

torch = require("torch")
tvm = require("torchvision.models")
timm = require("timm")
for _tool in ("fvcore", "ptflops", "thop", "torchinfo"):
    require(_tool)
tools = require("tools")

nn = torch.nn

from symcnn.analysis.counting import count  # noqa: E402
from symcnn.analysis.memory import memory  # noqa: E402
from symcnn.builders.torch import from_torch  # noqa: E402


class TimmBlocks(nn.Module):
    """timm's building blocks in a small CNN: BatchNormAct2d (a BatchNorm2d subclass with its activation
    and a dropout as children), LayerNorm2d (a LayerNorm subclass), a layer scale ``x.mul(gamma)``, an
    ``nn.Dropout(0.0)``, GroupNorm, an identity, and timm's ``Linear`` (an nn.Linear subclass) as the head."""

    def __init__(self) -> None:
        super().__init__()
        from timm.layers import BatchNormAct2d, LayerNorm2d, Linear

        self.conv1 = nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False)
        self.bn1 = BatchNormAct2d(8, act_layer=nn.ReLU)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1, groups=8)
        self.norm = LayerNorm2d(8)
        self.fc1 = nn.Conv2d(8, 16, 1)
        self.act = nn.GELU()
        self.drop = nn.Dropout(0.0)
        self.fc2 = nn.Conv2d(16, 8, 1)
        self.gamma = nn.Parameter(torch.full((8,), 0.5))
        self.skip = nn.Identity()
        self.gn = nn.GroupNorm(2, 8)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = Linear(8, 10)

    def forward(self, x):
        x = self.bn1(self.conv1(x))
        y = self.fc2(self.drop(self.act(self.fc1(self.norm(self.conv2(x))))))
        x = self.skip(x) + y.mul(self.gamma.reshape(1, -1, 1, 1))
        return self.head(self.pool(self.gn(x)).flatten(1))


def _quiet(make):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return make().eval()


# name -> (the model, its two (H, W) sizes); the ViTs fix their size: one model per size
MODELS = {
    "timm-blocks": (lambda size: TimmBlocks(), ((32, 32), (40, 56))),
    "torchvision-vit": (lambda size: tvm.VisionTransformer(image_size=size[0], patch_size=16, num_layers=1, num_heads=2,
                                                           hidden_dim=32, mlp_dim=64), ((32, 32), (48, 48))),
    "timm-vit": (lambda size: timm.models.vision_transformer.VisionTransformer(
        img_size=size[0], patch_size=16, embed_dim=32, depth=1, num_heads=2, num_classes=10), ((32, 32), (48, 48))),
    "torchvision-swin": (lambda size: tvm.SwinTransformer(patch_size=[4, 4], embed_dim=16, depths=[2], num_heads=[2],
                                                          window_size=[4, 4], num_classes=10),
                         ((32, 32), (40, 56))),
}


@pytest.fixture(scope="module", params=list(MODELS))
def imported(request):
    make, sizes = MODELS[request.param]
    cases = []
    net = None
    for h, w in sizes:
        torch.manual_seed(0)
        model = _quiet(lambda size=(h, w): make(size))
        if net is None or request.param.endswith("vit"):
            net = from_torch(model, f"{h}x{w}x3")
        cases.append((model, net.derive(f"{h}x{w}x3"), torch.zeros(1, 3, h, w)))
    return request.param, cases


@pytest.mark.parametrize("tool", list(tools.TOOLS))
def test_each_tool_counts_a_users_model_as_the_tool(imported, tool):
    name, cases = imported
    got = [(tuple(x.shape), count(d, tool).total) for _, d, x in cases]
    assert got == [(tuple(x.shape), tools.TOOLS[tool](model, x)) for model, _, x in cases], (name, tool)


def _saved_bytes(model, x) -> int:
    """Bytes of the distinct tensors autograd saves in a CPU training step (the model's own parameters
    and buffers, saved too, left out)."""
    model.train()
    own = {t.untyped_storage().data_ptr() for t in [*model.parameters(), *model.buffers()]}
    seen: set = set()
    total = 0

    def pack(t):
        nonlocal total
        ptr = t.untyped_storage().data_ptr()
        if ptr not in own and ptr not in seen:
            seen.add(ptr)
            total += t.untyped_storage().nbytes()
        return t

    try:
        with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
            model(x).sum().backward()
    finally:
        model.eval()
    return total


@pytest.mark.parametrize("batch", (1, 3))
def test_saved_activations_equal_pytorchs_training_step(imported, batch):
    # layer norm keeps a mean and a reciprocal deviation per position, group norm per group; a dropout of
    # probability 0 and an identity keep nothing; attention keeps its input, the queries, keys and values,
    # the output and a log-sum-exp per head and token (F.scaled_dot_product_attention), or Swin's attention
    # weights; a head that reads the class token keeps the whole sequence it is a view of
    name, cases = imported
    for model, d, x in cases:
        m = memory(d)
        assert m.activations(batch) == _saved_bytes(model, torch.zeros(batch, *x.shape[1:])), (name, x.shape)
        assert m.not_derived == ()


def test_adam_state_of_attention_models_equals_torch_optim(imported):
    # a step counter per parameter tensor: an attention's projections in and out, Swin's bias table
    name, cases = imported
    model, d, x = cases[0]
    opt = torch.optim.Adam(model.parameters(), lr=0.0)
    model.train()
    model(torch.zeros(2, *x.shape[1:])).sum().backward()
    opt.step()
    model.eval()
    state = sum(t.untyped_storage().nbytes() for s in opt.state.values() for t in s.values())
    assert memory(d, optimizer="adam").optimizer_state == state, name
