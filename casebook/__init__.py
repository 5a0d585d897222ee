"""The domain: reading, checking and publishing annotated case studies.

Files are read and checked once (`sources`, `parser`, `checks`, against `vocabulary` and the
`facets` table), gathered into a `library`, and turned into `pages`. Every value that goes
into HTML passes through `html`. Nothing here imports MkDocs, Whoosh or Pagefind: the build
pipeline (`pipeline/`) and the site engine's adapter (`plugins/`) do.

    reading     sources (bytes, front matter) · parser (the one Markdown parser) · model
    checking    schema (front-matter fields) · facets · vocabulary · checks · curricula ·
                anonymize (identifying details; the deny-list) · japanese (Sudachi, shared)
                · problems (how every fault is reported)
    the library library · related (related cases) · links (every link leads somewhere)
    pages       pages (cases, guides, generated pages; the page writer) · render (shared
                pieces) · practice (drills) · curriculum_pages · prep_page · urls · html
    other data  practice (drill JSON) · moodle (drills as Moodle XML) · prep (the /prep/
                ranking; prep.js repeats it) · headcount · editor_schema (the editor's JSON
                Schema)
    authoring   authoring (`casebook new`) · fixes (`casebook check --fix`)

Cases.json and the order in which pages and files are written are the pipeline's
(pipeline/build.py).
"""
