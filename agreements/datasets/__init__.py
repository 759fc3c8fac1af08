"""Datasets for researchers: read-side rows written as files (CSV, Parquet). Used by the browser's downloads."""
