// Builds real Fetch Requests for route loaders and actions, and carries cookies between them.
import type { AppLoadContext } from "@remix-run/node";
import { startUserSession } from "~/auth/session.server";
import type { PublicUser } from "~/models/users.server";

export const BASE = "http://broadly.test";

export function testContext(ip = "203.0.113.7"): AppLoadContext {
  return { ip, cspNonce: "test-nonce" };
}

export function formRequest(
  path: string,
  fields: Record<string, string>,
  { cookie, headers }: { cookie?: string; headers?: Record<string, string> } = {},
) {
  return new Request(`${BASE}${path}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      ...(cookie ? { Cookie: cookie } : {}),
      ...headers,
    },
  });
}

export function getRequest(
  path: string,
  { cookie, headers }: { cookie?: string; headers?: Record<string, string> } = {},
) {
  return new Request(`${BASE}${path}`, {
    headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers },
  });
}

/** The Cookie header a browser would send back after this response. */
export function cookieFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

/** A session cookie for the user, exactly as signing in (from that browser) would set it. */
export async function sessionCookieFor(
  user: PublicUser,
  { ip = "203.0.113.7", userAgent }: { ip?: string; userAgent?: string } = {},
): Promise<string> {
  const request = new Request(`${BASE}/signin`, {
    headers: userAgent ? { "User-Agent": userAgent } : {},
  });
  const response = await startUserSession(request, { user, ip, redirectTo: "/" });
  return cookieFrom(response);
}

/** Runs a loader or action and returns its Response, whether it returned or threw one. */
export async function run<T>(fn: () => Promise<T>): Promise<T | Response> {
  try {
    return await fn();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

type Unwrapped = { status: number; data: any; headers: Headers; response?: Response };

/**
 * Normalizes what a Remix loader or action produced: a Response (redirects), the result of
 * `data(value, init)`, or a plain object.
 */
export function unwrap(result: unknown): Unwrapped {
  if (result instanceof Response)
    return { status: result.status, data: null, headers: result.headers, response: result };
  if (
    result &&
    typeof result === "object" &&
    (result as { type?: string }).type === "DataWithResponseInit"
  ) {
    const { data, init } = result as { data: unknown; init: ResponseInit | null };
    return { status: init?.status ?? 200, data, headers: new Headers(init?.headers) };
  }
  return { status: 200, data: result, headers: new Headers() };
}
