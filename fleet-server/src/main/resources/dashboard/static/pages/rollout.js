import { api, items, esc, when, canWrite, notAvailable, onEvent, toast } from '../app.js';

const ACTIONS = { RUNNING: ['pause', 'abort', 'rollback'], PAUSED: ['resume', 'abort', 'rollback'], DRAFT: ['start'],
  ABORTING: [], ROLLING_BACK: [], COMPLETED: ['rollback'], ABORTED: ['rollback', 'retry-failed'], ROLLED_BACK: [] };

export async function render(main, ctx) {
  const id = ctx.param, enc = encodeURIComponent(id);
  try { await api('GET', `/api/v1/rollouts/${enc}`); } catch (e) {
    if (e.status === 404 && !(e.problem?.detail || '').includes('rollout')) { notAvailable(main, 'Rollouts'); return; }
    throw e;
  }
  main.innerHTML = `<h1>Rollout ${esc(id)} <span id="phase" class="badge"></span></h1>
  <div class="grid"><div class="card"><h2>Progress</h2><div id="total"></div><div id="controls" class="toolbar" style="margin-top:.6rem"></div></div>
    <div class="card"><h2>Rollout</h2><dl class="kv" id="facts"></dl></div></div>
  <div class="card" style="margin-top:1rem"><h2>Waves</h2><div id="groups"></div></div>
  <div class="grid" style="margin-top:1rem"><div class="card"><h2>Failed devices</h2><div id="failed"></div></div>
    <div class="card"><h2>Decisions</h2><div id="audit" style="max-height:24rem;overflow:auto"></div></div></div>`;
  let timer = null;
  const refresh = () => { if (!timer) timer = setTimeout(async () => { timer = null; await load(id, enc); }, 500); };
  await load(id, enc);
  onEvent((type, e) => {
    if (type === 'stream.connected' || (type.startsWith('rollout.') && (e.data?.rolloutId === id || JSON.stringify(e).includes(id)))) refresh();
  });
}

function bar(c) {
  const total = c.devices || 1, ok = c.succeeded, bad = c.failed + c.silent + c.rollbackFailed, active = c.updating + c.soaking + c.rollingBack;
  return `<div class="bar" data-progress="${Math.round(100 * ok / total)}"><span class="b-healthy" style="width:${100 * ok / total}%"></span>
    <span class="b-active" style="width:${100 * active / total}%"></span><span class="b-failed" style="width:${100 * bad / total}%"></span></div>
    <span class="muted">${ok}/${c.devices} done · ${c.updating} updating · ${c.soaking} soaking · ${c.failed} failed · ${c.silent} silent · ${c.pending} pending${c.rolledBack ? ' · ' + c.rolledBack + ' rolled back' : ''}</span>`;
}

async function load(id, enc) {
  const r = await api('GET', `/api/v1/rollouts/${enc}`);
  document.getElementById('phase').textContent = r.phase + (r.pauseCause ? ' (' + r.pauseCause + ')' : '');
  document.getElementById('phase').dataset.phase = r.phase;
  document.getElementById('total').innerHTML = bar(r.total);
  document.getElementById('facts').innerHTML = `<dt>Release</dt><dd>${esc(r.releaseId || '')}</dd><dt>Selector</dt><dd>${r.selector ? '<code>' + esc(r.selector) + '</code>' : 'all devices'}</dd>
    <dt>Kind</dt><dd>${esc(r.kind)}</dd><dt>Created</dt><dd>${when(r.createdAt)} by ${esc(r.createdBy)}</dd><dt>Started</dt><dd>${when(r.startedAt)}</dd>
    <dt>Ended</dt><dd>${when(r.endedAt)}</dd><dt>Current wave</dt><dd>${esc(r.currentGroupName || '')}</dd>`;
  document.getElementById('groups').innerHTML = (r.groups || []).map((g, i) => `<div style="margin-bottom:.6rem"><b>${esc(g.name)}</b>${i === r.currentGroup ? ' <span class="badge">current</span>' : ''}${bar(g)}</div>`).join('');
  const controls = document.getElementById('controls');
  controls.innerHTML = canWrite() ? (ACTIONS[r.phase] || []).map(a => `<button class="${a === 'abort' || a === 'rollback' ? 'danger' : ''}" data-action="${a}">${a}</button>`).join('') : '';
  controls.querySelectorAll('[data-action]').forEach(b => b.onclick = async () => {
    if (!confirm(`${b.dataset.action} rollout ${id}?`)) return;
    try { await api('POST', `/api/v1/rollouts/${enc}/${b.dataset.action}`); toast(b.dataset.action + ' accepted'); setTimeout(() => load(id, enc), 800); }
    catch (e) { toast(e.message, true); }
  });
  const failed = (await Promise.all(['FAILED', 'SILENT', 'ROLLED_BACK_LOCALLY', 'ROLLBACK_FAILED']
    .map(s => api('GET', `/api/v1/rollouts/${enc}/devices?status=${s}&size=50`)))).flatMap(items);
  document.getElementById('failed').innerHTML = failed.length === 0 ? '<p class="muted">None.</p>'
    : '<table><tbody>' + failed.map(d => `<tr><td><a href="/ui/devices/${encodeURIComponent(d.deviceId)}">${esc(d.deviceId)}</a></td>
      <td><span class="badge">${esc(d.status)}</span></td><td>${esc(d.reason || '')}</td></tr>`).join('') + '</tbody></table>';
  const audit = await api('GET', `/api/v1/rollouts/${enc}/audit?size=200`);
  document.getElementById('audit').innerHTML = items(audit).slice().reverse().map(a => `<div><span class="muted">${when(a.at)}</span> ${esc(a.text)}</div>`).join('');
}
