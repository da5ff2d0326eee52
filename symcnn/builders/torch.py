"""A PyTorch model as a symcnn :class:`~symcnn.network.Network`: ``from_torch(module, input=...)``.

``torch.fx.symbolic_trace`` gives every module call with its hyper-parameters and the wiring, and
every function and method call between them; each maps to a symcnn layer named as PyTorch names
it (``layer1.0.conv1``; a function call by the module it runs in, ``layer1.0.add``). The sizes stay
symcnn's to derive. One run of the traced graph on a tensor without data (meta or fake) gives
PyTorch's own shapes at the import size: they tell the patterns apart (a ``view`` that is a channel
shuffle, a ``view`` that flattens) and give an opaque layer its shape.

Where fx cannot trace (Python control flow on a tensor's values), ``torch.export`` with a dynamic
height and width takes over; the network's ``description`` says which path was used.

An operation with no symcnn layer becomes an :class:`~symcnn.layers.Opaque` layer that keeps
PyTorch's concrete shape at the import size and is marked as not derived everywhere;
``strict=True`` makes it an error naming the node. ``mappings`` maps a module class of one's own
to a function ``(module, name) -> [layers]`` (or one layer); such modules are not traced into.

Modules called more than once (or holding the same parameter tensors as an earlier one) share
their parameters: the later layers say so, and count 0. Modules with parameters that never run in
eval (an auxiliary head) are imported from a second trace in training mode, as training-only layers.

torch is imported only here, and only when an import is asked for.
"""

from __future__ import annotations

import contextlib
import functools
import math
import operator
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..attention import (
    ClassToken,
    PatchMerge,
    PositionEmbedding,
    SelfAttention,
    Tokens,
    TokenSelect,
    WindowAttention,
)
from ..errors import SpecError, SymcnnError
from ..layers import (
    GELU,
    LRN,
    TF_SAME,
    AdaptiveAvgPool,
    AdaptiveMaxPool,
    Add,
    AvgPool1d,
    AvgPool2d,
    AvgPool3d,
    BatchNorm,
    ChannelLinear,
    ChannelShuffle,
    Conv1d,
    Conv2d,
    Conv3d,
    ConvTranspose1d,
    ConvTranspose2d,
    ConvTranspose3d,
    Crop,
    CrossCovarianceAttention,
    Dropout,
    DropPath,
    Elementwise,
    Flatten,
    FourierPositionEncoding,
    GlobalAvgPool,
    GlobalResponseNorm,
    GroupNorm,
    Hardsigmoid,
    Hardswish,
    Identity,
    Layer,
    LayerNorm,
    Linear,
    MaxPool1d,
    MaxPool2d,
    MaxPool3d,
    Opaque,
    Pad,
    PixelShuffle,
    PixelUnshuffle,
    ReLU,
    ReLU6,
    Scale,
    Sigmoid,
    SiLU,
    Softmax,
    Split,
    Tanh,
    Upsample,
)
from ..network import INPUT, Network
from ..shape import Shape
from .operations import (
    OPERATIONS,
    UNMATCHED,
    Call,
    OpaqueOperation,
    T,
    concat,
    conv_class,
    conv_fields,
    floats,
    implicit_inputs,
    ints,
    keeping,
    reshape,
    squeeze,
    torch_pad,
    two_maps,
)

_Opaque = OpaqueOperation
_Call = Call
_UNMATCHED = UNMATCHED
_ints, _floats = ints, floats

Mapping_ = Callable[[Any, str], "Layer | list[Layer]"]


class ModelImportError(SymcnnError, ValueError):
    """A model that cannot be imported as asked (``strict`` and an opaque node, a graph with no tensor output)."""


# -- values the import carries along the graph ------------------------------------------------


@dataclass(frozen=True)
class ShapeOf:
    """``x.shape`` / ``x.size()`` of a tensor: its items are PyTorch's numbers at the import size,
    but its spatial part (``x.shape[-2:]``) stays the size of that tensor."""

    tensor: T


@dataclass(frozen=True)
class SpatialOf:
    tensor: T


@dataclass(frozen=True)
class Parts:
    """The parts of a ``chunk`` or ``split`` along the channels, made into layers when used."""

    tensor: T
    chunks: int | None
    sizes: tuple[int, ...] | None
    node: str


@dataclass(frozen=True)
class Encoding:
    """What a module computes from the input's size alone, with parameters of its own, to add to a
    map (EdgeNeXt's Fourier position encoding): the module's path; its layer is made where it is added."""

    module: str


@dataclass(frozen=True)
class Param:
    """A parameter or buffer read directly (``get_attr``): ConvNeXt's layer scale, a LayerNorm2d's weights."""

    target: str
    tensor: Any


@dataclass(frozen=True)
class Resampled(Param):
    """A position embedding resized to the grid of the input (timm's ``resample_abs_pos_embed``)."""


def _torch():
    try:
        import torch
        import torch.fx  # noqa: F401
    except ImportError as e:  # pragma: no cover - exercised without torch only
        raise SpecError(f"importing a PyTorch model needs torch ({e}): pip install torch torchvision (on Linux "
                        "PyPI's is the CUDA build, about 5 GB; for the CPU build see docs/install.md#pytorch)",
                        where="from_torch", rule="torch installed") from None
    return torch


def _input_shape(input) -> Shape:
    shape = Shape.of(input, field="input")
    if shape.is_vector:
        raise SpecError(f"the import size must be a feature map such as 224x224x3, got {shape}", where="input",
                        rule="feature-map input")
    return shape


#: Seconds ``torch.export`` may take to trace a model fx cannot (``from_torch(..., trace_seconds=...)``,
#: or the environment variable ``SYMCNN_TRACE_SECONDS`` for a session); past them the import refuses.
TRACE_SECONDS = 30.0


def _bound(given: float | None = None) -> float:
    """The time bound of a trace: ``given``, else ``SYMCNN_TRACE_SECONDS`` where it is a positive number,
    else :data:`TRACE_SECONDS`."""
    import os

    if given is not None:
        if isinstance(given, bool) or not isinstance(given, (int, float)) or not 0 < given < 1e9:
            raise SpecError(f"a time bound is a positive number of seconds, got {given!r}", where="trace_seconds",
                            rule="time bound")
        return float(given)
    try:
        value = float(os.environ.get("SYMCNN_TRACE_SECONDS", ""))
    except ValueError:
        return TRACE_SECONDS
    return value if 0 < value < 1e9 else TRACE_SECONDS


def from_torch(module, input: Any = None, *, strict: bool = False, name: str | None = None,
               mappings: Mapping[type, Mapping_] | None = None, trace_seconds: float | None = None) -> Network:
    """The network of a PyTorch ``module`` at ``input`` (H x W x C), rounding floor as PyTorch's.

    For example (torch is needed; the tests run it in ``tests/test_torch_import_rules.py``)::

        import torch
        from_torch(torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3)), "32x32x3").derive().output  # Shape(30x30x8)
    """
    _torch()
    found = ""
    if input is None:
        input, found = _own_input(module, _bound(trace_seconds))
    shape = _input_shape(input)
    mappings = dict(mappings or {})
    title = name or type(module).__name__
    _one_input(module, title)
    module, lazy = _initialised(module, shape, title)
    was_training = module.training
    try:
        module.eval()
        try:
            graph = _trace(module, mappings)
            path = "torch.fx"
        except Exception as e:  # fx raises many kinds: TraceError, TypeError, RuntimeError, ...
            fx_error = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
            graph = _export(module, shape, _bound(trace_seconds))
            path = f"torch.export with a dynamic height and width (torch.fx could not trace: {fx_error})"
        importer = _Importer(module, graph, shape, strict, mappings, training=False)
        try:
            importer.run()
        except SymcnnError:
            raise
        except Exception as e:  # the model does not run at this size (or at all)
            return _where_it_runs(module, shape, title, e, strict=strict, name=name, mappings=mappings,
                                  trace_seconds=trace_seconds)
        layers = importer.layers
        unused = importer.uncounted()
        if unused and path == "torch.fx":
            layers = _with_training_branches(module, mappings, shape, strict, importer, unused)
    finally:
        module.train(was_training)
    layers = implicit_inputs(layers)
    note = f"imported from PyTorch ({type(module).__name__}) at {shape}{found} with {path}"
    if lazy:
        note += f" (its lazy modules' parameters made by a run of a copy at {shape})"
    opaque = [layer.name for layer in layers if layer.type == "opaque"]
    if opaque:
        note += f"; opaque (not derived): {', '.join(opaque)}"
    notes = _size_notes(importer.checks, importer.multiples)
    try:
        return Network(title, shape, tuple(layers), rounding="floor", description=note, notes=notes)
    except SymcnnError as e:
        raise ModelImportError(f"the imported layers do not make a network: {e}", where=title,
                           rule="imported network") from None


def _where_it_runs(module, shape: Shape, title: str, e: Exception, **given: Any) -> Network:
    """A model that does not run at ``shape``, imported at 224 where it runs there: the derivation at
    ``shape`` then says which layer refuses it, and why; a model that checks its input size itself
    (ViT's H = 224) is refused at once, with the sizes it runs at."""
    fallback = Shape((224,) * shape.rank, shape.channels)
    why = f"the model does not run on an input of {shape}: {_one_line(e)}"
    if fallback == shape:  # the cause is the model's own error: --debug shows its traceback
        raise ModelImportError(why, where=title, rule="model runs") from e
    try:
        net = from_torch(module, fallback, **given)
    except ModelImportError as again:
        if again.rule != "model runs":
            raise
        raise ModelImportError(f"{why} (nor on {fallback})", where=title, rule="model runs") from e
    if net.notes:  # the sizes the model checks itself (ViT's H = 224): PyTorch refused `shape`
        raise ModelImportError(f"the model does not run on an input of {shape}; {net.notes[0]}; import it "
                               f"at {fallback}", where=title, rule="model runs") from e
    return replace(net, input=shape, description=f"{net.description} ({why})")


def _size_notes(checks: dict[str, int], multiples: dict[str, int]) -> tuple[str, ...]:
    """What the network says of the input sizes the model checks itself: the one size it runs at
    (ViT's ``torch._assert``), the multiples its input is of (timm's patch embedding)."""
    kinds = ((checks, "at", "{} = {}"), (multiples, "with", "{} a multiple of {}"))
    return tuple(f"the model checks its input size itself (torch._assert): it runs {how} "
                 f"{', '.join(form.format(axis, n) for axis, n in given.items())} only, whatever sizes its layers allow"
                 for given, how, form in kinds if given)


def _own_input(module, seconds: float) -> tuple[Shape, str]:
    """The input the model says it takes where none is given: its first convolution's (or linear
    layer's) input channels, at 224 x 224 where it runs there, else the smallest size from 1 up at
    which it runs (a run without data), within ``seconds``; and the words that say so."""
    torch = _torch()
    from ..analysis.budget import OutOfTime, deadline

    first = next((m for m in module.modules() if isinstance(m, (torch.nn.modules.conv._ConvNd, torch.nn.Linear))), None)
    channels = int(getattr(first, "in_channels", 0) or getattr(first, "in_features", 0) or 3)
    rank = len(first.kernel_size) if isinstance(first, torch.nn.modules.conv._ConvNd) else 2
    sizes = [224, *range(1, 513)]
    _runs(_one_weight(), (1, 1, 2, 2))  # FakeTensorMode's first imports, outside the bound (see _export_ready)
    was_training = module.training
    module.eval()  # as the import runs it: in training, batch norm refuses one value a channel (an SE block's)
    try:
        with deadline(seconds):
            size = next((s for s in sizes if _runs(module, (1, channels, *[s] * rank))), None)
    except OutOfTime:
        size = None
    finally:
        module.train(was_training)
    if size is None:
        raise ModelImportError(f"the model runs at no size from 1 to 512 with {channels} channels (its first layer's) "
                               "within the time bound; give --input", where=type(module).__name__, rule="model runs")
    said = "224 x 224, where it runs" if size == 224 else f"the smallest size it runs at, {size}"
    return Shape((size,) * rank, channels), f" (no input given: its first layer's {channels} channels, {said})"


@functools.cache
def _one_weight():
    """A convolution of one weight: what the first runs of a tracer are made on, outside any time bound."""
    return _torch().nn.Conv2d(1, 1, 1)


def _runs(module, shape: tuple) -> bool:
    """Whether ``module`` runs on an input of ``shape`` (a run on tensors without data)."""
    torch = _torch()
    from torch._subclasses.fake_tensor import FakeTensorMode

    try:
        with torch.no_grad(), warnings.catch_warnings(), _quiet("torch._subclasses.fake_tensor"):
            warnings.simplefilter("ignore")
            device = _device(module)
            if device is not None and device.type == "meta":
                module(torch.empty(shape, device="meta"))
            else:
                with FakeTensorMode(allow_non_fake_inputs=True):
                    module(torch.empty(shape))
        return True
    except Exception:
        return False


def _one_input(module, title: str) -> None:
    """A model whose ``forward`` needs more than its input (RAFT's two images) cannot be imported:
    said in one line."""
    import inspect

    try:
        params = list(inspect.signature(module.forward).parameters.values())
    except (TypeError, ValueError):
        return
    needed = [p.name for p in params if p.default is inspect.Parameter.empty and
              p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    if len(needed) > 1:
        raise ModelImportError(f"forward takes {len(needed)} inputs ({', '.join(needed)}); symcnn imports models "
                               "of one input (a feature map)", where=title, rule="one input")


def _initialised(module, shape: Shape, title: str):
    """``module``, or where it has lazy parameters (``nn.LazyConv2d``, ``nn.LazyLinear``: their
    shapes come from the first input) a copy run once on zeros of ``shape``, as PyTorch makes them;
    and whether it was. The user's model is left as it was."""
    import copy

    torch = _torch()
    from torch.nn.parameter import is_lazy

    lazy = [p for p in module.parameters() if is_lazy(p)]
    if not lazy:
        return module, False
    device = lazy[0].device
    x = torch.zeros(1, int(shape.channels), *(int(s) for s in shape.spatial), device=device)
    try:
        made = copy.deepcopy(module).eval()
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            made(x)
    except Exception as e:
        raise ModelImportError(f"the model has lazy parameters (nn.Lazy* modules), made by a first run, and it does "
                               f"not run on an input of {shape}: {_one_line(e)}", where=title,
                               rule="lazy modules run") from None
    if any(is_lazy(p) for p in made.parameters()):
        raise ModelImportError("the model has lazy parameters (nn.Lazy* modules) that a run on an input does not "
                               "make", where=title, rule="lazy modules run")
    return made, True


def from_callable(source: str, input: Any = None, *, strict: bool = False) -> Network:
    """The network of ``package.module:callable`` or ``path/to/file.py:callable``: the module
    imported (the current folder on ``sys.path``, after the installed packages, so that a file
    there cannot stand in for one; a file's own folder for a file), the callable called with no
    arguments on the meta device (no weights are made; where the model's own initialisation needs
    real tensors, on the CPU), then :func:`from_torch`."""
    torch = _torch()
    found, attr = _find_callable(source)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with torch.device("meta"):
                model = found()
        except Exception:
            try:
                model = found()
            except Exception as e:
                raise SpecError(f"calling {attr}() failed: {_one_line(e)}", where=source,
                                rule="callable builds a model") from None
    if not isinstance(model, torch.nn.Module):
        raise SpecError(f"{attr}() gives {type(model).__name__}, not a torch.nn.Module", where=source,
                        rule="callable gives a module")
    return from_torch(model, input, strict=strict, name=attr)


def _one_line(e: BaseException) -> str:
    first = str(e).strip().splitlines()[0] if str(e).strip() else ""
    return f"{type(e).__name__}: {first}" if first else type(e).__name__


def _find_callable(source: str) -> tuple[Callable[[], Any], str]:
    """The callable ``source`` names (``package.module:name`` or ``path/file.py:name``), checked to
    take no arguments; every way it can fail is one line naming ``source``."""
    import importlib
    import inspect
    import sys
    from pathlib import Path

    module_name, _, attr = source.rpartition(":")
    path = Path(module_name) if module_name.endswith(".py") else None
    folder = str(path.resolve().parent) if path is not None else str(Path.cwd())
    saved = list(sys.path)
    # the user's folder after the installed packages, for this import only: a torchvision.py
    # lying in it must not run instead of the package
    sys.path[:] = [p for p in sys.path if p not in ("", ".", folder)] + [folder]
    try:
        if path is None:
            module = importlib.import_module(module_name)
        else:
            module = _module_from_file(path, source)
    except ImportError as e:
        missing = getattr(e, "name", None)
        where = (f" (looked in the current folder {folder} and on the Python path)"
                 if path is None and missing and module_name.startswith(missing) else "")
        raise SpecError(f"cannot import {module_name}: {_one_line(e)}{where}", where=source,
                        rule="importable module") from None
    except SpecError:
        raise
    except Exception as e:  # the module's own code failed: a SyntaxError, a NameError, ...
        raise SpecError(f"importing {module_name} failed: {_one_line(e)}", where=source,
                        rule="importable module") from None
    finally:
        sys.path[:] = saved
    name = module_name if path is None else path.name
    if not hasattr(module, attr):
        hint = _models_hint(module_name, attr) if path is None else ""
        raise SpecError(f"{name} has no {attr}{hint}", where=source, rule="callable exists")
    found = getattr(module, attr)
    if not callable(found):
        raise SpecError(f"{name}.{attr} is not a class or function that builds a model (it is of type "
                        f"{type(found).__name__})",
                        where=source, rule="callable")
    try:
        inspect.signature(found).bind()
    except TypeError as e:
        raise SpecError(f"{attr}() needs arguments ({e}); give a function that builds the model with none, "
                        f"e.g. def build(): return {attr}(...)", where=source, rule="callable takes no arguments") \
            from None
    except ValueError:  # no signature to read (a builtin): calling it will tell
        pass
    return found, attr


def _models_hint(module_name: str, attr: str) -> str:
    """Where a package keeps its models in ``<package>.models`` (timm, torchvision) and the name
    is there: the source to give instead; else nothing."""
    import importlib

    try:
        models = importlib.import_module(f"{module_name}.models")
    except Exception:  # no such submodule, or it fails to import: no hint
        return ""
    return f"; {module_name}.models has it: give {module_name}.models:{attr}" if hasattr(models, attr) else ""


def _module_from_file(path, source: str):
    """The module of a ``.py`` file, imported under its file name (its folder on ``sys.path``)."""
    import importlib.util
    import sys
    import zlib

    if not path.is_file():
        raise SpecError(f"no such file: {path}", where=source, rule="importable module")
    name = path.stem
    known = sys.modules.get(name)
    if known is not None:
        if str(getattr(known, "__file__", "")) == str(path.resolve()):
            return known
        name = f"{name}_{zlib.crc32(str(path.resolve()).encode()):08x}"  # another module has the name: keep it
    spec = importlib.util.spec_from_file_location(name, path.resolve())
    if spec is None or spec.loader is None:
        raise SpecError(f"cannot import {path}: not a Python file", where=source, rule="importable module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickling look their module up by name
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def _trace(module, mappings):
    import torch.fx as fx

    class Tracer(fx.Tracer):
        def is_leaf_module(self, m, qualname):
            return type(m) in mappings or type(m).__name__ in _LEAVES or _timm_attention(m) or \
                _timm_swin(m) is not None or super().is_leaf_module(m, qualname)

    tracer = Tracer(autowrap_functions=_timm_wrapped())
    graph = tracer.trace(module, concrete_args=_defaults(module))
    return fx.GraphModule(tracer.root, graph, type(module).__name__)


def _timm_wrapped() -> tuple:
    """timm's position-embedding resampling (``dynamic_img_size=True``) kept as one call in the trace,
    as timm's own tracer keeps it: its early exit compares sizes, which torch.fx cannot follow."""
    import sys

    timm = sys.modules.get("timm.layers.pos_embed")
    return (timm.resample_abs_pos_embed,) if timm is not None else ()


def _defaults(module) -> dict[str, Any] | None:
    """The arguments of ``forward`` after the input that have defaults (``mask=None``): the import
    calls the model with the input only, so they keep their defaults, and the trace takes them as
    constants (a ``mask is not None`` branch is then traced as it runs)."""
    import inspect

    try:
        params = list(inspect.signature(module.forward).parameters.values())[1:]
    except (TypeError, ValueError):
        return None
    found = {p.name: p.default for p in params
             if p.default is not inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
    return found or None


@functools.cache
def _export_ready() -> None:
    """``torch.export`` run once on a one-weight convolution, outside any time bound: the modules
    it imports on its first use (the tracer, its operator registries) are imported whole. A time
    bound that rang inside one of those imports would leave it half done, and every later export
    in the process would fail on an operator registered twice."""
    torch = _torch()
    from torch.export import Dim

    with _no_logging():
        program = torch.export.export(_one_weight(), (torch.zeros(1, 1, 2, 2),),
                                      dynamic_shapes=({2: Dim.AUTO, 3: Dim.AUTO},), strict=False)
        program.run_decompositions({})


def _export(module, shape: Shape, seconds: float):
    """``torch.export`` with a dynamic height and width, as a GraphModule of aten calls, within ``seconds``."""
    torch = _torch()
    from torch.export import Dim

    from ..analysis.budget import OutOfTime, deadline

    device = _device(module)
    x = torch.zeros(1, int(shape.channels), *(int(s) for s in shape.spatial), device=device)
    dims = {2 + i: Dim.AUTO for i in range(shape.rank)}  # dynamic, the ranges left to torch.export
    _export_ready()
    try:
        with deadline(seconds), _no_logging():  # its warnings and graphs would reach stderr
            program = torch.export.export(module, (x,), dynamic_shapes=({**dims},), strict=False)
    except OutOfTime:
        raise ModelImportError(f"torch.fx cannot trace this model and torch.export did not finish within {seconds:g} s "
                               "(the bound: trace_seconds=..., or SYMCNN_TRACE_SECONDS)", where=type(module).__name__,
                               rule="trace time bound") from None
    except Exception as e:
        raise ModelImportError(f"neither torch.fx nor torch.export can trace this model: {type(e).__name__}: "
                           f"{str(e).splitlines()[0] if str(e) else ''}", where=type(module).__name__,
                           rule="traceable model") from e  # the tracer's whole account: with --debug
    program = program.run_decompositions({})
    return _ExportedGraph(program)


class _ExportedGraph:
    """What the importer needs of an exported program: the graph, and the names of its lifted parameters."""

    def __init__(self, program):
        self.program = program
        self.graph = program.graph_module.graph
        self.graph_module = program.graph_module
        sig = program.graph_signature
        self.params = {**sig.inputs_to_parameters, **sig.inputs_to_buffers}
        self.user_inputs = list(sig.user_inputs)


@contextlib.contextmanager
def _quiet(logger: str):
    """PyTorch's logger ``logger`` silent: a model that does not run at a size logs a traceback there
    (fake tensors), besides the error that the import says in one line."""
    import logging

    log = logging.getLogger(logger)
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(level)


@contextlib.contextmanager
def _no_logging():
    """No logging, nothing written to stderr while the block runs (torch.export logs and writes its
    graphs and guards where it fails)."""
    import io
    import logging

    logging.disable(logging.CRITICAL)
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            yield
    finally:
        logging.disable(logging.NOTSET)


def _device(module):
    for p in module.parameters():
        return p.device
    for b in module.buffers():
        return b.device
    return None


def _with_training_branches(module, mappings, shape, strict, importer, unused: set[str]) -> list[Layer]:
    """The eval layers with the layers of the branches that run only in training (modules with
    parameters that eval never called), from a trace in training mode, in that trace's order."""
    module.train()
    try:
        graph = _trace(module, mappings)
        # the branch may not fit the import size (Inception-v3's auxiliary head at 224x224): run the
        # training graph at a larger size then; its shapes only tell the patterns apart
        for factor in (1, 2, 4):
            probe = Shape(tuple(s * factor for s in shape.spatial), shape.channels)
            train = _Importer(module, graph, probe, strict, mappings, training=True)
            try:
                train.run()
                break
            except SymcnnError:
                raise
            except Exception:
                continue
        else:
            return importer.layers  # no training run: the parameters stay uncounted, and the note says so
    finally:
        module.eval()
    eval_names = {layer.name for layer in importer.layers}
    merged: list[Layer] = []
    pending = list(importer.layers)
    for layer in train.layers:
        if layer.name in eval_names:
            while pending:
                done = pending.pop(0)
                merged.append(done)
                if done.name == layer.name:
                    break
        elif _in_modules(train.scopes.get(layer.name, ""), unused) and all(
            s in eval_names or s in {m.name for m in merged} or s == INPUT for s in layer.inputs
        ):
            merged.append(replace(layer, training=True))
    merged.extend(pending)
    return merged


def _in_modules(scope: str, modules: set[str]) -> bool:
    """Whether ``scope`` is one of ``modules`` or of the modules that hold them (not the root), or inside one."""
    holders = {m.rsplit(".", i)[0] for m in modules for i in range(m.count(".") + 1)}
    return bool(scope) and any(scope == m or scope.startswith(m + ".") for m in holders)


# -- the import itself ------------------------------------------------------------------------

#: module classes traced as one call (their forward computes paddings from the input's size)
_LEAVES = frozenset({"Conv2dSame", "MaxPool2dSame", "AvgPool2dSame", "StdConv2dSame", "GlobalResponseNorm",
                     "CrossCovarianceAttn", "PositionalEncodingFourier"})
#: modules that compute what they give from the input's size alone (their input is a size, not a map)
_ENCODINGS = frozenset({"PositionalEncodingFourier"})

_ACTIVATIONS = {
    "ReLU": ReLU, "ReLU6": ReLU6, "Hardswish": Hardswish, "Hardsigmoid": Hardsigmoid, "SiLU": SiLU,
    "Sigmoid": Sigmoid, "Tanh": Tanh, "GELU": GELU, "Identity": Identity,
}
_ELEMENTWISE_MODULES = ("LeakyReLU", "ELU", "SELU", "CELU", "Mish", "Softplus", "Hardtanh", "Softsign",
                        "Tanhshrink", "Hardshrink", "Softshrink", "LogSigmoid", "Threshold")
_DROPOUTS = ("Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout")
#: PyTorch's spellings of the activations (functions, methods, aten operations): canonical names
_FUNCTION_ACTIVATIONS = {
    "relu": "relu", "relu_": "relu", "relu6": "relu6", "hardswish": "hardswish", "hardsigmoid": "hardsigmoid",
    "silu": "silu", "sigmoid": "sigmoid", "sigmoid_": "sigmoid", "tanh": "tanh", "gelu": "gelu",
}
#: element-wise functions of one map, as functions and methods (``x.exp()``, ``x.exp_()``)
_UNARY = {f"{name}{end}": "elementwise" for end in ("", "_") for name in (
    "leaky_relu", "elu", "selu", "celu", "mish", "softplus", "hardtanh", "erf", "exp", "sqrt", "rsqrt", "abs", "neg",
    "log", "clamp", "clip", "square", "reciprocal", "logsigmoid", "softsign", "floor", "ceil", "round", "sin", "cos")}
#: a view of the channels in groups (SKNet's attention over its paths) is followed as half a channel
#: shuffle; any other operation on it is opaque
_HALF_SHUFFLED = ("grouped", "grouped_t")
_PASSTHROUGH = ("contiguous", "clone", "detach", "float", "to", "type_as", "cpu")
_BINARY = {operator.add: "add", operator.iadd: "add", operator.sub: "sub", operator.isub: "sub",
           operator.mul: "mul", operator.imul: "mul", operator.truediv: "div", operator.itruediv: "div"}


def _fn_name(target) -> str:
    if isinstance(target, str):
        return target
    name = getattr(target, "__name__", None) or str(target)
    return name


class _Importer:
    """Runs the traced graph on a tensor without data and maps each node to symcnn layers."""

    def __init__(self, module, graph, shape: Shape, strict: bool, mappings, training: bool):
        self.module = module
        self.graph = graph
        self.exported = isinstance(graph, _ExportedGraph)
        self.shape = shape
        self.strict = strict
        self.mappings = mappings
        self.training = training
        self.layers: list[Layer] = []
        self.names: set[str] = set()
        self.scopes: dict[str, str] = {}  # layer name -> the module path it runs in
        self.values: dict[Any, Any] = {}  # fx node -> abstract value
        self.calls: dict[str, int] = {}  # module path -> calls so far
        self.seen_input = False
        self.sources: dict[Any, frozenset[str]] = {}  # fx node -> the parameters its value was computed from
        self.counted: dict[int, str] = {}  # id of a parameter tensor -> the layer that counts it
        self.uses: dict[str, int] = {}  # function name in a scope -> uses so far
        #: the input sizes the model checks itself (``torch._assert(H == 224)``: ViT's), by axis
        self.checks: dict[str, int] = {}
        #: the multiples the model checks its input is of (``torch._assert(H % 16 == 0)``: timm's patches)
        self.multiples: dict[str, int] = {}
        #: a map's positions flattened by a view (``ncl``), by layer: the view's node and value, for a
        #: token layer made where the positions become a sequence of their own (a class token put before)
        self.flattened: dict[str, tuple[Any, Any]] = {}
        #: PyTorch's shape of each layer's output at the import size (N, C, ...)
        self.shapes: dict[str, tuple] = {INPUT: (1, int(shape.channels), *(int(s) for s in shape.spatial))}

    # -- running ------------------------------------------------------------------------------

    def run(self) -> None:
        torch = _torch()
        import torch.fx as fx

        gm = self.graph.graph_module if self.exported else self.graph
        importer = self

        class Run(fx.Interpreter):
            def run_node(self, n):
                try:
                    value = super().run_node(n)
                    importer.visit(n, value)
                except Exception as e:  # the tracer's account, for a traceback (--debug) only
                    note = getattr(e, "add_note", None)  # Python 3.11 on
                    if note is not None:
                        note(f"while executing {n.format_node()}")
                    raise
                return value

        x_shape = (1, int(self.shape.channels), *(int(s) for s in self.shape.spatial))
        device = _device(self.module)
        runner = Run(gm)
        runner.extra_traceback = False  # it would add its lines to the error's own
        with warnings.catch_warnings(), _quiet("torch._subclasses.fake_tensor"):
            warnings.simplefilter("ignore")
            if device is not None and device.type == "meta":
                args = self._args(torch.empty(x_shape, device="meta"))
                runner.run(*args)
            else:
                from torch._subclasses.fake_tensor import FakeTensorMode

                with FakeTensorMode(allow_non_fake_inputs=True):
                    args = self._args(torch.empty(x_shape))
                    runner.run(*args)

    def _args(self, x):
        if not self.exported:
            return (x,)
        args = []
        state = dict(self.module.named_parameters(remove_duplicate=False))
        state.update(dict(self.module.named_buffers(remove_duplicate=False)))
        for node in self.graph.graph.nodes:
            if node.op != "placeholder":
                continue
            target = self.graph.params.get(node.name)
            args.append(state[target] if target is not None else x)
        return args

    # -- bookkeeping ------------------------------------------------------------------------------

    def uncounted(self) -> set[str]:
        """Paths of the modules whose parameters no layer counts (they never ran)."""
        out = set()
        for path, m in self.module.named_modules():
            own = list(m.parameters(recurse=False))
            if own and any(id(p) not in self.counted for p in own):
                out.add(path)
        return out

    def _scope(self, node) -> str:
        stack = node.meta.get("nn_module_stack") or {}
        if not stack:
            return ""
        path = list(stack.values())[-1]
        path = path[0] if isinstance(path, tuple) else path
        if self.exported:
            # torch.export writes L['self'].layer1[0] style paths in some versions; keep the dotted ones
            path = str(path).replace("L['self'].", "").replace("L__self__.", "")
        return str(path)

    def _name(self, base: str, scope: str = "") -> str:
        full = f"{scope}.{base}" if scope else base
        count = self.uses.get(full, 0) + 1
        self.uses[full] = count
        name = full if count == 1 else f"{full}@{count}"
        while name in self.names:
            count += 1
            name = f"{full}@{count}"
        return name

    def add(self, layer: Layer, scope: str) -> T:
        self.layers.append(layer)
        self.names.add(layer.name)
        self.scopes[layer.name] = scope
        return T(layer.name)

    def count_parts(self, weight, bias, owner: str) -> tuple[str, str]:
        """Count a layer's ``weight`` and ``bias`` for ``owner``: the earlier owner where both (or the
        one there is) were counted already, and ``weights`` or ``biases`` where only that one was
        (tied weights with a bias of one's own)."""
        tensors = [p for p in (weight, bias) if p is not None]
        done = [p for p in tensors if id(p) in self.counted]
        if not done or len(done) == len(tensors):
            return self.count(tensors, owner), ""
        earlier = self.counted[id(done[0])]
        for p in tensors:
            self.counted.setdefault(id(p), owner)
        return earlier, "weights" if done[0] is weight else "biases"

    def count(self, tensors, owner: str) -> str:
        """Count parameter tensors for ``owner``; the earlier owner where all were counted already."""
        tensors = [p for p in tensors if p is not None]
        if tensors and all(id(p) in self.counted for p in tensors):
            return self.counted[id(tensors[0])]
        for p in tensors:
            self.counted.setdefault(id(p), owner)
        return ""

    # -- one node --------------------------------------------------------------------------------

    def visit(self, node, value) -> None:
        made = len(self.layers)
        try:
            self.values[node] = self._visit(node, value)
        except SymcnnError:
            raise
        except _Opaque as why:
            self.values[node] = self.opaque(node, value, why.reason)
        self.sources[node] = self._sources(node, self.values[node])
        for layer in self.layers[made:]:
            if not layer.origin:  # what PyTorch ran, for the profilers' conventions (set on a layer just made)
                object.__setattr__(layer, "origin", self._origin(node, layer.name))

    def _origin(self, node, name: str) -> str:
        """``nn.ReLU`` for a module, ``F.relu()`` / ``torch.add()`` / ``operator.add()`` / ``Tensor.add()`` for
        a call; a call that is the whole of a childless module's forward (LayerNorm2d) is that module."""
        if node.op == "call_module" or (node.op == "call_function" and name == self._scope(node) and name):
            cls = type(self.module.get_submodule(name if node.op != "call_module" else node.target))
            where = "nn" if cls.__module__.startswith("torch.nn.") else cls.__module__
            return f"{where}.{cls.__name__}"
        if node.op == "call_method":
            return f"Tensor.{node.target}()"
        torch = _torch()
        fn = _fn_name(node.target)
        for prefix, space in (("F", torch.nn.functional), ("torch", torch), ("Tensor", torch.Tensor)):
            if getattr(space, fn, None) is node.target:
                return f"{prefix}.{fn}()"
        return f"{(getattr(node.target, '__module__', None) or '').lstrip('_')}.{fn}()".lstrip(".")

    def _sources(self, node, result) -> frozenset[str]:
        """The parameters (by name) a value that no layer gives was computed from: a parameter read
        and indexed (Swin's relative position table), expanded (ViT's class token), or scaled. The
        layer that reads the value counts them. A tensor a layer gives has none: its layer counts."""
        items = list(_flat([result]))
        if any(isinstance(v, (T, Parts, ShapeOf, SpatialOf)) for v in items):
            return frozenset()
        if isinstance(result, Param):
            return frozenset([result.target]) if self._is_parameter(result) else frozenset()
        own: frozenset[str] = frozenset()
        if node.op == "call_module" and not self.exported:  # a module run on no map (Swin-v2's bias MLP on a table)
            own = frozenset(f"{node.target}.{n}" for n, _ in self.module.get_submodule(node.target).named_parameters())
        return own.union(*(self.sources.get(n, frozenset()) for n in node.all_input_nodes))

    def _read_parameters(self, node) -> list:
        """The parameters the values ``node`` reads were computed from (see :meth:`_sources`)."""
        names = frozenset().union(*(self.sources.get(n, frozenset()) for n in node.all_input_nodes))
        return [self._param_tensor(Param(name, None)) for name in sorted(names)]

    def arg(self, a):
        import torch.fx as fx

        if isinstance(a, fx.Node):
            return self.values.get(a)
        if isinstance(a, (list, tuple)):
            return type(a)(self.arg(x) for x in a) if not hasattr(a, "_fields") else [self.arg(x) for x in a]
        if isinstance(a, dict):
            return {k: self.arg(v) for k, v in a.items()}
        return a

    def _visit(self, node, value):
        op = node.op
        if op == "placeholder":
            if self.exported and node.name in self.graph.params:
                target = self.graph.params[node.name]
                return Param(target, value)
            if self.seen_input:  # an argument after the input, left at its default (mask=None)
                return value
            self.seen_input = True
            return T(INPUT)
        if op == "get_attr":
            return Param(node.target, value)
        if op == "output":
            return None
        args = [self.arg(a) for a in node.args]
        kwargs = {k: self.arg(v) for k, v in node.kwargs.items()}
        if op == "call_module":
            return self.call_module(node, value, args, kwargs)
        if self.exported:
            return self.call_aten(node, value, args, kwargs)
        name = _fn_name(node.target)
        if op == "call_method":
            return self.call_method(node, name, value, args, kwargs)
        return self.call_function(node, node.target, name, value, args, kwargs)

    # -- opaque --------------------------------------------------------------------------------

    def opaque(self, node, value, reason: str):
        torch = _torch()
        what = self._describe(node)
        if self.strict:
            raise ModelImportError(f"node {node.name} ({what}) has no symcnn layer: {reason}; strict import refuses "
                               "it (strict=False keeps it as an opaque layer)", where=node.name,
                               rule="strict import")
        given = list(_flat(self.arg([*node.args, *node.kwargs.values()])))
        inputs = list(dict.fromkeys(a for a in given if isinstance(a, T)))
        tensors = [v for v in _flat([value]) if isinstance(v, torch.Tensor)]
        if not inputs or not tensors:
            # constants, shape arithmetic, and what a tensor tells of itself (x.dim(), x.numel()):
            # PyTorch's values at the import size, nothing to keep
            return value if not isinstance(value, torch.Tensor) else None
        own = self._opaque_parameters(node, given)
        name = self._layer_name(node)
        fresh = [p for p in own if id(p) not in self.counted]  # those an earlier layer counts are not counted again
        shared = self.count(own, name) if own else ""
        params = 0 if shared else sum(p.numel() for p in fresh)
        made = self._opaque_layers(node, name, what, inputs, tensors, params, shared)
        if isinstance(value, torch.Tensor):
            return made[0]
        found = iter(made)
        return _rebuild(value, lambda v: next(found) if isinstance(v, torch.Tensor) else v)

    def _opaque_layers(self, node, name: str, what: str, inputs: list, tensors: list, params: int,
                       shared: str) -> list[T]:
        """An opaque layer for each tensor an operation gives (an attention module's output and its
        weights), the parameters counted in the first."""
        shapes = tuple(self._opaque_shape(self._concrete(t)) for t in inputs)
        scope = self._scope(node)
        made = []
        for i, v in enumerate(tensors):
            part = name if i == 0 else f"{name}.{i}"
            layer = Opaque(part, op=what if i == 0 else f"{what}, output {i}",
                           output=self._opaque_shape(tuple(v.shape)), shapes=shapes, params=params if i == 0 else 0,
                           inputs=tuple(t.layer for t in inputs), shares=shared if i == 0 else "")
            out = self.add(layer, scope)
            self._record(out, v)
            made.append(out)
        return made

    def _opaque_parameters(self, node, given: list) -> list:
        """The parameters an opaque node holds or reads (directly, through values computed from
        them, or as its module's), each once."""
        own = [self._param_tensor(p) for p in given if isinstance(p, Param)] + self._read_parameters(node)
        if node.op == "call_module":
            own += list(self.module.get_submodule(node.target).parameters())
        return list({id(p): p for p in own if self._torch_parameter(p)}.values())

    def _describe(self, node) -> str:
        if node.op == "call_module":
            return f"{type(self.module.get_submodule(node.target)).__name__} module {node.target}"
        if node.op == "call_method":
            return f"Tensor.{node.target}"
        target = node.target
        mod = (getattr(target, "__module__", None) or "").lstrip("_")  # _operator: operator
        return f"{mod}.{_fn_name(target)}".lstrip(".")

    def _opaque_shape(self, shape: tuple) -> Shape:
        """PyTorch's shape (N, C, ...) as symcnn writes it (... x C; a vector for (N, F)); one per sample
        (N) or none (a scalar) is a vector of length 1. Any number of axes: an opaque layer's tensor
        (an attention's windows) may have more than a feature map."""
        dims = [int(d) for d in shape[1:]]
        if len(dims) <= 1:
            return Shape((), dims[0] if dims else 1)
        return Shape(tuple(dims[1:]), dims[0])

    def _concrete(self, t: T) -> tuple:
        return self.shapes[t.layer]

    def _layer_name(self, node) -> str:
        if node.op == "call_module":
            calls = self.calls.get(node.target, 0) + 1
            self.calls[node.target] = calls
            name = node.target if calls == 1 else f"{node.target}@{calls}"
            self.names.add(name)
            return name
        scope = self._scope(node)
        if scope and scope not in self.names and not self.exported and self._childless(scope):
            # the one layer a module of its own forward makes (LayerNorm2d, StochasticDepth) takes its name
            self.names.add(scope)
            return scope
        base = _fn_name(node.target)
        if self.exported and str(node.target).startswith("aten."):
            base = str(node.target).split(".")[1]  # aten.view.default: view
        return self._name(base.strip("_"), scope)

    def _childless(self, path: str) -> bool:
        try:
            return not any(True for _ in self.module.get_submodule(path).children())
        except AttributeError:
            return False

    # -- modules ---------------------------------------------------------------------------------

    def call_module(self, node, value, args, kwargs):
        sub = self.module.get_submodule(node.target)
        kind = type(sub).__name__
        x: Any = args[0] if args else None
        if type(sub) in self.mappings:
            return self.mapped(node, sub, value, args)
        if kind in _ENCODINGS:
            return Encoding(node.target)
        if not isinstance(x, T) or x.layout in _HALF_SHUFFLED:
            raise _Opaque("its input is not a tensor symcnn follows")
        swin = _timm_swin(sub)
        if swin is not None:
            return self.expanded(node, sub, x, value, swin)
        name = self._layer_name(node)
        shares, only = self._count_module(sub, name)
        make = _MODULES.get(kind)
        layer = make(sub, name, x, self) if make else None
        if layer is None:
            self.calls[node.target] -= 1
            self.names.discard(name)
            # what this call counted goes back: the opaque layer made instead counts it
            self.counted = {k: v for k, v in self.counted.items() if v != name}
            raise _Opaque(f"no symcnn layer for {kind}")
        layer = replace(layer, inputs=(x.layer,), shares=shares, shares_only=only)
        out = self.add(layer, node.target)
        layout = _module_layout(layer, kind, x)
        self._record(out, value, layout)
        if isinstance(value, tuple):  # nn.MultiheadAttention's (output, weights): the weights not asked for
            return (T(out.layer, layout), *(None for _ in value[1:]))
        return T(out.layer, layout)

    def _count_module(self, sub, name: str) -> tuple[str, str]:
        """Count a module's parameters for its layer ``name``: (the earlier layer that counts them, and
        which part where it counts only one: see :meth:`count_parts`)."""
        own = list(sub.parameters())
        weight, bias = getattr(sub, "weight", None), getattr(sub, "bias", None)
        if {id(p) for p in own} <= {id(weight), id(bias)}:
            return self.count_parts(weight, bias, name)
        if any(id(p) in self.counted for p in own) and not all(id(p) in self.counted for p in own):
            raise _Opaque("its parameters are shared in part with another layer")
        return self.count(own, name), ""

    def mapped(self, node, sub, value, args):
        made = self.mappings[type(sub)](sub, node.target)
        layers = list(made) if isinstance(made, (list, tuple)) else [made]
        if not layers or not all(isinstance(layer, Layer) for layer in layers):
            raise ModelImportError(f"the mapping for {type(sub).__name__} must give symcnn layers, got {made!r}",
                               where=node.target, rule="mappings give layers")
        x = args[0]
        if not isinstance(x, T):
            raise _Opaque("its input is not a tensor symcnn follows")
        shares = self.count(list(sub.parameters()), node.target)
        out = x
        for i, layer in enumerate(layers):
            inputs = layer.inputs or (out.layer,)
            if i == 0 and not layer.inputs:
                inputs = (x.layer,)
            out = self.add(replace(layer, inputs=inputs, shares=shares if i == 0 and shares else layer.shares),
                           node.target)
        self._record(out, value)
        return out

    def _record(self, t: T, value, layout: str = "nchw") -> None:
        """Keep PyTorch's shape of ``t`` as (N, C, spatial...) whatever its layout."""
        torch = _torch()
        if isinstance(value, (tuple, list)) and value and isinstance(value[0], torch.Tensor):
            value = value[0]  # an aten operation's tensors (batch norm's output and its statistics)
        if isinstance(value, torch.Tensor):
            shape = tuple(value.shape)
            if layout == "tokens":  # a layer over tokens keeps its input's positions, kept as they were
                made = self.layers[-1]
                spatial = self.shapes[made.inputs[0]][2:] if made.name == t.layer and made.inputs else shape[1:2]
                self.shapes[t.layer] = (shape[0], shape[-1], *spatial)
                return
            self.shapes[t.layer] = (shape[0], shape[-1], *shape[1:-1]) if layout == "nhwc" else shape

    def channels(self, t: T) -> int:
        return int(self.shapes[t.layer][1])

    # -- functions and methods -------------------------------------------------------------------

    def layer(self, node, cls, x_layers, value, layout="nchw", **fields) -> T:
        if layout in _HALF_SHUFFLED:
            raise _Opaque("an operation on the channels viewed in groups, other than a channel shuffle")
        name = self._layer_name(node)
        out = self.add(cls(name, inputs=tuple(x_layers), **fields), self._scope(node))
        self._record(out, value, layout)
        return T(out.layer, layout)

    def call_method(self, node, name, value, args, kwargs):
        return self.dispatch(_Call(node, "method", name, None, args, kwargs, value), _METHODS.get(name))

    def call_function(self, node, target, name, value, args, kwargs):
        return self.dispatch(_Call(node, "function", name, target, args, kwargs, value), _function_op(target, name))

    def dispatch(self, call: _Call, op: str | None):
        """One operation, whatever its spelling (a ``Tensor`` method, a function, an aten operation):
        its handler in ``_OPERATIONS`` by its canonical name, given its operands as the operation
        takes them (``_FIELDS``); where there is none, or the handler does not take these operands, a
        value computed from no tensor symcnn follows, or an opaque layer."""
        handler = _OPERATIONS.get(op) if op is not None else None
        if op is not None and handler is not None:
            fields = _FIELDS.get((call.front, op))
            out = handler(self, replace(call, fields=fields(self, call)) if fields else call)
            if isinstance(out, T) and call.front == "aten" and isinstance(call.value, (tuple, list)):
                return (out, *(None for _ in call.value[1:]))  # batch norm's statistics, max pooling's indices
            if out is not _UNMATCHED:
                return out
        if not _has_tensor(call.args, call.kwargs):
            return call.value
        raise _Opaque(f"no symcnn layer for {call.spelling}")

    def flatten_all(self, call: _Call, x: T) -> T:
        return self.flatten(call.node, x, call.value, 1, -1)

    def make(self, call: _Call, cls, inputs, layout="nchw", **fields) -> T:
        """The layer of a shared handler (:data:`~symcnn.builders.operations.OPERATIONS`): named after
        the call, or in an exported graph, a layer a module makes (an activation, a pooling), after the
        module it runs in."""
        if call.front != "aten" or not issubclass(cls, _MODULE_LAYERS):
            return self.layer(call.node, cls, inputs, call.value, layout, **fields)
        scope = self._scope(call.node)
        name = self._module_layer(scope, _ATEN_BASES.get(call.name, call.name))
        return self.layer_named(name, cls, inputs, call.value, scope, layout, **fields)

    # -- the patterns ----------------------------------------------------------------------------

    def binary(self, node, op: str, args, value):
        a: Any = args[0]
        b: Any = args[1] if len(args) > 1 else None
        tensors = [t for t in (a, b) if isinstance(t, T)]
        if len(tensors) == 2 and op in ("add", "mul", "sub"):
            return two_maps(self, _Call(node, "function", op, None, [a, b], {}, value), op, a, b)
        if len(tensors) == 1:
            return self._one_map(node, op, tensors[0], (a, b), value)
        if not tensors:
            return value
        raise _Opaque(f"element-wise {op} of these operands")

    def _one_map(self, node, op: str, t: T, operands: tuple, value):
        """A map and another operand: a position encoding or embedding added, a scale per channel, a
        number or a constant tensor."""
        codes = [c for c in operands if isinstance(c, Encoding)]
        if codes and op == "add":
            return self.encoding(node, t, codes[0], value)
        params = [p for p in operands if isinstance(p, Param) and self._is_parameter(p)]  # not buffers
        params = params or self._viewed_parameter(node)
        if params and op == "add" and self._tokens(t):
            return self.position_embedding(node, t, params[0], value)
        if params and op == "mul":
            return self._scaled(node, t, params[0], value)
        return self._with_constant(node, op, t, operands, bool(params), value)

    def _with_constant(self, node, op: str, t: T, operands: tuple, params: bool, value):
        """A map and a number, or a tensor computed from buffers and numbers only (a frozen batch
        norm's scale and shift, a mean to subtract) broadcast without changing the shape: no parameters."""
        numbers = all(isinstance(v, (int, float)) for v in operands if not isinstance(v, T))
        if (not params and numbers) or \
                (self._constant(node, t) and tuple(value.shape) == self._torch_shape(t)):
            return self.layer(node, Elementwise, [t.layer], value, t.layout, op=op)
        raise _Opaque(f"element-wise {op} of these operands")

    def _scaled(self, node, t: T, p: Param, value):
        """A map times a parameter of one value per channel: a scale, named after its parameter."""
        channels = self.channels(t)
        expected = (channels, 1, 1) if t.layout == "nchw" else (channels,)
        if _squeezed(p.tensor.shape, len(expected)) != expected or not self._is_parameter(p):
            raise _Opaque("a product with a parameter that is not one scale per channel")
        shares = self.count([self._param_tensor(p)], "")
        if shares or p.target in self.names:
            out = self.layer(node, Scale, [t.layer], value, t.layout, shares=shares)
        else:  # named after its parameter: features.1.0.layer_scale
            out = self.layer_named(p.target, Scale, [t.layer], value, self._scope(node), t.layout)
            self.names.add(p.target)
        if not shares:
            self.counted[id(self._param_tensor(p))] = out.layer
        return out

    def encoding(self, node, x: T, code: Encoding, value):
        """A position encoding added to a map (or its tokens): a layer named after its module."""
        sub = self.module.get_submodule(code.module)
        projection = getattr(sub, "token_projection", None)
        if x.layout not in ("nchw", "nhwc", "tokens") or projection is None or \
                tuple(value.shape) != self._torch_shape(x):
            raise _Opaque("a position encoding added to a tensor of another shape")
        name = code.module if code.module not in self.names else self._name("pos_embd", code.module)
        shares = self.count(list(sub.parameters()), name)
        return self.layer_named(name, FourierPositionEncoding, [x.layer], value, code.module, x.layout,
                                features=int(projection.in_channels), shares=shares)

    def _viewed_parameter(self, node) -> list[Param]:
        """The one parameter an operand of ``node`` is a view of (timm's LayerScale2d:
        ``x * self.gamma.view(1, -1, 1, 1)``), with the view's shape; none where there is not one."""
        torch = _torch()
        for arg in node.all_input_nodes:
            v, names = self.values.get(arg), self.sources.get(arg, frozenset())
            if isinstance(v, torch.Tensor) and len(names) == 1:
                found = self._param_tensor(Param(next(iter(names)), None))
                if self._torch_parameter(found) and found.numel() == v.numel():
                    return [Param(next(iter(names)), v)]
        return []

    def _constant(self, node, x: T) -> bool:
        """Whether every operand of ``node`` besides ``x`` is a number, or a tensor computed from
        buffers and numbers only (no parameter) of one value per channel at most (so that it
        broadcasts over any height and width, as PyTorch then does)."""
        torch = _torch()
        rank = len(self._torch_shape(x))
        channel = {"nchw": 1, "nhwc": rank - 1}.get(x.layout)
        for arg in node.all_input_nodes:
            v = self.values.get(arg)
            if isinstance(v, T):
                continue
            if isinstance(v, Param):
                if self._is_parameter(v):
                    return False
                v = v.tensor
            elif not isinstance(v, (torch.Tensor, int, float)) or self.sources.get(arg):
                return False
            if isinstance(v, torch.Tensor):
                dims = (1,) * (rank - v.dim()) + tuple(v.shape)
                if len(dims) != rank or any(d != 1 for i, d in enumerate(dims) if i != channel):
                    return False
        return True

    def _torch_shape(self, t: T) -> tuple:
        """PyTorch's own shape of ``t`` at the import size, in its layout."""
        shape = self.shapes[t.layer]
        if t.layout == "tokens":
            return (shape[0], math.prod(shape[2:]), shape[1])
        return (shape[0], *shape[2:], shape[1]) if t.layout == "nhwc" else tuple(shape)

    def _torch_parameter(self, tensor) -> bool:
        return isinstance(tensor, _torch().nn.Parameter)

    def _is_parameter(self, p: Param) -> bool:
        torch = _torch()
        return isinstance(self._param_tensor(p), torch.nn.Parameter)

    def _param_tensor(self, p: Param):
        try:
            return self.module.get_parameter(p.target)
        except AttributeError:
            return p.tensor

    def getitem(self, node, x, index, value):
        if isinstance(x, ShapeOf):
            return self._shape_item(x, index, value)
        if isinstance(x, Parts):
            return self._parts_item(node, x, index, value)
        if isinstance(x, (list, tuple, dict)):
            return x[index]
        if isinstance(x, T) and self._tokens(x) and index in ((slice(None), 0), (slice(None, None, None), 0)):
            return self.layer(node, TokenSelect, [x.layer], value, "vec")
        if isinstance(x, T):
            return self.slice(node, x, index, value)
        return value

    def _shape_item(self, x: ShapeOf, index, value):
        """``x.shape[-2:]`` is the spatial size of ``x`` (at any input size); another item PyTorch's number."""
        rank = len(self.shapes[x.tensor.layer]) if x.tensor.layer in self.shapes else 2 + self.shape.rank
        if isinstance(index, slice) and index.step in (None, 1):
            start = index.start if index.start is not None else 0
            start = start + rank if start < 0 else start
            stop = index.stop if index.stop is not None else rank
            if start == 2 and stop == rank:
                return SpatialOf(x.tensor)
        return value

    def _parts_item(self, node, x: Parts, index, value):
        """A part of a split, or parts (``spx[1:]``, ``spx[-1]``), as Python indexes a sequence."""
        count = self._count_parts(x)
        if isinstance(index, slice):
            picked = range(count)[index]
            values = value if isinstance(value, (list, tuple)) and len(value) == len(picked) else [None] * len(picked)
            return [self.part(node, x, i, v) for i, v in zip(picked, values)]
        if isinstance(index, int) and -count <= index < 0:
            index += count
        return self.part(node, x, index, value)

    def parts(self, node, name, x, args, kwargs):
        if not isinstance(x, T) or x.layout != "nchw":
            raise _Opaque("a split of a tensor symcnn does not follow")
        dim = _get(args, kwargs, 2, "dim", 0)
        if dim not in (1, -1 - self.shape.rank):
            raise _Opaque("a split along an axis other than the channels")
        how = _get(args, kwargs, 1, "chunks" if name == "chunk" else "split_size_or_sections", None)
        if name == "chunk":
            return Parts(x, int(how), None, self._name("chunk", self._scope(node)))
        channels = self.channels(x)
        if isinstance(how, int):
            sizes = [how] * (channels // how) + ([channels % how] if channels % how else [])
        else:
            sizes = [int(s) for s in how]
        return Parts(x, None, tuple(sizes), self._name("split", self._scope(node)))

    def _count_parts(self, parts: Parts) -> int:
        """How many parts a split gives (``torch.chunk`` may give fewer than asked)."""
        if parts.sizes is not None:
            return len(parts.sizes)
        channels = self.channels(parts.tensor)
        size = -(-channels // int(parts.chunks or 1))
        return -(-channels // size)

    def part(self, node, parts: Parts, index: int, value):
        name = f"{parts.node}.{index}"
        if name in self.names:  # the same part taken again (spx[i] in a loop, then spx[-1])
            return T(name)
        fields = {"chunks": parts.chunks} if parts.chunks is not None else {"sizes": parts.sizes}
        layer = Split(name, inputs=(parts.tensor.layer,), index=index, **fields)
        out = self.add(layer, self._scope(node))
        self._record(out, value)
        return out

    def slice(self, node, x: T, index, value):
        items = index if isinstance(index, tuple) else (index,)
        rank = 2 + self.shape.rank
        if x.layout != "nchw" or len(items) > rank or any(not isinstance(i, slice) for i in items):
            raise _Opaque("indexing a tensor")
        items = (*items, *[slice(None)] * (rank - len(items)))
        if items[0] == slice(None) and items[1] != slice(None) and all(i == slice(None) for i in items[2:]):
            return self.channel_slice(node, x, items[1], value)
        if any(i != slice(None) for i in items[:2]) or any(i.step not in (None, 1) for i in items):
            raise _Opaque("a slice of the batch or channels, or with a step")
        before, after = _crop(items[2:])
        return self.layer(node, Crop, [x.layer], value, before=before, after=after)

    def channel_slice(self, node, x: T, index: Any, value):
        """``x[:, a:b]`` (GhostNet's ``out[:, :self.out_chs]``, ReXNet's partial shortcut): the channels
        do not change with the input size, so the slice is a part of a split of C into
        ``a, b - a, C - b`` (parts of no channels left out)."""
        channels = self.channels(x)
        start, stop, step = index.indices(channels)
        if step != 1 or start >= stop:
            raise _Opaque("a slice of the channels with a step, or of no channels")
        if (start, stop) == (0, channels):
            return x
        sizes = [size for size in (start, stop - start, channels - stop) if size > 0]
        return self.layer(node, Split, [x.layer], value, index=int(start > 0), sizes=sizes)

    def view(self, node, x, value):
        if isinstance(x, Encoding):
            return x  # whatever its axes, the same encoding, added where it fits
        if not isinstance(x, T):
            if isinstance(x, (ShapeOf, SpatialOf, Param)) or x is None:
                return value  # a parameter viewed is a tensor computed from it (its sources say so)
            raise _Opaque("a view of a value symcnn does not follow")
        src = self.shapes[x.layer]
        out = tuple(value.shape)
        made = reshape(self, _Call(node, "method", "view", None, [x], {}, value), x, src, out)
        if made is not None:
            return made
        tokens = self._tokens_view(x, src, out)
        if tokens is not None:
            if tokens.layout == "ncl":
                self.flattened[x.layer] = (node, value)
            return tokens
        if x.layout == "nhwc" and len(src) == 4 and out == (src[0], src[2] * src[3], src[1]):
            return self.layer(node, Tokens, [x.layer], value, "nhwc")  # timm's x.view(B, -1, C) of an NHWC grid
        raise _Opaque("a view that is not a flatten or a channel shuffle")

    def _tokens_view(self, x: T, src: tuple, out: tuple) -> T | None:
        """A map's positions flattened (N x C x HW, EdgeNeXt's ``x.reshape(B, C, H * W)``), and its
        tokens viewed back as a channels-last map (N x H x W x C); None for another view."""
        if x.layout == "nchw" and len(src) > 3 and out == (*src[:2], math.prod(src[2:])):
            return T(x.layer, "ncl")
        if x.layout == "ncl" and out == src:
            return T(x.layer, "nchw")
        if x.layout == "tokens" and out == (src[0], *src[2:], src[1]):
            return T(x.layer, "nhwc")
        return None

    def flatten(self, node, x, value, start, end):
        if not isinstance(x, T):
            raise _Opaque("flattening a value symcnn does not follow")
        if x.layout == "vec":
            return x
        if x.layout in ("nchw", "ones") and start == 1 and end in (-1, 1 + self.shape.rank) and \
                self.shapes[x.layer][0] == 1:
            return self.layer(node, Flatten, [x.layer], value, "vec")
        if x.layout == "nchw" and len(self.shapes[x.layer]) == 4 and start == 2 and end in (-1, 3):
            return self.layer(node, Tokens, [x.layer], value)  # a patch embedding's grid read as tokens
        raise _Opaque("a flatten of other axes than all but the batch")

    def squeeze(self, node, x, value):
        """``x.squeeze(-1)``, ``x.squeeze()``, ... of a map pooled to 1 x 1 (at every input size: an
        adaptive pooling to 1, a global average): a flatten once only the batch and the channels are
        left; where axes of 1 are left, the same map (its layout says so)."""
        torch = _torch()
        if not isinstance(x, T) or not isinstance(value, torch.Tensor):
            raise _Opaque("a squeeze of a tensor not pooled to 1 at every input size")
        return squeeze(self, _Call(node, "method", "squeeze", None, [x], {}, value), x, self.shapes[x.layer],
                       tuple(value.shape))

    def permute(self, x, dims):
        if isinstance(x, Encoding):
            return x
        if isinstance(x, T) and x.layout in ("ncl", "tokens") and [d % 3 for d in dims] == [0, 2, 1]:
            return T(x.layer, "tokens" if x.layout == "ncl" else "ncl")
        if not isinstance(x, T):
            raise _Opaque("a permute of a value symcnn does not follow")
        rank = len(self.shapes.get(x.layer, ())) or 2 + self.shape.rank  # a token sequence has 3 axes
        dims = [d + rank if d < 0 else d for d in dims]
        last = [0, *range(2, rank), 1]
        first = [0, rank - 1, *range(1, rank - 1)]
        if x.layout == "nchw" and dims == last:
            return T(x.layer, "nhwc")
        if x.layout == "nhwc" and dims == first:
            return T(x.layer, "nchw")
        raise _Opaque("a permute other than to channels-last and back")

    def transpose(self, node, x, value, a, b):
        if isinstance(x, T) and x.layout == "grouped" and {a, b} == {1, 2}:
            return T(x.layer, "grouped_t", x.groups)
        if isinstance(x, T) and x.layout in ("nchw", "nhwc") and len(self.shapes[x.layer]) == 3 and \
                {a % 3, b % 3} == {1, 2}:  # tokens: channels first and channels last
            return T(x.layer, "nhwc" if x.layout == "nchw" else "nchw")
        if isinstance(x, T) and self.shape.rank == 2 and x.layout in ("nchw", "nhwc"):
            pass
        raise _Opaque("a transpose other than a channel shuffle's")

    def mean(self, node, x, value, dims, keepdim):
        if not isinstance(x, T) or x.layout not in ("nchw", "nhwc"):
            raise _Opaque("a mean of a value symcnn does not follow")
        rank = 2 + self.shape.rank
        dims = [dims] if isinstance(dims, int) else list(dims or [])
        dims = sorted(d + rank if d < 0 else d for d in dims)
        if dims != (list(range(2, rank)) if x.layout == "nchw" else list(range(1, rank - 1))) or \
                (x.layout == "nhwc" and keepdim):
            raise _Opaque("a mean over other axes than the spatial ones")
        pooled = self.layer(node, GlobalAvgPool, [x.layer], value if keepdim else None)
        if keepdim:
            return pooled
        name = self._name("flatten", pooled.layer)
        out = self.add(Flatten(name, inputs=(pooled.layer,)), self._scope(node))
        self._record(out, value)
        return T(out.layer, "vec")

    # -- tokens (vision transformers) -------------------------------------------------------------

    def input_check(self, node, value):
        """``torch._assert(x.shape[2] == 224, ...)``: the model refuses any other input height;
        ``torch._assert(x.shape[2] % 16 == 0, ...)`` (timm's patch embedding): any height not a
        multiple of 16. Kept to be said."""
        import torch.fx as fx

        cond = node.args[0] if node.args else None
        if not isinstance(cond, fx.Node) or cond.target is not operator.eq:
            return value
        sizes = [a for a in cond.args if isinstance(a, fx.Node)]
        numbers = [a for a in cond.args if isinstance(a, int) and not isinstance(a, bool)]
        if len(sizes) != 1 or len(numbers) != 1:
            return value
        found: Any = sizes[0]
        multiple: int | None = None
        if found.target is operator.mod and numbers[0] == 0 and len(found.args) == 2 and \
                isinstance(found.args[1], int) and isinstance(found.args[0], fx.Node):
            found, multiple = found.args[0], int(found.args[1])
        axis = self._input_axis(found)
        if axis is not None:
            (self.checks if multiple is None else self.multiples)[axis] = multiple or numbers[0]
        return value

    def _input_axis(self, node) -> str | None:
        """The axis of the model's input that ``node`` is the size of (``x.shape[2]``: H), if any."""
        import torch.fx as fx

        if node.target is not operator.getitem:
            return None
        shape, index = node.args
        axes = {2 + i: axis for i, axis in enumerate(self.shape.axes)}
        if isinstance(shape, fx.Node) and shape.target is getattr and shape.args[1] == "shape" and \
                getattr(shape.args[0], "op", "") == "placeholder" and index in axes:
            return axes[index]
        return None

    def _tokens(self, x: T) -> bool:
        """Whether ``x`` is a token sequence: (N, L, C) in PyTorch, L x C in symcnn."""
        return x.layout == "nhwc" and len(self.shapes.get(x.layer, ())) == 3

    def sequence(self, x: T) -> T:
        """``x`` as a token sequence of its own: a map whose positions a view flattened and a permute
        made channels-last (``tokens``) gets its token layer here (named after the view)."""
        if x.layout != "tokens" or x.layer not in self.flattened:
            return x
        node, value = self.flattened[x.layer]
        tokens = self.layer(node, Tokens, [x.layer], value)
        return T(tokens.layer, "nhwc")

    def class_token(self, node, x: T, value):
        """``torch.cat([cls_token.expand(B, -1, -1), x], dim=1)``: learned tokens put before the sequence."""
        x = self.sequence(x)
        names = self.sources.get(node.args[0][0], frozenset()) if isinstance(node.args[0], (list, tuple)) else ()
        if not self._tokens(x) or len(names) != 1:
            raise _Opaque("a concatenation of tokens with other than one learned parameter")
        param = self._param_tensor(Param(next(iter(names)), None))
        channels = self.channels(x)
        if not self._torch_parameter(param) or param.dim() != 3 or tuple(param.shape[::2]) != (1, channels):
            raise _Opaque("a concatenation of tokens with a tensor that is not one learned token per place")
        name = self._layer_name(node)
        shares = self.count([param], name)
        return self.layer_named(name, ClassToken, [x.layer], value, self._scope(node), "nhwc", shares=shares,
                                tokens=int(param.shape[1]))

    def position_embedding(self, node, x: T, p: Param, value):
        """``x + pos_embed``: a learned embedding of the shape of the tokens (1, L, C)."""
        tensor = self._param_tensor(p)
        resampled = isinstance(p, Resampled)  # any number of tokens, C channels
        if (tuple(tensor.shape[::2]) if resampled else tuple(tensor.shape)) != \
                (self._torch_shape(x)[::2] if resampled else self._torch_shape(x)):
            raise _Opaque("an addition of a parameter that is not one embedding per token")
        name = self._layer_name(node)
        shares = self.count([tensor], name)
        return self.layer_named(name, PositionEmbedding, [x.layer], value, self._scope(node), "nhwc", shares=shares,
                                tokens=int(tensor.shape[1]), interpolated=resampled)

    def expanded(self, node, sub, x: T, value, make) -> T:
        """A module traced as one call and made of several layers (timm's Swin block and patch merging):
        ``make`` gives them, each with its module of parameters and the channels of its output."""
        parts = make(sub, node.target, x.layer, self.channels(x))
        if parts is None:
            raise _Opaque(f"no symcnn layers for this {type(sub).__name__}")
        torch_shape = tuple(value.shape)  # the last part's, in x's layout
        spatial = torch_shape[1:-1] if x.layout == "nhwc" else torch_shape[2:]
        for layer, module, channels in parts:
            shares = self.count(list(module.parameters()) if module is not None else [], layer.name)
            out = self.add(replace(layer, shares=shares), node.target)
            self.shapes[out.layer] = (torch_shape[0], channels, *spatial)
        return T(out.layer, x.layout)

    def window_attention(self, node, x: T, args, kwargs, value):
        """torchvision's ``shifted_window_attention(x, qkv_weight, proj_weight, bias, window_size, heads,
        shift_size, ..., qkv_bias=..., proj_bias=...)`` on a channels-last map; the relative position
        bias is computed from its table, a parameter (the value's sources)."""
        names = ("input", "qkv_weight", "proj_weight", "relative_position_bias", "window_size", "num_heads",
                 "shift_size")
        a = {**dict(zip(names, args)), **kwargs}
        given = [a.get(k) for k in ("qkv_weight", "proj_weight", "qkv_bias", "proj_bias")]
        window, shift = list(a["window_size"]), list(a.get("shift_size") or [0, 0])
        table_node = node.args[3] if len(node.args) > 3 else node.kwargs.get("relative_position_bias")
        tables = sorted(self.sources.get(table_node, frozenset()))
        if x.layout != "nhwc" or len(self.shapes[x.layer]) != 4 or a.get("logit_scale") is not None or \
                len(tables) != 1 or not _square_windows(given, window, shift):
            raise _Opaque("a window attention symcnn does not follow (not square, cosine, or biases apart)")
        params = [self._param_tensor(p) for p in given if p is not None]
        table = self._param_tensor(Param(tables[0], None))
        c, heads = self.channels(x), int(a["num_heads"])
        if tuple(params[0].shape) != (3 * c, c) or tuple(table.shape) != ((2 * window[0] - 1) ** 2, heads):
            raise _Opaque("a window attention whose projections or table are not C x C and (2M - 1)^2 per head")
        name = self._scope(node) or self._layer_name(node)
        if name in self.names:
            name = self._layer_name(node)
        self.names.add(name)
        shares = self.count([*params, table], name)
        return self.layer_named(name, WindowAttention, [x.layer], value, self._scope(node), "nhwc", shares=shares,
                                window_size=window[0], heads=heads, shift=shift[0], bias=given[2] is not None)

    def patch_merge(self, node, x: T, args, kwargs, value):
        """torchvision's ``_patch_merging_pad(x)``: 2 x 2 neighbours side by side, channels-last."""
        if x.layout != "nhwc" or len(self.shapes[x.layer]) != 4:
            raise _Opaque("a patch merging of a map that is not channels-last")
        return self.layer(node, PatchMerge, [x.layer], value, "nhwc")

    def conv_function(self, node, x, args, kwargs, value):
        """``F.conv2d(x, weight, bias, ...)`` (as a subclass of ``nn.Conv2d`` runs, or a model's own
        call) with a weight and bias that are parameters, or each computed from one parameter of its
        shape (a standardised weight): a convolution counting them."""
        names = ("input", "weight", "bias", "stride", "padding", "dilation", "groups")
        a = {**dict(zip(names, args)), **kwargs}
        gain = self._gain(node, a.get("weight"))
        weight, bias = self._own_parameter(node, "weight", a.get("weight"), gain), \
            self._own_parameter(node, "bias", a.get("bias"))
        if weight is None or (a.get("bias") is not None and bias is None) or x.layout != "nchw":
            raise _Opaque("a convolution whose weight or bias is not a parameter of its own")
        groups = int(a.get("groups", 1))
        padding = a.get("padding", 0)
        name = self._layer_name(node)
        shares, only = self.count_parts(weight, bias, name)
        out = self.layer_named(name, conv_class(weight.dim() - 2), [x.layer], value, self._scope(node), shares=shares,
                               shares_only=only, **conv_fields(weight.shape, groups), stride=_ints(a.get("stride", 1)),
                               padding=padding if isinstance(padding, str) else _ints(padding),
                               dilation=_ints(a.get("dilation", 1)), groups=groups, bias=bias is not None)
        if gain is None:
            return out
        # the convolution is linear in its weight: a gain per kernel multiplies its output channel
        # (conv(x, g w) = g conv(x, w)), one parameter per output channel, counted as a scale
        scale = f"{name}.{gain[0].rpartition('.')[2]}"  # stem.conv1.gain
        return self.layer_named(scale, Scale, [out.layer], value, self._scope(node),
                                shares=self.count([gain[1]], scale))

    def linear_function(self, node, x, args, kwargs, value):
        """``F.linear(x, weight, bias)`` (timm's ``Linear``, a subclass of ``nn.Linear`` that calls it)
        with a weight and bias of its own: a linear layer over a vector, or over the channels of a
        channels-last map."""
        a = {**dict(zip(("input", "weight", "bias"), args)), **kwargs}
        weight = self._own_parameter(node, "weight", a.get("weight"))
        bias = self._own_parameter(node, "bias", a.get("bias"))
        if weight is None or (a.get("bias") is not None and bias is None) or x.layout not in ("nhwc", "vec"):
            raise _Opaque("a linear layer whose weight or bias is not a parameter of its own, or over the last "
                          "axis of a tensor that is not a vector or channels-last")
        name = self._layer_name(node)
        shares, only = self.count_parts(weight, bias, name)
        cls: Any = ChannelLinear if x.layout == "nhwc" else Linear
        return self.layer_named(name, cls, [x.layer], value, self._scope(node), x.layout, shares=shares,
                                shares_only=only, features=int(weight.shape[0]), bias=bias is not None,
                                in_features=int(weight.shape[1]))

    def _weight_sources(self, node, field: str) -> frozenset[str]:
        position = {"weight": 1, "bias": 2}[field]
        arg = node.kwargs.get(field, node.args[position] if len(node.args) > position else None)
        return self.sources.get(arg, frozenset()) if arg is not None else frozenset()

    def _gain(self, node, given) -> tuple[str, Any] | None:
        """The gain of a scaled weight standardisation (timm's ``ScaledStdConv2d``: the standardised
        weight times ``gain``, one per kernel): its name and tensor, where the weight was computed
        from one parameter of its shape and one of a value per kernel."""
        torch = _torch()
        if not isinstance(given, torch.Tensor):
            return None
        names = self._weight_sources(node, "weight")
        if len(names) != 2:
            return None
        found = {n: self._param_tensor(Param(n, None)) for n in sorted(names)}
        kernels = int(given.shape[0])
        gains = [(n, p) for n, p in found.items() if tuple(p.shape) != tuple(given.shape) and p.numel() == kernels
                 and self._torch_parameter(p)]
        weights = [p for p in found.values() if tuple(p.shape) == tuple(given.shape)]
        return gains[0] if len(gains) == 1 and len(weights) == 1 else None

    def _own_parameter(self, node, field: str, given, gain=None):
        """The parameter tensor ``given`` is, or was computed from alone with its shape (besides a
        ``gain``); None otherwise."""
        if isinstance(given, Param):
            return self._param_tensor(given) if self._is_parameter(given) else None
        torch = _torch()
        if not isinstance(given, torch.Tensor):
            return None
        names = self._weight_sources(node, field) - ({gain[0]} if gain else set())
        if len(names) != 1:
            return None
        found = self._param_tensor(Param(next(iter(names)), None))
        return found if tuple(found.shape) == tuple(given.shape) else None

    def interpolate(self, node, target, x, args, kwargs, value):
        size = _get(args, kwargs, 1, "size", None)
        scale = _get(args, kwargs, 2, "scale_factor", None)
        mode = _get(args, kwargs, 3, "mode", "nearest")
        if not isinstance(x, T) or x.layout != "nchw":
            raise _Opaque("upsampling a value symcnn does not follow")
        if isinstance(size, SpatialOf):
            return self.layer(node, Upsample, [x.layer, size.tensor.layer], value, mode=str(mode))
        if size is not None:
            return self.layer(node, Upsample, [x.layer], value, size=_ints(size), mode=str(mode))
        if scale is not None:
            if _get(args, kwargs, 5, "recompute_scale_factor", None) is False:
                pass
            return self.layer(node, Upsample, [x.layer], value, scale=_floats(scale), mode=str(mode))
        raise _Opaque("an interpolation without a size or a scale")

    def pad(self, node, x, args, kwargs, value):
        pad = list(_get(args, kwargs, 1, "pad", ()))
        mode = _get(args, kwargs, 2, "mode", "constant")
        rank = self.shape.rank
        if not isinstance(x, T) or x.layout != "nchw" or len(pad) > 2 * rank or len(pad) % 2:
            raise _Opaque("padding of other axes than the spatial ones")
        before, after = torch_pad(pad, rank)
        if all(v >= 0 for v in before + after):
            return self.layer(node, Pad, [x.layer], value, before=before, after=after, mode=str(mode))
        if all(v <= 0 for v in before + after) and mode == "constant":
            return self.layer(node, Crop, [x.layer], value, before=[-v for v in before], after=[-v for v in after])
        raise _Opaque("padding that adds on one side and cuts on another")

    def norm_function(self, node, name, x, args, kwargs, value):
        """``F.batch_norm`` (timm's BatchNormAct2d) and ``F.group_norm`` (timm's GroupNorm1): the
        layers their modules are, named after the module that holds the scale and the shift."""
        if not isinstance(x, T) or x.layout != "nchw":
            raise _Opaque("a norm of a value symcnn does not follow, or not over the channels")
        if name == "batch_norm":
            a = {**dict(zip(("input", "running_mean", "running_var", "weight", "bias"), args)), **kwargs}
            cls: Any = BatchNorm
            fields: dict[str, Any] = {"track_running_stats": a.get("running_mean") is not None}
        else:
            a = {**dict(zip(("input", "num_groups", "weight", "bias"), args)), **kwargs}
            cls, fields = GroupNorm, {"groups": int(a["num_groups"])}
        weight, bias = a.get("weight"), a.get("bias")
        if any(p is not None and not (isinstance(p, Param) and self._is_parameter(p)) for p in (weight, bias)) or \
                (weight is None and bias is not None):
            raise _Opaque("a norm whose scale and shift are not parameters, or with a shift but no scale")
        owner = weight.target.rpartition(".")[0] if isinstance(weight, Param) else ""
        layer = owner if owner and owner not in self.names else self._layer_name(node)
        scale, shift = (self._param_tensor(p) if p is not None else None for p in (weight, bias))
        shares, only = self.count_parts(scale, shift, layer)
        return self.layer_named(layer, cls, [x.layer], value, self._scope(node), shares=shares, shares_only=only,
                                affine=weight is not None, bias=weight is None or bias is not None, **fields)

    def layer_norm(self, node, x, args, kwargs, value):
        shape = _get(args, kwargs, 1, "normalized_shape", None)
        weight = _get(args, kwargs, 2, "weight", None)
        bias = _get(args, kwargs, 3, "bias", None)
        if not isinstance(x, T) or x.layout not in ("nhwc", "vec"):
            raise _Opaque("a layer norm over other axes than the channels")
        channels = self.channels(x)
        if list(shape) != [channels] or (weight is None and bias is not None):
            raise _Opaque("a layer norm over other axes than the channels, or with a shift but no scale")
        tensors = [self._param_tensor(p) for p in (weight, bias) if isinstance(p, Param)]
        shares = self.count(tensors, "") if tensors else ""
        out = self.layer(node, LayerNorm, [x.layer], value, x.layout, affine=weight is not None,
                         bias=weight is None or bias is not None, shares=shares)
        for p in tensors:
            if not shares:
                self.counted[id(p)] = out.layer
        return out

    # -- torch.export's aten graph -------------------------------------------------------------

    def call_aten(self, node, value, args, kwargs):
        if node.target is operator.getitem:
            return self.getitem(node, args[0], args[1], value)
        name = str(node.target).split(".")[1] if str(node.target).startswith("aten.") else _fn_name(node.target)
        return self.dispatch(_Call(node, "aten", name, node.target, args, kwargs, value), _ATEN.get(name))

    def _export_param(self, p: Param):
        return _named_tensor(self.module, p.target)

    def _export_params(self, *given) -> list:
        """The tensors of the parameters ``given`` (None where one is not a parameter: no bias)."""
        return [self._export_param(p) if isinstance(p, Param) else None for p in given]

    def _module_layer(self, scope: str, base: str) -> str:
        """In an exported graph a module's call is a scope: its layer takes the module's path."""
        if scope and scope not in self.names:
            self.names.add(scope)
            return scope
        return self._name(base, scope)

    def layer_named(self, name, cls, inputs, value, scope, layout="nchw", **fields) -> T:
        self.names.discard(name)
        out = self.add(cls(name, inputs=tuple(inputs), **fields), scope)
        self._record(out, value, layout)
        return T(out.layer, layout)


def _named_tensor(module, target: str):
    try:
        return module.get_parameter(target)
    except AttributeError:
        return module.get_buffer(target)


def _flat(items):
    for item in items:
        if isinstance(item, (list, tuple)):
            yield from _flat(item)
        else:
            yield item


def _rebuild(value, f):
    """``value`` (a tensor, or tuples and lists of them) with ``f`` applied to each item."""
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return type(value)(_rebuild(v, f) for v in value)
    if isinstance(value, (list, tuple)):
        return type(value)(*(_rebuild(v, f) for v in value))
    return f(value)


def _has_tensor(args, kwargs) -> bool:
    return any(isinstance(a, (T, Parts)) for a in _flat([*args, *kwargs.values()]))


def _squeezed(shape, rank: int) -> tuple:
    """``shape`` without leading axes of 1 beyond ``rank`` axes ((1, C, 1, 1) as (C, 1, 1))."""
    dims = tuple(int(d) for d in shape)
    while len(dims) > rank and dims[0] == 1:
        dims = dims[1:]
    return dims


def _square_windows(given: list, window: list, shift: list) -> bool:
    """Whether a window attention's projections are parameters, its qkv and output biases both there
    or both not, and its windows and shifts square."""
    return all(p is None or isinstance(p, Param) for p in given) and len(set(window)) == 1 and \
        len(set(shift)) == 1 and (given[2] is None) == (given[3] is None)


def _crop(items) -> tuple[list, list]:
    """What slices of the spatial axes (``x[:, :, 1:, :-1]``) cut before and after each axis."""
    before, after = [], []
    for i in items:
        start, stop = i.start or 0, i.stop
        if start < 0 or (stop is not None and stop > 0):
            raise _Opaque("a slice whose ends depend on the size")
        before.append(start)
        after.append(0 if stop is None else -stop)
    return before, after


def _has_none(value) -> bool:
    return value is None or (isinstance(value, (list, tuple)) and any(v is None for v in value))


def _get(args, kwargs, index: int, name: str, default):
    if name in kwargs:
        return kwargs[name]
    if len(args) > index:
        return args[index]
    return default


# -- one table of operations ------------------------------------------------------------------
# Every spelling of an operation (a Tensor method, a function of torch, torch.nn.functional or
# operator, an aten operation of torch.export) is normalised to one canonical name by the tables
# _METHODS, _function_op (_FUNCTIONS, _FUNCTION_NAMES) and _ATEN; _OPERATIONS holds each canonical
# operation's handler, ``handler(importer, call)``. A handler returns the value the node gives, or
# _UNMATCHED where its operands are not ones it takes (then _Importer.dispatch decides).


def _tensor(handler):
    """A handler that takes a tensor symcnn follows as its first operand, and nothing else."""
    def taking(importer, call):
        return handler(importer, call) if isinstance(call.x, T) else _UNMATCHED
    return taking


def _op_size(importer, c: _Call):
    if len(c.args) > 1 or "dim" in c.kwargs:
        return c.value
    return ShapeOf(c.x)


def _op_getattr(importer, c: _Call):
    return ShapeOf(c.x) if isinstance(c.x, T) and c.args[1] == "shape" else _UNMATCHED


def _op_binary(importer, c: _Call):
    if len(c.args) < 2:
        return _UNMATCHED
    op = (_BINARY.get(c.target) or c.target.__name__) if c.front == "function" else c.name.strip("_")
    return importer.binary(c.node, op, c.args, c.value)


def _op_cat(importer, c: _Call):
    dim, tensors = c.get(1, "dim", 0), c.args[0]
    made = concat(importer, c, tensors, dim, importer.shape.rank)
    if made is not None:
        return made
    if len(tensors) == 2 and isinstance(tensors[1], T) and dim in (1, -2):
        return importer.class_token(c.node, tensors[1], c.value)
    raise _Opaque("concatenation along an axis other than the channels")


def _op_permute(importer, c: _Call):
    dims = c.get(1, "dims", ())
    if len(c.args) > 2 or not isinstance(dims, (list, tuple)):
        dims = c.args[1:]  # x.permute(0, 2, 3, 1)
    return importer.permute(c.x, list(dims))


def _op_channel_shuffle(importer, c: _Call):
    import torch.nn.functional as F

    if c.target is not F.channel_shuffle and not isinstance(c.x, T):
        return _UNMATCHED
    return importer.layer(c.node, ChannelShuffle, [c.x.layer], c.value, groups=int(c.args[1]))


# torch.export's aten operations, where their operands differ from the functions'


@_tensor
def _aten_conv(importer, c: _Call):
    args, scope = c.args, importer._scope(c.node)
    w, b = args[1], args[2] if len(args) > 2 else None
    if c.name == "convolution":
        stride, padding, dilation, transposed, _, groups = args[3:9]
        if transposed:
            raise _Opaque("a transposed convolution in an exported graph")
    else:
        rest = list(args[3:])
        stride, padding, dilation, groups = rest + [1, 0, 1, 1][len(rest):]
    layer_name = importer._module_layer(scope, "conv")
    weight, bias = importer._export_params(w, b)
    shares, only = importer.count_parts(weight, bias, layer_name)
    return importer.layer_named(layer_name, conv_class(w.tensor.dim() - 2), [c.x.layer], c.value, scope, shares=shares,
                                shares_only=only, **conv_fields(weight.shape, groups), stride=_ints(stride),
                                padding=_ints(padding) if not isinstance(padding, str) else padding,
                                dilation=_ints(dilation), groups=int(groups), bias=b is not None)


def _aten_batch_norm(importer, c: _Call):
    scope = importer._scope(c.node)
    weight, bias = importer._export_params(*c.args[1:3])
    layer_name = importer._module_layer(scope, "batchnorm")
    shares, only = importer.count_parts(weight, bias, layer_name)
    out = importer.layer_named(layer_name, BatchNorm, [c.x.layer], c.value, scope, shares=shares, shares_only=only,
                               affine=weight is not None)
    return (out,) if isinstance(c.value, (tuple, list)) else out


@_tensor
def _aten_linear(importer, c: _Call):
    x, scope = c.x, importer._scope(c.node)
    if x.layout not in ("nhwc", "vec"):
        raise _Opaque("a linear layer over the last axis of a tensor that is not a vector or channels-last")
    w, b = c.args[1], c.args[2] if len(c.args) > 2 else None
    layer_name = importer._module_layer(scope, "linear")
    weight, bias = importer._export_params(w, b)
    shares, only = importer.count_parts(weight, bias, layer_name)
    linear: Any = ChannelLinear if x.layout == "nhwc" else Linear
    out = importer.layer_named(layer_name, linear, [x.layer], c.value, scope, shares=shares, shares_only=only,
                               features=int(w.tensor.shape[0]), bias=b is not None,
                               in_features=int(w.tensor.shape[1]))
    return T(out.layer, "nhwc" if x.layout == "nhwc" else "vec")


# the operands of the shared operations, from PyTorch's spellings


def _pool_fields(importer, c: _Call) -> dict:
    """``F.max_pool2d(x, kernel_size, stride, padding, dilation, ceil_mode, return_indices)``,
    ``F.avg_pool2d(x, kernel_size, stride, padding, ceil_mode, count_include_pad)``, and aten's
    operations of the same operands (max_pool2d, avg_pool2d)."""
    pooled = "max" in c.name
    names = ("input", "kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices") if pooled \
        else ("input", "kernel_size", "stride", "padding", "ceil_mode", "count_include_pad")
    a = {**dict(zip(names, c.args)), **c.kwargs}
    fields = dict(rank=importer.shape.rank if c.front != "aten" else 2, kernel=_ints(a["kernel_size"]),
                  stride=_ints(a.get("stride") or a["kernel_size"]), padding=_ints(a.get("padding", 0)),
                  ceil_mode=bool(a.get("ceil_mode", False)))
    if pooled:
        return {**fields, "dilation": _ints(a.get("dilation", 1)), "indices": bool(a.get("return_indices"))}
    return {**fields, "count_include_pad": bool(a.get("count_include_pad", True))}


def _adaptive_fields(importer, c: _Call) -> dict:
    out = c.get(1, "output_size", 1)
    if _has_none(out):
        raise _Opaque("adaptive pooling that keeps an axis (None)")
    return {"output": _ints(out)}


def _fields_table() -> dict[tuple[str, str], Callable]:
    shuffle = lambda importer, c: {"factor": int(c.args[1])}  # noqa: E731
    clip = lambda importer, c: {"bounds": [float(v) for v in c.args[1:3]]}  # noqa: E731
    table: dict[tuple[str, str], Callable] = {("aten", "clip"): clip}
    for front in ("function", "method", "aten"):
        table.update({(front, "max_pool"): _pool_fields, (front, "avg_pool"): _pool_fields,
                      (front, "adaptive_avg_pool"): _adaptive_fields, (front, "adaptive_max_pool"): _adaptive_fields,
                      (front, "pixel_shuffle"): shuffle, (front, "pixel_unshuffle"): shuffle})
    return table


#: (front, canonical operation) -> its operands as the shared handler takes them
_FIELDS = _fields_table()

#: layers of modules (named after the module in an exported graph)
_MODULE_LAYERS = (ReLU, ReLU6, Hardswish, Hardsigmoid, SiLU, Sigmoid, Tanh, GELU, Identity, Elementwise, MaxPool2d,
                  AvgPool2d, AdaptiveAvgPool)

#: in an exported graph, the names of layers outside a module of their own
_ATEN_BASES = {"max_pool2d": "maxpool", "max_pool2d_with_indices": "maxpool", "avg_pool2d": "avgpool",
               "adaptive_avg_pool2d": "avgpool", "_adaptive_avg_pool2d": "avgpool"}


_OPERATIONS: dict[str, Callable] = {
    **OPERATIONS,
    "size": _tensor(_op_size),
    "getattr": _op_getattr,
    "tuple": lambda importer, c: tuple(c.args),
    "getitem": lambda importer, c: importer.getitem(c.node, c.x, c.args[1], c.value),
    "passthrough": _tensor(lambda importer, c: c.x),
    "alias": lambda importer, c: c.x,
    "value": lambda importer, c: c.value,
    "binary": _op_binary,
    "cat": _op_cat,
    "view": lambda importer, c: importer.view(c.node, c.x, c.value),
    "squeeze": lambda importer, c: importer.squeeze(c.node, c.x, c.value),
    "flatten": lambda importer, c: importer.flatten(c.node, c.x, c.value, c.get(1, "start_dim", 0),
                                                    c.get(2, "end_dim", -1)),
    "permute": _op_permute,
    "transpose": lambda importer, c: importer.transpose(c.node, c.x, c.value, c.args[1], c.args[2]),
    "parts": lambda importer, c: importer.parts(c.node, c.name, c.x, c.args, c.kwargs),
    "mean": lambda importer, c: importer.mean(c.node, c.x, c.value, c.get(1, "dim", None),
                                              c.get(2, "keepdim", False)),
    "softmax": keeping(Softmax),
    "conv": _tensor(lambda importer, c: importer.conv_function(c.node, c.x, c.args, c.kwargs, c.value)),
    "interpolate": lambda importer, c: importer.interpolate(c.node, c.target, c.x, c.args, c.kwargs, c.value),
    "pad": lambda importer, c: importer.pad(c.node, c.x, c.args, c.kwargs, c.value),
    "resample_pos_embed": lambda importer, c: Resampled(c.x.target, c.value) if isinstance(c.x, Param) else _UNMATCHED,
    "layer_norm": lambda importer, c: importer.layer_norm(c.node, c.x, c.args, c.kwargs, c.value),
    "norm": lambda importer, c: importer.norm_function(c.node, c.name, c.x, c.args, c.kwargs, c.value),
    "channel_shuffle": _op_channel_shuffle,
    "linear": _tensor(lambda importer, c: importer.linear_function(c.node, c.x, c.args, c.kwargs, c.value)),
    "assert": lambda importer, c: importer.input_check(c.node, c.value),
    "window_attention": _tensor(lambda importer, c: importer.window_attention(c.node, c.x, c.args, c.kwargs,
                                                                              c.value)),
    "patch_merge": _tensor(lambda importer, c: importer.patch_merge(c.node, c.x, c.args, c.kwargs, c.value)),
    "aten_conv": _aten_conv,
    "aten_batch_norm": _aten_batch_norm,
    "aten_linear": _aten_linear,
}

# the spellings of each operation

_METHODS: dict[str, str] = {
    "size": "size", **dict.fromkeys(_PASSTHROUGH, "passthrough"), "view": "view", "reshape": "view",
    "squeeze": "squeeze", "flatten": "flatten", "permute": "permute", "transpose": "transpose", "chunk": "parts",
    "split": "parts", "mean": "mean",
    **dict.fromkeys(("add", "add_", "mul", "mul_", "sub", "div", "__add__", "__mul__"), "binary"),
    **_FUNCTION_ACTIVATIONS, **_UNARY, "softmax": "softmax",
}

#: functions known by their name (torch's, F's, or a model's own of that name)
_FUNCTION_NAMES: dict[str, str] = {
    **_FUNCTION_ACTIVATIONS, **_UNARY, "softmax": "softmax",
    **dict.fromkeys(("dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout"), "dropout"),
    "stochastic_depth": "drop_path", "interpolate": "interpolate", "upsample": "interpolate", "pad": "pad",
    "channel_shuffle": "channel_shuffle", "_assert": "assert", "shifted_window_attention": "window_attention",
    "resample_abs_pos_embed": "resample_pos_embed",
    "_patch_merging_pad": "patch_merge",
}

_ATEN: dict[str, str] = {
    **dict.fromkeys(("conv2d", "conv1d", "conv3d", "convolution"), "aten_conv"),
    **dict.fromkeys(("_native_batch_norm_legit_no_training", "batch_norm", "_native_batch_norm_legit"),
                    "aten_batch_norm"),
    "linear": "aten_linear",
    "max_pool2d": "max_pool", "max_pool2d_with_indices": "max_pool", "avg_pool2d": "avg_pool",
    "adaptive_avg_pool2d": "adaptive_avg_pool", "_adaptive_avg_pool2d": "adaptive_avg_pool",
    **_FUNCTION_ACTIVATIONS, "hardtanh": "clip",
    **dict.fromkeys(("add", "mul", "add_", "mul_"), "binary"),
    "cat": "cat", "flatten": "flatten", **dict.fromkeys(("view", "reshape", "_unsafe_view"), "view"),
    "mean": "mean", **dict.fromkeys(("dropout", "clone", "contiguous", "alias", "detach", "_to_copy"), "alias"),
    "sym_size": "value", "size": "value",
}


@functools.cache
def _functions() -> dict[Any, str]:
    """The functions known by what they are (torch is imported only when a model is)."""
    import torch
    import torch.nn.functional as F

    spellings: dict[str, list[Any]] = {
        "getattr": [getattr], "getitem": [operator.getitem],
        "binary": [*_BINARY, torch.add, torch.mul, torch.sub, torch.div], "cat": [torch.cat, torch.concat],
        "squeeze": [torch.squeeze], "flatten": [torch.flatten], "permute": [torch.permute],
        "transpose": [torch.transpose], "parts": [torch.chunk, torch.split], "mean": [torch.mean],
        "conv": [F.conv1d, F.conv2d, F.conv3d, torch.conv1d, torch.conv2d, torch.conv3d],
        "adaptive_avg_pool": [F.adaptive_avg_pool1d, F.adaptive_avg_pool2d, F.adaptive_avg_pool3d],
        "adaptive_max_pool": [F.adaptive_max_pool2d], "avg_pool": [F.avg_pool1d, F.avg_pool2d, F.avg_pool3d],
        "max_pool": [F.max_pool1d, F.max_pool2d, F.max_pool3d],
        "interpolate": [F.interpolate], "pad": [F.pad], "layer_norm": [F.layer_norm], "linear": [F.linear],
        "norm": [F.batch_norm, F.group_norm, torch.batch_norm, torch.group_norm],
        "pixel_shuffle": [F.pixel_shuffle], "pixel_unshuffle": [F.pixel_unshuffle],
        "channel_shuffle": [F.channel_shuffle],
    }
    return {f: op for op, fs in spellings.items() for f in fs}


def _function_op(target, name: str) -> str | None:
    if isinstance(target, type) and issubclass(target, tuple):  # a model's named outputs
        return "tuple"
    try:
        known = _functions().get(target)
    except TypeError:  # an unhashable callable
        known = None
    return known or _FUNCTION_NAMES.get(name)

# -- module mappings -------------------------------------------------------------------------


#: layers that keep their input's layout (a map channels-last stays so)
_KEEP_LAYOUT = (ChannelLinear, LayerNorm, GlobalResponseNorm, Elementwise, Dropout, DropPath, Identity, Softmax,
                CrossCovarianceAttention, SelfAttention)


def _module_layout(layer: Layer, kind: str, x: T) -> str:
    """The layout of what a module's layer gives."""
    if isinstance(layer, (Linear, Flatten)):
        return "vec"
    if isinstance(layer, _KEEP_LAYOUT) or kind in _ACTIVATIONS:
        return x.layout
    return "nchw"


def _conv(cls):
    def make(m, name, x, importer):
        padding = m.padding if isinstance(m.padding, str) else list(m.padding)
        return cls(name, **conv_fields(m.weight.shape, m.groups), stride=list(m.stride), padding=padding,
                   dilation=list(m.dilation), groups=m.groups, bias=m.bias is not None)
    return make


def _same(make):
    """timm's ``Conv2dSame``, ``MaxPool2dSame``, ...: TensorFlow's SAME padding, which their forward
    computes from the input's size (``pad_same``), as the layer's padding mode."""
    def made(m, name, x, importer):
        layer = make(m, name, x, importer)
        return None if layer is None else replace(layer, padding=TF_SAME)
    return made


def _deconv(cls):
    def make(m, name, x, importer):
        return cls(name, **conv_fields(m.weight.shape, m.groups, transposed=True), stride=list(m.stride),
                   padding=list(m.padding), output_padding=list(m.output_padding), dilation=list(m.dilation),
                   groups=m.groups, bias=m.bias is not None)
    return make


def _maxpool(cls):
    def make(m, name, x, importer):
        if m.return_indices:
            return None
        return cls(name, kernel=_ints(m.kernel_size), stride=_ints(m.stride if m.stride else m.kernel_size),
                   padding=_ints(m.padding), dilation=_ints(m.dilation), ceil_mode=bool(m.ceil_mode))
    return make


def _avgpool(cls):
    def make(m, name, x, importer):
        return cls(name, kernel=_ints(m.kernel_size), stride=_ints(m.stride if m.stride else m.kernel_size),
                   padding=_ints(m.padding), ceil_mode=bool(m.ceil_mode),
                   count_include_pad=bool(m.count_include_pad))
    return make


def _adaptive(cls):
    def make(m, name, x, importer):
        if _has_none(m.output_size):
            return None
        return cls(name, output=_ints(m.output_size))
    return make


def _batchnorm(m, name, x, importer):
    return BatchNorm(name, affine=m.affine, track_running_stats=m.track_running_stats)


def _layernorm(m, name, x, importer):
    channels = importer.channels(x)
    if x.layout not in ("nhwc", "tokens", "vec") or tuple(m.normalized_shape) != (channels,):
        return None
    affine = bool(m.elementwise_affine)
    return LayerNorm(name, affine=affine, bias=not affine or getattr(m, "bias", None) is not None)


def _grn(m, name, x, importer):
    """timm's ``GlobalResponseNorm``: over the channels of the layout it was made for."""
    layout = "nhwc" if getattr(m, "channel_dim", -1) == -1 else "nchw"
    return GlobalResponseNorm(name) if x.layout == layout else None


def _xca(m, name, x, importer):
    """timm's ``CrossCovarianceAttn`` (EdgeNeXt's, XCiT's) over a map's tokens."""
    if x.layout != "tokens":
        return None
    return CrossCovarianceAttention(name, heads=int(m.num_heads), qkv_bias=m.qkv.bias is not None)


def _groupnorm(m, name, x, importer):
    return GroupNorm(name, groups=m.num_groups, affine=m.affine)


def _linear(m, name, x, importer):
    if x.layout in ("nhwc", "tokens"):
        return ChannelLinear(name, features=m.out_features, bias=m.bias is not None, in_features=m.in_features)
    if x.layout == "vec":
        return Linear(name, features=m.out_features, bias=m.bias is not None, in_features=m.in_features)
    return None  # over the width of a channels-first map


def _flatten(m, name, x, importer):
    if x.layout == "vec":
        return Identity(name)
    if x.layout == "nchw" and m.start_dim == 1 and m.end_dim in (-1, 1 + importer.shape.rank):
        return Flatten(name)
    return None


def _upsample(m, name, x, importer):
    if m.size is not None:
        return Upsample(name, size=_ints(m.size), mode=str(m.mode))
    return Upsample(name, scale=_floats(m.scale_factor), mode=str(m.mode))


def _pad(m, name, x, importer):
    rank = importer.shape.rank
    pad = list(m.padding) if isinstance(m.padding, (list, tuple)) else [m.padding] * 2 * rank
    if len(pad) != 2 * rank or any(v < 0 for v in pad):
        return None
    mode = {"ZeroPad": "constant", "Constant": "constant", "Reflection": "reflect", "Replication": "replicate",
            "Circular": "circular"}
    kind = next(v for k, v in mode.items() if type(m).__name__.startswith(k))
    before, after = torch_pad(pad, rank)
    return Pad(name, before=before, after=after, mode=kind)


def _timm_swin(m):
    """How timm's Swin block or patch merging (traced as one call) is made of symcnn layers; None for
    any other module."""
    if type(m).__module__ == "torchvision.models.maxvit" and type(m).__name__ == "PartitionAttentionLayer":
        return _maxvit_attention
    if not type(m).__module__.startswith("timm.models.swin_transformer"):
        return None
    return {"SwinTransformerBlock": _swin_block, "PatchMerging": _swin_merging}.get(type(m).__name__)


def _maxvit_attention(m, name: str, x: str, c: int):
    """torchvision's MaxViT block or grid attention, channels first: ``x + attn(norm(x))`` over groups
    of P^2 positions (the partitions and swaps move positions only), then ``+ mlp(norm(.))``."""
    attn, mlp = m.attn_layer, m.mlp_layer
    a = attn[1]
    size = a.relative_position_bias_table.shape[0]
    window = int(round(size ** 0.5) + 1) // 2
    kinds = [type(v).__name__ for v in (*attn, *mlp)]
    if kinds != ["LayerNorm", "RelativePositionalMultiHeadAttention", "Dropout", "LayerNorm", "Linear", "GELU",
                 "Linear", "Dropout"] or (2 * window - 1) ** 2 != size or a.to_qkv.out_features != 3 * c or \
            len(set(m.grid_size)) != 1:
        return None
    hidden = mlp[1].out_features
    return [
        (LayerNorm(f"{name}.attn_layer.0", inputs=(x,), origin="nn.LayerNorm"), attn[0], c),
        (WindowAttention(f"{name}.attn_layer.1", inputs=(f"{name}.attn_layer.0",), window_size=window,
                         heads=a.n_heads, bias=a.to_qkv.bias is not None, grid=m.partition_type == "grid",
                         map_size=m.grid_size[0], origin=f"{type(a).__module__}.{type(a).__name__}"), a, c),
        (Add(f"{name}.add", inputs=(x, f"{name}.attn_layer.1"), origin="operator.add()"), None, c),
        (LayerNorm(f"{name}.mlp_layer.0", inputs=(f"{name}.add",), origin="nn.LayerNorm"), mlp[0], c),
        (ChannelLinear(f"{name}.mlp_layer.1", inputs=(f"{name}.mlp_layer.0",), features=hidden, in_features=c,
                       bias=mlp[1].bias is not None, origin="nn.Linear"), mlp[1], hidden),
        (GELU(f"{name}.mlp_layer.2", inputs=(f"{name}.mlp_layer.1",), origin="nn.GELU"), None, hidden),
        (ChannelLinear(f"{name}.mlp_layer.3", inputs=(f"{name}.mlp_layer.2",), features=mlp[3].out_features,
                       in_features=hidden, bias=mlp[3].bias is not None, origin="nn.Linear"), mlp[3], c),
        (Add(f"{name}.add@2", inputs=(f"{name}.add", f"{name}.mlp_layer.3"), origin="operator.add()"), None, c),
    ]


def _swin_block(m, name: str, x: str, c: int):
    """``x + attn(norm1(x))``, then ``+ mlp(norm2(.))``: the windows' padding and shifting derived."""
    a, mlp = m.attn, m.mlp
    m_size, heads = a.window_size[0] if isinstance(a.window_size, (tuple, list)) else a.window_size, a.num_heads
    shift = m.shift_size[0] if isinstance(m.shift_size, (tuple, list)) else m.shift_size
    biases = {a.qkv.bias is not None, a.proj.bias is not None}
    if len(biases) != 1 or tuple(a.relative_position_bias_table.shape) != ((2 * m_size - 1) ** 2, heads) or \
            (a.qkv.in_features, a.qkv.out_features) != (c, 3 * c) or type(mlp.norm).__name__ != "Identity" or \
            type(mlp.act).__name__ != "GELU" or any(type(n).__name__ != "LayerNorm" for n in (m.norm1, m.norm2)):
        return None
    hidden = mlp.fc1.out_features
    layers = [
        (LayerNorm(f"{name}.norm1", inputs=(x,), origin="nn.LayerNorm"), m.norm1, c),
        (WindowAttention(f"{name}.attn", inputs=(f"{name}.norm1",), window_size=m_size, heads=heads, shift=shift,
                         bias=biases.pop(), origin=f"{type(a).__module__}.{type(a).__name__}"), a, c),
        (Add(f"{name}.add", inputs=(x, f"{name}.attn"), origin="operator.add()"), None, c),
        (LayerNorm(f"{name}.norm2", inputs=(f"{name}.add",), origin="nn.LayerNorm"), m.norm2, c),
        (ChannelLinear(f"{name}.mlp.fc1", inputs=(f"{name}.norm2",), features=hidden, bias=mlp.fc1.bias is not None,
                       in_features=c, origin="nn.Linear"), mlp.fc1, hidden),
        (GELU(f"{name}.mlp.act", inputs=(f"{name}.mlp.fc1",), origin="nn.GELU"), None, hidden),
        (ChannelLinear(f"{name}.mlp.fc2", inputs=(f"{name}.mlp.act",), features=mlp.fc2.out_features,
                       bias=mlp.fc2.bias is not None, in_features=hidden, origin="nn.Linear"), mlp.fc2, c),
        (Add(f"{name}.add@2", inputs=(f"{name}.add", f"{name}.mlp.fc2"), origin="operator.add()"), None, c),
    ]
    return layers if mlp.fc2.out_features == c else None


def _swin_merging(m, name: str, x: str, c: int):
    """2 x 2 neighbours side by side (4C channels), a layer norm over them, a linear layer to 2C."""
    if type(m.norm).__name__ != "LayerNorm" or m.reduction.in_features != 4 * c:
        return None
    out = m.reduction.out_features
    return [
        (PatchMerge(name, inputs=(x,), origin=f"{type(m).__module__}.{type(m).__name__}"), None, 4 * c),
        (LayerNorm(f"{name}.norm", inputs=(name,), origin="nn.LayerNorm"), m.norm, 4 * c),
        (ChannelLinear(f"{name}.reduction", inputs=(f"{name}.norm",), features=out, in_features=4 * c,
                       bias=m.reduction.bias is not None, origin="nn.Linear"), m.reduction, out),
    ]


def _attention(m, name, x, importer):
    """``nn.MultiheadAttention`` called as self-attention on batch-first tokens, its projections one
    C x C block each with biases (or none), nothing added (``add_bias_kv``, ``add_zero_attn``)."""
    biases = [b is not None for b in (m.in_proj_bias, m.out_proj.bias)]
    if not importer._tokens(x) or not m.batch_first or not m._qkv_same_embed_dim or m.bias_k is not None or \
            m.add_zero_attn or len(set(biases)) != 1 or m.embed_dim != importer.channels(x):
        return None
    return SelfAttention(name, heads=m.num_heads, bias=biases[0])


def _timm_attention(m) -> bool:
    """timm's ``Attention`` (ViT, DeiT): a qkv projection, the attention, an output projection (other
    models' classes of that name, PVT-v2's with ``q`` and ``kv``, are not this one)."""
    import torch

    return type(m).__name__ == "Attention" and type(m).__module__.startswith("timm.") and \
        all(isinstance(getattr(m, k, None), torch.nn.Linear) for k in ("qkv", "proj"))


def _timm_self_attention(m, name, x, importer):
    if not _timm_attention(m) or not importer._tokens(x):
        return None
    c = importer.channels(x)
    children = dict(m.named_children())
    same = {k: type(v).__name__ for k, v in children.items() if k not in ("qkv", "proj")}
    biases = {m.qkv.bias is not None, m.proj.bias is not None}
    if (m.qkv.in_features, m.qkv.out_features, m.proj.in_features, m.proj.out_features) != (c, 3 * c, c, c) or \
            any(kind not in ("Identity", "Dropout") for kind in same.values()) or len(biases) != 1 or \
            getattr(m, "gate", None) is not None or list(m.parameters(recurse=False)):
        return None
    return SelfAttention(name, heads=m.num_heads, bias=biases.pop())


def _activation(cls):
    return lambda m, name, x, importer: cls(name)


def _dropout(m, name, x, importer):
    """A dropout of probability 0 (timm's default) is an identity: it drops nothing and saves no mask."""
    return Identity(name) if getattr(m, "p", None) == 0 else Dropout(name)


def _softmax(m, name, x, importer):
    if m.dim not in (1, -1) or (m.dim == -1 and x.layout == "nchw" and importer.shape.rank):
        return Elementwise(name, op="softmax")
    return Softmax(name)


_MODULES: dict[str, Callable] = {
    "Conv1d": _conv(Conv1d), "Conv2d": _conv(Conv2d), "Conv3d": _conv(Conv3d),
    "ConvTranspose1d": _deconv(ConvTranspose1d), "ConvTranspose2d": _deconv(ConvTranspose2d),
    "ConvTranspose3d": _deconv(ConvTranspose3d),
    "MaxPool1d": _maxpool(MaxPool1d), "MaxPool2d": _maxpool(MaxPool2d), "MaxPool3d": _maxpool(MaxPool3d),
    "AvgPool1d": _avgpool(AvgPool1d), "AvgPool2d": _avgpool(AvgPool2d), "AvgPool3d": _avgpool(AvgPool3d),
    "AdaptiveAvgPool1d": _adaptive(AdaptiveAvgPool), "AdaptiveAvgPool2d": _adaptive(AdaptiveAvgPool),
    "AdaptiveAvgPool3d": _adaptive(AdaptiveAvgPool), "AdaptiveMaxPool1d": _adaptive(AdaptiveMaxPool),
    "AdaptiveMaxPool2d": _adaptive(AdaptiveMaxPool), "AdaptiveMaxPool3d": _adaptive(AdaptiveMaxPool),
    "BatchNorm1d": _batchnorm, "BatchNorm2d": _batchnorm, "BatchNorm3d": _batchnorm,
    "LayerNorm": _layernorm, "GroupNorm": _groupnorm, "GlobalResponseNorm": _grn,
    "CrossCovarianceAttn": _xca, "LocalResponseNorm": _activation(LRN),
    "Linear": _linear, "Flatten": _flatten, "Softmax": _softmax,
    "Upsample": _upsample, "UpsamplingNearest2d": _upsample, "UpsamplingBilinear2d": _upsample,
    "ZeroPad1d": _pad, "ZeroPad2d": _pad, "ZeroPad3d": _pad, "ConstantPad1d": _pad, "ConstantPad2d": _pad,
    "ConstantPad3d": _pad, "ReflectionPad1d": _pad, "ReflectionPad2d": _pad, "ReflectionPad3d": _pad,
    "ReplicationPad1d": _pad, "ReplicationPad2d": _pad, "ReplicationPad3d": _pad, "CircularPad1d": _pad,
    "CircularPad2d": _pad, "CircularPad3d": _pad,
    "PixelShuffle": lambda m, name, x, i: PixelShuffle(name, factor=m.upscale_factor),
    "PixelUnshuffle": lambda m, name, x, i: PixelUnshuffle(name, factor=m.downscale_factor),
    "ChannelShuffle": lambda m, name, x, i: ChannelShuffle(name, groups=m.groups),
    "StochasticDepth": lambda m, name, x, i: Identity(name) if m.p == 0 else DropPath(name),
    "MultiheadAttention": _attention, "Attention": _timm_self_attention,
    "Conv2dSame": _same(_conv(Conv2d)), "StdConv2dSame": _same(_conv(Conv2d)),
    "MaxPool2dSame": _same(_maxpool(MaxPool2d)),
    "AvgPool2dSame": _same(_avgpool(AvgPool2d)),
    **{k: _activation(v) for k, v in _ACTIVATIONS.items()},
    **{k: (lambda op: lambda m, name, x, i: Elementwise(name, op=op))(k.lower()) for k in _ELEMENTWISE_MODULES},
    **dict.fromkeys(_DROPOUTS, _dropout),
}


__all__ = ["from_torch", "from_callable", "ModelImportError"]
