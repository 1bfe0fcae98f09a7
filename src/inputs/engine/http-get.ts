import type { Socket } from 'node:net';
import { quoted } from '../../reporters/sanitize.js';

/**
 * GETs over a few keep-alive HTTP/1.1 connections, each answer read whole:
 * all an audit asks of the Engine API but an export's stream.
 *
 * node:http spent ~570 µs of CPU per request here on its first few hundred
 * (request objects, agent bookkeeping, a stream per answer, a timer each),
 * this ~150: an audit of 200 containers makes 200 requests, a fleet audit of
 * 8 engines 400, and the auditor's own CPU is what a fleet audit waits for.
 *
 * A connection may also carry several requests at once, written together and
 * answered in order (HTTP/1.1 pipelining), once its first answer showed it
 * kept alive: 400 inspects from 8 local engines took ~130 ms of wall time and
 * ~65 ms of CPU that way, against ~290 and ~200 with a request per
 * connection at a time (each write woke an engine, which took the core).
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
  /** Connections at most: requests beyond wait for room on one. */
  readonly connections: number;
  /** Requests in flight on one connection that has answered before; 1 sends the next only after the last answer. */
  readonly pipeline: number;
  /** Silence allowed while an answer is awaited. */
  readonly timeoutMs: number;
  /** Larger answers are an error: an engine (or something pretending to be one) cannot make the audit swallow gigabytes. */
  readonly maxBody: number;
}

interface Pending {
  readonly path: string;
  readonly resolve: (a: Answer) => void;
  readonly reject: (e: Error) => void;
  /** Sent again once on a new connection when a kept-alive one was closed before answering it. */
  retried: boolean;
}

/** `connect` opens a new connection (a unix socket, TCP or TLS) to the engine. */
export function getPool(connect: () => Socket, options: GetPoolOptions): GetPool {
  const queue: Pending[] = [];
  const all = new Set<Connection>();
  let closed = false;

  // An idle connection first, then a new one, then the least loaded with room: requests spread over the connections.
  const pick = (): Connection | undefined => {
    let best: Connection | undefined;
    for (const c of all) if (c.room() > 0 && (!best || c.load < best.load)) best = c;
    if (best?.load === 0) return best;
    if (all.size < options.connections) return newConnection();
    return best;
  };
  const dispatch = () => {
    while (queue.length > 0 && !closed) {
      const connection = pick();
      if (!connection) return;
      connection.send(queue.shift()!);
    }
  };
  const newConnection = () => {
    const connection: Connection = new Connection(connect(), options, {
      free: dispatch,
      gone: (c, again) => {
        all.delete(c);
        if (closed) for (const p of again) p.reject(new Error('connection pool closed'));
        else queue.unshift(...again);
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
        if (/[\r\n]/.test(path)) return reject(new Error(`bad request path: ${quoted(path)}`));
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

/** One connection: its requests in the order sent, their answers parsed as they arrive. */
class Connection {
  /** Sent and not answered yet, oldest first: answers come in this order. */
  private readonly pending: Pending[] = [];
  private answers = 0;
  private response = new Response();
  private ended = false;
  /** Requests sent in this tick go out in one write. */
  private corked = false;

  constructor(
    private readonly socket: Socket,
    private readonly options: GetPoolOptions,
    private readonly pool: { free(): void; gone(c: Connection, again: Pending[]): void },
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('timeout', () => socket.destroy(Object.assign(new Error(`no answer within ${options.timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
    socket.on('error', (e) => this.end(e));
    socket.on('end', () => this.end());
    socket.on('close', () => this.end());
  }

  get load(): number {
    return this.pending.length;
  }

  /** How many more requests it takes now: one at a time until an answer showed it keeps alive (an engine that cannot take requests ahead is never sent them). */
  room(): number {
    if (this.ended || this.socket.destroyed) return 0;
    return (this.answers > 0 ? this.options.pipeline : 1) - this.pending.length;
  }

  send(p: Pending): void {
    this.pending.push(p);
    if (this.pending.length === 1) this.socket.setTimeout(this.options.timeoutMs);
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(`GET ${p.path} HTTP/1.1\r\nHost: ${this.options.host}\r\n\r\n`);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    let bytes: Buffer | undefined = chunk;
    let answered = false;
    while (bytes !== undefined) {
      const p = this.pending[0];
      if (!p) {
        this.socket.destroy(); // an answer nobody asked for: this connection is out of step
        return;
      }
      let done: Answer | undefined;
      try {
        done = this.response.add(bytes, this.options.maxBody);
      } catch (e) {
        this.socket.destroy(e as Error);
        return;
      }
      if (!done) break;
      // The bytes after this answer: the start of the next one.
      bytes = this.response.next;
      this.pending.shift();
      this.answers++;
      const keep = this.response.keepAlive;
      this.response = new Response();
      p.resolve(done);
      answered = true;
      if (!keep) {
        this.socket.destroy(); // the requests behind it go again on another connection (end())
        return;
      }
    }
    if (this.pending.length === 0) this.socket.setTimeout(0);
    // Room for the queue, also when the chunk ended inside the next answer.
    if (answered) this.pool.free();
  }

  /**
   * The connection closed or failed: its requests fail, or go again when a
   * connection that had answered before was closed before answering them
   * (the engine ending an idle kept-alive connection just as a request went
   * out, or the requests behind a `Connection: close` answer).
   */
  private end(error?: Error): void {
    if (this.socket.destroyed === false) this.socket.destroy();
    if (this.ended) return;
    this.ended = true;
    const again: Pending[] = [];
    for (const [i, p] of this.pending.splice(0).entries()) {
      // A body that ends with the connection (no length, not chunked) ends here.
      const whole = i === 0 && !error ? this.response.atClose() : undefined;
      if (whole) p.resolve(whole);
      else if (this.answers > 0 && !(i === 0 && this.response.started) && !p.retried && isClosedUnder(error)) {
        p.retried = true;
        again.push(p);
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
  /** Once the answer is whole: the bytes that came after it (the next answer's), if any. */
  next: Buffer | undefined;
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
    this.buffered.push(chunk);
    if (framing.kind === 'length') {
      // The length was checked against the cap; bytes past it are the next answer's.
      if (this.size < framing.length) return undefined;
      const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
      if (all.length > framing.length) this.next = all.subarray(framing.length);
      return { status: this.status, body: all.subarray(0, framing.length) };
    }
    if (this.size > maxBody) throw new Error(`answer larger than ${maxBody} bytes`);
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
        if (data.length > lineEnd + 4) this.next = data.subarray(lineEnd + 4);
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
