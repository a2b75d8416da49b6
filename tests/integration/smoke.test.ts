import { describe, expect, it } from "vitest";
import { action as signInAction } from "~/routes/signin";
import { makeUser, TEST_PASSWORD } from "../support/factories";
import { formRequest, testContext, unwrap } from "../support/requests";

describe("sign in (smoke)", () => {
  it("redirects to a local page with a session cookie", async () => {
    const user = await makeUser();
    const result = unwrap(
      await signInAction({
        request: formRequest("/signin", { email: user.email, password: TEST_PASSWORD, redirectTo: "/account" }),
        params: {},
        context: testContext(),
      }),
    );
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe("/account");
    expect(result.headers.get("Set-Cookie")).toMatch(/__session=.*HttpOnly.*SameSite=Lax/i);
  });
});
