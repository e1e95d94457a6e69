import { api, items, esc, when, isAdmin, toast } from '../app.js';

export async function render(main, ctx) {
  main.innerHTML = `<h1>Users &amp; API tokens</h1>
  <div class="card" style="margin-bottom:1rem"><h2>My API tokens</h2>
    <form class="inline" id="tok-form"><label>Name <input id="tok-name" required maxlength="100" placeholder="ci-pipeline"></label>
      <label>Expires in days <input id="tok-days" type="number" min="1" max="3650"></label><button class="primary">Create token</button></form>
    <div id="tok-created"></div>
    <div class="table-wrap" style="margin-top:.6rem"><table id="api-tokens"><thead><tr><th>Id</th><th>Name</th><th>Created</th><th>Expires</th><th>State</th><th></th></tr></thead><tbody></tbody></table></div>
  </div>
  <div id="users-box"></div>`;
  document.getElementById('tok-form').addEventListener('submit', async e => {
    e.preventDefault();
    const days = document.getElementById('tok-days').value;
    try {
      const r = await api('POST', '/api/v1/api-tokens', { name: document.getElementById('tok-name').value.trim(), expiresInDays: days ? Number(days) : null });
      document.getElementById('tok-created').innerHTML = `<p>Use it as <code>Authorization: Bearer …</code>. Copy it now, it is not shown again:</p><div class="secret">${esc(r.secret)}</div>`;
      await tokens();
    } catch (ex) { toast(ex.problem?.errors?.map(x => x.field + ': ' + x.message).join('; ') || ex.message, true); }
  });
  await tokens();
  if (isAdmin()) await users();
}

async function tokens() {
  const list = await api('GET', '/api/v1/api-tokens');
  document.querySelector('#api-tokens tbody').innerHTML = list.length === 0 ? '<tr><td colspan="6" class="muted">No tokens.</td></tr>'
    : list.map(t => `<tr><td>${esc(t.id)}</td><td>${esc(t.name)}</td><td>${when(t.createdAt)}</td>
      <td>${t.expiresAt ? esc(new Date(t.expiresAt).toLocaleDateString()) : 'never'}</td><td>${t.revokedAt ? 'revoked' : 'active'}</td>
      <td>${t.revokedAt ? '' : `<button class="danger" data-revoke="${esc(t.id)}">Revoke</button>`}</td></tr>`).join('');
  document.querySelectorAll('[data-revoke]').forEach(b => b.onclick = async () => {
    if (!confirm('Revoke this API token? Tools using it stop working.')) return;
    try { await api('POST', `/api/v1/api-tokens/${encodeURIComponent(b.dataset.revoke)}/revoke`); await tokens(); } catch (e) { toast(e.message, true); }
  });
}

async function users() {
  const box = document.getElementById('users-box');
  box.innerHTML = `<div class="card"><h2>Users</h2>
    <form class="inline" id="user-form"><label>User name <input id="u-name" required></label>
      <label>Password <input id="u-pass" type="password" required minlength="12" autocomplete="new-password"></label>
      <label>Role <select id="u-role"><option>VIEWER</option><option>OPERATOR</option><option>ADMIN</option></select></label>
      <button class="primary">Create user</button></form>
    <div class="table-wrap" style="margin-top:.6rem"><table id="users"><thead><tr><th>User</th><th>Role</th><th>Created</th><th>State</th></tr></thead><tbody></tbody></table></div></div>`;
  document.getElementById('user-form').addEventListener('submit', async e => {
    e.preventDefault();
    try {
      await api('POST', '/api/v1/users', { username: document.getElementById('u-name').value.trim(),
        password: document.getElementById('u-pass').value, role: document.getElementById('u-role').value });
      document.getElementById('u-pass').value = '';
      toast('User created'); await list();
    } catch (ex) { toast(ex.problem?.errors?.map(x => x.field + ': ' + x.message).join('; ') || ex.message, true); }
  });
  async function list() {
    const r = await api('GET', '/api/v1/users?size=200');
    document.querySelector('#users tbody').innerHTML = items(r).map(u => `<tr><td>${esc(u.username)}</td><td>${esc(u.role)}</td>
      <td>${when(u.createdAt)}</td><td>${u.disabled ? 'disabled' : 'enabled'}</td></tr>`).join('');
  }
  await list();
}
