r"""``--network auto``: the built-in network a document derives, from the names it writes.

The document's names of networks are counted (``VGG-16``, ``vgg16``, ``AlexNet``,
``LeNet-5``, ``ResNet-18`` ...); the built-in named most is chosen where it is named at
least twice and at least twice as often as any other network (a post comparing VGG-16 with
ResNet-50 is about neither alone). A family name without its depth (``ResNet``, ``VGG``)
counts for the one network of that family the document names, if it names one.

>>> choose("VGG-16 has 13 convolutions. VGG16's conv1_1 gives 224x224x64.")
('vgg16', 'named 2 times')
>>> choose("AlexNet and VGG-16 compared: AlexNet is older, VGG16 deeper.")[0] is None
True
"""

from __future__ import annotations

import re

#: names of networks as people write them (depth or version included), the built-in each is
_NAMES = re.compile(
    r"(?<![A-Za-z0-9])(?P<name>AlexNet|LeNet(?:[- ]?\d{1,2})?|VGG(?:Net)?(?:[- ]?\d{1,2})?(?:[- _]?BN)?"
    r"|ResNet(?:[- ]?\d{1,3})?|MobileNet(?:[- ]?V\d)?|GoogLeNet|Inception(?:[- ]?v\d)?|ZFNet|DenseNet(?:[- ]?\d{1,3})?"
    r"|EfficientNet(?:[- ]?B\d)?|SqueezeNet|ShuffleNet|ConvNeXt|Xception)(?![A-Za-z0-9])", re.I)
#: a name, without separators and in lower case, to the built-in it is
_BUILTIN = {"alexnet": "alexnet", "lenet": "lenet5", "lenet5": "lenet5", "vgg16": "vgg16", "vggnet16": "vgg16",
            "vgg16bn": "vgg16-bn", "resnet18": "resnet18", "resnet50": "resnet50", "mobilenetv2": "mobilenet-v2"}
#: names of a family without its depth, and how its members' names begin
_FAMILIES = {"vgg": "vgg", "vggnet": "vgg", "resnet": "resnet", "mobilenet": "mobilenet", "densenet": "densenet"}
#: the least times the chosen network is named, and how many times as often as any other
_LEAST, _AHEAD = 2, 2
#: at most this many names are counted (a bounded loop over a document's text)
_MOST = 10_000


def choose(text: str) -> tuple[str | None, str]:
    """The built-in network the text names most, and why (or None, and why not)."""
    counts: dict[str, int] = {}
    for k, m in enumerate(_NAMES.finditer(text)):
        if k >= _MOST:
            break
        key = re.sub(r"[^a-z0-9]", "", m.group("name").lower())
        counts[key] = counts.get(key, 0) + 1
    by_builtin: dict[str, int] = {}
    for key, n in counts.items():
        if key in _FAMILIES:
            continue
        name = _BUILTIN.get(key, key)
        by_builtin[name] = by_builtin.get(name, 0) + n
    for family, n in ((k, v) for k, v in counts.items() if k in _FAMILIES):
        members = [name for name in by_builtin if name.startswith(_FAMILIES[family])]
        if len(members) == 1:  # "VGG" where VGG-16 is the only VGG named
            by_builtin[members[0]] += n
    ranked = sorted(by_builtin.items(), key=lambda item: -item[1])
    if not ranked:
        return None, "the document names no network"
    (top, n), rest = ranked[0], ranked[1:]
    shown = ", ".join(f"{name} {k}" for name, k in ranked[:4])
    if top not in _BUILTIN.values():
        return None, f"the network it names most is not built in ({shown})"
    if n < _LEAST or (rest and n < _AHEAD * rest[0][1]):
        return None, f"no one network named clearly most ({shown})"
    return top, f"named {n} times"


__all__ = ["choose"]
