#!/usr/bin/python3
"""Derive per-county geography tables for agglo's synthetic economy generator.

Input
    /work/shared/data/us_counties_economic_areas_msas.topojson
    (US Cluster Mapping Project public data: 3,191 counties, 179 BEA Economic
    Areas, 942 metropolitan + micropolitan statistical areas).

Outputs (relative to the repository root, which is found from this file's path)
    data/geo/us_counties.csv
        fips,name,state_fips,state,lon,lat,area_km2,ea_id,ea_name,msa_id,msa_name
    data/geo/us_economic_areas.csv
        ea_id,ea_name,counties
    data/geo/us_counties_economic_areas_msas.topojson   (verbatim copy of input)

Dependencies: Python 3 standard library + numpy only (no shapely/GDAL).

Usage
    /usr/bin/python3 scripts/data/make_us_geography.py [--topojson PATH] [--out-dir DIR]

The script is deterministic: the same input always yields byte-identical CSVs.

------------------------------------------------------------------------------
TopoJSON in one paragraph
------------------------------------------------------------------------------
A TopoJSON "topology" stores every shared boundary line ("arc") once, in the
top-level `arcs` array; geometries reference arcs by index instead of holding
coordinates.  This file is *quantized*: each arc is a list of integer
positions, and

  * positions are delta-encoded per arc: the first position of an arc is
    absolute, each later one is an offset from the previous one, so the
    absolute quantized position is the running sum (numpy.cumsum);
  * quantized positions map to lon/lat with the top-level `transform`:
        lon = x * scale[0] + translate[0]
        lat = y * scale[1] + translate[1];
  * a geometry refers to arc i by the integer i, or to arc i traversed
    backwards by the one's complement ~i == -i - 1 (so -1 means "arc 0
    reversed", -2 means "arc 1 reversed", ...);
  * a ring is a list of arc references; consecutive arcs share their
    junction point (the last point of one arc is the first of the next), so
    when stitching we drop the first point of every arc after the first;
  * a Polygon's `arcs` is a list of rings (the first is the exterior, the
    rest are holes); a MultiPolygon's `arcs` is a list of such polygons.

Antimeridian: a few Aleutian islands (Aleutians West Census Area and the
Alaska EA) lie east of 180 degrees and are stored with longitudes near +179.
No single arc crosses the antimeridian, and nothing else in the file has a
positive longitude, so after decoding we "unwrap" every positive longitude to
lon - 360.  All of the US then lives on one continuous longitude interval
(about [-180.2, -64.5]), so planar formulas work everywhere; output
longitudes are wrapped back into [-180, 180).

------------------------------------------------------------------------------
Geometry maths
------------------------------------------------------------------------------
Rings are closed point sequences (x_0..x_{n-1}, with x_{n-1} == x_0).

Signed area (shoelace) and centroid of one ring, planar in (lon, lat):
    A  = 1/2 * sum_i (x_i y_{i+1} - x_{i+1} y_i)
    Cx = 1/(6A) * sum_i (x_i + x_{i+1}) (x_i y_{i+1} - x_{i+1} y_i)
    Cy = 1/(6A) * sum_i (y_i + y_{i+1}) (x_i y_{i+1} - x_{i+1} y_i)
The sign of A depends on the winding direction.  We do not trust the winding
convention of the source; instead every exterior ring contributes +|A| and
every hole -|A|.  The centroid of a (multi)polygon is then the area-weighted
mean of ring centroids with those signed weights, i.e. holes are subtracted
and all parts of a MultiPolygon are pooled.  This is a planar centroid in
degrees (not an equal-area-projection centroid) - fine for a representative
point of a county.

Representative point (the lon/lat written to the CSV):
  1. the area-weighted centroid above, if it lies inside the county;
  2. otherwise the centroid of the county's largest exterior ring (e.g. the
     mainland of a county with islands), if that lies inside the county;
  3. otherwise a point guaranteed to be inside: cast a horizontal scanline
     through the vertical middle of the largest ring's bounding box,
     intersect it with every ring of the county, sort the crossing x values,
     pair them up as (x0,x1), (x2,x3), ... (by the even-odd rule these
     intervals are exactly the parts of the line inside the county) and take
     the midpoint of the widest interval.
So lon/lat is always inside the county, and the same point is used for the
EA / MSA containment tests.

Point in polygon: even-odd ray casting.  Cast a ray from P towards +x and
count edges (a, b) with (a.y > P.y) != (b.y > P.y) whose crossing
x = a.x + (P.y - a.y) (b.x - a.x) / (b.y - a.y) is > P.x.  An odd count means
inside.  Counting over *all* rings of a (multi)polygon at once handles holes
and multiple parts without needing ring orientation.  The half-open test on y
means a vertex exactly on the scanline is counted once, not twice.
Bounding boxes (per geometry and per ring) prune almost all candidate tests.

Containment: the county's representative point is tested against every EA
(and every MSA).  Counties nest in EAs and MSAs and share their boundary arcs,
so an interior county point lies in exactly one EA and in at most one MSA.
If no EA contains the point (e.g. counties outside every BEA Economic Area,
such as Puerto Rico, which BEA does not cover), the county is assigned the EA
whose representative point is nearest on the sphere (haversine distance).
The number of such fallbacks is printed and they are listed.

Area (km^2): computed on a sphere of radius R = 6371.0088 km (the IUGG mean
Earth radius) using Lambert's cylindrical equal-area projection
    X = R * lon_rad,   Y = R * sin(lat_rad),
followed by the shoelace formula on the projected ring.  That projection is
exactly area-preserving on the sphere, so the only approximations are
(a) treating the Earth as a sphere rather than the WGS84 ellipsoid (area
error of order 0.1-0.3 % at US latitudes) and (b) drawing each edge as a
straight line in projected space rather than along the source's edge
path (negligible for edges of a few km).  Exterior rings add |area|, holes
subtract it.  This is equivalent to the "local cos(lat) scaling" rule
(dx = R cos(lat) dlon, dy = R dlat) in the limit of small rings, but needs no
choice of reference latitude.  The area is of the polygon as drawn in the
TopoJSON, which for these county outlines includes inland and coastal water
within the county boundary (i.e. roughly Census land + water area), and
reflects the simplification/quantization of the source geometry.
"""

import argparse
import csv
import json
import math
import os
import shutil
import sys

import numpy as np

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius

# State (and territory) FIPS code -> USPS postal abbreviation.
STATE_ABBR = {
    "01": "AL", "02": "AK", "04": "AZ", "05": "AR", "06": "CA", "08": "CO",
    "09": "CT", "10": "DE", "11": "DC", "12": "FL", "13": "GA", "15": "HI",
    "16": "ID", "17": "IL", "18": "IN", "19": "IA", "20": "KS", "21": "KY",
    "22": "LA", "23": "ME", "24": "MD", "25": "MA", "26": "MI", "27": "MN",
    "28": "MS", "29": "MO", "30": "MT", "31": "NE", "32": "NV", "33": "NH",
    "34": "NJ", "35": "NM", "36": "NY", "37": "NC", "38": "ND", "39": "OH",
    "40": "OK", "41": "OR", "42": "PA", "44": "RI", "45": "SC", "46": "SD",
    "47": "TN", "48": "TX", "49": "UT", "50": "VT", "51": "VA", "53": "WA",
    "54": "WV", "55": "WI", "56": "WY",
    # territories
    "60": "AS", "66": "GU", "69": "MP", "72": "PR", "74": "UM", "78": "VI",
}


# ----------------------------------------------------------------------------
# TopoJSON decoding
# ----------------------------------------------------------------------------

def decode_arcs(topology):
    """Return a list of float arrays (n_i x 2, columns lon, lat), one per arc.

    Undoes the per-arc delta encoding (cumulative sum) and the quantization
    transform, then unwraps positive longitudes (see module docstring).
    """
    transform = topology.get("transform")
    if transform:
        scale = np.asarray(transform["scale"], dtype=float)
        translate = np.asarray(transform["translate"], dtype=float)
    arcs = []
    for raw in topology["arcs"]:
        pts = np.asarray(raw, dtype=float)[:, :2]
        if transform:
            # delta-decode: the first position is absolute, later ones are
            # offsets from their predecessor -> running sum gives absolutes.
            pts = np.cumsum(pts, axis=0) * scale + translate
        lon = pts[:, 0]
        lon[lon > 0.0] -= 360.0  # antimeridian unwrap (US data only)
        arcs.append(pts)
    return arcs


def stitch_ring(arc_refs, arcs):
    """Concatenate the arcs referenced by one ring into a closed ring array.

    A non-negative reference i means arc i as stored; a negative reference
    ~i (== -i - 1) means arc i traversed in reverse.  Consecutive arcs share
    their junction point, so every arc after the first drops its first point.
    """
    parts = []
    for k, ref in enumerate(arc_refs):
        if ref >= 0:
            seg = arcs[ref]
        else:
            seg = arcs[~ref][::-1]
        parts.append(seg if k == 0 else seg[1:])
    ring = np.vstack(parts)
    if not np.array_equal(ring[0], ring[-1]):  # close it if the source did not
        ring = np.vstack([ring, ring[:1]])
    return ring


def geometry_polygons(geom, arcs):
    """Return a list of polygons, each a list of rings [exterior, hole, ...]."""
    if geom["type"] == "Polygon":
        polys = [geom["arcs"]]
    elif geom["type"] == "MultiPolygon":
        polys = geom["arcs"]
    else:  # null geometry or unexpected type
        return []
    return [[stitch_ring(r, arcs) for r in poly] for poly in polys]


# ----------------------------------------------------------------------------
# Planar ring/polygon measures
# ----------------------------------------------------------------------------

def ring_area_centroid(ring):
    """Signed shoelace area and centroid of a closed ring in its own units."""
    x, y = ring[:-1, 0], ring[:-1, 1]
    x1, y1 = ring[1:, 0], ring[1:, 1]
    cross = x * y1 - x1 * y
    a = 0.5 * cross.sum()
    if a == 0.0:  # degenerate ring: fall back to the vertex mean
        return 0.0, (float(x.mean()), float(y.mean()))
    cx = ((x + x1) * cross).sum() / (6.0 * a)
    cy = ((y + y1) * cross).sum() / (6.0 * a)
    return float(a), (float(cx), float(cy))


def ring_area_km2(ring):
    """Unsigned area of a lon/lat ring on the sphere (Lambert cyl. equal-area)."""
    lam = np.radians(ring[:, 0]) * EARTH_RADIUS_KM
    yy = np.sin(np.radians(ring[:, 1])) * EARTH_RADIUS_KM
    return abs(0.5 * float((lam[:-1] * yy[1:] - lam[1:] * yy[:-1]).sum()))


class Shape:
    """A decoded (multi)polygon with cached edges and bounding boxes."""

    def __init__(self, polygons):
        self.polygons = polygons
        self.rings = [r for poly in polygons for r in poly]
        # per-ring edge arrays (x0, y0, x1, y1) and bounding boxes
        self.edges = []
        self.ring_bbox = []
        for r in self.rings:
            self.edges.append((r[:-1, 0], r[:-1, 1], r[1:, 0], r[1:, 1]))
            self.ring_bbox.append((r[:, 0].min(), r[:, 1].min(),
                                   r[:, 0].max(), r[:, 1].max()))
        if self.rings:
            bb = np.array(self.ring_bbox)
            self.bbox = (bb[:, 0].min(), bb[:, 1].min(),
                         bb[:, 2].max(), bb[:, 3].max())
        else:
            self.bbox = (math.inf, math.inf, -math.inf, -math.inf)

    # -- measures -----------------------------------------------------------
    def area_centroid(self):
        """Planar (lon/lat) area-weighted centroid; holes subtracted."""
        wsum = 0.0
        cx = cy = 0.0
        for poly in self.polygons:
            for k, ring in enumerate(poly):
                a, (rx, ry) = ring_area_centroid(ring)
                w = abs(a) if k == 0 else -abs(a)  # exterior +, hole -
                wsum += w
                cx += w * rx
                cy += w * ry
        if wsum <= 0.0:
            return 0.0, None
        return wsum, (cx / wsum, cy / wsum)

    def largest_exterior(self):
        """(abs planar area, ring) of the largest exterior ring."""
        best = (-1.0, None)
        for poly in self.polygons:
            a, _ = ring_area_centroid(poly[0])
            if abs(a) > best[0]:
                best = (abs(a), poly[0])
        return best

    def area_km2(self):
        total = 0.0
        for poly in self.polygons:
            for k, ring in enumerate(poly):
                a = ring_area_km2(ring)
                total += a if k == 0 else -a
        return total

    # -- point in polygon (even-odd over all rings) --------------------------
    def contains(self, px, py):
        x0b, y0b, x1b, y1b = self.bbox
        if not (x0b <= px <= x1b and y0b <= py <= y1b):
            return False
        crossings = 0
        for (ax, ay, bx, by), (rx0, ry0, rx1, ry1) in zip(self.edges,
                                                          self.ring_bbox):
            # a ray towards +x can only hit a ring whose bbox spans py and
            # reaches to the right of px
            if py < ry0 or py > ry1 or px > rx1:
                continue
            straddle = (ay > py) != (by > py)
            if not straddle.any():
                continue
            sax, say, sbx, sby = ax[straddle], ay[straddle], bx[straddle], by[straddle]
            xint = sax + (py - say) * (sbx - sax) / (sby - say)
            crossings += int((xint > px).sum())
        return crossings % 2 == 1

    # -- guaranteed interior point ------------------------------------------
    def scanline_point(self, y):
        """Midpoint of the widest inside-interval of the horizontal line at y."""
        xs = []
        for ax, ay, bx, by in self.edges:
            straddle = (ay > y) != (by > y)
            if straddle.any():
                sax, say, sbx, sby = ax[straddle], ay[straddle], bx[straddle], by[straddle]
                xs.extend((sax + (y - say) * (sbx - sax) / (sby - say)).tolist())
        xs.sort()
        best = None
        for i in range(0, len(xs) - 1, 2):  # even-odd: (x0,x1), (x2,x3), ...
            w = xs[i + 1] - xs[i]
            if best is None or w > best[0]:
                best = (w, 0.5 * (xs[i] + xs[i + 1]))
        return None if best is None or best[0] <= 0 else (best[1], y)

    def interior_point(self):
        """Representative point and how it was obtained (see docstring)."""
        _, c = self.area_centroid()
        if c is not None and self.contains(*c):
            return c, "centroid"
        _, ring = self.largest_exterior()
        if ring is None:
            return None, "empty"
        _, c2 = ring_area_centroid(ring)
        if self.contains(*c2):
            return c2, "largest-ring centroid"
        ymin, ymax = ring[:, 1].min(), ring[:, 1].max()
        # try the middle of the largest ring first, then nearby lines; the
        # tiny irrational-ish offset keeps the line off quantized vertices
        for f in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9):
            y = ymin + (f + 1e-7 * math.pi) * (ymax - ymin)
            p = self.scanline_point(y)
            if p is not None and self.contains(*p):
                return p, "scanline"
        return (c or c2), "unverified"


def haversine_km(lon1, lat1, lon2, lat2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi = p2 - p1
    dlam = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def wrap_lon(lon):
    """Map an (unwrapped) longitude back into [-180, 180)."""
    return (lon + 180.0) % 360.0 - 180.0


# ----------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.normpath(os.path.join(here, "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--topojson",
                    default="/work/shared/data/us_counties_economic_areas_msas.topojson")
    ap.add_argument("--out-dir", default=os.path.join(repo, "data", "geo"))
    args = ap.parse_args()

    with open(args.topojson, encoding="utf-8") as f:
        topo = json.load(f)
    arcs = decode_arcs(topo)

    def load(obj_name):
        out = []
        for g in topo["objects"][obj_name]["geometries"]:
            out.append((g, Shape(geometry_polygons(g, arcs))))
        return out

    counties = load("counties")
    eas = load("eas")
    msas = load("msas")
    print(f"decoded {len(arcs)} arcs; {len(counties)} counties, "
          f"{len(eas)} economic areas, {len(msas)} MSAs (metro + micro)")

    # Representative points of EAs, for the nearest-EA fallback.
    ea_points = []
    for g, shp in eas:
        p, _ = shp.interior_point()
        ea_points.append(p)

    rows = []
    method_counts = {}
    unmatched_ea, multi_ea, multi_msa, zero_area, unknown_state = [], [], [], [], []
    ea_count = {g["id"]: 0 for g, _ in eas}

    for g, shp in counties:
        fips = str(g.get("properties", {}).get("fips") or g["id"]).zfill(5)
        name = g.get("properties", {}).get("name", "")
        pt, how = shp.interior_point()
        method_counts[how] = method_counts.get(how, 0) + 1
        area = shp.area_km2()
        if area <= 0.05:  # rounds to 0.0
            zero_area.append(fips)
        st = fips[:2]
        if st not in STATE_ABBR:
            unknown_state.append(fips)

        ea_hits = [i for i, (_, e) in enumerate(eas) if pt and e.contains(*pt)]
        if len(ea_hits) > 1:
            multi_ea.append((fips, [eas[i][0]["id"] for i in ea_hits]))
        if not ea_hits:
            # nearest EA by great-circle distance between representative points
            d = [haversine_km(pt[0], pt[1], q[0], q[1]) if q else math.inf
                 for q in ea_points]
            j = int(np.argmin(d))
            unmatched_ea.append((fips, name, eas[j][0]["id"], d[j]))
            ea_hits = [j]
        ea_g = eas[ea_hits[0]][0]
        ea_count[ea_g["id"]] += 1

        msa_hits = [i for i, (_, m) in enumerate(msas) if pt and m.contains(*pt)]
        if len(msa_hits) > 1:
            multi_msa.append((fips, [msas[i][0]["id"] for i in msa_hits]))
        msa_id = msas[msa_hits[0]][0]["id"] if msa_hits else ""
        msa_name = msas[msa_hits[0]][0]["properties"]["name"] if msa_hits else ""

        rows.append({
            "fips": fips,
            "name": name,
            "state_fips": st,
            "state": STATE_ABBR.get(st, ""),
            "lon": f"{wrap_lon(pt[0]):.5f}",
            "lat": f"{pt[1]:.5f}",
            "area_km2": f"{area:.1f}",
            "ea_id": ea_g["id"],
            "ea_name": ea_g["properties"]["name"],
            "msa_id": msa_id,
            "msa_name": msa_name,
        })

    rows.sort(key=lambda r: r["fips"])
    os.makedirs(args.out_dir, exist_ok=True)
    header = ["fips", "name", "state_fips", "state", "lon", "lat", "area_km2",
              "ea_id", "ea_name", "msa_id", "msa_name"]
    with open(os.path.join(args.out_dir, "us_counties.csv"), "w",
              newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)

    with open(os.path.join(args.out_dir, "us_economic_areas.csv"), "w",
              newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ea_id", "ea_name", "counties"])
        for g, _ in sorted(eas, key=lambda e: e[0]["id"]):
            w.writerow([g["id"], g["properties"]["name"], ea_count[g["id"]]])

    dst = os.path.join(args.out_dir, os.path.basename(args.topojson))
    if os.path.abspath(dst) != os.path.abspath(args.topojson):
        shutil.copyfile(args.topojson, dst)

    # ---- report ------------------------------------------------------------
    print("representative point method:", method_counts)
    print(f"counties matched to no EA (nearest-EA fallback): {len(unmatched_ea)}")
    by_state = {}
    for fips, name, ea_id, d in unmatched_ea:
        by_state.setdefault(fips[:2], []).append((fips, name, ea_id, d))
    for st, lst in sorted(by_state.items()):
        print(f"  state {st} ({STATE_ABBR.get(st, '?')}): {len(lst)} counties, "
              f"nearest EA(s) {sorted(set(x[2] for x in lst))}, "
              f"distance {min(x[3] for x in lst):.0f}-{max(x[3] for x in lst):.0f} km")
    print(f"counties in more than one EA: {len(multi_ea)} {multi_ea[:5]}")
    print(f"counties in more than one MSA: {len(multi_msa)} {multi_msa[:5]}")
    print(f"counties in an MSA (metro or micro): {sum(1 for r in rows if r['msa_id'])}")
    print(f"counties with area rounding to 0 km2: {len(zero_area)} {zero_area[:10]}")
    print(f"counties with unknown state FIPS: {len(unknown_state)} {unknown_state[:10]}")
    counts = sorted(ea_count.values())
    print(f"counties per EA: min {counts[0]}, max {counts[-1]}, "
          f"EAs with 0 counties: {sum(1 for c in counts if c == 0)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
