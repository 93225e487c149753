// Where the views get their data: the workspace's layers, inlined by `agglo report`
// (<script id="agglo-data">) or fetched from `agglo serve` (GET api/layers/NAME).
const inline = document.getElementById('agglo-data');
const inlined = inline ? JSON.parse(inline.textContent) : null;
export const STATIC = inlined !== null;
const cache = new Map();

// A layer: GeoJSON FeatureCollection, an array of rows, or null when the workspace lacks it.
export function layer(name) {
  if (inlined) return Promise.resolve(inlined.layers[name] ?? null);
  if (!cache.has(name)) {
    cache.set(name, fetch(`api/layers/${encodeURIComponent(name)}`).then((r) => (r.ok ? r.json() : null)).catch(() => null));
  }
  return cache.get(name);
}

// The rows of a layer (a FeatureCollection's properties), [] when missing.
export async function rows(name) {
  const l = await layer(name);
  if (!l) return [];
  if (Array.isArray(l)) return l;
  // Point layers: lon/lat from the geometry when they are not attribute fields.
  return l.features.map((f) => {
    const g = f.geometry;
    if (g?.type === 'Point' && f.properties.lon === undefined) return { ...f.properties, lon: g.coordinates[0], lat: g.coordinates[1] };
    return f.properties;
  });
}

export async function workspaceName() {
  if (inlined) return inlined.workspace ?? '';
  try {
    const r = await fetch('api/layers');
    return r.ok ? (await r.json()).workspace : '';
  } catch {
    return '';
  }
}

// The token `agglo serve` printed, passed once as ?token=… and kept for this tab.
export function token() {
  const q = new URLSearchParams(location.search);
  if (q.has('token')) {
    sessionStorage.setItem('agglo-token', q.get('token'));
    q.delete('token');
    const rest = q.toString();
    history.replaceState(null, '', location.pathname + (rest ? `?${rest}` : '') + location.hash);
  }
  return sessionStorage.getItem('agglo-token') ?? '';
}

// Runs an operation on the server as a job and resolves with its result; `onProgress`
// receives the job's status while it runs.
export async function runJob(operation, options, onProgress = () => {}) {
  const r = await fetch('api/jobs', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token()}` },
    body: JSON.stringify({ operation, options }),
  });
  const body = await r.json();
  if (!r.ok) throw new Error(body.error?.message ?? `HTTP ${r.status}`);
  for (;;) {
    const s = await (await fetch(`api/jobs/${body.id}`)).json();
    onProgress(s);
    if (s.state === 'done') return s;
    if (s.state === 'failed' || s.state === 'cancelled') throw new Error(s.error?.message ?? s.state);
    await new Promise((res) => setTimeout(res, 200));
  }
}

// A job's result table as row objects.
export function tableRows(result, name) {
  const t = result.tables[name];
  if (!t) return [];
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));
}
