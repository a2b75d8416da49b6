// remix-auth with the form strategy: e-mail and password, checked against argon2id hashes.
import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import { validateForm } from "~/forms.server";
import { verifyLogin, type PublicUser } from "~/models/users.server";
import { SignInSchema } from "~/schemas.server";

export class InvalidCredentials extends Error {
  constructor() {
    super("invalid credentials");
    this.name = "InvalidCredentials";
  }
}

export const authenticator = new Authenticator<PublicUser>();

authenticator.use(
  new FormStrategy(async ({ form }) => {
    const parsed = validateForm(form, SignInSchema);
    if (!parsed.data) throw new InvalidCredentials();
    const user = await verifyLogin(parsed.data.email, parsed.data.password);
    if (!user) throw new InvalidCredentials();
    return user;
  }),
  "password",
);
