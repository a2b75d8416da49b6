// Target quarters: counted in Israel's time zone, chosen from the current one on.
import { describe, expect, it } from "vitest";
import { quarterOf, quarterParts, upcomingQuarters } from "~/models/quarters";
import { checkTargetQuarter } from "~/models/quarters.server";

describe("target quarters", () => {
  it("puts a moment in the quarter it is in Israel, not in UTC", () => {
    // 22:30 UTC on 31 December is half past midnight on 1 January in Jerusalem.
    expect(quarterOf(new Date("2026-12-31T22:30:00Z"))).toBe("2027-Q1");
    expect(quarterOf(new Date("2026-12-31T21:30:00Z"))).toBe("2026-Q4");
    expect(quarterOf(new Date("2027-04-01T00:00:00+03:00"))).toBe("2027-Q2");
  });

  it("offers the current quarter and the ones after it, across years", () => {
    expect(upcomingQuarters(new Date("2026-11-15T12:00:00Z"), 4)).toEqual([
      "2026-Q4",
      "2027-Q1",
      "2027-Q2",
      "2027-Q3",
    ]);
  });

  it("accepts the current and later quarters and refuses past or malformed ones", () => {
    const at = new Date("2027-02-10T12:00:00Z");
    expect(checkTargetQuarter("2027-Q1", "quarter", at)).toBe("2027-Q1");
    expect(checkTargetQuarter("2031-Q4", "quarter", at)).toBe("2031-Q4");
    expect(() => checkTargetQuarter("2026-Q4", "targetQuarter", at)).toThrow(
      expect.objectContaining({
        messageKey: "staffRequests.error.quarterPast",
        field: "targetQuarter",
      }),
    );
    for (const bad of ["2027-Q5", "2027Q1", "Q1 2027", "", "27-Q1"]) {
      expect(() => checkTargetQuarter(bad, "quarter", at)).toThrow(
        expect.objectContaining({ messageKey: "staffRequests.error.quarterInvalid" }),
      );
      expect(quarterParts(bad)).toBeNull();
    }
    expect(quarterParts("2027-Q3")).toEqual({ year: "2027", quarter: "3" });
  });
});
