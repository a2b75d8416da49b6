// `npm run db:seed`: the demo data of design.md. Safe to run again: it adds only what is missing.
// Demo accounts keep no saved language, so each visitor sees the language of their browser or
// of the header's switch.
import { migrateDatabaseFile } from "./migrator.js";
import { databaseFileFromUrl } from "./sqlite.js";

await migrateDatabaseFile(process.env.DATABASE_URL);

const { getDb, now } = await import("~/db.server");
const { createUser, getUserByEmail } = await import("~/models/users.server");

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

for (const spec of organizations) {
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
      created_at: now(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (const [email, role] of spec.members) {
    await db
      .insertInto("memberships")
      .values({ org_id: org.id, user_id: users.get(email)!, role, created_at: now() })
      .onConflict((oc) => oc.columns(["org_id", "user_id"]).doNothing())
      .execute();
  }
}

const categories = [
  ["invoices", "חשבוניות וקבלות", "Invoices & receipts"],
  ["payments", "סליקה ותשלומים", "Payments & clearing"],
  ["accounting", "הנהלת חשבונות ודוחות", "Accounting & reports"],
  ["customers", "לקוחות ואנשי קשר", "Customers & contacts"],
  ["inventory", "מלאי ומוצרים", "Inventory & products"],
  ["integrations", "אינטגרציות ו-API", "Integrations & API"],
  ["mobile", "אפליקציה לנייד", "Mobile app"],
  ["general", "כללי", "General"],
] as const;

for (const [index, [slug, nameHe, nameEn]] of categories.entries()) {
  await db
    .insertInto("categories")
    .values({ slug, name_he: nameHe, name_en: nameEn, position: index + 1 })
    .onConflict((oc) => oc.column("slug").doNothing())
    .execute();
}

await db.destroy();
console.log(
  `Seeded ${databaseFileFromUrl(process.env.DATABASE_URL)}: ${accounts.map((a) => a.email).join(", ")} ` +
    `(password ${DEMO_PASSWORD}), organizations Acme Ltd and Globex, ${categories.length} categories.`,
);
