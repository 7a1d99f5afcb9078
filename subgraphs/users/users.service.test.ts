import { describe, expect, it } from "vitest";
import type { Viewer } from "../../lib/context.ts";
import type { User } from "../../prisma/generated/client.ts";
import { UsersService } from "./users.service.ts";

// Only the pure rules are exercised here: no database, no tokens.
const users = new UsersService({} as never, {} as never, 30, {} as never, {} as never, { publish: async () => {}, listen: () => () => {} });
const ana = { id: "a", email: "ana@example.ro", phone: "0722123456", role: "USER", county: "CJ", city: "Cluj-Napoca" } as User;
const viewer = (userId: string, role: Viewer["role"] = "USER"): Viewer => ({ userId, role, sessionId: "s", scopes: [] });
const reader = (v: Viewer | null, proven: string[] = []) => ({ viewer: v, authenticatedUserIds: new Set(proven) });

/** Whole rows as the request's loader gives them, counting the reads. */
const rowsOf = (...all: User[]) => {
  const reads: string[] = [];
  return { reads, load: async (id: string) => (reads.push(id), all.find((u) => u.id === id) ?? null) };
};
const anaProfile = { id: "a", displayName: "Ana", county: "CJ", city: "Cluj-Napoca", createdAt: new Date(0) };

describe("UsersService.privateField", () => {
  it("shows e-mail, phone and role to the user, to an admin, and to a user who just proved who they are", async () => {
    for (const r of [reader(viewer("a")), reader(viewer("z", "ADMIN")), reader(null, ["a"])]) {
      for (const user of [ana, anaProfile]) {
        const rows = rowsOf(ana);
        const fields = await Promise.all((["email", "phone", "role"] as const).map((field) => users.privateField(r, user, field, rows)));
        expect(fields).toEqual(["ana@example.ro", "0722123456", "USER"]);
        // A whole row already at hand is not read again; a public profile is completed from the loader.
        expect(rows.reads.length).toBe(user === ana ? 0 : 3);
      }
    }
  });

  it("hides them from anyone else, without reading the whole row", async () => {
    for (const r of [reader(null), reader(viewer("b")), reader(null, ["b"])]) {
      for (const user of [ana, anaProfile]) {
        const rows = rowsOf(ana);
        expect(await users.privateField(r, user, "email", rows)).toBeNull();
        expect(await users.privateField(r, user, "role", rows)).toBeNull();
        expect(rows.reads).toEqual([]);
      }
    }
  });
});

describe("UsersService.publicLocation", () => {
  it("shows a location only as a whole", () => {
    expect(users.publicLocation(ana)).toMatchObject({ county: { code: "CJ" }, city: "Cluj-Napoca" });
    expect(users.publicLocation({ county: "CJ", city: null })).toBeNull();
    expect(users.publicLocation({ county: null, city: "Cluj-Napoca" })).toBeNull();
    expect(users.publicLocation({ county: "XX", city: "Cluj-Napoca" })).toBeNull();
  });
});
