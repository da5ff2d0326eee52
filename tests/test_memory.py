"""The memory of a training step against PyTorch's own: the tensors autograd saves in a real CPU training
step (read with ``torch.autograd.graph.saved_tensors_hooks``), layer by layer and in all, for every built-in
network at two input sizes and two batch sizes; the optimiser's state after one step of ``torch.optim``;
the largest batch that fits, against the closed form at that batch and the next.
"""

from collections import Counter

import pytest
from conftest import require

torch = require("torch")
tools = require("tools")
torch_zoo = require("torch_zoo")

import symcnn  # noqa: E402
from symcnn.analysis.memory import B, memory, parse_bytes  # noqa: E402

BATCHES = (1, 3)
#: the article's AlexNet names its layers conv1 ... fc3 (its model's modules, in order)
ARTICLE = ("conv1", "pool1", "conv2", "pool2", "conv3", "conv4", "conv5", "pool3", "fc1", "fc2", "fc3")


def _layer_names(model, name):
    """The symcnn layer of each leaf module call: ``relu1``, ``relu2`` where a module runs twice."""
    records = [r for r in torch_zoo.trace(model, torch_zoo.BUILDERS[name][1]) if r["kind"] == "layer"]
    calls = Counter(r["name"] for r in records)
    if name == "alexnet":
        kept = iter(ARTICLE)
        return [next(kept) if r["type"] in ("Conv2d", "MaxPool2d", "Linear") else None for r in records]
    seen: Counter = Counter()
    names = []
    for r in records:
        seen[r["name"]] += 1
        stem, _, last = r["name"].rpartition(".")
        names.append(r["name"] if calls[r["name"]] == 1 else f"{stem + '.' if stem else ''}{last}{seen[r['name']]}")
    return names


def saved_bytes(model, names, x):
    """Bytes of the tensors autograd saves in one training step, per layer: each storage once, at the
    layer that saves it first; parameters and buffers (saved too) are the model's, not activations."""
    model.train()
    own = {t.untyped_storage().data_ptr() for t in [*model.parameters(), *model.buffers()]}
    leaves = [m for m in model.modules() if next(m.children(), None) is None]
    order = iter(names)
    current = [None]
    handles = [m.register_forward_pre_hook(lambda m, i: current.__setitem__(0, next(order))) for m in leaves]
    seen, per = set(), Counter()

    def pack(t):
        ptr = t.untyped_storage().data_ptr()
        if ptr not in own and ptr not in seen:
            seen.add(ptr)
            per[current[0]] += t.untyped_storage().nbytes()
        return t

    try:
        with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
            out = model(x)
        out.sum().backward()
    finally:
        for h in handles:
            h.remove()
    return per


@pytest.fixture(scope="module", params=list(tools.BUILTIN_SIZES))
def builtin(request):
    name = request.param
    model = tools.builtin_model(name)
    return name, model, _layer_names(model, name)


@pytest.mark.parametrize("batch", BATCHES)
def test_saved_activations_equal_pytorch_per_layer_and_in_all(builtin, batch):
    name, model, names = builtin
    net = symcnn.load(name)
    c = int(net.input.channels)
    for size in tools.BUILTIN_SIZES[name]:
        m = memory(net.derive(f"{size}x{size}x{c}", "floor"))
        ours = {lm.name: int(lm.at(batch)) for lm in m.layers if lm.at(batch) != 0}
        theirs = dict(saved_bytes(model, names, torch.zeros(batch, c, size, size)))
        theirs = {k: v for k, v in theirs.items() if v}
        assert ours == theirs, (name, size, batch)
        assert m.activations(batch) == sum(theirs.values())


def test_closed_form_in_the_input_and_batch_is_every_size():
    net = symcnn.load("resnet18")
    a = symcnn.analyse(net, "floor")
    closed = memory(a.derivation, optimizer="momentum")
    for size in (64, 97):
        at = memory(net.derive(f"{size}x{size}x3", "floor"), optimizer="momentum")
        for batch in BATCHES:
            assert a.at(closed.training(B).xreplace({B: batch}), size) == at.training(batch)


@pytest.mark.parametrize("optimizer,make", [
    ("momentum", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
    ("adam", lambda p: torch.optim.Adam(p, lr=0.1)),
    ("sgd", lambda p: torch.optim.SGD(p, lr=0.1)),
])
@pytest.mark.parametrize("name", ["lenet5", "resnet18", "mobilenet-v2"])
def test_optimizer_state_equals_torch_optim_after_one_step(name, optimizer, make):
    model, (c, h, w) = torch_zoo.build(name)
    opt = make(model.parameters())
    model.train()
    model(torch.zeros(2, c, h if name == "lenet5" else 64, w if name == "lenet5" else 64)).sum().backward()
    opt.step()
    state = sum(t.untyped_storage().nbytes() for s in opt.state.values() for t in s.values()
                if isinstance(t, torch.Tensor))
    m = memory(symcnn.load(name).derive(), optimizer=optimizer)
    assert m.optimizer_state == state
    assert m.parameters == m.gradients == sum(p.numel() * p.element_size() for p in model.parameters())
    assert m.buffers == sum(b.numel() * b.element_size() for b in model.buffers())


def test_largest_batch_that_fits_is_checked_at_it_and_the_next():
    m = memory(symcnn.load("resnet50").derive("224x224x3", "floor"), optimizer="adam")
    budget = parse_bytes("24GiB")
    assert budget == 24 * 1024**3
    b = m.largest_batch(budget)
    assert m.training(b) <= budget < m.training(b + 1)
    assert b > 0
