// A refusal the user should read: carries a catalog key and the HTTP status to answer with.
import type { MessageKey } from "~/i18n/messages";

export class ActionRefused extends Error {
  constructor(
    public readonly messageKey: MessageKey,
    public readonly status = 403,
    public readonly field?: string,
  ) {
    super(messageKey);
    this.name = "ActionRefused";
  }
}

/** Who is acting: every model function that changes something takes one. */
export type Actor = {
  id: number;
  isStaff: boolean;
  /** For staff: "admin" may reopen decisions, manage categories and staff, read the audit log. */
  staffRole: "admin" | "member" | null;
  email: string;
  name: string;
};

/** The Actor of a user row. */
export function actorOf(user: {
  id: number;
  is_staff: number;
  staff_role: "admin" | "member" | null;
  email: string;
  name: string;
}): Actor {
  return {
    id: user.id,
    isStaff: user.is_staff === 1,
    staffRole: user.is_staff === 1 ? user.staff_role : null,
    email: user.email,
    name: user.name,
  };
}
