"""Writes examples/model.onnx, the small ONNX model the command line's help imports (needs onnx):

    python examples/make_model_onnx.py

A 3x3 convolution of 8 kernels, a ReLU and a 2x2 max pooling, over a 32x32x3 input (another
size with ``--input``: ``symcnn import examples/model.onnx --input 320x320x3``). Its weights are
zeros: symcnn reads only the shapes.
"""

from pathlib import Path

import numpy as np
from onnx import TensorProto, checker, helper, numpy_helper, save


def model():
    weights = numpy_helper.from_array(np.zeros((8, 3, 3, 3), dtype=np.float32), "conv.weight")
    bias = numpy_helper.from_array(np.zeros(8, dtype=np.float32), "conv.bias")
    nodes = [
        helper.make_node("Conv", ["x", "conv.weight", "conv.bias"], ["c"], name="conv", kernel_shape=[3, 3],
                         pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("MaxPool", ["r"], ["y"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
    ]
    graph = helper.make_graph(
        nodes, "model",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 32, 32])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 8, None, None])],
        [weights, bias],
    )
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="symcnn examples")
    m.ir_version = 8
    checker.check_model(m)
    return m


if __name__ == "__main__":
    save(model(), str(Path(__file__).with_name("model.onnx")))
