// A region's page (its strong clusters and specialisation) and the comparison of up to ten
// regions, as on US Cluster Mapping.
import * as d3 from 'd3';
import { rows } from '../data.js';
import { panel, barChart, table, radarChart, fmt, fmtInt, CATEGORICAL } from '../charts.js';
import { state, set, compareList } from '../state.js';
import { cells, regionNames, currentCluster, empty, WS } from './common.js';

const MAX = 10;

export async function regionsView(root, ctx) {
  const [c, names, spec, cards] = await Promise.all([cells(), regionNames(), rows('specialize_regions'), rows('scorecard')]);
  if (!c.rows.length) return empty(root, 'cluster map');
  const regions = [...c.byRegion.keys()].sort();
  const region = state.region && c.byRegion.has(state.region) ? state.region : regions[0];
  let compare = compareList().filter((r) => c.byRegion.has(r));
  if (!compare.includes(region)) compare = [region, ...compare].slice(0, MAX);
  const specOf = new Map(spec.map((r) => [String(r.region), r]));
  const cluster = currentCluster(c);

  // The region picker: type a name or code (a datalist), Enter adds it to the comparison.
  const controls = root.append('div').attr('class', 'controls');
  const lab = controls.append('label').attr('class', 'control');
  lab.append('span').text('Add a county to compare');
  const input = lab.append('input').attr('id', 'compare-input').attr('list', 'region-list').attr('placeholder', 'name or code');
  controls.append('datalist').attr('id', 'region-list').selectAll('option').data(regions).join('option').attr('value', (r) => `${r} ${names.get(r) ?? ''}`.trim());
  const add = () => {
    const code = input.property('value').split(' ')[0];
    if (c.byRegion.has(code) && !compare.includes(code) && compare.length < MAX) set({ compare: [...compare, code].join(',') });
  };
  input.on('keydown', (e) => { if (e.key === 'Enter') add(); });
  controls.append('button').attr('type', 'button').attr('id', 'compare-add').text('Add').on('click', add);
  controls.append('span').attr('class', 'hint').text(`${compare.length} of at most ${MAX}`);
  const chips = root.append('ul').attr('class', 'chips').attr('id', 'compare-list');
  const li = chips.selectAll('li').data(compare).join('li').attr('data-region', (r) => r).classed('selected', (r) => r === region);
  li.append('button').attr('type', 'button').attr('class', 'chip').text((r) => `${names.get(r) ?? r} (${r})`).on('click', (e, r) => set({ region: r }));
  li.append('button').attr('type', 'button').attr('class', 'remove').attr('aria-label', (r) => `remove ${r}`).text('×').on('click', (e, r) => set({ compare: compare.filter((x) => x !== r).join(','), region: r === region ? compare.find((x) => x !== r) ?? '' : region }));

  // The region's page.
  const mine = c.byRegion.get(region);
  root.append('h2').attr('id', 'region-title').text(`${names.get(region) ?? region} (${region})`);
  const facts = root.append('dl').attr('class', 'facts').attr('id', 'region-facts');
  const fact = (k, label, v) => { facts.append('dt').text(label); facts.append('dd').attr('data-field', k).text(v); };
  const strong = mine.filter((r) => r.strong).sort((a, b) => d3.descending(a.lq, b.lq));
  fact('employment', 'employment in clusters', fmtInt(d3.sum(mine, (r) => r.employment)));
  fact('strong', 'strong clusters', fmtInt(strong.length));
  const sr = specOf.get(region);
  if (sr) for (const k of ['hoover', 'krugman', 'gini', 'diversity']) if (k in sr) fact(k, k, fmt(sr[k], 3));
  const grid = root.append('div').attr('class', 'grid');
  const sp = panel(grid, 'region-strong-clusters', `Strong clusters of ${names.get(region) ?? region}`);
  barChart(sp.body, strong.map((r) => ({ key: r.cluster, label: r.cluster, value: r.lq, colour: '#0072B2' })), {
    xLabel: 'location quotient', reference: 1, highlight: new Set([cluster]), onClick: (k) => set({ cluster: k }), format: (v) => fmt(v, 2), left: 300,
  });
  sp.setData(strong.map((r) => ({ region, cluster: r.cluster, lq: r.lq, employment: r.employment })));

  // The comparison: the selected cluster's LQ in each region, and one row per region.
  const cp = panel(grid, 'compare-lq', `${cluster}: LQ in the compared counties`);
  const cmpRows = compare.map((r, i) => {
    const cell = c.byRegion.get(r).find((x) => x.cluster === cluster);
    return { key: r, label: names.get(r) ?? r, value: cell?.lq ?? 0, colour: CATEGORICAL[i % CATEGORICAL.length], strong: cell?.strong ?? 0, employment: cell?.employment ?? 0 };
  });
  barChart(cp.body, cmpRows, { xLabel: 'location quotient', reference: 1, highlight: new Set([region]), onClick: (k) => set({ region: k }), format: (v) => fmt(v, 2) });
  cp.setData(cmpRows.map((r) => ({ region: r.key, name: r.label, cluster, lq: r.value, strong: r.strong, employment: r.employment })));
  // The scorecard (the policy note's criteria as percentiles among the cluster's regions):
  // the selected county against its peers in the comparison.
  const cardRows = cards.filter((r) => r.cluster === cluster && compare.includes(String(r.region)) && Number.isFinite(r.percentile));
  if (cardRows.length) {
    const axes = [...new Set(cardRows.map((r) => r.criterion))];
    const series = compare.map((r, i) => ({
      name: names.get(r) ?? r, colour: CATEGORICAL[i % CATEGORICAL.length],
      values: Object.fromEntries(cardRows.filter((x) => String(x.region) === r).map((x) => [x.criterion, x.percentile])),
    })).filter((s) => Object.keys(s.values).length);
    const rp = panel(root, 'region-scorecard', `Scorecard of ${cluster}: ${names.get(region) ?? region} and its peers (percentile among the cluster's counties)`,
      'agglo scorecard: each criterion as the percentile of the county among the counties with this cluster; the first county filled.');
    radarChart(rp.body, axes, series);
    rp.setData(cardRows);
  }
  const tp = panel(root, 'compare-table', 'Compared counties');
  const tRows = compare.map((r) => {
    const cs = c.byRegion.get(r);
    const s = specOf.get(r) ?? {};
    return { region: r, name: names.get(r) ?? r, employment: d3.sum(cs, (x) => x.employment), strong: cs.filter((x) => x.strong).length, top: d3.greatest(cs, (x) => x.lq)?.cluster ?? '', hoover: s.hoover, krugman: s.krugman, diversity: s.diversity };
  });
  table(tp.body, tRows, [
    { key: 'name', label: 'county' }, { key: 'region', label: 'code' }, { key: 'employment', label: 'cluster jobs', format: fmtInt }, { key: 'strong', label: 'strong clusters' },
    { key: 'top', label: 'highest-LQ cluster' }, { key: 'hoover', label: 'Hoover', format: (v) => fmt(v, 3) }, { key: 'krugman', label: 'Krugman', format: (v) => fmt(v, 3) }, { key: 'diversity', label: 'diversity', format: (v) => fmt(v, 3) },
  ], { id: 'compare-rows', key: (r) => r.region, highlight: new Set([region]), onClick: (r) => set({ region: r.region }) });
  tp.setData(tRows);
  ctx.reproduce(`agglo cluster-map --employment ${WS}/inputs/employment.csv --clusters ${WS}/inputs/industries.csv -o cluster_map.csv\nagglo specialize --employment ${WS}/inputs/employment.csv --industries ${WS}/inputs/industries.csv --denominator traded --summary regions -o specialize.csv`,
    `agglo.cluster_map(employment="${WS}/inputs/employment.csv", clusters="${WS}/inputs/industries.csv")\nagglo.specialize(employment="${WS}/inputs/employment.csv", industries="${WS}/inputs/industries.csv", denominator="traded", summary="regions")`);
}
