"""Loads blend-recipe.json (the single source of BI/SBI synthesis parameters)."""
import json
import os

RECIPE_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "blend-recipe.json")


def parse_points(spec):
    """'1-15,29-35' -> [1, 2, ..., 15, 29, ..., 35] (inclusive ranges of iBUG-68 indices)."""
    out = []
    for part in str(spec).split(","):
        part = part.strip()
        if "-" in part:
            a, b = part.split("-")
            out.extend(range(int(a), int(b) + 1))
        elif part:
            out.append(int(part))
    if not out or min(out) < 0 or max(out) > 67:
        raise ValueError(f"bad landmark spec {spec!r}")
    return out


def load_recipe(path=None):
    with open(path or RECIPE_PATH) as f:
        r = json.load(f)
    for key in ("sample_mix", "mask", "bi", "sbi", "augment", "crop"):
        if key not in r:
            raise KeyError(f"blend recipe lacks section {key!r}")
    for v in r["mask"]["variants"]:
        v["indices"] = parse_points(v["points"])
    mix = r["sample_mix"]
    if abs(mix["real"] + mix["bi"] + mix["sbi"] - 1.0) > 1e-6:
        raise ValueError("sample_mix must sum to 1")
    return r
