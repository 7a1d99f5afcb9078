import { describe, expect, it } from "vitest";
import { canEdit, canSee, isSeller } from "./listing-access.ts";
import { activeListing, effectiveStatus } from "./listing-status.ts";

const now = new Date("2026-12-01T12:00:00Z");
const later = new Date(now.getTime() + 1000);
const earlier = new Date(now.getTime() - 1000);

describe("activeListing", () => {
  it("is ACTIVE with its expiry still ahead", () => {
    expect(activeListing.is({ status: "ACTIVE", expiresAt: later }, now)).toBe(true);
    expect(activeListing.is({ status: "ACTIVE", expiresAt: now }, now)).toBe(false);
    expect(activeListing.is({ status: "ACTIVE", expiresAt: null }, now)).toBe(false);
    expect(activeListing.is({ status: "SOLD", expiresAt: later }, now)).toBe(false);
  });

  it("asks the database the same question, and the sweep its complement among ACTIVE listings", () => {
    expect(activeListing.where(now)).toEqual({ status: "ACTIVE", expiresAt: { gt: now } });
    expect(activeListing.pastExpiryWhere(now)).toEqual({ status: "ACTIVE", expiresAt: { lte: now } });
    expect(activeListing.sql().sql).toBe(`"status" = 'ACTIVE' AND "expiresAt" > now()`);
    expect(activeListing.sql("x").sql).toBe(`x."status" = 'ACTIVE' AND x."expiresAt" > now()`);
  });

  it("shows an ACTIVE listing past its expiry as EXPIRED before the sweep moves it", () => {
    expect(effectiveStatus({ status: "ACTIVE", expiresAt: earlier }, now)).toBe("EXPIRED");
    expect(effectiveStatus({ status: "ACTIVE", expiresAt: later }, now)).toBe("ACTIVE");
    expect(effectiveStatus({ status: "DRAFT", expiresAt: null }, now)).toBe("DRAFT");
  });
});

describe("listing access", () => {
  const seller = { userId: "s", role: "USER", sessionId: "1", scopes: [] } as const;
  const other = { ...seller, userId: "o" };
  const admin = { ...other, role: "ADMIN" } as const;
  const listing = (status: "ACTIVE" | "SOLD" | "EXPIRED" | "DRAFT" | "REJECTED" | "DELETED") => ({ status, sellerId: "s" });

  it("shows public statuses to everyone, drafts and moderated listings to their seller too, deleted ones to admins only", () => {
    for (const status of ["ACTIVE", "SOLD", "EXPIRED"] as const) expect(canSee(listing(status), null)).toBe(true);
    for (const status of ["DRAFT", "REJECTED"] as const) {
      expect([canSee(listing(status), null), canSee(listing(status), other), canSee(listing(status), seller)]).toEqual([false, false, true]);
    }
    expect([canSee(listing("DELETED"), seller), canSee(listing("DELETED"), admin)]).toEqual([false, true]);
  });

  it("lets the seller and admins change a listing", () => {
    expect([isSeller(listing("ACTIVE"), seller), isSeller(listing("ACTIVE"), null)]).toEqual([true, false]);
    expect([canEdit(listing("ACTIVE"), seller), canEdit(listing("ACTIVE"), admin), canEdit(listing("ACTIVE"), other)]).toEqual([true, true, false]);
  });
});
