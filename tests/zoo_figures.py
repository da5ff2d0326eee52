"""The zoo's parameter totals, from their sources (no torch needed to import this).

torchvision's figures are the ``num_params`` in each weights enum's meta (e.g.
``ResNet18_Weights.IMAGENET1K_V1.meta["num_params"]``). LeNet-5's is the usual modern
reading of LeCun et al. (1998), Sec. II-B: the paper's own C3 is only partly connected,
its S2/S4 have trainable coefficients and its output is an RBF layer, which this count
leaves out. "alexnet" is the source article's total for its 227x227 AlexNet;
"alexnet-paper" is that network with the original paper's two-GPU grouping (groups=2 on
conv2, conv4, conv5), which halves those layers' weights:
62,378,344 - (614,400 + 1,327,104 + 884,736)/2 = 62,378,344 - 1,413,120 = 60,965,224.
"""

EXPECTED_PARAMS = {
    "lenet5": 61_706,
    "alexnet": 62_378_344,
    "alexnet-paper": 60_965_224,
    "alexnet-torchvision": 61_100_840,
    "vgg16": 138_357_544,
    "vgg16-bn": 138_365_992,
    "resnet18": 11_689_512,
    "resnet50": 25_557_032,
    "mobilenet-v2": 3_504_872,
}

assert EXPECTED_PARAMS["alexnet-paper"] == 62_378_344 - (614_400 + 1_327_104 + 884_736) // 2
