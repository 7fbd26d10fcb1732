"""H5P support: package validation and extraction, the player's server side, re-scoring and our demo library.

- ``package``: reads an uploaded ``.h5p`` zip and rejects anything outside the H5P specification (the zip's
  safety, its extraction and the SVG/XML checks are shared with SCORM in ``courses.packages``).
- ``scoring``: re-scores a learner's xAPI ``result.response`` against the package's own answers.
- ``player``: what a page needs to boot the h5p-standalone player for a package.
- ``views``: serves package files and saves/restores the player's resume state.
- ``admin``: the upload form and create view of the Wagtail snippet viewset (``courses/wagtail_hooks.py``).
- ``demo``: our own small library, ``IEA.Quiz``, and the builder of the demo packages.
"""
