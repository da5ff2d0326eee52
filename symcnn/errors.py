"""The one error family of symcnn.

Every error symcnn raises on purpose is a :class:`SymcnnError`; each subclass also
inherits the built-in exception it is closest to, so ``except ValueError`` keeps
working for callers who do not know symcnn.  The CLI prints ``str(error)`` as one
line on stderr and exits with status 2 (1 is kept for "a check found a mistake").
"""

from __future__ import annotations


class SymcnnError(Exception):
    """Base class of every error symcnn raises on purpose.

    ``where`` names the layer, field or file the error is about; ``rule`` says which
    rule failed.  ``str()`` gives the one line the CLI prints.
    """

    def __init__(self, message: str, *, where: str | None = None, rule: str | None = None):
        self.where = where
        self.rule = rule
        self.message = message
        super().__init__(f"{where}: {message}" if where else message)

    def within(self, where: str) -> SymcnnError:
        """Return the same kind of error, prefixed with an outer location (e.g. a file)."""
        inner = str(self)
        err = type(self).__new__(type(self))
        SymcnnError.__init__(err, inner, where=where, rule=self.rule)
        return err


class ShapeError(SymcnnError, ValueError):
    """A layer cannot take the shape that reaches it (kernel too large, sizes that do not match)."""


class RoundingError(ShapeError):
    """A division that is not whole in ``exact`` rounding."""


class LayerError(SymcnnError, ValueError):
    """A layer's own fields break a rule (stride 0, negative padding, ...)."""


class SpecError(SymcnnError, ValueError):
    """A malformed spec, claims file or command-line value."""


class UnknownNameError(SymcnnError, LookupError):
    """An unknown network, formula, layer or symbol name."""


class SolveError(SymcnnError, ValueError):
    """A formula cannot be solved as asked."""


__all__ = [
    "SymcnnError",
    "ShapeError",
    "RoundingError",
    "LayerError",
    "SpecError",
    "UnknownNameError",
    "SolveError",
]
