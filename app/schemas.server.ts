// Form schemas of every action; messages are catalog keys. Server-only, so zod stays out of
// the browser bundle.
import { z } from "zod";
import { LOCALES, type MessageKey } from "~/i18n/messages";
import { COMMENT_KINDS, COMMENT_MAX_LENGTH } from "~/models/comments.server";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "~/models/passwords.server";
import { BODY_MAX_LENGTH } from "~/models/request-limits";
import { DECISION_KINDS } from "~/models/request-status";
import {
  BOARD_SORTS,
  isTitleLengthValid,
  REQUEST_STATUSES,
  REQUEST_VISIBILITIES,
} from "~/models/requests.server";
import { CUSTOMER_QUOTE_MAX_LENGTH, DEMAND_SOURCES } from "~/models/staff-requests.server";
import { parseHoursInput, parseMoneyInput } from "~/models/money";
import {
  DECLINE_REASON_MAX_LENGTH,
  DELIVERY_WEEKS_MAX,
  israelDay,
  SIGNER_NAME_MAX_LENGTH,
  TERMS_MAX_LENGTH,
  type QuoteInput,
} from "~/models/quotes.server";
import { quarterParts } from "~/models/quarters";
import { isHelpUrl, NOTE_MAX_LENGTH } from "~/models/triage.server";
import { cleanLine, cleanMarkdown } from "~/text";
import {
  ANNOUNCEMENT_BODY_MAX_LENGTH,
  ANNOUNCEMENT_REQUESTS_MAX,
  ANNOUNCEMENT_TITLE_MAX_LENGTH,
  israelWallTimeToIso,
  SCHEDULE_MAX_DAYS,
} from "~/models/announcements.server";

/**
 * A one-line text others will read (a name, a title): cleaned by `cleanLine` before any rule
 * is checked, so the rules count what is stored. Every schema taking such text starts here.
 */
const line = () => z.string({ error: "error.required" }).overwrite(cleanLine);

/** A Markdown body, without NUL bytes. */
const markdown = (missing: MessageKey = "error.required") =>
  z.string({ error: missing }).overwrite(cleanMarkdown);

/**
 * An id from a URL or a form: canonical decimal only ("12", never "012", "+12", " 12", "1e1"
 * or "0x0c"), within the safe integer range, so one row has one address.
 */
const idField = (message: MessageKey = "error.invalid") =>
  z
    .string({ error: message })
    .regex(/^[1-9][0-9]{0,15}$/, message)
    .transform(Number)
    .refine(Number.isSafeInteger, message);

export const IdSchema = idField();

/** The id in a URL's path or query, or null when there is none or it is not canonical. */
export function parseId(value: string | null | undefined): number | null {
  const parsed = IdSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The id in a URL's path; anything else is a page that does not exist. */
export function requireIdParam(value: string | undefined): number {
  const id = parseId(value);
  if (id === null) throw new Response("Not found", { status: 404 });
  return id;
}

const email = z
  .string({ error: "error.required" })
  .trim()
  .min(1, "error.required")
  .max(254, "error.emailInvalid")
  .pipe(z.email({ error: "error.emailInvalid" }));

const name = line().min(1, "error.required").max(80, "error.nameTooLong");

const newPassword = z
  .string({ error: "error.required" })
  .min(1, "error.required")
  .min(PASSWORD_MIN_LENGTH, "error.passwordTooShort")
  .max(PASSWORD_MAX_LENGTH, "error.passwordTooLong");

export const SignInSchema = z.object({
  email,
  password: z
    .string({ error: "error.required" })
    .min(1, "error.required")
    .max(PASSWORD_MAX_LENGTH, "error.invalidCredentials"),
  redirectTo: z.string().optional(),
});

export const SignUpSchema = z.object({
  name,
  email,
  password: newPassword,
  redirectTo: z.string().optional(),
});

export const ForgotPasswordSchema = z.object({ email });

/** The same password rules as sign-up. */
export const ResetPasswordSchema = z.object({ newPassword });

export const DeleteAccountSchema = z.object({
  password: z.string({ error: "error.required" }).min(1, "error.required").max(PASSWORD_MAX_LENGTH),
});

export const ResendVerificationSchema = z.object({ redirectTo: z.string().optional() });

export const ProfileSchema = z.object({
  intent: z.literal("profile"),
  name,
  locale: z.enum(["", ...LOCALES], { error: "error.invalid" }),
});

/** The account page's e-mail preferences: a checked box sends "on", an unchecked one nothing. */
const preference = z
  .literal("on", { error: "error.invalid" })
  .optional()
  .transform((value) => value === "on");
export const PreferencesSchema = z.object({
  intent: z.literal("preferences"),
  status: preference,
  news: preference,
  digest: preference,
});

export const PasswordSchema = z.object({
  intent: z.literal("password"),
  currentPassword: z.string({ error: "error.required" }).min(1, "error.required"),
  newPassword,
});

export const EndSessionSchema = z.object({
  intent: z.literal("endSession"),
  sessionId: z.string().regex(/^[0-9a-f]{64}$/, "error.invalid"),
});

export const OrganizationSchema = z.object({
  name: line().min(2, "error.orgNameTooShort").max(80, "error.nameTooLong"),
});

export const InviteSchema = z.object({
  intent: z.literal("invite"),
  email,
  role: z.enum(["member", "admin"], { error: "error.invalid" }),
});

export const MemberSchema = z.object({ userId: IdSchema });
export const RoleSchema = MemberSchema.extend({
  role: z.enum(["member", "admin"], { error: "error.invalid" }),
});
export const RevokeSchema = z.object({ invitationId: IdSchema });
export const SwitchOrganizationSchema = z.object({
  orgId: IdSchema,
  redirectTo: z.string().optional(),
});
export const LanguageSchema = z.object({
  locale: z.enum(LOCALES),
  redirectTo: z.string().optional(),
});

export const VoteSchema = z.object({
  redirectTo: z.string().optional(),
  via: z.enum(["fetch"]).optional(),
});

export const BoardQuerySchema = z.object({
  // Absent: relevance when searching, else most organizations. "waiting" is for staff only:
  // listRequests gives anyone else the default order.
  sort: z.enum(BOARD_SORTS).optional().catch(undefined),
  // Absent: open work; "all" adds the closed ones.
  status: z
    .enum([...REQUEST_STATUSES, "all"])
    .optional()
    .catch(undefined),
  category: z.string().max(60).optional().catch(undefined),
  q: z.string().max(200).optional().catch(undefined),
  cursor: z.string().max(200).optional().catch(undefined),
});

export const SimilarQuerySchema = z.object({ title: z.string().max(200) });

export const MarkdownPreviewSchema = z.object({ text: markdown().max(BODY_MAX_LENGTH) });

const commentBody = markdown("request.error.commentEmpty")
  .trim()
  .min(1, "request.error.commentEmpty")
  .max(COMMENT_MAX_LENGTH, "request.error.commentTooLong");

export const ProposeSchema = z.object({
  // The model's rule, checked here too so that every field's error shows at once.
  title: line().min(1, "error.required").refine(isTitleLengthValid, "request.error.titleLength"),
  bodyMd: markdown().max(BODY_MAX_LENGTH, "request.error.bodyTooLong").default(""),
  categoryId: idField("request.error.categoryUnknown"),
  // Who sees it: everyone unless the customer keeps it to their organization.
  visibility: z
    .enum(REQUEST_VISIBILITIES, { error: "request.error.visibilityInvalid" })
    .default("public"),
  confirmed: z.literal("1").optional(),
});

/** Staff make a request public or organization only. */
export const VisibilitySchema = z.object({
  visibility: z.enum(REQUEST_VISIBILITIES, { error: "request.error.visibilityInvalid" }),
});

/** The author's edit of their own request: the fields of a proposal, checked the same way. */
export const EditRequestSchema = ProposeSchema.pick({
  title: true,
  bodyMd: true,
  categoryId: true,
}).extend({ intent: z.literal("edit") });

export const WithdrawRequestSchema = z.object({
  intent: z.literal("withdraw"),
  confirm: z.literal("on", { error: "requestEdit.withdraw.confirmRequired" }),
});

export const CommentSchema = z.object({
  bodyMd: commentBody,
  // Staff choose one (a radio group); customers' forms send none, which is a public comment.
  kind: z.enum(COMMENT_KINDS, { error: "request.error.commentKindInvalid" }).default("public"),
});

export const EditCommentSchema = z.object({ commentId: IdSchema, bodyMd: commentBody });

export const CommentIdSchema = z.object({ commentId: IdSchema });

// --- Issue 11, staff pages: the roadmap's filter, the audit log's filters, staff settings ---

export const RoadmapQuerySchema = z.object({
  category: z.string().max(60).optional().catch(undefined),
});

/** The changelog's query: a category's slug and the keyset cursor (checked by parseCursor). */
export const ChangelogQuerySchema = z.object({
  category: z.string().max(60).optional().catch(undefined),
  after: z.string().max(60).optional().catch(undefined),
});

export const AuditQuerySchema = z.object({
  actor: IdSchema.optional().catch(undefined),
  action: z
    .string()
    .regex(/^[a-z_]+(\.[a-z_]+)*$/)
    .max(60)
    .optional()
    .catch(undefined),
  request: IdSchema.optional().catch(undefined),
  cursor: IdSchema.optional().catch(undefined),
});

const categoryName = line()
  .min(1, "error.required")
  .max(60, "staffSettings.category.error.nameTooLong");

/** A decimal with up to two places ("250", "17.5") as an integer of hundredths, exactly. */
const hundredths = (message: MessageKey, max: number) =>
  z
    .string({ error: "error.required" })
    .trim()
    .min(1, "error.required")
    .regex(/^[0-9]{1,9}([.,][0-9]{1,2})?$/, message)
    .transform((text) => {
      const [whole, fraction = ""] = text.split(/[.,]/);
      return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
    })
    .refine((value) => Number.isSafeInteger(value) && value <= max, message);

const staffRole = z.enum(["member", "admin"], { error: "error.invalid" });

export const StaffSettingsSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("categoryCreate"),
      slug: z
        .string({ error: "error.required" })
        .trim()
        .toLowerCase()
        .min(1, "error.required")
        .max(40, "staffSettings.category.error.slugInvalid")
        .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "staffSettings.category.error.slugInvalid"),
      nameHe: categoryName,
      nameEn: categoryName,
    }),
    z.object({
      intent: z.literal("categoryRename"),
      categoryId: IdSchema,
      nameHe: categoryName,
      nameEn: categoryName,
    }),
    z.object({
      intent: z.literal("categoryMove"),
      categoryId: IdSchema,
      direction: z.enum(["up", "down"], { error: "error.invalid" }),
    }),
    z.object({
      intent: z.literal("categoryArchive"),
      categoryId: IdSchema,
      archived: z.enum(["1", "0"], { error: "error.invalid" }).transform((v) => v === "1"),
    }),
    z.object({ intent: z.literal("staffGrant"), email, role: staffRole }),
    z.object({ intent: z.literal("staffRole"), userId: IdSchema, role: staffRole }),
    z.object({ intent: z.literal("staffRevoke"), userId: IdSchema }),
    z.object({
      intent: z.literal("pricing"),
      // Shekels with agorot ("250", "250.50") → agorot; up to ₪100,000 an hour.
      hourlyRate: hundredths("staffSettings.pricing.error.rate", 10_000_000),
      // A percentage ("18", "17.5") → basis points; up to 100%.
      vatPercent: hundredths("staffSettings.pricing.error.vat", 10_000),
    }),
    z.object({
      intent: z.literal("quoteSettings"),
      termsMd: markdown().max(TERMS_MAX_LENGTH, "staffSettings.quote.error.termsLong"),
      validDays: z
        .string({ error: "staffSettings.quote.error.validDays" })
        .trim()
        .regex(/^[1-9][0-9]{0,2}$/, "staffSettings.quote.error.validDays")
        .transform(Number)
        .refine((days) => days <= 365, "staffSettings.quote.error.validDays"),
    }),
  ],
  { error: "error.invalid" },
);

export type StaffSettingsForm = z.output<typeof StaffSettingsSchema>;
// --- staff-edits: staff clean-up, owner, target quarter, demand on a customer's behalf

/** An id or nothing ("" from a select's empty option): null. */
const optionalId = (message: MessageKey) =>
  z
    .string({ error: message })
    .default("")
    .refine((v) => v === "" || /^[1-9][0-9]{0,15}$/.test(v), message)
    .transform((v) => (v === "" ? null : Number(v)));

/** Staff's clean-up of a request: the fields of a proposal, checked the same way. */
export const StaffEditSchema = ProposeSchema.pick({ title: true, bodyMd: true, categoryId: true });

export const OwnerSchema = z.object({ ownerId: optionalId("staffRequests.error.ownerNotStaff") });

export const QuarterSchema = z.object({
  quarter: z
    .string({ error: "staffRequests.error.quarterInvalid" })
    .max(10, "staffRequests.error.quarterInvalid")
    .default("")
    .transform((v) => (v === "" ? null : v)),
});

/** Who staff act for: the organization, then a member of it or a new contact; how they heard. */
const customerFields = z.object({
  orgId: idField("staffRequests.error.orgUnknown"),
  userId: optionalId("staffRequests.error.notAMember"),
  newContactEmail: z
    .string()
    .trim()
    .max(254, "staffRequests.error.contactEmailInvalid")
    .default(""),
  newContactName: line().max(80, "error.nameTooLong").default(""),
  source: z.enum(DEMAND_SOURCES, { error: "staffRequests.error.sourceInvalid" }),
  quote: markdown()
    .trim()
    .max(CUSTOMER_QUOTE_MAX_LENGTH, "staffRequests.error.quoteTooLong")
    .default(""),
});

/**
 * A member, or a new contact's valid address. Runs even when other fields failed (`when`), so
 * every field's error shows at once; the values may then be partly unparsed.
 */
function refineCustomer(value: z.output<typeof customerFields>, ctx: z.RefinementCtx) {
  if (value.userId !== null && value.userId !== undefined) return;
  const email = typeof value.newContactEmail === "string" ? value.newContactEmail : "";
  if (email === "") {
    ctx.addIssue({
      code: "custom",
      path: ["userId"],
      message: "staffRequests.error.customerRequired",
    });
    return;
  }
  if (!z.email().safeParse(email).success)
    ctx.addIssue({
      code: "custom",
      path: ["newContactEmail"],
      message: "staffRequests.error.contactEmailInvalid",
    });
}

const always = { when: () => true };

export const RecordVoteSchema = customerFields.superRefine(refineCustomer, always);

export const ProposeOnBehalfSchema = customerFields
  .extend(StaffEditSchema.shape)
  .superRefine(refineCustomer, always);

/** The customer a form chose, as the model takes it. */
export function customerChoiceOf(data: z.output<typeof customerFields>) {
  return {
    orgId: data.orgId,
    userId: data.userId,
    newContact:
      data.userId === null ? { email: data.newContactEmail, name: data.newContactName } : null,
    source: data.source,
    quote: data.quote === "" ? null : data.quote,
  };
}
// --- end staff-edits

// ---------------------------------------------------------------------------------------------
// Staff triage: the decision, progress and reopen forms, and the queue's query.

// The model's own rules (length, quarter, link), checked here too so every field's error shows
// at once.
const triageText = (missing: MessageKey) =>
  markdown(missing).trim().min(1, missing).max(NOTE_MAX_LENGTH, "triage.error.noteTooLong");

/** An optional note: "" is none. */
const optionalNote = z
  .string()
  .overwrite(cleanMarkdown)
  .trim()
  .max(NOTE_MAX_LENGTH, "triage.error.noteTooLong")
  .optional()
  .transform((note) => note || null);

export const DecisionSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({
      kind: z.literal("broad"),
      targetQuarter: z
        .string()
        .trim()
        .refine((q) => q === "" || quarterParts(q) !== null, "staffRequests.error.quarterInvalid")
        .optional()
        .transform((q) => q || null),
      note: optionalNote,
    }),
    z.object({ kind: z.literal("sponsored"), note: optionalNote }),
    z.object({ kind: z.literal("declined"), reason: triageText("triage.error.reasonRequired") }),
    z.object({
      kind: z.literal("already_exists"),
      explanation: triageText("triage.error.explanationRequired"),
      helpUrl: z
        .string()
        .trim()
        .refine((url) => url === "" || isHelpUrl(url), "triage.error.helpUrlInvalid")
        .optional()
        .transform((url) => url || null),
    }),
    z.object({
      kind: z.literal("merge"),
      // "#12" or "12": staff think of requests by their number.
      targetId: z
        .string({ error: "triage.error.mergeTarget" })
        .transform((value) => value.trim().replace(/^#/, ""))
        .pipe(idField("triage.error.mergeTarget")),
      note: optionalNote,
    }),
  ],
  { error: "error.invalid" },
);

export const StatusStepSchema = z.object({
  to: z.enum(REQUEST_STATUSES, { error: "error.invalid" }),
  note: optionalNote,
});

export const ReopenSchema = z.object({ reason: triageText("triage.error.reasonRequired") });

export const TriageQuerySchema = z.object({
  category: z.string().max(60).optional().catch(undefined),
  cursor: z.string().max(200).optional().catch(undefined),
  // A decision opened without JavaScript: the request's forms are rendered open on this one.
  decide: z.coerce.number().int().positive().optional().catch(undefined),
  kind: z.enum(DECISION_KINDS).optional().catch(undefined),
});

// ---------------------------------------------------------------------------------------------
// Quotes: the staff quote form (issue 12). Each field parses on its own and the ones a pricing
// or audience needs are required afterwards (`always`), so every field's error shows at once.

/** "" (or nothing) as null, else what `parse` makes of the text, or the issue `message`. */
const optionalParsed = (parse: (text: string) => number | null, message: MessageKey) =>
  z
    .string({ error: message })
    .default("")
    .transform((text, ctx) => {
      if (text.trim() === "") return null;
      const value = parse(text);
      if (value === null) ctx.addIssue({ code: "custom", message });
      return value;
    });

const positiveMoney = (text: string) => {
  const minor = parseMoneyInput(text);
  return minor === null || minor === 0 ? null : minor;
};
const wholeShekels = (text: string) => {
  const minor = positiveMoney(text);
  return minor === null || minor % 100 !== 0 ? null : minor;
};

export const QuoteFormSchema = z
  .object({
    pricing: z.enum(["hourly", "fixed"], { error: "error.invalid" }),
    hours: optionalParsed(parseHoursInput, "quote.error.hours"),
    rate: optionalParsed(wholeShekels, "quote.error.rate"),
    amount: optionalParsed(positiveMoney, "quote.error.amount"),
    validUntil: z
      .string({ error: "quote.error.validUntil" })
      .trim()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "quote.error.validUntil")
      .refine((day) => {
        // "2027-02-30" or "2027-13-01" is no day (the Date rolls over, or is invalid).
        const date = new Date(`${day}T00:00:00Z`);
        return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day);
      }, "quote.error.validUntil")
      .refine((day) => day >= israelDay(), "quote.error.validUntilPast"),
    deliveryWeeks: z
      .string({ error: "quote.error.delivery" })
      .trim()
      .regex(/^[1-9][0-9]{0,2}$/, "quote.error.delivery")
      .transform(Number)
      .refine((weeks) => weeks <= DELIVERY_WEEKS_MAX, "quote.error.delivery"),
    termsMd: markdown("quote.error.terms")
      .trim()
      .min(1, "quote.error.terms")
      .max(TERMS_MAX_LENGTH, "quote.error.termsLong"),
    audience: z.enum(["org", "open"], { error: "error.invalid" }),
    offeredOrgId: optionalId("quote.error.org"),
    minShare: optionalParsed(positiveMoney, "quote.error.minShare"),
  })
  .superRefine((form, ctx) => {
    const require = (field: string, message: MessageKey) =>
      ctx.addIssue({ code: "custom", path: [field], message });
    // Fields that failed to parse already have their issue; only missing ones are added.
    const missing = (value: unknown) => value === null || value === undefined;
    const raw = form as Record<string, unknown>;
    if (form.pricing === "hourly") {
      if (missing(raw.hours)) require("hours", "quote.error.hours");
      if (missing(raw.rate)) require("rate", "quote.error.rate");
    } else if (form.pricing === "fixed" && missing(raw.amount)) {
      require("amount", "quote.error.amount");
    }
    if (form.audience === "org" && missing(raw.offeredOrgId))
      require("offeredOrgId", "quote.error.org");
  }, always)
  .transform((form): QuoteInput => ({
    pricing: form.pricing,
    quarterHours: form.pricing === "hourly" ? form.hours : null,
    rateMinor: form.pricing === "hourly" ? form.rate : null,
    fixedMinor: form.pricing === "fixed" ? form.amount : null,
    validUntil: form.validUntil,
    deliveryWeeks: form.deliveryWeeks,
    termsMd: form.termsMd,
    audience: form.audience,
    offeredOrgId: form.audience === "org" ? form.offeredOrgId : null,
    minShareMinor: form.audience === "open" ? form.minShare : null,
  }));

export const WithdrawQuoteSchema = z.object({ quoteId: IdSchema });

// --- end quotes
// Sponsored development: accepting, declining or asking the admins (/requests/:id/sponsor).
const checkbox = z
  .string()
  .optional()
  .transform((value) => value === "on");

export const AcceptQuoteSchema = z.object({
  version: idField("quote.error.superseded"),
  termsSha256: z.string({ error: "quote.error.termsChanged" }),
  orgId: idField("quote.error.notAdmin"),
  // Open quotes only (the route asks for it there); an "org" quote takes the whole amount.
  share: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (!text?.trim()) return null;
      const minor = parseMoneyInput(text);
      if (minor === null || minor <= 0) {
        ctx.addIssue({ code: "custom", message: "quote.error.share" });
        return z.NEVER;
      }
      return minor;
    }),
  capToRemaining: checkbox,
  agreed: z.literal("on", { error: "quote.error.agree" }),
  signerName: line()
    .min(2, "quote.error.signerName")
    .max(SIGNER_NAME_MAX_LENGTH, "quote.error.signerName"),
  creditByName: checkbox,
});

export const DeclineQuoteSchema = z.object({
  version: idField("quote.error.superseded"),
  orgId: idField("quote.error.notAdmin"),
  reason: z.string().max(DECLINE_REASON_MAX_LENGTH, "quoteAccept.error.reasonLong").optional(),
});

export const AskAdminsSchema = z.object({ orgId: idField("org.error.notYourOrg") });
// --- Issue 12, the sponsorship ledger's filters and page (a bad value is no filter) ---

export const SponsorshipQuerySchema = z.object({
  status: z.enum(["pledged", "funded", "lapsed"]).optional().catch(undefined),
  org: IdSchema.optional().catch(undefined),
  request: IdSchema.optional().catch(undefined),
  cursor: z
    .string()
    .max(60)
    .regex(/^[\dTZ:.-]+~\d+$/)
    .optional()
    .catch(undefined),
});

// --- Issue 13, the staff announcement form (/staff/announcements/new and /:id). Each field
// parses on its own, so every field's error shows at once; the model checks again (and what
// only the database knows: that the covered requests are shipped and public).

const announcementTitle = (missing?: MessageKey) => {
  // Counted in characters a reader sees, as the model counts them.
  const text = line().refine(
    (title) => [...title].length <= ANNOUNCEMENT_TITLE_MAX_LENGTH,
    "announcements.error.titleTooLong",
  );
  return missing ? text.refine((title) => title !== "", missing) : text.default("");
};
const announcementBody = (missing?: MessageKey) => {
  const text = markdown()
    .trim()
    .max(ANNOUNCEMENT_BODY_MAX_LENGTH, "announcements.error.bodyTooLong");
  return missing ? text.min(1, missing) : text.default("");
};

/** The checked requests, which the route joins into one "3,7,12" field (FormData repeats them). */
const coveredRequestIds = z
  .string()
  .default("")
  .transform((text, ctx) => {
    const parts = text.split(",").filter((part) => part !== "");
    const ids = parts.map((part) => parseId(part));
    if (ids.some((id) => id === null)) {
      ctx.addIssue({ code: "custom", message: "announcements.error.requestNotFound" });
      return z.NEVER;
    }
    const unique = [...new Set(ids as number[])];
    if (unique.length > ANNOUNCEMENT_REQUESTS_MAX) {
      ctx.addIssue({ code: "custom", message: "announcements.error.tooManyRequests" });
      return z.NEVER;
    }
    return unique;
  });

const announcementFields = {
  titleHe: announcementTitle("announcements.error.titleRequired"),
  bodyHe: announcementBody("announcements.error.bodyRequired"),
  titleEn: announcementTitle(),
  bodyEn: announcementBody(),
  requestIds: coveredRequestIds,
};

// Half an English version would show an English title over a Hebrew body: both or neither.
const englishBothOrNeither = (
  form: { titleEn?: unknown; bodyEn?: unknown },
  ctx: z.RefinementCtx,
) => {
  const has = (value: unknown) => typeof value === "string" && value !== "";
  if (!has(form.titleEn) && has(form.bodyEn))
    ctx.addIssue({
      code: "custom",
      path: ["titleEn"],
      message: "announcements.error.englishTitleMissing",
    });
  if (has(form.titleEn) && !has(form.bodyEn))
    ctx.addIssue({
      code: "custom",
      path: ["bodyEn"],
      message: "announcements.error.englishBodyMissing",
    });
};

export const AnnouncementFormSchema = z
  .object(announcementFields)
  .superRefine(englishBothOrNeither, always);

/**
 * "Schedule": the form and the moment, typed as Israel's wall clock (datetime-local), in the
 * future and within SCHEDULE_MAX_DAYS.
 */
export const AnnouncementScheduleSchema = z
  .object({
    ...announcementFields,
    publishAt: z
      .string({ error: "staffAnnouncements.error.publishAtRequired" })
      .trim()
      .min(1, "staffAnnouncements.error.publishAtRequired")
      .transform((text, ctx) => {
        const iso = israelWallTimeToIso(text);
        if (iso === null) {
          ctx.addIssue({ code: "custom", message: "staffAnnouncements.error.publishAtInvalid" });
          return z.NEVER;
        }
        if (iso <= new Date().toISOString()) {
          ctx.addIssue({ code: "custom", message: "staffAnnouncements.error.publishAtPast" });
          return z.NEVER;
        }
        if (Date.parse(iso) - Date.now() > SCHEDULE_MAX_DAYS * 86_400_000) {
          ctx.addIssue({ code: "custom", message: "announcements.error.scheduleTooFar" });
          return z.NEVER;
        }
        return iso;
      }),
  })
  .superRefine(englishBothOrNeither, always);

export const AnnouncementListQuerySchema = z.object({
  cursor: z
    .string()
    .max(60)
    .regex(/^[\dTZ:.-]+~\d+$/)
    .optional()
    .catch(undefined),
});
