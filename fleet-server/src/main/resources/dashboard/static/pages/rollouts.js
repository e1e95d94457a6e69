import { api, items, esc, when, canWrite, notAvailable, onEvent } from '../app.js';

export async function render(main) {
  let r;
  try { r = await api('GET', '/api/v1/rollouts?size=100'); } catch (e) {
    if (e.status === 404 || e.status === 405) { notAvailable(main, 'Rollouts'); return; }
    throw e;
  }
  main.innerHTML = `<h1>Rollouts</h1>
    ${canWrite() ? '<p><a href="/ui/rollouts/new"><button class="primary" id="new-rollout">New rollout</button></a></p>' : ''}
    <div class="table-wrap"><table id="rollouts"><thead><tr><th>Rollout</th><th>Release</th><th>Phase</th><th>Devices</th>
    <th class="hide-narrow">Selector</th><th>Created</th></tr></thead><tbody></tbody></table></div>`;
  const fill = list => {
    document.querySelector('#rollouts tbody').innerHTML = list.length === 0 ? '<tr><td colspan="6" class="muted">No rollouts yet.</td></tr>'
      : list.map(x => `<tr><td><a href="/ui/rollouts/${encodeURIComponent(x.id)}">${esc(x.id)}</a> <span class="muted">${esc(x.kind)}</span></td>
        <td>${esc(x.releaseId || '')}</td><td><span class="badge">${esc(x.phase)}</span></td><td>${x.devices}</td>
        <td class="hide-narrow"><code>${esc(x.selector)}</code></td><td>${when(x.createdAt)} <span class="muted">${esc(x.createdBy)}</span></td></tr>`).join('');
  };
  fill(items(r));
  onEvent(async type => { if (type === 'rollout.phase') fill(items(await api('GET', '/api/v1/rollouts?size=100'))); });
}
