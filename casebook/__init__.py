"""The domain: reading, checking and publishing annotated case studies.

Files are read and checked once (`sources`, `parser`, `checks`, against `vocabulary` and the
`facets` table), gathered into a `library`, and turned into `pages`. Every value that goes
into HTML passes through `html`. Nothing here imports MkDocs, Whoosh or Pagefind: the build
pipeline (`pipeline/`) and the site engine's adapter (`plugins/`) do.
"""
