// The sticky comment through GitHub's REST API: find the comment that starts with the marker
// (every page of the pull request's comments), update it in place, or create it. fetch only, so the
// action installs nothing for it and the test can point GITHUB_API_URL at a fake on 127.0.0.1.

const API_VERSION = '2022-11-28';

/** @param {{ apiUrl: string, token: string }} c */
function client(c) {
  const base = c.apiUrl.replace(/\/+$/, '');
  return async (method, path, body) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${c.token}`,
        'x-github-api-version': API_VERSION,
        'user-agent': 'transfer-reconciler-action',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) {
      // GitHub's message says what is wrong (a token without pull-requests: write gets 403).
      let message = text.slice(0, 300);
      try {
        message = JSON.parse(text).message ?? message;
      } catch {
        // not JSON: keep the start of the text
      }
      throw new Error(`GitHub API ${method} ${path}: ${res.status} ${message}`);
    }
    return text === '' ? undefined : JSON.parse(text);
  };
}

/**
 * Only a comment that starts with the marker counts, so a person quoting the marker in a reply is
 * never taken for the plan comment; the oldest such comment stays the one that is updated.
 * @returns {Promise<{ id: number, html_url: string, action: 'created' | 'updated' }>}
 */
export async function upsertComment({ apiUrl, token, repository, issue, marker, body }) {
  const call = client({ apiUrl, token });
  const base = `/repos/${repository}/issues`;
  for (let page = 1; ; page += 1) {
    const comments = await call('GET', `${base}/${issue}/comments?per_page=100&page=${page}`);
    if (!Array.isArray(comments)) throw new Error(`GitHub API listed comments as ${typeof comments}, not a list`);
    const mine = comments.find((c) => typeof c.body === 'string' && c.body.startsWith(marker));
    if (mine) {
      const updated = await call('PATCH', `${base}/comments/${mine.id}`, { body });
      return { id: updated.id, html_url: updated.html_url, action: 'updated' };
    }
    if (comments.length < 100) break;
  }
  const created = await call('POST', `${base}/${issue}/comments`, { body });
  return { id: created.id, html_url: created.html_url, action: 'created' };
}
