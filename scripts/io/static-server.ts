/**
 * A tiny static file server for previewing a built site under its base path (the way GitHub
 * Pages serves a project site). Loopback by default; refuses paths outside the folder.
 *
 * Why not `astro preview`: it serves the `outDir` of an Astro project's config, while `site preview
 * --out` serves any folder a `site build` wrote (a CI artifact, a copy), with no Astro project at
 * hand; it also starts Vite (about a second) to serve static files. Port fallback is the same
 * (the next free one, as Astro and Vite do).
 */
import { createServer, type Server } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

/** A running server. */
export interface StaticServer {
  /** The site's URL, base path included, e.g. `http://127.0.0.1:4321/repo/`. */
  url: string;
  port: number;
  /** The port asked for; differs from `port` when it was taken and the next free one was used. */
  requestedPort: number;
  close: () => Promise<void>;
}

/** How many ports after the requested one are tried when it is taken (as Astro and Vite do). */
export const PORT_TRIES = 20;

/** No port could be listened on: every one tried was taken, or listening was refused. */
export class PortUnavailableError extends Error {
  /** Creates the error for the ports tried and the last system error code. */
  constructor(
    readonly first: number,
    readonly last: number,
    readonly code: string,
  ) {
    super(code === 'EADDRINUSE' ? `Ports ${first}${last > first ? `–${last}` : ''} are all in use.` : `Cannot listen on port ${first} (${code}).`);
    this.name = 'PortUnavailableError';
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Starts serving `dir` at `base` (normalised `/x/`); port 0 picks a free port. When the port is
 * taken, the next ones are tried (up to `tries`, default {@link PORT_TRIES}) and the server says
 * which it got; when none is free it rejects with {@link PortUnavailableError}.
 */
export async function startStaticServer(opts: { dir: string; base: string; port: number; host: string; tries?: number }): Promise<StaticServer> {
  const tries = opts.port === 0 ? 1 : Math.max(1, Math.min(opts.tries ?? PORT_TRIES, 65536 - opts.port));
  let code = 'EADDRINUSE';
  for (let i = 0; i < tries; i += 1) {
    try {
      return { ...(await listenOnce({ ...opts, port: opts.port + i })), requestedPort: opts.port };
    } catch (error) {
      code = (error as NodeJS.ErrnoException).code ?? 'unknown';
      if (code !== 'EADDRINUSE') throw new PortUnavailableError(opts.port + i, opts.port + i, code);
    }
  }
  throw new PortUnavailableError(opts.port, opts.port + tries - 1, code);
}

function listenOnce(opts: { dir: string; base: string; port: number; host: string }): Promise<Omit<StaticServer, 'requestedPort'>> {
  const root = normalize(opts.dir);
  const server: Server = createServer((req, res) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400).end('Bad request');
      return;
    }
    if (!path.startsWith(opts.base)) {
      if (path === opts.base.slice(0, -1)) {
        res.writeHead(301, { location: opts.base }).end();
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not under the site base path');
      return;
    }
    let file = normalize(join(root, path.slice(opts.base.length)));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end('Forbidden');
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) {
      if (!path.endsWith('/')) {
        res.writeHead(301, { location: `${path}/` }).end();
        return;
      }
      file = join(file, 'index.html');
    }
    if (!existsSync(file) || !statSync(file).isFile()) {
      const notFound = join(root, '404.html');
      res.writeHead(404, { 'content-type': TYPES['.html']! });
      if (existsSync(notFound)) createReadStream(notFound).pipe(res);
      else res.end('Not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : opts.port;
      resolve({
        url: `http://${opts.host}:${port}${opts.base}`,
        port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
