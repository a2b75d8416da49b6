import { describe, expect, it } from "vitest";
import {
  CommentIdSchema,
  EditCommentSchema,
  InviteSchema,
  OrganizationSchema,
  PasswordSchema,
  ProfileSchema,
  ProposeSchema,
  RevokeSchema,
  SignInSchema,
  RoleSchema,
  SignUpSchema,
  SwitchOrganizationSchema,
} from "~/schemas.server";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "~/models/passwords.server";
import { TITLE_MAX_LENGTH, TITLE_MIN_LENGTH } from "~/models/request-limits";
import { errorsFromRefusal, formValues, parseForm, readForm, validateForm } from "~/forms.server";
import { en } from "~/i18n/en";
import { he } from "~/i18n/he";
import { ActionRefused } from "~/models/errors";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, value);
  return data;
};

describe("validating the sign-up form", () => {
  it("accepts a complete form and trims the e-mail and name", () => {
    const result = validateForm(
      form({ name: "  Dana  ", email: "  dana@acme.test ", password: "long enough pw" }),
      SignUpSchema,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toMatchObject({
      name: "Dana",
      email: "dana@acme.test",
      password: "long enough pw",
    });
  });

  it("reports one catalog key per field", () => {
    const result = validateForm(
      form({ name: " ", email: "not-an-email", password: "short" }),
      SignUpSchema,
    );
    expect(result.errors).toEqual({
      name: "error.required",
      email: "error.emailInvalid",
      password: "error.passwordTooShort",
    });
  });

  it("asks for fields that were not sent at all", () => {
    const result = validateForm(form({}), SignUpSchema);
    expect(result.errors).toMatchObject({
      name: "error.required",
      email: "error.required",
      password: "error.required",
    });
  });

  it("refuses a password over 200 characters and a name over 80", () => {
    const result = validateForm(
      form({ name: "x".repeat(81), email: "a@b.test", password: "p".repeat(201) }),
      SignUpSchema,
    );
    expect(result.errors).toEqual({ name: "error.nameTooLong", password: "error.passwordTooLong" });
  });

  it("gives the submitted values back, but never a password", () => {
    const result = validateForm(
      form({
        name: "Dana",
        email: "bad",
        password: "secret-password",
        currentPassword: "old-secret",
        newPassword: "new-secret",
      }),
      SignUpSchema,
    );
    expect(result.values).toEqual({ name: "Dana", email: "bad" });
    expect(JSON.stringify(result)).not.toContain("secret");
  });
});

describe("other forms", () => {
  it("sign-in needs an e-mail and a password, nothing more", () => {
    expect(
      validateForm(form({ email: "a@b.test", password: "x" }), SignInSchema).errors,
    ).toBeUndefined();
    expect(validateForm(form({ email: "a@b.test" }), SignInSchema).errors).toEqual({
      password: "error.required",
    });
  });

  it("a new password must be long enough", () => {
    const result = validateForm(
      form({ intent: "password", currentPassword: "whatever", newPassword: "short" }),
      PasswordSchema,
    );
    expect(result.errors).toEqual({ newPassword: "error.passwordTooShort" });
  });

  it("a profile's language is Hebrew, English or automatic", () => {
    expect(
      validateForm(form({ intent: "profile", name: "Dana", locale: "" }), ProfileSchema).errors,
    ).toBeUndefined();
    expect(
      validateForm(form({ intent: "profile", name: "Dana", locale: "en" }), ProfileSchema).errors,
    ).toBeUndefined();
    expect(
      validateForm(form({ intent: "profile", name: "Dana", locale: "fr" }), ProfileSchema).errors,
    ).toEqual({
      locale: "error.invalid",
    });
  });

  it("an organization name needs at least two characters", () => {
    expect(validateForm(form({ name: " A " }), OrganizationSchema).errors).toEqual({
      name: "error.orgNameTooShort",
    });
    expect(validateForm(form({ name: "בע" }), OrganizationSchema).errors).toBeUndefined();
  });

  it("an invitation names a real role", () => {
    const result = validateForm(
      form({ intent: "invite", email: "a@b.test", role: "owner" }),
      InviteSchema,
    );
    expect(result.errors).toEqual({ role: "error.invalid" });
  });
});

describe("ids in member forms", () => {
  it("are positive whole numbers, read from the submitted text", () => {
    expect(validateForm(form({ userId: "12", role: "admin" }), RoleSchema).data).toEqual({
      userId: 12,
      role: "admin",
    });
    for (const userId of ["0", "-3", "1.5", "abc", "", "0x10", " 1", "1 ", "01", "1e1", "+1"]) {
      expect(validateForm(form({ userId, role: "admin" }), RoleSchema).errors, userId).toEqual({
        userId: "error.invalid",
      });
    }
  });

  it("refuse a role that doesn't exist", () => {
    expect(validateForm(form({ userId: "12", role: "owner" }), RoleSchema).errors).toEqual({
      role: "error.invalid",
    });
  });

  it("need an organization to switch to", () => {
    expect(validateForm(form({}), SwitchOrganizationSchema).errors).toEqual({
      orgId: "error.invalid",
    });
  });
});

describe("ids in every form", () => {
  it("are read only when written the canonical way", () => {
    const spellings = ["0x10", " 16", "016", "1.6e1", "+16", "16.0", "9007199254740993"];
    const schemas = [
      [CommentIdSchema, "commentId"],
      [EditCommentSchema, "commentId"],
      [RevokeSchema, "invitationId"],
      [SwitchOrganizationSchema, "orgId"],
      [ProposeSchema, "categoryId"],
    ] as const;
    for (const [schema, field] of schemas) {
      for (const spelling of spellings) {
        const result = validateForm(form({ [field]: spelling, bodyMd: "x" }), schema);
        expect(result.errors?.[field], `${field}=${JSON.stringify(spelling)}`).toBeDefined();
      }
      const ok = validateForm(form({ [field]: "16", bodyMd: "x" }), schema);
      expect(ok.errors?.[field]).toBeUndefined();
    }
  });
});

describe("every field's error at once", () => {
  it("on the propose form: a short title and a missing category together, the text kept", () => {
    const result = validateForm(
      form({ title: "קצר", bodyMd: "תיאור שנשמר", categoryId: "" }),
      ProposeSchema,
    );
    expect(result.errors).toEqual({
      title: "request.error.titleLength",
      categoryId: "request.error.categoryUnknown",
    });
    expect(result.values).toMatchObject({ title: "קצר", bodyMd: "תיאור שנשמר" });
  });

  it("on the password form: the current password and a short new one together", () => {
    expect(
      validateForm(form({ intent: "password", newPassword: "short" }), PasswordSchema).errors,
    ).toEqual({ currentPassword: "error.required", newPassword: "error.passwordTooShort" });
  });

  it("on the profile and invitation forms", () => {
    expect(
      validateForm(form({ intent: "profile", name: " ", locale: "fr" }), ProfileSchema).errors,
    ).toEqual({ name: "error.required", locale: "error.invalid" });
    expect(
      validateForm(form({ intent: "invite", email: "nope", role: "owner" }), InviteSchema).errors,
    ).toEqual({ email: "error.emailInvalid", role: "error.invalid" });
  });
});

describe("limits with one source", () => {
  it("the propose form takes exactly the titles the model takes", () => {
    const title = (length: number) => "א".repeat(length);
    const errorFor = (text: string) =>
      validateForm(form({ title: text, categoryId: "1" }), ProposeSchema).errors?.title;
    expect(errorFor(title(TITLE_MIN_LENGTH))).toBeUndefined();
    expect(errorFor(title(TITLE_MAX_LENGTH))).toBeUndefined();
    expect(errorFor(title(TITLE_MIN_LENGTH - 1))).toBe("request.error.titleLength");
    expect(errorFor(title(TITLE_MAX_LENGTH + 1))).toBe("request.error.titleLength");
    // Counted as the reader sees it: runs of spaces are one.
    expect(errorFor(`${"א".repeat(4)}      ${"א".repeat(2)}`)).toBe("request.error.titleLength");
  });

  it("the password forms use the password model's limits", () => {
    const errorFor = (password: string) =>
      validateForm(form({ name: "Dana", email: "dana@acme.test", password }), SignUpSchema).errors
        ?.password;
    expect(errorFor("p".repeat(PASSWORD_MIN_LENGTH))).toBeUndefined();
    expect(errorFor("p".repeat(PASSWORD_MIN_LENGTH - 1))).toBe("error.passwordTooShort");
    expect(errorFor("p".repeat(PASSWORD_MAX_LENGTH + 1))).toBe("error.passwordTooLong");
  });
});

describe("formValues", () => {
  it("drops every field whose name mentions a password, in any letter case", () => {
    expect(formValues(form({ Password: "x", newPASSWORD: "y", email: "e" }))).toEqual({
      email: "e",
    });
  });
});

describe("refusals from the models", () => {
  it("become a field error with the refusal's status", () => {
    expect(errorsFromRefusal(new ActionRefused("org.error.alreadyMember", 400, "email"))).toEqual({
      errors: { email: "org.error.alreadyMember" },
      status: 400,
    });
    expect(errorsFromRefusal(new ActionRefused("org.error.adminOnly"))).toEqual({
      errors: { form: "org.error.adminOnly" },
      status: 403,
    });
  });

  it("let unexpected failures through to the error boundary", () => {
    const failure = new Error("disk full");
    expect(() => errorsFromRefusal(failure)).toThrow(failure);
  });
});

describe("reading a submitted form", () => {
  const post = (contentType: string | null, body: string, language = "he") =>
    new Request("http://local.test/signin", {
      method: "POST",
      headers: {
        ...(contentType ? { "Content-Type": contentType } : {}),
        "Accept-Language": language,
      },
      body,
    });

  async function refusal(request: Request): Promise<Response> {
    const thrown = await readForm(request).then(
      () => null,
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(Response);
    return thrown as Response;
  }

  it("reads url-encoded and multipart forms", async () => {
    const encoded = await readForm(post("application/x-www-form-urlencoded", "email=a%40b.test"));
    expect(encoded.get("email")).toBe("a@b.test");
    const multipart = await readForm(
      post(
        "multipart/form-data; boundary=xyz",
        '--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.test\r\n--xyz--\r\n',
      ),
    );
    expect(multipart.get("email")).toBe("a@b.test");
  });

  it("answers 415, in the visitor's language, to a body that is not a form", async () => {
    for (const type of ["text/plain", "application/json", null]) {
      const response = await refusal(post(type, '{"email":"a@b.test"}'));
      expect(response.status, String(type)).toBe(415);
      expect(await response.text()).toBe(he["error.415.body"]);
    }
    const english = await refusal(post("text/plain", "x", "en-US"));
    expect(await english.text()).toBe(en["error.415.body"]);
  });

  it("answers 400 to a multipart body that does not parse", async () => {
    for (const type of ["multipart/form-data; boundary=xyz", "multipart/form-data"]) {
      const response = await refusal(post(type, "--xyz\r\nnot a part\r\n"));
      expect(response.status, type).toBe(400);
      expect(await response.text()).toBe(he["error.400.body"]);
    }
  });

  it("gives parseForm the same answer, so no action turns it into a 500", async () => {
    const response = await parseForm(post("text/plain", "email=a@b.test"), SignInSchema).then(
      () => null,
      (error: unknown) => error,
    );
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).status).toBe(415);
  });
});
