// Small helpers shared by routes on the server and in the browser.

/**
 * A redirect target that stays on this site: a local path, never `//host`, `/\host` or a
 * scheme. Anything else becomes the fallback.
 */
export function safeRedirect(
  to: FormDataEntryValue | string | null | undefined,
  fallback = "/",
): string {
  if (typeof to !== "string" || to.length === 0 || to.length > 2000) return fallback;
  if (!to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f\\]/.test(to)) return fallback;
  try {
    const url = new URL(to, "http://local.invalid");
    if (url.origin !== "http://local.invalid") return fallback;
    const path = url.pathname + url.search + url.hash;
    // Dot segments can collapse "/.//evil.com" into "//evil.com", which is another site.
    return path.startsWith("//") || path.startsWith("/\\") ? fallback : path;
  } catch {
    return fallback;
  }
}

/**
 * Awaits an object's values together, as Promise.all does an array's, keeping their names: a
 * loader's independent reads start at once (on PostgreSQL each is its own round trip on the
 * pool, so the page waits for the slowest rather than for their sum).
 */
export async function allOf<T extends Record<string, unknown>>(
  values: T,
): Promise<{ [K in keyof T]: Awaited<T[K]> }> {
  const entries = Object.entries(values);
  const settled = await Promise.all(entries.map(([, value]) => value));
  return Object.fromEntries(entries.map(([key], i) => [key, settled[i]])) as {
    [K in keyof T]: Awaited<T[K]>;
  };
}
