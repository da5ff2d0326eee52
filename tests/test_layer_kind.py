"""A layer kind added in one place: the class, which registers its spec-file kind itself.

The class below is defined here, as a new kind would be in ``symcnn/layers.py`` (or a module of
its own); with it alone the spec reader, the spec writer, ``derive``, the summary, the closed
forms and the facade know it. A real kind also touches ``symcnn/formulas.py`` (its formulas,
where it has new ones), ``symcnn/views/strings.py`` (their words; English and the formula's own
``meaning`` stand in until a language has them) and ``docs/specs.md`` (its row in the spec file
reference, which tests/test_docs.py checks): four files (docs/building.md says so).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pytest
from sympy import Integer

import symcnn
from symcnn.analysis import analyse
from symcnn.builders.spec import loads
from symcnn.builders.specwriter import dumps
from symcnn.formulas import formula
from symcnn.layers import LAYER_TYPES, Layer
from symcnn.records import LayerDerivation
from symcnn.shape import Shape
from symcnn.steps import make_step
from symcnn.symbols import C, I, W_s


@pytest.fixture
def channel_bias():
    """A learned bias per channel (C parameters, the same shape), registered for one test only."""

    @dataclass(frozen=True, kw_only=True)
    class ChannelBias(Layer, kinds=("channel_bias",)):
        learned: bool = True
        type: ClassVar[str] = "bias"

        def __post_init__(self) -> None:
            super().__post_init__()
            self._flag("learned")

        def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
            shape = self._one_input(inputs)
            if not self.learned:
                return LayerDerivation(self, inputs, shape, rounding=rounding)
            step = make_step(W_s, formula("scale-params", rounding), {C: shape.channels}, where=self.name)
            return LayerDerivation(self, inputs, shape, (step,), biases=step.value, rounding=rounding)

    try:
        yield ChannelBias
    finally:
        del LAYER_TYPES["channel_bias"]


SPEC = """name: biased
input: 8x8x3
rounding: floor
layers:
  - {name: conv, kind: conv, channels: 16, kernel: 3, padding: 1}
  - {name: bias, kind: channel_bias}
"""


def test_a_kind_defined_elsewhere_is_read_derived_written_and_public(channel_bias, tmp_path, run_cli):
    net = loads(SPEC)
    assert type(net["bias"]) is channel_bias and symcnn.ChannelBias is channel_bias
    d = net.derive()
    # conv: 3*3*3*16 + 16 = 448 parameters at 8x8x16; the bias: 16, one per channel; 464 in all
    assert str(d["bias"].output) == "8x8x16"
    assert (d["conv"].params, d["bias"].params, d.total_params) == (448, 16, 464)
    # the spec writer writes it by its kind, and reads back the same network
    assert "kind: channel_bias" in dumps(net) and loads(dumps(net)) == net
    # closed forms: padding 1 keeps I; its parameters do not depend on the input
    a = analyse(net, "floor")
    assert a["bias"].output.spatial == (I, I) and a["bias"].params == Integer(16)
    path = tmp_path / "biased.yaml"
    path.write_text(SPEC, encoding="utf-8")
    status, out, err = run_cli("summary", str(path))
    assert status == 0 and err == "" and out.rstrip().endswith("total params  464")


def test_its_fields_are_checked_as_any_kind_s(channel_bias, run_cli, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(SPEC.replace("kind: channel_bias}", "kind: channel_bias, learned: 3}"), encoding="utf-8")
    status, out, err = run_cli("summary", str(path))
    assert status == 2 and out == ""
    assert err.strip().endswith("learned must be true or false, got 3") and len(err.strip().splitlines()) == 1
