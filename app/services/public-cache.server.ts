// The cache of what visitors see: a visitor's (signed-out) GET of the board, a request's page,
// the roadmap, the changelog or the feed is answered with the response rendered for the last
// visitor who asked for the same address in the same language and encoding, as long as nothing
// public changed since. "Changed" is the content version (app/models/content-version.server.ts),
// which the database's triggers raise in every transaction that writes public content: one
// indexed read per answer, so every process and both engines agree, and a vote, comment or
// decision is on the next visitor's page at once.
//
// Each process keeps its own entries, least recently used first out, within PUBLIC_CACHE_BYTES.
// An entry also ages out after PUBLIC_CACHE_MAX_AGE_MS, since a page's relative times ("3
// minutes ago") grow old with no write at all.
//
// A cached page carries the script nonce it was rendered with, so the answer's CSP must name
// that nonce: it is derived from the address, the version and the build (an HMAC under
// SESSION_SECRET), the same in every process, and new whenever the page's content is. Content
// someone stored changes the version and so the nonce; content from the address itself cannot
// name a nonce that is only made from that address. The ETag is derived the same way, so a
// browser's revalidation is answered 304 by any process at the same version.
import crypto from "node:crypto";
import zlib from "node:zlib";
import { getEnv } from "~/env.server";
import { localeFromHeaders } from "~/i18n/locale.server";
import { readContentVersion } from "~/models/content-version.server";

/**
 * The addresses visitors read, as documents or as the `.data` a client-side navigation fetches
 * (`/_root.data` is the board's). Not the forms (sign-in, sign-up): their pages are theirs.
 */
const PUBLIC_PATHS = [
  /^\/(?:_root\.data)?$/,
  /^\/requests\/\d+(?:\.data)?$/,
  /^\/roadmap(?:\.data)?$/,
  /^\/announcements(?:\.data)?$/,
  /^\/announcements\/\d+(?:\.data)?$/,
  /^\/announcements\.atom$/,
  /^\/feed\.xml$/,
];

/** Cookies that make a page someone's own: a session (signed in) or a one-time notice. */
const PERSONAL_COOKIES = /(?:^|;\s*)(?:__session|__flash)=/;

/** Response headers a cached answer does not repeat: they belong to the one response. */
const UNSTORED_HEADERS = new Set([
  "set-cookie",
  "date",
  "content-length",
  "content-encoding",
  "etag",
  "vary",
  "transfer-encoding",
  "connection",
]);

type Encoding = "gzip" | "identity";

type Entry = {
  key: string;
  version: string;
  storedAt: number;
  status: number;
  headers: [string, string][];
  body: Buffer;
  etag: string;
  bytes: number;
};

/** What one cacheable request is: its key, the version it is answered at, and its nonce. */
export type PublicCacheLookup = {
  key: string;
  version: string;
  encoding: Encoding;
  nonce: string;
  etag: string;
};

/** Entries in least-recently-used order (a Map iterates in insertion order), within a byte budget. */
export class ByteBudgetLru<V extends { bytes: number }> {
  private readonly entries = new Map<string, V>();
  private used = 0;

  constructor(private readonly budget: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    this.delete(key);
    // One that alone is over the budget would only push everything else out.
    if (value.bytes > this.budget) return;
    this.entries.set(key, value);
    this.used += value.bytes;
    for (const [oldest, old] of this.entries) {
      if (this.used <= this.budget) break;
      this.entries.delete(oldest);
      this.used -= old.bytes;
    }
  }

  delete(key: string): void {
    const value = this.entries.get(key);
    if (value === undefined) return;
    this.entries.delete(key);
    this.used -= value.bytes;
  }

  get usedBytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }
}

let cache: ByteBudgetLru<Entry> | undefined;

function entries(): ByteBudgetLru<Entry> {
  cache ??= new ByteBudgetLru<Entry>(getEnv().PUBLIC_CACHE_BYTES);
  return cache;
}

/** Forgets every entry (tests that change the settings in between). */
export function resetPublicCache(): void {
  cache = undefined;
}

/** The encoding an answer from the cache is stored in: gzip when the client takes it. */
export function encodingFor(acceptEncoding: string | null): Encoding {
  for (const part of (acceptEncoding ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (name !== "gzip" && name !== "*") continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (!q || Number(q.slice(2)) > 0) return "gzip";
  }
  return "identity";
}

function derive(purpose: string, key: string, version: string, build: string): string {
  return crypto
    .createHmac("sha256", getEnv().SESSION_SECRET)
    .update(`${purpose}\n${build}\n${version}\n${key}`)
    .digest("base64url")
    .slice(0, 22);
}

/**
 * Whether this request may be answered from the cache, and at which version: a visitor's GET
 * of a public address. Null for anything else, which is rendered as usual.
 */
export async function lookUpPublicCache(
  request: Request,
  build: string,
): Promise<PublicCacheLookup | null> {
  if (getEnv().PUBLIC_CACHE_BYTES === 0 || request.method !== "GET") return null;
  const url = new URL(request.url);
  if (!PUBLIC_PATHS.some((path) => path.test(url.pathname))) return null;
  if (PERSONAL_COOKIES.test(request.headers.get("Cookie") ?? "")) return null;
  const encoding = encodingFor(request.headers.get("Accept-Encoding"));
  const locale = await localeFromHeaders(request.headers);
  const key = `${locale} ${encoding} ${url.pathname}${url.search}`;
  // Read before anything is rendered: a page rendered after a write it did not see would
  // otherwise be stored under that write's version.
  const version = await readContentVersion();
  return {
    key,
    version,
    encoding,
    nonce: derive("nonce", key, version, build),
    etag: `"${derive("etag", key, version, build)}"`,
  };
}

/** The stored answer for this lookup, if it is still current. */
function storedAnswer(lookup: PublicCacheLookup): Entry | null {
  const entry = entries().get(lookup.key);
  if (!entry) return null;
  const fresh =
    entry.version === lookup.version &&
    Date.now() - entry.storedAt < getEnv().PUBLIC_CACHE_MAX_AGE_MS;
  if (fresh) return entry;
  entries().delete(lookup.key);
  return null;
}

function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t === etag || t === `W/${etag}`;
  });
}

function answer(request: Request, lookup: PublicCacheLookup, entry: Entry, hit: boolean) {
  const headers = new Headers(entry.headers);
  headers.set("ETag", entry.etag);
  headers.set("X-Cache", hit ? "hit" : "miss");
  if (matches(request.headers.get("If-None-Match"), entry.etag))
    return new Response(null, { status: 304, headers });
  if (lookup.encoding === "gzip") headers.set("Content-Encoding", "gzip");
  // Kept as it is: the compression middleware would otherwise encode it in another way (br,
  // deflate) under the same ETag, which names this exact representation.
  else headers.set("Cache-Control", `${headers.get("Cache-Control") ?? "no-cache"}, no-transform`);
  headers.set("Content-Length", String(entry.body.byteLength));
  return new Response(entry.body as Uint8Array<ArrayBuffer>, { status: entry.status, headers });
}

/**
 * Answers a visitor's request from the cache, or with `render(nonce)`'s response, which is kept
 * when it is a whole 200 that sets no cookie. Responses answered here carry their entry's ETag
 * and `X-Cache: hit` or `miss`; the CSP must name `lookup.nonce` (app/server.js sets it).
 */
export async function answerFromPublicCache(
  request: Request,
  lookup: PublicCacheLookup,
  render: () => Promise<Response>,
): Promise<Response> {
  const stored = storedAnswer(lookup);
  if (stored) return answer(request, lookup, stored, true);
  const response = await render();
  if (response.status !== 200 || response.headers.has("Set-Cookie") || !response.body)
    return response;
  const raw = Buffer.from(await response.arrayBuffer());
  const body = lookup.encoding === "gzip" ? zlib.gzipSync(raw) : raw;
  const headers = [...response.headers].filter(([name]) => !UNSTORED_HEADERS.has(name));
  // Browsers may keep it but ask again each time (answered 304 while it is current).
  if (!response.headers.has("Cache-Control")) headers.push(["cache-control", "no-cache"]);
  headers.push(["vary", "Accept-Encoding, Accept-Language, Cookie"]);
  const entry: Entry = {
    key: lookup.key,
    version: lookup.version,
    storedAt: Date.now(),
    status: response.status,
    headers,
    body,
    etag: lookup.etag,
    bytes: body.byteLength + lookup.key.length + 512,
  };
  entries().set(lookup.key, entry);
  return answer(request, lookup, entry, false);
}
