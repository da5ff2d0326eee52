"""A small PyTorch model for the command line to import (needs torch):

    symcnn summary examples/mynet.py:Net
    symcnn derive examples/mynet.py:Net --input 64x64x3

A stride-2 convolution, upsampled back and concatenated with the finer map (as U-Net does):
the two are equal in size for even inputs only, which ``derive`` says.
"""

import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, kernel_size=3, padding=1)
        self.down = nn.Conv2d(16, 32, kernel_size=3, stride=2, padding=1)
        self.up = nn.Upsample(scale_factor=2)
        self.out = nn.Conv2d(48, 10, kernel_size=1)

    def forward(self, x):
        fine = torch.relu(self.conv1(x))
        coarse = self.up(torch.relu(self.down(fine)))
        return self.out(torch.cat([fine, coarse], dim=1))
