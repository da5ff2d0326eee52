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


def _figure(report: str, symbol: str) -> int:
    """The value a report's step for ``symbol`` (``M_{a}``) ends with: ``... = 36{,}432``."""
    import re

    lines = [line.replace(" &= ", " = ").removesuffix(" \\\\") for line in report.splitlines()]
    line = next(line for line in lines if line.startswith(f"{symbol} = "))
    return int(re.search(r"= ([0-9{},]+)$", line).group(1).replace("{,}", "").replace(",", ""))


def training_step(name: str):
    """A real CPU training step of the built-in network's PyTorch model at its own input, batch 1: the
    model, the bytes each layer saves for backward, Adam's state after one step, and the bytes of the
    parameters and of the buffers."""
    net = symcnn.load(name)
    model = tools.builtin_model(name)
    c, (h, w) = int(net.input.channels), (int(s) for s in net.input.spatial)
    saved = saved_bytes(model, _layer_names(model, name), torch.zeros(1, c, h, w))
    opt = torch.optim.Adam(model.parameters(), lr=0.1)
    opt.step()
    state = sum(t.untyped_storage().nbytes() for s in opt.state.values() for t in s.values())
    params = sum(p.numel() * p.element_size() for p in model.parameters())
    buffers = sum(b.numel() * b.element_size() for b in model.buffers())
    return model, saved, state, params, buffers


@pytest.mark.parametrize("name", ["lenet5", "resnet18"])
def test_the_reports_memory_section_is_pytorchs_training_step(name):
    # every figure of the worked derivation from a real CPU training step of the PyTorch model, at the
    # report's own input, batch 1: the saved tensors, the parameters and Adam's state after one step
    model, saved, state, params, buffers = training_step(name)
    # batch norm's save_mean and save_invstd: two float32 values a channel, per batch (2 x 2 x 4 x channels at
    # batch 2 against 1: what grows with the batch is the rest)
    stats = 8 * sum(m.num_features for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d))
    per_sample = sum(saved.values()) - stats
    for lang in ("en", "ko"):
        for fmt in ("md", "tex"):
            text = symcnn.report(name, fmt, lang=lang)
            assert _figure(text, "M_{p}") == _figure(text, "M_{g}") == params
            assert _figure(text, "M_{o}") == state
            assert _figure(text, "M_{a}") == per_sample
            fixed = 2 * params + state + buffers + stats
            assert _figure(text, "M_{f}") == fixed
            if stats:
                assert _figure(text, "M_{s}") == stats and _figure(text, "M_{b}") == buffers
            # the largest batch in 24 GiB by hand, and the step at it and at the next: within it, past it
            budget = 24 * 2**30
            batch = (budget - fixed) // per_sample
            at = [line for line in text.replace(" &= ", " = ").splitlines()
                  if line.startswith("M_{t} = M_{f} + M_{a}") and "B" not in line.split("=", 2)[2]]
            assert _figure(text, "B_{max}") == batch
            assert [_figure(line, "M_{t}") for line in at] == [fixed + batch * per_sample,
                                                                fixed + (batch + 1) * per_sample]
            assert fixed + batch * per_sample <= budget < fixed + (batch + 1) * per_sample


def test_the_reports_memory_table_adds_up_to_its_total():
    # per layer (bytes per sample at the input), the rows of the table add up to M_a, and the table's total
    import re

    text = symcnn.report("resnet50", "md")
    section = text[text.index("## Memory of a training step"):]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| layer |")]
    values = [int(row.rstrip(" |").rsplit("| ", 1)[1].strip("*").replace(",", "")) for row in rows]
    *layers, total = values
    assert sum(layers) == total == _figure(text.replace("\n$$", ""), "M_{a}")
    assert re.search(r"\| layer4\.2\.conv1 \| input \(kept by layer4\.1\.relu3\) \|", section)
