// Form schemas of every action; messages are catalog keys. Server-only, so zod stays out of
// the browser bundle.
import { z } from "zod";
import { LOCALES } from "~/i18n/messages";
import { BOARD_SORTS, REQUEST_STATUSES } from "~/models/requests.server";

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

const email = z
  .string({ error: "error.required" })
  .trim()
  .min(1, "error.required")
  .max(254, "error.emailInvalid")
  .pipe(z.email({ error: "error.emailInvalid" }));

const name = z
  .string({ error: "error.required" })
  .trim()
  .min(1, "error.required")
  .max(80, "error.nameTooLong");

const newPassword = z
  .string({ error: "error.required" })
  .min(1, "error.required")
  .min(PASSWORD_MIN, "error.passwordTooShort")
  .max(PASSWORD_MAX, "error.passwordTooLong");

export const SignInSchema = z.object({
  email,
  password: z
    .string({ error: "error.required" })
    .min(1, "error.required")
    .max(PASSWORD_MAX, "error.invalidCredentials"),
  redirectTo: z.string().optional(),
});

export const SignUpSchema = z.object({
  name,
  email,
  password: newPassword,
  redirectTo: z.string().optional(),
});

export const ProfileSchema = z.object({
  intent: z.literal("profile"),
  name,
  locale: z.enum(["", ...LOCALES], { error: "error.invalid" }),
});

export const PasswordSchema = z.object({
  intent: z.literal("password"),
  currentPassword: z.string({ error: "error.required" }).min(1, "error.required"),
  newPassword,
});

export const OrganizationSchema = z.object({
  name: z
    .string({ error: "error.required" })
    .trim()
    .min(2, "error.orgNameTooShort")
    .max(80, "error.nameTooLong"),
});

export const InviteSchema = z.object({
  intent: z.literal("invite"),
  email,
  role: z.enum(["member", "admin"], { error: "error.invalid" }),
});

const positiveId = z.coerce.number({ error: "error.invalid" }).int().positive("error.invalid");

export const MemberSchema = z.object({ userId: positiveId });
export const RoleSchema = MemberSchema.extend({
  role: z.enum(["member", "admin"], { error: "error.invalid" }),
});
export const RevokeSchema = z.object({ invitationId: positiveId });
export const SwitchOrganizationSchema = z.object({
  orgId: positiveId,
  redirectTo: z.string().optional(),
});
export const LanguageSchema = z.object({
  locale: z.enum(LOCALES),
  redirectTo: z.string().optional(),
});

export const RequestIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const VoteSchema = z.object({
  redirectTo: z.string().optional(),
  via: z.enum(["fetch"]).optional(),
});

export const BoardQuerySchema = z.object({
  // Absent: relevance when searching, else most organizations.
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

export const MarkdownPreviewSchema = z.object({ text: z.string().max(20_000) });

export const ProposeSchema = z.object({
  title: z
    .string({ error: "error.required" })
    .trim()
    .min(1, "error.required")
    .max(200, "request.error.titleLength"),
  bodyMd: z.string().max(20_000, "request.error.bodyTooLong").default(""),
  categoryId: z.coerce
    .number({ error: "request.error.categoryUnknown" })
    .int()
    .positive("request.error.categoryUnknown"),
  confirmed: z.literal("1").optional(),
});

export const CommentSchema = z.object({
  bodyMd: z
    .string({ error: "request.error.commentEmpty" })
    .trim()
    .min(1, "request.error.commentEmpty")
    .max(10_000, "request.error.commentTooLong"),
  official: z.literal("on").optional(),
  internal: z.literal("on").optional(),
});

export const EditCommentSchema = z.object({
  commentId: z.coerce.number().int().positive(),
  bodyMd: z
    .string({ error: "request.error.commentEmpty" })
    .trim()
    .min(1, "request.error.commentEmpty")
    .max(10_000, "request.error.commentTooLong"),
});

export const CommentIdSchema = z.object({ commentId: z.coerce.number().int().positive() });
