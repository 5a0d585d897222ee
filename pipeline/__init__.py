"""The build pipeline: files → one parser → checked model → library → every output.

`Build` (pipeline/build.py) is used by both adapters, the MkDocs plugin (plugins/) and the
`casebook` command (pipeline/cli.py), so the site and the command read the same options and
agree on everything they both show.
"""
