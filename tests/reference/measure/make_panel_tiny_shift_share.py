#!/usr/bin/env python3
"""Independent reference for `agglo specialize --from 2019 --to 2024` on data/sample/panel_tiny.csv:
the shift-share decomposition (Dunn 1960; Esteban-Marquillas 1972) written out with pandas from the
formulas in docs/methods/specialisation.md, summed per region. Writes
tests/reference/measure/panel_tiny_shift_share_regions.csv, which
tests/unit/measure/test_specialize_panels.cpp compares with agglo's shift_share_regions table.

    /usr/bin/python3 tests/reference/measure/make_panel_tiny_shift_share.py
"""
import os

import numpy as np
import pandas as pd

here = os.path.dirname(os.path.abspath(__file__))
panel = pd.read_csv(os.path.join(here, "..", "..", "..", "data", "sample", "panel_tiny.csv"), dtype={"region": str, "industry": str})
w = panel.pivot_table(index=["region", "industry"], columns="year", values="employment", aggfunc="sum", fill_value=0)
e0, e1 = w[2019], w[2024]
E0, E1 = e0.sum(), e1.sum()
G = E1 / E0 - 1                                            # national growth
Ei0 = e0.groupby(level="industry").sum()
Ei1 = e1.groupby(level="industry").sum()
Gi = (Ei1 / Ei0 - 1).reindex(w.index.get_level_values("industry")).to_numpy()  # industry growth
Er0 = e0.groupby(level="region").sum().reindex(w.index.get_level_values("region")).to_numpy()
hat = Er0 * Ei0.reindex(w.index.get_level_values("industry")).to_numpy() / E0  # homothetic employment
x0, x1 = e0.to_numpy(dtype=float), e1.to_numpy(dtype=float)
cells = pd.DataFrame(index=w.index)
cells["employment_from"] = x0
cells["employment"] = x1
cells["employment_change"] = x1 - x0
cells["national_effect"] = x0 * G
cells["mix_effect"] = np.where(x0 > 0, x0 * (Gi - G), 0.0)
cells["competitive_effect"] = np.where(x0 > 0, x0 * (x1 / np.where(x0 > 0, x0, 1) - 1 - Gi), x1)
g = np.where(x0 > 0, x1 / np.where(x0 > 0, x0, 1) - 1, np.nan)
entry = x0 == 0
cells["homothetic_effect"] = np.where(entry, 0.0, hat * (g - Gi))
cells["allocation_effect"] = np.where(entry, 0.0, (x0 - hat) * (g - Gi))
cells["entry_effect"] = np.where(entry, x1, 0.0)
regions = cells.groupby(level="region").sum()
regions.to_csv(os.path.join(here, "panel_tiny_shift_share_regions.csv"), float_format="%.10f")
print(f"G = {G:.10f}; {len(regions)} regions; {int(entry.sum())} entries")
