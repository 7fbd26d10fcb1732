"""SCORM 1.2 and 2004 support: package validation, the player's frames and the tracking of the CMI data.

- ``manifest``: reads an uploaded SCORM zip (the zip's safety shared with H5P in ``courses.packages``) and its
  ``imsmanifest.xml``: version, table of contents, launch files.
- ``player``: what a module page needs to show a package: the run-time frame on the content origin.
- ``views``: the run-time frame and the package's files (content origin, signed URLs), and the commit endpoint.
- ``tracking``: checks a commit and stores the CMI data per learner, module, SCO and attempt; completion.
- ``admin``: the upload form of the Wagtail snippet viewset (``courses/wagtail_hooks.py``).
- ``demo``: a tiny SCORM 1.2 package of our own, built in code, for the demo course.
"""
