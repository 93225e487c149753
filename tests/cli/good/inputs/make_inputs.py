"""Writes the small input files of the input-layer CLI cases (tests/cli/cases_inputs.tsv).

    /usr/bin/python3 tests/cli/good/inputs/make_inputs.py      (needs ogr2ogr for the .gpkg files)

Deterministic; the outputs are committed. Each file's expected reading is in a comment here
and asserted by the cases.
"""

import csv
import gzip
import math
import os
import random
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(HERE, name)


def write(name, rows, quote=csv.QUOTE_MINIMAL, delimiter=","):
    with open(path(name), "w", newline="") as f:
        csv.writer(f, quoting=quote, delimiter=delimiter, lineterminator="\n").writerows(rows)


# --- a plain employment table in several encodings -------------------------------------------
EMP = [["region", "industry", "employment"], ["A", "X", "12"], ["A", "Y", "3"], ["B", "X", "4"], ["B", "Y", "21"]]
write("emp_semicolon.csv", EMP, delimiter=";")
write("emp_tab.tsv", EMP, delimiter="\t")
write("emp_pipe.txt", EMP, delimiter="|")
with gzip.open(path("emp.csv.gz"), "wt", newline="") as f:  # mtime fixed: reproducible bytes
    pass
with open(path("emp.csv.gz"), "wb") as raw:
    with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as g:
        g.write(("\n".join(",".join(r) for r in EMP) + "\n").encode())
data = open(path("emp.csv.gz"), "rb").read()
open(path("emp_truncated.csv.gz"), "wb").write(data[: len(data) - 12])  # no trailer, cut data
write("emp_renamed.csv", [["fips", "naics", "emp"]] + EMP[1:])
write("mapping.csv", [["column", "source"], ["region", "fips"], ["industry", "naics"], ["employment", "emp"]])

# --- County Business Patterns, 2017+ county file (cbp21co.txt layout, all fields quoted) -------
# Kept with --suppressed drop: 01001/336111 250, 01001/541511 50, 01003/541511 40,
# 06037/336111 900, 06037/541511 2000. Left out: "------", "31----" (aggregates), county 999.
# Suppressed: 01003/336111 (emp_nf D); imputed 1×7 + 2×14.5 = 36 from its size classes.
CBP_HEAD = ["fipstate", "fipscty", "naics", "emp_nf", "emp", "qp1_nf", "qp1", "ap_nf", "ap", "est", "n<5", "n5_9",
            "n10_19", "n20_49", "n50_99", "n100_249", "n250_499", "n500_999", "n1000", "n1000_1", "n1000_2",
            "n1000_3", "n1000_4"]


def cbp(st, ct, naics, nf, emp, est, classes=()):
    sizes = list(classes) + [0] * (13 - len(classes))
    return [st, ct, naics, nf, emp, "G", emp * 40, "G", emp * 160, est] + sizes


write("cbp21co.txt", [CBP_HEAD,
                      cbp("01", "001", "------", "G", 3300, 9),
                      cbp("01", "001", "31----", "G", 300, 2),
                      cbp("01", "001", "336111", "G", 250, 2, (0, 0, 0, 0, 0, 1, 1)),
                      cbp("01", "001", "541511", "H", 50, 5, (2, 2, 1)),
                      cbp("01", "003", "336111", "D", 0, 3, (0, 1, 2)),
                      cbp("01", "003", "541511", "G", 40, 4, (1, 2, 1)),
                      cbp("01", "999", "541511", "G", 10, 1, (0, 1)),
                      cbp("06", "037", "336111", "G", 900, 10, (0, 0, 0, 5, 5)),
                      cbp("06", "037", "541511", "J", 2000, 100, (50, 20, 20, 10))], quote=csv.QUOTE_NONNUMERIC)

# --- County Business Patterns before 2017 (cbp12co.txt: upper case, EMPFLAG size ranges) -------
# 01001/336111 flag A: 3×2.5 + 1×7 = 14.5 (inside A's 0–19). 01003/336111 flag B: 2×2.5 = 5,
# clipped up to B's lower bound 20. 06037/541511: 700 as published.
OLD_HEAD = ["FIPSTATE", "FIPSCTY", "NAICS", "EMPFLAG", "EMP_NF", "EMP", "QP1_NF", "QP1", "AP_NF", "AP", "EST",
            "N1_4", "N5_9", "N10_19", "N20_49", "N50_99", "N100_249", "N250_499", "N500_999", "N1000", "N1000_1",
            "N1000_2", "N1000_3", "N1000_4", "CENSTATE", "CENCTY"]


def old(st, ct, naics, flag, emp, est, classes=()):
    sizes = list(classes) + [0] * (13 - len(classes))
    return [st, ct, naics, flag, "G" if not flag else "", emp, "", emp * 10, "", emp * 40, est] + sizes + ["63", "1"]


write("cbp12co.txt", [OLD_HEAD,
                      old("01", "001", "336111", "A", 0, 4, (3, 1)),
                      old("01", "003", "336111", "B", 0, 2, (2,)),
                      old("06", "037", "541511", "", 700, 30, (10, 10, 10))])

# --- BLS QCEW annual averages (singlefile layout) ---------------------------------------------
# Kept: 01001/336111 100 (own 5, agglvl 78), 06037/336111 5000, 06037/541511 12000.
# Left out: the national row (agglvl 18), a federal row (own 1), a 3-digit row (agglvl 75),
# and the suppressed 01003/541511 (disclosure N).
QCEW_HEAD = ["area_fips", "own_code", "industry_code", "agglvl_code", "size_code", "year", "qtr", "disclosure_code",
             "annual_avg_estabs", "annual_avg_emplvl", "total_annual_wages", "taxable_annual_wages",
             "annual_contributions", "annual_avg_wkly_wage", "avg_annual_pay"]


def qcew(area, own, ind, agg, disc, estabs, emp):
    return [area, own, ind, agg, "0", "2022", "A", disc, estabs, emp, emp * 50000, emp * 7000, emp * 200,
            960, 50000]


write("qcew_2022.csv", [QCEW_HEAD,
                        qcew("US000", "5", "336111", "18", "", 300, 200000),
                        qcew("01001", "5", "336111", "78", "", 2, 100),
                        qcew("01001", "1", "336111", "78", "", 1, 40),
                        qcew("01001", "5", "336", "75", "", 3, 140),
                        qcew("01003", "5", "541511", "78", "N", 0, 0),
                        qcew("06037", "5", "336111", "78", "", 20, 5000),
                        qcew("06037", "5", "541511", "78", "", 900, 12000)], quote=csv.QUOTE_ALL)

# --- Atlas of Economic Complexity country × product × year -----------------------------------
ATLAS_HEAD = ["country_id", "country_iso3_code", "product_id", "product_hs92_code", "year", "export_value",
              "import_value", "global_market_share", "export_rca", "distance", "cog", "pci"]
atlas = [ATLAS_HEAD]
vals = {("DEU", "8703"): 150e9, ("DEU", "3004"): 70e9, ("DEU", "0901"): 3e9,
        ("COL", "8703"): 0.1e9, ("COL", "3004"): 0.5e9, ("COL", "0901"): 3e9,
        ("JPN", "8703"): 90e9, ("JPN", "3004"): 8e9, ("JPN", "0901"): 0.01e9}
for k, ((c, p), v) in enumerate(sorted(vals.items())):
    atlas.append([100 + k, c, 200 + k, p, 2020, f"{v:.0f}", 0, 0, 0, 0, 0, 0])
write("atlas_2020.csv", atlas)
# Bilateral: every value split over two partners; read as atlas, summed back to the above.
bil = [["country_iso3_code", "partner_iso3_code", "product_hs92_code", "year", "export_value"]]
for (c, p), v in sorted(vals.items()):
    bil.append([c, "USA", p, 2020, f"{0.25 * v:.0f}"])
    bil.append([c, "CHN", p, 2020, f"{0.75 * v:.0f}"])
write("atlas_bilateral_2020.csv", bil)

# --- OEC data download (continent-prefixed countries, section-prefixed HS4) -------------------
oec = [["Continent ID", "Continent", "Country ID", "Country", "HS4 ID", "HS4", "Year", "Trade Value"]]
cont = {"DEU": ("eu", "Germany"), "COL": ("sa", "Colombia"), "JPN": ("as", "Japan")}
sect = {"8703": "17", "3004": "6", "0901": "2"}
for (c, p), v in sorted(vals.items()):
    oec.append([cont[c][0], cont[c][0], cont[c][0] + c.lower(), cont[c][1], sect[p] + p, "product", 2020, f"{v:.0f}"])
write("oec_hs4_2020.csv", oec)

# --- establishments: alternative names, GeoPackage, swapped coordinates ---------------------
random.seed(11)
pts = []
for i in range(60):
    # two tight groups of 30 (industries A and B) around Hartford and New Haven, CT
    if i < 30:
        lon, lat, ind, reg = -72.68 + random.gauss(0, 0.01), 41.76 + random.gauss(0, 0.01), "A", "09003"
    else:
        lon, lat, ind, reg = -72.93 + random.gauss(0, 0.01), 41.31 + random.gauss(0, 0.01), "B", "09009"
    pts.append([f"e{i}", ind, reg, round(lon, 6), round(lat, 6), 10])
write("est_ct.csv", [["id", "industry", "region", "lon", "lat", "employees"]] + pts)
write("est_longitude.csv", [["ID", "Industry", "Longitude", "Latitude"]] + [[p[0], p[1], p[3], p[4]] for p in pts])
# one row with lon and lat exchanged (line 12 of the file)
sw = [list(p) for p in pts]
sw[10][3], sw[10][4] = sw[10][4], sw[10][3]
write("est_swapped_row.csv", [["id", "industry", "region", "lon", "lat", "employees"]] + sw)
write("est_swapped_row_noregion.csv", [["id", "industry", "lon", "lat"]] + [[p[0], p[1], p[3], p[4]] for p in sw])
sw_all = [[p[0], p[1], p[2], p[4], p[3], p[5]] for p in pts]
write("est_swapped_all.csv", [["id", "industry", "region", "lon", "lat", "employees"]] + sw_all)

for name, srs in (("est_ct.gpkg", "EPSG:4326"), ("est_ct_3857.gpkg", "EPSG:3857")):
    if os.path.exists(path(name)):
        os.remove(path(name))
    subprocess.check_call(["ogr2ogr", "-f", "GPKG", path(name), path("est_ct.csv"), "-nln", "establishments",
                           "-oo", "X_POSSIBLE_NAMES=lon", "-oo", "Y_POSSIBLE_NAMES=lat", "-oo", "KEEP_GEOM_COLUMNS=NO",
                           "-s_srs", "EPSG:4326", "-t_srs", srs])
print("written")
