"""``symcnn memory NET``: the memory of a training step in the batch B (and the input size), and the
largest batch that fits a budget."""

from __future__ import annotations

import argparse
import json

from . import options

DTYPES = ("float32", "bfloat16", "float16")
OPTIMIZERS = ("sgd", "momentum", "adam", "adamw")


def add(sub) -> None:
    p = options.command(sub, "memory", "memory of a training step (parameters, gradients, optimiser state, saved "
                                       "activations) in the batch B, inference's peak, the largest batch that fits",
                        "symcnn memory resnet50 --input 224x224x3 --fit 24GiB",
                        "symcnn memory resnet18 --symbolic --optimizer momentum --dtype bfloat16")
    options.network(p)
    options.input(p)
    options.rounding(p)
    options.strict(p)
    p.add_argument("--batch", metavar="B", type=int, default=1, help="the batch size to give figures at (default: 1)")
    p.add_argument("--dtype", choices=DTYPES, default="float32",
                   help="float32, or bfloat16/float16 with float32 master weights (default: float32)")
    p.add_argument("--optimizer", choices=OPTIMIZERS, default="adam",
                   help="sgd (no state), momentum (SGD with momentum), adam, adamw (default: adam)")
    p.add_argument("--fit", metavar="BYTES", help="a budget such as 24GiB or 16GB: the largest batch that fits")
    p.add_argument("--symbolic", action="store_true", help="closed forms in the input size I as well as B")
    options.budget(p)
    options.json_flag(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..analysis.memory import memory, parse_bytes
    from ..views.compute import memory_text

    options.batch(args.batch)
    net = options.load(args)
    if args.symbolic:
        from ..analysis import analyse

        a = analyse(net, args.rounding, "I", args.budget)
        m = memory(a.derivation, args.dtype, args.optimizer)
        if args.fit is not None:
            print(memory_text(m, args.batch))
            print(_largest_input(a, m, args.batch, parse_bytes(args.fit)))
            return 0
    else:
        m = memory(net.derive(None, args.rounding), args.dtype, args.optimizer)
    fit = None
    if args.fit is not None:
        budget = parse_bytes(args.fit)
        fit = (budget, m.largest_batch(budget))
    if args.json:
        data = m.to_json()
        if fit is not None:
            data["fit"] = {"budget": fit[0], "largest_batch": fit[1]}
        print(json.dumps(data, indent=2))
    else:
        print(memory_text(m, args.batch, fit))
    return 0


def _largest_input(a, m, batch: int, budget: int) -> str:
    """The largest square input I whose training step at ``batch`` fits ``budget``, checked at it and the next."""
    from ..analysis.memory import largest_size
    from ..printing import thousands

    found, after = largest_size(a, m, batch, budget)
    step = m.training(batch)
    if found is None:
        return (f"no input fits in {thousands(budget)} bytes at B = {batch}: I = {after} takes "
                f"{thousands(a.at(step, after))}")
    if after is None:
        return f"every input up to I = {found} fits in {thousands(budget)} bytes at B = {batch}"
    return (f"largest input in {thousands(budget)} bytes at B = {batch}: I = {found} "
            f"({thousands(a.at(step, found))} bytes; I = {after} takes {thousands(a.at(step, after))})")
