import { api, esc, when, onEvent } from '../app.js';

export async function render(main) {
  main.innerHTML = `<h1>Fleet overview</h1>
  <div class="grid">
    <div class="card"><h2>Online</h2><div class="stat ok" id="online">–</div></div>
    <div class="card"><h2>Offline</h2><div class="stat bad" id="offline">–</div></div>
    <div class="card"><h2>Offline too long</h2><div class="stat warn" id="too-long">–</div><div class="muted" id="too-long-after"></div></div>
    <div class="card"><h2>Decommissioned</h2><div class="stat muted" id="decommissioned">–</div></div>
  </div>
  <div class="grid" style="margin-top:1rem">
    <div class="card"><h2>Active rollouts</h2><div id="rollouts"></div></div>
    <div class="card"><h2>Releases running</h2><div id="releases"></div></div>
  </div>
  <div class="card" style="margin-top:1rem" id="alerts-card"><h2>Alerts <span class="badge" id="alerts-total">–</span></h2>
    <div id="alert-kinds" class="toolbar"></div><div id="alerts"></div></div>
  <div class="grid" style="margin-top:1rem">
    <div class="card"><h2>Offline the longest</h2><div id="longest"></div></div>
    <div class="card"><h2>Recent problems</h2><div id="problems"></div></div>
  </div>`;
  await load();
  // counts change with presence: re-read the (cheap, server-side) aggregate at most every 2 s
  let pending = null;
  onEvent(type => {
    if (pending) return;
    pending = setTimeout(async () => { pending = null; await load(); }, 2000);
  });
}

async function load() {
  const [o] = await Promise.all([api('GET', '/ui/api/overview'), alerts()]);
  for (const k of ['online', 'offline', 'decommissioned']) document.getElementById(k).textContent = o[k];
  document.getElementById('too-long').textContent = o.offlineTooLong;
  document.getElementById('too-long-after').textContent = 'offline for more than ' + o.offlineAlertAfter.replace('PT', '').toLowerCase();
  document.getElementById('rollouts').innerHTML = !o.rolloutsAvailable ? '<p class="muted">Rollouts are not available yet on this server.</p>'
    : (o.activeRollouts || []).length === 0 ? '<p class="muted">No rollout running.</p>'
    : (o.activeRollouts || []).map(r => {
      const b = r.byStatus || {};
      const healthy = (b.HEALTHY || 0) + (b.SUCCEEDED || 0), total = r.devices || 1;
      const failed = (b.FAILED || 0) + (b.SILENT || 0) + (b.ROLLBACK_FAILED || 0);
      const active = Object.entries(b).filter(([k]) => !['HEALTHY', 'SUCCEEDED', 'FAILED', 'SILENT', 'ROLLBACK_FAILED', 'PENDING'].includes(k))
        .reduce((s, [, v]) => s + v, 0);
      return `<div style="margin-bottom:.6rem"><a href="/ui/rollouts/${encodeURIComponent(r.id)}">${esc(r.id)}</a>
        <span class="badge">${esc(r.phase)}</span> <span class="muted">${esc(r.releaseId || '')}</span>
        <div class="bar" title="${healthy} healthy, ${failed} failed, ${active} in progress of ${r.devices}">
          <span class="b-healthy" style="width:${100 * healthy / total}%"></span>
          <span class="b-active" style="width:${100 * active / total}%"></span>
          <span class="b-failed" style="width:${100 * failed / total}%"></span></div>
        <span class="muted">${healthy}/${r.devices} healthy${failed ? `, ${failed} failed` : ''}</span></div>`;
    }).join('');
  const total = (o.releases || []).reduce((s, r) => s + r.devices, 0) || 1;
  document.getElementById('releases').innerHTML = (o.releases || []).length === 0 ? '<p class="muted">No reported releases yet.</p>'
    : '<table><tbody>' + (o.releases || []).map(r => `<tr><td>${r.releaseId ? esc(r.releaseId) : '<span class="muted">none reported</span>'}</td>
      <td style="width:45%"><div class="bar"><span class="b-active" style="width:${100 * r.devices / total}%"></span></div></td>
      <td>${r.devices}</td></tr>`).join('') + '</tbody></table>';
  document.getElementById('longest').innerHTML = (o.longestOffline || []).length === 0 ? '<p class="muted">None.</p>'
    : '<table><tbody>' + (o.longestOffline || []).map(d => `<tr><td><a href="/ui/devices/${encodeURIComponent(d.id)}">${esc(d.name)}</a></td>
      <td>${when(d.lastSeen)}</td><td class="muted">${esc(d.offlineReason || '')}</td></tr>`).join('') + '</tbody></table>';
  document.getElementById('problems').innerHTML = (o.recentProblems || []).length === 0 ? '<p class="muted">None.</p>'
    : '<table><tbody>' + (o.recentProblems || []).map(e => `<tr><td>${when(e.at)}</td><td>${esc(e.type)}</td>
      <td><a href="/ui/devices/${encodeURIComponent(e.deviceId)}">${esc(e.deviceId)}</a></td>
      <td class="muted hide-narrow">${esc((e.detail || '').replace(/\n/g, ' '))}</td></tr>`).join('') + '</tbody></table>';
}

// alerts holding now (docs/alerts.md): count per kind, then the latest; refreshed with the rest on SSE events
async function alerts() {
  let a;
  try { a = await api('GET', '/api/v1/alerts/summary'); } catch { return; }
  document.getElementById('alerts-total').textContent = a.total;
  document.getElementById('alert-kinds').innerHTML = Object.entries(a.byKind || {})
    .map(([k, n]) => `<span class="badge" data-kind="${esc(k)}">${esc(k.replace(/_/g, ' '))}: <b>${n}</b></span>`).join('');
  document.getElementById('alerts').innerHTML = (a.latest || []).length === 0 ? '<p class="muted">No alerts.</p>'
    : '<table><tbody>' + a.latest.map(x => `<tr><td>${when(x.since)}</td><td><span class="badge bad">${esc(x.kind.replace(/_/g, ' '))}</span></td>
      <td><a href="/ui/devices/${encodeURIComponent(x.deviceId)}">${esc(x.deviceId)}</a></td>
      <td class="muted hide-narrow">${esc(x.detail)}</td></tr>`).join('') + '</tbody></table>';
}
