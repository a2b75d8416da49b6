// `tsx db/bench-data.ts <file> [--scale=1]`: writes the benchmark data set of design.md into its
// own SQLite file: 100,000 requests, 2,000,000 votes from 50,000 users in 5,000 organizations,
// 300,000 comments, with every counter, counter table and the search index consistent, as the
// app's own transactions would have left them. Deterministic (fixed seed); replaces the file.
//
// Written straight through better-sqlite3 prepared statements in large transactions, with the
// secondary indexes dropped during the load and rebuilt after it.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import {
  SEARCH_INDEX_VERSION,
  SEARCH_INDEX_VERSION_KEY,
  searchDocument,
} from "~/models/search.server";
import { hashPassword } from "~/models/passwords.server";
import { trendingWindowStart } from "~/models/votes.server";
import {
  decisionAfter,
  REQUEST_STATUSES,
  TRANSITIONS,
  type RequestDecision,
  type RequestStatus,
} from "~/models/request-status";
import { migrateDatabaseFile } from "./migrator.js";
import { DEMO_CATEGORIES } from "./categories";

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--"));
if (!file) {
  console.error("usage: tsx db/bench-data.ts <file.sqlite> [--scale=1]");
  process.exit(2);
}
const scaleArg = args.find((a) => a.startsWith("--scale="));
const SCALE = scaleArg ? Number(scaleArg.slice("--scale=".length)) : 1;
if (!(SCALE > 0 && SCALE <= 1)) throw new Error("--scale must be in (0, 1]");

const BENCH_PASSWORD = "bench-pass-1234";
const N_USERS = Math.round(50_000 * SCALE);
const N_STAFF = 20;
const N_ORGS = Math.max(2, Math.round(5_000 * SCALE));
const N_REQUESTS = Math.round(100_000 * SCALE);
const N_VOTES = Math.round(2_000_000 * SCALE);
const N_COMMENTS = Math.round(300_000 * SCALE);
const HISTORY_DAYS = 3 * 365;
const DAY_MS = 86_400_000;
const NOW = Date.now();

const started = performance.now();
let lap = started;
function timing(label: string) {
  const t = performance.now();
  console.log(`${label.padEnd(44)} ${((t - lap) / 1000).toFixed(2).padStart(7)} s`);
  lap = t;
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

let seed = 0x5eed_b0a7;
function random(): number {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(list: readonly T[]): T => list[int(list.length)];
const iso = (ms: number) => new Date(ms).toISOString();
function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

// ---------------------------------------------------------------------------------------------
// Words

const HE_ACTIONS = [
  "הוספת",
  "ייצוא",
  "ייבוא",
  "שליחת",
  "הפקת",
  "סנכרון",
  "תמיכה ב",
  "אפשרות ל",
  "שיפור",
  "הצגת",
  "חיפוש",
  "סינון",
  "מיון",
  "הדפסת",
  "עריכת",
  "מחיקת",
  "שכפול",
  "תזכורת על",
  "התראה על",
  "חיבור",
  "ארכוב",
  "איחוד",
  "עדכון אוטומטי של",
  "חתימה דיגיטלית על",
  "תבנית ל",
];
const HE_OBJECTS = [
  "חשבונית",
  "חשבוניות מס",
  "חשבונית מס קבלה",
  "קבלות",
  "הצעות מחיר",
  "לקוחות",
  "ספקים",
  "מלאי",
  "מוצרים",
  'דוח מע"מ',
  "דוחות רווח והפסד",
  "תשלומים",
  "הוראות קבע",
  "תשלום בכרטיס אשראי",
  "העברה בנקאית",
  "הנהלת חשבונות",
  "אנשי קשר",
  "הזמנות",
  "משלוחים",
  "תעודות משלוח",
  "התאמות בנק",
  "כרטסת לקוח",
  "חשבונות עסקה",
  "יומן פגישות",
  "עובדים",
  "שעות עבודה",
  "קופה רושמת",
  "מחירונים",
  "הנחות",
  "זיכויים",
];
const HE_QUALIFIERS = [
  "לאקסל",
  "במייל",
  "בוואטסאפ",
  "בנייד",
  "לפי תאריך",
  "לרואה החשבון",
  "באופן אוטומטי",
  "בכמה מטבעות",
  "עם הלוגו שלנו",
  "באנגלית",
  "כקובץ PDF",
  "מהאפליקציה",
  "לכל הסניפים",
  "בתחילת כל חודש",
  "ללקוחות קבועים",
  "והחשבוניות",
  "בחשבונית",
  "מהבנק",
  "לפי סוכן",
  "לפי פרויקט",
  "",
];
const HE_SENTENCES = [
  "כרגע אנחנו עושים את זה ידנית וזה לוקח הרבה זמן.",
  "זה חשוב במיוחד בסוף החודש כשצריך להגיש דוחות.",
  "גם הלקוחות שלנו ביקשו את זה כמה פעמים.",
  "נשמח אם זה יעבוד גם באפליקציה לנייד.",
  "רואה החשבון שלנו צריך את הנתונים בפורמט אחר.",
  "בתוכנות אחרות זה קיים כבר שנים.",
  "אנחנו מפיקים מאות חשבוניות בחודש וכל דקה חשובה.",
  "כשהלקוח משלם בהעברה בנקאית קשה לדעת לאיזו חשבונית התשלום שייך.",
  "הייתי מוכן לשלם על זה תוספת.",
  "זה יחסוך לנו טעויות בהקלדה.",
  "ולפעמים צריך לשלוח את המסמך שוב ללקוח.",
  "בלי זה אנחנו נאלצים לנהל טבלה נפרדת.",
];
const EN_ACTIONS = [
  "Export",
  "Import",
  "Send",
  "Sync",
  "Print",
  "Filter",
  "Sort",
  "Search",
  "Duplicate",
  "Schedule",
  "Archive",
  "Bulk edit",
  "Show",
  "Merge",
  "Sign",
  "Attach files to",
  "Reminders for",
  "Templates for",
  "Approve",
  "Split",
];
const EN_OBJECTS = [
  "invoices",
  "receipts",
  "quotes",
  "customers",
  "suppliers",
  "inventory",
  "products",
  "reports",
  "VAT reports",
  "payments",
  "standing orders",
  "credit card payments",
  "bank transfers",
  "contacts",
  "orders",
  "shipments",
  "delivery notes",
  "bank reconciliations",
  "price lists",
  "discounts",
  "credit notes",
  "timesheets",
];
const EN_QUALIFIERS = [
  "to Excel",
  "by e-mail",
  "via WhatsApp",
  "on mobile",
  "by date",
  "for the accountant",
  "automatically",
  "in multiple currencies",
  "with our logo",
  "in Hebrew",
  "as PDF",
  "from the app",
  "for all branches",
  "at the start of every month",
  "per project",
  "per sales agent",
  "",
];
const EN_SENTENCES = [
  "Right now we do this by hand and it takes hours.",
  "This matters most at the end of the month when reports are due.",
  "Our customers have asked for it several times.",
  "It would be great if it also worked in the mobile app.",
  "Our accountant needs the data in a different format.",
  "Other tools have had this for years.",
  "We issue hundreds of invoices a month, so every minute counts.",
  "When a customer pays by bank transfer it is hard to match the payment to an invoice.",
  "We would happily pay extra for this.",
  "It would save us typing mistakes.",
  "Without it we keep a separate spreadsheet.",
];
const ORG_WORDS_HE = [
  "אלפא",
  "גלובוס",
  "אורן",
  "ים",
  "כרמל",
  "נגב",
  "שקד",
  "תמר",
  "ארז",
  "רימון",
  "דקל",
  "גפן",
];
const ORG_WORDS_EN = [
  "Acme",
  "Globex",
  "Initech",
  "Umbrella",
  "Stark",
  "Wayne",
  "Hooli",
  "Vandelay",
  "Soylent",
  "Tyrell",
];
const ORG_KINDS = ["Ltd", "בע״מ", "Group", "שירותים", "Solutions", "סחר", "Tech", "הנדסה"];
const FIRST_NAMES = [
  "Dana",
  "Omer",
  "Noa",
  "Yossi",
  "Maya",
  "Avi",
  "Shira",
  "Eitan",
  "Tamar",
  "Roni",
  "Lior",
  "Gal",
  "Sarah",
  "David",
  "Miriam",
];
const LAST_NAMES = [
  "Cohen",
  "Levi",
  "Mizrahi",
  "Peretz",
  "Biton",
  "Friedman",
  "Azoulay",
  "Katz",
  "Shapiro",
  "Dahan",
];
const CATEGORIES = DEMO_CATEGORIES;
/** Share of each category, in the order above. */
const CATEGORY_WEIGHTS = [0.24, 0.16, 0.18, 0.1, 0.1, 0.08, 0.08, 0.06];

type Status = RequestStatus;
const STATUS_SHARES: [Status, number][] = Object.entries({
  open: 0.72,
  planned: 0.07,
  in_progress: 0.04,
  shipped: 0.08,
  declined: 0.04,
  already_exists: 0.02,
  merged: 0.01,
  quoted: 0.01,
  funded: 0.01,
} satisfies Record<Status, number>) as [Status, number][];

/** The statuses a request went through to reach its current one: the shortest legal path. */
function statusPath(status: Status): Status[] {
  const queue: Status[][] = [["open"]];
  for (let path = queue.shift(); path; path = queue.shift()) {
    const last = path[path.length - 1];
    if (last === status) return path;
    for (const next of TRANSITIONS[last]) if (!path.includes(next)) queue.push([...path, next]);
  }
  throw new Error(`bench data: no legal path to ${status}`);
}
const STATUS_PATHS = Object.fromEntries(
  REQUEST_STATUSES.map((status) => [status, statusPath(status)]),
) as Record<Status, Status[]>;
/** The decision a request at the end of its path carries, as the triage moves record it. */
const DECISIONS = Object.fromEntries(
  REQUEST_STATUSES.map((status) => [
    status,
    STATUS_PATHS[status].reduce<RequestDecision | null>((d, to) => decisionAfter(to, d), null),
  ]),
) as Record<Status, RequestDecision | null>;

function weighted<T>(pairs: [T, number][]): T {
  let r = random();
  for (const [value, weight] of pairs) {
    r -= weight;
    if (r < 0) return value;
  }
  return pairs[pairs.length - 1][0];
}

function makeTitle(hebrew: boolean): string {
  let title: string;
  if (hebrew) {
    // "תמיכה ב" + "חשבונית" is written glued: "תמיכה בחשבונית".
    const action = pick(HE_ACTIONS);
    title = `${action}${/ [בל]$/.test(action) ? "" : " "}${pick(HE_OBJECTS)} ${pick(HE_QUALIFIERS)}`;
  } else {
    title = `${pick(EN_ACTIONS)} ${pick(EN_OBJECTS)} ${pick(EN_QUALIFIERS)}`;
  }
  const clean = title.replace(/\s+/g, " ").trim();
  return clean.length >= 8 ? clean : `${clean} ${hebrew ? "בבקשה" : "please"}`;
}

function makeBody(hebrew: boolean, sentences = 1 + int(3)): string {
  const pool = hebrew ? HE_SENTENCES : EN_SENTENCES;
  const parts: string[] = [];
  for (let i = 0; i < sentences; i++) parts.push(pick(pool));
  return parts.join(" ");
}

// ---------------------------------------------------------------------------------------------
// The file

const target = path.resolve(file);
for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(target + suffix, { force: true });
await migrateDatabaseFile(target);
timing("migrations");

const db = new Database(target);
db.pragma("journal_mode = DELETE");
db.pragma("synchronous = OFF");
db.pragma("foreign_keys = OFF");
db.pragma("cache_size = -400000");
db.pragma("temp_store = MEMORY");
db.pragma("locking_mode = EXCLUSIVE");

// Secondary indexes are rebuilt once at the end: much faster than maintaining them row by row.
const droppedIndexes = db
  .prepare(
    `select name, sql from sqlite_master where type = 'index' and sql is not null
     and tbl_name in ('users', 'memberships', 'requests', 'votes', 'request_vote_days', 'comments', 'status_events')`,
  )
  .all() as { name: string; sql: string }[];
for (const index of droppedIndexes) db.exec(`drop index "${index.name}"`);

const passwordHash = await hashPassword(BENCH_PASSWORD);

// Categories (the same as the demo seed), organizations, users and memberships.
const insertCategory = db.prepare(
  "insert into categories (slug, name_he, name_en, position) values (?, ?, ?, ?)",
);
const insertOrg = db.prepare(
  "insert into organizations (id, slug, name, created_by, created_at) values (?, ?, ?, null, ?)",
);
const insertUser = db.prepare(
  `insert into users (id, email, name, password_hash, locale, is_staff, staff_role, email_verified_at, created_at, updated_at)
   values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
const insertMembership = db.prepare(
  "insert into memberships (org_id, user_id, role, created_at) values (?, ?, ?, ?)",
);

/** Each customer's organization (the one their votes count for); 0 for staff. */
const orgOfUser = new Int32Array(N_USERS + 1);
db.transaction(() => {
  CATEGORIES.forEach(([slug, he, en], i) => insertCategory.run(slug, he, en, i + 1));
  const founded = iso(NOW - (HISTORY_DAYS + 30) * DAY_MS);
  for (let org = 1; org <= N_ORGS; org++) {
    const name =
      random() < 0.5
        ? `${pick(ORG_WORDS_HE)} ${pick(ORG_WORDS_HE)} ${pick(ORG_KINDS)}`
        : `${pick(ORG_WORDS_EN)} ${pick(ORG_WORDS_EN)} ${pick(ORG_KINDS)}`;
    insertOrg.run(org, `bench-org-${org}`, `${name} ${org}`, founded);
  }
  const adminSeen = new Uint8Array(N_ORGS + 1);
  for (let user = 1; user <= N_USERS; user++) {
    const isStaff = user <= N_STAFF;
    const name = `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`;
    insertUser.run(
      user,
      isStaff ? `staff${user}@bench.test` : `user${user}@bench.test`,
      name,
      passwordHash,
      random() < 0.7 ? "he" : "en",
      isStaff ? 1 : 0,
      isStaff ? "member" : null,
      founded,
      founded,
      founded,
    );
    if (isStaff) continue;
    const org = 1 + ((user - N_STAFF - 1) % N_ORGS);
    orgOfUser[user] = org;
    insertMembership.run(org, user, adminSeen[org] ? "member" : "admin", founded);
    adminSeen[org] = 1;
    // Some people also belong to a second organization (accountants, consultants).
    if (random() < 0.08) {
      const second = 1 + int(N_ORGS);
      if (second !== org) insertMembership.run(second, user, "member", founded);
    }
  }
  // A fifth of the users opted in to product news (the announcement bench e-mails them).
  db.exec("update users set notify_news = 1 where id % 5 = 0 and is_staff = 0");
  // Written row by row above, so counted once here (the models keep it exact from then on).
  db.exec(`update organizations set member_count =
    (select count(*) from memberships where memberships.org_id = organizations.id)`);
})();
timing(`users ${N_USERS}, organizations ${N_ORGS}`);

// ---------------------------------------------------------------------------------------------
// Requests: who, when, what status, how many votes and comments.

const customers = Array.from({ length: N_USERS - N_STAFF }, (_, i) => N_STAFF + 1 + i);
const createdAt = new Float64Array(N_REQUESTS + 1);
const status: Status[] = new Array(N_REQUESTS + 1);
const author = new Int32Array(N_REQUESTS + 1);
const category = new Uint8Array(N_REQUESTS + 1);
const voteTarget = new Int32Array(N_REQUESTS + 1);
const commentTarget = new Int32Array(N_REQUESTS + 1);

const historyStart = NOW - HISTORY_DAYS * DAY_MS;
const slot = (HISTORY_DAYS * DAY_MS) / N_REQUESTS;
let weightSum = 0;
const weight = new Float64Array(N_REQUESTS + 1);
for (let r = 1; r <= N_REQUESTS; r++) {
  createdAt[r] = Math.floor(historyStart + (r - 1) * slot + random() * slot * 0.9);
  status[r] = weighted(STATUS_SHARES);
  author[r] = random() < 0.02 ? 1 + int(N_STAFF) : pick(customers);
  category[r] = 1 + weighted(CATEGORY_WEIGHTS.map((w, i) => [i, w] as [number, number]));
  // Popularity is heavy-tailed (Pareto, alpha 1.2): a few requests gather thousands of votes.
  weight[r] = status[r] === "merged" ? 0 : Math.pow(1 - random(), -1 / 1.2);
  weightSum += weight[r];
}
// Votes per request: the author's one plus a share of the rest proportional to popularity,
// capped by the number of people; the rounding remainder goes to random requests.
const maxVoters = customers.length - 1;
let assigned = 0;
for (let r = 1; r <= N_REQUESTS; r++) {
  if (status[r] === "merged") continue; // their votes moved to the request they were merged into
  voteTarget[r] = Math.min(
    maxVoters,
    1 + Math.floor(((N_VOTES - N_REQUESTS) * weight[r]) / weightSum),
  );
  assigned += voteTarget[r];
}
while (assigned < N_VOTES) {
  const r = 1 + int(N_REQUESTS);
  if (status[r] === "merged" || voteTarget[r] >= maxVoters) continue;
  voteTarget[r]++;
  assigned++;
}
// Comments go where the votes are.
const cumulativeVotes = new Float64Array(N_REQUESTS + 1);
for (let r = 1; r <= N_REQUESTS; r++) cumulativeVotes[r] = cumulativeVotes[r - 1] + voteTarget[r];
for (let c = 0; c < N_COMMENTS; c++) {
  const x = random() * cumulativeVotes[N_REQUESTS];
  let lo = 1;
  let hi = N_REQUESTS;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulativeVotes[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  commentTarget[lo]++;
}
timing("planned requests, votes and comments");

// ---------------------------------------------------------------------------------------------
// The load: each request with its votes, follows, counter rows, timeline, comments and index row.

const insertRequest = db.prepare(
  `insert into requests (id, title, body_md, category_id, author_id, org_id, status, decision, merged_into_id,
     vote_count, org_count, comment_count, follower_count, recent_vote_count, created_at, updated_at, shipped_at)
   values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
const insertVote = db.prepare(
  "insert into votes (request_id, user_id, org_id, created_at, recorded_by, source) values (?, ?, ?, ?, ?, ?)",
);
const VOTE_SOURCES = ["email", "whatsapp", "call", "meeting"] as const;
/**
 * About one vote in 50 was recorded by staff from what the customer said (the demand view marks
 * them); picked by a hash of the pair rather than by random(), so the rest of the data stays
 * as it was.
 */
function recordedVote(request: number, user: number): [number, string] | [null, null] {
  const hash = Math.imul(user, 2654435761) ^ Math.imul(request, 40503);
  if ((hash >>> 0) % 50 !== 0) return [null, null];
  return [1 + ((hash >>> 8) % N_STAFF), VOTE_SOURCES[(hash >>> 16) % VOTE_SOURCES.length]];
}
const insertFollow = db.prepare(
  "insert into follows (request_id, user_id, created_at) values (?, ?, ?)",
);
const insertOrgVotes = db.prepare(
  "insert into request_org_votes (request_id, org_id, votes) values (?, ?, ?)",
);
const insertVoteDay = db.prepare(
  "insert into request_vote_days (request_id, day, votes) values (?, ?, ?)",
);
const insertEvent = db.prepare(
  "insert into status_events (request_id, actor_id, from_status, to_status, note, created_at) values (?, ?, ?, ?, ?, ?)",
);
const insertComment = db.prepare(
  `insert into comments (request_id, author_id, org_id, body_md, is_internal, is_official, created_at, edited_at, deleted_at)
   values (?, ?, ?, ?, ?, ?, ?, null, ?)`,
);
const insertFts = db.prepare(
  "insert into requests_fts (rowid, title, body, stems) values (?, ?, ?, ?)",
);

// Votes on days inside the trending window get day buckets, as the app's votes would.
const windowStart = trendingWindowStart(new Date(NOW));
const nonStaffCount = customers.length;
const totals = { votes: 0, comments: 0, events: 0, recent: 0 };

function loadRequest(r: number) {
  const created = createdAt[r];
  const hebrew = random() < 0.6;
  const title = makeTitle(hebrew);
  const body = makeBody(hebrew);
  const authorId = author[r];
  const authorOrg = orgOfUser[authorId] || null;

  // Voters: the author, then distinct customers walked with a stride coprime to their number.
  const voters: number[] = [];
  const n = voteTarget[r];
  if (n > 0) {
    voters.push(authorId);
    let step = 1 + int(nonStaffCount - 1);
    while (gcd(step, nonStaffCount) !== 1) step++;
    let at = int(nonStaffCount);
    while (voters.length < n) {
      const user = customers[at];
      at = (at + step) % nonStaffCount;
      if (user !== authorId) voters.push(user);
    }
  }
  const orgVotes = new Map<number, number>();
  const days = new Map<string, number>();
  const voteRows: [number, number | null, number][] = [];
  for (let i = 0; i < voters.length; i++) {
    const user = voters[i];
    // Most votes come soon after a request appears; some keep trickling in.
    const when = i === 0 ? created : Math.floor(created + (NOW - created) * Math.pow(random(), 3));
    const org = orgOfUser[user] || null;
    voteRows.push([user, org, when]);
    if (org) orgVotes.set(org, (orgVotes.get(org) ?? 0) + 1);
    const day = iso(when).slice(0, 10);
    if (day >= windowStart) days.set(day, (days.get(day) ?? 0) + 1);
  }
  voteRows.sort((a, b) => a[0] - b[0]);
  for (const [user, org, when] of voteRows) {
    const at = iso(when);
    insertVote.run(r, user, org, at, ...recordedVote(r, user));
    insertFollow.run(r, user, at);
  }
  for (const [org, votes] of [...orgVotes].sort((a, b) => a[0] - b[0]))
    insertOrgVotes.run(r, org, votes);
  let recent = 0;
  for (const [day, votes] of days) {
    insertVoteDay.run(r, day, votes);
    recent += votes;
  }

  // The timeline, spread between creation and now.
  const path = STATUS_PATHS[status[r]];
  let eventAt = created;
  let previous: Status | null = null;
  let shippedAt: string | null = null;
  for (const to of path) {
    if (previous) eventAt = Math.floor(eventAt + (NOW - eventAt) * random() * 0.5);
    insertEvent.run(r, previous ? 1 + int(N_STAFF) : authorId, previous, to, null, iso(eventAt));
    if (to === "shipped") shippedAt = iso(eventAt);
    previous = to;
  }
  totals.events += path.length;

  // Comments, oldest first; a few are staff answers, internal notes, or deleted.
  let commentCount = 0;
  const times: number[] = [];
  for (let c = 0; c < commentTarget[r]; c++)
    times.push(Math.floor(created + (NOW - created) * random()));
  times.sort((a, b) => a - b);
  for (const when of times) {
    const byStaff = random() < 0.12;
    const internal = byStaff && random() < 0.3;
    const deleted = random() < 0.01;
    const commenter = byStaff ? 1 + int(N_STAFF) : pick(customers);
    insertComment.run(
      r,
      commenter,
      byStaff ? null : orgOfUser[commenter],
      makeBody(hebrew, 1 + int(2)),
      internal ? 1 : 0,
      byStaff && !internal ? 1 : 0,
      iso(when),
      deleted ? iso(when + 60_000) : null,
    );
    if (!internal && !deleted) commentCount++;
  }
  totals.comments += times.length;

  const mergedInto =
    status[r] === "merged" ? Math.max(1, r - 1 - int(Math.min(r - 1, 5000))) : null;
  insertRequest.run(
    r,
    title,
    body,
    category[r],
    authorId,
    authorOrg,
    status[r],
    DECISIONS[status[r]],
    mergedInto === r ? null : mergedInto,
    voters.length,
    orgVotes.size,
    commentCount,
    voters.length,
    recent,
    iso(created),
    iso(eventAt),
    shippedAt,
  );
  const doc = searchDocument(title, body);
  insertFts.run(r, doc.title, doc.body, doc.stems);
  totals.votes += voters.length;
  totals.recent += recent;
}

const BATCH = 5_000;
for (let from = 1; from <= N_REQUESTS; from += BATCH) {
  db.transaction(() => {
    for (let r = from; r < Math.min(from + BATCH, N_REQUESTS + 1); r++) loadRequest(r);
  })();
}
db.exec("update sqlite_sequence set seq = (select max(id) from requests) where name = 'requests'");
timing(`requests ${N_REQUESTS}, votes ${totals.votes}, comments ${totals.comments}`);

for (const index of droppedIndexes) db.exec(index.sql);
timing(`rebuilt ${droppedIndexes.length} indexes`);

db.exec("insert into requests_fts (requests_fts) values ('optimize')");
// Written by this version of the app's searchDocument(): the server need not rebuild it.
db.prepare("insert or replace into settings (key, value) values (?, ?)").run(
  SEARCH_INDEX_VERSION_KEY,
  SEARCH_INDEX_VERSION,
);
timing("merged the search index");

db.pragma("journal_mode = WAL");
db.close();
const size = fs.statSync(target).size;
console.log(
  `Wrote ${target} (${(size / 1024 / 1024).toFixed(0)} MiB) in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
    `${N_REQUESTS} requests, ${totals.votes} votes (${totals.recent} in the trending window), ${totals.comments} comments, ` +
    `${totals.events} status events, ${N_USERS} users (password ${BENCH_PASSWORD}), ${N_ORGS} organizations.`,
);
