"""``python -m symcnn`` and the ``symcnn`` script: the command line of :mod:`symcnn.commands`."""

from symcnn.commands import cli, main

__all__ = ["cli", "main"]

if __name__ == "__main__":
    main()
