import type { Socket } from 'node:net';

/**
 * GETs over a few keep-alive HTTP/1.1 connections, each answer read whole:
 * all an audit asks of the Engine API but an export's stream.
 *
 * node:http spent ~570 µs of CPU per request here on its first few hundred
 * (request objects, agent bookkeeping, a stream per answer, a timer each),
 * this ~150: an audit of 200 containers makes 200 requests, a fleet audit of
 * 8 engines 400, and the auditor's own CPU is what a fleet audit waits for.
 */
export interface GetPool {
  get(path: string): Promise<Answer>;
  close(): void;
}

export interface Answer {
  readonly status: number;
  readonly body: Buffer;
}

export interface GetPoolOptions {
  /** The Host header: `docker` on a local socket, the engine's host:port over TCP (as the docker CLI sends them). */
  readonly host: string;
  /** Connections at most: requests beyond wait for one to be free. */
  readonly connections: number;
  /** Silence allowed while an answer is awaited. */
  readonly timeoutMs: number;
  /** Larger answers are an error: an engine (or something pretending to be one) cannot make the audit swallow gigabytes. */
  readonly maxBody: number;
}

interface Pending {
  readonly path: string;
  readonly resolve: (a: Answer) => void;
  readonly reject: (e: Error) => void;
  /** Sent again once on a new connection when a kept-alive one was closed under it. */
  retried: boolean;
}

/** `connect` opens a new connection (a unix socket, TCP or TLS) to the engine. */
export function getPool(connect: () => Socket, options: GetPoolOptions): GetPool {
  const queue: Pending[] = [];
  const idle: Connection[] = [];
  const all = new Set<Connection>();
  let closed = false;

  const dispatch = () => {
    while (queue.length > 0 && !closed) {
      const connection = idle.pop() ?? (all.size < options.connections ? newConnection() : undefined);
      if (!connection) return;
      connection.send(queue.shift()!);
    }
  };
  const newConnection = () => {
    const connection: Connection = new Connection(connect(), options, {
      free: (c) => {
        idle.push(c);
        dispatch();
      },
      gone: (c, again) => {
        all.delete(c);
        const at = idle.indexOf(c);
        if (at >= 0) idle.splice(at, 1);
        if (again && closed) again.reject(new Error('connection pool closed'));
        else if (again) queue.unshift(again);
        dispatch();
      },
    });
    all.add(connection);
    return connection;
  };

  return {
    get: (path) =>
      new Promise((resolve, reject) => {
        // The path is written into the request line as it is: it must not end it.
        if (/[\r\n]/.test(path)) return reject(new Error(`bad request path: ${JSON.stringify(path)}`));
        if (closed) return reject(new Error('connection pool closed'));
        queue.push({ path, resolve, reject, retried: false });
        dispatch();
      }),
    close: () => {
      closed = true;
      for (const p of queue.splice(0)) p.reject(new Error('connection pool closed'));
      for (const c of all) c.destroy();
    },
  };
}

/** One connection: one request at a time, its answer parsed as it arrives. */
class Connection {
  private pending: Pending | undefined;
  private answers = 0;
  private response = new Response();
  private ended = false;

  constructor(
    private readonly socket: Socket,
    private readonly options: GetPoolOptions,
    private readonly pool: { free(c: Connection): void; gone(c: Connection, again?: Pending): void },
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('timeout', () => socket.destroy(Object.assign(new Error(`no answer within ${options.timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
    socket.on('error', (e) => this.end(e));
    socket.on('end', () => this.end());
    socket.on('close', () => this.end());
  }

  send(p: Pending): void {
    this.pending = p;
    this.socket.setTimeout(this.options.timeoutMs);
    this.socket.write(`GET ${p.path} HTTP/1.1\r\nHost: ${this.options.host}\r\n\r\n`);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (!this.pending) {
      this.socket.destroy(); // an answer nobody asked for: this connection is out of step
      return;
    }
    let done: Answer | undefined;
    try {
      done = this.response.add(chunk, this.options.maxBody);
    } catch (e) {
      this.socket.destroy(e as Error);
      return;
    }
    if (!done) return;
    const p = this.pending;
    const keep = this.response.keepAlive;
    this.pending = undefined;
    this.answers++;
    this.response = new Response();
    this.socket.setTimeout(0);
    p.resolve(done);
    if (keep) this.pool.free(this);
    else this.socket.destroy();
  }

  /** The connection closed or failed: its request fails, or goes again when a kept-alive connection was closed before any answer to it. */
  private end(error?: Error): void {
    const p = this.pending;
    this.pending = undefined;
    if (this.socket.destroyed === false) this.socket.destroy();
    if (this.ended) return;
    this.ended = true;
    let again: Pending | undefined;
    if (p) {
      // A body that ends with the connection (no length, not chunked) ends here.
      const whole = error ? undefined : this.response.atClose();
      if (whole) p.resolve(whole);
      else if (this.answers > 0 && !this.response.started && !p.retried && isClosedUnder(error)) {
        p.retried = true;
        again = p;
      } else p.reject(error ?? new Error('the engine closed the connection before answering'));
    }
    this.pool.gone(this, again);
  }
}

/** The engine closing an idle kept-alive connection just as a request went out on it. */
function isClosedUnder(error: Error | undefined): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return error === undefined || code === 'ECONNRESET' || code === 'EPIPE';
}

const HEADER_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');
/** A status line and headers longer than this are not an engine's. */
const MAX_HEAD = 64 * 1024;

/**
 * One HTTP/1.1 answer, fed as it arrives: the status line and headers, then
 * a body framed by Content-Length, by chunks, or by the connection's close.
 */
class Response {
  started = false;
  keepAlive = true;
  private buffered: Buffer[] = [];
  private size = 0;
  private status = 0;
  /** Undefined until the head is read. */
  private framing: { kind: 'length'; length: number } | { kind: 'chunked' } | { kind: 'close' } | undefined;
  /** Chunked: the body's pieces, and the bytes not parsed yet. */
  private chunks: Buffer[] = [];
  private rest: Buffer = Buffer.alloc(0);

  add(chunk: Buffer, maxBody: number): Answer | undefined {
    this.started = true;
    if (!this.framing) {
      this.buffered.push(chunk);
      this.size += chunk.length;
      const all = this.buffered.length === 1 ? chunk : Buffer.concat(this.buffered);
      this.buffered = [all];
      const end = all.indexOf(HEADER_END);
      if (end < 0) {
        if (all.length > MAX_HEAD) throw new Error('answer headers too long (is this a Docker engine?)');
        return undefined;
      }
      this.head(all.toString('latin1', 0, end), maxBody);
      this.buffered = [];
      this.size = 0;
      chunk = all.subarray(end + 4);
    }
    const framing = this.framing!;
    if (framing.kind === 'chunked') return this.addChunked(chunk, maxBody);
    this.size += chunk.length;
    if (this.size > maxBody) throw new Error(`answer larger than ${maxBody} bytes`);
    this.buffered.push(chunk);
    if (framing.kind === 'length' && this.size >= framing.length) {
      return { status: this.status, body: Buffer.concat(this.buffered).subarray(0, framing.length) };
    }
    return undefined;
  }

  /** The whole answer, when the connection's close is what ends its body. */
  atClose(): Answer | undefined {
    return this.framing?.kind === 'close' ? { status: this.status, body: Buffer.concat(this.buffered) } : undefined;
  }

  private head(text: string, maxBody: number): void {
    const lines = text.split('\r\n');
    const status = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0] ?? '');
    if (!status) throw new Error('not an HTTP answer (is this a Docker engine?)');
    this.status = Number(status[2]);
    this.keepAlive = status[1] === '1';
    let length: number | undefined;
    let chunked = false;
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim().toLowerCase();
      if (name === 'content-length') length = Number(value);
      else if (name === 'transfer-encoding') chunked = value.split(',').map((v) => v.trim()).at(-1) === 'chunked';
      else if (name === 'connection') this.keepAlive = value === 'keep-alive' || (this.keepAlive && value !== 'close');
    }
    if (chunked) this.framing = { kind: 'chunked' };
    else if (length !== undefined) {
      if (!Number.isSafeInteger(length) || length < 0) throw new Error('bad Content-Length in the answer');
      if (length > maxBody) throw new Error(`answer larger than ${maxBody} bytes`);
      this.framing = { kind: 'length', length };
    } else if (this.status === 204 || this.status === 304) this.framing = { kind: 'length', length: 0 };
    else {
      this.framing = { kind: 'close' };
      this.keepAlive = false;
    }
  }

  private addChunked(chunk: Buffer, maxBody: number): Answer | undefined {
    let data = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    for (;;) {
      const lineEnd = data.indexOf(CRLF);
      if (lineEnd < 0) break;
      const size = parseInt(data.toString('latin1', 0, lineEnd).split(';')[0]!, 16);
      if (!Number.isSafeInteger(size) || size < 0) throw new Error('bad chunk in the answer');
      if (size === 0) {
        // The last chunk; no trailers from an engine, so the final CRLF follows.
        if (data.length < lineEnd + 4) break;
        return { status: this.status, body: Buffer.concat(this.chunks) };
      }
      if (data.length < lineEnd + 2 + size + 2) break;
      this.size += size;
      if (this.size > maxBody) throw new Error(`answer larger than ${maxBody} bytes`);
      this.chunks.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
      data = data.subarray(lineEnd + 2 + size + 2);
    }
    this.rest = data;
    return undefined;
  }
}
