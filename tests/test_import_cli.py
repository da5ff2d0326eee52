"""The command line with imported models: ``symcnn import`` writes a spec that reloads without torch
to the same numbers; ``NET`` takes ``path.onnx`` and ``package.module:callable``."""

import io
import json
import subprocess
import sys
import warnings

from conftest import ROOT, require

torch = require("torch")
require("torchvision")
onnx = require("onnx")

tvm = require("torchvision.models")

from symcnn.builders.torch import from_torch  # noqa: E402

# Loads a spec and prints its derivation at two sizes as JSON, with torch and onnx made unimportable.
WITHOUT_TORCH = """
import json, sys
sys.modules["torch"] = None
sys.modules["onnx"] = None
from symcnn.builders.spec import load_spec
net = load_spec(sys.argv[1])
print(json.dumps([net.derive().to_json(), net.derive("192x160x3").to_json(), "torch" in sys.modules and
                  sys.modules["torch"] is not None]))
"""


def test_import_writes_a_spec_that_reloads_without_torch(run_cli, tmp_path):
    out = tmp_path / "r.yaml"
    status, stdout, stderr = run_cli("import", "torchvision.models:resnet18", "--out", str(out))
    assert status == 0 and stdout == f"wrote {out}\n" and "resnet18: 69 layers" in stderr
    done = subprocess.run([sys.executable, "-c", WITHOUT_TORCH, str(out)], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    at_import, at_other, torch_loaded = json.loads(done.stdout)
    assert torch_loaded is False
    imported = from_torch(tvm.resnet18(), "224x224x3")
    expected = imported.derive().to_json()
    assert at_import["layers"] == expected["layers"] and at_import["total_params"] == expected["total_params"]
    assert at_import["total_params"] == sum(p.numel() for p in tvm.resnet18().parameters())
    assert at_other["layers"] == imported.derive("192x160x3").to_json()["layers"]


def test_net_takes_a_callable_and_an_onnx_file(run_cli, tmp_path):
    status, stdout, _ = run_cli("summary", "torchvision.models:squeezenet1_1", "--json")
    assert status == 0
    from_callable = json.loads(stdout)
    model = tvm.squeezenet1_1().eval()
    assert from_callable["total_params"] == sum(p.numel() for p in model.parameters())
    path = tmp_path / "squeezenet.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = io.BytesIO()
        torch.onnx.export(model, torch.zeros(1, 3, 224, 224), f, dynamo=False, do_constant_folding=False)
    path.write_bytes(f.getvalue())
    status, stdout, _ = run_cli("summary", str(path), "--json")
    assert status == 0
    from_file = json.loads(stdout)
    assert from_file["total_params"] == from_callable["total_params"]
    assert from_file["layers"][-1]["output"] == from_callable["layers"][-1]["output"] == [1000]


def test_bad_sources_are_one_line(run_cli, tmp_path):
    status, _, stderr = run_cli("import", "no_such_package.models:net")
    assert status == 2 and stderr.startswith("symcnn: error: no_such_package.models:net: cannot import") \
        and stderr.count("\n") == 1
    status, _, stderr = run_cli("import", "torchvision.models:no_such_model")
    assert status == 2 and "torchvision.models has no no_such_model" in stderr
    # torchvision's models are in torchvision.models (resnet18 among them), not in the package itself
    assert hasattr(tvm, "resnet18") and not hasattr(__import__("torchvision"), "resnet18")
    status, _, stderr = run_cli("summary", "torchvision:resnet18")
    assert status == 2 and stderr.count("\n") == 1
    assert "torchvision has no resnet18; torchvision.models has it: give torchvision.models:resnet18" in stderr
    status, _, stderr = run_cli("summary", str(tmp_path / "missing.onnx"))
    assert status == 2 and "cannot read the ONNX model: No such file or directory" in stderr
