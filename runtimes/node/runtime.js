'use strict';
/*
 * CloudFunc Node.js runtime.
 *
 * Runs inside a function container. Listens on a unix socket ($CLOUDFUNC_SOCKET, default /cloudfunc/runtime.sock),
 * accepts ONE connection from the container-manager, loads the user's module once on "init" and then calls the
 * handler once per "invoke" frame, in this same process. When init asks for concurrency N > 1 it accepts N - 1 more
 * connections (call slots), all served on the one event loop: async calls of different slots interleave. Frames are
 * a 4-byte big-endian length followed by a UTF-8 JSON object. The protocol is specified in docs/runtime-contract.md.
 *
 * Plain Node, no dependencies, and only built-in modules that Node has loaded anyway at start-up: every millisecond
 * here is part of a cold start.
 */
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { pathToFileURL, fileURLToPath } = require('node:url');

const SOCKET_PATH = process.env.CLOUDFUNC_SOCKET || '/cloudfunc/runtime.sock';
const MAX_FRAME = 64 * 1024 * 1024;
const LOG_CAP = 64 * 1024;
const TRUNCATED = '...[truncated]';
const EXTENSIONS = ['.js', '.mjs', '.cjs'];

// The real writers, for the runtime's own diagnostics and for output outside calls (they end up in `docker logs`).
const realStdoutWrite = process.stdout.write.bind(process.stdout);
const realStderrWrite = process.stderr.write.bind(process.stderr);

function diag(message) {
  realStderrWrite('cloudfunc-runtime: ' + message + '\n');
}

/** What the handler prints during one call (stdout and stderr interleaved), up to LOG_CAP UTF-8 bytes. */
class Capture {
  constructor() {
    this.parts = [];
    this.size = 0;
    this.truncated = false;
  }

  add(chunk, encoding) {
    if (this.truncated) {
      return;
    }
    let text;
    if (typeof chunk === 'string') {
      text = chunk;
    } else if (chunk instanceof Uint8Array) {
      text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
    } else {
      text = String(chunk);
    }
    if (!text) {
      return;
    }
    const bytes = Buffer.byteLength(text, 'utf8');
    const room = LOG_CAP - this.size;
    if (bytes <= room) {
      this.parts.push(text);
      this.size += bytes;
      return;
    }
    const data = Buffer.from(text, 'utf8');
    let end = room;
    while (end > 0 && (data[end] & 0xc0) === 0x80) {
      end--; // never cut a character in two
    }
    this.parts.push(data.subarray(0, end).toString('utf8'));
    this.size = LOG_CAP;
    this.truncated = true;
  }

  text() {
    let out = this.parts.join('');
    if (this.truncated) {
      if (out && !out.endsWith('\n')) {
        out += '\n';
      }
      out += TRUNCATED;
    }
    return out;
  }
}

/**
 * process.stdout.write / process.stderr.write for the whole life of the process: during a call they write to that
 * call's capture (console.log, console.error and anything else writing to the streams), outside calls to the real
 * stream. Installed before the user's module is loaded, so loggers created at load time are captured too.
 *
 * Which call a write belongs to: with concurrency 1 there is one call at a time, so it is the call in flight,
 * whatever code writes (a timer an earlier call left behind included). With concurrency > 1 calls interleave on the
 * event loop, so it is the call in whose asynchronous context the write runs (AsyncLocalStorage): the handler's own
 * code and every callback, timer and promise continuation it starts. A write with no call's context (a timer set
 * while loading, an event of a client made at load time) or from a call that has already answered goes to the
 * container's own output.
 */
let currentCall = null; // concurrency 1: the call in flight
let callContext = null; // concurrency > 1: an AsyncLocalStorage of the call each piece of code runs for

/** One call in flight: its log capture, and how to fail it from an uncaught error (async calls only). */
class Call {
  constructor() {
    this.capture = new Capture();
    this.open = true;
    this.fail = null;
  }
}

function callOfThisCode() {
  const call = callContext === null ? currentCall : callContext.getStore();
  return call !== null && call !== undefined && call.open ? call : null;
}

function routedWrite(realWrite) {
  return function write(chunk, encoding, callback) {
    const call = callOfThisCode();
    if (call === null) {
      return realWrite(chunk, encoding, callback);
    }
    if (typeof encoding === 'function') {
      callback = encoding;
      encoding = undefined;
    }
    call.capture.add(chunk, encoding);
    if (typeof callback === 'function') {
      process.nextTick(callback);
    }
    return true;
  };
}

/** Second argument of every handler. */
class Context {
  constructor(invocationId, fn, deadlineMs, attempt, trigger) {
    this.invocationId = invocationId;
    // 1 for the first run of a call, 2 for its first retry, ...; a manager that predates it sends none
    this.attempt = Number.isInteger(attempt) && attempt >= 1 ? attempt : 1;
    // what set the call off (a schedule's tick, a queue's message), an object; null for a direct call
    this.trigger = trigger !== null && typeof trigger === 'object' && !Array.isArray(trigger) ? trigger : null;
    this.functionName = fn.name;
    this.functionVersion = fn.version;
    this.memoryLimitInMB = fn.memoryMb;
    this.timeoutMs = fn.timeoutMs;
    this.deadlineMs = deadlineMs;
  }

  /** Milliseconds left before the platform stops this call (same name as AWS Lambda's context). */
  getRemainingTimeInMillis() {
    if (typeof this.deadlineMs !== 'number') {
      return null;
    }
    return Math.max(0, Math.trunc(this.deadlineMs - Date.now()));
  }

  get remainingTimeMs() {
    return this.getRemainingTimeInMillis();
  }
}

/** An error of the user's code or configuration found by the runtime itself (bad handler, missing module file). */
class FunctionError extends Error {
  constructor(type, message) {
    super(message);
    this.error = { type, message, trace: [] };
  }
}

/** String(value), which runs user code (toString) and so may throw: never fails. */
/**
 * Ends every process left in the container once no call runs (what a call spawned and did not wait for), so that the
 * next call gets the container's whole pids limit. Only in a container: the runtime unprivileged and its parent the
 * container's init. kill(-1) signals every process this user may signal but the caller and init; Node reaps its own
 * children, init the others.
 */
function endLeftoverProcesses() {
  if (process.getuid() === 0 || process.ppid !== 1) {
    return;
  }
  try {
    process.kill(-1, 'SIGKILL');
  } catch (error) {
    return; // ESRCH: no other process
  }
  awaitOthersEnded(1000);
}

/**
 * A SIGKILLed process ends when it is next scheduled, not when kill() returns: on a busy machine an orphan can still
 * run when the next call arrives. Waits (at most limitMs) until every process but init and this one is gone or a
 * zombie (ended, only not yet reaped).
 */
function awaitOthersEnded(limitMs) {
  const deadline = Date.now() + limitMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    let running = false;
    for (const name of fs.readdirSync('/proc')) {
      if (!/^[0-9]+$/.test(name) || name === '1' || Number(name) === process.pid) {
        continue;
      }
      let stat;
      try {
        stat = fs.readFileSync('/proc/' + name + '/stat', 'latin1');
      } catch (gone) {
        continue;
      }
      const state = stat[stat.lastIndexOf(')') + 2];
      if (state !== 'Z' && state !== 'X') {
        running = true;
        break;
      }
    }
    if (!running || Date.now() >= deadline) {
      return;
    }
    Atomics.wait(pause, 0, 0, 1); // 1 ms, synchronously: no call runs meanwhile
  }
}

function textOf(value) {
  try {
    const text = String(value);
    if (typeof text === 'string') {
      return text;
    }
  } catch (ignored) {
    // fall through
  }
  return '<unprintable ' + typeName(value) + ' object>';
}

function typeName(value) {
  if (value === null) {
    return 'null';
  }
  if (typeof value === 'object' || typeof value === 'function') {
    try {
      const ctor = value.constructor;
      if (ctor && typeof ctor.name === 'string' && ctor.name) {
        return ctor.name;
      }
    } catch (ignored) {
      // a throwing getter: fall through
    }
    return 'Object';
  }
  return typeof value;
}

/** The error object for anything the user's code threw. Never throws: the runtime must survive any value. */
function errorOf(thrown, codeDir) {
  try {
    if (thrown instanceof FunctionError) {
      return thrown.error;
    }
    if (thrown instanceof Error || (thrown !== null && typeof thrown === 'object' && 'stack' in thrown)) {
      return {
        type: errorType(thrown),
        message: textOf(thrown.message),
        trace: userTrace(thrown, codeDir),
      };
    }
    // `throw "text"`, `throw 42`, `throw {..}`: no stack to read
    return { type: typeName(thrown), message: textOf(thrown), trace: [] };
  } catch (ignored) {
    return { type: 'Error', message: '<unprintable error>', trace: [] };
  }
}

function errorType(error) {
  const name = typeName(error);
  if (name !== 'Error' && name !== 'Object') {
    return name; // a class of the user's (class NotFound extends Error) or a built-in subclass
  }
  try {
    return typeof error.name === 'string' && error.name ? error.name : name;
  } catch (ignored) {
    return name;
  }
}

const FRAME = /^\s*at (?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/;

/**
 * Frames of the stack that belong to the user's code (files under codeDir, outside node_modules), outermost
 * first, each as `  at <function> (<path relative to codeDir>:<line>:<column>)` followed by the source line.
 */
function userTrace(error, codeDir) {
  const stack = error.stack;
  if (typeof stack !== 'string') {
    return [];
  }
  const prefix = codeDir + path.sep;
  const modules = prefix + 'node_modules' + path.sep;
  const lines = [];
  const header = stack.split('\n', 1)[0];
  if (error instanceof SyntaxError) {
    // from the compiler: "/cloudfunc/code/f.js:3" then the offending line and a caret, before the message
    const where = /^(.+?):(\d+)$/.exec(header);
    if (where) {
      const file = fileOf(where[1]);
      if (file.startsWith(prefix)) {
        const rest = stack.split('\n');
        lines.push('  at ' + file.slice(prefix.length) + ':' + where[2]);
        if (rest[1] && rest[1].trim()) {
          lines.push('    ' + rest[1].trim());
        }
        if (rest[2] && rest[2].includes('^')) {
          const indent = rest[1].length - rest[1].trimStart().length;
          lines.push('    ' + rest[2].slice(indent));
        }
      }
    }
  }
  const frames = [];
  for (const line of stack.split('\n')) {
    const match = FRAME.exec(line);
    if (!match) {
      continue;
    }
    const file = fileOf(match[2]);
    if (!file.startsWith(prefix) || file.startsWith(modules)) {
      continue;
    }
    const name = match[1] ? match[1].replace(/^async /, '') : '<anonymous>';
    frames.push({ file, line: Number(match[3]), column: match[4], name });
  }
  frames.reverse(); // V8 lists the innermost frame first; the contract wants the outermost first
  for (const frame of frames) {
    lines.push('  at ' + frame.name + ' (' + frame.file.slice(prefix.length) + ':' + frame.line + ':'
      + frame.column + ')');
    const source = sourceLine(frame.file, frame.line);
    if (source) {
      lines.push('    ' + source);
    }
  }
  return lines;
}

function fileOf(location) {
  if (location.startsWith('file://')) {
    try {
      return fileURLToPath(location);
    } catch (ignored) {
      return location;
    }
  }
  return location;
}

const sources = new Map();

function sourceLine(file, line) {
  try {
    let lines = sources.get(file);
    if (lines === undefined) {
      lines = fs.readFileSync(file, 'utf8').split('\n');
      sources.set(file, lines); // the code is read-only: read each file once
    }
    const text = lines[line - 1];
    return text === undefined ? '' : text.trim();
  } catch (ignored) {
    return '';
  }
}

/** `path/to/file.export`: the part after the last dot is the export, the rest the file without its extension. */
const HANDLER = /^([A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*(?:\.[A-Za-z0-9_-]+)*)\.([A-Za-z_$][A-Za-z0-9_$]*)$/;

/** Whether a .js file is an ES module: the nearest package.json (up to the code directory) says "type": "module". */
function isEsModule(file, codeDir) {
  let dir = path.dirname(file);
  for (;;) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      return pkg !== null && pkg.type === 'module';
    } catch (error) {
      if (error.code !== 'ENOENT' && error.code !== 'ENOTDIR') {
        return false; // a broken package.json: Node would treat the file as CommonJS too
      }
    }
    if (dir === codeDir || dir.length <= codeDir.length) {
      return false;
    }
    dir = path.dirname(dir);
  }
}

class Runtime {
  constructor() {
    this.handler = null;
    this.fn = {};
    this.codeDir = '/cloudfunc/code';
    this.initError = null;
    this.concurrency = 1;
    this.running = 0;
    this.endLeftovers = endLeftoverProcesses;
  }

  async init(message) {
    if (this.handler !== null || this.initError !== null) {
      return { type: 'error', error: { type: 'ProtocolError', message: 'init was already received', trace: [] } };
    }
    this.fn = message.function && typeof message.function === 'object' ? message.function : {};
    this.codeDir = path.resolve(message.codeDir || this.codeDir);
    const concurrency = message.concurrency;
    this.concurrency = Number.isInteger(concurrency) && concurrency > 1 ? concurrency : 1;
    if (this.concurrency > 1) {
      // loaded only here: with it, every promise carries the context, a cost calls of concurrency 1 do not pay
      const { AsyncLocalStorage } = require('node:async_hooks');
      callContext = new AsyncLocalStorage();
    }
    try {
      this.handler = await this.load(message.handler || 'index.handler', message.env || {});
    } catch (thrown) { // anything the module throws while loading
      this.initError = errorOf(thrown, this.codeDir);
      return { type: 'error', error: this.initError };
    }
    return { type: 'ready' };
  }

  async load(handlerName, env) {
    const match = HANDLER.exec(handlerName);
    if (!match) {
      throw new FunctionError('InvalidHandler',
        "handler '" + handlerName + "' is not of the form file.export (e.g. index.handler or src/app.main)");
    }
    const [, moduleName, exportName] = match;
    for (const [key, value] of Object.entries(env)) {
      process.env[String(key)] = String(value);
    }
    process.chdir(this.codeDir); // relative paths in the function find its bundled files
    const base = path.join(this.codeDir, moduleName);
    const file = EXTENSIONS.map((ext) => base + ext).find((candidate) => fs.existsSync(candidate));
    if (file === undefined) {
      throw new FunctionError('HandlerNotFound', "module '" + moduleName + "' not found in the function's code"
        + ' (expected ' + EXTENSIONS.map((ext) => moduleName + ext).join(', ') + ')');
    }
    process.stdout.write = routedWrite(realStdoutWrite);
    process.stderr.write = routedWrite(realStderrWrite);
    let exported;
    if (file.endsWith('.mjs') || (file.endsWith('.js') && isEsModule(file, this.codeDir))) {
      const namespace = await import(pathToFileURL(file).href);
      exported = namespace[exportName];
      if (exported === undefined && namespace.default && typeof namespace.default === 'object') {
        exported = namespace.default[exportName]; // `export default { handler }`
      }
    } else {
      const loaded = require(file);
      exported = loaded === null || loaded === undefined ? undefined : loaded[exportName];
    }
    if (exported === undefined) {
      throw new FunctionError('HandlerNotFound', "module '" + moduleName + "' has no export '" + exportName + "'");
    }
    if (typeof exported !== 'function') {
      throw new FunctionError('InvalidHandler', handlerName + ' is not a function');
    }
    return exported;
  }

  /** Runs one call; resolves to the answer (never rejects). */
  async invoke(message) {
    const id = message.id;
    if (this.handler === null) {
      const error = this.initError || { type: 'ProtocolError', message: 'invoke before init', trace: [] };
      return encode({ type: 'result', id, ok: false, error, logs: '' });
    }
    const call = new Call();
    this.running++;
    try {
      if (callContext !== null) {
        return await callContext.run(call, () => this.run(message, call));
      }
      currentCall = call;
      try {
        return await this.run(message, call);
      } finally {
        currentCall = null;
      }
    } finally {
      if (--this.running === 0) {
        this.endLeftovers();
      }
    }
  }

  async run(message, call) {
    const id = message.id;
    const capture = call.capture;
    try {
      const context = new Context(id, this.fn, message.deadlineMs, message.attempt, message.trigger);
      let result = this.handler(message.event === undefined ? null : message.event, context);
      if (result !== null && (typeof result === 'object' || typeof result === 'function')
          && typeof result.then === 'function') {
        result = await raceWithUncaught(result, call);
      }
      return resultFrame(id, result, capture);
    } catch (thrown) {
      return encode({ type: 'result', id, ok: false, error: errorOf(thrown, this.codeDir), logs: capture.text() });
    } finally {
      call.open = false; // what its callbacks write from now on goes to the container's output
    }
  }
}

/*
 * An exception thrown from a timer or an unhandled rejection while an async call is running belongs to that call:
 * it fails the call rather than leaving it to time out. With concurrency > 1 that is the call in whose asynchronous
 * context it was thrown (the others go on); with concurrency 1 the call in flight. Outside calls it is only
 * reported in the container's log.
 */
function raceWithUncaught(promise, call) {
  return new Promise((resolve, reject) => {
    call.fail = reject;
    Promise.resolve(promise).then(resolve, reject).finally(() => {
      call.fail = null;
    });
  });
}

function onStrayError(thrown) {
  const call = callContext === null ? currentCall : callContext.getStore();
  if (call !== null && call !== undefined && call.fail !== null) {
    const fail = call.fail;
    call.fail = null;
    fail(thrown);
    return;
  }
  const error = errorOf(thrown, process.cwd());
  diag('uncaught outside a call: ' + error.type + ': ' + error.message);
}

/** The result frame of a successful call, or ResultNotSerializable when the value cannot be written as JSON. */
function resultFrame(id, result, capture) {
  let json;
  let failure = null;
  try {
    json = result === undefined ? 'null' : JSON.stringify(result);
    if (json === undefined) { // a function or a symbol
      failure = 'the handler returned a ' + typeof result + ', which is not JSON-serialisable';
    }
  } catch (thrown) { // a cycle, a BigInt, a toJSON that throws
    failure = 'the handler returned a ' + typeName(result) + ' that is not JSON-serialisable: '
      + textOf(thrown instanceof Error ? thrown.message : thrown);
  }
  if (failure !== null) {
    return encode({
      type: 'result', id, ok: false, error: { type: 'ResultNotSerializable', message: failure, trace: [] },
      logs: capture.text(),
    });
  }
  const body = '{"type":"result","id":' + JSON.stringify(id === undefined ? null : id) + ',"ok":true,"result":'
    + json + ',"logs":' + JSON.stringify(capture.text()) + '}';
  return frame(body);
}

function encode(message) {
  return frame(JSON.stringify(message));
}

function frame(body) {
  const payload = Buffer.from(body, 'utf8');
  const out = Buffer.allocUnsafe(4 + payload.length);
  out.writeUInt32BE(payload.length, 0);
  payload.copy(out, 4);
  return out;
}

/**
 * Reads frames from the connection and answers them one at a time, in order. On the first connection, afterInit
 * is told once init is answered (so that the call slots it asks for are accepted); the process ends when that
 * connection closes. A call slot's connection (afterInit null) only ends its own service.
 */
function serve(conn, runtime, afterInit) {
  let pending = [];
  let pendingBytes = 0;
  let queue = Promise.resolve();

  function take(size) {
    const all = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
    const taken = all.subarray(0, size);
    const rest = all.subarray(size);
    pending = rest.length ? [rest] : [];
    pendingBytes = rest.length;
    return taken;
  }

  conn.on('data', (chunk) => {
    pending.push(chunk);
    pendingBytes += chunk.length;
    for (;;) {
      if (pendingBytes < 4) {
        return;
      }
      const head = pending[0].length >= 4 ? pending[0] : Buffer.concat(pending, pendingBytes);
      const size = head.readUInt32BE(0);
      if (size > MAX_FRAME) {
        diag('frame of ' + size + ' bytes exceeds the limit, closing');
        conn.destroy();
        return;
      }
      if (pendingBytes < 4 + size) {
        return;
      }
      take(4);
      const body = Buffer.from(take(size)); // a copy: the rest of the chunk may be released
      queue = queue.then(() => answer(runtime, body, afterInit)).then((out) => {
        if (!conn.destroyed) {
          conn.write(out);
        }
      });
    }
  });
  conn.on('error', () => {}); // the manager went away: 'close' follows
  conn.on('close', () => {
    if (afterInit !== null) {
      process.exit(0);
    }
  });
}

async function answer(runtime, body, afterInit) {
  let message = null;
  try {
    message = JSON.parse(body.toString('utf8'));
  } catch (error) {
    diag('unreadable frame: ' + error.message);
  }
  const kind = message !== null && typeof message === 'object' && !Array.isArray(message) ? message.type : undefined;
  if (kind === 'invoke') {
    return runtime.invoke(message);
  }
  if (kind === 'init') {
    const out = encode(await runtime.init(message));
    if (afterInit !== null) {
      afterInit();
    }
    return out;
  }
  return encode({
    type: 'error',
    error: { type: 'ProtocolError', message: 'unknown message type ' + JSON.stringify(kind ?? null), trace: [] },
  });
}

function main() {
  process.on('uncaughtException', onStrayError);
  process.on('unhandledRejection', onStrayError);
  try {
    fs.unlinkSync(SOCKET_PATH);
  } catch (error) {
    if (error.code !== 'ENOENT') {
      throw error;
    }
  }
  const server = net.createServer({ allowHalfOpen: false });
  const runtime = new Runtime();
  // Connections still to accept: the first, then as many call slots as init asks for. The server keeps listening
  // until init has said how many (none: it closes then); a connection nobody asked for is closed at once.
  let expected = 1;
  let first = true;
  server.on('connection', (conn) => {
    if (expected === 0) {
      conn.destroy();
      return;
    }
    expected--;
    conn.setNoDelay(true);
    if (first) {
      first = false;
      let initAnswered = false;
      serve(conn, runtime, () => {
        if (initAnswered) {
          return; // a second init was refused: it opens nothing
        }
        initAnswered = true;
        expected = runtime.handler !== null ? runtime.concurrency - 1 : 0;
        if (expected === 0) {
          server.close();
        }
      });
      return;
    }
    serve(conn, runtime, null);
    if (expected === 0) {
      server.close();
    }
  });
  server.listen(SOCKET_PATH, () => {
    // Access is controlled by the per-container directory; the socket itself is open so that a manager running
    // under another uid during development can still connect.
    fs.chmodSync(SOCKET_PATH, 0o666);
  });
}

if (require.main === module) {
  main();
}

module.exports = { Capture, Context, errorOf, LOG_CAP, TRUNCATED };
