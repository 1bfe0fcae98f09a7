import { createServer, type Server } from 'node:http';
import { isIP } from 'node:net';
import { InputError } from '../core/errors.js';

/** Where --metrics serves: a host (IPv4, [IPv6] or localhost) and a port (0: any free one). */
export interface MetricsAddress {
  readonly host: string;
  readonly port: number;
}

/** Parses HOST:PORT or [IPv6]:PORT; a bare :PORT means 127.0.0.1. */
export function parseMetricsAddress(text: string): MetricsAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new InputError(`--metrics ${text}: expected HOST:PORT, e.g. 127.0.0.1:9323 or [::1]:9323`);
  const host = m[1] ?? (m[2] || '127.0.0.1');
  if (m[1] !== undefined && isIP(m[1]) !== 6) throw new InputError(`--metrics ${text}: ${m[1]} is not an IPv6 address`);
  if (m[1] === undefined && host !== 'localhost' && isIP(host) !== 4) throw new InputError(`--metrics ${text}: the host must be an IP address or localhost`);
  return { host, port };
}

/** 127.0.0.0/8, ::1 (and ::ffff:127.x), localhost. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  const v4 = host.replace(/^::ffff:/i, '');
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return isIP(host) === 6 && /^(0{0,4}:){2,7}0{0,3}1$|^::1$/.test(host);
}

/**
 * Serves GET /metrics. Metrics name every container and its weaknesses:
 * loopback only, unless the user allows remote scrapers.
 */
export async function serveMetrics(address: MetricsAddress, allowRemote: boolean, render: () => string): Promise<{ server: Server; url: string }> {
  if (!allowRemote && !isLoopback(address.host)) {
    throw new InputError(`--metrics ${address.host}:${address.port} is not a loopback address: the metrics name every container and its findings; pass --metrics-allow-remote to serve them to the network`);
  }
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    } else if (path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('bulkhead serves /metrics\n');
    } else {
      const body = render();
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new InputError(`--metrics ${address.host}:${address.port}: cannot listen (${e.code ?? e.message})`)));
    server.listen(address.port, address.host, () => resolve());
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : address.port;
  const host = isIP(address.host) === 6 ? `[${address.host}]` : address.host;
  return { server, url: `http://${host}:${port}/metrics` };
}
