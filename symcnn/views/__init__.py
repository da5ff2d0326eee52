"""Views: everything that shows a derivation or an analysis: text tables and JSON
(:mod:`.tables`), reports (:mod:`.report`), notebook display (:mod:`.notebook`), checks of
claims files (:mod:`.claims`). Views read the records; they never recompute what a record
holds. Documents are checked one layer below, in :mod:`symcnn.checkdoc`.
"""
