// Who is signed in: a signed, httpOnly, SameSite=Lax cookie that carries only a session token,
// looked up in the sessions table. One-time messages (toasts) ride in a separate small signed
// cookie, so a visitor who is not signed in never costs a database row.
import { createCookie, redirect, type Cookie } from "@remix-run/node";
import { getEnv } from "~/env.server";
import type { MessageKey, MessageParams } from "~/i18n/messages";
import type { MembershipSummary } from "~/models/orgs.server";
import {
  createSession,
  deleteSessionByToken,
  findActiveSession,
  SESSION_TTL_MS,
  updateSessionData,
  type SessionData,
} from "~/models/sessions.server";
import type { PublicUser } from "~/models/users.server";
import { actorOf, type Actor } from "~/models/errors";
import { oncePerRequest } from "~/request-scope.server";
import { safeRedirect } from "~/utils";

export type Toast = { key: MessageKey; params?: MessageParams; tone?: "success" | "error" };

function makeCookies(secure: boolean) {
  const common = {
    httpOnly: true,
    sameSite: "lax" as const,
    path: "/",
    secure,
    secrets: [getEnv().SESSION_SECRET],
  };
  return {
    session: createCookie("__session", { ...common, maxAge: SESSION_TTL_MS / 1000 }),
    flash: createCookie("__flash", common),
  };
}

let cookies: { secure: ReturnType<typeof makeCookies>; plain: ReturnType<typeof makeCookies> };

/** Over HTTPS (directly or behind a proxy that says so) the cookies are marked Secure. */
function cookiesFor(request: Request) {
  cookies ??= { secure: makeCookies(true), plain: makeCookies(false) };
  const isHttps = new URL(request.url).protocol === "https:";
  return isHttps || getEnv().BASE_URL.startsWith("https:") ? cookies.secure : cookies.plain;
}

/** The session token in the request's cookie, when its signature is good. */
async function tokenOf(request: Request): Promise<string | null> {
  const value: unknown = await cookiesFor(request).session.parse(request.headers.get("Cookie"));
  return typeof value === "string" && value ? value : null;
}

/** The Set-Cookie value that makes the browser drop the cookie. */
function clearing(cookie: Cookie): Promise<string> {
  return cookie.serialize("", { maxAge: 0 });
}

export type SessionUser = PublicUser & {
  memberships: MembershipSummary[];
  currentOrg: MembershipSummary | null;
  actor: Actor;
  /** The id of this browser's session row (not its token): marks "this device". */
  sessionId: string;
  sessionData: SessionData;
};

// The root loader and the page's loader both ask who is signed in: on a GET they share one
// read per HTTP request (Remix gives each loader its own Request object, so a memo keyed on it
// alone never hits). Not on a POST: a document POST runs the action and then the loaders in one
// HTTP request, and the action may have signed in, out or switched organization in between.
const usersByRequest = new WeakMap<Request, Promise<SessionUser | null>>();

/** The signed-in user with their organizations, or null; an ended session counts as none. */
export function getSessionUser(request: Request): Promise<SessionUser | null> {
  if (request.method === "GET" || request.method === "HEAD") {
    return oncePerRequest(`session-user ${request.headers.get("Cookie") ?? ""}`, () =>
      loadSessionUser(request),
    );
  }
  let user = usersByRequest.get(request);
  if (!user) usersByRequest.set(request, (user = loadSessionUser(request)));
  return user;
}

async function loadSessionUser(request: Request): Promise<SessionUser | null> {
  const token = await tokenOf(request);
  if (!token) return null;
  const session = await findActiveSession(token);
  if (!session) return null;
  const { user, memberships } = session;
  const wanted = session.data.orgId;
  const currentOrg = memberships.find((m) => m.orgId === wanted) ?? memberships[0] ?? null;
  return {
    ...user,
    memberships,
    currentOrg,
    actor: actorOf(user),
    sessionId: session.id,
    sessionData: session.data,
  };
}

function signInUrl(request: Request): string {
  const url = new URL(request.url);
  const back = url.pathname.replace(/\.data$/, "") + url.search;
  return `/signin?${new URLSearchParams({ redirectTo: back })}`;
}

/** The signed-in user; anyone else is sent to sign in and brought back afterwards. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getSessionUser(request);
  if (!user) throw redirect(signInUrl(request));
  return user;
}

/** The Set-Cookie value that shows the toast on the next page, with or without JavaScript. */
export function flashToast(request: Request, toast: Toast): Promise<string> {
  return cookiesFor(request).flash.serialize(toast);
}

/** The toast waiting for this page, and the Set-Cookie that clears it (null when none). */
export async function takeToast(
  request: Request,
): Promise<{ toast: Toast | null; setCookie: string | null }> {
  const { flash } = cookiesFor(request);
  const value: unknown = await flash.parse(request.headers.get("Cookie"));
  if (!value || typeof value !== "object" || !("key" in value)) {
    return { toast: null, setCookie: null };
  }
  return { toast: value as Toast, setCookie: await clearing(flash) };
}

/**
 * Starts a new session for the user and redirects. The token is always new, and a session the
 * browser carried before is ended, so a session fixed before sign-in is never carried over.
 */
export async function startUserSession(
  request: Request,
  {
    user,
    ip,
    redirectTo,
    toast,
  }: { user: PublicUser; ip: string | null; redirectTo: string; toast?: Toast },
) {
  const previous = await tokenOf(request);
  if (previous) await deleteSessionByToken(previous);
  const { token } = await createSession({
    userId: user.id,
    ip,
    userAgent: request.headers.get("User-Agent"),
  });
  const { session } = cookiesFor(request);
  const headers = new Headers();
  headers.append("Set-Cookie", await session.serialize(token));
  if (toast) headers.append("Set-Cookie", await flashToast(request, toast));
  return redirect(safeRedirect(redirectTo), { headers });
}

/** Signing out: the session row is deleted, so this cookie, or a copy of it, stops working. */
export async function endUserSession(request: Request, toast?: Toast) {
  const token = await tokenOf(request);
  if (token) await deleteSessionByToken(token);
  const headers = new Headers();
  headers.append("Set-Cookie", await clearing(cookiesFor(request).session));
  if (toast) headers.append("Set-Cookie", await flashToast(request, toast));
  return redirect("/", { headers });
}

/** What an action may change in the signed-in session: the organization the user acts for. */
export type SessionChanges = { set(key: "orgId", orgId: number): void };

/** Redirects with a one-time message; `change` may also pick the user's current organization. */
export async function redirectWithToast(
  request: Request,
  to: string,
  toast: Toast,
  change?: (session: SessionChanges) => void,
) {
  if (change) {
    const user = await requireUser(request);
    const data: SessionData = { ...user.sessionData };
    change({ set: (_key, orgId) => (data.orgId = orgId) });
    await updateSessionData(user.sessionId, data);
  }
  return redirect(to, { headers: { "Set-Cookie": await flashToast(request, toast) } });
}
