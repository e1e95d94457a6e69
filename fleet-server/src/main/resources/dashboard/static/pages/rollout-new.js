import { api, items, esc, canWrite, notAvailable, toast } from '../app.js';

export async function render(main) {
  if (!canWrite()) { main.innerHTML = '<h1>New rollout</h1><div class="card" id="no-permission">Your role cannot start rollouts.</div>'; return; }
  let releases;
  try { releases = items(await api('GET', '/api/v1/releases?size=200')); await api('GET', '/api/v1/rollouts?size=1'); } catch (e) {
    if (e.status === 404 || e.status === 405) { notAvailable(main, 'Rollouts'); return; }
    throw e;
  }
  main.innerHTML = `<h1>New rollout</h1>
  <form id="wizard" class="grid">
    <div class="card"><h2>1. Release and devices</h2>
      <label>Release <select id="w-release" required>${releases.map(r => `<option value="${esc(r.id)}">${esc(r.name)} ${esc(r.version)}</option>`).join('')}</select></label>
      <p><label>Label selector <input id="w-selector" size="30" placeholder="env=prod,site in (a,b)"></label></p>
      <p id="w-count" class="muted"></p></div>
    <div class="card"><h2>2. Plan</h2>
      <div class="kv">
        <label for="w-canary">Canary devices</label><input id="w-canary" type="number" min="1" value="1">
        <label for="w-waves">Waves (% each, comma-separated)</label><input id="w-waves" value="25,100">
        <label for="w-conc">Max concurrent</label><input id="w-conc" type="number" min="1" value="20">
        <label for="w-soak">Soak (seconds)</label><input id="w-soak" type="number" min="0" value="60">
        <label for="w-timeout">Device timeout (seconds)</label><input id="w-timeout" type="number" min="1" value="600">
        <label for="w-fail">Failure threshold per wave (%)</label><input id="w-fail" type="number" min="0" max="100" value="10">
        <label for="w-breach">On breach</label><select id="w-breach"><option>PAUSE</option><option>ABORT_AND_ROLLBACK</option></select>
      </div></div>
    <div class="card"><h2>3. Forecast</h2><div id="w-forecast" class="muted">Preview to see the groups and the forecast.</div>
      <p class="error" id="w-error"></p>
      <div class="toolbar"><button type="button" id="w-preview">Preview</button><button class="primary" id="w-start">Create and start</button></div></div>
  </form>`;
  const sel = document.getElementById('w-selector');
  let t = null;
  const count = async () => {
    try {
      const r = await api('GET', '/ui/api/devices?size=1&status=&selector=' + encodeURIComponent(sel.value.trim()));
      document.getElementById('w-count').textContent = `${r.total} devices match`;
    } catch (e) { document.getElementById('w-count').textContent = e.message; }
  };
  sel.addEventListener('input', () => { clearTimeout(t); t = setTimeout(count, 300); });
  count();
  const body = () => ({ releaseId: document.getElementById('w-release').value, selector: sel.value.trim(), plan: {
    canary: { count: Number(document.getElementById('w-canary').value) },
    waves: document.getElementById('w-waves').value.split(',').map(s => s.trim()).filter(Boolean).map(p => ({ percent: Number(p) })),
    maxConcurrent: Number(document.getElementById('w-conc').value), soak: 'PT' + Number(document.getElementById('w-soak').value) + 'S',
    deviceTimeout: 'PT' + Number(document.getElementById('w-timeout').value) + 'S',
    thresholds: { perWave: { percent: Number(document.getElementById('w-fail').value) } },
    onBreach: document.getElementById('w-breach').value } });
  const problem = ex => ex.problem?.errors?.length ? ex.problem.errors.map(x => x.field + ': ' + x.message).join('; ') : ex.message;
  document.getElementById('w-preview').onclick = async () => {
    try {
      const p = await api('POST', '/api/v1/rollouts/preview', body());
      document.getElementById('w-error').textContent = '';
      document.getElementById('w-forecast').classList.remove('muted');
      document.getElementById('w-forecast').innerHTML = `<p><b>${p.devices}</b> devices (${p.excluded} excluded), groups ${esc((p.groupSizes || []).join(' → '))}</p>
        <p>${esc(p.forecast?.summary || '')}</p>` + (p.sample || []).filter(s => !s.included).slice(0, 5)
        .map(s => `<div class="muted">${esc(s.deviceId)}: ${esc((s.reasons || []).map(r => r.text).join('; '))}</div>`).join('');
    } catch (ex) { document.getElementById('w-error').textContent = problem(ex); }
  };
  document.getElementById('wizard').addEventListener('submit', async e => {
    e.preventDefault();
    if (!confirm('Create this rollout and start it now?')) return;
    try {
      const p = await api('POST', '/api/v1/rollouts', body());
      await api('POST', `/api/v1/rollouts/${encodeURIComponent(p.id)}/start`);
      toast('Rollout started');
      location.href = '/ui/rollouts/' + encodeURIComponent(p.id);
    } catch (ex) { document.getElementById('w-error').textContent = problem(ex); }
  });
}
