"""What every uploaded content package goes through, whatever its format (H5P, SCORM).

- ``archive``: the zip's safety (sizes, ratios, names, zip slip, symlinks, encryption, the format's extension
  whitelist, script in SVG/XML), checked before anything is written.
- ``markup``: the check that keeps script out of SVG and XML files.
- ``storage``: writes a checked package to storage under a content-addressed prefix, all or nothing.
"""
