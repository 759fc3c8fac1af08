"""CSV cells that a spreadsheet would run as a formula are prefixed with a quote (CSV injection)."""


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
