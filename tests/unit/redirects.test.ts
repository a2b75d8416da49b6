import { describe, expect, it } from "vitest";
import { safeRedirect } from "~/utils";

const SITE = "http://broadly.test";

/** Where a browser would actually go if it followed the redirect from one of our pages. */
const landsOn = (location: string) => new URL(location, `${SITE}/signin`);

describe("redirectTo after signing in", () => {
  it("keeps a local path with its query string and fragment", () => {
    expect(safeRedirect("/orgs/acme?x=1")).toBe("/orgs/acme?x=1");
    expect(safeRedirect("/requests/12#comment-3")).toBe("/requests/12#comment-3");
  });

  it("falls back to the home page when nothing usable is given", () => {
    expect(safeRedirect(undefined)).toBe("/");
    expect(safeRedirect(null)).toBe("/");
    expect(safeRedirect("")).toBe("/");
    expect(safeRedirect("/" + "a".repeat(2001))).toBe("/");
  });

  it("uses the caller's fallback instead of the home page", () => {
    expect(safeRedirect("https://evil.com", "/orgs/new")).toBe("/orgs/new");
  });

  it.each([
    "//evil.com",
    "//evil.com/orgs",
    "/\\evil.com",
    "/\\/evil.com",
    "\\\\evil.com",
    "https://evil.com",
    "http:evil.com",
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "evil.com",
    " //evil.com",
    "/\t/evil.com",
    "/\n/evil.com",
  ])("refuses to send the user off-site for %j", (attempt) => {
    expect(safeRedirect(attempt)).toBe("/");
  });

  // Percent-encoded slashes stay encoded, so the browser reads them as one local path segment.
  it.each([
    "/%2F%2Fevil.com",
    "/%2f%2fevil.com",
    "/%5Cevil.com",
    "/%5C%5Cevil.com",
    "/%09/evil.com",
  ])("keeps the encoded attempt %j on this site", (attempt) => {
    expect(landsOn(safeRedirect(attempt)).origin).toBe(SITE);
  });

  // Dot segments are resolved by the URL parser, so these normalize into a scheme-relative
  // "//evil.com" after the leading-slash checks have already passed.
  it.each(["/.//evil.com", "/..//evil.com", "/orgs/..//evil.com", "/%2e//evil.com"])(
    "does not turn the dot-segment path %j into a link to another site",
    (attempt) => {
      const location = safeRedirect(attempt);
      expect(location.startsWith("//")).toBe(false);
      expect(landsOn(location).origin).toBe(SITE);
    },
  );
});
