// The LISA cluster map (Anselin 1995) of a planted cluster's LQ, in GeoDa's colours.
import * as d3 from 'd3';
import { rows } from '../data.js';
import { panel, choropleth, LISA, fmt, table } from '../charts.js';
import { state, set } from '../state.js';
import { polygons, regionNames, regionId, empty } from './common.js';

const CLASS = { HH: 'HH', LL: 'LL', HL: 'HL', LH: 'LH' };

export async function hotspotsView(root, ctx) {
  const [features, hs, names] = await Promise.all([polygons(), rows('hotspots'), regionNames()]);
  if (!hs.length) return empty(root, 'hot-spot result');
  const by = new Map(hs.map((r) => [String(r.region), r]));
  const cls = (r) => CLASS[String(r?.class ?? '').toUpperCase()] ?? 'ns';
  const counts = d3.rollup(hs, (v) => v.length, (r) => cls(r));
  const p = panel(root, 'hotspots-map', 'LISA cluster map (local Moran, queen contiguity, FDR 5%)', 'High-High: a high value among high neighbours (a hot spot); Low-Low: a cold spot; HL/LH: outliers.');
  choropleth(p.body, features, {
    idOf: regionId,
    fill: (f) => LISA[cls(by.get(regionId(f)))],
    selected: new Set(state.region ? [state.region] : []),
    legend: ['HH', 'LL', 'LH', 'HL', 'ns'].map((k) => ({ colour: LISA[k], label: `${k === 'ns' ? 'not significant' : k === 'HH' ? 'High-High' : k === 'LL' ? 'Low-Low' : k === 'LH' ? 'Low-High' : 'High-Low'} (${counts.get(k) ?? 0})` })),
    label: (f) => { const id = regionId(f), r = by.get(id); return `<b>${names.get(id) ?? id}</b><br>value ${fmt(r?.value)} · z ${fmt(r?.z)} · p ${fmt(r?.p, 3)}<br>${r?.class ?? ''}`; },
    onClick: (id) => set({ region: id }),
  });
  p.setData(hs);
  const sig = hs.filter((r) => cls(r) !== 'ns').sort((a, b) => d3.ascending(a.p, b.p)).slice(0, 20);
  const tp = panel(root, 'hotspots-table', 'Significant counties');
  table(tp.body, sig.map((r) => ({ ...r, name: names.get(String(r.region)) ?? r.region })), [
    { key: 'name', label: 'county' }, { key: 'region', label: 'code' }, { key: 'class', label: 'class' }, { key: 'value', label: 'LQ', format: (v) => fmt(v, 3) }, { key: 'z', label: 'z', format: (v) => fmt(v, 2) }, { key: 'p', label: 'p', format: (v) => fmt(v, 4) },
  ], { id: 'hotspot-rows', key: (r) => String(r.region), highlight: new Set(state.region ? [state.region] : []), onClick: (r) => set({ region: String(r.region) }) });
  tp.setData(sig);
  ctx.reproduce('agglo hotspots --regions agglo-demo/workspace.gpkg --layer region_polygons --id fips --values agglo-demo/hotspots_lq.csv --value lq --weights queen --fdr 0.05 -o hotspots.csv',
    'agglo.hotspots(regions="agglo-demo/workspace.gpkg", layer="region_polygons", id="fips", values="agglo-demo/hotspots_lq.csv", value="lq", weights="queen", fdr=0.05)');
}
