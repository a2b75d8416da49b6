// What pages decide from the session: staff, staff admins, members and admins of an organization.
import { describe, expect, it } from "vitest";
import { canParticipate, isOrgAdmin, isStaff, isStaffAdmin } from "~/auth/permissions.server";

const customer = {
  isStaff: false,
  staffRole: null,
  memberships: [
    { orgId: 1, role: "admin" as const },
    { orgId: 2, role: "member" as const },
  ],
};
const staff = { isStaff: true, staffRole: "member" as const, memberships: [] };
const staffAdmin = { isStaff: true, staffRole: "admin" as const, memberships: [] };

describe("the permission predicates", () => {
  it("tell staff and staff admins apart, and nobody signed in from both", () => {
    expect([isStaff(customer), isStaff(staff), isStaff(staffAdmin), isStaff(null)]).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect([isStaffAdmin(customer), isStaffAdmin(staff), isStaffAdmin(staffAdmin)]).toEqual([
      false,
      false,
      true,
    ]);
  });

  it("count a staff role left on a customer's row as nothing", () => {
    expect(isStaffAdmin({ isStaff: false, staffRole: "admin" })).toBe(false);
  });

  it("let a member take part only in their own organizations", () => {
    expect([1, 2, 3, null].map((orgId) => canParticipate(customer, orgId))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(canParticipate(null, 1)).toBe(false);
    expect(canParticipate(staff, 1)).toBe(false);
  });

  it("make only an organization's admins its admins", () => {
    expect([1, 2, 3, undefined].map((orgId) => isOrgAdmin(customer, orgId))).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect(isOrgAdmin(staffAdmin, 1)).toBe(false);
  });
});
