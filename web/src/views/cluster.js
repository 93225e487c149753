// A cluster's page: its member industries with names, where it is strongest, its size.
import * as d3 from 'd3';
import { rows } from '../data.js';
import { panel, barChart, table, fmt, fmtInt } from '../charts.js';
import { state, set } from '../state.js';
import { cells, regionNames, currentCluster, select, empty, WS } from './common.js';

export async function clusterView(root, ctx) {
  const [c, names, industries, summary] = await Promise.all([cells(), regionNames(), rows('industries'), rows('cluster_map_cluster_summary')]);
  if (!c.rows.length) return empty(root, 'cluster map');
  const cluster = currentCluster(c);
  const controls = root.append('div').attr('class', 'controls');
  select(controls, 'cluster', 'Cluster', c.clusters.map((k) => ({ value: k, label: k })), cluster);
  const mine = c.byCluster.get(cluster);
  const strong = mine.filter((r) => r.strong);
  const total = d3.sum(mine, (r) => r.employment);
  root.append('h2').attr('id', 'cluster-title').text(cluster);
  const facts = root.append('dl').attr('class', 'facts').attr('id', 'cluster-facts');
  const fact = (k, label, v) => { facts.append('dt').text(label); facts.append('dd').attr('data-field', k).text(v); };
  fact('employment', 'employment', fmtInt(total));
  fact('regions', 'counties with employment', fmtInt(mine.length));
  fact('strong', 'counties where it is strong', fmtInt(strong.length));
  const s = summary.find((r) => r.cluster === cluster);
  if (s) for (const [k, v] of Object.entries(s)) if (!['cluster', 'employment'].includes(k) && typeof v === 'number') fact(`summary-${k}`, k.replace(/_/g, ' '), fmt(v, Number.isInteger(v) ? 0 : 3));

  const grid = root.append('div').attr('class', 'grid');
  const top = [...mine].sort((a, b) => d3.descending(a.lq, b.lq)).slice(0, 15);
  const p = panel(grid, 'cluster-top-lq', `Where ${cluster} is most concentrated (LQ, top 15 counties)`, 'Blue bars: strong. The line marks LQ = 1, the national share.');
  const highlight = new Set(state.region ? [state.region] : []);
  barChart(p.body, top.map((r) => ({ key: r.region, label: `${names.get(r.region) ?? r.region}`, value: r.lq, colour: r.strong ? '#0072B2' : '#9fb7c9' })), {
    xLabel: 'location quotient', reference: 1, highlight, onClick: (id) => set({ region: id }), format: (v) => fmt(v, 2),
  });
  p.setData(top.map((r) => ({ region: r.region, name: names.get(r.region), lq: r.lq, strong: r.strong, employment: r.employment })));

  const members = industries.filter((i) => i.cluster === cluster);
  const ip = panel(grid, 'cluster-industries', `Member industries (${members.length})`);
  const nameCol = ['title', 'name', 'code_name', 'industry_name'].find((k) => members[0] && k in members[0]);
  table(ip.body, members, [{ key: 'code', label: 'code' }, ...(nameCol ? [{ key: nameCol, label: 'industry' }] : []), ...(members[0] && 'kind' in members[0] ? [{ key: 'kind', label: 'kind' }] : [])], {
    id: 'cluster-members', key: (r) => String(r.code), highlight: new Set(state.industry ? [state.industry] : []), onClick: (r) => set({ industry: String(r.code) }),
  });
  ip.setData(members);
  const sp = panel(grid, 'cluster-strong-regions', `Counties where ${cluster} is strong (${strong.length})`);
  const strongRows = [...strong].sort((a, b) => d3.descending(a.lq, b.lq)).map((r) => ({ ...r, name: names.get(r.region) ?? r.region }));
  table(sp.body, strongRows, [{ key: 'name', label: 'county' }, { key: 'region', label: 'code' }, { key: 'lq', label: 'LQ', format: (v) => fmt(v, 3) }, { key: 'employment', label: 'jobs', format: fmtInt }], {
    id: 'strong-regions', key: (r) => r.region, highlight, onClick: (r) => set({ region: r.region }),
  });
  sp.setData(strongRows);
  ctx.reproduce(`agglo cluster-map --employment ${WS}/inputs/employment.csv --clusters ${WS}/inputs/industries.csv -o cluster_map.csv   # rows with cluster = "${cluster}"`,
    `r = agglo.cluster_map(employment="${WS}/inputs/employment.csv", clusters="${WS}/inputs/industries.csv"); r.table[r.table.cluster == ${JSON.stringify(cluster)}]`);
}
