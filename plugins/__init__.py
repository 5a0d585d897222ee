"""The MkDocs adapter over `casebook`: it routes MkDocs events to the domain and nothing more."""
