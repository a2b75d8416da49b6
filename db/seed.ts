// `npm run db:seed`: the demo data of design.md. Safe to run again: it adds only what is missing
// (the requests, with their votes, comments and timelines, only when none of them is there yet).
// Demo accounts keep no saved language, so each visitor sees the language of their browser or
// of the header's switch. Deterministic: the same demo on every run, times relative to now.
import type { RequestStatus } from "~/db.server";
import type { Decision } from "~/models/triage.server";
import type { QuoteInput } from "~/models/quotes.server";
import { actorOf, type Actor } from "~/models/errors";
import { migrateDatabaseFile } from "./migrator.js";
import { DEMO_CATEGORIES } from "./categories";
import { databaseFileFromUrl } from "./sqlite.js";

await migrateDatabaseFile(process.env.DATABASE_URL);

const { getDb, now } = await import("~/db.server");
const { createUser, getUserByEmail } = await import("~/models/users.server");
const { hashPassword } = await import("~/models/passwords.server");
const { addMembership } = await import("~/models/memberships.server");
const { createRequest, REQUEST_STATUSES } = await import("~/models/requests.server");
const { recountRequestCounters, toggleVote } = await import("~/models/votes.server");
const { addComment } = await import("~/models/comments.server");
const { changeStatus, decideRequest, mergeRequest } = await import("~/models/triage.server");
const { reindexStaleSearch } = await import("~/models/search.server");
const { acceptQuote, expireQuotes, israelDay, saveQuote } = await import("~/models/quotes.server");
const { createAnnouncement, publishAnnouncement } = await import("~/models/announcements.server");
const { savePreferences } = await import("~/models/notification-prefs.server");

export const DEMO_PASSWORD = "demo-pass-1234";

const db = getDb();

const accounts = [
  { email: "staff@broadly.test", name: "Shira Staff", isStaff: true, staffRole: "admin" },
  { email: "dana@acme.test", name: "Dana Cohen" },
  { email: "omer@acme.test", name: "Omer Levi" },
  { email: "noa@globex.test", name: "Noa Mizrahi" },
] as const;

const users = new Map<string, number>();
for (const account of accounts) {
  const existing = await getUserByEmail(account.email);
  const user =
    existing ??
    (await createUser({
      name: account.name,
      email: account.email,
      password: DEMO_PASSWORD,
      isStaff: "isStaff" in account ? account.isStaff : false,
      staffRole: "staffRole" in account ? account.staffRole : null,
    }));
  users.set(account.email, user.id);
}

const organizations = [
  {
    slug: "acme",
    name: "Acme Ltd",
    members: [
      ["dana@acme.test", "admin"],
      ["omer@acme.test", "member"],
    ],
  },
  { slug: "globex", name: "Globex", members: [["noa@globex.test", "admin"]] },
] as const;

/** The organization with this slug, created (with its members) when it is missing. */
async function ensureOrganization(
  spec: { slug: string; name: string; members: readonly (readonly [string, "admin" | "member"])[] },
  createdAt: (memberIndex: number) => string,
) {
  let org = await db
    .selectFrom("organizations")
    .selectAll()
    .where("slug", "=", spec.slug)
    .executeTakeFirst();
  org ??= await db
    .insertInto("organizations")
    .values({
      slug: spec.slug,
      name: spec.name,
      created_by: users.get(spec.members[0][0]) ?? null,
      created_at: createdAt(0),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (const [index, [email, role]] of spec.members.entries()) {
    const orgId = org.id;
    await db
      .transaction()
      .execute((trx) =>
        addMembership(trx, { orgId, userId: users.get(email)!, role, createdAt: createdAt(index) }),
      );
  }
}

for (const spec of organizations) await ensureOrganization(spec, () => now());

const categories = DEMO_CATEGORIES;

for (const [index, [slug, nameHe, nameEn]] of categories.entries()) {
  await db
    .insertInto("categories")
    .values({ slug, name_he: nameHe, name_en: nameEn, position: index + 1 })
    .onConflict((oc) => oc.column("slug").doNothing())
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Customer organizations besides Acme and Globex, so that votes come from several of them.
// Their members share the demo password (hashed once: argon2 is the slow part) and keep no
// saved language. Avi, a bookkeeper, belongs to two of them.

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const seedNow = Date.now();
const iso = (ms: number) => new Date(Math.round(ms)).toISOString();
const daysAgo = (days: number) => seedNow - days * DAY;

/** A small deterministic PRNG (mulberry32), so the demo looks the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const random = seededRandom(0xb10ad1);

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

const customers = [
  ["yossi@bakery.test", "יוסי אברהם"],
  ["miri@bakery.test", "מירי אברהם"],
  ["avi@bakery.test", "אבי ששון"],
  ["ronit@initech.test", "Ronit Shalev"],
  ["eitan@initech.test", "Eitan Katz"],
  ["gal@initech.test", "Gal Ben-David"],
  ["maya@lotus.test", "מאיה גולן"],
  ["lior@lotus.test", "ליאור פרץ"],
  ["tamar@hooli.test", "Tamar Friedman"],
  ["yael@hooli.test", "Yael Azoulay"],
  ["idan@hooli.test", "Idan Peretz"],
  ["nir@hooli.test", "Nir Biton"],
  ["orit@or-clinic.test", "אורית שמש"],
  ["ronen@or-clinic.test", "רונן דהן"],
  ["shani@or-clinic.test", "שני מלכה"],
] as const;

const customerOrganizations = [
  {
    slug: "bakery",
    name: "מאפיית השכונה",
    ageDays: 230,
    members: [
      ["yossi@bakery.test", "admin"],
      ["miri@bakery.test", "member"],
      ["avi@bakery.test", "member"],
    ],
  },
  {
    slug: "initech",
    name: "Initech",
    ageDays: 220,
    members: [
      ["ronit@initech.test", "admin"],
      ["eitan@initech.test", "member"],
      ["gal@initech.test", "member"],
    ],
  },
  {
    slug: "lotus",
    name: "סטודיו לוטוס",
    ageDays: 205,
    members: [
      ["maya@lotus.test", "admin"],
      ["lior@lotus.test", "member"],
      ["avi@bakery.test", "member"],
    ],
  },
  {
    slug: "hooli",
    name: "Hooli Israel",
    ageDays: 200,
    members: [
      ["tamar@hooli.test", "admin"],
      ["yael@hooli.test", "member"],
      ["idan@hooli.test", "member"],
      ["nir@hooli.test", "member"],
    ],
  },
  {
    slug: "or-clinic",
    name: "קליניקת אור",
    ageDays: 190,
    members: [
      ["orit@or-clinic.test", "admin"],
      ["ronen@or-clinic.test", "member"],
      ["shani@or-clinic.test", "member"],
    ],
  },
] as const;

// When each customer joined: their first organization's creation, a few days apart.
const joinedAt = new Map<string, number>();
for (const spec of customerOrganizations) {
  for (const [index, [email]] of spec.members.entries()) {
    if (!joinedAt.has(email)) joinedAt.set(email, daysAgo(spec.ageDays) + index * 3 * DAY);
  }
}

const customerEmails = customers.map(([email]) => email);
const presentEmails = new Set(
  (await db.selectFrom("users").select("email").where("email", "in", customerEmails).execute()).map(
    (row) => row.email,
  ),
);
const missingCustomers = customers.filter(([email]) => !presentEmails.has(email));
if (missingCustomers.length > 0) {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db
    .insertInto("users")
    .values(
      missingCustomers.map(([email, name]) => {
        const at = iso(joinedAt.get(email) ?? seedNow);
        return {
          email: email.toLowerCase(),
          name,
          password_hash: passwordHash,
          locale: null,
          is_staff: 0,
          staff_role: null,
          // Demo accounts can vote and comment at once: their addresses count as verified.
          email_verified_at: at,
          created_at: at,
          updated_at: at,
        };
      }),
    )
    .onConflict((oc) => oc.column("email").doNothing())
    .execute();
}
for (const row of await db
  .selectFrom("users")
  .select(["id", "email"])
  .where("email", "in", customerEmails)
  .execute()) {
  users.set(row.email, row.id);
}

for (const spec of customerOrganizations) {
  const orgCreatedAt = daysAgo(spec.ageDays);
  await ensureOrganization(spec, (index) => iso(orgCreatedAt + index * 3 * DAY));
}

// ---------------------------------------------------------------------------------------------
// People by the local part of their e-mail ("dana", "yossi", "staff"), with the organizations
// they act for: the first one is the one they propose and comment in.

type Person = { actor: Actor; orgIds: number[] };
const people = new Map<string, Person>();
{
  const emails = [...accounts.map((a) => a.email), ...customerEmails];
  const rows = await db
    .selectFrom("users")
    .select(["id", "email", "name", "is_staff", "staff_role"])
    .where("email", "in", emails)
    .execute();
  const memberships = await db
    .selectFrom("memberships")
    .select(["user_id", "org_id"])
    .where(
      "user_id",
      "in",
      rows.map((r) => r.id),
    )
    .orderBy("created_at")
    .orderBy("org_id")
    .execute();
  for (const row of rows) {
    people.set(row.email.split("@")[0], {
      actor: actorOf(row),
      orgIds: memberships.filter((m) => m.user_id === row.id).map((m) => m.org_id),
    });
  }
}
function person(alias: string): Person {
  const found = people.get(alias);
  if (!found) throw new Error(`seed: no user "${alias}"`);
  return found;
}
/**
 * Whom the voters are drawn from: the customers of the organizations above. The demo accounts
 * vote only where a request names them, so signed in as one, most requests still await a vote.
 */
const customerAliases = customerEmails.map((email) => email.split("@")[0]);

// ---------------------------------------------------------------------------------------------
// Requests. Each one is proposed by a customer, gets votes from several organizations and a
// timeline of comments and status changes, spread over the last six months. Model functions
// write them (so every counter stays exact); their times are then moved into the past, and
// the status changes the triage screens will make are written directly, one transaction each.

type CategorySlug = (typeof categories)[number][0];
type TimelineEntry =
  | {
      kind: "comment";
      by: string;
      body: string;
      official?: boolean;
      internal?: boolean;
    }
  | { kind: "status"; to: RequestStatus; note?: string };
type RequestSpec = {
  lang: "he" | "en";
  category: CategorySlug;
  author: string;
  ageDays: number;
  /** Voters in all, the author included. */
  votes: number;
  /** Demo accounts that vote for it, whatever else the draw gives. */
  voters?: string[];
  /** Many of its votes are recent (the trending window). */
  hot?: boolean;
  title: string;
  body: string;
  timeline?: TimelineEntry[];
  /** For a request merged into another one: that one's title. */
  mergeInto?: string;
};

const comment = (
  by: string,
  body: string,
  flags: { official?: boolean; internal?: boolean } = {},
): TimelineEntry => ({ kind: "comment", by, body, ...flags });
const status = (to: RequestStatus, note?: string): TimelineEntry => ({ kind: "status", to, note });
const lines = (...parts: string[]) => parts.join("\n");

const defaultNotes: Record<"he" | "en", Partial<Record<RequestStatus, string>>> = {
  he: {
    planned: "שימושי לקהל רחב של לקוחות: נכנס לתוכנית העבודה.",
    in_progress: "התחלנו לפתח.",
    shipped: "זמין עכשיו לכל הארגונים.",
    declined: "לא בתוכנית כרגע.",
    already_exists: "היכולת כבר קיימת במערכת.",
    quoted: "פיתוח במימון: שלחנו הצעת מחיר.",
    funded: "הפיתוח מומן, תודה! הוא נכנס לתוכנית העבודה.",
  },
  en: {
    planned: "Useful to a broad audience of customers: it's on the roadmap.",
    in_progress: "Development started.",
    shipped: "Available now to every organization.",
    declined: "Not planned for now.",
    already_exists: "This already exists in the system.",
    quoted: "Sponsored development: we sent a quote.",
    funded: "Funded, thank you! It's on the roadmap.",
  },
};

const requestSpecs: RequestSpec[] = [
  {
    lang: "he",
    category: "invoices",
    author: "yossi",
    ageDays: 170,
    votes: 14,
    voters: ["dana"],
    title: "הפקת חשבונית עסקה אוטומטית מהוראת קבע",
    body: "יש לנו עשרות לקוחות שמשלמים בהוראת קבע כל חודש, וכרגע אנחנו מפיקים להם חשבונית עסקה ידנית. נשמח שהמערכת תפיק **חשבונית עסקה אוטומטית** בכל פעם שהוראת הקבע נגבית, ותשלח אותה ללקוח במייל. כשהתשלום נכנס בפועל, שתהפוך לחשבונית מס/קבלה בלחיצה אחת.",
    timeline: [
      comment(
        "orit",
        "גם אצלנו בקליניקה רוב המטופלים בהוראת קבע. זה יחסוך לנו כמה שעות בכל סוף חודש.",
      ),
      comment("avi", "חשוב שהמסמך יופק רק אחרי שהגבייה הצליחה, ולא ביום שהיא נשלחת לבנק."),
      status("planned"),
      status("in_progress"),
      status("shipped", "זמין עכשיו לכל הארגונים: הגדרות ← הוראות קבע ← הפקת מסמך אוטומטית."),
      comment("yossi", "עובד מצוין, תודה רבה! חסכתם לנו הרבה עבודה."),
    ],
  },
  {
    lang: "he",
    category: "accounting",
    author: "orit",
    ageDays: 150,
    votes: 15,
    voters: ["dana"],
    title: 'ייצוא דוח מע"מ בפורמט PCN874',
    body: 'רואת החשבון שלנו מבקשת כל חודשיים את קובץ ה-PCN874 לדיווח המפורט למע"מ, ואנחנו מכינים אותו ידנית מתוך אקסל. נשמח לכפתור **ייצוא PCN874** בדוח המע"מ, לפי התקופה שנבחרה. חשוב שהקובץ יכלול גם את מספרי ההקצאה של החשבוניות.',
    timeline: [
      comment("avi", "כמנהל חשבונות של כמה עסקים, זו הבקשה הכי חשובה ברשימה מבחינתי."),
      comment("dana", "מצטרפת. אצלנו זה לוקח יום עבודה שלם בכל דיווח."),
      status("planned"),
      status("in_progress", "התחלנו לפתח. הגרסה הראשונה תכלול גם את מספרי ההקצאה."),
      comment(
        "staff",
        "עדכון: הייצוא כבר עובד אצלנו בסביבת הבדיקות. אם אתם רוצים לנסות אותו מוקדם על הנתונים שלכם, כתבו לנו.",
      ),
      comment("orit", "בשמחה! שלחתי לכם מייל."),
    ],
  },
  {
    lang: "en",
    category: "invoices",
    author: "tamar",
    ageDays: 20,
    votes: 12,
    hot: true,
    voters: ["dana", "noa"],
    title: "Bulk-send receipts via WhatsApp",
    body: "Most of our customers never open e-mail, but they answer WhatsApp within minutes. We'd like to select several receipts in the documents list and **send them all via WhatsApp** in one go, each to the customer's mobile number. A short, editable message template would be great too.",
    timeline: [
      comment("yael", "+1. Half of our e-mailed receipts end up in spam folders."),
      comment("maya", "Same for us. A template with the customer's first name would be perfect."),
      comment(
        "staff",
        "Thanks! A quick question so we scope this right: do you need it for receipts only, or for invoices and quotes too?",
      ),
      comment("tamar", "Receipts first, but invoices would be great as well."),
    ],
  },
  {
    lang: "he",
    category: "invoices",
    author: "shani",
    ageDays: 12,
    votes: 3,
    title: "שליחת קבלות ללקוחות בוואטסאפ",
    body: "נשמח לאפשרות לשלוח קבלה ללקוח ישירות בוואטסאפ במקום במייל. הרבה מהמטופלים שלנו לא קוראים מיילים, והקבלות הולכות לאיבוד.",
    timeline: [status("merged")],
    mergeInto: "Bulk-send receipts via WhatsApp",
  },
  {
    lang: "en",
    category: "inventory",
    author: "eitan",
    ageDays: 120,
    votes: 8,
    voters: ["omer"],
    title: "Multi-currency price lists",
    body: lines(
      "We sell to customers in Israel, Europe and the US, and keep three price lists in spreadsheets. It would help to define **a price list per currency** for each product, picked automatically from the customer's currency when we issue a document:",
      "",
      "- fixed prices per currency, not just a conversion at today's rate",
      "- optional rounding rules (e.g. prices ending in .90)",
      "- the same list on quotes and on invoices",
    ),
    timeline: [
      comment(
        "ronit",
        "We'd also need this per customer group (resellers vs. end customers), but per currency is the main thing.",
      ),
      comment("nir", "Hooli has the same setup, +1."),
    ],
  },
  {
    lang: "he",
    category: "inventory",
    author: "lior",
    ageDays: 90,
    votes: 6,
    title: "סנכרון מלאי עם Shopify",
    body: "אנחנו מוכרים הדפסים גם בסטודיו וגם בחנות Shopify, והמלאי לא מסונכרן ביניהם. נשמח ש**כמות המלאי תתעדכן אוטומטית** בשני הכיוונים בכל מכירה. בנוסף, שכל הזמנה ב-Shopify תפיק חשבונית מס/קבלה במערכת.",
    timeline: [
      comment("yossi", "גם אנחנו פותחים חנות אונליין בקרוב, זה יעזור מאוד."),
      status(
        "quoted",
        "זהו פיתוח ייעודי: שלחנו הצעת מחיר לפיתוח במימון. ארגונים נוספים מוזמנים להצטרף למימון.",
      ),
      comment("maya", "קיבלנו את ההצעה, נעבור עליה השבוע ונחזור אליכם."),
    ],
  },
  {
    lang: "he",
    category: "payments",
    author: "dana",
    ageDays: 60,
    votes: 15,
    hot: true,
    voters: ["omer", "noa"],
    title: "תזכורת תשלום אוטומטית ללקוחות",
    body: lines(
      "הרבה חשבוניות שלנו נשארות פתוחות שבועות אחרי מועד התשלום, ואנחנו שולחים תזכורות אחת-אחת. נשמח להגדיר **תזכורת אוטומטית** במייל וב-SMS:",
      "",
      "- כמה ימים לפני מועד התשלום",
      "- ביום עצמו",
      "- שבוע אחרי, אם עדיין לא שולם",
      "",
      "עם קישור ישיר לתשלום בכרטיס אשראי.",
    ),
    timeline: [
      comment("noa", "חובה! אצלנו חצי מהחשבוניות משולמות רק אחרי תזכורת."),
      comment("ronen", "אפשר שהתזכורת תכלול גם את החשבונית עצמה כקובץ מצורף?"),
      status("planned"),
      comment(
        "staff",
        "החלטנו לפתח את זה לכל הארגונים. נתחיל בתזכורות במייל וב-SMS עם קישור לתשלום, ואת התזמון תוכלו להגדיר בעצמכם. החשבונית תצורף לתזכורת, כמו שביקשתם.",
        { official: true },
      ),
      comment("omer", "מעולה, מחכים!"),
    ],
  },
  {
    lang: "en",
    category: "integrations",
    author: "ronit",
    ageDays: 75,
    votes: 9,
    voters: ["dana"],
    title: "API webhooks for invoice status",
    body: "We sync documents to our ERP and currently poll the API every few minutes. Please add **webhooks** that fire when an invoice is created, paid, cancelled or fails to send. A signature header (HMAC) and retries on failure would make it production-ready.",
    timeline: [
      comment(
        "gal",
        "Please include the document's PDF link in the payload, it saves us another API call.",
      ),
      status("planned"),
      status(
        "in_progress",
        "Development started; the first events are document.created and document.paid.",
      ),
      comment(
        "staff",
        "Payloads will include the PDF link, and every delivery is signed with HMAC-SHA256. We'll post here when it's ready for testing.",
      ),
      comment("tamar", "Great news. Will there be retries if our endpoint is down?"),
      comment(
        "staff",
        "Yes: retries with backoff for 24 hours, and a delivery log in the settings.",
      ),
    ],
  },
  {
    lang: "he",
    category: "invoices",
    author: "maya",
    ageDays: 100,
    votes: 7,
    title: "חתימה דיגיטלית על הצעות מחיר",
    body: "אנחנו שולחים ללקוחות הצעות מחיר ומחכים לחתימה סרוקה בחזרה, וזה לוקח ימים. נשמח שהלקוח יוכל **לחתום דיגיטלית** על הצעת המחיר מהנייד, ושהמסמך החתום יישמר אוטומטית בכרטיס הלקוח. אחרי החתימה, אפשרות להמיר את ההצעה לחשבונית בלחיצה אחת.",
    timeline: [
      comment("lior", "זה יקצר לנו את זמן הסגירה עם לקוחות בכמה ימים."),
      status("quoted"),
      comment("maya", "עברנו על ההצעה ואישרנו אותה. תודה על המהירות!"),
      status("funded"),
      comment(
        "staff",
        "תודה רבה לסטודיו לוטוס! הפיתוח ממומן ונכנס ללוח הזמנים, וכמו תמיד, כל הארגונים ייהנו ממנו.",
      ),
    ],
  },
  {
    lang: "en",
    category: "mobile",
    author: "idan",
    ageDays: 45,
    votes: 10,
    hot: true,
    voters: ["omer", "staff"],
    title: "Dark mode in the mobile app",
    body: "I often issue receipts in the evening at events, and the bright white screen is blinding. A **dark mode** that follows the phone's system setting would be great, with an option to force light or dark manually.",
    timeline: [
      comment("lior", "Yes please! My eyes thank you in advance."),
      comment("eitan", "+1, and it would save battery on OLED phones."),
    ],
  },
  {
    lang: "he",
    category: "invoices",
    author: "miri",
    ageDays: 130,
    votes: 2,
    title: "הוספת לוגו העסק לחשבוניות",
    body: "רצינו שהלוגו של המאפייה יופיע בראש כל חשבונית וקבלה שנשלחות ללקוחות. כרגע המסמכים יוצאים עם שם העסק בלבד. אפשר גם לבחור צבע ראשי למסמכים?",
    timeline: [
      status(
        "already_exists",
        "אפשר כבר היום: הגדרות ← עיצוב מסמכים ← העלאת לוגו. שם בוחרים גם צבע ראשי.",
      ),
      comment("miri", "מצאתי, זה עובד. תודה רבה!"),
    ],
  },
  {
    lang: "he",
    category: "payments",
    author: "ronen",
    ageDays: 110,
    votes: 9,
    title: "סליקה בתשלומים עם הצגת הפריסה ללקוח",
    body: "מטופלים רבים משלמים על סדרת טיפולים ב-3 עד 12 תשלומים. נשמח שבעמוד התשלום הלקוח יראה **מראש את סכום כל תשלום**, ושהקבלה תפרט את מספר התשלומים. היום אנחנו מסבירים את זה בטלפון לכל מטופל מחדש.",
    timeline: [
      status("quoted"),
      comment("orit", "אישרנו את הצעת המחיר."),
      status("funded", "מומן על ידי קליניקת אור, תודה!"),
      status("in_progress"),
      status("shipped", "פותח במימון קליניקת אור, וזמין עכשיו לכל הארגונים."),
      comment("yossi", "תודה לקליניקת אור, גם אנחנו כבר משתמשים בזה!"),
      comment("shani", "המטופלים כבר שמים לב: הרבה פחות שאלות בטלפון."),
    ],
  },
  {
    lang: "en",
    category: "accounting",
    author: "tamar",
    ageDays: 80,
    votes: 6,
    title: "Full double-entry general ledger inside the app",
    body: "We'd like to manage our entire general ledger in the system (journal entries, trial balance and year-end closing), so our accountant doesn't need separate bookkeeping software. It would make the app a one-stop shop for small companies.",
    timeline: [
      comment("eitan", "This would be huge for us too, we pay for two systems today."),
      status(
        "declined",
        "A full ledger is outside the product's scope; we focus on exports to your accountant's software.",
      ),
      comment(
        "staff",
        "Thanks for the detailed request! We looked into it carefully. A full double-entry ledger is a product of its own, and most of our customers' accountants already work in dedicated bookkeeping software. So we'd rather invest in **excellent exports** to that software, like the journal-entries export to Hashavshevet, which is already available.",
        { official: true },
      ),
      comment("tamar", "Understood, thanks for explaining. The export already helps a lot."),
    ],
  },
  {
    lang: "he",
    category: "customers",
    author: "yossi",
    ageDays: 30,
    votes: 7,
    voters: ["noa"],
    title: "יתרת חוב ותאריך התשלום האחרון בכרטיס הלקוח",
    body: "כשלקוח מתקשר, אנחנו רוצים לראות מיד בכרטיס שלו כמה הוא חייב ומתי שילם לאחרונה. היום צריך להיכנס לדוח החובות ולחפש אותו שם. **יתרה פתוחה בראש כרטיס הלקוח** תחסוך לנו הרבה זמן.",
    timeline: [
      comment("ronit", "ועוד רעיון: סימון אדום ללקוח שיש לו חוב של יותר מ-60 יום."),
      comment("yossi", "רעיון מצוין, מצטרף."),
    ],
  },
  {
    lang: "he",
    category: "customers",
    author: "shani",
    ageDays: 40,
    votes: 3,
    title: "ייבוא אנשי קשר מקובץ אקסל",
    body: "יש לנו מעל 2,000 מטופלים בקובץ אקסל מהמערכת הקודמת. נשמח ל**ייבוא מרוכז** של לקוחות מקובץ Excel או CSV, עם התאמת עמודות (שם, ת.ז., טלפון, מייל, כתובת). חשוב שתהיה בדיקת כפילויות לפני הייבוא.",
    timeline: [
      status(
        "already_exists",
        "קיים: לקוחות ← ייבוא מקובץ. יש שם גם התאמת עמודות ובדיקת כפילויות.",
      ),
      comment("staff", "אם משהו בקובץ לא נקלט כמו שציפיתם, שלחו לנו אותו במייל ונעזור."),
      comment("shani", "עבד חלק, תודה!"),
    ],
  },
  {
    lang: "en",
    category: "customers",
    author: "gal",
    ageDays: 25,
    votes: 4,
    title: "Tag customers and filter reports by tag",
    body: "We'd like to add free-text **tags** to customers (e.g. `reseller`, `VIP`, `north`) and then filter the sales and debt reports by tag. Today we keep a separate spreadsheet just for this.",
    timeline: [comment("yael", "Tags on products too, please!")],
  },
  {
    lang: "he",
    category: "inventory",
    author: "yossi",
    ageDays: 55,
    votes: 8,
    title: "התראה כשמוצר יורד מתחת למלאי המינימום",
    body: lines(
      "אנחנו מגלים שנגמר לנו קמח כוסמין רק כשלקוח מבקש אותו. נשמח:",
      "",
      "- להגדיר **מלאי מינימום** לכל מוצר",
      "- לקבל התראה במייל או באפליקציה כשהכמות יורדת ממנו",
      "- ודוח שבועי של מוצרים שצריך להזמין",
    ),
    timeline: [
      comment("miri", "והכי חשוב: שההתראה תגיע גם לטלפון, לא רק למייל."),
      comment("lior", "גם אצלנו, עם המסגרות להדפסים."),
      comment("staff", "תודה! אתם רוצים סיכום יומי מרוכז, או התראה מיד כשהמלאי יורד?"),
      comment("yossi", "מיד, בבקשה. בבוקר כבר מאוחר מדי."),
    ],
  },
  {
    lang: "he",
    category: "inventory",
    author: "maya",
    ageDays: 15,
    votes: 3,
    title: "מוצרים עם וריאציות (מידה וצבע)",
    body: "אנחנו מוכרים הדפסים בכמה גדלים ומסגרות, וכרגע כל שילוב הוא מוצר נפרד ברשימה. נשמח לתמיכה ב**וריאציות**: מוצר אב אחד עם מידה וצבע, מחיר ומלאי לכל וריאציה, ובחירה נוחה בזמן הפקת מסמך.",
  },
  {
    lang: "en",
    category: "inventory",
    author: "eitan",
    ageDays: 140,
    votes: 10,
    title: "Barcode scanning when adding items to a document",
    body: "Our warehouse team adds dozens of items to delivery notes every day. Scanning a **barcode** (with a USB scanner or the phone's camera) to add the product line would be much faster and avoid typos. Products already have a SKU field we could use for this.",
    timeline: [
      comment("nir", "Camera scanning in the mobile app would be perfect for our field team."),
      status(
        "planned",
        "Planned for everyone: USB scanners first, then the phone's camera in the app.",
      ),
      comment("eitan", "Great, thanks!"),
    ],
  },
  {
    lang: "he",
    category: "integrations",
    author: "lior",
    ageDays: 35,
    votes: 4,
    title: "הוספת שורה ב-Google Sheets לכל מסמך חדש",
    body: 'אנחנו מנהלים את תזרים המזומנים בגיליון Google Sheets ומעתיקים אליו כל חשבונית ידנית. נשמח לחיבור ש**מוסיף שורה לגיליון** בכל מסמך חדש: תאריך, לקוח, סכום, מע"מ וסטטוס תשלום.',
    timeline: [
      comment(
        "staff",
        "נשמע כמו שימוש מצוין ב-webhooks שאנחנו מפתחים עכשיו (ראו את הבקשה על API webhooks). נעדכן כאן כשזה יהיה זמין.",
      ),
    ],
  },
  {
    lang: "en",
    category: "integrations",
    author: "nir",
    ageDays: 50,
    votes: 5,
    title: "Official Zapier and Make integration",
    body: "Many of our workflows run through Make. An official **Zapier/Make app** with triggers (new document, new payment, new customer) and actions (create a customer, issue a receipt) would let us connect the system to our CRM without custom code.",
    timeline: [
      comment("ronit", "We'd use the Zapier version with HubSpot."),
      status(
        "quoted",
        "Sponsored development: we sent Hooli Israel a quote, and other organizations are welcome to co-sponsor.",
      ),
      comment("tamar", "Thanks, we're reviewing the quote with our finance team."),
    ],
  },
  {
    lang: "he",
    category: "integrations",
    author: "avi",
    ageDays: 160,
    votes: 11,
    voters: ["noa"],
    title: "ייצוא פקודות יומן לחשבשבת",
    body: 'כמנהל חשבונות אני מקליד מחדש את החשבוניות והקבלות של הלקוחות שלי לחשבשבת. נשמח ל**ייצוא קובץ פקודות יומן** בפורמט שחשבשבת קולטת, כולל מיפוי של חשבונות ההכנסה והמע"מ. זה יחסוך לי שעות בכל סוף חודש.',
    timeline: [
      comment("orit", "רואת החשבון שלנו תשמח מאוד."),
      status("planned"),
      status("in_progress"),
      comment(
        "staff",
        "עדכון: הייצוא יתמוך גם במיפוי חשבון לפי קטגוריית הכנסה. אם יש לכם קובץ דוגמה מחשבשבת, נשמח לקבל אותו.",
      ),
      status("shipped", "זמין: דוחות ← ייצוא להנהלת חשבונות ← חשבשבת."),
      comment("avi", "מעולה, כבר ייצאתי את החודש האחרון בלי אף תקלה."),
    ],
  },
  {
    lang: "he",
    category: "mobile",
    author: "miri",
    ageDays: 65,
    votes: 9,
    hot: true,
    title: "הפקת קבלה מהנייד גם בלי חיבור לאינטרנט",
    body: "בשוק האיכרים בימי שישי אין קליטה טובה, ואנחנו לא מצליחים להפיק קבלות. נשמח שהאפליקציה תאפשר **להפיק קבלה במצב לא מקוון** ותשלח אותה ללקוח אוטומטית כשהחיבור חוזר. חשוב שמספור המסמכים יישאר רציף.",
    timeline: [
      comment("lior", "גם לנו בירידים, אותה בעיה בדיוק."),
      comment(
        "staff",
        "לבדוק עם היועץ המקצועי לפני שמחליטים: האם מותר להקצות למכשיר טווח מספרי מסמכים מראש (הוראות ניהול ספרים).",
        { internal: true },
      ),
      comment(
        "staff",
        "תודה על הפירוט! האתגר כאן הוא המספור הרציף של המסמכים. אנחנו בודקים את זה ונעדכן כאן.",
      ),
      comment("yossi", "תודה, מחכים לעדכון."),
    ],
  },
  {
    lang: "en",
    category: "mobile",
    author: "yael",
    ageDays: 10,
    votes: 8,
    hot: true,
    voters: ["omer"],
    title: "Face ID / fingerprint login in the mobile app",
    body: "Typing the password on the phone every time is annoying, especially a long one. Please support **biometric login** (Face ID or fingerprint) after the first sign-in. It could still ask for the password after a password change.",
    timeline: [comment("gal", "Yes! And please keep me signed in longer on the phone.")],
  },
  {
    lang: "he",
    category: "mobile",
    author: "ronen",
    ageDays: 5,
    votes: 2,
    title: "סריקת קבלות הוצאה במצלמה",
    body: "אנחנו צוברים ערימה של קבלות על הוצאות: ציוד, דלק, חניה. נשמח ל**צלם קבלה באפליקציה** ושהמערכת תזהה סכום, תאריך וספק ותשמור אותה כהוצאה. כך בסוף החודש הכל כבר יהיה מוכן לרואת החשבון.",
  },
  {
    lang: "en",
    category: "payments",
    author: "ronit",
    ageDays: 95,
    votes: 4,
    title: "Recurring card charges in USD",
    body: "Some of our customers abroad pay a monthly subscription in USD. We need **recurring credit-card charges in dollars**, with the receipt issued in USD and the shekel amount at the Bank of Israel rate for the VAT report.",
    timeline: [
      status("quoted"),
      comment("tamar", "Hooli Israel would co-sponsor this: we have exactly the same need."),
      status("funded", "Fully funded by Initech and Hooli Israel, thank you!"),
      comment(
        "staff",
        "Thanks to both teams! It's scheduled right after the current release; we'll update here when development starts.",
      ),
    ],
  },
  {
    lang: "he",
    category: "payments",
    author: "noa",
    ageDays: 70,
    votes: 11,
    title: "קישור לתשלום ב-Bit ישירות מהחשבונית",
    body: "הרבה לקוחות שואלים אם אפשר לשלם בביט. נשמח ש**קישור לתשלום בביט** יופיע בחשבונית שנשלחת במייל, ושהקבלה תופק אוטומטית כשהתשלום מתקבל.",
    timeline: [
      comment("miri", "בשוק כולם משלמים בביט, זה יעזור לנו מאוד."),
      comment("dana", "וגם PayBox, אם אפשר."),
      comment("noa", "מסכימה, שתי האפשרויות."),
    ],
  },
  {
    lang: "he",
    category: "payments",
    author: "orit",
    ageDays: 85,
    votes: 3,
    title: "גביית דמי ביטול מכרטיס אשראי שמור",
    body: "מטופלים שלא מגיעים לתור ולא מבטלים מראש מחויבים בדמי ביטול לפי התקנון שלנו. נשמח לאפשרות **לחייב את הכרטיס השמור** בלחיצה מתוך כרטיס המטופל, עם הפקת קבלה אוטומטית. חשוב שיישמר תיעוד של הסכמת המטופל לשמירת הכרטיס.",
    timeline: [
      comment("shani", "זה יחסוך לנו עשרות שיחות לא נעימות בחודש."),
      status("quoted", "פיתוח ייעודי לתחום הקליניקות: שלחנו הצעת מחיר לקליניקת אור."),
      comment("orit", "תודה, נבדוק ונחזור אליכם."),
    ],
  },
  {
    lang: "en",
    category: "payments",
    author: "eitan",
    ageDays: 28,
    votes: 6,
    voters: ["dana"],
    title: "Apple Pay and Google Pay on the payment page",
    body: "More and more of our customers pay from their phones. Supporting **Apple Pay and Google Pay** on the payment page would cut checkout to a single tap and reduce abandoned payments.",
    timeline: [comment("idan", "+1, most of our payments come from mobile.")],
  },
  {
    lang: "he",
    category: "accounting",
    author: "avi",
    ageDays: 140,
    votes: 12,
    voters: ["dana"],
    title: "דוח רווח והפסד לפי חודשים",
    body: "הלקוחות שלי רוצים לראות איך העסק עומד לאורך השנה. נשמח ל**דוח רווח והפסד** עם עמודה לכל חודש, השוואה לשנה הקודמת וייצוא לאקסל. היום אני בונה את זה ידנית מדוח ההכנסות וההוצאות.",
    timeline: [
      comment("yossi", "כבעל עסק, זה בדיוק מה שאני רוצה לראות כל חודש."),
      comment("maya", "מצטרפת, ועם גרף פשוט אם אפשר."),
      status("planned"),
      comment("avi", "תודה! אפשר שהייצוא יהיה גם ל-PDF?"),
    ],
  },
  {
    lang: "en",
    category: "accounting",
    author: "nir",
    ageDays: 18,
    votes: 5,
    voters: ["noa"],
    title: "Scheduled e-mail of monthly reports to our accountant",
    body: "Every month I download the income, VAT and debtors reports and e-mail them to our accountant. It would be great to **schedule reports** to be sent automatically on the 1st of each month to one or more addresses, as PDF or Excel.",
    timeline: [comment("tamar", "This would save me a calendar reminder every month :)")],
  },
  {
    lang: "he",
    category: "accounting",
    author: "lior",
    ageDays: 8,
    votes: 1,
    title: "דוח הוצאות לפי ספקים וקטגוריות",
    body: "נשמח לדוח שמרכז את ההוצאות לפי ספק ולפי קטגוריה (שכירות, חומרים, פרסום) לכל תקופה. כך נוכל לראות במהירות **לאן הולך הכסף** ולהחליט איפה לחסוך.",
  },
  {
    lang: "he",
    category: "general",
    author: "yossi",
    ageDays: 175,
    votes: 13,
    voters: ["omer"],
    title: "הרשאת צפייה בלבד לרואה החשבון",
    body: "רואת החשבון שלנו צריכה לראות את כל המסמכים והדוחות, אבל לא להפיק מסמכים ולא לשנות הגדרות. נשמח ל**משתמש עם הרשאת צפייה בלבד**. היום אנחנו נותנים לה את הסיסמה שלנו, וזה לא נוח וגם לא בטוח.",
    timeline: [
      comment(
        "avi",
        "מהצד של מנהלי החשבונות: בבקשה! אני מקבל סיסמאות של לקוחות בוואטסאפ, וזה לא תקין.",
      ),
      status("planned"),
      status("in_progress"),
      status("shipped", 'זמין: הגדרות ← משתמשים ← הזמנת משתמש בתפקיד "צפייה בלבד".'),
      comment("yossi", "הזמנו את רואת החשבון, הכל עובד. תודה!"),
    ],
  },
  {
    lang: "en",
    category: "general",
    author: "gal",
    ageDays: 22,
    votes: 4,
    voters: ["staff"],
    title: "Activity log: who changed what and when",
    body: "With five people working in our account, we sometimes can't tell who cancelled a document or edited a customer's details. An **activity log** (who, what, when) with a simple filter by user and date would solve it. Exporting it to CSV would help with our annual audit.",
  },
  {
    lang: "he",
    category: "general",
    author: "shani",
    ageDays: 3,
    votes: 3,
    hot: true,
    title: "הפקת חשבוניות וקבלות בערבית",
    body: "חלק גדול מהמטופלים שלנו דוברי ערבית. נשמח שאפשר יהיה להפיק **חשבונית וקבלה בערבית**, ובהמשך גם ממשק בערבית לצוות. זה ייראה מקצועי ונגיש יותר.",
    timeline: [comment("ronen", "מסכים, זה חשוב מאוד אצלנו.")],
  },
  {
    lang: "en",
    category: "invoices",
    author: "yael",
    ageDays: 60,
    votes: 7,
    title: "Let us edit an invoice after it was issued",
    body: "Sometimes we notice a typo in the customer's address or a wrong quantity after the invoice was issued. We'd like an **Edit** button on issued invoices instead of cancelling and re-issuing. Creating a credit note for a tiny mistake is frustrating.",
    timeline: [
      comment("idan", "+1, this happens to us every week."),
      status(
        "declined",
        "By law an issued tax invoice can't be changed; a credit note is the way to correct it.",
      ),
      comment(
        "staff",
        "We get the frustration! Israeli bookkeeping rules don't allow changing a tax document once it's issued. What we can do is make the correction quicker: we're looking at a single step that creates the credit note and a corrected copy together.",
      ),
      comment("yael", "Makes sense. A one-step correction would be great."),
    ],
  },
  {
    lang: "he",
    category: "invoices",
    author: "dana",
    ageDays: 35,
    votes: 5,
    title: "תבניות מסמך שמורות לשירותים שחוזרים על עצמם",
    body: "אנחנו מפיקים כל חודש את אותן חשבוניות עם אותם פריטים ללקוחות שונים. נשמח לשמור **תבנית מסמך** (פריטים, הערות ותנאי תשלום) ולהפיק ממנה מסמך חדש בלחיצה.",
    timeline: [comment("omer", "ואם אפשר, גם תבנית ברירת מחדל לכל לקוח.")],
  },
  {
    lang: "en",
    category: "customers",
    author: "omer",
    ageDays: 100,
    votes: 9,
    title: "Customer portal to download past invoices",
    body: lines(
      "Our customers keep asking us to resend old invoices. A simple **customer portal** would save a lot of back-and-forth:",
      "",
      "- a personal link for each customer",
      "- all their documents, ready to download",
      "- their open balance, and a way to pay it",
    ),
    timeline: [
      comment("noa", "This is the most common question our own customers ask us."),
      status("planned"),
      status(
        "in_progress",
        "Development started; paying from the portal will come in a second stage.",
      ),
      comment("dana", "Great! Will customers need a password?"),
      comment("staff", "No: each customer gets a personal, expiring link by e-mail."),
    ],
  },
  {
    lang: "he",
    category: "mobile",
    author: "lior",
    ageDays: 50,
    votes: 2,
    title: "התראות והפקת קבלה מהשעון החכם",
    body: "יהיה נחמד לראות התראה על תשלום שהתקבל ישירות בשעון החכם, ואולי גם להפיק קבלה מהירה מהשעון בלי להוציא את הטלפון.",
    timeline: [
      status("declined", "לא בתוכנית כרגע: התראות האפליקציה כבר מוצגות בשעון."),
      comment(
        "staff",
        "תודה על הרעיון! התראות האפליקציה בנייד כבר מופיעות בשעון החכם כשההתראות מופעלות. הפקת מסמכים מהשעון לא מתאימה כרגע לקהל רחב של לקוחות, אבל אם הצורך יגדל, נשמח לבחון את זה שוב.",
      ),
    ],
  },
  {
    lang: "he",
    category: "general",
    author: "noa",
    ageDays: 12,
    votes: 6,
    hot: true,
    voters: ["staff"],
    title: "חיפוש אחד שמוצא הכל: מסמכים, לקוחות ומוצרים",
    body: "נשמח לשדה חיפוש אחד בראש המסך שמוצא הכל: מספר חשבונית, שם לקוח, טלפון או מוצר. היום צריך לדעת מראש באיזה מסך לחפש, וזה מבלבל עובדים חדשים.",
    timeline: [comment("miri", "כן! במיוחד חיפוש לפי מספר טלפון.")],
  },
  {
    lang: "he",
    category: "customers",
    author: "miri",
    ageDays: 45,
    votes: 3,
    title: "מיזוג כרטיסי לקוח כפולים",
    body: "קרה לנו שאותו לקוח נפתח פעמיים, פעם עם מספר טלפון ופעם עם מייל. נשמח לאפשרות **למזג שני כרטיסי לקוח**, כך שכל המסמכים והתשלומים יעברו לכרטיס אחד.",
  },
  {
    lang: "en",
    category: "integrations",
    author: "tamar",
    ageDays: 4,
    votes: 1,
    title: "A sandbox account for API testing",
    body: "When we develop against the API we have to issue real documents and then cancel them. A **sandbox environment** with test API keys, where documents aren't numbered or reported for real, would make integration work much safer.",
    timeline: [comment("ronit", "Yes please, we've cancelled dozens of test invoices.")],
  },
];

/** The decision that moves an open (or planned, quoted) request to `to`; null for a step. */
function decisionFor(to: RequestStatus, note: string | null): Decision | null {
  switch (to) {
    case "planned":
      return { kind: "broad", note };
    case "quoted":
      return { kind: "sponsored", note };
    case "declined":
      return { kind: "declined", reason: note ?? "" };
    case "already_exists":
      return { kind: "already_exists", explanation: note ?? "" };
    default:
      return null;
  }
}

/** The last ids of the rows a status change writes, to find the ones it wrote. */
async function latestIds() {
  const [event, audit] = await Promise.all([
    db
      .selectFrom("status_events")
      .select((eb) => eb.fn.max("id").as("id"))
      .executeTakeFirst(),
    db
      .selectFrom("audit_log")
      .select((eb) => eb.fn.max("id").as("id"))
      .executeTakeFirst(),
  ]);
  return { event: Number(event?.id ?? 0), audit: Number(audit?.id ?? 0) };
}

/**
 * Moves what a status change just wrote (its status event, its audit row, the request's
 * times) back to `at`, when it happens in the demo's story. Only the seed rewrites audit
 * times: the app never updates the audit log.
 */
async function backdate(
  marks: { event: number; audit: number },
  requestId: number,
  at: string,
  shipped: boolean,
) {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("status_events")
      .set({ created_at: at })
      .where("id", ">", marks.event)
      .execute();
    await trx
      .updateTable("audit_log")
      .set({ created_at: at })
      .where("id", ">", marks.audit)
      .execute();
    await trx
      .updateTable("requests")
      .set({ updated_at: at, ...(shipped ? { shipped_at: at } : {}) })
      .where("id", "=", requestId)
      .execute();
  });
}

/** When a vote came in: between `from` and `to`, in the trending window when `recent`. */
function voteTime(from: number, to: number, recent: boolean): number {
  const windowFrom = seedNow - 12 * DAY;
  const [lo, hi] = recent
    ? [Math.max(from, windowFrom), to]
    : [from, Math.min(to, seedNow - 15 * DAY)];
  return hi > lo ? lo + random() * (hi - lo) : from + random() * Math.max(to - from, 0);
}

const alreadySeeded = await db
  .selectFrom("requests")
  .select("id")
  .where("title", "=", requestSpecs[0].title)
  .executeTakeFirst();

if (!alreadySeeded) {
  const categoryIds = new Map(
    (await db.selectFrom("categories").select(["id", "slug"]).execute()).map((c) => [c.slug, c.id]),
  );
  const staff = person("staff");
  const requestIds = new Map<string, number>();
  // Oldest first, so ids grow with time as they would have.
  const chronological = [...requestSpecs].sort((a, b) => b.ageDays - a.ageDays);

  for (const spec of chronological) {
    const author = person(spec.author);
    const authorOrg = author.orgIds[0] ?? null;
    const { id } = await createRequest({
      actor: author.actor,
      orgId: authorOrg,
      title: spec.title,
      bodyMd: spec.body,
      categoryId: categoryIds.get(spec.category)!,
    });
    requestIds.set(spec.title, id);

    // Votes: the demo accounts named, then a draw among the other customers.
    const voters = [spec.author, ...(spec.voters ?? []).filter((v) => v !== spec.author)];
    for (const alias of shuffled(customerAliases)) {
      if (voters.length >= spec.votes) break;
      if (!voters.includes(alias)) voters.push(alias);
    }
    for (const alias of voters.slice(1)) {
      const voter = person(alias);
      const orgId = voter.orgIds[Math.floor(random() * voter.orgIds.length)] ?? null;
      await toggleVote({ requestId: id, actor: voter.actor, orgId });
    }

    // Comments, in the order of the timeline (their ids then follow their times).
    const timeline = spec.timeline ?? [];
    const commentIds: number[] = [];
    for (const entry of timeline) {
      if (entry.kind !== "comment") continue;
      const writer = person(entry.by);
      const { id: commentId } = await addComment({
        requestId: id,
        actor: writer.actor,
        orgId: writer.orgIds[0] ?? null,
        bodyMd: entry.body,
        kind: entry.internal ? "internal" : entry.official ? "official" : "public",
      });
      commentIds.push(commentId);
    }

    // Times: proposed `ageDays` ago; the timeline spread from then until a couple of hours ago,
    // a staff reply to a status change written minutes after it.
    const createdAt = daysAgo(spec.ageDays) + random() * 8 * HOUR;
    const until = seedNow - 2 * HOUR;
    const glued = timeline.map(
      (entry, i) =>
        entry.kind === "comment" &&
        person(entry.by).actor.isStaff &&
        timeline[i - 1]?.kind === "status",
    );
    const anchors = glued.filter((g) => !g).length;
    const step = (until - createdAt) / (anchors + 1);
    const times: number[] = [];
    let anchor = 0;
    for (const [i, isGlued] of glued.entries()) {
      if (isGlued) {
        times.push(times[i - 1] + (15 + random() * 100) * MINUTE);
      } else {
        anchor++;
        times.push(createdAt + step * (anchor + (random() - 0.5) * 0.5));
      }
    }
    const statusTimes = timeline.flatMap((entry, i) => (entry.kind === "status" ? [times[i]] : []));
    const finalStatus = timeline.filter((e) => e.kind === "status").at(-1)?.to ?? "open";
    // Votes on a closed request came in before it closed.
    const closed = ["shipped", "declined", "already_exists", "merged"].includes(finalStatus);
    const votesUntil = closed ? statusTimes[statusTimes.length - 1] : until;

    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable("status_events")
        .set({ created_at: iso(createdAt) })
        .where("request_id", "=", id)
        .execute();
      for (const [index, alias] of voters.entries()) {
        const { actor } = person(alias);
        const at =
          index === 0
            ? iso(createdAt)
            : iso(
                voteTime(
                  createdAt + 10 * MINUTE,
                  votesUntil,
                  !closed && random() < (spec.hot ? 0.6 : 0.15),
                ),
              );
        await trx
          .updateTable("votes")
          .set({ created_at: at })
          .where("request_id", "=", id)
          .where("user_id", "=", actor.id)
          .execute();
        await trx
          .updateTable("follows")
          .set({ created_at: at })
          .where("request_id", "=", id)
          .where("user_id", "=", actor.id)
          .execute();
      }
      let commentIndex = 0;
      for (const [i, entry] of timeline.entries()) {
        if (entry.kind !== "comment") continue;
        await trx
          .updateTable("comments")
          .set({ created_at: iso(times[i]) })
          .where("id", "=", commentIds[commentIndex++])
          .execute();
      }
      await trx
        .updateTable("requests")
        .set({ created_at: iso(createdAt), updated_at: iso(createdAt) })
        .where("id", "=", id)
        .execute();
      await recountRequestCounters(trx, id);
    });

    // The status changes, made by the staff admin through the triage model (status event,
    // audit row and followers' e-mails each), then moved back to when they happened.
    let current: RequestStatus = "open";
    for (const [i, entry] of timeline.entries()) {
      if (entry.kind !== "status") continue;
      const at = iso(times[i]);
      const note = entry.note ?? defaultNotes[spec.lang][entry.to] ?? null;
      const marks = await latestIds();
      try {
        if (entry.to === "merged") {
          const mergedInto = spec.mergeInto ? (requestIds.get(spec.mergeInto) ?? null) : null;
          if (mergedInto === null) throw new Error("it merges into nothing");
          const target = await db
            .selectFrom("requests")
            .select("updated_at")
            .where("id", "=", mergedInto)
            .executeTakeFirstOrThrow();
          await mergeRequest({
            actor: staff.actor,
            sourceId: id,
            targetId: mergedInto,
            note:
              note ??
              (spec.lang === "he"
                ? `מוזגה לבקשה #${mergedInto}: זו אותה בקשה, וההצבעות עברו אליה.`
                : `Merged into #${mergedInto}: the same request; the votes moved there.`),
          });
          // Merging touches the target; it keeps the time of its own last change.
          await db
            .updateTable("requests")
            .set({ updated_at: target.updated_at })
            .where("id", "=", mergedInto)
            .execute();
        } else {
          const decision = decisionFor(entry.to, note);
          if (decision) await decideRequest({ actor: staff.actor, requestId: id, decision });
          else await changeStatus({ actor: staff.actor, requestId: id, to: entry.to, note });
        }
      } catch (error) {
        throw new Error(
          `seed: "${spec.title}" cannot go from ${current} to ${entry.to}: ${String(error)}`,
        );
      }
      await backdate(marks, id, at, entry.to === "shipped");
      current = entry.to;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Sponsored development (issue 12): four requests with quotes, each made through the models as
// on the site (proposed, voted, decided as sponsored, quoted, accepted or pledged): one quoted to
// Acme by the hour (40 h) awaiting its admin, an open quote half-funded by two organizations,
// one whose quote expired, and one Globex funded and that shipped, thanking Globex by name.
// Each story runs once: when its request is already there, it is left as it is. Sponsorship rows
// keep the time they were signed (the seed never rewrites one).

type QuoteStory = {
  title: string;
  body: string;
  category: CategorySlug;
  author: string;
  voters: string[];
  quote: (ids: { acme: number; globex: number; bakery: number }) => QuoteInput;
  after?: (ids: {
    requestId: number;
    quoteId: number;
    version: number;
    termsSha256: string;
  }) => Promise<void>;
};

const quoteTermsHe = lines(
  "**היקף:** הפיתוח כמתואר בבקשה, זמין לכל הארגונים בסיומו.",
  "",
  "**תשלום:** חשבונית תישלח עם המימון המלא; תשלום שוטף + 30.",
  "",
  "**אחריות:** תיקון תקלות ללא עלות במשך 90 יום מההשקה.",
);
const validDay = (days: number) => israelDay(seedNow + days * DAY);

async function signAs(
  alias: string,
  quote: { quoteId: number; version: number; termsSha256: string },
  shareMinor: number | null,
  creditByName: boolean,
) {
  const signer = person(alias);
  await acceptQuote({
    actor: signer.actor,
    quoteId: quote.quoteId,
    version: quote.version,
    orgId: signer.orgIds[0],
    shareMinor,
    termsSha256: quote.termsSha256,
    signerName: signer.actor.name,
    creditByName,
    agreed: true,
    ip: "127.0.0.1",
  });
}

const quoteStories: QuoteStory[] = [
  {
    title: "Approval workflow for purchase orders",
    body: "We need purchase orders above a threshold to wait for a manager's **approval** before they are sent to the supplier, with a log of who approved what and when.",
    category: "invoices",
    author: "dana",
    voters: ["omer"],
    quote: (ids) => ({
      pricing: "hourly",
      quarterHours: 40 * 4,
      rateMinor: 25_000,
      validUntil: validDay(30),
      deliveryWeeks: 6,
      termsMd: quoteTermsHe,
      audience: "org",
      offeredOrgId: ids.acme,
    }),
  },
  {
    title: "מחירונים במטבעות שונים",
    body: "חלק מהלקוחות שלנו משלמים בדולרים או ביורו. נשמח ל**מחירון לכל מטבע**, כך שהצעת מחיר וחשבונית ייצאו במטבע של הלקוח עם שער היום.",
    category: "invoices",
    author: "tamar",
    voters: ["ronit", "yossi", "noa"],
    quote: () => ({
      pricing: "fixed",
      fixedMinor: 2_000_000,
      validUntil: validDay(45),
      deliveryWeeks: 8,
      termsMd: quoteTermsHe,
      audience: "open",
      minShareMinor: 200_000,
    }),
    // Half of ₪23,600 (VAT included): Hooli Israel and Initech, ₪5,900 each.
    after: async (quote) => {
      await signAs("tamar", quote, 590_000, true);
      await signAs("ronit", quote, 590_000, false);
    },
  },
  {
    title: "תאריך עברי על חשבוניות",
    body: "לקוחות רבים שלנו ביקשו שהתאריך העברי יופיע על החשבונית לצד התאריך הלועזי.",
    category: "invoices",
    author: "yossi",
    voters: ["miri"],
    quote: (ids) => ({
      pricing: "fixed",
      fixedMinor: 600_000,
      validUntil: validDay(0),
      deliveryWeeks: 3,
      termsMd: quoteTermsHe,
      audience: "org",
      offeredOrgId: ids.bakery,
    }),
    // Its last day went by unanswered: the worker's sweep expires it.
    after: async ({ quoteId }) => {
      await db
        .updateTable("quotes")
        .set({ expires_at: iso(seedNow - DAY) })
        .where("id", "=", quoteId)
        .execute();
      await expireQuotes(new Date(seedNow));
    },
  },
  {
    title: "Export invoices to SAP Business One",
    body: "Our finance team runs SAP Business One. We'd like invoices and receipts to **sync to SAP** automatically, with customers matched by tax ID.",
    category: "accounting",
    author: "noa",
    voters: ["tamar"],
    quote: (ids) => ({
      pricing: "fixed",
      fixedMinor: 900_000,
      validUntil: validDay(30),
      deliveryWeeks: 4,
      termsMd: quoteTermsHe,
      audience: "org",
      offeredOrgId: ids.globex,
    }),
    after: async (quote) => {
      await signAs("noa", quote, null, true);
      const staff = person("staff").actor;
      await changeStatus({ actor: staff, requestId: quote.requestId, to: "in_progress" });
      await changeStatus({
        actor: staff,
        requestId: quote.requestId,
        to: "shipped",
        note: "Available now to every organization: Settings → Integrations → SAP Business One.",
      });
    },
  },
];

{
  const categoryIds = new Map(
    (await db.selectFrom("categories").select(["id", "slug"]).execute()).map((c) => [c.slug, c.id]),
  );
  const orgIdOf = async (slug: string) =>
    (
      await db
        .selectFrom("organizations")
        .select("id")
        .where("slug", "=", slug)
        .executeTakeFirstOrThrow()
    ).id;
  const ids = {
    acme: await orgIdOf("acme"),
    globex: await orgIdOf("globex"),
    bakery: await orgIdOf("bakery"),
  };
  const staff = person("staff").actor;
  for (const story of quoteStories) {
    const present = await db
      .selectFrom("requests")
      .select("id")
      .where("title", "=", story.title)
      .executeTakeFirst();
    if (present) continue;
    const author = person(story.author);
    const { id } = await createRequest({
      actor: author.actor,
      orgId: author.orgIds[0] ?? null,
      title: story.title,
      bodyMd: story.body,
      categoryId: categoryIds.get(story.category)!,
    });
    for (const alias of story.voters) {
      const voter = person(alias);
      await toggleVote({ requestId: id, actor: voter.actor, orgId: voter.orgIds[0] ?? null });
    }
    await decideRequest({ actor: staff, requestId: id, decision: { kind: "sponsored" } });
    const { quoteId, version } = await saveQuote({
      actor: staff,
      requestId: id,
      input: story.quote(ids),
    });
    const { terms_sha256: termsSha256 } = await db
      .selectFrom("quotes")
      .select("terms_sha256")
      .where("id", "=", quoteId)
      .executeTakeFirstOrThrow();
    await story.after?.({ requestId: id, quoteId, version, termsSha256 });
  }
}

// Announcements of shipped requests, published through the model like staff publish them, so
// their e-mails leave through the outbox. The two older ones are dated back into the story;
// the newest is published now and is unread for the demo accounts (the header shows a badge).
// One more waits as a scheduled announcement and one as a draft, for staff to find.
{
  const shippedId = async (title: string) =>
    (
      await db
        .selectFrom("requests")
        .select("id")
        .where("title", "=", title)
        .where("status", "=", "shipped")
        .executeTakeFirstOrThrow()
    ).id;
  const staff = person("staff").actor;
  const stories: {
    daysAgo: number | null;
    scheduledInDays?: number;
    titleHe: string;
    bodyHe: string;
    titleEn?: string;
    bodyEn?: string;
    requests: string[];
  }[] = [
    {
      daysAgo: 20,
      titleHe: "חשבוניות עסקה אוטומטיות וייצוא לחשבשבת",
      bodyHe: lines(
        "שני דברים שביקשתם עלו השבוע:",
        "",
        "- **חשבונית עסקה נוצרת לבד** מכל הוראת קבע: הגדרות ← הוראות קבע ← הפקת מסמך אוטומטית.",
        "- **ייצוא פקודות יומן לחשבשבת**, בקובץ שחשבשבת קולטת כמו שהוא: דוחות ← ייצוא להנהלת חשבונות.",
      ),
      titleEn: "Automatic proforma invoices and Hashavshevet export",
      bodyEn: lines(
        "Two things you asked for shipped this week:",
        "",
        "- **A proforma invoice is issued by itself** from every standing order: Settings → Standing orders → Issue automatically.",
        "- **Journal entries export to Hashavshevet**, in a file it imports as is: Reports → Export to accounting.",
      ),
      requests: ["הפקת חשבונית עסקה אוטומטית מהוראת קבע", "ייצוא פקודות יומן לחשבשבת"],
    },
    {
      daysAgo: 6,
      titleHe: "הרשאת צפייה בלבד לרואה החשבון",
      bodyHe: lines(
        "אפשר להזמין עכשיו את רואה החשבון בתפקיד **צפייה בלבד**: הוא רואה את כל המסמכים והדוחות, ואינו יכול לשנות דבר.",
        "",
        "הגדרות ← משתמשים ← הזמנת משתמש.",
      ),
      requests: ["הרשאת צפייה בלבד לרואה החשבון"],
    },
    {
      daysAgo: 0,
      titleHe: "סנכרון ל-SAP Business One, ותשלומים עם פריסה גלויה",
      bodyHe: lines(
        "**חשבוניות וקבלות מסתנכרנות ל-SAP Business One** מעצמן, והלקוחות מותאמים לפי מספר העוסק. הפיתוח מומן בידי Globex, וזמין עכשיו לכל הארגונים: הגדרות ← אינטגרציות.",
        "",
        "ובסליקה בתשלומים הלקוח רואה את הפריסה לפני שהוא מאשר.",
      ),
      titleEn: "Sync to SAP Business One, and instalments shown up front",
      bodyEn: lines(
        "**Invoices and receipts sync to SAP Business One** by themselves, with customers matched by tax ID. Globex sponsored the development, and it is available now to every organization: Settings → Integrations.",
        "",
        "And when paying in instalments, customers see the schedule before they confirm.",
      ),
      requests: ["Export invoices to SAP Business One", "סליקה בתשלומים עם הצגת הפריסה ללקוח"],
    },
    {
      daysAgo: null,
      scheduledInDays: 3,
      titleHe: "סיכום הרבעון: מה עלה ומה בדרך",
      bodyHe: "כל מה שעלה ברבעון הזה, ומה שנכנס לתוכנית העבודה לרבעון הבא.",
      requests: [],
    },
    {
      daysAgo: null,
      titleHe: "טיוטה: שיפורים קטנים בדוחות",
      bodyHe: "רשימת השיפורים הקטנים שעלו החודש (בעבודה).",
      requests: [],
    },
  ];
  const seeded = await db.selectFrom("announcements").select("id").executeTakeFirst();
  if (!seeded) {
    // Dana reads product news and the weekly digest; Noa product news; the others keep the
    // defaults (their followed requests' updates only).
    await savePreferences({
      actor: person("dana").actor,
      prefs: { status: true, news: true, digest: true },
    });
    await savePreferences({
      actor: person("noa").actor,
      prefs: { status: true, news: true, digest: false },
    });
    for (const story of stories) {
      const requestIds = [];
      for (const title of story.requests) requestIds.push(await shippedId(title));
      const { id } = await createAnnouncement({
        actor: staff,
        input: {
          titleHe: story.titleHe,
          bodyHe: story.bodyHe,
          titleEn: story.titleEn ?? "",
          bodyEn: story.bodyEn ?? "",
          requestIds,
        },
      });
      if (story.scheduledInDays !== undefined) {
        await publishAnnouncement({
          actor: staff,
          id,
          at: iso(seedNow + story.scheduledInDays * DAY),
        });
      } else if (story.daysAgo !== null) {
        await publishAnnouncement({ actor: staff, id });
        if (story.daysAgo > 0) {
          const at = iso(seedNow - story.daysAgo * DAY);
          await db
            .updateTable("announcements")
            .set({ published_at: at, created_at: at, updated_at: at })
            .where("id", "=", id)
            .execute();
        }
      }
    }
    // The demo accounts have read everything but the newest.
    await db
      .updateTable("users")
      .set({ announcements_seen_at: iso(seedNow - DAY) })
      .where(
        "email",
        "in",
        accounts.map((a) => a.email),
      )
      .execute();
  }
}

// The requests above were indexed as they were proposed; this stamps the index's version (and
// rebuilds an index an older version of the app wrote into a database seeded before).
await reindexStaleSearch();

const requestsByStatus = await db
  .selectFrom("requests")
  .select((eb) => ["status", eb.fn.countAll<number>().as("n")])
  .groupBy("status")
  .execute();
const voteTotal = await db
  .selectFrom("votes")
  .select((eb) => eb.fn.countAll<number>().as("n"))
  .executeTakeFirstOrThrow();
const commentTotal = await db
  .selectFrom("comments")
  .select((eb) => eb.fn.countAll<number>().as("n"))
  .executeTakeFirstOrThrow();
const requestTotal = requestsByStatus.reduce((sum, row) => sum + row.n, 0);
const statusSummary = REQUEST_STATUSES.flatMap((s) => {
  const n = requestsByStatus.find((row) => row.status === s)?.n;
  return n ? [`${n} ${s}`] : [];
}).join(", ");

await db.destroy();
console.log(
  `Seeded ${databaseFileFromUrl(process.env.DATABASE_URL)}: ${accounts.map((a) => a.email).join(", ")} ` +
    `(password ${DEMO_PASSWORD}), organizations Acme Ltd and Globex plus ` +
    `${customerOrganizations.map((o) => o.name).join(", ")} (${customers.length} more accounts), ` +
    `${categories.length} categories, ${requestTotal} requests ` +
    `${alreadySeeded ? "(already there) " : ""}(${statusSummary}), ` +
    `${voteTotal.n} votes, ${commentTotal.n} comments.`,
);
