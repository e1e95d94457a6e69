import { api, items, esc, when, canWrite, toast, notAvailable } from '../app.js';

export async function render(main) {
  let r;
  try { r = await api('GET', '/api/v1/releases?size=200'); } catch (e) {
    if (e.status === 404) { notAvailable(main, 'Releases'); return; }
    throw e;
  }
  main.innerHTML = `<h1>Releases</h1>
  ${canWrite() ? `<div class="card" style="margin-bottom:1rem"><h2>New release from a compose file</h2>
    <form id="rel-form" style="display:grid;gap:.5rem">
      <div class="inline" style="display:flex;gap:.5rem;flex-wrap:wrap"><input id="rel-name" required placeholder="app name">
        <input id="rel-version" required placeholder="version, e.g. 1.4.0"><input id="rel-notes" placeholder="notes">
        <input type="file" id="rel-file" accept=".yml,.yaml,.json"></div>
      <textarea id="rel-compose" rows="8" required placeholder="services:&#10;  web:&#10;    image: registry.lan:5000/web:1.4.0"></textarea>
      <div><button class="primary">Create release (pins every image to its digest)</button> <span class="error" id="rel-error"></span></div>
    </form></div>` : ''}
  <div class="toolbar"><select id="diff-a"></select> → <select id="diff-b"></select><button id="diff">Diff</button></div>
  <div id="diff-out"></div>
  <div class="table-wrap"><table id="releases"><thead><tr><th>Release</th><th>Notes</th><th class="hide-narrow">Requires</th><th>Created</th></tr></thead><tbody></tbody></table></div>
  <div id="detail" style="margin-top:1rem"></div>`;
  const fill = list => {
    document.querySelector('#releases tbody').innerHTML = list.length === 0 ? '<tr><td colspan="4" class="muted">No releases.</td></tr>'
      : list.map(x => `<tr><td><a href="#" data-release="${esc(x.id)}">${esc(x.name)} ${esc(x.version)}</a><div class="muted">${esc(x.id)}</div></td>
        <td>${esc(x.notes || '')}</td><td class="hide-narrow muted">${esc(JSON.stringify(x.requires || {}))}</td><td>${when(x.createdAt)}</td></tr>`).join('');
    const opts = list.map(x => `<option value="${esc(x.id)}">${esc(x.name)} ${esc(x.version)}</option>`).join('');
    document.getElementById('diff-a').innerHTML = opts; document.getElementById('diff-b').innerHTML = opts;
    document.querySelectorAll('[data-release]').forEach(a => a.onclick = ev => { ev.preventDefault(); detail(a.dataset.release); });
  };
  fill(items(r));
  document.getElementById('diff').onclick = async () => {
    const a = document.getElementById('diff-a').value, b = document.getElementById('diff-b').value;
    if (!a || !b) return;
    const d = await api('GET', `/api/v1/releases/${encodeURIComponent(a)}/diff/${encodeURIComponent(b)}`);
    document.getElementById('diff-out').innerHTML = `<div class="card" style="margin-bottom:1rem"><h2>Changes</h2>` + ((d.changes || []).length === 0 ? '<p class="muted">Identical.</p>'
      : '<table><thead><tr><th>Path</th><th>Change</th><th>Before</th><th>After</th></tr></thead><tbody>' + (d.changes || []).map(c => `<tr><td>${esc(c.path)}</td>
        <td>${esc(c.kind)}</td><td class="muted">${esc(c.before ?? '')}</td><td>${esc(c.after ?? '')}</td></tr>`).join('') + '</tbody></table>') + '</div>';
  };
  document.getElementById('rel-file')?.addEventListener('change', async e => {
    const f = e.target.files[0];
    if (f) document.getElementById('rel-compose').value = await f.text();
  });
  document.getElementById('rel-form')?.addEventListener('submit', async e => {
    e.preventDefault();
    const err = document.getElementById('rel-error');
    err.textContent = 'Resolving image digests…';
    try {
      const d = await api('POST', '/api/v1/releases', { name: document.getElementById('rel-name').value.trim(),
        version: document.getElementById('rel-version').value.trim(), compose: document.getElementById('rel-compose').value,
        notes: document.getElementById('rel-notes').value.trim() || null });
      err.textContent = '';
      toast('Release ' + d.id + ' created');
      fill(items(await api('GET', '/api/v1/releases?size=200')));
      detail(d.id);
    } catch (ex) { err.textContent = ex.problem?.errors?.map(x => x.field + ': ' + x.message).join('; ') || ex.message; }
  });
}

async function detail(id) {
  const d = await api('GET', `/api/v1/releases/${encodeURIComponent(id)}`);
  document.getElementById('detail').innerHTML = `<div class="card"><h2>${esc(d.name)} ${esc(d.version)}</h2>
    <p class="muted">spec digest ${esc(d.specDigest)} · created ${when(d.createdAt)} by ${esc(d.createdBy || '')}</p>
    <table><thead><tr><th>Service</th><th>Image</th><th>Pinned digest</th></tr></thead><tbody>${(d.images || []).map(i => `<tr>
      <td>${esc(i.service)}</td><td>${esc(i.image)}</td><td style="overflow-wrap:anywhere">${esc(i.digest)}</td></tr>`).join('')}</tbody></table>
    <details><summary>Compose</summary><pre style="white-space:pre-wrap">${esc(d.compose || '')}</pre></details></div>`;
}
