// Data shared by several views, loaded once: counties, clusters, cluster-map cells.
import * as d3 from 'd3';
import { layer, rows } from '../data.js';
import { state, set } from '../state.js';

let regionsPromise, cellsPromise;

// Region code → name, from the synthetic economy's regions table.
export function regionNames() {
  regionsPromise ??= rows('regions').then((rs) => new Map(rs.map((r) => [String(r.code), r.name ?? String(r.code)])));
  return regionsPromise;
}

// The cluster-map cells (region × cluster: employment, lq, strong, stars…), indexed.
export function cells() {
  cellsPromise ??= rows('cluster_map').then((rs) => {
    for (const r of rs) r.region = String(r.region);
    const byCluster = d3.group(rs, (r) => r.cluster);
    const byRegion = d3.group(rs, (r) => r.region);
    const clusters = [...byCluster.keys()].sort((a, b) => d3.ascending(String(a), String(b)));
    // The default cluster: the traded cluster strong in most regions (the first of equals).
    const traded = clusters.filter((c) => byCluster.get(c).some((r) => r.kind === 'traded'));
    const pool = traded.length ? traded : clusters;
    const strongest = pool.reduce((best, c) => (d3.sum(byCluster.get(c), (r) => r.strong) > d3.sum(byCluster.get(best), (r) => r.strong) ? c : best), pool[0]);
    return { rows: rs, byCluster, byRegion, clusters, strongest };
  });
  return cellsPromise;
}

export async function polygons() {
  const l = await layer('region_polygons');
  return l?.features ?? [];
}

export const regionId = (f) => String(f.properties.fips ?? f.properties.region ?? f.properties.code ?? f.id);

export function currentCluster(c) {
  return state.cluster && c.byCluster.has(state.cluster) ? state.cluster : c.strongest;
}

// A labelled <select> bound to a state key.
export function select(parent, key, label, options, value) {
  const wrap = parent.append('label').attr('class', 'control');
  wrap.append('span').text(label);
  const s = wrap.append('select').attr('id', `select-${key}`).attr('name', key).on('change', (e) => set({ [key]: e.target.value }));
  s.selectAll('option').data(options).join('option').attr('value', (o) => o.value).text((o) => o.label).property('selected', (o) => o.value === value);
  return s;
}

export function empty(root, what) {
  root.append('p').attr('class', 'empty').text(`The workspace has no ${what}; run agglo demo (or the command named under "Reproduce this") to add it.`);
}

export const WS = 'agglo-demo';  // folder of the demo's inputs, for the commands shown
