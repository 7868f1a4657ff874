/** The OAuth authorize page: an accessible HTML form on which a sandbox user approves or denies the app. */
import { escapeXml as escapeHtml } from '../soap/envelope.js';

export interface AuthorizeView {
  requestId: string;
  appName: string;
  scopes: string[];
  users: Array<{ username: string; name: string }>;
  selected: string;
  error?: string;
}

const STYLE =
  'body{font-family:system-ui,sans-serif;margin:0;background:#f3f3f3;color:#181818}' +
  'main{max-width:32rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:.5rem;box-shadow:0 1px 4px rgba(0,0,0,.2)}' +
  'h1{font-size:1.4rem}label{display:block;margin:1rem 0 .3rem;font-weight:600}select{width:100%;padding:.4rem;font-size:1rem}' +
  '.actions{display:flex;gap:1rem;margin-top:1.5rem}button{padding:.6rem 1.2rem;font-size:1rem;border-radius:.3rem;border:1px solid #0b5cab;cursor:pointer}' +
  'button[value=approve]{background:#0b5cab;color:#fff}button[value=deny]{background:#fff;color:#0b5cab}' +
  'button:focus-visible,select:focus-visible{outline:3px solid #1b96ff;outline-offset:2px}.error{color:#ba0517;font-weight:600}';

export function authorizePage(view: AuthorizeView): string {
  const options = view.users
    .map((u) => `<option value="${escapeHtml(u.username)}"${u.username === view.selected ? ' selected' : ''}>${escapeHtml(u.name)} (${escapeHtml(u.username)})</option>`)
    .join('');
  const scopes = view.scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Allow access? | revloop Salesforce sandbox</title><style>${STYLE}</style></head>
<body>
<main>
<h1>Allow access?</h1>
<p><strong>${escapeHtml(view.appName)}</strong> is asking to access this Salesforce sandbox org as the user you choose.</p>
${view.error === undefined ? '' : `<p class="error" role="alert">${escapeHtml(view.error)}</p>`}
<form method="post" action="/services/oauth2/authorize">
<input type="hidden" name="request" value="${escapeHtml(view.requestId)}">
<label for="username">Log in as</label>
<select id="username" name="username">${options}</select>
<p id="scopes-label">It will be able to:</p>
<ul aria-labelledby="scopes-label">${scopes}</ul>
<div class="actions">
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</div>
</form>
</main>
</body>
</html>`;
}

export function errorPage(title: string, message: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)} | revloop Salesforce sandbox</title><style>${STYLE}</style></head>
<body><main><h1>${escapeHtml(title)}</h1><p class="error" role="alert">${escapeHtml(message)}</p></main></body>
</html>`;
}
