import { describe, expect, it } from "vitest";
import { createLimiterFactory } from "../../lib/rate-limit.ts";
import { accountKey, AuthLimits } from "./sign-in-limits.ts";

const settings = { RATE_LIMIT_SIGN_IN_PER_ACCOUNT: 3, RATE_LIMIT_SIGN_IN_PER_IP: 5, RATE_LIMIT_SIGN_UP_PER_IP: 2 };
const limits = () => new AuthLimits(createLimiterFactory(), settings);

async function code(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return String((error as { extensions?: { code?: string } }).extensions?.code);
  }
}

/** `n` failed sign-ins: each reserved and left counted. */
async function fail(l: AuthLimits, email: string, ip: string | undefined, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await l.signInAttempt(email, ip);
}

describe("sign-in limits", () => {
  it("refuses an account's attempt once its failures are spent, before any password is checked", async () => {
    const l = limits();
    await fail(l, "ana@example.ro", "198.51.100.1", 3);
    expect(await code(l.signInAttempt("ana@example.ro", "198.51.100.1"))).toBe("RATE_LIMITED");
    // The same e-mail however it is typed, and from any address.
    expect(await code(l.signInAttempt("  ANA@Example.ro ", "203.0.113.9"))).toBe("RATE_LIMITED");
    // Another account is unaffected.
    expect(await code(l.signInAttempt("bob@example.ro", "198.51.100.1"))).toBeUndefined();
  });

  it("a success forgets the account's failures; neither it nor a refused attempt spends the address's budget", async () => {
    const l = limits();
    const [a, b] = ["198.51.100.2", "198.51.100.20"];
    await fail(l, "ana@example.ro", a, 2);
    await (await l.signInAttempt("ana@example.ro", a)).succeeded();
    // Forgotten: three more failures before the account is refused.
    await fail(l, "ana@example.ro", b, 3);
    for (let i = 0; i < 5; i++) expect(await code(l.signInAttempt("ana@example.ro", b))).toBe("RATE_LIMITED");
    // Address b paid for its 3 failures only, not for the 5 refusals: 2 more, then it is spent.
    await fail(l, "bob@example.ro", b, 2);
    expect(await code(l.signInAttempt("carol@example.ro", b))).toBe("RATE_LIMITED");
    // Address a paid for its 2 failures, not for the success: 3 more, then it is spent.
    await fail(l, "dan@example.ro", a, 3);
    expect(await code(l.signInAttempt("carol@example.ro", a))).toBe("RATE_LIMITED");
  });

  it("limits many accounts tried from one address", async () => {
    const l = limits();
    for (let i = 0; i < 5; i++) await fail(l, `user${i}@example.ro`, "198.51.100.3", 1);
    expect(await code(l.signInAttempt("user9@example.ro", "198.51.100.3"))).toBe("RATE_LIMITED");
    expect(await code(l.signInAttempt("user9@example.ro", "198.51.100.4"))).toBeUndefined();
  });

  it("counts a burst of concurrent attempts exactly", async () => {
    const l = limits();
    const results = await Promise.all(Array.from({ length: 10 }, () => code(l.signInAttempt("ana@example.ro", "198.51.100.5"))));
    expect(results.filter((r) => r === undefined)).toHaveLength(3);
    expect(results.filter((r) => r === "RATE_LIMITED")).toHaveLength(7);
  });

  it("gives both points back when an attempt is cancelled (an internal error decided nothing)", async () => {
    const l = limits();
    for (let i = 0; i < 10; i++) await (await l.signInAttempt("ana@example.ro", "198.51.100.6")).cancel();
    await fail(l, "ana@example.ro", "198.51.100.6", 3);
    expect(await code(l.signInAttempt("ana@example.ro", "198.51.100.6"))).toBe("RATE_LIMITED");
  });

  it("keeps the per-account limit when the gateway did not forward an address", async () => {
    const l = limits();
    for (let i = 0; i < 10; i++) await fail(l, `u${i}@example.ro`, undefined, 1);
    await fail(l, "ana@example.ro", undefined, 3);
    expect(await code(l.signInAttempt("ana@example.ro", undefined))).toBe("RATE_LIMITED");
  });
});

describe("sign-up limits", () => {
  it("allows RATE_LIMIT_SIGN_UP_PER_IP sign-ups per address", async () => {
    const l = limits();
    await l.signUpAttempt("198.51.100.7");
    await l.signUpAttempt("198.51.100.7");
    expect(await code(l.signUpAttempt("198.51.100.7"))).toBe("RATE_LIMITED");
    expect(await code(l.signUpAttempt("198.51.100.8"))).toBeUndefined();
  });

  it("counts IPv6 clients per /64 and IPv4-mapped addresses as IPv4", async () => {
    const l = limits();
    await l.signUpAttempt("2001:db8:1:2::1");
    await l.signUpAttempt("2001:db8:1:2:ffff::9");
    expect(await code(l.signUpAttempt("2001:0db8:0001:0002:0:0:0:abcd"))).toBe("RATE_LIMITED");
    expect(await code(l.signUpAttempt("2001:db8:1:3::1"))).toBeUndefined();
    await l.signUpAttempt("::ffff:198.51.100.9");
    await l.signUpAttempt("198.51.100.9");
    expect(await code(l.signUpAttempt("::FFFF:198.51.100.9"))).toBe("RATE_LIMITED");
  });
});

describe("counter keys", () => {
  it("keys accounts by the normalised e-mail, without storing it", () => {
    expect(accountKey(" Ana@Example.RO ")).toBe(accountKey("ana@example.ro"));
    expect(accountKey("ana@example.ro")).not.toContain("ana");
    expect(accountKey("x".repeat(100_000))).toHaveLength(43);
  });
});
