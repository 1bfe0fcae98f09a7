import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
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

/** The little of the Engine API an audit needs: GET a path, get JSON. */
export interface EngineClient {
  get(path: string): Promise<unknown>;
  close(): void;
}

/**
 * Unix sockets and TCP (with TLS) are spoken with node:http directly: the
 * audit's whole conversation is a few hundred GETs, and loading dockerode
 * (gRPC, ssh2) costs more start-up time than the audit itself. ssh:// goes
 * through dockerode's docker-modem, loaded only then.
 */
export async function openClient(endpoint: Endpoint, options: { timeoutMs: number; concurrency: number }): Promise<EngineClient> {
  if (endpoint.options.protocol === 'ssh') return dockerodeClient(endpoint, options.timeoutMs);
  return httpClient(endpoint, options);
}

function httpClient(endpoint: Endpoint, options: { timeoutMs: number; concurrency: number }): EngineClient {
  const o = endpoint.options;
  const tls = o.protocol === 'https';
  const agent = tls
    ? new HttpsAgent({ keepAlive: true, maxSockets: options.concurrency, ca: o.ca as string | undefined, cert: o.cert as string | undefined, key: o.key as string | undefined })
    : new HttpAgent({ keepAlive: true, maxSockets: options.concurrency });
  const target = o.socketPath ? { socketPath: o.socketPath } : { host: o.host, port: Number(o.port) };
  return {
    get: (path) =>
      new Promise((resolve, reject) => {
        const req = (tls ? httpsRequest : httpRequest)({ ...target, path, method: 'GET', agent, timeout: options.timeoutMs, headers: { Host: 'docker' } }, (res) =>
          readJson(res).then(resolve, reject),
        );
        req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${options.timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
        req.on('error', reject);
        req.end();
      }),
    close: () => agent.destroy(),
  };
}

/** Bodies are capped: an engine (or something pretending to be one) cannot make the audit swallow gigabytes. */
const MAX_BODY = 64 * 1024 * 1024;

function readJson(res: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) res.destroy(new Error(`answer larger than ${MAX_BODY} bytes`));
      else chunks.push(c);
    });
    res.on('error', reject);
    res.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = res.statusCode ?? 0;
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        reject(new EngineHttpError(status, `HTTP ${status}: the answer is not JSON (is this a Docker engine?)`));
        return;
      }
      if (status >= 200 && status < 300) resolve(body);
      else {
        const message = (body as { message?: unknown } | undefined)?.message;
        reject(new EngineHttpError(status, `HTTP ${status}${typeof message === 'string' ? `: ${message}` : ''}`));
      }
    });
  });
}

async function dockerodeClient(endpoint: Endpoint, timeoutMs: number): Promise<EngineClient> {
  const { default: Docker } = await import('dockerode');
  const docker = new Docker({ ...endpoint.options, timeout: timeoutMs });
  return {
    get: (path) =>
      new Promise((resolve, reject) => {
        docker.modem.dial({ path, method: 'GET', statusCodes: { 200: true } }, (err: unknown, data: unknown) => {
          if (!err) return resolve(data);
          const e = err as { statusCode?: number; json?: { message?: string }; message?: string };
          if (typeof e.statusCode === 'number') reject(new EngineHttpError(e.statusCode, `HTTP ${e.statusCode}${e.json?.message ? `: ${e.json.message}` : ''}`));
          else reject(err);
        });
      }),
    close: () => undefined,
  };
}
