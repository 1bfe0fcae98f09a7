import type { ClientRequest, IncomingMessage } from 'node:http';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { getPool, type Answer } from './http-get.js';
import type { Endpoint } from './endpoint.js';

/** An Engine API answer other than 2xx. */
export class EngineHttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** A streamed answer: its body as it arrives, and a way to stop it early (closing the connection). */
export interface EngineStream {
  readonly body: AsyncIterable<Buffer>;
  cancel(): void;
}

/**
 * How long a stream may stay silent: 'timeout' (an export: silence means a
 * stuck engine) or 'forever' (the event stream: silence means nothing
 * happened); connecting is bounded by the timeout either way.
 */
export type StreamSilence = 'timeout' | 'forever';

/** The little of the Engine API an audit needs: GET a path, get JSON; or GET a large body (an image export) as a stream. */
export interface EngineClient {
  get(path: string): Promise<unknown>;
  stream(path: string, silence?: StreamSilence): Promise<EngineStream>;
  close(): void;
}

/**
 * Unix sockets and TCP (with TLS) are spoken directly: GETs over our own
 * keep-alive connections (http-get.ts), a stream (an export, the event
 * stream) through node:http. The audit's whole conversation is a few
 * hundred GETs, and loading dockerode (gRPC, ssh2) costs more start-up time
 * than the audit itself. ssh:// goes through dockerode's docker-modem,
 * loaded only then.
 */
export async function openClient(endpoint: Endpoint, options: { timeoutMs: number; concurrency: number }): Promise<EngineClient> {
  if (endpoint.options.protocol === 'ssh') return dockerodeClient(endpoint, options.timeoutMs);
  // TLS (node:tls, crypto: ~10 ms of start-up here) is loaded only for a TLS engine.
  return httpClient(endpoint, options, endpoint.options.protocol === 'https' ? await import('node:tls') : undefined);
}

function httpClient(endpoint: Endpoint, options: { timeoutMs: number; concurrency: number }, tls: typeof import('node:tls') | undefined): EngineClient {
  const o = endpoint.options;
  const credentials = { ca: o.ca as string | undefined, cert: o.cert as string | undefined, key: o.key as string | undefined };
  const host = String(o.host ?? '');
  const port = Number(o.port);
  const connect = (): Socket =>
    o.socketPath
      ? netConnect(o.socketPath)
      : tls
        ? tls.connect({ host, port, ...credentials, ...(isIP(host) ? {} : { servername: host }) })
        : netConnect({ host, port });
  // A proxy in front of a remote engine may route by it; the engine itself does not read it.
  const hostHeader = o.socketPath ? 'docker' : `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const pool = getPool(connect, { host: hostHeader, ...spread(o.socketPath !== undefined, options.concurrency), timeoutMs: options.timeoutMs, maxBody: MAX_BODY });
  /** Streams still open, ended by close() so an abandoned export does not keep the process alive. */
  const streams = new Set<ClientRequest>();
  return {
    get: async (path) => jsonOf(await pool.get(path)),
    stream: async (path, silence = 'timeout') => {
      const { request } = tls ? await import('node:https') : await import('node:http');
      return new Promise((resolve, reject) => {
        // A connection of its own: an export may run for long, and must not hold one of the pool's.
        const target = o.socketPath ? { socketPath: o.socketPath } : { host, port, ...(tls ? credentials : {}) };
        const req = request({ ...target, path, method: 'GET', agent: false, timeout: options.timeoutMs, headers: { Host: hostHeader } }, (res) => {
          if ((res.statusCode ?? 0) >= 300) readAll(res).then((body) => reject(errorOf({ status: res.statusCode ?? 0, body })), reject);
          else {
            if (silence === 'forever') req.setTimeout(0);
            resolve({ body: res, cancel: () => req.destroy() });
          }
        });
        streams.add(req);
        req.on('close', () => streams.delete(req));
        // The timeout is of silence: a body still arriving keeps the request alive.
        req.on('timeout', () => req.destroy(Object.assign(new Error(`no data for ${options.timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
        req.on('error', reject);
        req.end();
      });
    },
    close: () => {
      for (const req of streams) req.destroy();
      pool.close();
    },
  };
}

/**
 * How `concurrency` requests in flight go out. To the engine's own socket:
 * pipelined on two connections (dockerd, like any Go HTTP server, answers a
 * connection's requests in order). Over TCP a proxy may stand between us and
 * the engine, and not every proxy keeps pipelined requests apart: there, a
 * connection per request in flight, as the docker CLI does.
 */
function spread(local: boolean, concurrency: number): { connections: number; pipeline: number } {
  if (!local) return { connections: concurrency, pipeline: 1 };
  const connections = Math.min(2, concurrency);
  return { connections, pipeline: Math.ceil(concurrency / connections) };
}

/** Bodies are capped: an engine (or something pretending to be one) cannot make the audit swallow gigabytes. */
const MAX_BODY = 64 * 1024 * 1024;

/** A 2xx answer's JSON; any other status is an EngineHttpError with the engine's message. */
function jsonOf(answer: Answer): unknown {
  if (answer.status < 200 || answer.status >= 300) throw errorOf(answer);
  const text = answer.body.toString('utf8');
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new EngineHttpError(answer.status, `HTTP ${answer.status}: the answer is not JSON (is this a Docker engine?)`);
  }
}

/** The engine's JSON `message`; else the first line of a short text answer ("Client sent an HTTP request to an HTTPS server."). */
function errorOf(answer: Answer): EngineHttpError {
  const text = answer.body.toString('utf8');
  let message: unknown;
  try {
    message = (JSON.parse(text) as { message?: unknown } | undefined)?.message;
  } catch {
    const line = text.trim().split('\n')[0]!;
    if (line !== '' && line.length <= 200) message = line;
  }
  return new EngineHttpError(answer.status, `HTTP ${answer.status}${typeof message === 'string' ? `: ${message}` : ''}`);
}

/** An error answer's body, capped. */
function readAll(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) res.destroy(new Error(`answer larger than ${MAX_BODY} bytes`));
      else chunks.push(c);
    });
    res.on('error', reject);
    res.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

async function dockerodeClient(endpoint: Endpoint, timeoutMs: number): Promise<EngineClient> {
  const { default: Docker } = await import('dockerode');
  const docker = new Docker({ ...endpoint.options, timeout: timeoutMs });
  return {
    get: (path) =>
      new Promise((resolve, reject) => {
        docker.modem.dial({ ...modemPath(path), method: 'GET', statusCodes: { 200: true } }, (err: unknown, data: unknown) => {
          if (!err) return resolve(data);
          const e = err as { statusCode?: number; json?: { message?: string }; message?: string };
          if (typeof e.statusCode === 'number') reject(new EngineHttpError(e.statusCode, `HTTP ${e.statusCode}${e.json?.message ? `: ${e.json.message}` : ''}`));
          else reject(err);
        });
      }),
    // Over ssh the modem's timeout stays on a silent stream too: a watch then reconnects, resuming where it was.
    stream: (path) =>
      new Promise((resolve, reject) => {
        docker.modem.dial({ ...modemPath(path), method: 'GET', isStream: true, statusCodes: { 200: true } }, (err: unknown, data: unknown) => {
          if (err) {
            const e = err as { statusCode?: number; json?: { message?: string } };
            reject(typeof e.statusCode === 'number' ? new EngineHttpError(e.statusCode, `HTTP ${e.statusCode}${e.json?.message ? `: ${e.json.message}` : ''}`) : err);
            return;
          }
          const stream = data as NodeJS.ReadableStream & { destroy(): void };
          resolve({ body: stream as AsyncIterable<Buffer>, cancel: () => stream.destroy() });
        });
      }),
    close: () => undefined,
  };
}

/**
 * docker-modem writes the query itself, from `options`, after a path that
 * ends in `?` (and cuts the last character of any other path holding one):
 * `/images/get?names=a&names=b` is given as `/images/get?` and
 * `{ names: ['a', 'b'] }`.
 */
export function modemPath(path: string): { path: string; options?: { _query: Record<string, string[]> } } {
  const at = path.indexOf('?');
  if (at < 0) return { path };
  const query: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const [key, value] of new URLSearchParams(path.slice(at + 1))) (query[key] ??= []).push(value);
  return { path: path.slice(0, at + 1), options: { _query: query } };
}
