"""``python -m symcnn`` and the ``symcnn`` script: the command line of :mod:`symcnn.commands`."""

import os
import sys

if __name__ == "__main__":
    # ``python -m`` puts the working folder first on sys.path (the script does not): a yaml.py,
    # argparse.py or torch.py lying there must not be imported instead of the module (``python -P``
    # does the same), so it goes before symcnn.commands imports anything; a model named as
    # module:callable is still looked for there, after the installed packages
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]

from symcnn.commands import cli, main  # noqa: E402

__all__ = ["cli", "main"]

if __name__ == "__main__":
    main()
