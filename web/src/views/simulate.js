// Critical mass: Krugman's (1991) core–periphery model swept up and down the transport cost
// T. The phase diagram shows λ_max, the larger region's share of manufacturing; where the up and down sweeps
// part, the model is bistable (hysteresis). Moving the lever (μ, the expenditure share of manufactures)
// runs `agglo simulate` on the server as a job.
import * as d3 from 'd3';
import { rows, STATIC, runJob, tableRows } from '../data.js';
import { panel, lineChart, CATEGORICAL } from '../charts.js';
import { state, set } from '../state.js';
import { empty } from './common.js';

const options = (mu) => ({ model: 'krugman', param: `sigma=5,mu=${mu},gamma=4`, sweep: 'T=1.5:2.0:26', hysteresis: true, replicates: 2 });

function phaseChart(parent, phase, title, id) {
  const p = panel(parent, id, title, 'Mean over replicates with a 95% interval; up: T rising, down: T falling.');
  const param = Object.keys(phase[0] ?? {}).find((k) => !['direction', 'replicates', 'mean', 'sd', 'se', 'ci_low', 'ci_high'].includes(k)) ?? 'T';
  const series = ['up', 'down'].map((dir, i) => {
    const rs = phase.filter((r) => r.direction === dir).sort((a, b) => d3.ascending(a[param], b[param]));
    return { name: `T ${dir}`, colour: CATEGORICAL[i], dash: i ? '5 3' : null, points: rs.map((r) => ({ x: r[param], y: r.mean })), band: rs.map((r) => ({ x: r[param], lo: r.ci_low, hi: r.ci_high })) };
  });
  // The order parameter is the larger region's share of the mobile factor: 0.5 (symmetric) to 1 (all in one).
  lineChart(p.body, series, { xLabel: `transport cost ${param}`, yLabel: 'share of the larger region', yInclude: [0.5, 1] });
  p.setData(phase);
}

export async function simulateView(root, ctx) {
  const phase = await rows('simulate_krugman_phase');
  if (!phase.length) return empty(root, 'simulation result');
  phaseChart(root, phase, 'Phase diagram of the core–periphery model (σ = 5, μ = 0.4, γ = 4), from the workspace', 'simulate-phase');
  const lever = root.append('section').attr('class', 'panel').attr('id', 'simulate-lever');
  lever.append('h3').text('Lever: the expenditure share of manufactures μ (Krugman 1991)');
  const mu = Number(state.mu ?? 0.4);
  const row = lever.append('div').attr('class', 'controls');
  const lab = row.append('label').attr('class', 'control');
  lab.append('span').text('μ');
  const out = row.append('output').attr('id', 'mu-value').text(mu.toFixed(2));
  const slider = lab.append('input').attr('type', 'range').attr('id', 'mu').attr('min', 0.1).attr('max', 0.8).attr('step', 0.05).property('value', mu)
    .on('input', (e) => out.text(Number(e.target.value).toFixed(2)));
  const run = row.append('button').attr('type', 'button').attr('id', 'simulate-run').text('Run');
  const status = lever.append('p').attr('id', 'simulate-status');
  const result = root.append('div').attr('id', 'simulate-result');
  if (STATIC) {
    slider.attr('disabled', true);
    run.attr('disabled', true);
    status.text('This is the report: start agglo serve --workspace W to move the lever and run the model.');
  }
  run.on('click', async () => {
    const value = Number(slider.property('value'));
    set({ mu: String(value) });  // redraws; the run continues below in the new view
  });
  ctx.reproduce(`agglo simulate --model krugman --param sigma=5,mu=${mu},gamma=4 --sweep T=1.5:2.0:26 --hysteresis --replicates 2 -o simulate_krugman`,
    `agglo.simulate(model="krugman", param="sigma=5,mu=${mu},gamma=4", sweep="T=1.5:2.0:26", hysteresis=True, replicates=2)`);
  if (STATIC || state.mu === undefined) return;
  status.text(`running agglo simulate with μ = ${mu}…`);
  // The view is returned at once; the job's result is drawn when it arrives.
  runJob('simulate', options(mu), (s) => {
    const f = s.progress?.fraction;
    status.text(`job ${s.id}: ${s.state}${f !== null && f !== undefined ? ` ${Math.round(100 * f)}%` : ''}`);
  }).then((job) => {
    if (!ctx.isCurrent()) return;
    status.text(`done in ${job.elapsed_s.toFixed(1)} s: ${job.command}`).attr('data-state', 'done');
    result.selectAll('*').remove();
    phaseChart(result, tableRows(job.result, 'phase'), `Phase diagram with μ = ${mu} (run on the server)`, 'simulate-phase-live');
  }).catch((err) => status.text(`the run failed: ${err.message}`).attr('data-state', 'failed'));
}
