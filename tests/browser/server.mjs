// Shared helpers of the browser checks: a tiny static server for the built
// site and the Chromium launch options.
//
// serve(root, { prefix }): /x/ → /x/index.html, /x (a folder) → redirect
// to /x/, anything missing → 404.html with status 404. With a prefix (the
// base path of a site built with --base-url https://host/katalog), the
// folder is served under /katalog/. It counts the bytes it sends
// (server.bytesSent, server.requests), which includes requests made by
// workers that the page's network events do not see.

import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const types = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json; charset=utf-8', '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.png': 'image/png', '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.gif': 'image/gif', '.svg': 'image/svg+xml', '.ico': 'image/x-icon',
  '.woff2': 'font/woff2', '.wasm': 'application/wasm', '.pf_meta': 'application/octet-stream',
};

export function serve(root, { prefix = '' } = {}) {
  root = path.resolve(root);
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://127.0.0.1');
      let rel = decodeURIComponent(url.pathname);
      if (prefix) {
        // A site built with a base path (/katalog) is served under it.
        if (rel !== prefix && !rel.startsWith(prefix + '/')) rel = '/.outside-the-base-path';
        else rel = rel.slice(prefix.length) || '/';
      }
      const file = path.join(root, rel);
      if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
      let target = file;
      let stat = await fsp.stat(target).catch(() => null);
      if (stat?.isDirectory()) {
        if (!rel.endsWith('/')) { res.writeHead(301, { Location: prefix + rel + '/' + url.search }).end(); return; }
        target = path.join(target, 'index.html');
        stat = await fsp.stat(target).catch(() => null);
      }
      if (!stat?.isFile()) {
        const nf = path.join(root, '404.html');
        const body = fs.existsSync(nf) ? await fsp.readFile(nf) : Buffer.from('not found');
        count(req, body.length, 404);
        res.writeHead(404, { 'Content-Type': types['.html'] });
        res.end(body);
        return;
      }
      count(req, stat.size, 200);
      res.writeHead(200, {
        'Content-Type': types[path.extname(target).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': stat.size,
      });
      fs.createReadStream(target).pipe(res);
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  server.bytesSent = 0;
  server.requests = [];
  function count(req, size, status) {
    server.bytesSent += size;
    server.requests.push({ url: req.url, size, status });
  }
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// Chromium (the Debian package unless CHROMIUM says otherwise), headless,
// with a fresh profile and no background networking. Returns
// { context, close }.
export async function launch({ width = 1280, height = 800 } = {}) {
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  const userDataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'gotong-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    viewport: { width, height },
  });
  return {
    context,
    close: async () => {
      await context.close();
      await fsp.rm(userDataDir, { recursive: true, force: true });
    },
  };
}
