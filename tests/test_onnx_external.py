"""ONNX files are data: their external tensor data is read from the model's own folder, whatever
the working folder, and never from outside it.

A model keeps large tensors in files it names (``location``). The onnx package opens that name
relative to the working folder, so a model sent to someone could turn the bytes of a file beside
where they run symcnn (``notes.txt``, ``.aws/credentials``) into a printed output size. Each
malicious model here names a secret; symcnn runs from another folder and the secret's bytes must
be in no output and no written file, with one line and exit status 2. A model as PyTorch's
exporters write it (the default, dynamo, writes its weights to ``NAME.onnx.data``) imports from
any folder, to PyTorch's own parameter count.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from conftest import require

onnx = require("onnx")
np = require("numpy")

ROOT = Path(__file__).resolve().parents[1]
SECRET = b"AKIA-SECRET-0123456789abcdef-DO-NOT-SHOW"[:32]  # 32 bytes: four int64 sizes for a Resize


def _symcnn(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYMCNN_")}
    env.update(PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", "symcnn", *args], cwd=cwd, env=env, capture_output=True,
                          timeout=300)


def _resize_model(external: dict[str, str]):
    """A Resize whose output sizes (four int64) are an initializer kept in an external file: the
    bytes read become the printed output size."""
    from onnx import TensorProto, helper

    sizes = TensorProto(name="sizes", data_type=TensorProto.INT64, dims=[4], data_location=TensorProto.EXTERNAL)
    for key, value in external.items():
        entry = sizes.external_data.add()
        entry.key, entry.value = key, value
    node = helper.make_node("Resize", ["x", "", "", "sizes"], ["y"], name="resize", mode="nearest")
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], [sizes])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


def _layout(tmp_path: Path):
    """``home/`` (where the user runs symcnn, holding the secret in ``notes.txt`` and in a dot
    folder), ``mail/`` (where the model was saved), ``elsewhere/`` (another working folder)."""
    home, mail, elsewhere = tmp_path / "home", tmp_path / "home" / "mail", tmp_path / "elsewhere"
    for folder in (home, mail, elsewhere, home / ".aws"):
        folder.mkdir(parents=True, exist_ok=True)
    (home / "notes.txt").write_bytes(SECRET)
    (home / ".aws" / "credentials").write_bytes(SECRET)
    return home, mail, elsewhere


MALICIOUS = {
    "relative-to-the-working-folder": ({"location": "notes.txt"}, None),
    "dot-folder-of-the-working-folder": ({"location": ".aws/credentials"}, None),
    "parent-folder": ({"location": "../notes.txt"}, None),
    "absolute": ({"location": "{home}/notes.txt"}, None),
    "symlink-out-of-the-folder": ({"location": "link.bin"}, "link"),
    "fifo": ({"location": "pipe.bin"}, "fifo"),
    "folder": ({"location": "sub"}, "folder"),
    "longer-than-the-tensor": ({"location": "big.bin"}, "big"),
    "shorter-than-the-tensor": ({"location": "small.bin"}, "small"),
    "length-not-the-tensors": ({"location": "big.bin", "length": "40"}, "big"),
    "offset-past-the-end": ({"location": "big.bin", "offset": "100000"}, "big"),
    "empty-location": ({"location": ""}, None),
    # a model saved in a home folder: its own folder holds .aws/ and dot files
    "dot-folder-of-the-models-folder": ({"location": ".aws/credentials"}, "dot"),
    "dot-file-of-the-models-folder": ({"location": "sub/.env"}, "dot"),
}


@pytest.mark.parametrize("case", list(MALICIOUS))
def test_external_data_outside_the_model_folder_is_refused(case, tmp_path):
    home, mail, elsewhere = _layout(tmp_path)
    external, extra = MALICIOUS[case]
    external = {k: v.replace("{home}", str(home)) for k, v in external.items()}
    if extra == "link":
        (mail / "link.bin").symlink_to(home / "notes.txt")
    elif extra == "fifo":
        os.mkfifo(mail / "pipe.bin")
    elif extra == "folder":
        (mail / "sub").mkdir()
    elif extra == "big":
        (mail / "big.bin").write_bytes(SECRET + b"12345678")
    elif extra == "small":
        (mail / "small.bin").write_bytes(SECRET[:16])
    elif extra == "dot":  # as many bytes as the tensor holds: only the dot refuses it
        for hidden in (mail / ".aws" / "credentials", mail / "sub" / ".env"):
            hidden.parent.mkdir(exist_ok=True)
            hidden.write_bytes(SECRET)
    onnx.save(_resize_model(external), mail / "m.onnx")
    # run where the secret lies (the model was saved in mail/), and once more from elsewhere
    # (every command for the first two cases; summary for the others: each run imports onnx)
    runs = [("summary", "mail/m.onnx"), ("import", "mail/m.onnx", "--out", "out.yaml"),
            ("report", "mail/m.onnx", "--format", "md", "--out", "rep")]
    runs = [(home, r) for r in runs] + [(elsewhere, ("summary", str(mail / "m.onnx"), "--json"))]
    for cwd, args in runs if case in list(MALICIOUS)[:2] else runs[:1]:
        done = _symcnn(*args, cwd=cwd)
        assert done.returncode == 2, (case, args, done.stderr[-2000:])
        lines = done.stderr.decode().splitlines()
        assert len(lines) == 1 and lines[0].startswith("symcnn: error: ") and "Traceback" not in lines[0], lines
        assert SECRET[:8] not in done.stdout + done.stderr
        # nor the bytes as the sizes they would have made (little-endian int64s)
        sizes = np.frombuffer(SECRET, dtype="<i8")
        assert not any(str(int(v)).encode() in done.stdout + done.stderr for v in sizes)
        assert not (cwd / "out.yaml").exists() and not (cwd / "rep").exists()


def _exports(tmp: Path):
    """A small model as both of PyTorch's exporters write it, with its weights in external files:
    the default (dynamo) writes NAME.onnx.data itself; the TorchScript one's file is saved again
    with every tensor outside (onnx's own save_as_external_data)."""
    torch = require("torch")
    require("onnxscript")
    nn = torch.nn
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(1),
                          nn.Linear(8, 10)).eval()
    with warnings.catch_warnings(), open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        warnings.simplefilter("ignore")
        torch.onnx.export(model, torch.zeros(1, 3, 16, 16), str(tmp / "dynamo.onnx"))
        f = io.BytesIO()
        torch.onnx.export(model, torch.zeros(1, 3, 16, 16), f, dynamo=False)
    onnx.save_model(onnx.load_from_string(f.getvalue()), tmp / "torchscript.onnx", save_as_external_data=True,
                    all_tensors_to_one_file=True, location="torchscript.weights", size_threshold=0)
    return sum(p.numel() for p in model.parameters())


def test_models_with_external_data_import_from_any_folder(tmp_path):
    models, elsewhere = tmp_path / "models", tmp_path / "elsewhere"
    models.mkdir()
    elsewhere.mkdir()
    params = _exports(models)
    assert (models / "dynamo.onnx.data").is_file() and (models / "torchscript.weights").is_file()
    # by hand: conv 3*3*3*8 + 8 = 224, linear 8*10 + 10 = 90
    assert params == 224 + 90
    for name in ("dynamo.onnx", "torchscript.onnx"):
        for cwd, model in ((elsewhere, str(models / name)), (tmp_path, f"models/{name}"), (models, name)):
            done = _symcnn("summary", model, "--json", cwd=cwd)
            assert done.returncode == 0, (name, cwd, done.stderr[-2000:])
            import json

            assert json.loads(done.stdout)["total_params"] == params


def test_a_model_in_memory_with_external_data_left_unread_is_refused(tmp_path):
    from symcnn.builders.onnx import from_onnx
    from symcnn.errors import SpecError

    home, mail, _ = _layout(tmp_path)
    with contextlib.chdir(home), pytest.raises(SpecError) as e:
        from_onnx(_resize_model({"location": "notes.txt"}))
    assert "onnx.load" in str(e.value) and SECRET[:8].decode() not in str(e.value)


def test_a_tensor_of_the_wrong_size_is_one_line(tmp_path):
    from onnx import TensorProto, helper

    # 12 bytes, not the 4*3*3*3*4 = 432 the dimensions make (made by hand: onnx's helper checks)
    weight = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[4, 3, 3, 3], raw_data=b"\0" * 12)
    node = helper.make_node("Conv", ["x", "w"], ["y"], name="conv")
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], [weight])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), tmp_path / "m.onnx")
    done = _symcnn("summary", "m.onnx", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.decode().count("\n") == 1 and b"tensor 'w'" in done.stderr


def test_names_with_control_characters_are_escaped_on_import_and_said(tmp_path):
    from onnx import TensorProto, helper

    nodes = [helper.make_node("Relu", ["x"], ["y"], name="a\nb"),
             helper.make_node("Relu", ["y"], ["z"], name="c\u2028d")]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
                              [helper.make_tensor_value_info("z", TensorProto.FLOAT, None)])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), tmp_path / "m.onnx")
    done = _symcnn("import", "m.onnx", "--out", "m.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert b"written with escapes" in done.stderr  # said, not silent
    from symcnn.builders.spec import load_spec

    net = load_spec(tmp_path / "m.yaml")  # a spec that reloads: the names are printable
    assert [layer.name for layer in net.layers] == ["a\\nb", "c\\u2028d"]
