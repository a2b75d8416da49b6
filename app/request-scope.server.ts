// One HTTP request's scope. Remix hands each matched loader a Request of its own (it strips
// `?index`, `_data` and the like into a new one), so nothing keyed on the Request object is
// shared between the root loader and the page's; app/server.js runs each request inside this
// scope so they can share what both read, such as who is signed in.
import { AsyncLocalStorage } from "node:async_hooks";

const scope = new AsyncLocalStorage<Map<string, unknown>>();

/** Runs one HTTP request's handling, with a memo of its own. */
export function runInRequestScope<T>(handle: () => T): T {
  return scope.run(new Map(), handle);
}

/**
 * `compute()` once per key in this HTTP request (its first caller's promise for the rest), or
 * every time outside a request's scope (a test calling a loader directly).
 */
export function oncePerRequest<T>(key: string, compute: () => T): T {
  const memo = scope.getStore();
  if (!memo) return compute();
  if (!memo.has(key)) memo.set(key, compute());
  return memo.get(key) as T;
}
