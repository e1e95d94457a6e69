import { api, items, esc, when, isAdmin, toast } from '../app.js';

export async function render(main) {
  main.innerHTML = `<h1>Service accounts</h1><p class="muted">MQTT logins for telemetry subscribers (read-only access to telemetry topics).</p>`;
  if (!isAdmin()) { main.insertAdjacentHTML('beforeend', '<div class="card" id="admin-only">Only administrators manage service accounts.</div>'); return; }
  main.insertAdjacentHTML('beforeend', `<div class="card" style="margin-bottom:1rem"><h2>New service account</h2>
    <form class="inline" id="sa-form"><label>Name <input id="sa-name" required pattern="svc-[a-z0-9][a-z0-9._-]{1,59}" placeholder="svc-grafana"></label>
      <label>Description <input id="sa-desc" maxlength="200"></label><button class="primary">Create</button></form>
    <div id="sa-created"></div></div>
    <div class="table-wrap"><table id="accounts"><thead><tr><th>Name</th><th>Description</th><th>Created</th><th></th></tr></thead><tbody></tbody></table></div>`);
  document.getElementById('sa-form').addEventListener('submit', async e => {
    e.preventDefault();
    try {
      const r = await api('POST', '/api/v1/service-accounts', { name: document.getElementById('sa-name').value.trim(),
        description: document.getElementById('sa-desc').value.trim() || null });
      document.getElementById('sa-created').innerHTML = `<p>MQTT password of <b>${esc(r.account.name)}</b>. Copy it now, it is not shown again:</p><div class="secret">${esc(r.secret)}</div>`;
      await load();
    } catch (ex) { toast(ex.problem?.errors?.map(x => x.field + ': ' + x.message).join('; ') || ex.message, true); }
  });
  await load();
}

async function load() {
  const r = await api('GET', '/api/v1/service-accounts?size=200');
  document.querySelector('#accounts tbody').innerHTML = items(r).length === 0 ? '<tr><td colspan="4" class="muted">None.</td></tr>'
    : items(r).map(a => `<tr><td>${esc(a.name)}</td><td>${esc(a.description || '')}</td><td>${when(a.createdAt)} <span class="muted">${esc(a.createdBy || '')}</span></td>
      <td><button class="danger" data-delete="${esc(a.name)}">Delete</button></td></tr>`).join('');
  document.querySelectorAll('[data-delete]').forEach(b => b.onclick = async () => {
    if (!confirm(`Delete ${b.dataset.delete}? Its MQTT sessions end at once.`)) return;
    try { await api('DELETE', `/api/v1/service-accounts/${encodeURIComponent(b.dataset.delete)}`); toast('Deleted'); await load(); }
    catch (e) { toast(e.message, true); }
  });
}
