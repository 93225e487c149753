// Establishments on the map: DBSCAN clusters over the county outlines with the HDBSCAN
// cluster hulls, and the K-density curves of Duranton & Overman (2005) with their bands.
import * as d3 from 'd3';
import { layer, rows } from '../data.js';
import { panel, planarFit, lineChart, CATEGORICAL, legend, fmt } from '../charts.js';
import { state } from '../state.js';
import { polygons, regionId, empty } from './common.js';

export async function pointsView(root, ctx) {
  const [features, db, hulls, kdl, kdd] = await Promise.all([polygons(), rows('dbscan'), layer('hdbscan_hulls'), rows('kdensity_localised'), rows('kdensity_local_industry')]);
  if (!db.length) return empty(root, 'DBSCAN result');
  const width = 720, height = 440;
  const p = panel(root, 'points-map', `DBSCAN clusters of ${db.length} establishments (eps 2 km, 10 points)`, 'Each colour one cluster, grey noise; outlines: HDBSCAN cluster hulls; the selected county is outlined in black.');
  const svg = p.body.append('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('role', 'img').attr('aria-label', 'establishment clusters');
  const fit = planarFit(features.length ? features : [{ geometry: { type: 'MultiPoint', coordinates: db.map((d) => [d.lon, d.lat]) } }], width, height - 28);
  svg.append('g').selectAll('path').data(features).join('path').attr('d', fit.path).attr('class', (f) => (regionId(f) === state.region ? 'outline selected' : 'outline'));
  const noise = db.filter((d) => d.cluster < 0), clustered = db.filter((d) => d.cluster >= 0);
  const g = svg.append('g');
  const step = Math.max(1, Math.ceil(noise.length / 4000));
  g.selectAll('circle.noise').data(noise.filter((d, i) => i % step === 0)).join('circle').attr('class', 'noise')
    .attr('cx', (d) => fit.project(d.lon, d.lat)[0]).attr('cy', (d) => fit.project(d.lon, d.lat)[1]).attr('r', 0.8).attr('fill', '#bbb');
  g.selectAll('circle.member').data(clustered).join('circle').attr('class', 'member')
    .attr('cx', (d) => fit.project(d.lon, d.lat)[0]).attr('cy', (d) => fit.project(d.lon, d.lat)[1]).attr('r', 1.4)
    .attr('fill', (d) => CATEGORICAL[d.cluster % 8]);
  if (hulls?.features?.length) svg.append('g').selectAll('path').data(hulls.features).join('path').attr('class', 'hull').attr('d', fit.path);
  const nClusters = new Set(clustered.map((d) => d.cluster)).size;
  legend(svg, [{ colour: CATEGORICAL[0], label: `${nClusters} clusters (colours repeat)` }, { colour: '#bbb', label: `noise (${noise.length}${step > 1 ? `, 1 in ${step} drawn` : ''})` }, { colour: 'none', label: `${hulls?.features?.length ?? 0} HDBSCAN hulls` }], 8, height - 20);
  p.setData(db);
  const kd = (rs, name) => [
    { name: `${name} Kd`, points: rs.map((r) => ({ x: r.distance, y: r.kd })), band: rs.map((r) => ({ x: r.distance, lo: r.global_lower, hi: r.global_upper })) },
  ];
  for (const [id, rs, title] of [['points-kd-localised', kdl, 'a planted-localised industry'], ['points-kd-local', kdd, 'a local (not localised) industry']]) {
    if (!rs.length) continue;
    const kp = panel(root, id, `K-density of ${title} with its global confidence band`, 'Kd above the band: localised at that distance; below: dispersed (Duranton & Overman 2005, 199 simulations).');
    lineChart(kp.body, kd(rs, title), { xLabel: 'distance (km)', yLabel: 'K-density' });
    kp.setData(rs);
  }
  ctx.reproduce('agglo dbscan --establishments agglo-demo/inputs/establishments.csv --eps 2 --min-points 10 -o dbscan.csv', 'agglo.dbscan(establishments="agglo-demo/inputs/establishments.csv", eps=2, min_points=10)');
}
