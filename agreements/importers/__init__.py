"""Importers: edges that turn documents (Akoma Ntoso files, plain texts) into commands sent through services.

`documents` holds what every importer produces; `akn` and `text` read their formats into it; `loading`
turns a document into commands against the agreement's current state and runs them in one transaction.
"""
