/**
 * Findings of the adversarial probe ("safe to expose"): stolen refresh tokens, guessable passwords,
 * an API left without admins.
 */
import crypto from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTokenService } from "../lib/auth/tokens.ts";
import { AuthLimits } from "../subgraphs/users/sign-in-limits.ts";
import { UsersService } from "../subgraphs/users/users.service.ts";
import { codes } from "./utils/client.ts";
import { signUp, signUpAdmin } from "./utils/fixtures.ts";
import { describeStack, startStack, TEST_JWT_SECRET, type Stack } from "./utils/stack.ts";

const ME = `{ me { id } }`;
const REFRESH = `mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }`;
const SIGN_UP = `mutation ($i: SignUpInput!) { signUp(input: $i) { accessToken } }`;
const CHANGE = `mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`;
const SIGN_IN = `mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { accessToken } }`;
const SET_ROLE = `mutation ($id: ID!, $role: Role!) { setUserRole(userId: $id, role: $role) { id role } }`;

const fieldsOf = (r: { errors?: { extensions?: Record<string, any> }[] }) =>
  (r.errors?.[0]?.extensions?.fields ?? []).map((f: { field: string }) => f.field);

describeStack("auth hardening", () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  const admins = () => stack.app.db.prisma.user.count({ where: { role: "ADMIN" } });

  // Runs first: the premise is that this stack has no admin yet.
  it("refuses to demote the last admin, and lets an admin demote another admin", async () => {
    expect(await admins()).toBe(0);
    const first = await signUpAdmin(stack);
    const self = await stack.request(SET_ROLE, { id: first.id, role: "USER" }, { token: first.token });
    expect(codes(self)).toEqual(["CONFLICT"]);
    expect(self.errors![0]!.message).toMatch(/singurul administrator/);
    // Refused without side effects: still an admin, still signed in.
    expect(await admins()).toBe(1);
    expect((await stack.request(ME, {}, { token: first.token })).data.me.id).toBe(first.id);

    const second = await signUpAdmin(stack);
    const demoted = await stack.request(SET_ROLE, { id: second.id, role: "USER" }, { token: first.token });
    expect(demoted.errors).toBeUndefined();
    expect(demoted.data.setUserRole).toEqual({ id: second.id, role: "USER" });
    expect(codes(await stack.request(ME, {}, { token: second.token }))).toEqual(["UNAUTHENTICATED"]);

    // With another admin in place, an admin may step down.
    const third = await signUpAdmin(stack);
    const stepDown = await stack.request(SET_ROLE, { id: first.id, role: "USER" }, { token: first.token });
    expect(stepDown.data.setUserRole).toEqual({ id: first.id, role: "USER" });
    expect(codes(await stack.request(SET_ROLE, { id: third.id, role: "USER" }, { token: third.token }))).toEqual(["CONFLICT"]);
    expect(await admins()).toBe(1);
  });

  it("never leaves zero admins when the last two demote each other at the same moment", async () => {
    const service = new UsersService(stack.app.db.prisma, createTokenService(TEST_JWT_SECRET, 900), 30, AuthLimits.inMemory(), stack.app.revocations, { publish: async () => {}, listen: () => () => {} });
    await stack.app.db.prisma.user.updateMany({ where: { role: "ADMIN" }, data: { role: "USER" } });
    for (let round = 0; round < 5; round++) {
      const [a, b] = [await signUpAdmin(stack), await signUpAdmin(stack)];
      expect(await admins()).toBe(2);
      const results = await Promise.allSettled([service.setRole(a.id, "USER"), service.setRole(b.id, "USER")]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(refused.reason.extensions.code).toBe("CONFLICT");
      expect(await admins()).toBe(1);
      await stack.app.db.prisma.user.updateMany({ where: { role: "ADMIN" }, data: { role: "USER" } });
    }
  });

  it("ends the whole session when a thief uses a stolen refresh token first", async () => {
    const owner = await signUp(stack);
    const thief = await stack.request(REFRESH, { t: owner.refreshToken });
    expect(thief.errors).toBeUndefined();
    expect((await stack.request(ME, {}, { token: thief.data.refreshSession.accessToken })).data.me.id).toBe(owner.id);

    // The owner's client refreshes with the token it still holds: already used → reuse.
    const reuse = await stack.request(REFRESH, { t: owner.refreshToken });
    expect(codes(reuse)).toEqual(["UNAUTHENTICATED"]);
    expect(reuse.errors![0]!.message).toMatch(/deja folosit/);

    const thiefMe = await stack.request(ME, {}, { token: thief.data.refreshSession.accessToken });
    expect(thiefMe.status).toBe(401);
    expect(codes(thiefMe)).toEqual(["UNAUTHENTICATED"]);
    expect(codes(await stack.request(REFRESH, { t: thief.data.refreshSession.refreshToken }))).toEqual(["UNAUTHENTICATED"]);
    expect(codes(await stack.request(ME, {}, { token: owner.token }))).toEqual(["UNAUTHENTICATED"]);
  });

  it("ends the whole session when a stolen refresh token is replayed after the owner refreshed", async () => {
    const owner = await signUp(stack);
    const rotated = await stack.request(REFRESH, { t: owner.refreshToken });
    expect(rotated.errors).toBeUndefined();
    const session = await stack.app.db.prisma.session.findFirstOrThrow({ where: { userId: owner.id } });
    const used = await stack.app.db.prisma.usedRefreshToken.findMany({ where: { sessionId: session.id } });
    expect(used.map((u) => u.tokenHash)).toEqual([crypto.createHash("sha256").update(owner.refreshToken).digest("hex")]);

    const thief = await stack.request(REFRESH, { t: owner.refreshToken });
    expect(codes(thief)).toEqual(["UNAUTHENTICATED"]);
    expect(codes(await stack.request(REFRESH, { t: rotated.data.refreshSession.refreshToken }))).toEqual(["UNAUTHENTICATED"]);
    expect(codes(await stack.request(ME, {}, { token: rotated.data.refreshSession.accessToken }))).toEqual(["UNAUTHENTICATED"]);
    // Other sessions of the same user are not touched: signing in again works.
    expect((await stack.request(SIGN_IN, { e: owner.email, p: owner.password })).errors).toBeUndefined();
  });

  it("lets one of two concurrent refreshes with the same token win, then ends the session", async () => {
    const owner = await signUp(stack);
    const both = await Promise.all([stack.request(REFRESH, { t: owner.refreshToken }), stack.request(REFRESH, { t: owner.refreshToken })]);
    const won = both.filter((r) => !r.errors);
    expect(won).toHaveLength(1);
    expect(both.flatMap(codes)).toEqual(["UNAUTHENTICATED"]);
    expect(codes(await stack.request(ME, {}, { token: won[0]!.data.refreshSession.accessToken }))).toEqual(["UNAUTHENTICATED"]);
  });

  it("still refuses an unknown refresh token with the usual message", async () => {
    const r = await stack.request(REFRESH, { t: "nu-e-un-token-emis" });
    expect(codes(r)).toEqual(["UNAUTHENTICATED"]);
    expect(r.errors![0]!.message).toMatch(/a expirat sau a fost închisă/);
  });

  it.each(["password", "ILoveYou", "qwertyuiop", "1qaz2wsx"])("refuses the common password %s on sign-up", async (password) => {
    const email = `comun-${crypto.randomBytes(4).toString("hex")}@example.ro`;
    const r = await stack.request(SIGN_UP, { i: { email, password, displayName: "Maria Pop" } });
    expect(codes(r)).toEqual(["BAD_USER_INPUT"]);
    expect(fieldsOf(r)).toEqual(["password"]);
    expect(r.errors![0]!.message).toMatch(/cele mai folosite/);
    expect(await stack.app.db.prisma.user.count({ where: { email } })).toBe(0);
  });

  it("refuses a password made of the e-mail or the display name on sign-up", async () => {
    const email = `maria.pop.${crypto.randomBytes(3).toString("hex")}@example.ro`;
    for (const password of [email, email.toUpperCase(), `${email.split("@")[0]}!2026`, "Maria Popescu", "maria-popescu-1"]) {
      const r = await stack.request(SIGN_UP, { i: { email, password, displayName: "Maria Popescu" } });
      expect(codes(r), password).toEqual(["BAD_USER_INPUT"]);
      expect(fieldsOf(r)).toEqual(["password"]);
    }
    expect(await stack.app.db.prisma.user.count({ where: { email } })).toBe(0);
  });

  it("refuses a common or guessable new password on changePassword, keeping the old one", async () => {
    const user = await signUp(stack, "Radu Ionescu");
    for (const [next, message] of [
      ["iloveyou", /cele mai folosite/],
      [user.email, /adresa de e-mail/],
      ["Radu-Ionescu-88", /numele afișat/],
    ] as const) {
      const r = await stack.request(CHANGE, { c: user.password, n: next }, { token: user.token });
      expect(codes(r)).toEqual(["BAD_USER_INPUT"]);
      expect(fieldsOf(r)).toEqual(["newPassword"]);
      expect(r.errors![0]!.message).toMatch(message);
    }
    expect((await stack.request(SIGN_IN, { e: user.email, p: user.password })).errors).toBeUndefined();
    const ok = await stack.request(CHANGE, { c: user.password, n: "trei-mere-verzi-pe-masa" }, { token: user.token });
    expect(ok.data.changePassword).toBe(true);
  });

  it("accepts the passwords of the fixtures and of the README on sign-up", async () => {
    for (const password of ["parola-sigura-123", "Parola-Demo-2026", "Admin-Piata-2026!"]) {
      const email = `ok-${crypto.randomBytes(4).toString("hex")}@example.ro`;
      const r = await stack.request(SIGN_UP, { i: { email, password, displayName: "Andrei Popescu" } });
      expect(r.errors, password).toBeUndefined();
    }
  });
});
