"""The arguments with which tests/python/test_operations.py calls every registered operation,
once from the CLI and once from Python, and compares the results byte for byte.

One line per operation: the CLI name -> its arguments as on the command line (without -o),
with these placeholders:

    {tiny}    the tiny synthetic economy (agglo synth --preset tiny --seed 7), made per session
    {data}    the checkout's data/            {good}   tests/cli/good/
    {cases}   tests/cases/                    {tmp}    a scratch directory of the test

The Python call is derived from the same words: `--min-points 10` becomes min_points=10 (an
int, as the registry types the option), `--summary regions,industries` a list, a bare boolean
flag True. A registered operation without a line here makes the test fail, naming it: when
you add an operation, add its line (keep it cheap: a second or two on the tiny data).
"""

OPERATIONS = {
    "validate": "--employment {tiny}/employment.csv --establishments {tiny}/establishments.csv",
    "synth": "--preset tiny",
    "specialize": "--employment {tiny}/employment.csv --summary regions,industries",
    "concentrate": "--establishments {tiny}/establishments.csv",
    "relatedness": "--employment {tiny}/employment.csv",
    "define-clusters": "--employment {tiny}/employment.csv",
    "cluster-map": "--employment {tiny}/employment.csv --clusters {tiny}/industries.csv",
    "complexity": "--exports {data}/reference/world_exports_sitc4_avg_1998_2000.csv",
    "opportunities": "--exports {data}/reference/world_exports_sitc4_avg_1998_2000.csv --location COL --top 20",
    "survey diamond": "--responses {tiny}/responses.csv",
    "survey tables": "--responses {tiny}/responses.csv --outcomes product_innovation --by regional_cluster",
    "survey model": "--responses {tiny}/responses.csv --outcome product_innovation "
                    "--predictors scope,log(firm_employees),rnd,foreign --baseline scope=regional --se hc1",
    "survey benefits": "--responses {data}/sample/survey_benefits_example.csv --items products,competence,costs,markets,academia",
    "survey initiatives": "",
    "network": "--nodes {tiny}/nodes.csv --edges {tiny}/edges.csv --group cluster",
    "triple-helix": "--firms {good}/network_firms_xor.csv --dimensions region,tech,org",
    "simulate": "--model brenner",
    "dbscan": "--establishments {tiny}/establishments.csv --eps 2 --min-points 10",
    "hdbscan": "--establishments {tiny}/establishments.csv --min-cluster-size 30",
    "kdensity": "--establishments {tiny}/establishments.csv --industry 336111 --simulations 99",
    "mfunction": "--establishments {tiny}/establishments.csv --industry 336111 --max-distance 20 --simulations 99",
    "ripley": "--establishments {good}/dist_points.csv --window 0,0,1000,1000 --simulations 99",
    "colocation": "--establishments {tiny}/establishments.csv --distance 2 --min-prevalence 0.3 --max-size 3",
    "hotspots": "--regions {good}/hot_points.csv --value value --weights knn --k 4 --permutations 99",
    "scorecard": "--initiatives {data}/sample/kronoberg_cluster_initiatives.csv",
    "index": "--indicators {data}/reference/asem/asem_indicators.csv --tree {data}/reference/asem/asem_tree.csv",
    "recommend": "--scorecard {cases}/scorecard/kronoberg_scorecard.csv",
    "demo": "--preset tiny",
    "io": "--io {cases}/../reference/structure/germany_1995/flows.csv "
          "--totals {cases}/../reference/structure/germany_1995/totals.csv",
    "blocks": "--io {good}/../bad/io_small.csv --totals {good}/../bad/io_totals_3.csv "
              "--series {good}/../bad/series_short.csv --lags 2",
    "resilience": "--employment {good}/resilience_panel.csv --from 2007 --trough 2009 --to 2014",
    "synth-structure": "",
    "entry": "--employment {data}/sample/panel_tiny.csv --from 2019 --to 2024",
    "survival": "--spells {cases}/../reference/dynamics/lung.csv --time time --event status --covariates age,sex",
    "evaluate did": "--panel {cases}/../reference/dynamics/mpdta.csv --unit countyreal --time year --outcome lemp "
                    "--cohort first.treat --bootstrap 99",
    "evaluate synth": "--panel {cases}/../reference/dynamics/synth_panel.csv --unit unit --time year --outcome y "
                      "--treated treated --treatment-time 2010",
    "evaluate anchor": "--panel {cases}/../reference/dynamics/anchor_panel.csv --unit plant --time year --outcome log_tfp "
                       "--case case --winner winner --opening opening --cluster county",
    "evaluate match": "--data {cases}/../reference/dynamics/lalonde.csv --unit id --treatment treat "
                      "--covariates age,educ,black,hispan,married,nodegree,re74,re75",
    "spatial-model": "--regions {cases}/../reference/spatial_model/columbus.gpkg --id POLYID --y CRIME --x INC,HOVAL "
                     "--model sar --weights queen --draws 100",
    "report": "--workspace {good}/inputs/est_ct.gpkg",
}

#: Where an operation writes when its output is not a directory: the path given as -o (and
#: output=), inside the directory "out" that the tests compare. The default is "out" itself.
OUTPUTS = {
    "report": "out/report.html",  # a single HTML file
}

#: What legitimately differs between two runs of the same command: the timings in the human
#: report on stdout. Files carry no clock (summary.json has timings only with --timings,
#: GeoPackages a fixed last_change), so they are compared unmasked. (file-name suffix, regex)
#: pairs; "stdout" is the report on stdout.
VOLATILE = [
    ("stdout", r"\d+\.\d+ s\b"),               # "total 0.14 s" (summaries and GeoPackages carry no clock)
]
