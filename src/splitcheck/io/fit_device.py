"""A FIT file's device as people name it (``Garmin Forerunner 920XT``).

The FIT profile names makers and, for Garmin, products by code (``garmin``, ``fr920xt``,
or a bare number for devices newer than fitparse's profile); this turns them into the
names on the box, falling back to ``Maker (product 46)`` when the product is unknown.
"""

from __future__ import annotations

import re
from typing import Any

from .fit_messages import FitMessages

_MAKERS = {
    "garmin": "Garmin",
    "dynastream": "Dynastream",
    "dynastream_oem": "Dynastream",
    "sigmasport": "Sigma Sport",
    "stryd": "Stryd",
    "strava": "Strava",
    "suunto": "Suunto",
    "polar": "Polar",
    "wahoo_fitness": "Wahoo",
    "coros": "COROS",
    "zwift": "Zwift",
    "development": None,  # a developer's build: says nothing useful about the device
}
_GARMIN_MAKERS = frozenset({"garmin", "dynastream", "dynastream_oem"})
GARMIN_PRODUCTS = {
    2886: "Forerunner 645",
    2888: "Forerunner 645 Music",
    2700: "vivoactive 3",
    3113: "Forerunner 945",
    3224: "vivoactive 4S",
    3225: "vivoactive 4",
    3226: "Venu",
    3288: "fenix 6S",
    3290: "fenix 6",
    3291: "fenix 6X",
    3589: "Forerunner 745",
    3652: "Forerunner 945 LTE",
    3703: "Venu 2",
    3704: "Venu 2S",
    3869: "Forerunner 55",
    3905: "fenix 7S",
    3906: "fenix 7",
    3907: "fenix 7X",
    3943: "epix (Gen 2)",
    3990: "Forerunner 255 Music",
    3991: "Forerunner 255S Music",
    3992: "Forerunner 255",
    3993: "Forerunner 255S",
    4024: "Forerunner 955",
    4257: "Forerunner 265",
    4258: "Forerunner 265S",
    4315: "Forerunner 965",
}
"""Garmin product numbers newer than fitparse 1.2.0's profile (FIT SDK ``garmin_product``)."""
_GARMIN_FAMILIES = (("fr", "Forerunner"), ("fenix", "fenix"), ("edge", "Edge"))


def device_name(msgs: FitMessages) -> str | None:
    """``Garmin Forerunner 920XT`` style name from file_id, else the creator device_info."""
    creators = [d for d in msgs.device_infos if d.get("device_index") in ("creator", 0)]
    for fields in [*msgs.file_ids[:1], *creators]:
        name = _device_from(fields)
        if name:
            return name
    return None


def _device_from(fields: dict[str, Any]) -> str | None:
    maker = fields.get("manufacturer")
    brand = None
    if isinstance(maker, str):
        brand = _MAKERS.get(maker, maker.replace("_", " ").title())
    model = _model(maker, fields)
    if brand is None and model and model.startswith("(product"):
        return None  # a bare product number with no maker names no device
    parts = [p for p in (brand, model) if p]
    return " ".join(parts) if parts else None


def _model(maker: Any, fields: dict[str, Any]) -> str | None:
    name = fields.get("product_name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    product = fields.get("garmin_product", fields.get("product"))
    if isinstance(product, str):
        return _garmin_model(product)
    if isinstance(product, int | float):
        if maker in _GARMIN_MAKERS and int(product) in GARMIN_PRODUCTS:
            return GARMIN_PRODUCTS[int(product)]
        return f"(product {int(product)})"
    return None


def _garmin_model(code: str) -> str:
    """fitparse's ``garmin_product`` names as Garmin writes them (``fr920xt``: Forerunner 920XT)."""
    code = code.replace("vivo_", "vivo")
    for prefix, family in _GARMIN_FAMILIES:
        m = re.fullmatch(rf"{prefix}_?(\d\w*)", code)
        if m:
            return f"{family} {m.group(1).upper()}"
    words = code.split("_")
    return " ".join(w.upper() if w == "hr" or re.search(r"\d", w) else w for w in words)
