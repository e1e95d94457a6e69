import uPlot from 'uplot';
import { api, items, esc, when, statusBadge, labelBadges, onEvent, canWrite, toast } from '../app.js';

const RANGES = { '1h': [3600, 'raw'], '6h': [6 * 3600, '1m'], '24h': [86400, '1m'], '7d': [7 * 86400, '1h'] };
let charts = [];

export async function render(main, ctx) {
  const id = ctx.param;
  const enc = encodeURIComponent(id);
  let d = await api('GET', `/api/v1/devices/${enc}`);
  const write = canWrite() && String(d.status).toLowerCase() !== 'decommissioned';
  main.innerHTML = `<h1 id="device-name">${esc(d.name)} <span id="presence">${statusBadge(d.status)}</span></h1>
  <div class="grid">
    <div class="card"><h2>Identity</h2><dl class="kv" id="identity"></dl></div>
    <div class="card"><h2>Labels</h2><div id="labels">${labelBadges(d.labels) || '<span class="muted">none</span>'}</div>
      ${write ? `<form id="label-form" style="margin-top:.6rem"><textarea id="label-text" rows="4" style="width:100%"
        aria-label="labels, one key=value per line">${esc(Object.entries(d.labels || {}).map(([k, v]) => k + '=' + v).join('\n'))}</textarea>
        <button class="primary" id="save-labels">Save labels</button> <span class="error" id="label-error"></span></form>` : ''}
    </div>
    <div class="card"><h2>Release</h2><div id="release"><span class="muted">…</span></div></div>
  </div>
  <div class="card" style="margin-top:1rem"><div class="toolbar"><h2 style="margin:0">Telemetry</h2>
    <select id="range">${Object.keys(RANGES).map(r => `<option ${r === '1h' ? 'selected' : ''}>${r}</option>`).join('')}</select>
    <span class="muted" id="bucket"></span></div><div id="charts"></div></div>
  <div class="grid" style="margin-top:1rem">
    <div class="card"><h2>Containers</h2><div id="containers"><span class="muted">…</span></div></div>
    <div class="card"><h2>Commands</h2><div id="commands"></div></div>
  </div>
  <div class="card" style="margin-top:1rem" id="logs-card"><h2>Logs</h2><div id="logs"></div></div>
  <div class="card" style="margin-top:1rem"><h2>Recent events</h2><div id="events"></div></div>`;
  identity(d);
  if (write) {
    document.getElementById('label-form').addEventListener('submit', async e => {
      e.preventDefault();
      const err = document.getElementById('label-error');
      const wanted = {};
      for (const line of document.getElementById('label-text').value.split('\n').map(s => s.trim()).filter(Boolean)) {
        const i = line.indexOf('=');
        if (i <= 0) { err.textContent = `"${line}" is not key=value`; return; }
        wanted[line.slice(0, i).trim()] = line.slice(i + 1).trim();
      }
      const patch = { ...wanted };
      for (const k of Object.keys(d.labels || {})) if (!(k in wanted)) patch[k] = null;
      try {
        d = await api('PATCH', `/api/v1/devices/${enc}`, { labels: patch });
        err.textContent = '';
        document.getElementById('labels').innerHTML = labelBadges(d.labels) || '<span class="muted">none</span>';
        document.getElementById('labels').dataset.saved = 'true';
        toast('Labels saved');
      } catch (ex) { err.textContent = ex.problem?.errors?.map(x => x.field + ': ' + x.message).join('; ') || ex.message; }
    });
  }
  commands(d, write, enc);
  logsPanel(enc, write);
  const range = document.getElementById('range');
  range.onchange = () => telemetry(enc, range.value);
  await Promise.all([telemetry(enc, '1h'), reported(enc, write), events(enc), pin(enc, write)]);
  onEvent((type, e) => {
    if (e.deviceId !== id) return;
    if (type === 'device.online' || type === 'device.offline') {
      const status = type === 'device.online' ? 'online' : 'offline';
      document.getElementById('presence').innerHTML = statusBadge(status);
      d = { ...d, status, lastSeen: e.at };
      identity(d);
    }
    if (type === 'device.state-changed' || type.startsWith('alert.')) reported(enc, write);
    events(enc);
  });
  // periodic reports (resource use) raise no event: re-read the containers while the page is open
  const timer = setInterval(() => { if (!document.getElementById('containers')) clearInterval(timer); else reported(enc, write); }, 30000);
}

function identity(d) {
  const hw = d.hardware || {};
  const rows = [['Id', d.id], ['Serial', d.serial], ['Fleet', d.fleet], ['Model', hw.model], ['Arch', hw.arch],
    ['Memory', hw.memoryMb ? hw.memoryMb + ' MB' : null], ['OS', hw.os], ['Kernel', hw.kernel], ['Agent', hw.agentVersion]];
  document.getElementById('identity').innerHTML = rows.filter(r => r[1] != null)
    .map(([k, v]) => `<dt>${k}</dt><dd>${esc(v)}</dd>`).join('')
    + `<dt>Last seen</dt><dd id="last-seen">${when(d.lastSeen)}${d.offlineReason && String(d.status).toLowerCase() !== 'online' ? ' (' + esc(d.offlineReason) + ')' : ''}</dd>`
    + `<dt>Enrolled</dt><dd>${when(d.enrolledAt)}</dd>`;
}

async function telemetry(enc, rangeName) {
  charts.forEach(c => c.destroy());
  charts = [];
  const box = document.getElementById('charts');
  const [seconds, bucket] = RANGES[rangeName];
  document.getElementById('bucket').textContent = bucket === 'raw' ? 'raw readings' : `${bucket} averages`;
  const series = await api('GET', `/ui/api/devices/${enc}/series`);
  if (series.length === 0) { box.innerHTML = '<p class="muted" id="no-telemetry">No telemetry in the last 7 days.</p>'; return; }
  box.innerHTML = '';
  const to = new Date(), from = new Date(to.getTime() - seconds * 1000);
  for (const s of series) {
    const q = new URLSearchParams({ sensor: s.sensor, quantity: s.quantity, bucket, from: from.toISOString(),
      to: to.toISOString(), limit: '5000' });
    const r = await api('GET', `/api/v1/devices/${enc}/telemetry?${q}`);
    const xs = [], ys = [];
    for (const p of (r.points || [])) {
      const v = bucket === 'raw' ? (p.quality === 'ok' ? p.value : null) : p.avg;
      xs.push(Date.parse(p.ts) / 1000); ys.push(v);
    }
    const div = document.createElement('div');
    div.className = 'chart';
    div.dataset.sensor = s.sensor; div.dataset.quantity = s.quantity; div.dataset.points = String(xs.length);
    div.innerHTML = `<div class="muted">${esc(s.sensor)} · ${esc(s.quantity)} (${esc(s.unit)})${r.truncated ? ' — truncated' : ''}</div>`;
    box.appendChild(div);
    const width = Math.max(280, box.clientWidth - 10);
    const range = [from.getTime() / 1000, to.getTime() / 1000];
    charts.push(new uPlot({ width, height: 220, scales: { x: { time: true, range: () => range } }, series: [{}, { label: s.quantity, stroke: '#2563eb', width: 1.5, spanGaps: false }],
      axes: [{}, { label: s.unit }], legend: { show: true } }, [xs, ys], div));
  }
}

async function reported(enc, write) {
  const box = document.getElementById('containers');
  if (!box) return;
  const [r, h] = await Promise.all([api('GET', `/ui/api/devices/${enc}/reported-state`),
    api('GET', `/api/v1/devices/${enc}/health`).catch(() => null)]);
  const healthHtml = deviceHealth(h);
  if (!r.available) { box.innerHTML = healthHtml + '<p class="muted">The device has not reported an application state.</p>'; return; }
  let services = [];
  try { services = JSON.parse(r.services || '[]'); } catch { services = []; }
  if (!Array.isArray(services)) services = Object.entries(services).map(([name, v]) => ({ name, ...v }));
  box.innerHTML = healthHtml + `<p>State <span class="badge">${esc(r.status)}</span> ${r.reason ? esc(r.reason) : ''} <span class="muted">reported ${when(r.reportedAt)}</span></p>`
    + (services.length === 0 ? '<p class="muted">No containers.</p>' : `<table id="container-table"><thead><tr><th>Service</th><th>State</th><th>Health</th>
      <th>Restarts</th><th class="hide-narrow">CPU</th><th>Memory</th><th class="hide-narrow">Pids</th>${write ? '<th></th>' : ''}</tr></thead><tbody>`
      + services.map(s => `<tr data-service="${esc(s.name || s.service)}"><td title="${esc(s.image || '')}">${esc(s.name || s.service)}</td>
        <td>${esc(s.state || s.status || '')}</td><td>${healthBadge(s.health)}</td><td>${s.restarts ?? ''}</td>
        <td class="hide-narrow">${s.cpuPercent != null ? Number(s.cpuPercent).toFixed(1) + ' %' : '<span class="muted">–</span>'}</td>
        <td style="min-width:8rem">${memory(s.memoryBytes, s.memoryLimitBytes)}</td>
        <td class="hide-narrow">${s.pids ?? '<span class="muted">–</span>'}</td>
        ${write ? `<td><button data-restart="${esc(s.name || s.service)}">Restart</button></td>` : ''}</tr>`).join('') + '</tbody></table>');
  box.querySelectorAll('[data-restart]').forEach(b => b.onclick = () =>
    send(enc, { command: 'restart-service', service: b.dataset.restart }, `Restart service ${b.dataset.restart}?`));
  document.getElementById('release').innerHTML = `<p>Running <b>${esc(r.releaseId || 'none')}</b>${r.previousReleaseId ? ` <span class="muted">(before: ${esc(r.previousReleaseId)})</span>` : ''}</p>`
    + (document.getElementById('release').dataset.pin || '');
}

function healthBadge(health) {
  const cls = health === 'healthy' ? 'ok' : health === 'unhealthy' ? 'bad' : '';
  return health ? `<span class="badge ${cls}">${esc(health)}</span>` : '';
}

function mib(n) { return n >= 1024 ** 3 ? (n / 1024 ** 3).toFixed(1) + ' GiB' : Math.round(n / 1024 ** 2) + ' MiB'; }

// memory used against the limit: a bar when limited (red above 90 %), the figure alone otherwise
function memory(used, limit) {
  if (used == null) return '<span class="muted">–</span>';
  if (!limit) return `${mib(used)} <span class="muted">no limit</span>`;
  const pct = Math.min(100, 100 * used / limit);
  return `<div class="bar" title="${pct.toFixed(0)} % of the limit"><span class="${pct >= 90 ? 'b-failed' : 'b-active'}" style="width:${pct}%"></span></div>
    <span class="muted">${mib(used)} / ${mib(limit)}</span>`;
}

// the board's reported health (disk, memory, temperature, power) and the alerts holding for the device
function deviceHealth(h) {
  if (!h) return '';
  const s = h.system || {};
  const parts = [];
  if (s.diskTotalBytes) {
    const pct = 100 * (s.diskTotalBytes - s.diskFreeBytes) / s.diskTotalBytes;
    parts.push(`<span title="data disk">Disk ${pct.toFixed(0)} % <span class="muted">(${mib(s.diskFreeBytes)} free)</span></span>`);
  }
  if (s.memoryTotalBytes) parts.push(`Memory ${mib(s.memoryTotalBytes - (s.memoryAvailableBytes || 0))} / ${mib(s.memoryTotalBytes)}`);
  if (s.cpuTemperatureC != null) parts.push(`${Number(s.cpuTemperatureC).toFixed(1)} °C`);
  if (s.underVoltage) parts.push('<span class="badge bad">under-voltage</span>');
  if (s.throttled) parts.push('<span class="badge bad">throttled</span>');
  const alerts = (h.alerts || []).map(a => `<li><span class="badge bad">${esc(a.kind.replace(/_/g, ' '))}</span> ${esc(a.detail)} <span class="muted">since ${when(a.since)}</span></li>`).join('');
  return (parts.length ? `<p id="device-health">${parts.join(' · ')}</p>` : '')
    + (alerts ? `<ul id="device-alerts" style="padding-left:1rem">${alerts}</ul>` : '');
}

async function pin(enc, write) {
  const box = document.getElementById('release');
  let pinned = null, supported = true;
  try { pinned = await api('GET', `/api/v1/devices/${enc}/pin`); } catch (e) {
    if (e.status === 404 && e.problem && e.problem.detail && e.problem.detail.includes('not pinned')) pinned = null; else supported = false;
  }
  if (!supported) { box.dataset.pin = ''; if (box.textContent === '…') box.innerHTML = '<p class="muted">No release reported.</p>'; return; }
  const html = `<div id="pin">${pinned ? `Pinned to <b>${esc(pinned.releaseId)}</b>` : '<span class="muted">Not pinned.</span>'}
    ${write ? (pinned ? ' <button id="unpin">Unpin</button>'
      : ' <form class="inline" id="pin-form"><input id="pin-release" placeholder="release id" required><button>Pin</button></form>') : ''}</div>`;
  box.dataset.pin = html;
  if (box.textContent.trim() === '…') box.innerHTML = html; else box.insertAdjacentHTML('beforeend', html);
  document.getElementById('unpin')?.addEventListener('click', async () => {
    if (!confirm('Unpin this device?')) return;
    try { await api('DELETE', `/api/v1/devices/${enc}/pin`); toast('Unpinned'); location.reload(); } catch (e) { toast(e.message, true); }
  });
  document.getElementById('pin-form')?.addEventListener('submit', async e => {
    e.preventDefault();
    const releaseId = document.getElementById('pin-release').value.trim();
    if (!confirm(`Pin this device to ${releaseId}? Its desired state changes now.`)) return;
    try { await api('PUT', `/api/v1/devices/${enc}/pin`, { releaseId }); toast('Pinned'); location.reload(); } catch (ex) { toast(ex.message, true); }
  });
}

function commands(d, write, enc) {
  const box = document.getElementById('commands');
  if (!write) { box.innerHTML = '<p class="muted">Your role cannot send commands.</p>'; return; }
  box.innerHTML = `<div class="toolbar"><button id="cmd-identify">Identify (blink LED)</button>
    <button id="cmd-restart-agent">Restart agent</button><button class="danger" id="cmd-reboot">Reboot</button></div>
    <p class="muted" id="cmd-result"></p>`;
  document.getElementById('cmd-identify').onclick = () => send(enc, { command: 'identify' }, 'Blink the identify LED for 10 s?');
  document.getElementById('cmd-restart-agent').onclick = () => send(enc, { command: 'restart-agent' }, 'Restart the agent on this device?');
  document.getElementById('cmd-reboot').onclick = () => send(enc, { command: 'reboot' }, 'Reboot this device? Its applications stop until it is back.');
}

async function send(enc, body, question) {
  if (!confirm(question)) return;
  const out = document.getElementById('cmd-result');
  out.textContent = 'Sending…';
  try {
    const r = await api('POST', `/ui/api/devices/${enc}/commands`, body);
    out.textContent = `${r.command}: ${r.status}${r.error ? ' — ' + r.error : ''}`;
  } catch (e) { out.textContent = ''; toast(e.message, true); }
}

async function events(enc) {
  const r = await api('GET', `/api/v1/devices/${enc}/events?size=20`);
  document.getElementById('events').innerHTML = items(r).length === 0 ? '<p class="muted">None.</p>'
    : '<table><tbody>' + items(r).map(e => `<tr><td>${when(e.at)}</td><td>${esc(e.type)}</td>
      <td class="muted">${esc(Object.entries(e.data || {}).map(([k, v]) => k + '=' + v).join(' '))}</td></tr>`).join('') + '</tbody></table>';
}

// Logs on demand: asks the device for the last N lines of the agent's log or of one service of its running release
// (POST /api/v1/devices/{id}/logs), then polls the request until the device has sent every chunk or refused.
async function logsPanel(enc, write) {
  const box = document.getElementById('logs');
  if (!write) { box.innerHTML = '<p class="muted">Your role cannot read device logs.</p>'; return; }
  let services = [];
  try {
    const r = await api('GET', `/ui/api/devices/${enc}/reported-state`);
    const parsed = r.available ? JSON.parse(r.services || '[]') : [];
    services = (Array.isArray(parsed) ? parsed.map(s => s.name || s.service) : Object.keys(parsed)).filter(Boolean);
  } catch { services = []; }
  box.innerHTML = `<form class="inline" id="logs-form"><label>Source<select id="logs-source">
      <option value="agent">agent</option>${services.map(s => `<option value="${esc(s)}">service ${esc(s)}</option>`).join('')}
    </select></label><label>Lines<input id="logs-lines" type="number" min="1" max="10000" value="200" style="width:7rem"></label>
    <button class="primary" id="logs-fetch">Fetch</button> <span class="muted" id="logs-status"></span></form>
    <pre id="logs-output" class="logs" data-state="idle"></pre>`;
  document.getElementById('logs-form').addEventListener('submit', async e => {
    e.preventDefault();
    const out = document.getElementById('logs-output');
    const status = document.getElementById('logs-status');
    const button = document.getElementById('logs-fetch');
    out.textContent = ''; out.dataset.state = 'requesting'; status.textContent = 'Asking the device…';
    button.disabled = true;
    try {
      const { requestId } = await api('POST', `/api/v1/devices/${enc}/logs`, {
        source: document.getElementById('logs-source').value, lines: Number(document.getElementById('logs-lines').value) });
      out.dataset.requestId = requestId;
      for (let i = 0; i < 120; i++) {
        const r = await api('GET', `/api/v1/devices/${enc}/logs/${encodeURIComponent(requestId)}`);
        const lines = (r.chunks || []).flatMap(c => c.lines || []);
        out.textContent = lines.map(l => `${l.ts || ''} ${(l.level || '').padEnd(5)} ${l.text}`).join('\n');
        out.dataset.state = String(r.state).toLowerCase();
        out.dataset.lines = String(lines.length);
        status.textContent = r.error ? `${r.state.toLowerCase()}: ${r.error.message}`
          : `${lines.length} line(s)${r.truncated ? ' (truncated)' : ''} · ${r.state.toLowerCase()}`;
        if (['COMPLETE', 'FAILED', 'EXPIRED'].includes(r.state)) break;
        await new Promise(res => setTimeout(res, 1000));
      }
    } catch (ex) { out.dataset.state = 'error'; status.textContent = ex.message; }
    finally { button.disabled = false; }
  });
}
