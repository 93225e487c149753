// Firm-level evidence (Gjelsvik 2014): the logit of product innovation on the firm's
// cluster scope with its 95% intervals, and innovation shares by region with Wilson intervals.
import * as d3 from 'd3';
import { rows } from '../data.js';
import { panel, table, fmt } from '../charts.js';
import { empty, regionNames } from './common.js';

// Estimates with intervals on one axis, one row per term (a forest plot).
function forest(body, items, xLabel, reference) {
  const width = 720, row = 20, left = 260, right = 30;
  const height = items.length * row + 44;
  const svg = body.append('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('role', 'img').attr('aria-label', 'estimates with intervals');
  const lo = d3.min(items, (d) => d.lo), hi = d3.max(items, (d) => d.hi);
  const x = d3.scaleLinear().domain([Math.min(lo, reference), Math.max(hi, reference)]).nice().range([left, width - right]);
  svg.append('g').attr('transform', `translate(0,${height - 30})`).call(d3.axisBottom(x).ticks(7));
  svg.append('text').attr('x', (left + width - right) / 2).attr('y', height - 2).attr('text-anchor', 'middle').attr('class', 'axis-label').text(xLabel);
  svg.append('line').attr('class', 'reference').attr('x1', x(reference)).attr('x2', x(reference)).attr('y1', 0).attr('y2', height - 30);
  const g = svg.selectAll('g.term').data(items).join('g').attr('class', 'term').attr('transform', (d, i) => `translate(0,${i * row + 12})`);
  g.append('text').attr('x', left - 8).attr('y', 4).attr('text-anchor', 'end').attr('class', 'bar-label').text((d) => d.label);
  g.append('line').attr('x1', (d) => x(d.lo)).attr('x2', (d) => x(d.hi)).attr('stroke', '#0072B2').attr('stroke-width', 2);
  g.append('circle').attr('cx', (d) => x(d.est)).attr('r', 4).attr('fill', (d) => (d.lo > reference || d.hi < reference ? '#0072B2' : '#fff')).attr('stroke', '#0072B2');
  return svg;
}

export async function surveyView(root, ctx) {
  const [model, shares, names] = await Promise.all([rows('survey_model'), rows('survey_innovation_by_region'), regionNames()]);
  if (!model.length) return empty(root, 'survey model');
  const terms = model.filter((r) => Number.isFinite(r.ame) && Number.isFinite(r.ame_se));  // no AME for the constant
  const p = panel(root, 'survey-model', 'Product innovation: logit average marginal effects with 95% intervals (HC1)', 'Filled: the interval excludes 0. Baseline scope: regional.');
  forest(p.body, terms.map((r) => ({ label: r.term, est: r.ame, lo: r.ame - 1.96 * r.ame_se, hi: r.ame + 1.96 * r.ame_se })), 'average marginal effect on P(product innovation)', 0);
  p.setData(model);
  const tp = panel(root, 'survey-model-table', 'Coefficients');
  table(tp.body, model, [
    { key: 'term', label: 'term' }, { key: 'estimate', label: 'estimate', format: (v) => fmt(v, 3) }, { key: 'std_error', label: 'std. error', format: (v) => fmt(v, 3) },
    { key: 'p', label: 'p', format: (v) => fmt(v, 4) }, { key: 'odds_ratio', label: 'odds ratio', format: (v) => fmt(v, 3) }, { key: 'ame', label: 'AME', format: (v) => fmt(v, 3) },
  ], { id: 'survey-terms' });
  tp.setData(model);
  if (shares.length) {
    const prod = shares.filter((r) => r.outcome === 'product_innovation');
    const sp = panel(root, 'survey-shares', 'Share of firms with a product innovation, by region (95% intervals)');
    forest(sp.body, prod.map((r) => ({ label: `${names.get(String(r.group)) ?? r.group} (n = ${r.n})`, est: r.share, lo: r.ci_lower, hi: r.ci_upper })), 'share of firms', d3.mean(prod, (r) => r.share));
    sp.setData(shares);
  }
  ctx.reproduce('agglo survey model --responses agglo-demo/inputs/responses.csv --outcome product_innovation --predictors "scope,log(firm_employees),rnd,foreign,sector" --categorical sector --baseline scope=regional --se hc1 -o model.csv',
    'agglo.survey.model(responses="agglo-demo/inputs/responses.csv", outcome="product_innovation", predictors="scope,log(firm_employees),rnd,foreign,sector", categorical="sector", baseline="scope=regional", se="hc1")');
}
