"""The MkDocs adapter over `casebook`: it routes MkDocs events to the pipeline and nothing more.

The theme's overrides (`overrides/`) live here too, with the scripts that run in the browser
(`overrides/assets/casebook/`: search, /prep/, the drills, the 壁を伏せて読む switch).
"""
