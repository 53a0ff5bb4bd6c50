// A fake of the three GitHub REST calls the action's comment step makes (list an issue's comments
// page by page, create one, update one), on 127.0.0.1, stopped when the test file ends. It keeps
// the comments in memory and records every request, so a test can tell an update in place (PATCH)
// from a second comment (POST) and check the token was sent.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  html_url: string;
}

export interface FakeRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface FakeGitHub {
  url: string;
  comments: FakeComment[];
  requests: FakeRequest[];
  /** Comments on the issue, oldest first. */
  on(issue: number): FakeComment[];
  /** Answer every later POST and PATCH with this status (e.g. 403 for a read-only token). */
  refuseWrites(status: number | undefined): void;
  /** A comment someone else wrote, put straight into the store (not recorded as a request). */
  seed(issue: number, body: string): FakeComment;
}

export async function fakeGitHub(repository: string, token: string): Promise<FakeGitHub> {
  const comments: FakeComment[] = [];
  const requests: FakeRequest[] = [];
  let nextId = 1000;
  let refuse: number | undefined;
  const base = `/repos/${repository}/issues`;

  const add = (issue: number, body: string): FakeComment => {
    const id = nextId++;
    const c = { id, issue, body, html_url: `https://github.test/${repository}/pull/${issue}#issuecomment-${id}` };
    comments.push(c);
    return c;
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body: unknown = raw === '' ? undefined : JSON.parse(raw);
    requests.push({ method: req.method ?? '', path: `${url.pathname}${url.search}`, authorization: req.headers.authorization, body });
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { message: 'Bad credentials' });
    const list = new RegExp(`^${base}/(\\d+)/comments$`).exec(url.pathname);
    const one = new RegExp(`^${base}/comments/(\\d+)$`).exec(url.pathname);
    if (list && req.method === 'GET') {
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const all = comments.filter((c) => c.issue === Number(list[1]));
      return send(res, 200, all.slice((page - 1) * perPage, page * perPage));
    }
    if ((list && req.method === 'POST') || (one && req.method === 'PATCH')) {
      if (refuse !== undefined) return send(res, refuse, { message: 'Resource not accessible by integration' });
      const text = (body as { body?: unknown } | undefined)?.body;
      if (typeof text !== 'string') return send(res, 422, { message: 'body is missing' });
      if (list) return send(res, 201, add(Number(list[1]), text));
      const c = comments.find((x) => x.id === Number(one?.[1]));
      if (!c) return send(res, 404, { message: 'Not Found' });
      c.body = text;
      return send(res, 200, c);
    }
    return send(res, 404, { message: 'Not Found' });
  };

  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => {
      raw += d;
    });
    req.on('end', () => handle(req, res, raw));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    comments,
    requests,
    on: (issue) => comments.filter((c) => c.issue === issue),
    refuseWrites: (status) => {
      refuse = status;
    },
    seed: add,
  };
}
