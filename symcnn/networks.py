"""Built-in networks, by name."""

from __future__ import annotations

from typing import Callable

from .errors import UnknownNameError
from .layers import Conv2d, Linear, MaxPool2d
from .network import Network


def alexnet() -> Network:
    """The article's AlexNet: 227x227x3, five conv layers, three max pools, three FC layers."""
    return Network(
        "alexnet",
        "227x227x3",
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
        description="AlexNet as the source article derives it (227x227x3 input, no groups)",
    )


BUILTIN: dict[str, Callable[[], Network]] = {"alexnet": alexnet}


def load(name: str) -> Network:
    """A built-in network by name.

    >>> load("alexnet").derive().total_params
    62378344
    """
    if isinstance(name, Network):
        return name
    try:
        return BUILTIN[name]()
    except KeyError:
        raise UnknownNameError(
            f"unknown network {name!r}; built-in: {', '.join(BUILTIN)}", where="network", rule="network name"
        ) from None


__all__ = ["BUILTIN", "load", "alexnet"]
