'use strict';
/*
 * Tests of runtime.js: each test starts the runtime as its own process (as the container does), connects to its
 * socket and speaks the protocol. Built-in modules only:
 *
 *   node --test runtimes/node/tests/
 *
 * The container-manager's NodeRuntimeIT runs them in the runtime image, so they run on the image's Node with every
 * build.
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const RUNTIME = path.join(__dirname, '..', 'runtime.js');

/** One connection to the runtime: frames out, one answer awaited at a time. */
class Channel {
  static async open(socket, log) {
    for (let attempt = 0; attempt < 500; attempt++) { // up to 5 s
      try {
        const conn = await new Promise((resolve, reject) => {
          const conn = net.createConnection(socket, () => resolve(conn));
          conn.once('error', reject);
        });
        return new Channel(conn, log);
      } catch (ignored) {
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    throw new Error('the runtime never opened its socket: ' + log());
  }

  constructor(conn, log) {
    this.conn = conn;
    this.log = log;
    this.buffer = Buffer.alloc(0);
    this.waiting = null;
    conn.on('data', (chunk) => this.received(chunk));
  }

  received(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (this.buffer.length >= 4) {
      const size = this.buffer.readUInt32BE(0);
      if (this.buffer.length >= 4 + size && this.waiting) {
        const body = this.buffer.subarray(4, 4 + size).toString('utf8');
        this.buffer = this.buffer.subarray(4 + size);
        const resolve = this.waiting;
        this.waiting = null;
        resolve(JSON.parse(body));
      }
    }
  }

  send(message) {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    const head = Buffer.alloc(4);
    head.writeUInt32BE(body.length, 0);
    return this.sendRaw(Buffer.concat([head, body]));
  }

  sendRaw(bytes) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer in 10 s; log: ' + this.log())), 10_000);
      this.waiting = (answer) => { clearTimeout(timer); resolve(answer); };
      this.conn.write(bytes);
    });
  }

  async call(event, deadlineMs = Date.now() + 60_000) {
    const id = crypto.randomUUID();
    const answer = await this.send({ type: 'invoke', id, event, deadlineMs });
    assert.equal(answer.type, 'result');
    assert.equal(answer.id, id);
    return answer;
  }
}

/**
 * A runtime process serving a code directory, and a connection to it; with concurrency > 1 in init, also the
 * connections of the other call slots (slots[0] is the first connection).
 */
class Harness {
  static async start(files, handler = 'function.handler', env = {}, concurrency = undefined) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cf-node-'));
    const codeDir = path.join(dir, 'code');
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(codeDir, name)), { recursive: true });
      fs.writeFileSync(path.join(codeDir, name), content);
    }
    fs.mkdirSync(codeDir, { recursive: true });
    const socket = path.join(dir, 'runtime.sock');
    const child = spawn(process.execPath, [RUNTIME], {
      env: { ...process.env, CLOUDFUNC_SOCKET: socket },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const harness = new Harness(dir, codeDir, child, socket);
    child.stdout.on('data', (d) => { harness.containerLog += d; });
    child.stderr.on('data', (d) => { harness.containerLog += d; });
    harness.slots = [await Channel.open(socket, () => harness.containerLog)];
    const init = {
      type: 'init', handler, codeDir, env,
      function: { name: 'fn', version: 2, memoryMb: 128, timeoutMs: 1000 },
    };
    if (concurrency !== undefined) {
      init.concurrency = concurrency;
    }
    harness.initAnswer = await harness.send(init);
    if (harness.initAnswer.type === 'ready') {
      for (let slot = 1; slot < (concurrency ?? 1); slot++) { // as the manager does: right after ready
        harness.slots.push(await Channel.open(socket, () => harness.containerLog));
      }
    }
    return harness;
  }

  constructor(dir, codeDir, child, socket) {
    this.dir = dir;
    this.codeDir = codeDir;
    this.child = child;
    this.socket = socket;
    this.containerLog = '';
  }

  get conn() {
    return this.slots[0].conn;
  }

  send(message) {
    return this.slots[0].send(message);
  }

  sendRaw(bytes) {
    return this.slots[0].sendRaw(bytes);
  }

  call(event, deadlineMs) {
    return this.slots[0].call(event, deadlineMs);
  }

  async stop() {
    const exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    for (const slot of this.slots.slice(1)) {
      slot.conn.end();
    }
    this.conn.end();
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('running'), 5000))]);
    if (code === 'running') {
      this.child.kill('SIGKILL');
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
    return code;
  }
}

async function withFunction(files, body, handler, env, concurrency) {
  const harness = await Harness.start(files, handler, env, concurrency);
  try {
    await body(harness);
  } finally {
    await harness.stop();
  }
}

test('an async handler gets the event and a context and its result is returned', () => withFunction({
  'function.js': `exports.handler = async (event, context) => ({
    hello: event.name, id: context.invocationId, fn: context.functionName, version: context.functionVersion,
    memory: context.memoryLimitInMB, remaining: context.getRemainingTimeInMillis() });`,
}, async (h) => {
  assert.deepEqual(h.initAnswer, { type: 'ready' });
  const answer = await h.call({ name: 'Alice' });
  assert.equal(answer.ok, true);
  assert.equal(answer.result.hello, 'Alice');
  assert.equal(answer.result.fn, 'fn');
  assert.equal(answer.result.version, 2);
  assert.equal(answer.result.memory, 128);
  assert.match(answer.result.id, /^[0-9a-f-]{36}$/);
  assert.ok(answer.result.remaining > 50_000 && answer.result.remaining <= 60_000, String(answer.result.remaining));
  assert.equal(answer.logs, '');
}));

test('the context tells the attempt, 1 when the manager sends none', () => withFunction({
  'function.js': 'exports.handler = (event, context) => context.attempt;',
}, async (h) => {
  const id = crypto.randomUUID();
  const retry = await h.send({ type: 'invoke', id, event: null, deadlineMs: Date.now() + 60_000, attempt: 3 });
  assert.equal(retry.result, 3);
  assert.equal((await h.call(null)).result, 1);
}));

test('the context tells the trigger, null for a direct call', () => withFunction({
  'function.js': 'exports.handler = (event, context) => context.trigger;',
}, async (h) => {
  const trigger = { kind: 'rabbitmq', name: 'orders', source: 'orders', headers: { 'x-tenant': 'acme' } };
  const id = crypto.randomUUID();
  const queued = await h.send({ type: 'invoke', id, event: null, deadlineMs: Date.now() + 60_000, trigger });
  assert.deepEqual(queued.result, trigger);
  assert.equal((await h.call(null)).result, null);
}));

test('a sync handler works and the module is loaded once for every call', () => withFunction({
  'function.js': `let loads = (globalThis.loads ?? 0) + 1; globalThis.loads = loads; let calls = 0;
    exports.handler = (event) => ({ loads, calls: ++calls });`,
}, async (h) => {
  assert.deepEqual((await h.call({})).result, { loads: 1, calls: 1 });
  assert.deepEqual((await h.call({})).result, { loads: 1, calls: 2 });
}));

test('any JSON value is an event and undefined is returned as null', () => withFunction({
  'function.js': 'exports.echo = (event) => event; exports.nothing = () => {};',
}, async (h) => {
  for (const event of [null, 'text', 42, true, [1, 'a'], { nested: { ok: [] } }]) {
    assert.deepEqual((await h.call(event)).result, event);
  }
}, 'function.echo'));

test('a handler returning undefined answers null', () => withFunction({
  'function.js': 'exports.nothing = async () => {};',
}, async (h) => {
  const answer = await h.call({});
  assert.equal(answer.ok, true);
  assert.equal(answer.result, null);
}, 'function.nothing'));

test('console output of a call is captured for that call only, stdout and stderr interleaved', () => withFunction({
  'function.js': `console.log('loading');
    exports.handler = async (event) => {
      console.log('out', event.n); console.error('err', event.n); process.stdout.write(Buffer.from('bytes\\n'));
      setTimeout(() => console.log('late'), 1);
      return event.n; };`,
}, async (h) => {
  const first = await h.call({ n: 1 });
  assert.equal(first.logs, 'out 1\nerr 1\nbytes\n');
  await new Promise((r) => setTimeout(r, 50));
  const second = await h.call({ n: 2 });
  assert.equal(second.logs, 'out 2\nerr 2\nbytes\n');
  assert.match(h.containerLog, /loading/);
  assert.match(h.containerLog, /late/);
}));

test('logs beyond 64 KiB are cut on a character boundary and marked', () => withFunction({
  'function.js': `exports.handler = () => { for (let i = 0; i < 3000; i++) console.log('é'.repeat(20)); return 'done'; };`,
}, async (h) => {
  const answer = await h.call({});
  assert.equal(answer.result, 'done');
  assert.ok(answer.logs.endsWith('\n...[truncated]'), answer.logs.slice(-40));
  const kept = answer.logs.slice(0, -'\n...[truncated]'.length);
  assert.ok(Buffer.byteLength(kept, 'utf8') <= 64 * 1024);
  assert.ok(Buffer.byteLength(kept, 'utf8') > 64 * 1024 - 4);
  assert.ok(!kept.includes('\ufffd'));
}));

test('an error is reported with its type, message and the frames of the user code only', () => withFunction({
  'function.js': `const helper = require('./lib/helper');
exports.handler = async (event) => {
  return helper.divide(event.a, event.b);
};`,
  'lib/helper.js': `exports.divide = (a, b) => {
  if (b === 0) throw new RangeError('division by zero');
  return a / b;
};`,
}, async (h) => {
  const answer = await h.call({ a: 1, b: 0 });
  assert.equal(answer.ok, false);
  assert.equal(answer.error.type, 'RangeError');
  assert.equal(answer.error.message, 'division by zero');
  assert.deepEqual(answer.error.trace, [
    '  at exports.handler (function.js:3:17)',
    '    return helper.divide(event.a, event.b);',
    '  at exports.divide (lib/helper.js:2:22)',
    "    if (b === 0) throw new RangeError('division by zero');",
  ]);
  assert.equal((await h.call({ a: 6, b: 3 })).result, 2, 'the runtime serves on after an error');
}));

test('a custom error class, a thrown string and an error whose message getter throws are reported', () =>
  withFunction({
    'function.js': `class NotFound extends Error {}
      exports.handler = (event) => {
        if (event.kind === 'class') throw new NotFound('no such thing');
        if (event.kind === 'string') throw 'plain text';
        const e = new Error('x'); Object.defineProperty(e, 'message', { get() { throw new Error('boom'); } });
        throw e; };`,
  }, async (h) => {
    const custom = await h.call({ kind: 'class' });
    assert.deepEqual([custom.error.type, custom.error.message], ['NotFound', 'no such thing']);
    const text = await h.call({ kind: 'string' });
    assert.deepEqual([text.error.type, text.error.message, text.error.trace], ['string', 'plain text', []]);
    const weird = await h.call({ kind: 'weird' });
    assert.equal(weird.ok, false);
    assert.equal(weird.error.type, 'Error');
    assert.equal((await h.call({ kind: 'class' })).error.type, 'NotFound');
  }));

test('a result that is not JSON-serialisable fails the call and the runtime serves on', () => withFunction({
  'function.js': `exports.handler = (event) => {
      if (event.kind === 'cycle') { const a = {}; a.self = a; return a; }
      if (event.kind === 'bigint') return { n: 10n };
      if (event.kind === 'function') return () => 1;
      if (event.kind === 'tojson') return { toJSON() { throw new Error('nope'); } };
      return 'fine'; };`,
}, async (h) => {
  for (const kind of ['cycle', 'bigint', 'function', 'tojson']) {
    const answer = await h.call({ kind });
    assert.equal(answer.ok, false, kind);
    assert.equal(answer.error.type, 'ResultNotSerializable', kind);
  }
  assert.equal((await h.call({ kind: 'ok' })).result, 'fine');
}));

test('an exception thrown from a timer during an async call fails that call', () => withFunction({
  'function.js': `exports.handler = () => new Promise(() => { setTimeout(() => { throw new TypeError('in a timer'); }, 1); });`,
}, async (h) => {
  const answer = await h.call({});
  assert.equal(answer.ok, false);
  assert.equal(answer.error.type, 'TypeError');
  assert.equal(answer.error.message, 'in a timer');
}));

test('ES modules load: .mjs and .js under "type": "module", named and default exports', async () => {
  await withFunction({ 'index.mjs': 'export const handler = async (e) => `esm ${e.n}`;' },
    async (h) => assert.equal((await h.call({ n: 1 })).result, 'esm 1'), 'index.handler');
  await withFunction({
    'package.json': '{"type":"module"}',
    'src/app.js': 'export default { main: (e) => e.n * 2 };',
  }, async (h) => assert.equal((await h.call({ n: 4 })).result, 8), 'src/app.main');
});

test('CommonJS .cjs and dependencies from node_modules in the code load', () => withFunction({
  'handler.cjs': "const pad = require('left-pad-lite'); exports.run = (e) => pad(e.s, 5);",
  'node_modules/left-pad-lite/package.json': '{"name":"left-pad-lite","main":"main.js"}',
  'node_modules/left-pad-lite/main.js': "module.exports = (s, n) => s.padStart(n, '*');",
}, async (h) => assert.equal((await h.call({ s: 'ab' })).result, '***ab'), 'handler.run'));

test('env is set before the module loads and the working directory is the code directory', () => withFunction({
  'function.js': `const fs = require('fs'); const greeting = process.env.GREETING;
    exports.handler = () => ({ greeting, data: fs.readFileSync('data.txt', 'utf8').trim() });`,
  'data.txt': 'bundled\n',
}, async (h) => {
  assert.deepEqual((await h.call({})).result, { greeting: 'hi', data: 'bundled' });
}, 'function.handler', { GREETING: 'hi' }));

test('init errors: missing file, missing export, not a function, bad handler, syntax error, throwing module',
  async () => {
    const cases = [
      [{ 'other.js': '' }, 'function.handler', 'HandlerNotFound'],
      [{ 'function.js': 'exports.other = () => 1;' }, 'function.handler', 'HandlerNotFound'],
      [{ 'function.js': 'exports.handler = 42;' }, 'function.handler', 'InvalidHandler'],
      [{ 'function.js': '' }, 'nodot', 'InvalidHandler'],
      [{ 'function.js': "require('is-missing-dependency');" }, 'function.handler', 'Error'],
      [{ 'function.js': 'throw new TypeError("bad config");' }, 'function.handler', 'TypeError'],
    ];
    for (const [files, handler, type] of cases) {
      await withFunction(files, async (h) => {
        assert.equal(h.initAnswer.type, 'error', JSON.stringify(files));
        assert.equal(h.initAnswer.error.type, type, JSON.stringify(h.initAnswer));
        const call = await h.call({});
        assert.equal(call.ok, false);
        assert.equal(call.error.type, type);
      }, handler);
    }
  });

test('a syntax error names the file and line and shows the line', () => withFunction({
  'function.js': 'exports.handler = () => {\n  return 1 +;\n};\n',
}, async (h) => {
  assert.equal(h.initAnswer.error.type, 'SyntaxError');
  assert.equal(h.initAnswer.error.trace[0], '  at function.js:2');
  assert.equal(h.initAnswer.error.trace[1], '    return 1 +;');
}));

test('unknown message types and unreadable frames get a ProtocolError and the runtime serves on', () =>
  withFunction({ 'function.js': 'exports.handler = () => "ok";' }, async (h) => {
    const unknown = await h.send({ type: 'dance' });
    assert.deepEqual(unknown, { type: 'error', error: { type: 'ProtocolError', message: 'unknown message type "dance"',
      trace: [] } });
    const garbage = Buffer.from('{not json', 'utf8');
    const head = Buffer.alloc(4);
    head.writeUInt32BE(garbage.length, 0);
    assert.equal((await h.sendRaw(Buffer.concat([head, garbage]))).error.type, 'ProtocolError');
    assert.equal((await h.send({ type: 'init', handler: 'function.handler', codeDir: h.codeDir })).error.type,
      'ProtocolError');
    assert.equal((await h.call({})).result, 'ok');
  }));

test('two frames arriving in one write are answered in order', () => withFunction({
  'function.js': 'exports.handler = async (e) => { await new Promise((r) => setTimeout(r, 5)); return e; };',
}, async (h) => {
  const frames = [1, 2].map((n) => {
    const body = Buffer.from(JSON.stringify({ type: 'invoke', id: 'id-' + n, event: n, deadlineMs: 0 }));
    const head = Buffer.alloc(4);
    head.writeUInt32BE(body.length, 0);
    return Buffer.concat([head, body]);
  });
  const answers = [];
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answers')), 10_000);
    h.conn.removeAllListeners('data');
    let buffer = Buffer.alloc(0);
    h.conn.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 4 && buffer.length >= 4 + buffer.readUInt32BE(0)) {
        const size = buffer.readUInt32BE(0);
        answers.push(JSON.parse(buffer.subarray(4, 4 + size)));
        buffer = buffer.subarray(4 + size);
      }
      if (answers.length === 2) {
        clearTimeout(timer);
        resolve();
      }
    });
    h.conn.write(Buffer.concat(frames));
  });
  assert.deepEqual(answers.map((a) => [a.id, a.result]), [['id-1', 1], ['id-2', 2]]);
}));

test('the runtime exits when the manager closes the connection', async () => {
  const h = await Harness.start({ 'function.js': 'exports.handler = () => 1;' });
  assert.equal(await h.stop(), 0);
});

/** Resolves when the socket accepts a connection and keeps it open for a moment; false when it refuses or drops it. */
function isServed(socket) {
  return new Promise((resolve) => {
    const conn = net.createConnection(socket);
    const timer = setTimeout(() => { conn.destroy(); resolve(true); }, 300);
    conn.once('error', () => { clearTimeout(timer); resolve(false); });
    conn.once('close', () => { clearTimeout(timer); resolve(false); });
  });
}

// Each call waits until the other has arrived too (at most 5 s): the calls can only succeed if both run at once.
const MEETING = `let arrived = 0;
let bothHere;
const both = new Promise((resolve) => { bothHere = resolve; });
exports.handler = async (event) => {
  console.log('arrived', event.n);
  if (++arrived === 2) bothHere();
  const alone = new Promise((resolve, reject) => setTimeout(() => reject(new Error('alone')), 5000));
  await Promise.race([both, alone]);
  await new Promise((resolve) => setTimeout(resolve, event.n * 10)); // interleave the output below
  console.error('left', event.n);
  setTimeout(() => console.log('late', event.n), 50); // after the answer: no call's logs
  if (event.fail) setTimeout(() => { throw new RangeError('timer of ' + event.n); }, 1);
  return event.fail ? new Promise(() => {}) : 'done ' + event.n;
};
`;

test('with concurrency 2 two calls run at once over two connections, each with its own logs and result', () =>
  withFunction({ 'function.js': MEETING }, async (h) => {
    assert.deepEqual(h.initAnswer, { type: 'ready' });
    assert.equal(h.slots.length, 2);

    const [first, second] = await Promise.all([h.slots[0].call({ n: 1 }), h.slots[1].call({ n: 2 })]);

    assert.equal(first.result, 'done 1');
    assert.equal(first.logs, 'arrived 1\nleft 1\n');
    assert.equal(second.result, 'done 2');
    assert.equal(second.logs, 'arrived 2\nleft 2\n');
    await new Promise((r) => setTimeout(r, 150));
    assert.match(h.containerLog, /late 1/);
    assert.match(h.containerLog, /late 2/);
    assert.equal(await isServed(h.socket), false, 'no third connection is served');
  }, 'function.handler', {}, 2));

test('with concurrency 2 an error thrown from a timer fails only the call that set the timer', () =>
  withFunction({ 'function.js': MEETING }, async (h) => {
    const [failed, fine] = await Promise.all([h.slots[0].call({ n: 1, fail: true }), h.slots[1].call({ n: 2 })]);

    assert.equal(failed.ok, false);
    assert.equal(failed.error.type, 'RangeError');
    assert.equal(failed.error.message, 'timer of 1');
    assert.equal(failed.logs, 'arrived 1\nleft 1\n');
    assert.equal(fine.ok, true);
    assert.equal(fine.result, 'done 2');
    assert.equal(fine.logs, 'arrived 2\nleft 2\n');
  }, 'function.handler', {}, 2));

test('without concurrency in init no second connection is served', () =>
  withFunction({ 'function.js': 'exports.handler = () => "only";' }, async (h) => {
    assert.equal(await isServed(h.socket), false);
    assert.equal((await h.call({})).result, 'only');
  }));
