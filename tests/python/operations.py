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
}

#: What legitimately differs between two runs of the same command: clocks. Compared after
#: replacing these, as (file-name suffix, regex) pairs; "stdout" is the report on stdout.
VOLATILE = [
    ("summary.json", r'"seconds": (\{[^}]*\}|[0-9.e+-]+)'),  # the run's timings
    ("report.html", r"<dt>elapsed</dt><dd>[^<]*</dd>"),  # agglo demo's run time
    (".gpkg", r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"),  # gpkg_contents.last_change (GeoPackage spec)
    ("stdout", r"\d+\.\d+ s\b"),               # "total 0.14 s"
]
