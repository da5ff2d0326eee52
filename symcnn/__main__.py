"""``python -m symcnn`` and the ``symcnn`` script: the command line of :mod:`symcnn.commands`."""

import os
import sys

from symcnn.commands import cli, main

__all__ = ["cli", "main"]

if __name__ == "__main__":
    # ``python -m`` puts the working folder first on sys.path (the script does not): a yaml.py or
    # torch.py lying there must not be imported instead of the package (``python -P`` does the same);
    # a model named as module:callable is still looked for there, after the installed packages
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    main()
