// The check every model applies to a target quarter being set (a decision's and the staff
// tools' alike), as a refusal on the form's field.
import { ActionRefused } from "./errors";
import { quarterProblem } from "./quarters";

/**
 * The quarter, or a refusal on `field`: malformed, or already over (the current one is fine).
 * A quarter already set may stay set once it has passed; only setting one is checked.
 */
export function checkTargetQuarter(
  quarter: string,
  field = "quarter",
  at: Date | number = Date.now(),
): string {
  const problem = quarterProblem(quarter, at);
  if (problem === "invalid")
    throw new ActionRefused("staffRequests.error.quarterInvalid", 400, field);
  if (problem === "past") throw new ActionRefused("staffRequests.error.quarterPast", 400, field);
  return quarter;
}
