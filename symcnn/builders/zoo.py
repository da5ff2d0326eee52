"""Built-in networks, by name: the article's AlexNet and the model zoo.

The zoo is a set of spec files shipped in the package (``symcnn/zoo/*.yaml``, see
:mod:`symcnn.spec`); each matches its PyTorch/torchvision model layer by layer.
:func:`symcnn.builders.load.load` also takes the path of a spec file of one's own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..network import Network

#: How ``symcnn list`` describes the article's AlexNet (the zoo's describe themselves).
ALEXNET = ("227x227x3", "AlexNet as the source article derives it (seongkyun.github.io, 2019; "
                        "227x227x3 input, no groups)")


def alexnet() -> Network:
    """The article's AlexNet: 227x227x3, five conv layers, three max pools, three FC layers."""
    from ..layers import Conv2d, Linear, MaxPool2d
    from ..network import Network

    return Network(
        "alexnet",
        ALEXNET[0],
        (
            Conv2d(name="conv1", channels=96, kernel=11, stride=4, padding=0),
            MaxPool2d(name="pool1", kernel=3, stride=2),
            Conv2d(name="conv2", channels=256, kernel=5, stride=1, padding=2),
            MaxPool2d(name="pool2", kernel=3, stride=2),
            Conv2d(name="conv3", channels=384, kernel=3, stride=1, padding=1),
            Conv2d(name="conv4", channels=384, kernel=3, stride=1, padding=1),
            Conv2d(name="conv5", channels=256, kernel=3, stride=1, padding=1),
            MaxPool2d(name="pool3", kernel=3, stride=2),
            Linear(name="fc1", features=4096),
            Linear(name="fc2", features=4096),
            Linear(name="fc3", features=1000),
        ),
        rounding="exact",
        description=ALEXNET[1],
    )


# Beside this file rather than through importlib.resources, which would add its import
# time to every command; wheels install package data as plain files.
ZOO = Path(__file__).parent.parent / "zoo"
SPEC_SUFFIXES = (".yaml", ".yml")


@cache
def zoo(name: str) -> Network:
    """A network of the model zoo by name (read once; networks are frozen values)."""
    from .spec import load_spec

    return load_spec(ZOO / f"{name}.yaml", check=False)


def _zoo_names() -> list[str]:
    return sorted(p.name[: -len(".yaml")] for p in ZOO.iterdir() if p.name.endswith(".yaml"))


BUILTIN: dict[str, Callable[[], Network]] = {"alexnet": alexnet, **{n: partial(zoo, n) for n in _zoo_names()}}


def catalogue() -> list[tuple[str, str, str]]:
    """``(name, input, description)`` of every built-in network, read without building any
    (``symcnn list`` runs without loading sympy)."""
    from .yamlfile import read_yaml

    entries = [("alexnet", *ALEXNET)]
    for name in _zoo_names():
        data = read_yaml(ZOO / f"{name}.yaml").data
        shape = data["input"]
        shape = "x".join(str(d) for d in shape) if isinstance(shape, list) else str(shape)
        entries.append((name, shape, data.get("description", "")))
    return entries


__all__ = ["BUILTIN", "ZOO", "SPEC_SUFFIXES", "alexnet", "zoo", "catalogue"]
