// The actor network: communities (Leiden/Louvain, `community`), brokers (highest
// betweenness, Burt's constraint), the actors of the selected region highlighted.
import * as d3 from 'd3';
import { rows } from '../data.js';
import { panel, table, fmt, tooltip, legend, CATEGORICAL } from '../charts.js';
import { state, set } from '../state.js';
import { empty } from './common.js';

export async function networkView(root, ctx) {
  const [metrics, inputs, edges] = await Promise.all([rows('network'), rows('nodes'), rows('edges')]);
  if (!metrics.length) return empty(root, 'network result');
  const attrs = new Map(inputs.map((n) => [String(n.id), n]));
  const nodes = metrics.map((m) => ({ ...attrs.get(String(m.id)), ...m, id: String(m.id) }));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const links = edges.filter((e) => byId.has(String(e.source)) && byId.has(String(e.target))).map((e) => ({ source: String(e.source), target: String(e.target), weight: e.weight ?? 1 }));
  const sim = d3.forceSimulation(nodes).force('link', d3.forceLink(links).id((d) => d.id).distance(18).strength(0.3))
    .force('charge', d3.forceManyBody().strength(-14)).force('center', d3.forceCenter(0, 0)).stop();
  for (let i = 0; i < 250; ++i) sim.tick();
  const brokers = [...nodes].sort((a, b) => d3.descending(a.betweenness, b.betweenness)).slice(0, 10);
  const brokerSet = new Set(brokers.map((b) => b.id));
  const communities = [...new Set(nodes.map((n) => n.community))].sort(d3.ascending);
  const width = 720, height = 540;
  const p = panel(root, 'network-graph', `Actor network: ${nodes.length} actors, ${links.length} ties, ${communities.length} communities`, 'Colour: community; ringed: the ten brokers with the highest betweenness; large: actors of the selected county.');
  const svg = p.body.append('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('role', 'img').attr('aria-label', 'actor network');
  const x = d3.scaleLinear().domain(d3.extent(nodes, (n) => n.x)).range([12, width - 12]);
  const y = d3.scaleLinear().domain(d3.extent(nodes, (n) => n.y)).range([12, height - 40]);
  svg.append('g').selectAll('line').data(links).join('line').attr('stroke', '#ccc').attr('stroke-width', 0.5)
    .attr('x1', (l) => x(l.source.x)).attr('y1', (l) => y(l.source.y)).attr('x2', (l) => x(l.target.x)).attr('y2', (l) => y(l.target.y));
  const tip = tooltip();
  const inRegion = (n) => state.region && String(n.region) === state.region;
  svg.append('g').selectAll('circle').data(nodes).join('circle').attr('class', 'actor')
    .attr('data-actor', (n) => n.id)
    .classed('selected', (n) => n.id === state.actor)
    .attr('cx', (n) => x(n.x)).attr('cy', (n) => y(n.y))
    .attr('r', (n) => (n.id === state.actor ? 7 : inRegion(n) ? 5 : 3))
    .attr('fill', (n) => CATEGORICAL[communities.indexOf(n.community) % 8])
    .attr('stroke', (n) => (n.id === state.actor ? '#000' : brokerSet.has(n.id) ? '#D55E00' : 'none')).attr('stroke-width', 2)
    .on('mousemove', (e, n) => tip.show(e, `<b>${n.id}</b> ${n.type ?? ''}<br>community ${n.community} · degree ${n.degree}<br>betweenness ${fmt(n.betweenness, 4)} · constraint ${fmt(n.constraint, 3)}${n.region ? `<br>region ${n.region}` : ''}`))
    .on('mouseleave', () => tip.hide())
    .on('click', (e, n) => set({ actor: n.id, region: n.region ? String(n.region) : state.region }));
  legend(svg, [{ colour: '#fff', label: 'ring = broker' }, ...communities.slice(0, 6).map((c, i) => ({ colour: CATEGORICAL[i % 8], label: `community ${c}` }))], 12, height - 20);
  p.setData(nodes.map(({ x: _x, y: _y, vx, vy, index, ...n }) => n));
  const bp = panel(root, 'network-brokers', 'Brokers: the ten highest betweenness centralities');
  table(bp.body, brokers, [
    { key: 'id', label: 'actor' }, ...(brokers[0] && 'type' in brokers[0] ? [{ key: 'type', label: 'type' }] : []), { key: 'community', label: 'community' },
    { key: 'degree', label: 'degree' }, { key: 'betweenness', label: 'betweenness', format: (v) => fmt(v, 4) }, { key: 'constraint', label: 'constraint', format: (v) => fmt(v, 3) }, { key: 'effective_size', label: 'effective size', format: (v) => fmt(v, 2) },
  ], { id: 'broker-rows', key: (r) => r.id, highlight: new Set(state.actor ? [state.actor] : []), onClick: (r) => set({ actor: r.id }) });
  bp.setData(brokers.map(({ x: _x, y: _y, vx, vy, index, ...n }) => n));
  ctx.reproduce('agglo network --nodes agglo-demo/inputs/nodes.csv --edges agglo-demo/inputs/edges.csv -o network', 'agglo.network(nodes="agglo-demo/inputs/nodes.csv", edges="agglo-demo/inputs/edges.csv")');
}
