// The dashboard: a navigation bar, one view at a time, the state in the URL fragment.
import * as d3 from 'd3';
import './style.css';
import { STATIC, workspaceName, token } from './data.js';
import { state, set, onChange } from './state.js';
import { mapView } from './views/map.js';
import { clusterView } from './views/cluster.js';
import { regionsView } from './views/regions.js';
import { spaceView } from './views/space.js';
import { pointsView } from './views/points.js';
import { hotspotsView } from './views/hotspots.js';
import { networkView } from './views/network.js';
import { simulateView } from './views/simulate.js';
import { surveyView } from './views/survey.js';

const VIEWS = [
  { id: 'map', label: 'Map', render: mapView },
  { id: 'cluster', label: 'Cluster', render: clusterView },
  { id: 'regions', label: 'Regions', render: regionsView },
  { id: 'space', label: 'Product space', render: spaceView },
  { id: 'points', label: 'Points', render: pointsView },
  { id: 'hotspots', label: 'Hot spots', render: hotspotsView },
  { id: 'network', label: 'Network', render: networkView },
  { id: 'survey', label: 'Survey', render: surveyView },
  { id: 'simulate', label: 'Simulation', render: simulateView },
];

const nav = d3.select('#nav');
const view = d3.select('#view');
nav.selectAll('a').data(VIEWS).join('a')
  .attr('href', (v) => `#view=${v.id}`)
  .attr('data-view', (v) => v.id)
  .text((v) => v.label)
  .on('click', (e, v) => { e.preventDefault(); set({ view: v.id }); });
nav.append('button').attr('type', 'button').attr('id', 'reproduce-button').text('Reproduce this').on('click', () => {
  d3.select('#reproduce').attr('hidden', null);
});
d3.select('#reproduce-close').on('click', () => d3.select('#reproduce').attr('hidden', true));

// What the command line and Python would run to get the numbers on screen.
export function reproduce(cli, py) {
  d3.select('#reproduce-cli').text(cli);
  d3.select('#reproduce-py').text(py);
}

let generation = 0;
async function render() {
  const current = VIEWS.find((v) => v.id === state.view) ?? VIEWS[0];
  nav.selectAll('a').classed('active', (v) => v === current).attr('aria-current', (v) => (v === current ? 'page' : null));
  const mine = ++generation;
  const t0 = performance.now();
  const root = d3.create('div').attr('class', `view view-${current.id}`);
  d3.select('#status').text('loading…');
  try {
    await current.render(root, { reproduce, isCurrent: () => mine === generation });
  } catch (err) {
    root.append('p').attr('class', 'error').text(`This view could not be drawn: ${err.message}`);
    console.error(err);
  }
  if (mine !== generation) return;
  view.selectAll('*').remove();
  view.node().append(root.node());
  document.body.dataset.view = current.id;
  document.body.dataset.ready = String(mine);
  d3.select('#status').text(STATIC ? 'report: data inlined from the workspace' : '');
  window.__agglo_render_ms = performance.now() - t0;
  window.__agglo_first_view_ms ??= performance.now();
}

token();  // keep ?token=… for this tab and take it out of the address bar
workspaceName().then((n) => d3.select('#workspace-name').text(n ? `— ${n}` : ''));
onChange((s, changes) => {
  // A change of selection alone redraws the view too: every figure shows the selection.
  render();
});
render();
