// Fleetlet dashboard: shared helpers and the page loader. Pages are ES modules under ./pages/ exporting
// render(main, ctx). Every state-changing request carries the CSRF token from the FLEETLET_CSRF cookie.

const body = document.body;
export const ctx = {
  page: body.dataset.page,
  param: body.dataset.param,
  user: body.dataset.user,
  role: body.dataset.role,
};
export const canWrite = () => ctx.role === 'ADMIN' || ctx.role === 'OPERATOR';
export const isAdmin = () => ctx.role === 'ADMIN';

function csrfToken() {
  const m = document.cookie.split('; ').find(c => c.startsWith('FLEETLET_CSRF='));
  return m ? decodeURIComponent(m.substring('FLEETLET_CSRF='.length)) : '';
}

/** Calls the server; resolves to parsed JSON (or null), rejects with an Error carrying status and problem. */
export async function api(method, path, body) {
  const headers = { 'Accept': 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken();
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin' });
  if (r.status === 401) { location.href = '/ui/login?next=' + encodeURIComponent(location.pathname + location.search); throw new Error('signed out'); }
  const text = await r.text();
  const data = text ? (() => { try { return JSON.parse(text); } catch { return text; } })() : null;
  if (!r.ok) {
    const e = new Error((data && data.detail) || (data && data.title) || ('HTTP ' + r.status));
    e.status = r.status; e.problem = data; throw e;
  }
  return data;
}

/** The items of a page answer (empty lists may be left out of JSON answers). */
export const items = r => (r && r.items) || [];

/** Escapes text for HTML. */
export function esc(v) {
  return String(v ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  const s = Math.round((Date.now() - d.getTime()) / 1000);
  const rel = s < 60 ? s + ' s ago' : s < 3600 ? Math.round(s / 60) + ' min ago' : s < 86400 ? Math.round(s / 3600) + ' h ago'
    : Math.round(s / 86400) + ' d ago';
  return `<time datetime="${esc(iso)}" title="${esc(d.toLocaleString())}">${rel}</time>`;
}

export function statusBadge(status) {
  status = String(status || '').toLowerCase();
  return `<span class="badge status-${esc(status)}" data-status="${esc(status)}">${esc(status)}</span>`;
}

export function labelBadges(labels) {
  return Object.entries(labels || {}).map(([k, v]) => `<span class="badge">${esc(k)}=${esc(v)}</span>`).join('');
}

export function toast(message, error) {
  const t = document.getElementById('toast');
  const d = document.createElement('div');
  d.textContent = message;
  if (error) d.className = 'err';
  t.appendChild(d);
  setTimeout(() => d.remove(), error ? 8000 : 4000);
}

/** Shows "not available yet" for a feature whose API is not on this server. */
export function notAvailable(main, what) {
  main.innerHTML = `<h1>${esc(what)}</h1><div class="card" id="not-available"><p>${esc(what)} are not available yet on this server.</p></div>`;
}

// One SSE connection per page, shared by every listener.
const listeners = new Set();
let source = null;
export function onEvent(fn) {
  listeners.add(fn);
  if (!source) {
    source = new EventSource('/api/v1/events/stream');
    const live = document.getElementById('live');
    // every (re)connection is passed on as 'stream.connected': a page re-reads what changed while it was not listening
    // (between its first read and the stream's start, or during a reconnect)
    source.addEventListener('stream.connected', () => {
      live.classList.add('on'); live.dataset.connected = 'true';
      for (const fn of listeners) fn('stream.connected', {});
    });
    source.onerror = () => { live.classList.remove('on'); live.dataset.connected = 'false'; };
    source.onmessage = e => dispatch('message', e);
    for (const type of ['device.online', 'device.offline', 'device.enrolled', 'device.decommissioned',
      'device.labels-changed', 'device.renamed', 'device.reenrolled', 'rollout.phase', 'rollout.gate', 'rollout.progress']) {
      source.addEventListener(type, e => dispatch(type, e));
    }
    window.addEventListener('beforeunload', () => source.close());
  }
  return () => listeners.delete(fn);
}
function dispatch(type, e) {
  let data = null;
  try { data = JSON.parse(e.data); } catch { return; }
  for (const fn of listeners) fn(type, data);
}

async function start() {
  document.querySelectorAll('#nav a').forEach(a => {
    if (a.dataset.nav === ctx.page || (ctx.page === 'device' && a.dataset.nav === 'devices')
      || (ctx.page.startsWith('rollout') && a.dataset.nav === 'rollouts')) a.classList.add('active');
  });
  document.getElementById('logout').addEventListener('click', async () => {
    await fetch('/ui/logout', { method: 'POST', headers: { 'X-CSRF-Token': csrfToken() }, credentials: 'same-origin' });
    location.href = '/ui/login';
  });
  const main = document.getElementById('main');
  try {
    const mod = await import(`./pages/${ctx.page}.js`);
    await mod.render(main, ctx);
    body.dataset.ready = 'true';
  } catch (e) {
    main.innerHTML = `<p class="error" id="page-error">${esc(e.message)}</p>`;
    body.dataset.ready = 'error';
  }
}
start();
