"""Builders: every way to get a :class:`~symcnn.network.Network`: spec files
(:mod:`.spec`, read through :mod:`.yamlfile`), the built-in networks (:mod:`.zoo`) and
:func:`~symcnn.builders.load.load`, which takes any of them by name. Nothing below imports
them back.
"""
