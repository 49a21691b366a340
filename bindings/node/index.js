'use strict';
// liblineage for Node.js. The Graph class and its methods are native (src/); this file adds
// the error classes, AbortSignal support for the async methods, and lineage.open().
const path = require('path');

const native = require(path.join(__dirname, 'build', 'Release', 'lineage.node'));

/** Base class of every error liblineage reports; `code` is its name, e.g. 'ENOTFOUND'. */
class LineageError extends Error {
  constructor(message, code = 'ERROR', errno = -1, details) {
    super(message);
    this.name = 'LineageError';
    this.code = code;
    this.errno = errno;
    // An import that failed carries its report (row-by-row errors, counts).
    if (details && details.report !== undefined) this.report = details.report;
  }
}
/** No asset, edge or change with that key or id (ENOTFOUND). */
class NotFoundError extends LineageError {
  constructor(message, code = 'ENOTFOUND', errno = -3, details) {
    super(message, code, errno, details);
    this.name = 'NotFoundError';
  }
}
/** An argument or input value is not valid (EINVALID); `errors` lists each problem. */
class ValidationError extends LineageError {
  constructor(message, code = 'EINVALID', errno = -5, details) {
    super(message, code, errno, details);
    this.name = 'ValidationError';
    this.errors = (details && Array.isArray(details.errors)) ? details.errors : [{ message }];
  }
}
/** The request contradicts what is stored (ECONFLICT, EEXISTS, ECYCLE). */
class ConflictError extends LineageError {
  constructor(message, code = 'ECONFLICT', errno = -6, details) {
    super(message, code, errno, details);
    this.name = 'ConflictError';
  }
}
/** Input could not be parsed (EPARSE). */
class ParseError extends LineageError {
  constructor(message, code = 'EPARSE', errno = -14, details) {
    super(message, code, errno, details);
    this.name = 'ParseError';
  }
}
/** A progress callback or an AbortSignal stopped the operation; nothing was changed. */
class CancelledError extends LineageError {
  constructor(message, code = 'ECANCELLED', errno = -13, details) {
    super(message, code, errno, details);
    this.name = 'CancelledError';
  }
}

const classByCode = {
  ENOTFOUND: NotFoundError,
  EINVALID: ValidationError,
  ECONFLICT: ConflictError,
  EEXISTS: ConflictError,
  ECYCLE: ConflictError,
  EPARSE: ParseError,
  ECANCELLED: CancelledError,
};

function makeError(code, message, errno, details) {
  const Cls = classByCode[code] || LineageError;
  return new Cls(message, code, errno, details);
}

// Traversal results are built by these two factories, called from C: object literals are
// V8's fastest way to make objects of one shape (see docs/node.md, "How results are built").
const makeNode = (key, kind, distance, confidence) => ({ key, kind, distance, confidence });
const makeEdge = (id, source, target, kind, lineageSource, confidence) =>
  ({ id, source, target, kind, lineage_source: lineageSource, confidence });

const makeTraversal = (root, direction, nodes, edges, truncated) => ({ root, direction, nodes, edges, truncated });

native.setup({ makeError, makeNode, makeEdge, makeTraversal });

const { Graph } = native;

/**
 * Run an async native method with an AbortSignal: the signal sets the operation's cancel
 * token, which liblineage sees at its next progress callback. `optIndex` is the position of
 * the options argument.
 */
function withSignal(method, name, optIndex) {
  const wrapper = function (...args) {
    const opts = args[optIndex];
    if (opts === undefined || opts === null || typeof opts !== 'object' || opts.signal === undefined) {
      return method.apply(this, args);
    }
    const { signal, ...rest } = opts;
    if (!signal || typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function') {
      throw new TypeError(`${name}: options.signal must be an AbortSignal`);
    }
    if (signal.aborted) {
      return Promise.reject(new CancelledError(`${name} was aborted before it started`));
    }
    const token = native.createCancelToken();
    const onAbort = () => native.cancel(token);
    signal.addEventListener('abort', onAbort, { once: true });
    args[optIndex] = { ...rest, cancelToken: token };
    let promise;
    try {
      promise = method.apply(this, args);
    } catch (e) {
      signal.removeEventListener('abort', onAbort);
      throw e;
    }
    return promise.finally(() => signal.removeEventListener('abort', onAbort));
  };
  Object.defineProperty(wrapper, 'name', { value: name });
  return wrapper;
}

// The async methods and the position of their options argument, from the addon's table.
for (const [name, optIndex] of Object.entries(native.asyncMethods)) {
  const method = Graph.prototype[name];
  if (typeof method !== 'function') continue;
  Object.defineProperty(Graph.prototype, name, {
    value: withSignal(method, name, optIndex), writable: true, configurable: true, enumerable: false,
  });
}

/**
 * Run fn(graph) inside a transaction: committed when fn returns (or its promise resolves),
 * rolled back when it throws. Every change inside is one batch in the audit trail.
 */
Graph.prototype.transaction = function transaction(fn, label) {
  if (typeof fn !== 'function') throw new TypeError('transaction() needs a function');
  this.begin(label);
  let result;
  try {
    result = fn(this);
  } catch (e) {
    if (this.inTransaction) this.rollback();
    throw e;
  }
  if (result && typeof result.then === 'function') {
    return result.then((v) => { this.commit(); return v; },
      (e) => { if (!this.closed && this.inTransaction) this.rollback(); throw e; });
  }
  this.commit();
  return result;
};

if (typeof Symbol.dispose === 'symbol') {
  Graph.prototype[Symbol.dispose] = function () { this.close(); };
}

/** Open (or create) a lineage database; ':memory:' (the default) is private to this Graph. */
function open(path = ':memory:', options) {
  return new Graph(path, options);
}

module.exports = {
  open,
  Graph,
  version: native.version,
  analyzeSql: native.analyzeSql,
  sqlDialects: native.sqlDialects,
  scanners: native.scanners,
  LineageError,
  NotFoundError,
  ValidationError,
  ConflictError,
  ParseError,
  CancelledError,
};
