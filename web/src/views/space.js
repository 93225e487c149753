// The product space (Hidalgo et al. 2007) with the location's present products and its
// ranked opportunities (density, PCI, complexity outlook gain), as on the Atlas.
import * as d3 from 'd3';
import { rows } from '../data.js';
import { panel, table, fmt, tooltip, legend } from '../charts.js';
import { state, set } from '../state.js';
import { empty } from './common.js';

// A deterministic force layout of the backbone (d3-force draws from a fixed LCG).
function layout(nodes, links) {
  const sim = d3.forceSimulation(nodes)
    .force('link', d3.forceLink(links).id((d) => d.product).distance((l) => (l.tree ? 6 : 14)).strength((l) => (l.tree ? 1 : 0.15)))
    .force('charge', d3.forceManyBody().strength(-18).distanceMax(160))
    .force('collide', d3.forceCollide(3.5))
    .force('x', d3.forceX(0).strength(0.04))
    .force('y', d3.forceY(0).strength(0.06))
    .stop();
  for (let i = 0; i < 400; ++i) sim.tick();
}

export async function spaceView(root, ctx) {
  const [nodes, edges, opps] = await Promise.all([rows('opportunities_space_nodes'), rows('opportunities_space_edges'), rows('opportunities')]);
  if (!nodes.length) return empty(root, 'product space (agglo opportunities --graph)');
  const ns = nodes.map((n) => ({ ...n, product: String(n.product) }));
  const byId = new Map(ns.map((n) => [n.product, n]));
  const links = edges.filter((e) => byId.has(String(e.product_a)) && byId.has(String(e.product_b))).map((e) => ({ source: String(e.product_a), target: String(e.product_b), proximity: e.proximity, tree: e.tree }));
  layout(ns, links);
  const width = 720, height = 520;
  const p = panel(root, 'space-graph', 'Product space: present products (RCA ≥ 1) and opportunities', 'Dark: the location exports it with RCA ≥ 1. Orange: the top-ranked opportunities. Links: the maximum spanning tree and the strongest proximities.');
  const svg = p.body.append('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('role', 'img').attr('aria-label', 'product space');
  const x = d3.scaleLinear().domain(d3.extent(ns, (n) => n.x)).range([12, width - 12]);
  const y = d3.scaleLinear().domain(d3.extent(ns, (n) => n.y)).range([12, height - 40]);
  svg.append('g').selectAll('line').data(links).join('line').attr('class', 'link')
    .attr('x1', (l) => x(l.source.x)).attr('y1', (l) => y(l.source.y)).attr('x2', (l) => x(l.target.x)).attr('y2', (l) => y(l.target.y))
    .attr('stroke', '#bbb').attr('stroke-width', (l) => (l.tree ? 0.8 : 0.4));
  const topN = 25;
  const colour = (n) => (n.product === state.product ? '#D55E00' : n.present ? '#0072B2' : n.opportunity_rank > 0 && n.opportunity_rank <= topN ? '#E69F00' : '#d9d9d9');
  const tip = tooltip();
  svg.append('g').selectAll('circle').data(ns).join('circle').attr('class', 'product')
    .attr('data-product', (n) => n.product)
    .attr('cx', (n) => x(n.x)).attr('cy', (n) => y(n.y)).attr('r', (n) => (n.product === state.product ? 6 : 3.2))
    .attr('fill', colour).attr('stroke', (n) => (n.product === state.product ? '#000' : 'none'))
    .on('mousemove', (e, n) => tip.show(e, `<b>${n.product_name ?? n.product}</b> (${n.product})<br>RCA ${fmt(n.rca)} · density ${fmt(n.density, 3)} · PCI ${fmt(n.pci)}${n.opportunity_rank > 0 ? `<br>opportunity #${n.opportunity_rank}` : ''}`))
    .on('mouseleave', () => tip.hide())
    .on('click', (e, n) => set({ product: n.product }));
  legend(svg, [{ colour: '#0072B2', label: 'present (RCA ≥ 1)' }, { colour: '#E69F00', label: `top ${topN} opportunities` }, { colour: '#d9d9d9', label: 'other products' }], 12, height - 20);
  p.setData(ns.map(({ index, vx, vy, ...n }) => n));
  const tp = panel(root, 'space-opportunities', 'Ranked opportunities');
  table(tp.body, opps.slice(0, 25), [
    { key: 'rank', label: '#' }, { key: 'product', label: 'product' }, ...(opps[0] && 'product_name' in opps[0] ? [{ key: 'product_name', label: 'name' }] : []),
    { key: 'density', label: 'density', format: (v) => fmt(v, 3) }, { key: 'pci', label: 'PCI', format: (v) => fmt(v, 3) }, { key: 'cog', label: 'COG', format: (v) => fmt(v, 3) },
  ], { id: 'opportunity-rows', key: (r) => String(r.product), highlight: new Set(state.product ? [state.product] : []), onClick: (r) => set({ product: String(r.product) }) });
  tp.setData(opps);
  const world = 'data/reference/world_exports_sitc4_avg_1998_2000.csv';
  ctx.reproduce(`agglo opportunities --exports ${world} --location col --top 25 --graph space.json -o opportunities.csv`, `agglo.opportunities(exports="${world}", location="col", top=25)`);
}
