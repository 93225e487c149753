// Every view's state lives in the URL's fragment (#view=map&cluster=…&region=…), so a view
// can be bookmarked, shared, reloaded and opened from the report file alike. Selection is
// shared: the region, cluster, industry or actor chosen in one view is highlighted in all.
const listeners = new Set();
const KEYS = ['view', 'cluster', 'measure', 'region', 'compare', 'industry', 'actor', 'year', 'product', 'mu'];

function parse() {
  const q = new URLSearchParams(location.hash.slice(1));
  const s = {};
  for (const k of KEYS) if (q.has(k)) s[k] = q.get(k);
  return s;
}

export const state = parse();

export function set(changes) {
  Object.assign(state, changes);
  for (const k of Object.keys(state)) if (state[k] === null || state[k] === undefined || state[k] === '') delete state[k];
  const q = new URLSearchParams();
  for (const k of KEYS) if (state[k] !== undefined) q.set(k, state[k]);
  history.replaceState(null, '', `${location.pathname}${location.search}#${q.toString()}`);
  for (const f of listeners) f(state, changes);
}

export function onChange(f) {
  listeners.add(f);
  return () => listeners.delete(f);
}

window.addEventListener('hashchange', () => {
  const next = parse();
  for (const k of KEYS) delete state[k];
  Object.assign(state, next);
  for (const f of listeners) f(state, next);
});

export function compareList() {
  return (state.compare ?? '').split(',').filter(Boolean);
}
