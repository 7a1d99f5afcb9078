/**
 * Rate limits through the public API, with real (low) limits instead of the RELAXED_RATE_LIMITS other
 * suites run with: requests per user or address, mutations per user, brute force on sign-in and
 * sign-up (the users subgraph's own limits), which address counts behind a proxy, and counters shared
 * between two gateways through Redis. Refusals are HTTP 429 with Retry-After, in production mode too.
 */
import crypto from "node:crypto";
import { Redis } from "ioredis";
import { REDIS_URL, redisUnavailableFor } from "./utils/redis.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountKey } from "../subgraphs/users/sign-in-limits.ts";
import { codes, type GraphQLResponse } from "./utils/client.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const redisUnavailable = await redisUnavailableFor("the shared rate-limit tests across two gateways");

const ANONYMOUS = `{ __typename }`;
const ME = `{ me { id } }`;
const SIGN_UP = `mutation ($i: SignUpInput!) { signUp(input: $i) { accessToken user { id } } }`;
const SIGN_IN = `mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { accessToken user { id } } }`;
const RENAME = `mutation ($n: String!) { updateProfile(input: { displayName: $n }) { displayName } }`;
const PASSWORD = "parola-sigura-123";

interface Account {
  email: string;
  token: string;
}

/** A client address nobody else uses (also across runs: Redis keeps counters for their window). */
const freshIp = () => `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;
const freshEmail = () => `rl-${crypto.randomBytes(6).toString("hex")}@example.ro`;
const from = (ip: string) => ({ headers: { "x-forwarded-for": ip } });

async function signUpFrom(stack: Stack, ip?: string): Promise<Account> {
  const email = freshEmail();
  const r = await stack.request(SIGN_UP, { i: { email, password: PASSWORD, displayName: "Radu Limită" } }, ip ? from(ip) : {});
  if (r.errors) throw new Error(`signUp failed: ${JSON.stringify(r.errors)}`);
  return { email, token: r.data.signUp.accessToken };
}

const signIn = (stack: Stack, email: string, password: string, ip: string) => stack.request(SIGN_IN, { e: email, p: password }, from(ip));

/** A refusal the way a client sees it: 429, RATE_LIMITED, the same delay in extensions and Retry-After. */
function expectRateLimited(r: GraphQLResponse, maxSeconds: number): void {
  expect(r.status).toBe(429);
  expect(codes(r)).toEqual(["RATE_LIMITED"]);
  const retryAfter = r.errors![0]!.extensions!.retryAfter;
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
  expect(r.headers.get("retry-after")).toBe(String(retryAfter));
}

describeStack("rate limits", () => {
  describe("requests per address, X-Forwarded-For not trusted (the default)", () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack({ RATE_LIMIT_REQUESTS_PER_MINUTE: "5" });
    });
    afterAll(() => stack?.stop());

    it("refuses the 6th anonymous request from one address, however it rotates X-Forwarded-For; a signed-in user keeps their own budget", async () => {
      const user = await signUpFrom(stack, "203.0.113.1");
      for (let i = 2; i <= 5; i++) {
        const r = await stack.request(ANONYMOUS, {}, from(`203.0.113.${i}`));
        expect(r.status).toBe(200);
        expect(r.errors).toBeUndefined();
      }
      const sixth = await stack.request(ANONYMOUS, {}, from("203.0.113.6"));
      expectRateLimited(sixth, 60);
      expectRateLimited(await stack.request(ANONYMOUS), 60);
      // Signed in, the same address spends the user's budget, not the anonymous one.
      const me = await stack.request(ME, {}, { token: user.token });
      expect(me.status).toBe(200);
      expect(me.errors).toBeUndefined();
      expect(me.data.me.id).toBeTruthy();
    });
  });

  describe("requests and mutations per forwarded client (TRUST_PROXY=1)", () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack({ TRUST_PROXY: "1", RATE_LIMIT_REQUESTS_PER_MINUTE: "8", RATE_LIMIT_MUTATIONS_PER_MINUTE: "3" });
    });
    afterAll(() => stack?.stop());

    it("counts each forwarded client on its own budget", async () => {
      const [a, b] = [freshIp(), freshIp()];
      for (let i = 0; i < 8; i++) expect((await stack.request(ANONYMOUS, {}, from(a))).status).toBe(200);
      expectRateLimited(await stack.request(ANONYMOUS, {}, from(a)), 60);
      // With one trusted hop only the address that hop appended counts: what the client wrote before it does not.
      expectRateLimited(await stack.request(ANONYMOUS, {}, from(`${freshIp()}, ${a}`)), 60);
      for (let i = 0; i < 8; i++) expect((await stack.request(ANONYMOUS, {}, from(b))).status).toBe(200);
      expectRateLimited(await stack.request(ANONYMOUS, {}, from(b)), 60);
      expect((await stack.request(ANONYMOUS, {}, from(freshIp()))).status).toBe(200);
    });

    it("refuses a user's 4th mutation in a minute while their queries still work", async () => {
      const user = await signUpFrom(stack, freshIp());
      for (let i = 1; i <= 3; i++) {
        const r = await stack.request(RENAME, { n: `Radu ${i}` }, { token: user.token });
        expect(r.errors).toBeUndefined();
        expect(r.data.updateProfile.displayName).toBe(`Radu ${i}`);
      }
      const fourth = await stack.request(RENAME, { n: "Radu 4" }, { token: user.token });
      expectRateLimited(fourth, 60);
      expect(fourth.errors![0]!.message).toMatch(/Prea multe modificări/);
      const me = await stack.request(`{ me { displayName } }`, {}, { token: user.token });
      expect(me.errors).toBeUndefined();
      expect(me.data.me.displayName).toBe("Radu 3");
      // Another user's mutations are not affected.
      const other = await signUpFrom(stack, freshIp());
      expect((await stack.request(RENAME, { n: "Alt Nume" }, { token: other.token })).errors).toBeUndefined();
    });
  });

  describe("brute force on sign-in and sign-up (users subgraph), in production mode", () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack({
        NODE_ENV: "production",
        TRUST_PROXY: "loopback",
        RATE_LIMIT_SIGN_IN_PER_ACCOUNT: "3",
        RATE_LIMIT_SIGN_IN_PER_IP: "5",
        RATE_LIMIT_SIGN_UP_PER_IP: "3",
      });
    });
    afterAll(() => stack?.stop());

    it("after 3 wrong passwords refuses even the right one, from any address; other accounts still sign in", async () => {
      const [victim, other] = [await signUpFrom(stack, freshIp()), await signUpFrom(stack, freshIp())];
      const guesser = freshIp();
      for (const guess of ["parola1234", "qwerty-123", "Radu-2026!"]) {
        expect(codes(await signIn(stack, victim.email, guess, guesser))).toEqual(["UNAUTHENTICATED"]);
      }
      const right = await signIn(stack, victim.email, PASSWORD, guesser);
      expectRateLimited(right, 15 * 60);
      expect(right.data).toBeNull();
      expect(right.errors![0]!.message).toMatch(/Prea multe încercări de autentificare/);
      // Production: the subgraph's error reaches the client with its code and delay, nothing internal.
      expect(Object.keys(right.errors![0]!.extensions!).sort()).toEqual(["code", "retryAfter"]);
      // The account is what is protected: another address does not get new guesses either.
      expectRateLimited(await signIn(stack, victim.email, PASSWORD, freshIp()), 15 * 60);
      // Another account, from the guesser's own address, signs in.
      const ok = await signIn(stack, other.email, PASSWORD, guesser);
      expect(ok.errors).toBeUndefined();
      expect(ok.data.signIn.accessToken).toBeTruthy();
    });

    it("treats an unknown e-mail like an existing account (the limit reveals nothing)", async () => {
      const existing = await signUpFrom(stack, freshIp());
      const unknown = freshEmail();
      const answers = async (email: string) => {
        const ip = freshIp();
        const seen: string[] = [];
        for (let i = 0; i < 4; i++) {
          const r = await signIn(stack, email, "parola-gresita-1", ip);
          seen.push(`${r.status} ${codes(r).join()} ${r.errors![0]!.message.replace(/\d+ s\)/, "N s)")}`);
        }
        return seen;
      };
      const [forExisting, forUnknown] = [await answers(existing.email), await answers(unknown)];
      expect(forUnknown).toEqual(forExisting);
      expect(forUnknown.map((s) => s.split(" ")[1])).toEqual(["UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED", "RATE_LIMITED"]);
      // The e-mail counts however it is typed.
      expectRateLimited(await signIn(stack, `  ${unknown.toUpperCase()} `, "parola-gresita-1", freshIp()), 15 * 60);
    });

    it("counts wrong current passwords on changePassword against the account's sign-in budget", async () => {
      const user = await signUpFrom(stack, freshIp());
      const change = (current: string) =>
        stack.request(`mutation ($c: String!) { changePassword(currentPassword: $c, newPassword: "alta-parola-sigura-9") }`, { c: current }, {
          token: user.token,
          ...from(freshIp()),
        });
      for (let i = 0; i < 3; i++) expect(codes(await change(`parola-gresita-${i}`))).toEqual(["BAD_USER_INPUT"]);
      expectRateLimited(await change(PASSWORD), 15 * 60);
      expectRateLimited(await signIn(stack, user.email, PASSWORD, freshIp()), 15 * 60);
    });

    it("forgets an account's failures after a successful sign-in", async () => {
      const user = await signUpFrom(stack, freshIp());
      const ip = freshIp();
      for (let i = 0; i < 2; i++) expect(codes(await signIn(stack, user.email, "parola-gresita-1", ip))).toEqual(["UNAUTHENTICATED"]);
      expect((await signIn(stack, user.email, PASSWORD, ip)).errors).toBeUndefined();
      for (let i = 0; i < 3; i++) expect(codes(await signIn(stack, user.email, "parola-gresita-1", ip))).toEqual(["UNAUTHENTICATED"]);
      expectRateLimited(await signIn(stack, user.email, PASSWORD, ip), 15 * 60);
    });

    it("counts a burst of concurrent guesses exactly: no more passwords tested than the limit", async () => {
      const user = await signUpFrom(stack, freshIp());
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => signIn(stack, user.email, `parola-gresita-${i}`, freshIp())),
      );
      const seen = answers.map((r) => codes(r).join());
      expect(seen.filter((c) => c === "UNAUTHENTICATED")).toHaveLength(3);
      expect(seen.filter((c) => c === "RATE_LIMITED")).toHaveLength(7);
      expectRateLimited(await signIn(stack, user.email, PASSWORD, freshIp()), 15 * 60);
    });

    it("limits the failures from one address across many accounts (RATE_LIMIT_SIGN_IN_PER_IP)", async () => {
      const user = await signUpFrom(stack, freshIp());
      const sprayer = freshIp();
      for (let i = 0; i < 5; i++) expect(codes(await signIn(stack, freshEmail(), "parola-gresita-1", sprayer))).toEqual(["UNAUTHENTICATED"]);
      const sixth = await signIn(stack, user.email, PASSWORD, sprayer);
      expectRateLimited(sixth, 15 * 60);
      expect(sixth.errors![0]!.message).toMatch(/de la această adresă/);
      // The account itself was not touched: from elsewhere it signs in.
      expect((await signIn(stack, user.email, PASSWORD, freshIp())).errors).toBeUndefined();
    });

    it("allows RATE_LIMIT_SIGN_UP_PER_IP new accounts an hour from one address; invalid forms do not count", async () => {
      const ip = freshIp();
      for (let i = 0; i < 3; i++) {
        const r = await stack.request(SIGN_UP, { i: { email: freshEmail(), password: "scurt", displayName: "Radu" } }, from(ip));
        expect(codes(r)).toEqual(["BAD_USER_INPUT"]);
      }
      for (let i = 0; i < 3; i++) await signUpFrom(stack, ip);
      const before = await stack.app.db.prisma.user.count();
      const fourth = await stack.request(SIGN_UP, { i: { email: freshEmail(), password: PASSWORD, displayName: "Radu" } }, from(ip));
      expectRateLimited(fourth, 60 * 60);
      expect(fourth.errors![0]!.message).toMatch(/Prea multe conturi noi/);
      expect(await stack.app.db.prisma.user.count()).toBe(before);
      await signUpFrom(stack, freshIp());
    });
  });

  describe.skipIf(!!redisUnavailable)("counters shared by two gateways through Redis", () => {
    let a: Stack;
    let b: Stack;
    let redis: Redis;
    const ips = [freshIp(), freshIp()];
    const email = freshEmail();

    beforeAll(async () => {
      const env = {
        REDIS_URL,
        TRUST_PROXY: "loopback",
        RATE_LIMIT_REQUESTS_PER_MINUTE: "6",
        RATE_LIMIT_SIGN_IN_PER_ACCOUNT: "3",
      };
      [a, b] = [await startStack(env), await startStack(env)];
      redis = new Redis(REDIS_URL);
    });
    afterAll(async () => {
      // This run's counters go with it, so a rerun within their window starts clean.
      if (redis) {
        const keys = (await Promise.all(ips.map((ip) => redis.keys(`rl:*:${ip}`)))).flat();
        keys.push(`rl:sign-in-account:${accountKey(email)}`);
        await redis.del(...keys);
        await redis.quit();
      }
      await Promise.all([a?.stop(), b?.stop()]);
    });

    it("counts one client's requests through either gateway together", async () => {
      const ip = ips[0]!;
      for (let i = 0; i < 3; i++) expect((await a.request(ANONYMOUS, {}, from(ip))).status).toBe(200);
      for (let i = 0; i < 3; i++) expect((await b.request(ANONYMOUS, {}, from(ip))).status).toBe(200);
      expectRateLimited(await a.request(ANONYMOUS, {}, from(ip)), 60);
      expectRateLimited(await b.request(ANONYMOUS, {}, from(ip)), 60);
      expect(await redis.get(`rl:requests:ip:${ip}`)).toBe("8");
    });

    it("counts failed sign-ins of one account through either gateway together", async () => {
      const ip = ips[1]!;
      expect(codes(await signIn(a, email, "parola-gresita-1", ip))).toEqual(["UNAUTHENTICATED"]);
      expect(codes(await signIn(b, email, "parola-gresita-2", ip))).toEqual(["UNAUTHENTICATED"]);
      expect(codes(await signIn(a, email, "parola-gresita-3", ip))).toEqual(["UNAUTHENTICATED"]);
      expectRateLimited(await signIn(b, email, "parola-gresita-4", ip), 15 * 60);
    });
  });
});
