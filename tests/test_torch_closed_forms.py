"""SqueezeNet 1.0 and GoogLeNet: the specs in tests/fixtures/nets against torchvision's own
models (0.29.1), and their closed forms against the shapes torchvision computes.

The models run on PyTorch's meta device: shapes without arithmetic. SqueezeNet is checked
at every input size from its smallest to 512; GoogLeNet (a slower meta pass) at every
size from its smallest through one whole period of its closed forms (its strides multiply
to 32, so every residue of I mod 32 is met) and at a few large sizes. test_closed_forms.py
checks the closed forms against symcnn's own derivation at every size to 512.
"""

from pathlib import Path

import pytest
from conftest import require

import symcnn
from symcnn.analysis import analyse

torch = require("torch")
models = require("torchvision.models")

NETS = Path(__file__).parent / "fixtures" / "nets"


def torchvision_model(name):
    with torch.device("meta"):
        if name == "googlenet":
            model = models.googlenet(weights=None, aux_logits=False, init_weights=False)
        else:
            model = models.squeezenet1_0(weights=None)
    return model.eval()


def shapes(model, size):
    """Every module's output shape (C, H, W or F) at a size x size input, by module name."""
    found = {}
    handles = [m.register_forward_hook(lambda m, i, o, name=name: found.__setitem__(name, tuple(o.shape[1:])))
               for name, m in model.named_modules() if name]
    try:
        with torch.no_grad():
            model(torch.empty(1, 3, size, size, device="meta"))
    finally:
        for h in handles:
            h.remove()
    return found


def counterpart(name, layers):
    """The spec's layer for a torchvision module: the same name, or for a module that is a
    block (a fire or inception module, a conv-bn-relu) its last layer."""
    for candidate in (name, f"{name}.cat", f"{name}.relu"):
        if candidate in layers:
            return candidate
    return None


SIZES = {
    "squeezenet1_0": range(21, 513),
    "googlenet": [*range(15, 15 + 32), 100, 224, 299, 512],
}


@pytest.mark.parametrize("name", ["squeezenet1_0", "googlenet"])
def test_closed_forms_give_torchvisions_shapes(name):
    net = symcnn.load(str(NETS / f"{name}.yaml"))
    a = analyse(net)
    model = torchvision_model(name)
    layers = {la.name: la for la in a.layers}
    sizes = list(SIZES[name])
    assert sizes[0] == a.min_input
    compiled = {}
    compared = 0
    for size in sizes:
        for module, shape in shapes(model, size).items():
            mine = counterpart(module, layers)
            if mine is None:
                continue
            dims = layers[mine].output.dims
            for d in dims:
                if d not in compiled:
                    compiled[d] = a.compile(d)
            got = tuple(compiled[d](size) for d in dims)
            want = shape[1:] + shape[:1] if len(shape) == 3 else shape  # C, H, W -> H, W, C
            assert got == want, (size, module, mine)
            compared += 1
    # every module with an output is matched (torchvision calls GoogLeNet's ReLUs as functions)
    assert compared >= len(sizes) * (60 if name == "squeezenet1_0" else 150)
    with pytest.raises(RuntimeError, match="too small"):
        shapes(model, a.min_input - 1)


@pytest.mark.parametrize("name", ["squeezenet1_0", "googlenet"])
def test_every_layers_parameters_are_torchvisions(name):
    net = symcnn.load(str(NETS / f"{name}.yaml"))
    d = net.derive()
    model = torchvision_model(name)
    own = {n: sum(p.numel() for p in m.parameters(recurse=False)) for n, m in model.named_modules()}
    weighted = {n: c for n, c in own.items() if c}
    assert {n: d[n].params for n in weighted} == weighted
    assert d.total_params == sum(weighted.values())
