import { api, items, esc, when, canWrite, toast } from '../app.js';

export async function render(main) {
  main.innerHTML = `<h1>Provisioning tokens</h1>
  ${canWrite() ? `<div class="card" style="margin-bottom:1rem"><h2>New token</h2>
    <form class="inline" id="token-form">
      <label>Fleet <input id="t-fleet" required pattern="[a-z0-9][a-z0-9-]{0,62}" placeholder="lab"></label>
      <label>Description <input id="t-desc" maxlength="200"></label>
      <label>Expires in hours <input id="t-hours" type="number" min="1" max="87600"></label>
      <label>Max uses <input id="t-uses" type="number" min="1"></label>
      <button class="primary">Create</button></form>
    <div id="t-created"></div></div>` : ''}
  <div class="table-wrap"><table id="tokens"><thead><tr><th>Id</th><th>Fleet</th><th>State</th><th>Uses</th>
    <th class="hide-narrow">Description</th><th class="hide-narrow">Created</th><th>Expires</th>${canWrite() ? '<th></th>' : ''}</tr></thead><tbody></tbody></table></div>`;
  document.getElementById('token-form')?.addEventListener('submit', async e => {
    e.preventDefault();
    const num = id => document.getElementById(id).value ? Number(document.getElementById(id).value) : null;
    try {
      const r = await api('POST', '/api/v1/provisioning-tokens', { fleet: document.getElementById('t-fleet').value.trim(),
        description: document.getElementById('t-desc').value.trim() || null, expiresInHours: num('t-hours'), maxUses: num('t-uses') });
      document.getElementById('t-created').innerHTML = `<p>Token created. Copy it now, it is not shown again:</p><div class="secret" id="t-secret">${esc(r.token)}</div>`;
      await load();
    } catch (ex) { toast(ex.problem?.errors?.map(x => x.field + ': ' + x.message).join('; ') || ex.message, true); }
  });
  await load();
}

async function load() {
  const r = await api('GET', '/api/v1/provisioning-tokens?size=200');
  document.querySelector('#tokens tbody').innerHTML = items(r).length === 0 ? '<tr><td colspan="8" class="muted">No tokens.</td></tr>'
    : items(r).map(t => `<tr><td>${esc(t.id)}</td><td>${esc(t.fleet)}</td><td><span class="badge">${esc(t.state)}</span></td>
      <td>${t.uses}${t.maxUses ? ' / ' + t.maxUses : ''}</td><td class="hide-narrow">${esc(t.description || '')}</td>
      <td class="hide-narrow">${when(t.createdAt)} <span class="muted">${esc(t.createdBy || '')}</span></td>
      <td>${t.expiresAt ? esc(new Date(t.expiresAt).toLocaleString()) : 'never'}</td>
      ${canWrite() ? `<td>${t.state === 'ACTIVE' ? `<button class="danger" data-revoke="${esc(t.id)}">Revoke</button>` : ''}</td>` : ''}</tr>`).join('');
  document.querySelectorAll('[data-revoke]').forEach(b => b.onclick = async () => {
    if (!confirm(`Revoke token ${b.dataset.revoke}? Devices can no longer enroll with it.`)) return;
    try { await api('POST', `/api/v1/provisioning-tokens/${encodeURIComponent(b.dataset.revoke)}/revoke`); toast('Revoked'); await load(); }
    catch (e) { toast(e.message, true); }
  });
}
