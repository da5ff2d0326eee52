"""Worked-derivation reports, one idea a module: :mod:`.data` (what a report shows, built once),
:mod:`.formats` (how each output writes values, shapes, math and user text), :mod:`.render`
(jinja2), :mod:`.files` (file names, writing all or none), :mod:`.pdf` (latexmk)."""
