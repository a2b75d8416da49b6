// Signed, httpOnly, SameSite=Lax cookie sessions: who is signed in, their current
// organization, and one-time flash messages.
import { createCookieSessionStorage, redirect, type Session } from "@remix-run/node";
import { getEnv } from "~/env.server";
import type { MessageKey, MessageParams } from "~/i18n/messages";
import { listMembershipsOfUser, type MembershipSummary } from "~/models/orgs.server";
import { getUserById, type PublicUser } from "~/models/users.server";
import type { Actor } from "~/models/errors";
import { safeRedirect } from "~/utils";

type SessionData = { userId: number; sessionVersion: number; orgId: number };
type FlashData = { toast: { key: MessageKey; params?: MessageParams; tone?: "success" | "error" } };

const SESSION_MAX_AGE = 60 * 60 * 24 * 30;

function makeStorage(secure: boolean) {
  return createCookieSessionStorage<SessionData, FlashData>({
    cookie: {
      name: "__session",
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure,
      secrets: [getEnv().SESSION_SECRET],
      maxAge: SESSION_MAX_AGE,
    },
  });
}

let storages:
  { secure: ReturnType<typeof makeStorage>; plain: ReturnType<typeof makeStorage> } | undefined;

/** Over HTTPS (directly or behind a proxy that says so) the cookie is marked Secure. */
function storageFor(request: Request) {
  storages ??= { secure: makeStorage(true), plain: makeStorage(false) };
  const isHttps = new URL(request.url).protocol === "https:";
  return isHttps || getEnv().BASE_URL.startsWith("https:") ? storages.secure : storages.plain;
}

export type AppSession = Session<SessionData, FlashData>;

export function getSession(request: Request): Promise<AppSession> {
  return storageFor(request).getSession(request.headers.get("Cookie"));
}

export function commitSession(request: Request, session: AppSession): Promise<string> {
  return storageFor(request).commitSession(session);
}

export type SessionUser = PublicUser & {
  memberships: MembershipSummary[];
  currentOrg: MembershipSummary | null;
  actor: Actor;
};

// The root loader and the page's loader both ask about the same Request: load the user once.
const usersByRequest = new WeakMap<Request, Promise<SessionUser | null>>();

/** The signed-in user with their organizations, or null; a stale session counts as none. */
export function getSessionUser(request: Request): Promise<SessionUser | null> {
  let user = usersByRequest.get(request);
  if (!user) usersByRequest.set(request, (user = loadSessionUser(request)));
  return user;
}

async function loadSessionUser(request: Request): Promise<SessionUser | null> {
  const session = await getSession(request);
  const userId = session.get("userId");
  if (typeof userId !== "number") return null;
  const user = await getUserById(userId);
  if (!user || user.session_version !== session.get("sessionVersion")) return null;
  const memberships = await listMembershipsOfUser(user.id);
  const wanted = session.get("orgId");
  const currentOrg = memberships.find((m) => m.orgId === wanted) ?? memberships[0] ?? null;
  return {
    ...user,
    memberships,
    currentOrg,
    actor: { id: user.id, isStaff: user.is_staff === 1, email: user.email, name: user.name },
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

export async function requireStaff(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (user.is_staff !== 1) throw new Response("Not found", { status: 404 });
  return user;
}

/**
 * Starts a fresh session for the user (the old cookie's contents are discarded, so a session
 * fixed before sign-in is never carried over) and redirects.
 */
export async function startUserSession(
  request: Request,
  { user, redirectTo, toast }: { user: PublicUser; redirectTo: string; toast?: FlashData["toast"] },
) {
  const storage = storageFor(request);
  const session = await storage.getSession();
  session.set("userId", user.id);
  session.set("sessionVersion", user.session_version);
  if (toast) session.flash("toast", toast);
  return redirect(safeRedirect(redirectTo), {
    headers: { "Set-Cookie": await storage.commitSession(session) },
  });
}

export async function endUserSession(request: Request, toast?: FlashData["toast"]) {
  const storage = storageFor(request);
  const session = await storage.getSession();
  if (toast) session.flash("toast", toast);
  return redirect("/", { headers: { "Set-Cookie": await storage.commitSession(session) } });
}

/** Redirects with a one-time message that the next page shows, with or without JavaScript. */
export async function redirectWithToast(
  request: Request,
  to: string,
  toast: FlashData["toast"],
  mutate?: (session: AppSession) => void,
) {
  const session = await getSession(request);
  session.flash("toast", toast);
  mutate?.(session);
  return redirect(to, { headers: { "Set-Cookie": await commitSession(request, session) } });
}
