/** Small server-rendered pages (sign-in, install results): escaped text, no scripts, the dashboard's stylesheet. */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · revloop</title>
<link rel="stylesheet" href="/assets/style.css">
</head>
<body class="plain">
<main id="main" class="card narrow">
${body}
</main>
</body>
</html>`;
}

export function messagePage(title: string, message: string, link: { href: string; text: string } = { href: '/', text: 'Back to the dashboard' }, alert = true): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>
<p${alert ? ' role="alert"' : ''}>${escapeHtml(message)}</p>
<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>`);
}

export function loginPage(csrfToken: string, error?: string): string {
  return page('Sign in', `<h1>Sign in to revloop</h1>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="_csrf" value="${escapeHtml(csrfToken)}">
<label for="token">Admin or read-only token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required minlength="8" aria-describedby="token-help">
<p id="token-help" class="help">REVLOOP_ADMIN_TOKEN, REVLOOP_READONLY_TOKEN or an API token. It is checked once; the browser keeps a session cookie, never the token.</p>
<button type="submit">Sign in</button>
</form>`);
}
