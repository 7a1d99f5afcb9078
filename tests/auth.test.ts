import { afterAll, beforeAll, expect, it } from "vitest";
import { codes } from "./utils/client.ts";
import { signUp, signUpAdmin, type TestUser } from "./utils/fixtures.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const ME = `{ me { id displayName email role } }`;
const SIGN_IN = `mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { accessToken refreshToken user { id } } }`;
const REFRESH = `mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }`;
const PROFILE = `query ($id: ID!) { user(id: $id) { id displayName email phone role memberSince location { county { code name } city } } }`;

describeStack("accounts and sessions", () => {
  let stack: Stack;
  let ana: TestUser;

  beforeAll(async () => {
    stack = await startStack();
    ana = await signUp(stack, "Ana Ionescu");
  });
  afterAll(() => stack?.stop());

  it("signs up and returns a working access token", async () => {
    const r = await stack.request(ME, {}, { token: ana.token });
    expect(r.errors).toBeUndefined();
    expect(r.data.me).toMatchObject({ id: ana.id, displayName: "Ana Ionescu", email: ana.email, role: "USER" });
  });

  it("refuses a second account with the same e-mail, whatever its case", async () => {
    const r = await stack.request(`mutation ($i: SignUpInput!) { signUp(input: $i) { accessToken } }`, {
      i: { email: ana.email.toUpperCase(), password: "alta-parola-123", displayName: "Alt Nume" },
    });
    expect(codes(r)).toEqual(["CONFLICT"]);
  });

  it.each([
    [{ email: "nu-e-email", password: "parola-buna-1", displayName: "Ion" }, "email"],
    [{ email: "scurt@example.ro", password: "scurt", displayName: "Ion" }, "password"],
    [{ email: "nume@example.ro", password: "parola-buna-1", displayName: "I" }, "displayName"],
    [{ email: "lung@example.ro", password: "x".repeat(10_000), displayName: "Ion" }, "password"],
  ])("refuses invalid sign-up input %#", async (input, field) => {
    const before = await stack.app.db.prisma.user.count();
    const r = await stack.request(`mutation ($i: SignUpInput!) { signUp(input: $i) { accessToken } }`, { i: input });
    expect(codes(r)).toEqual(["BAD_USER_INPUT"]);
    expect(r.errors![0]!.extensions!.fields.map((f: any) => f.field)).toContain(field);
    expect(await stack.app.db.prisma.user.count()).toBe(before);
  });

  it("shows the signed-in user their own private fields in the sign-in payload", async () => {
    const r = await stack.request(`mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { user { id email role } } }`, { e: ana.email, p: ana.password });
    expect(r.data.signIn.user).toEqual({ id: ana.id, email: ana.email, role: "USER" });
  });

  it("signs in with the right password only, with the same message for unknown e-mails", async () => {
    const ok = await stack.request(SIGN_IN, { e: ana.email, p: ana.password });
    expect(ok.data.signIn.user.id).toBe(ana.id);
    const wrong = await stack.request(SIGN_IN, { e: ana.email, p: "parola-gresita" });
    const unknown = await stack.request(SIGN_IN, { e: "nimeni@example.ro", p: "parola-gresita" });
    expect(codes(wrong)).toEqual(["UNAUTHENTICATED"]);
    expect(unknown.errors![0]!.message).toBe(wrong.errors![0]!.message);
  });

  it("rotates refresh tokens: a used one no longer works", async () => {
    const user = await signUp(stack);
    const first = await stack.request(REFRESH, { t: user.refreshToken });
    expect(first.errors).toBeUndefined();
    const next = await stack.request(REFRESH, { t: first.data.refreshSession.refreshToken });
    expect(next.errors).toBeUndefined();
    expect((await stack.request(ME, {}, { token: next.data.refreshSession.accessToken })).data.me.id).toBe(user.id);
    const again = await stack.request(REFRESH, { t: user.refreshToken });
    expect(codes(again)).toEqual(["UNAUTHENTICATED"]);
    // Reuse detection: presenting a used token ends the session, so the newest token stops working too
    // (tests/auth-hardening.test.ts goes through the cases).
    expect(codes(await stack.request(REFRESH, { t: next.data.refreshSession.refreshToken }))).toEqual(["UNAUTHENTICATED"]);
  });

  it("signing out revokes the access token and the refresh token at once", async () => {
    const user = await signUp(stack);
    expect((await stack.request(`mutation { signOut }`, {}, { token: user.token })).data.signOut).toBe(true);
    const me = await stack.request(ME, {}, { token: user.token });
    expect(me.status).toBe(401);
    expect(codes(me)).toEqual(["UNAUTHENTICATED"]);
    expect(codes(await stack.request(REFRESH, { t: user.refreshToken }))).toEqual(["UNAUTHENTICATED"]);
  });

  it("still lets a client holding a stale token refresh or sign in, and nothing else", async () => {
    const user = await signUp(stack);
    await stack.request(`mutation { signOut }`, {}, { token: user.token });
    const other = await signUp(stack);
    const refreshed = await stack.request(REFRESH, { t: other.refreshToken }, { token: user.token });
    expect(refreshed.errors).toBeUndefined();
    const signedIn = await stack.request(SIGN_IN, { e: user.email, p: user.password }, { token: "garbage" });
    expect(signedIn.data.signIn.user.id).toBe(user.id);
    const mixed = await stack.request(`mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { accessToken } signOut }`, { e: user.email, p: user.password }, { token: user.token });
    expect(mixed.status).toBe(401);
    expect(codes(mixed)).toEqual(["UNAUTHENTICATED"]);
    const publicQuery = await stack.request(`{ counties { code } }`, {}, { token: user.token });
    expect(codes(publicQuery)).toEqual(["UNAUTHENTICATED"]);
  });

  it("lists my devices with their user agent, and revokes one of them", async () => {
    const user = await signUp(stack);
    const phone = await stack.request(SIGN_IN, { e: user.email, p: user.password }, { headers: { "user-agent": "PiataApp/1.0 (Android 14)" } });
    const phoneToken = phone.data.signIn.accessToken;
    const SESSIONS = `{ mySessions { id userAgent current lastUsedAt } }`;
    const listed = await stack.request(SESSIONS, {}, { token: user.token });
    expect(listed.data.mySessions).toHaveLength(2);
    const mobile = listed.data.mySessions.find((s: any) => s.userAgent === "PiataApp/1.0 (Android 14)");
    expect(mobile.current).toBe(false);
    expect(listed.data.mySessions.filter((s: any) => s.current)).toHaveLength(1);

    const REVOKE = `mutation ($id: ID!) { revokeSession(id: $id) }`;
    expect((await stack.request(REVOKE, { id: mobile.id }, { token: user.token })).data.revokeSession).toBe(true);
    expect(codes(await stack.request(ME, {}, { token: phoneToken }))).toEqual(["UNAUTHENTICATED"]);
    expect((await stack.request(SESSIONS, {}, { token: user.token })).data.mySessions).toHaveLength(1);

    // Someone else's session, an unknown one and a malformed id all read as "no such session".
    const own = listed.data.mySessions.find((s: any) => s.current).id;
    expect(codes(await stack.request(REVOKE, { id: own }, { token: ana.token }))).toEqual(["NOT_FOUND"]);
    expect(codes(await stack.request(REVOKE, { id: "nu-e-uuid" }, { token: user.token }))).toEqual(["NOT_FOUND"]);
    expect((await stack.request(ME, {}, { token: user.token })).data.me.id).toBe(user.id);
  });

  it("changing the password ends the other sessions and keeps this one", async () => {
    const user = await signUp(stack);
    const other = await stack.request(SIGN_IN, { e: user.email, p: user.password });
    const changed = await stack.request(
      `mutation { changePassword(currentPassword: "parola-sigura-123", newPassword: "parola-noua-456") }`,
      {},
      { token: user.token },
    );
    expect(changed.data.changePassword).toBe(true);
    expect(codes(await stack.request(ME, {}, { token: other.data.signIn.accessToken }))).toEqual(["UNAUTHENTICATED"]);
    expect((await stack.request(ME, {}, { token: user.token })).data.me.id).toBe(user.id);
    expect(codes(await stack.request(SIGN_IN, { e: user.email, p: user.password }))).toEqual(["UNAUTHENTICATED"]);
    expect((await stack.request(SIGN_IN, { e: user.email, p: "parola-noua-456" })).errors).toBeUndefined();
  });

  it("refuses a wrong current password without changing anything", async () => {
    const user = await signUp(stack);
    const r = await stack.request(`mutation { changePassword(currentPassword: "gresita-123", newPassword: "parola-noua-456") }`, {}, { token: user.token });
    expect(codes(r)).toEqual(["BAD_USER_INPUT"]);
    expect((await stack.request(SIGN_IN, { e: user.email, p: user.password })).errors).toBeUndefined();
  });

  it("refuses forged, malformed and expired-looking tokens", async () => {
    const [header, payload] = ana.token.split(".");
    const forged = `${header}.${payload}.${"A".repeat(43)}`;
    for (const token of [forged, "not-a-jwt"]) {
      const r = await stack.request(ME, {}, { token });
      expect(r.status).toBe(401);
      expect(codes(r)).toEqual(["UNAUTHENTICATED"]);
    }
    const r = await stack.request(ME, {}, { headers: { authorization: "Basic abc" } });
    expect(codes(r)).toEqual(["UNAUTHENTICATED"]);
  });

  it("requires authentication for `me` and profile changes", async () => {
    expect(codes(await stack.request(ME))).toEqual(["UNAUTHENTICATED"]);
    expect(codes(await stack.request(`mutation { updateProfile(input: { displayName: "X Y" }) { id } }`))).toEqual(["UNAUTHENTICATED"]);
  });

  it("updates the profile with a validated location and phone", async () => {
    const r = await stack.request(
      `mutation { updateProfile(input: { displayName: "Ana I.", phone: "0722 123 456", county: "is", city: "iasi" }) { displayName phone location { county { code name } city } } }`,
      {},
      { token: ana.token },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.updateProfile).toEqual({
      displayName: "Ana I.",
      phone: "0722123456",
      location: { county: { code: "IS", name: "Iași" }, city: "Iași" },
    });
    const bad = await stack.request(`mutation { updateProfile(input: { county: "CJ", city: "Iași" }) { id } }`, {}, { token: ana.token });
    expect(codes(bad)).toEqual(["BAD_USER_INPUT"]);
    const badPhone = await stack.request(`mutation { updateProfile(input: { phone: "12345" }) { id } }`, {}, { token: ana.token });
    expect(codes(badPhone)).toEqual(["BAD_USER_INPUT"]);
  });

  it("shows e-mail, phone and role to the owner and admins only", async () => {
    const bob = await signUp(stack, "Bob Marin");
    const admin = await signUpAdmin(stack);
    const asBob = await stack.request(PROFILE, { id: ana.id }, { token: bob.token });
    expect(asBob.data.user).toMatchObject({ id: ana.id, email: null, phone: null, role: null });
    expect(asBob.data.user.memberSince).toMatch(/^\d{4}-\d\d-\d\dT/);
    const anonymous = await stack.request(PROFILE, { id: ana.id });
    expect(anonymous.data.user.email).toBeNull();
    const asAdmin = await stack.request(PROFILE, { id: ana.id }, { token: admin.token });
    expect(asAdmin.data.user).toMatchObject({ email: ana.email, role: "USER" });
    const asSelf = await stack.request(PROFILE, { id: ana.id }, { token: ana.token });
    expect(asSelf.data.user.email).toBe(ana.email);
  });

  it("lets only admins change roles, and the change ends the user's sessions", async () => {
    const user = await signUp(stack);
    const admin = await signUpAdmin(stack);
    const SET = `mutation ($id: ID!) { setUserRole(userId: $id, role: ADMIN) { id role } }`;
    expect(codes(await stack.request(SET, { id: user.id }, { token: user.token }))).toEqual(["FORBIDDEN"]);
    const ok = await stack.request(SET, { id: user.id }, { token: admin.token });
    expect(ok.data.setUserRole).toEqual({ id: user.id, role: "ADMIN" });
    expect(codes(await stack.request(ME, {}, { token: user.token }))).toEqual(["UNAUTHENTICATED"]);
  });

  it("returns null for an unknown or malformed user id", async () => {
    for (const id of ["00000000-0000-4000-8000-000000000000", "nu-e-uuid"]) {
      const r = await stack.request(PROFILE, { id });
      expect(r.errors).toBeUndefined();
      expect(r.data.user).toBeNull();
    }
  });
});
