import { describe, expect, it } from "vitest";
import { activeSession } from "./sessions.ts";

const now = new Date("2026-12-01T12:00:00Z");
const later = new Date(now.getTime() + 1000);
const earlier = new Date(now.getTime() - 1000);

describe("activeSession", () => {
  it("is open until revoked or past its expiry", () => {
    expect(activeSession.is({ revokedAt: null, expiresAt: later }, now)).toBe(true);
    expect(activeSession.is({ revokedAt: earlier, expiresAt: later }, now)).toBe(false);
    expect(activeSession.is({ revokedAt: null, expiresAt: earlier }, now)).toBe(false);
    expect(activeSession.is({ revokedAt: null, expiresAt: now }, now)).toBe(false);
  });

  it("asks the database the same question", () => {
    expect(activeSession.where(now)).toEqual({ revokedAt: null, expiresAt: { gt: now } });
  });
});
