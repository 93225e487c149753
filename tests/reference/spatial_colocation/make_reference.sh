#!/usr/bin/env bash
# Reference output of the join-based co-location miner of Huang, Shekhar & Xiong (2004)
# (bench/spatial_colocation_reference.py, plain Python with scipy's cKDTree) for
# SpatialColocationReference.AgreesWithJoinBasedPythonMiner (tests/unit/spatial/test_colocation.cpp).
# The test reads the files written here; it never runs Python.
#
#   bash tests/reference/spatial_colocation/make_reference.sh
#
# Input: 3,000 establishments of 16 industries with planted groups (bench/spatial_colocation_data.py
# 3000 16 5), distance 0.4 km, θ = 0.1, patterns up to size 4. The reference has no minimum
# support (Huang et al.'s plain definition): the test runs agglo with min_support = 1.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bench=$here/../../../bench
/usr/bin/python3 "$bench/spatial_colocation_data.py" 3000 16 5 "$here/est3000.csv"
/usr/bin/python3 "$bench/spatial_colocation_reference.py" "$here/est3000.csv" 0.4 0.1 4 "$here/join_based_d0.4_theta0.1_k4.csv"
