import { describe, expect, it } from "vitest";
import type { Viewer } from "../../lib/context.ts";
import type { User } from "../../prisma/generated/client.ts";
import { UsersService } from "./users.service.ts";

// Only the pure rules are exercised here: no database, no tokens.
const users = new UsersService({} as never, {} as never, 30, {} as never, {} as never, {} as never);
const ana = { id: "a", email: "ana@example.ro", phone: "0722123456", role: "USER", county: "CJ", city: "Cluj-Napoca" } as User;
const viewer = (userId: string, role: Viewer["role"] = "USER"): Viewer => ({ userId, role, sessionId: "s", scopes: [] });
const reader = (v: Viewer | null, proven: string[] = []) => ({ viewer: v, authenticatedUserIds: new Set(proven) });

describe("UsersService.privateField", () => {
  it("shows e-mail, phone and role to the user, to an admin, and to a user who just proved who they are", () => {
    for (const r of [reader(viewer("a")), reader(viewer("z", "ADMIN")), reader(null, ["a"])]) {
      expect([users.privateField(r, ana, "email"), users.privateField(r, ana, "phone"), users.privateField(r, ana, "role")]).toEqual([
        "ana@example.ro",
        "0722123456",
        "USER",
      ]);
    }
  });

  it("hides them from anyone else", () => {
    for (const r of [reader(null), reader(viewer("b")), reader(null, ["b"])]) {
      expect(users.privateField(r, ana, "email")).toBeNull();
      expect(users.privateField(r, ana, "role")).toBeNull();
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
