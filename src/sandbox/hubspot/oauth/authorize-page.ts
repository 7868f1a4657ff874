/**
 * The consent page at `/oauth/authorize`: which app asks for which scopes on which portal, with
 * Approve and Deny buttons. Plain, accessible HTML (landmarks, a labelled list, real buttons,
 * visible focus), no scripts.
 */
import { describeScope } from './scopes.js';

export interface AuthorizePageInput {
  appName: string;
  appId: number;
  portalId: number;
  hubDomain: string;
  userEmail: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  optionalScopes: string[];
  state?: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const STYLE = `
  body { font-family: system-ui, sans-serif; margin: 0; background: #f5f8fa; color: #33475b; }
  main { max-width: 34rem; margin: 3rem auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
  h1 { font-size: 1.4rem; margin-top: 0; }
  h2 { font-size: 1.05rem; }
  code { background: #eaf0f6; padding: 0 .25rem; border-radius: 3px; }
  li { margin: .4rem 0; }
  .actions { display: flex; gap: 1rem; margin-top: 1.5rem; }
  button { font-size: 1rem; padding: .6rem 1.4rem; border-radius: 4px; border: 2px solid #ff7a59; cursor: pointer; }
  button[value=approve] { background: #ff7a59; color: #fff; }
  button[value=deny] { background: #fff; color: #33475b; border-color: #cbd6e2; }
  button:focus-visible { outline: 3px solid #0091ae; outline-offset: 2px; }
  .note { font-size: .9rem; color: #516f90; }
`;

function scopeList(id: string, scopes: string[]): string {
  const items = scopes.map((s) => `<li><code>${escapeHtml(s)}</code> — ${escapeHtml(describeScope(s))}</li>`).join('');
  return `<ul aria-labelledby="${id}">${items}</ul>`;
}

export function renderAuthorizePage(input: AuthorizePageInput): string {
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  const optional =
    input.optionalScopes.length === 0
      ? ''
      : `<h2 id="optional-scopes">Optional permissions</h2>${scopeList('optional-scopes', input.optionalScopes)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Connect ${escapeHtml(input.appName)} to HubSpot sandbox portal ${input.portalId}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Connect ${escapeHtml(input.appName)} to your HubSpot account</h1>
<p><strong>${escapeHtml(input.appName)}</strong> (app ${input.appId}) wants access to portal
<strong>${input.portalId}</strong> (${escapeHtml(input.hubDomain)}), installed by ${escapeHtml(input.userEmail)}.</p>
<h2 id="required-scopes">Requested permissions</h2>
${scopeList('required-scopes', input.scopes)}
${optional}
<p class="note">After you choose, you go back to <code>${escapeHtml(input.redirectUri)}</code>.</p>
<form method="post" action="authorize">
${hidden('client_id', input.clientId)}
${hidden('redirect_uri', input.redirectUri)}
${hidden('scope', input.scopes.join(' '))}
${hidden('optional_scope', input.optionalScopes.join(' '))}
${input.state === undefined ? '' : hidden('state', input.state)}
<div class="actions">
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</div>
</form>
</main>
</body>
</html>`;
}

export function renderAuthorizeError(message: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Authorization error</title><style>${STYLE}</style></head>
<body><main><h1>This app cannot be connected</h1><p role="alert">${escapeHtml(message)}</p></main></body>
</html>`;
}
