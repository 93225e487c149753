// The choropleth: regions coloured by a cluster's location quotient, by whether the cluster
// is strong there (US Cluster Mapping's rule) or by its European Cluster Observatory stars.
import * as d3 from 'd3';
import { panel, choropleth, fmt, fmtInt, table } from '../charts.js';
import { state, set } from '../state.js';
import { cells, polygons, regionNames, regionId, currentCluster, select, empty, WS } from './common.js';

const LQ_BREAKS = [0.5, 0.8, 1.25, 2, 4];
// Cividis (colour-blind safe), light to dark.
const LQ_COLOURS = ['#f2f0e6', '#d7cf9e', '#a9a27a', '#7c7b78', '#4f5a6e', '#1f3969'];

export function measureScale(measure) {
  if (measure === 'strong') {
    return { colour: (r) => (r ? (r.strong ? '#0072B2' : '#e8e8e8') : '#ffffff'), legend: [{ colour: '#0072B2', label: 'strong cluster' }, { colour: '#e8e8e8', label: 'not strong' }, { colour: '#ffffff', label: 'no employment' }] };
  }
  if (measure === 'stars') {
    const c = ['#e8e8e8', '#9ecae1', '#4292c6', '#08306b'];
    return { colour: (r) => (r ? c[Math.min(3, r.stars ?? 0)] : '#ffffff'), legend: [0, 1, 2, 3].map((s) => ({ colour: c[s], label: `${s} star${s === 1 ? '' : 's'}` })) };
  }
  const scale = d3.scaleThreshold().domain(LQ_BREAKS).range(LQ_COLOURS);
  const labels = ['< 0.5', '0.5–0.8', '0.8–1.25', '1.25–2', '2–4', '≥ 4'];
  return { colour: (r) => (r ? scale(r.lq) : '#ffffff'), legend: LQ_COLOURS.map((c, i) => ({ colour: c, label: labels[i] })).concat([{ colour: '#ffffff', label: 'none' }]) };
}

export async function mapView(root, ctx) {
  const [c, features, names] = await Promise.all([cells(), polygons(), regionNames()]);
  if (!c.rows.length || !features.length) return empty(root, 'cluster map or region polygons');
  const cluster = currentCluster(c);
  const hasStars = c.rows.some((r) => r.stars !== undefined && r.stars !== null);
  const measure = ['lq', 'strong', 'stars'].includes(state.measure) && (state.measure !== 'stars' || hasStars) ? state.measure : 'strong';
  const controls = root.append('div').attr('class', 'controls');
  select(controls, 'cluster', 'Cluster', c.clusters.map((k) => ({ value: k, label: k })), cluster);
  select(controls, 'measure', 'Colour by', [{ value: 'strong', label: 'strong cluster' }, { value: 'lq', label: 'location quotient' }].concat(hasStars ? [{ value: 'stars', label: 'ECO stars' }] : []), measure);
  const byRegion = new Map(c.byCluster.get(cluster).map((r) => [r.region, r]));
  const { colour, legend } = measureScale(measure);
  const selected = new Set(state.region ? [state.region] : []);
  const grid = root.append('div').attr('class', 'grid');
  const p = panel(grid, 'map-choropleth', `${cluster}: ${measure === 'lq' ? 'location quotient' : measure === 'stars' ? 'stars' : 'strong clusters'} by county`,
    'Strong as agglo cluster-map decides (US Cluster Mapping rule by default: LQ in the top quartile of the cluster\'s regions, at least 1, with employment and establishments above the bottom quartile). Click a county to select it in every view.');
  choropleth(p.body, features, {
    title: `map of ${cluster}`,
    idOf: regionId,
    fill: (f) => colour(byRegion.get(regionId(f))),
    selected,
    legend,
    label: (f) => {
      const id = regionId(f), r = byRegion.get(id);
      return `<b>${names.get(id) ?? id}</b> (${id})<br>${cluster}<br>LQ ${fmt(r?.lq)} · ${fmtInt(r?.employment)} jobs${r?.strong ? '<br><b>strong</b>' : ''}`;
    },
    onClick: (id) => set({ region: state.region === id ? '' : id }),
  });
  p.setData(c.byCluster.get(cluster).map((r) => ({ region: r.region, name: names.get(r.region), cluster, lq: r.lq, strong: r.strong, employment: r.employment })));

  const side = grid.append('div').attr('class', 'side');
  const detail = side.append('section').attr('class', 'panel').attr('id', 'region-detail');
  if (state.region) {
    const r = byRegion.get(state.region);
    detail.append('h3').text(`${names.get(state.region) ?? state.region} (${state.region})`);
    const dl = detail.append('dl');
    const item = (k, label, v) => { dl.append('dt').text(label); dl.append('dd').attr('data-field', k).text(v); };
    item('cluster', 'cluster', cluster);
    item('lq', 'location quotient', fmt(r?.lq, 3));
    item('employment', 'employment', fmtInt(r?.employment));
    item('strong', 'strong', r ? (r.strong ? 'yes' : 'no') : 'no employment');
    detail.append('a').attr('href', '#').text('Open the region page →').on('click', (e) => { e.preventDefault(); set({ view: 'regions' }); });
  } else {
    detail.append('p').text('Select a county on the map.');
  }
  const top = [...byRegion.values()].sort((a, b) => d3.descending(a.lq, b.lq)).slice(0, 10);
  const tp = panel(side, 'map-top-regions', `Top 10 counties by LQ`);
  table(tp.body, top.map((r) => ({ ...r, name: names.get(r.region) ?? r.region })), [
    { key: 'name', label: 'county' }, { key: 'region', label: 'code' }, { key: 'lq', label: 'LQ', format: (v) => fmt(v, 3) }, { key: 'employment', label: 'jobs', format: fmtInt }, { key: 'strong', label: 'strong', format: (v) => (v ? '●' : '') },
  ], { id: 'top-regions', key: (r) => r.region, highlight: selected, onClick: (r) => set({ region: r.region }) });
  tp.setData(top);
  ctx.reproduce(`agglo cluster-map --employment ${WS}/inputs/employment.csv --clusters ${WS}/inputs/industries.csv --industries ${WS}/inputs/industries.csv -o cluster_map.csv`,
    `agglo.cluster_map(employment="${WS}/inputs/employment.csv", clusters="${WS}/inputs/industries.csv", industries="${WS}/inputs/industries.csv").table`);
}
