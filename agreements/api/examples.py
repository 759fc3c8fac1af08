"""Path parameters with examples from the seed data, for the docs and for schemathesis' explicit examples."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter


def _path(name, description, *values):
    return OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.PATH, description=description,
                            examples=[OpenApiExample(v, value=v) for v in values])


SLUG = _path("slug", "The agreement's slug.", "tr-az-strategic-partnership-2010", "un-charter-1945")
EID = _path("eid", "The clause's Akoma Ntoso eId.", "art_2", "art_51")
CODE = _path("code", "The party's code.", "TUR", "AZE")
KEY = _path("key", "The source's key (or its numeric id).", "usc-dornsife-2023")
