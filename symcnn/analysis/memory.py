"""The memory of a training step, and of inference, in the input size and a batch of ``B`` samples.

A training step keeps the parameters, their gradients, the optimiser's state, the buffers (batch
norm's running statistics) and the activations autograd saves for the backward pass. What each
operation saves is PyTorch's (CPU, read with ``torch.autograd.graph.saved_tensors_hooks``): a
convolution or an FC layer its input, ReLU, tanh and sigmoid their output, ReLU6 (hardtanh) a copy
of its input, batch norm its input and two statistics per channel (``save_mean``, ``save_invstd``,
float32), layer and group norm their input and a mean and a reciprocal deviation per normalised row
(at the input's dtype), max pooling its input and its indices (int64), average pooling its input (adaptive
pooling to 1 x 1 is a mean and saves nothing), dropout in training a mask of its input's size and
dtype; self-attention (``F.scaled_dot_product_attention``) its input, the queries, keys and values,
its output and a log-sum-exp per head and token; Swin's window attention its input, the queries, keys
and values, the attention's weights and its output; additions, concatenations, flattening and
identities save nothing (an identity's output, a flatten's, a token read from a sequence, is its
input's storage: a layer that saves it keeps the whole storage). A tensor several operations save
(a ReLU's output, the next convolution's input) is kept once: the layer that saves it first
counts it. The saved activations of every layer add up to ``B`` times a closed form in the input.

Inference keeps no saved tensors: its activation memory is the peak, along the layers in order,
of the tensors still to be read.

``dtype`` is ``float32`` (4 bytes everywhere) or ``bfloat16``/``float16`` with float32 master
weights (mixed precision as Micikevicius et al. 2018 and ZeRO count it: 2-byte weights,
gradients and activations; the optimiser keeps a float32 copy of the weights beside its state).

>>> from symcnn import load
>>> m = memory(load("lenet5").derive(), optimizer="adam")
>>> m.per_sample, m.parameters, m.optimizer_state
(36432, 246824, 493688)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sympy import Add, Basic, Integer, Max, Mul, Symbol, ceiling, floor

from ..errors import SolveError, SpecError, quote
from ..network import INPUT, sources
from ..printing import tidy
from ..records import LayerDerivation, NetworkDerivation, Step, number, plain
from ..symbols import I
from .counting import kind_of

#: The batch size: the memory of a step is linear in it.
B = Symbol("B", integer=True, positive=True)


def _bytes(name: str) -> Symbol:
    return Symbol(name, integer=True, nonnegative=True)


# The symbols of the worked derivation (bytes, and what they are made of).
s_ = Symbol("s", integer=True, positive=True)  #: bytes of one value at the dtype
n_p = _bytes("n_p")  #: parameters of the network
n_t = _bytes("n_t")  #: parameter tensors (a weight, a bias: one step counter each under Adam)
n_r = _bytes("n_r")  #: buffer values (batch norm's running mean and variance, and its batch count)
n_b = _bytes("n_b")  #: layers keeping buffers (one int64 batch count each)
M_p, M_g, M_o, M_b = (_bytes(f"M_{x}") for x in "pgob")  #: parameters, gradients, optimiser state, buffers
n_a = _bytes("n_a")  #: values saved for backward, per sample, at the dtype
n_i = _bytes("n_i")  #: int64 indices saved for backward (max pooling), per sample
n_c = _bytes("n_c")  #: channels of the batch norms (two float32 statistics each, per batch)
M_a = _bytes("M_a")  #: activations saved for backward, per sample
M_s = _bytes("M_s")  #: batch norm's saved statistics, per batch
M_f = _bytes("M_f")  #: what does not grow with the batch
M_t = _bytes("M_t")  #: a training step at a batch of B
M_max = _bytes("M_max")  #: the budget
B_max = _bytes("B_max")  #: the largest batch within the budget
#: What each symbol of the derivation stands for.
MEMORY_SYMBOLS = {s_: "bytes of one value", n_p: "parameters", n_t: "parameter tensors", n_r: "buffer values",
                  n_b: "layers keeping buffers", n_a: "values saved per sample", n_i: "int64 indices saved per sample",
                  n_c: "channels of the batch norms", M_p: "parameters", M_g: "gradients", M_o: "optimiser state",
                  M_b: "buffers", M_a: "activations saved per sample", M_s: "statistics saved per batch",
                  M_f: "bytes that do not grow with the batch", M_t: "a training step", B: "batch size",
                  M_max: "the budget", B_max: "the largest batch"}

#: dtype -> (bytes of an activation, a weight copy and a gradient; float32 master weights kept by the optimiser)
DTYPES = {"float32": (4, False), "bfloat16": (2, True), "float16": (2, True)}
#: optimiser -> (float32 values of state per parameter, a scalar step tensor per parameter tensor)
OPTIMIZERS = {"sgd": (0, False), "momentum": (1, False), "adam": (2, True), "adamw": (2, True)}
INDEX_BYTES = 8  # int64 indices of max pooling
STAT_BYTES = 4  # batch norm's save_mean and save_invstd, and the running statistics: float32


@dataclass(frozen=True)
class Saved:
    """One tensor a layer saves for backward: which (a layer's output, by name, or an extra of its own),
    its elements per sample, and the bytes of one element (None: the activations' dtype)."""

    tensor: str
    elements: Basic
    bytes: int | None = None
    #: kept once per batch, not per sample (batch norm's statistics)
    per_batch: bool = False
    #: what it is to the layer: input, output, copy (of its input), statistics, indices, mask; an attention's
    #: qkv (queries, keys and values), weights, attention (its output), logsumexp
    what: str = "input"


def _input(d: LayerDerivation, names: tuple[str, ...], i: int = 0) -> Saved:
    return Saved(names[i], d.inputs[i].numel)


def _output(d: LayerDerivation, names: tuple[str, ...]) -> Saved:
    return Saved(d.name, d.output.numel, what="output")


def _own_copy(d: LayerDerivation, names: tuple[str, ...]) -> Saved:
    return Saved(f"{d.name}:input", d.inputs[0].numel, what="copy")


def _saves_input(d: LayerDerivation, names: tuple[str, ...]) -> tuple[Saved, ...]:
    return (_input(d, names),)


def _saves_output(d: LayerDerivation, names: tuple[str, ...]) -> tuple[Saved, ...]:
    return (_output(d, names),)


def _batchnorm(d: LayerDerivation, names: tuple[str, ...]) -> tuple[Saved, ...]:
    return (_input(d, names), Saved(f"{d.name}:stats", 2 * d.input.channels, STAT_BYTES, per_batch=True,
                                       what="statistics"))


def _layernorm(d: LayerDerivation, names: tuple[str, ...]) -> tuple[Saved, ...]:
    # its input, and a mean and a reciprocal standard deviation per normalised row (per position: the
    # values over its channels), at the input's dtype; group norm one of each per group
    layer: Any = d.layer
    rows = d.input.numel / d.input.channels if kind_of(layer) == "layernorm" else layer.groups
    return (_input(d, names), Saved(f"{d.name}:stats", 2 * rows, what="statistics"))


def _self_attention(d: LayerDerivation, names: tuple[str, ...]) -> tuple[Saved, ...]:
    # F.scaled_dot_product_attention's CPU kernel (nn.MultiheadAttention called with need_weights=False,
    # timm's Attention): the input of the in-projection, the queries, keys and values (one tensor of 3LC),
    # the attention's output (read by the out-projection as it is) and a log-sum-exp per head and token
    layer: Any = d.layer
    tokens, c, heads = d.input.spatial[0], d.input.channels, layer.heads
    return (_input(d, names), Saved(f"{d.name}:qkv", 3 * tokens * c, what="qkv"),
            Saved(f"{d.name}:attention", tokens * c, what="attention"),
            Saved(f"{d.name}:logsumexp", heads * tokens, what="logsumexp"))


def _window_attention(d: LayerDerivation, names: tuple[str, ...]) -> tuple[Saved, ...]:
    # torchvision's shifted-window attention (F.linear, Tensor.matmul, F.softmax) on the map padded to whole
    # windows (P positions; a copy where it is padded or shifted): the in-projection's input, the queries,
    # keys and values apart, the attention's weights (h M^2 per position) and the out-projection's input
    layer: Any = d.layer
    m, c = layer.window_size, d.input.channels
    padded = Mul(*(m * ceiling(i / m) for i in d.input.spatial))
    whole = layer.shift == 0 and padded == d.input.numel / c
    first = _input(d, names) if whole else Saved(f"{d.name}:input", padded * c, what="copy")
    return (first, Saved(f"{d.name}:qkv", 3 * padded * c, what="qkv"),
            Saved(f"{d.name}:weights", layer.heads * padded * m**2, what="weights"),
            Saved(f"{d.name}:attention", padded * c, what="attention"))


def _maxpool(d: LayerDerivation, names: tuple[str, ...]) -> tuple[Saved, ...]:
    return (_input(d, names), Saved(f"{d.name}:indices", d.output.numel, INDEX_BYTES, what="indices"))


def _adaptive_avg(d: LayerDerivation, names: tuple[str, ...]) -> tuple[Saved, ...]:
    return () if all(s == 1 for s in d.output.spatial) else (_input(d, names),)


def _dropout(d: LayerDerivation, names: tuple[str, ...]) -> tuple[Saved, ...]:
    # dropout: a mask of its input's size (CPU: the input's dtype); DropPath: one value per sample
    whole = type(d.layer).__name__ == "Dropout"
    return (Saved(f"{d.name}:mask", d.inputs[0].numel if whole else Integer(1), what="mask"),)


def _both(d: LayerDerivation, names: tuple[str, ...]) -> tuple[Saved, ...]:
    return tuple(_input(d, names, i) for i in range(len(d.inputs)))


#: What each kind of layer saves for backward (kinds of :func:`symcnn.analysis.counting.kind_of`).
SAVES = {
    "conv": _saves_input, "deconv": _saves_input, "fc": _saves_input, "channel-fc": _saves_input,
    "batchnorm": _batchnorm, "layernorm": _layernorm, "groupnorm": _layernorm, "lrn": _saves_input,
    "relu": _saves_output, "tanh": _saves_output, "sigmoid": _saves_output, "softmax": _saves_output,
    "relu6": lambda d, n: (_own_copy(d, n),), "gelu": _saves_input, "silu": _saves_input,
    "hardswish": _saves_input, "hardsigmoid": _saves_input,
    "maxpool": _maxpool, "adaptive-maxpool": _maxpool, "avgpool": _saves_input, "adaptive-avgpool": _adaptive_avg,
    "dropout": _dropout, "mul": _both, "scale": _saves_input,
    "attention": _self_attention, "window-attention": _window_attention,
}
#: Kinds whose output is a view of their input (saving it saves the input's storage).
VIEWS = {"flatten", "identity", "tokens", "token"}


@dataclass(frozen=True)
class SavedBytes:
    """One tensor a layer saves, as counted: what it is (:attr:`Saved.what`), its elements (per sample, or
    per batch for statistics), the bytes of one, and where an earlier layer saved it already, which (its
    bytes are counted there, not here)."""

    what: str
    elements: Basic
    element_bytes: int
    per_batch: bool = False
    counted_by: str = ""

    @property
    def bytes(self) -> Basic:
        return Integer(0) if self.counted_by else self.elements * self.element_bytes


@dataclass(frozen=True)
class LayerMemory:
    """One layer's saved activations: bytes per sample and per batch (closed forms where symbolic), and
    the tensors behind them."""

    name: str
    kind: str
    per_sample: Basic
    per_batch: Basic = Integer(0)
    saved: tuple[SavedBytes, ...] = ()

    def at(self, batch: Basic | int) -> Basic:
        return batch * self.per_sample + self.per_batch


@dataclass(frozen=True)
class Memory:
    """A training step's memory: fixed parts (parameters, gradients, optimiser state, buffers) and the
    activations saved, ``per_sample`` bytes times the batch plus ``per_batch``; and inference's peak."""

    network: str
    dtype: str
    optimizer: str
    parameters: Basic
    gradients: Basic
    optimizer_state: Basic
    buffers: Basic
    layers: tuple[LayerMemory, ...]
    #: bytes per sample of the tensors inference keeps at its peak, and where that is
    inference_peak: Basic
    inference_peak_at: str
    symbols: tuple[Symbol, ...] = field(default=(I,))
    #: opaque layers: what they save is not known, and is not in the figures
    not_derived: tuple[str, ...] = ()
    #: what the fixed parts are made of: parameters, parameter tensors, buffer values, layers keeping buffers
    counts: tuple[Basic, int, Basic, int] = (Integer(0), 0, Integer(0), 0)

    @property
    def element(self) -> int:
        """Bytes of one weight, gradient or activation at :attr:`dtype`."""
        return DTYPES[self.dtype][0]

    def derivation(self) -> tuple[Step, ...]:
        """The worked steps: each part's bytes (general formula, values put in, value), the activations saved
        per sample (values of the dtype and int64 indices) and per batch, and the step in ``B``."""
        params, tensors, buffer_values, keeping = self.counts
        values = {s_: self.element, n_p: params, n_t: tensors, n_r: buffer_values, n_b: keeping,
                  n_a: self.saved_values("values"), n_i: self.saved_values("indices")}
        state_values, step = OPTIMIZERS[self.optimizer]
        state_terms = [Mul(4 * state_values, n_p, evaluate=False)] if state_values else []
        state_terms += [Mul(4, n_p, evaluate=False)] if DTYPES[self.dtype][1] else []  # float32 master weights
        state_terms += [Mul(4, n_t, evaluate=False)] if step else []
        values[n_c] = self.saved_values("statistics") // 2
        parts = [(M_p, Mul(s_, n_p, evaluate=False), self.parameters),
                 (M_g, Mul(s_, n_p, evaluate=False), self.gradients),
                 (M_o, Add(*state_terms, evaluate=False) if state_terms else Integer(0), self.optimizer_state),
                 (M_b, Add(Mul(4, n_r, evaluate=False), Mul(4, n_b, evaluate=False), evaluate=False), self.buffers),
                 (M_s, Mul(2 * STAT_BYTES, n_c, evaluate=False), plain(self._per_batch)),
                 (M_a, Add(Mul(s_, n_a, evaluate=False), Mul(INDEX_BYTES, n_i, evaluate=False), evaluate=False),
                  plain(self._per_sample))]
        kept = [(sym, general, value) for sym, general, value in parts if value != 0 or sym in (M_p, M_g, M_a)]
        steps = [_step(sym, general, values, value) for sym, general, value in kept]
        fixed = Add(*(sym for sym, _, _ in kept if sym != M_a), evaluate=False)
        known = {sym: value for sym, _, value in kept}
        # the parts' values, added: their symbols are the lines above (a line of both would not fit a page)
        steps.append(Step(M_f, "memory-fixed", tidy(fixed, known), tidy(fixed, known), _sym(self.fixed),
                          counts="bytes"))
        total = Add(M_f, Mul(M_a, B, evaluate=False), evaluate=False)
        known[M_f] = self.fixed
        steps.append(Step(M_t, "memory-step", total, tidy(total, known), _sym(self.training()), counts="bytes"))
        return tuple(steps)

    def saved_values(self, what: str) -> Basic:
        """Elements saved: ``values`` (of the dtype, per sample), ``indices`` (int64, per sample) or
        ``statistics`` (float32, per batch)."""
        return plain(Add(*(t.elements for lm in self.layers for t in lm.saved
                           if not t.counted_by and _category(t) == what)))

    def fit(self, budget: int) -> Fit:
        """The largest batch whose step fits ``budget`` bytes, and the step's bytes at it and at the next."""
        largest = self.largest_batch(budget)
        fixed, per = self.fixed, self.per_sample
        general = floor((M_max - M_f) / M_a)
        step = Step(B_max, "memory-fit", general, tidy(general, {M_max: budget, M_f: fixed, M_a: per}),
                    Integer(largest), counts="batch")
        return Fit(budget, largest, step, *(self._at(b) for b in (largest, largest + 1)))

    def _at(self, batch: int) -> Step:
        general = M_f + M_a * B
        values = {M_f: self.fixed, M_a: self.per_sample, B: batch}
        return Step(M_t, "memory-at", general, tidy(general, values), Integer(self.training(batch)), dict(values),
                    counts="bytes")

    @property
    def per_sample(self) -> Basic | int:
        return plain(Add(*(lm.per_sample for lm in self.layers)))

    @property
    def per_batch(self) -> Basic | int:
        return plain(Add(*(lm.per_batch for lm in self.layers)))

    @property
    def fixed(self) -> Basic | int:
        """Bytes that do not grow with the batch: parameters, gradients, optimiser state, buffers, statistics."""
        return plain(self.parameters + self.gradients + self.optimizer_state + self.buffers + self._per_batch)

    @property
    def _per_sample(self) -> Basic:
        return Add(*(lm.per_sample for lm in self.layers))

    @property
    def _per_batch(self) -> Basic:
        return Add(*(lm.per_batch for lm in self.layers))

    def activations(self, batch: Basic | int = B) -> Basic | int:
        """Bytes of the activations saved for backward at ``batch``."""
        return plain(batch * self._per_sample + self._per_batch)

    def training(self, batch: Basic | int = B) -> Basic | int:
        """Bytes of a training step at ``batch`` (a closed form in B, and in the input where symbolic)."""
        return plain(self.fixed + batch * self._per_sample)

    def inference(self, batch: Basic | int = B) -> Basic | int:
        return plain(self.parameters + self.buffers + batch * self.inference_peak)

    def largest_batch(self, budget: int) -> int:
        """The largest batch whose training step fits in ``budget`` bytes (0: not even one sample)."""
        per, fixed = self.per_sample, self.fixed
        if not isinstance(per, int) or not isinstance(fixed, int):
            raise SolveError("the memory is a formula in the input size: give the input size", where=self.network,
                             rule="numeric memory")
        return max(0, (budget - fixed) // per) if per else 0

    def to_json(self) -> dict:
        return {"network": self.network, "dtype": self.dtype, "optimizer": self.optimizer,
                "parameters": number(self.parameters), "gradients": number(self.gradients),
                "optimizer_state": number(self.optimizer_state), "buffers": number(self.buffers),
                "activations_per_sample": number(self._per_sample),
                "training": str(self.training()), "inference": str(self.inference()),
                **({"not_derived": list(self.not_derived)} if self.not_derived else {}),
                "layers": [{"name": lm.name, "kind": lm.kind, "per_sample": number(lm.per_sample),
                            **({"per_batch": number(lm.per_batch)} if lm.per_batch != 0 else {})}
                           for lm in self.layers]}


@dataclass(frozen=True)
class Fit:
    """The largest batch whose training step fits ``budget`` bytes (0: not one sample), worked out, and the
    closed form at that batch (within the budget) and at the next (past it)."""

    budget: int
    batch: int
    step: Step
    at: Step
    after: Step

    @property
    def checked(self) -> bool:
        """Whether the closed form says so: at the batch within the budget (or no batch), the next past it."""
        return (self.batch == 0 or int(self.at.value) <= self.budget) and int(self.after.value) > self.budget


def _category(t: SavedBytes) -> str:
    """``indices`` (int64), ``statistics`` (float32, per batch: batch norm's) or ``values`` (of the dtype)."""
    return "indices" if t.what == "indices" else "statistics" if t.per_batch else "values"


def _sym(value: Basic | int) -> Basic:
    return Integer(value) if isinstance(value, int) else value


def _step(symbol: Symbol, general: Basic, values: dict, value: Basic) -> Step:
    return Step(symbol, f"memory-{symbol}", general, tidy(general, values), _sym(value),
                {k: v for k, v in values.items() if k in general.free_symbols}, counts="bytes")


def _check(dtype: str, optimizer: str) -> None:
    if dtype not in DTYPES:
        raise SpecError(f"unknown dtype {quote(dtype)}; choose one of {', '.join(DTYPES)}", where="dtype",
                        rule="dtype")
    if optimizer not in OPTIMIZERS:
        raise SpecError(f"unknown optimiser {quote(optimizer)}; choose one of {', '.join(OPTIMIZERS)}",
                        where="optimizer", rule="optimizer")


def _is_view(record: LayerDerivation) -> bool:
    return kind_of(record.layer) in VIEWS or record.type == "flatten"


def saved_layers(d: NetworkDerivation, element: int = 4) -> tuple[LayerMemory, ...]:
    """Per layer (those that run in training), the bytes of the tensors it is the first to save."""
    inputs = {layer.name: names for layer, names in sources(d.network.layers)} if d.network is not None else {}
    alias: dict[str, str] = {}
    # elements of each tensor's storage: a view (the class token a head reads) saves all of it
    storage: dict[str, Basic] = {INPUT: d.input.numel}
    seen: dict[str, str] = {}
    found = []
    for record in d.layers:
        kind = kind_of(record.layer)
        names = tuple(alias.get(n, n) for n in inputs.get(record.name, (INPUT,)))
        if _is_view(record):
            alias[record.name] = names[0]
        else:
            storage[record.name] = record.output.numel
        per_sample: list[Basic] = []
        per_batch: list[Basic] = []
        saved = []
        for s in SAVES.get(kind, lambda r, n: ())(record, names):
            counted = SavedBytes(s.what, storage.get(s.tensor, s.elements), s.bytes or element, s.per_batch,
                                 seen.get(s.tensor, ""))
            saved.append(counted)
            if counted.counted_by:
                continue
            seen[s.tensor] = record.name
            (per_batch if s.per_batch else per_sample).append(counted.bytes)
        found.append(LayerMemory(record.name, kind, Add(*per_sample), Add(*per_batch), tuple(saved)))
    return tuple(found)


#: (weight tensors, bias tensors) of a layer with weights and biases, where not one of each: an attention's
#: projections in and out, and Swin's table of relative position biases
TENSORS = {"attention": (2, 2), "window-attention": (3, 2)}


def _parameter_tensors(d: NetworkDerivation) -> int:
    def tensors(r: LayerDerivation) -> int:
        weights, biases = TENSORS.get(kind_of(r.layer), (1, 1))
        return weights * (r.weights != 0) + biases * (r.biases != 0)

    return sum(tensors(r) for r in d.layers)


def _buffer_bytes(d: NetworkDerivation) -> Basic:
    # running mean and variance (float32) and num_batches_tracked (one int64) per batch norm that keeps them
    return Add(*((r.buffers - 1) * STAT_BYTES + 8 for r in d.layers if r.buffers != 0))


def inference_peak(d: NetworkDerivation, element: int = 4) -> tuple[Basic, str]:
    """Bytes per sample of the tensors live at the peak of an inference pass, and the layer there: the
    input and every output from its making until the last layer that reads it has run."""
    inputs = {layer.name: names for layer, names in sources(d.network.layers)} if d.network is not None else {}
    layers = [r for r in d.layers if not r.training]
    alias: dict[str, str] = {}  # a view (flatten, identity) -> the tensor whose storage it shares
    last: dict[str, int] = {}
    for i, r in enumerate(layers):
        names = [alias.get(n, n) for n in inputs.get(r.name, (INPUT,))]
        if _is_view(r):
            alias[r.name] = names[0]
        for n in names:
            last[n] = i
    sizes = {INPUT: d.input.numel}
    live = {INPUT}
    peaks: list[tuple[Basic, str]] = []
    for i, r in enumerate(layers):
        if r.name not in alias:
            sizes[r.name] = r.output.numel
            live.add(r.name)
        peaks.append((element * Add(*(sizes[n] for n in live)), r.name))
        live = {n for n in live if last.get(n, -1) > i}
    numbers = [p for p in peaks if p[0].is_Integer]
    if len(numbers) == len(peaks):
        return max(peaks, key=lambda p: int(p[0]))
    return Max(*(p[0] for p in peaks), evaluate=False), "(the largest of the layers')"


def memory(d: NetworkDerivation, dtype: str = "float32", optimizer: str = "adam") -> Memory:
    """The memory of a training step on ``d`` (numbers, or closed forms where ``d`` is symbolic), in B."""
    _check(dtype, optimizer)
    element, master = DTYPES[dtype]
    params = d.total("params")
    state_values, step = OPTIMIZERS[optimizer]
    state = params * 4 * state_values + (4 * _parameter_tensors(d) if step else 0) + (params * 4 if master else 0)
    peak, where = inference_peak(d, element)
    keeping = [r for r in d.layers if r.buffers != 0]
    counts = (Integer(0) + params, _parameter_tensors(d), Add(*(r.buffers for r in keeping)), len(keeping))
    return Memory(d.name, dtype, optimizer, params * element, params * element, Integer(0) + state,
                  _buffer_bytes(d), saved_layers(d, element), peak, where,
                  tuple(sorted(d.input.numel.free_symbols, key=str)) or (I,),
                  tuple(r.name for r in d.opaque), counts)


def largest_input(fits: Any, low: int, high: int) -> int | None:
    """The largest ``x`` in ``low..high`` with ``fits(x)``, where what fits at ``x`` fits below it; None: none."""
    if not fits(low):
        return None
    while low < high:
        mid = (low + high + 1) // 2
        if fits(mid):
            low = mid
        else:
            high = mid - 1
    return low


def largest_size(a: Any, m: Memory, batch: int, budget: int, cap: int = 1 << 15) -> tuple[int | None, int | None]:
    """The largest valid square input I (of the analysis ``a`` in I) whose training step at ``batch`` fits
    ``budget`` bytes, and the next valid input (which does not); ``(None, smallest)`` where none fits,
    ``(largest, None)`` where every input up to ``cap`` does. The step grows with I."""
    low = a.min_input
    if not isinstance(low, int):
        raise SolveError(f"the smallest input is {low}: give the hyper-parameters values", where=a.network,
                         rule="numeric input")
    cong = a.congruences[I]
    if len(cong.residues) > 1:
        raise SolveError(f"the valid inputs are I {cong}: choose floor rounding to ask for the largest input",
                         where="--fit", rule="valid inputs")
    low = cong.next(low)
    step = m.training(batch)

    def size(j: int) -> int:  # the j-th valid input (exact rounding: one residue modulo the strides)
        return low + j * cong.modulus

    found = largest_input(lambda j: a.at(step, size(j)) <= budget, 0, (cap - low) // cong.modulus)
    if found is None:
        return None, low
    after = size(found) + cong.modulus
    return size(found), (after if after <= cap else None)


def parse_bytes(text: str) -> int:
    """``24GiB``, ``16GB``, ``512MiB``, ``1e9`` as a number of bytes (never evaluated)."""
    import re

    units = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12, "KIB": 2**10, "MIB": 2**20,
             "GIB": 2**30, "TIB": 2**40}
    m = re.fullmatch(r"\s*([0-9]{1,15}(?:\.[0-9]{1,6})?)\s*([A-Za-z]{0,3})\s*", text or "")
    if not m or m.group(2).upper() not in units:
        raise SpecError(f"a memory size is a number with a unit such as 24GiB or 16GB, got {quote(text)}",
                        where="--fit", rule="memory size")
    from fractions import Fraction

    return int(Fraction(m.group(1)) * units[m.group(2).upper()])


__all__ = ["B", "DTYPES", "OPTIMIZERS", "Memory", "LayerMemory", "Saved", "SavedBytes", "Fit", "MEMORY_SYMBOLS",
           "SAVES", "memory", "saved_layers",
           "inference_peak", "largest_input", "largest_size", "parse_bytes"]
