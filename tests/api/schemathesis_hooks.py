"""Hooks for the schemathesis runs (SCHEMATHESIS_HOOKS=tests.api.schemathesis_hooks): what the tool must know
about the registry's own formats to generate and check them.

- `format: edtf` (dates as recorded): generated as years, year-months and days, some uncertain (`?`, `~`).
- text/csv and Akoma Ntoso XML bodies are validated as the strings their schemas describe.
"""

import schemathesis
from hypothesis import strategies as st

_year = st.integers(min_value=1000, max_value=2099).map(str)
_month = st.integers(min_value=1, max_value=12).map(lambda m: f"{m:02d}")
_day = st.integers(min_value=1, max_value=28).map(lambda d: f"{d:02d}")
EDTF = st.one_of(
    _year,
    st.tuples(_year, _month).map("-".join),
    st.tuples(_year, _month, _day).map("-".join),
    st.tuples(_year, st.sampled_from("?~%")).map("".join),
)
schemathesis.openapi.format("edtf", EDTF)


@schemathesis.deserializer("text/csv", "application/akn+xml")
def as_text(ctx, response):
    return response.content.decode("utf-8")
