"""Language codes: the registry writes ISO 639-1 (en, tr); Akoma Ntoso writes ISO 639-2 (eng, tur)."""

ISO639_2 = {"en": "eng", "tr": "tur", "az": "aze", "ru": "rus", "fr": "fra", "de": "deu", "ar": "ara",
            "fa": "fas", "hy": "hye", "ka": "kat", "es": "spa", "it": "ita", "zh": "zho", "uk": "ukr",
            "pt": "por", "nl": "nld", "sw": "swa", "af": "afr", "zu": "zul", "xh": "xho", "st": "sot",
            "tn": "tsn", "pl": "pol", "el": "ell", "ro": "ron", "sv": "swe", "fi": "fin", "da": "dan"}
# Bibliographic variants some publishers write.
_ALIASES = {"fre": "fr", "ger": "de", "chi": "zh", "per": "fa", "arm": "hy", "geo": "ka", "dut": "nl", "gre": "el",
            "rum": "ro"}
ISO639_1 = {three: two for two, three in ISO639_2.items()} | _ALIASES


def language3(code: str) -> str:
    base = (code or "en").split("-")[0].lower()
    return ISO639_2.get(base, base if len(base) == 3 else "und")


def language2(code: str) -> str:
    """The registry's code for a language an Akoma Ntoso file names (eng -> en); unknown 3-letter codes stay."""
    base = (code or "").split("-")[0].lower()
    if len(base) == 2:
        return base
    return ISO639_1.get(base, base if len(base) == 3 and base.isalpha() else "en")
