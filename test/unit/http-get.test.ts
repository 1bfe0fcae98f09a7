/**
 * The GET pool against real servers on real sockets: a server that writes
 * exactly the bytes a test gives it (split at every boundary, framed by
 * length, chunks or close), and node's own HTTP and HTTPS servers.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getPool, type GetPool } from '../../src/inputs/engine/http-get.js';
import { EngineHttpError, openClient } from '../../src/inputs/engine/client.js';
import { resolveEndpoint } from '../../src/inputs/engine/endpoint.js';

const OPTIONS = { host: 'docker', connections: 4, pipeline: 1, timeoutMs: 5000, maxBody: 1 << 20 };

async function listening(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/**
 * A server answering each request (each line ending in a blank line) with the
 * next of `answers`, written in pieces of `piece` bytes; an HTTP/1.0 or
 * `Connection: close` answer is followed by closing the connection.
 */
async function scripted(
  t: { after: (fn: () => void) => void },
  answers: (string | ((socket: Socket) => void))[],
  piece = Infinity,
  options: Partial<typeof OPTIONS> = {},
): Promise<{ pool: GetPool; requests: string[]; connections: () => number; reads: number[] }> {
  const requests: string[] = [];
  // How many whole requests each read of the server held: more than one when they were written together.
  const reads: number[] = [];
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    let pending = '';
    socket.on('data', async (d) => {
      pending += d.toString('latin1');
      reads.push(pending.split('\r\n\r\n').length - 1);
      for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
        requests.push(pending.slice(0, end));
        pending = pending.slice(end + 4);
        const answer = answers.shift();
        if (answer === undefined) return void socket.destroy();
        if (typeof answer === 'function') answer(socket);
        else for (let at = 0; at < answer.length; at += piece) {
          socket.write(Buffer.from(answer.slice(at, at + piece), 'latin1'));
          if (piece !== Infinity) await new Promise((r) => setImmediate(r)); // separate reads, as separate packets
        }
        if (typeof answer === 'string' && (answer.startsWith('HTTP/1.0') || answer.includes('Connection: close'))) socket.end();
        if (socket.writableEnded || socket.destroyed) return; // requests behind a close are never read
      }
    });
    socket.on('error', () => undefined);
  });
  const port = await listening(server);
  const pool = getPool(() => connect(port, '127.0.0.1'), { ...OPTIONS, ...options });
  t.after(() => {
    pool.close();
    server.close();
  });
  return { pool, requests, connections: () => connections, reads };
}

/** A server that accepts connections and never answers, and a pool to it that keeps its sockets for the test to look at. */
async function silent(t: { after: (fn: () => void) => void }, options: Partial<typeof OPTIONS>): Promise<{ pool: GetPool; sockets: Socket[] }> {
  const server = createServer(() => undefined);
  const port = await listening(server);
  const sockets: Socket[] = [];
  const pool = getPool(() => {
    const s = connect(port, '127.0.0.1');
    sockets.push(s);
    return s;
  }, { ...OPTIONS, ...options });
  t.after(() => {
    pool.close();
    server.close();
  });
  return { pool, sockets };
}

const text = (a: { status: number; body: Buffer }) => [a.status, a.body.toString('utf8')];

test('Content-Length, chunked and close-delimited bodies, split at every byte', async (t) => {
  const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n3;ext=1\r\n1}\n\r\n0\r\n\r\n';
  const sized = 'HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 22\r\n\r\n{"message":"no such"}\n';
  for (const piece of [1, 2, 7, Infinity]) {
    const { pool } = await scripted(t, [chunked, sized, 'HTTP/1.0 200 OK\r\n\r\n["til close"]'], piece);
    assert.deepEqual(text(await pool.get('/a')), [200, '{"a":1}\n'], `chunked in pieces of ${piece}`);
    assert.deepEqual(text(await pool.get('/b')), [404, '{"message":"no such"}\n'], `sized in pieces of ${piece}`);
    assert.deepEqual(text(await pool.get('/c')), [200, '["til close"]'], `close-delimited in pieces of ${piece}`);
  }
});

test('one connection serves request after request; Connection: close makes it a new one', async (t) => {
  const ok = (body: string, extra = '') => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`;
  const { pool, requests, connections } = await scripted(t, [ok('1'), ok('2', 'Connection: close\r\n'), ok('3')]);
  for (const n of ['1', '2', '3']) assert.deepEqual(text(await pool.get(`/n/${n}`)), [200, n]);
  assert.equal(connections(), 2);
  assert.deepEqual(requests, ['GET /n/1 HTTP/1.1\r\nHost: docker', 'GET /n/2 HTTP/1.1\r\nHost: docker', 'GET /n/3 HTTP/1.1\r\nHost: docker']);
});

test('a kept-alive connection the server closes under a request: the request goes once more, on a new connection', async (t) => {
  const { pool, connections } = await scripted(t, ['HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n1', (s) => s.destroy(), 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n2']);
  assert.deepEqual(text(await pool.get('/1')), [200, '1']);
  assert.deepEqual(text(await pool.get('/2')), [200, '2']);
  assert.equal(connections(), 2);
});

test('pipelined: once a connection has answered, requests go out together and their answers, split anywhere, come back in order', async (t) => {
  const ok = (body: string) => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  const chunked = (body: string) => `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
  for (const piece of [1, 5, 64, Infinity]) {
    const bodies = ['first', 'a', '', 'ccc', 'dd', 'e'.repeat(300), 'f'];
    const { pool, connections, reads, requests } = await scripted(t, bodies.map((b, i) => (i % 2 ? chunked(b) : ok(b))), piece, { connections: 1, pipeline: 8 });
    assert.deepEqual(text(await pool.get('/0')), [200, 'first']);
    const rest = await Promise.all(bodies.slice(1).map((_, i) => pool.get(`/${i + 1}`)));
    assert.deepEqual(rest.map(text), bodies.slice(1).map((b) => [200, b]), `answers in pieces of ${piece}`);
    assert.equal(connections(), 1);
    assert.deepEqual(reads, [1, 6], 'the first request alone, the six after it in one write');
    assert.deepEqual(requests.map((r) => r.split(' ')[1]), ['/0', '/1', '/2', '/3', '/4', '/5', '/6']);
  }
});

test('room an answer makes is used at once, also when the same read ends inside the next answer', async (t) => {
  const ok = (body: string) => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  // Answers /1 whole with the start of /2, and the rest of /2 only once /3 has come: /3 must go out before /2 is whole.
  const server = createServer((socket) => {
    let buffered = '';
    socket.on('data', (d) => {
      buffered += d.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
        const path = buffered.slice(4, buffered.indexOf(' ', 4));
        buffered = buffered.slice(end + 4);
        if (path === '/0') socket.write(ok('0'));
        else if (path === '/2') socket.write(ok('1') + ok('2').slice(0, 10));
        else if (path === '/3') socket.write(ok('2').slice(10) + ok('3'));
      }
    });
  });
  const port = await listening(server);
  const pool = getPool(() => connect(port, '127.0.0.1'), { ...OPTIONS, connections: 1, pipeline: 2, timeoutMs: 2000 });
  t.after(() => {
    pool.close();
    server.close();
  });
  assert.deepEqual(text(await pool.get('/0')), [200, '0']);
  const answers = await Promise.all(['/1', '/2', '/3'].map((p) => pool.get(p)));
  assert.deepEqual(answers.map(text), [[200, '1'], [200, '2'], [200, '3']]);
});

test('pipelined requests behind a Connection: close answer go again on a new connection', async (t) => {
  const ok = (body: string, extra = '') => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`;
  const { pool, connections, requests } = await scripted(t, [ok('1'), ok('2', 'Connection: close\r\n'), ok('3'), ok('4')], Infinity, { connections: 1, pipeline: 4 });
  assert.deepEqual(text(await pool.get('/1')), [200, '1']);
  const answers = await Promise.all(['/2', '/3', '/4'].map((p) => pool.get(p)));
  assert.deepEqual(answers.map(text), [[200, '2'], [200, '3'], [200, '4']]);
  assert.equal(connections(), 2);
  assert.deepEqual(requests.map((r) => r.split(' ')[1]), ['/1', '/2', '/3', '/4']);
});

test('a server that does not keep connections alive is never sent a request ahead of an answer', async (t) => {
  const { pool, connections, reads } = await scripted(t, ['HTTP/1.0 200 OK\r\n\r\na', 'HTTP/1.0 200 OK\r\n\r\nb', 'HTTP/1.0 200 OK\r\n\r\nc'], Infinity, { connections: 1, pipeline: 8 });
  const answers = await Promise.all(['/a', '/b', '/c'].map((p) => pool.get(p)));
  assert.deepEqual(answers.map(text), [[200, 'a'], [200, 'b'], [200, 'c']]);
  assert.equal(connections(), 3);
  assert.deepEqual(reads, [1, 1, 1]);
});

test('failures: no answer at all, silence past the timeout, too large, not HTTP, a bad path', async (t) => {
  const closes = await scripted(t, [(s) => s.destroy()]);
  await assert.rejects(closes.pool.get('/x'), /closed the connection before answering/);

  const slow = (await silent(t, { timeoutMs: 200 })).pool;
  await assert.rejects(slow.get('/x'), (e: NodeJS.ErrnoException) => e.code === 'ETIMEDOUT' && /no answer within 0\.2 s/.test(e.message));

  const big = await scripted(t, [`HTTP/1.1 200 OK\r\nContent-Length: ${2 << 20}\r\n\r\n`, 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' + `100000\r\n${'x'.repeat(1 << 20)}\r\n`.repeat(2)]);
  await assert.rejects(big.pool.get('/x'), /answer larger than 1048576 bytes/);
  await assert.rejects(big.pool.get('/y'), /answer larger than 1048576 bytes/);

  const notHttp = await scripted(t, ['SSH-2.0-OpenSSH\r\n\r\n']);
  await assert.rejects(notHttp.pool.get('/x'), /not an HTTP answer/);
  await assert.rejects(notHttp.pool.get('/x\r\nEvil: 1'), /bad request path/);
});

test('closing the pool ends requests in flight and queued, and leaves no socket open', async (t) => {
  const { pool, sockets } = await silent(t, { connections: 1 });
  const inFlight = assert.rejects(pool.get('/a'));
  const queued = assert.rejects(pool.get('/b'), /connection pool closed/);
  await new Promise((r) => setTimeout(r, 50));
  pool.close();
  await inFlight;
  await queued;
  assert.ok(sockets.every((s) => s.destroyed));
});

test('node\'s own HTTP server: many requests over a few connections, each answer whole', async (t) => {
  const server = createHttpServer((req, res) => {
    const body = JSON.stringify({ path: req.url, pad: 'x'.repeat(Number(req.url!.split('/')[2]) * 997) });
    res.end(body); // no Content-Length: node chunks it
  });
  const port = await listening(server);
  const pool = getPool(() => connect(port, '127.0.0.1'), OPTIONS);
  t.after(() => {
    pool.close();
    server.close();
  });
  const pipelined = getPool(() => connect(port, '127.0.0.1'), { ...OPTIONS, connections: 2, pipeline: 16 });
  t.after(() => pipelined.close());
  for (const p of [pool, pipelined]) {
    // The first request of each connection alone: then the connections are known to keep alive.
    await Promise.all([p.get('/n/0'), p.get('/n/1')]);
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => p.get(`/n/${i}`)));
    answers.forEach((a, i) => assert.deepEqual(JSON.parse(a.body.toString('utf8')), { path: `/n/${i}`, pad: 'x'.repeat(i * 997) }));
  }
});

test('TLS: the same over node\'s HTTPS server, the client checking the server\'s certificate', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-tls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  const cert = readFileSync(join(dir, 'cert.pem'));
  const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => res.end(`{"path":${JSON.stringify(req.url)}}`));
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  const pool = getPool(() => tlsConnect({ host: '127.0.0.1', port, ca: cert, servername: 'localhost' }), OPTIONS);
  const stranger = getPool(() => tlsConnect({ host: '127.0.0.1', port, servername: 'localhost' }), OPTIONS);
  t.after(() => {
    pool.close();
    stranger.close();
    server.close();
  });
  assert.deepEqual(text(await pool.get('/info')), [200, '{"path":"/info"}']);
  await assert.rejects(stranger.get('/info'), (e: NodeJS.ErrnoException) => e.code === 'DEPTH_ZERO_SELF_SIGNED_CERT');
});

test('openClient over TCP: Host is the engine\'s host:port (a proxy may route by it), answers are JSON, errors carry the engine\'s message', async (t) => {
  const hosts: (string | undefined)[] = [];
  const server = createHttpServer((req, res) => {
    hosts.push(req.headers.host);
    if (req.url === '/info') return void res.end('{"Name":"e1"}');
    res.statusCode = 404;
    res.end(req.url === '/text' ? 'page not found\nmore' : '{"message":"No such container: x"}');
  });
  const port = await listening(server);
  const client = await openClient(resolveEndpoint(`tcp://127.0.0.1:${port}`, {}), { timeoutMs: 5000, concurrency: 2 });
  t.after(() => {
    client.close();
    server.close();
  });
  assert.deepEqual(await client.get('/info'), { Name: 'e1' });
  await assert.rejects(client.get('/containers/x/json'), (e: EngineHttpError) => e.statusCode === 404 && e.message === 'HTTP 404: No such container: x');
  await assert.rejects(client.get('/text'), (e: EngineHttpError) => e.message === 'HTTP 404: page not found');
  assert.deepEqual(hosts, Array(3).fill(`127.0.0.1:${port}`));
});

test('openClient on a unix socket: the requests in flight are pipelined on two connections', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-sock-'));
  const path = join(dir, 'docker.sock');
  let connections = 0;
  const server = createHttpServer((req, res) => res.end(JSON.stringify({ path: req.url })));
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const client = await openClient(resolveEndpoint(`unix://${path}`, {}), { timeoutMs: 5000, concurrency: 16 });
  t.after(() => {
    client.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // As an audit asks: the list and /info first, then the containers, all at once.
  assert.deepEqual(await Promise.all([client.get('/containers/json'), client.get('/info')]), [{ path: '/containers/json' }, { path: '/info' }]);
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => client.get(`/containers/${i}/json`)));
  assert.deepEqual(answers, Array.from({ length: 40 }, (_, i) => ({ path: `/containers/${i}/json` })));
  assert.equal(connections, 2);
});
