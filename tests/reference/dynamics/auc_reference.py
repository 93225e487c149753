"""Reference ranking metrics for tests/unit/dynamics/test_entry.cpp from scikit-learn
(Debian python3-sklearn): roc_auc_score and average_precision_score on scores with many ties,
and on the entry predictions agglo writes for data/sample/panel_tiny.csv (2019 -> 2024).

Run: /usr/bin/python3 auc_reference.py [predictions.csv]
     (predictions.csv: `agglo entry --employment data/sample/panel_tiny.csv --from 2019 --to 2024 -o DIR`)
"""
import sys
import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, roc_auc_score

rng = np.random.default_rng(2024)
n = 400
label = rng.random(n) < 0.2
score = np.round(rng.normal(size=n) + 0.8 * label, 1)  # rounded: many ties
pd.DataFrame({"score": score, "label": label.astype(int)}).to_csv("auc_cases.csv", index=False)
rows = [("auc_cases", roc_auc_score(label, score), average_precision_score(label, score))]
if len(sys.argv) > 1:
    p = pd.read_csv(sys.argv[1], dtype={"location": str, "product": str})
    rows.append(("panel_tiny_entry", roc_auc_score(p.entered, p.probability), average_precision_score(p.entered, p.probability)))
pd.DataFrame(rows, columns=["case", "roc_auc", "average_precision"]).to_csv("auc_reference.csv", index=False, float_format="%.15g")
print(pd.read_csv("auc_reference.csv"))
