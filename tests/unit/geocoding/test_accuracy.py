"""Accuracy of the offline gazetteer on real-world place strings (tests/data/places_testset.csv).

Each row holds a place as people write it, its true coordinates and a tolerance (metro areas
wider); rows without coordinates name no place and must not be found.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from netplanner.services.geocoding.gazetteer import OfflineGazetteer

TESTSET = Path(__file__).resolve().parents[2] / "data" / "places_testset.csv"
REQUIRED_ACCURACY = 0.97


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def test_testset_covers_the_ways_people_write_places() -> None:
    with TESTSET.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    kinds = {row["kind"] for row in rows}
    assert len(rows) >= 150
    assert {"city", "script", "transliteration", "qualifier", "metro", "town", "no place"} <= kinds
    assert sum(1 for row in rows if row["kind"] == "town") >= 30


def test_offline_accuracy_is_at_least_97_percent(gazetteer: OfflineGazetteer) -> None:
    with TESTSET.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    misses: list[str] = []
    for row in rows:
        best = gazetteer.locate(row["text"]).best
        if not row["lat"]:
            if best is not None:
                misses.append(f"{row['text']!r} should not be found, got {best.name}")
            continue
        if best is None:
            misses.append(f"{row['text']!r} not found")
            continue
        off = _km(float(row["lat"]), float(row["lon"]), best.lat, best.lon)
        if off > float(row["tolerance_km"]):
            misses.append(f"{row['text']!r} -> {best.name}, {off:.0f} km off")
    accuracy = 1 - len(misses) / len(rows)
    print(f"\noffline gazetteer accuracy: {accuracy:.1%} of {len(rows)} place strings")
    for miss in misses:
        print("  miss:", miss)
    assert accuracy >= REQUIRED_ACCURACY, misses


REALWORLD = TESTSET.parent / "places_realworld.csv"
KIND_FLOOR = 0.97
OVERALL_FLOOR = 0.99
KINDS = {
    "street",
    "postcode",
    "district",
    "script",
    "metro",
    "region",
    "transliteration",
    "ambiguous",
    "no_place",
}


def test_realworld_set_covers_every_kind_with_a_held_out_part() -> None:
    with REALWORLD.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 500
    assert {row["category"] for row in rows} == KINDS
    assert sum(row["split"] == "heldout" for row in rows) >= 100


def test_realworld_accuracy_meets_the_floors_for_every_kind(gazetteer: OfflineGazetteer) -> None:
    with REALWORLD.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    right: dict[str, int] = {}
    total: dict[str, int] = {}
    misses: list[str] = []
    for row in rows:
        kind = row["category"]
        total[kind] = total.get(kind, 0) + 1
        best = gazetteer.locate(row["text"]).best
        if not row["lat"]:
            ok = best is None
        else:
            ok = best is not None and _km(
                float(row["lat"]), float(row["lon"]), best.lat, best.lon
            ) <= float(row["tolerance_km"])
        if ok:
            right[kind] = right.get(kind, 0) + 1
        else:
            misses.append(f"{kind}: {row['text']!r} -> {best.name if best else 'not found'}")
    shares = {kind: right.get(kind, 0) / total[kind] for kind in total}
    overall = sum(right.values()) / len(rows)
    assert all(share >= KIND_FLOOR for share in shares.values()), (shares, misses)
    assert overall >= OVERALL_FLOOR, (overall, misses)


@pytest.mark.parametrize("text", ["Remote", "Worldwide", "EMEA", "Remote, EMEA", "APAC"])
def test_texts_that_name_no_region_we_can_meet_in_stay_not_found(
    gazetteer: OfflineGazetteer, text: str
) -> None:
    assert gazetteer.locate(text).best is None
