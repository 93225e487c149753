// The figures every view is made of, drawn as SVG with d3 so that the dashboard and the
// report show the same pictures, and every one exports as SVG, PNG and CSV.
import * as d3 from 'd3';

// Okabe & Ito's colour-blind-safe qualitative palette (grey last).
export const CATEGORICAL = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000', '#999999'];
// GeoDa's LISA cluster colours.
export const LISA = { HH: '#FF0000', LL: '#0000FF', LH: '#A7ADF9', HL: '#F4ADA8', ns: '#EEEEEE' };

export const fmt = (v, digits = 2) => (v === null || v === undefined || Number.isNaN(v) ? '–' : typeof v === 'number' ? v.toFixed(digits) : String(v));
export const fmtInt = (v) => (v === null || v === undefined ? '–' : d3.format(',')(Math.round(v)));

function csvText(rows) {
  if (!rows.length) return '';
  const cols = Object.keys(rows[0]);
  const esc = (v) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [cols.join(','), ...rows.map((r) => cols.map((c) => esc(r[c])).join(','))].join('\n') + '\n';
}

function download(name, blob) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function svgText(svg) {
  const clone = svg.cloneNode(true);
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return new XMLSerializer().serializeToString(clone);
}

// A titled figure with SVG, PNG and CSV export buttons. Returns {root, body, setData}.
export function panel(parent, id, title, note = '') {
  const root = parent.append('section').attr('class', 'panel').attr('id', id).attr('data-figure', id);
  const head = root.append('div').attr('class', 'panel-head');
  head.append('h3').text(title);
  const tools = head.append('div').attr('class', 'tools');
  let data = [];
  const body = root.append('div').attr('class', 'panel-body');
  if (note) root.append('p').attr('class', 'note').text(note);
  tools.append('button').attr('type', 'button').text('SVG').attr('aria-label', `${title}: download SVG`).on('click', () => {
    const svg = body.select('svg').node();
    if (svg) download(`${id}.svg`, new Blob([svgText(svg)], { type: 'image/svg+xml' }));
  });
  tools.append('button').attr('type', 'button').text('PNG').attr('aria-label', `${title}: download PNG`).on('click', () => {
    const svg = body.select('svg').node();
    if (!svg) return;
    const { width, height } = svg.viewBox.baseVal;
    const img = new Image();
    img.onload = () => {
      const c = document.createElement('canvas');
      c.width = width * 2;
      c.height = height * 2;
      const g = c.getContext('2d');
      g.fillStyle = '#fff';
      g.fillRect(0, 0, c.width, c.height);
      g.drawImage(img, 0, 0, c.width, c.height);
      c.toBlob((b) => download(`${id}.png`, b));
    };
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText(svg))}`;
  });
  tools.append('button').attr('type', 'button').text('CSV').attr('aria-label', `${title}: download CSV`).on('click', () => {
    download(`${id}.csv`, new Blob([csvText(data)], { type: 'text/csv' }));
  });
  return { root, body, setData: (rows) => { data = rows; } };
}

// Lon/lat → plane: equirectangular with the latitude stretch cos φ₀ (φ₀ the middle latitude),
// fitted to the box. Planar, so ring orientation does not matter (GeoJSON from GDAL keeps the
// source's winding), and cheap for a few thousand counties.
export function planarFit(features, width, height, pad = 8) {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  const visit = (c) => {
    if (typeof c[0] === 'number') {
      if (c[0] < x0) x0 = c[0];
      if (c[0] > x1) x1 = c[0];
      if (c[1] < y0) y0 = c[1];
      if (c[1] > y1) y1 = c[1];
    } else c.forEach(visit);
  };
  for (const f of features) if (f.geometry) visit(f.geometry.coordinates);
  const k = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
  const s = Math.min((width - 2 * pad) / Math.max(1e-9, (x1 - x0) * k), (height - 2 * pad) / Math.max(1e-9, y1 - y0));
  const ox = (width - (x1 - x0) * k * s) / 2, oy = (height - (y1 - y0) * s) / 2;
  const project = (lon, lat) => [ox + (lon - x0) * k * s, oy + (y1 - lat) * s];
  const transform = d3.geoTransform({ point(lon, lat) { const [x, y] = project(lon, lat); this.stream.point(x, y); } });
  return { path: d3.geoPath(transform), project };
}

export function tooltip() {
  const el = d3.select('#tooltip');
  return {
    show(event, html) {
      el.attr('hidden', null).html(html).style('left', `${event.clientX + 12}px`).style('top', `${event.clientY + 12}px`);
    },
    hide() { el.attr('hidden', true); },
  };
}

// Regions coloured by value. opts: fill(feature) → colour, label(feature) → tooltip HTML,
// selected (set of ids), idOf(feature), onClick(id), legend [{colour, label}], outline only.
export function choropleth(body, features, opts) {
  const width = 720, height = 440;
  const svg = body.append('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('role', 'img').attr('aria-label', opts.title ?? 'map');
  const { path, project } = planarFit(features, width, height - (opts.legend ? 28 : 0));
  const tip = tooltip();
  const g = svg.append('g').attr('class', 'regions');
  g.selectAll('path')
    .data(features)
    .join('path')
    .attr('d', path)
    .attr('data-region', (f) => opts.idOf(f))
    .attr('fill', (f) => opts.fill(f))
    .attr('class', (f) => (opts.selected?.has(opts.idOf(f)) ? 'region selected' : 'region'))
    .attr('tabindex', opts.onClick ? 0 : null)
    .on('mousemove', (e, f) => opts.label && tip.show(e, opts.label(f)))
    .on('mouseleave', () => tip.hide())
    .on('click', (e, f) => opts.onClick?.(opts.idOf(f)))
    .on('keydown', (e, f) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); opts.onClick?.(opts.idOf(f)); } });
  g.selectAll('path.selected').raise();
  if (opts.legend) legend(svg, opts.legend, 8, height - 20);
  return { svg, project };
}

export function legend(svg, items, x, y) {
  const g = svg.append('g').attr('class', 'legend').attr('transform', `translate(${x},${y})`);
  let at = 0;
  for (const it of items) {
    const item = g.append('g').attr('transform', `translate(${at},0)`);
    item.append('rect').attr('width', 14).attr('height', 14).attr('fill', it.colour).attr('stroke', '#666');
    const t = item.append('text').attr('x', 18).attr('y', 11).text(it.label);
    at += 24 + it.label.length * 6.5;
  }
  return g;
}

// Horizontal bars, largest first. data [{key, label, value}]; opts.highlight (set of keys).
export function barChart(body, data, opts = {}) {
  const width = 720, bar = 18, left = opts.left ?? 240, right = 70;
  const height = Math.max(40, data.length * (bar + 4) + 34);
  const svg = body.append('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('role', 'img').attr('aria-label', opts.title ?? 'bar chart');
  const max = d3.max(data, (d) => d.value) ?? 1;
  const x = d3.scaleLinear().domain([Math.min(0, d3.min(data, (d) => d.value) ?? 0), max || 1]).nice().range([left, width - right]);
  svg.append('g').attr('transform', `translate(0,${height - 22})`).call(d3.axisBottom(x).ticks(6));
  if (opts.xLabel) svg.append('text').attr('x', width - right).attr('y', height - 2).attr('text-anchor', 'end').attr('class', 'axis-label').text(opts.xLabel);
  if (opts.reference !== undefined) svg.append('line').attr('x1', x(opts.reference)).attr('x2', x(opts.reference)).attr('y1', 0).attr('y2', height - 22).attr('class', 'reference');
  const rows = svg.selectAll('g.bar').data(data).join('g').attr('class', 'bar').attr('transform', (d, i) => `translate(0,${i * (bar + 4) + 4})`)
    .attr('data-key', (d) => d.key)
    .classed('highlight', (d) => opts.highlight?.has(d.key) ?? false)
    .style('cursor', opts.onClick ? 'pointer' : null)
    .on('click', (e, d) => opts.onClick?.(d.key));
  rows.append('text').attr('x', left - 6).attr('y', bar - 5).attr('text-anchor', 'end').attr('class', 'bar-label').text((d) => truncate(d.label, 38));
  rows.append('rect').attr('x', x(0)).attr('width', (d) => Math.max(0, x(d.value) - x(0))).attr('height', bar).attr('fill', (d) => d.colour ?? CATEGORICAL[0]);
  rows.append('text').attr('x', (d) => x(Math.max(0, d.value)) + 4).attr('y', bar - 5).attr('class', 'bar-value').text((d) => opts.format ? opts.format(d.value) : fmt(d.value));
  return svg;
}

export function truncate(s, n) {
  s = String(s ?? '');
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

// Lines y(x) with optional bands: series [{name, points [{x, y}], band [{x, lo, hi}], colour, dash}].
export function lineChart(body, series, opts = {}) {
  const width = 720, height = 320, m = { l: 56, r: 16, t: 12, b: 44 };
  const svg = body.append('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('role', 'img').attr('aria-label', opts.title ?? 'line chart');
  const all = series.flatMap((s) => [...s.points.map((p) => [p.x, p.y]), ...(s.band ?? []).flatMap((b) => [[b.x, b.lo], [b.x, b.hi]])]).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  const x = d3.scaleLinear().domain(d3.extent(all, (p) => p[0])).nice().range([m.l, width - m.r]);
  // opts.yInclude: values the y axis always spans (so a flat line is not blown up to noise).
  const y = d3.scaleLinear().domain(d3.extent([...all.map((p) => p[1]), ...(opts.yInclude ?? [])])).nice().range([height - m.b, m.t]);
  svg.append('g').attr('transform', `translate(0,${height - m.b})`).call(d3.axisBottom(x).ticks(8));
  svg.append('g').attr('transform', `translate(${m.l},0)`).call(d3.axisLeft(y).ticks(6));
  svg.append('text').attr('x', (m.l + width - m.r) / 2).attr('y', height - 8).attr('text-anchor', 'middle').attr('class', 'axis-label').text(opts.xLabel ?? '');
  svg.append('text').attr('transform', `translate(14,${(height - m.b + m.t) / 2}) rotate(-90)`).attr('text-anchor', 'middle').attr('class', 'axis-label').text(opts.yLabel ?? '');
  series.forEach((s, i) => {
    const colour = s.colour ?? CATEGORICAL[i % CATEGORICAL.length];
    if (s.band?.length) {
      svg.append('path').datum(s.band.filter((b) => Number.isFinite(b.lo) && Number.isFinite(b.hi)))
        .attr('class', 'band').attr('fill', colour).attr('fill-opacity', 0.18)
        .attr('d', d3.area().x((b) => x(b.x)).y0((b) => y(b.lo)).y1((b) => y(b.hi)));
    }
    svg.append('path').datum(s.points.filter((p) => Number.isFinite(p.y))).attr('class', 'line').attr('fill', 'none').attr('stroke', colour).attr('stroke-width', 2)
      .attr('stroke-dasharray', s.dash ?? null).attr('d', d3.line().x((p) => x(p.x)).y((p) => y(p.y)));
  });
  legend(svg, series.map((s, i) => ({ colour: s.colour ?? CATEGORICAL[i % CATEGORICAL.length], label: s.name })), m.l + 8, m.t);
  return svg;
}

// A plain table of rows with named columns [{key, label, format}]; returns the <table>.
export function table(parent, rows, columns, opts = {}) {
  const wrap = parent.append('div').attr('class', 'table-wrap');
  const t = wrap.append('table').attr('class', 'data').attr('id', opts.id ?? null);
  t.append('thead').append('tr').selectAll('th').data(columns).join('th').attr('scope', 'col').text((c) => c.label);
  const tr = t.append('tbody').selectAll('tr').data(rows).join('tr')
    .attr('data-key', (r) => (opts.key ? opts.key(r) : null))
    .classed('highlight', (r) => (opts.highlight && opts.key ? opts.highlight.has(opts.key(r)) : false))
    .attr('tabindex', opts.onClick ? 0 : null)
    .on('click', (e, r) => opts.onClick?.(r))
    .on('keydown', (e, r) => { if (e.key === 'Enter') opts.onClick?.(r); });
  tr.selectAll('td').data((r) => columns.map((c) => ({ c, r }))).join('td')
    .attr('data-col', (d) => d.c.key)
    .attr('class', (d) => (typeof d.r[d.c.key] === 'number' ? 'num' : null))
    .text((d) => (d.c.format ? d.c.format(d.r[d.c.key], d.r) : d.r[d.c.key] ?? ''));
  return t;
}

// A radar of scores in [0, 100] on shared axes: series [{name, values: {axis: score}, colour}].
export function radarChart(body, axes, series, opts = {}) {
  const width = 760, height = 440, cx = 320, cy = 225, R = 160;
  const svg = body.append('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('role', 'img').attr('aria-label', opts.title ?? 'radar chart');
  const angle = (i) => (2 * Math.PI * i) / axes.length - Math.PI / 2;
  const at = (i, v) => [cx + Math.cos(angle(i)) * R * (v / 100), cy + Math.sin(angle(i)) * R * (v / 100)];
  for (const ring of [25, 50, 75, 100]) {
    svg.append('polygon').attr('class', 'radar-ring').attr('points', axes.map((a, i) => at(i, ring).join(',')).join(' ')).attr('fill', 'none').attr('stroke', '#ddd');
    svg.append('text').attr('x', cx + 3).attr('y', cy - (R * ring) / 100).attr('class', 'axis-label').text(ring);
  }
  axes.forEach((a, i) => {
    const [x, y] = at(i, 100);
    svg.append('line').attr('x1', cx).attr('y1', cy).attr('x2', x).attr('y2', y).attr('stroke', '#ddd');
    const [lx, ly] = at(i, 112);
    svg.append('text').attr('x', lx).attr('y', ly).attr('class', 'bar-label').attr('text-anchor', Math.abs(lx - cx) < 10 ? 'middle' : lx > cx ? 'start' : 'end').text(truncate(a, 28));
  });
  series.forEach((s, k) => {
    const colour = s.colour ?? CATEGORICAL[k % CATEGORICAL.length];
    const pts = axes.map((a, i) => at(i, Number.isFinite(s.values[a]) ? s.values[a] : 0));
    svg.append('polygon').attr('class', 'radar-series').attr('data-series', s.name).attr('points', pts.map((p) => p.join(',')).join(' '))
      .attr('fill', colour).attr('fill-opacity', k === 0 ? 0.25 : 0.05).attr('stroke', colour).attr('stroke-width', k === 0 ? 2.5 : 1.2);
  });
  const lg = svg.append('g').attr('transform', `translate(590, 30)`);
  series.forEach((s, k) => {
    const g = lg.append('g').attr('transform', `translate(0, ${k * 18})`);
    g.append('rect').attr('width', 12).attr('height', 12).attr('fill', s.colour ?? CATEGORICAL[k % CATEGORICAL.length]);
    g.append('text').attr('x', 16).attr('y', 10).attr('class', 'bar-label').text(truncate(s.name, 26));
  });
  return svg;
}
