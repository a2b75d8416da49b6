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
export type Actor = { id: number; isStaff: boolean; email: string; name: string };
