import { describe, expect, it } from "vitest";
import { viewDay, viewerKey, viewRetentionStart } from "./views.ts";

describe("listing view keys", () => {
  const day = "2026-12-01";

  it("uses the user id of a signed-in viewer, whatever their address", () => {
    expect(viewerKey("u-1", "10.0.0.1", day)).toBe("user:u-1");
    expect(viewerKey("u-1", "10.0.0.2", day)).toBe(viewerKey("u-1", "10.0.0.1", day));
  });

  it("stores no raw address for an anonymous viewer", () => {
    const key = viewerKey(null, "192.168.10.77", day);
    expect(key).toMatch(/^ip:[0-9a-f]{64}$/);
    expect(key).not.toContain("192.168.10.77");
  });

  it("gives the same address the same key within a day and another key the next day", () => {
    expect(viewerKey(null, "10.0.0.1", day)).toBe(viewerKey(undefined, "10.0.0.1", day));
    expect(viewerKey(null, "10.0.0.1", day)).not.toBe(viewerKey(null, "10.0.0.2", day));
    expect(viewerKey(null, "10.0.0.1", day)).not.toBe(viewerKey(null, "10.0.0.1", "2026-12-02"));
  });

  it("puts requests without an address in one shared bucket", () => {
    expect(viewerKey(null, undefined, day)).toBe(viewerKey(null, null, day));
    expect(viewerKey(null, undefined, day)).not.toBe(viewerKey(null, "10.0.0.1", day));
  });

  it("counts days in UTC", () => {
    expect(viewDay(new Date("2026-12-01T23:59:59.999Z"))).toBe("2026-12-01");
    expect(viewDay(new Date("2026-12-02T00:00:00.000Z"))).toBe("2026-12-02");
  });

  it("keeps the last few days of views", () => {
    expect(viewRetentionStart(new Date("2026-12-10T15:00:00Z")).toISOString()).toBe("2026-12-07T00:00:00.000Z");
  });
});
