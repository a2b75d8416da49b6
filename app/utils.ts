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
