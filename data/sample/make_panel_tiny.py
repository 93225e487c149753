#!/usr/bin/env python3
"""Makes data/sample/panel_tiny.csv, panel_tiny_industries.csv and panel_tiny_regions.csv: a
two-year employment panel derived from the synthetic economy `agglo synth --preset tiny`
(default seed 20240601), with its industries and regions.

    agglo synth --preset tiny -o /tmp/tiny
    /usr/bin/python3 data/sample/make_panel_tiny.py /tmp/tiny data/sample

Year 2019 is the synthetic economy as generated (region,industry,employment). Year 2024 redraws
every cell as Poisson(1.05 · m · e_2019): 5 % national growth plus counting noise, times a
planted multiplier m that is 1 except in these region × cluster cells (all their industries):

    25017 Medical Devices          m = 3     emerging: 126 jobs, not a hub, grows to ~400
    33011 Plastics                 m = 1.6   emerging: 638 jobs, LQ 0.73, grows to ~1,070
    25011 Automotive               m = 0.5   declining hub (strong in 2019)

and one industry new to a county (an entry for the shift-share: no 2019 jobs), which makes
Medical Devices new to that county, a third emerging cell:
    44001 334510 (Medical Devices) 60 jobs in 2024

The planted truth is what the CLI cases check: these three cells, and no other, are flagged
`emerging` by `agglo cluster-map` at its default thresholds; the declining hub is not.
"""
import csv
import os
import sys

import numpy as np

GROWTH = 1.05
PLANTED = {("25017", "Medical Devices"): 3.0, ("33011", "Plastics"): 1.6, ("25011", "Automotive"): 0.5}
ENTRY = ("44001", "334510", 60)


def main(src, dst):
    with open(os.path.join(src, "industries.csv"), newline="") as f:
        industries = list(csv.DictReader(f))
    cluster_of = {row["code"]: row["cluster"] for row in industries}
    with open(os.path.join(src, "employment.csv"), newline="") as f:
        rows = [(r["region"], r["industry"], float(r["employment"])) for r in csv.DictReader(f)]
    rng = np.random.default_rng(2024)
    out = [(region, industry, int(e), 2019) for region, industry, e in rows]
    for region, industry, e in rows:
        m = PLANTED.get((region, cluster_of.get(industry, "")), 1.0)
        e2 = int(rng.poisson(GROWTH * m * e))
        if e2 > 0:
            out.append((region, industry, e2, 2024))
    assert not any(r == ENTRY[0] and i == ENTRY[1] for r, i, _ in rows)
    out.append((ENTRY[0], ENTRY[1], ENTRY[2], 2024))
    with open(os.path.join(dst, "panel_tiny.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["region", "industry", "employment", "year"])
        w.writerows(out)
    with open(os.path.join(dst, "panel_tiny_industries.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "kind", "cluster_id", "cluster"])
        for row in industries:
            w.writerow([row["code"], row["kind"], row["cluster_id"], row["cluster"]])


    # The regions (counties in Economic Areas), unchanged: for --regions/--level.
    with open(os.path.join(src, "regions.csv"), newline="") as f, open(os.path.join(dst, "panel_tiny_regions.csv"), "w") as g:
        g.write(f.read())


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
