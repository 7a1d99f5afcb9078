/**
 * Identity rules: accounts, passwords, sessions and profiles. No GraphQL here beyond the typed errors.
 */
import crypto from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { z } from "zod";
import type { SessionRevocations } from "../../lib/auth/revocations.ts";
import type { TokenService } from "../../lib/auth/tokens.ts";
import { entityTag, purgedIds, type CachePurges } from "../../lib/cache-purges.ts";
import { isAdmin, type Role, type Viewer } from "../../lib/context.ts";
import type { PrismaClient } from "../../lib/db/database.ts";
import { addProblem, conflict, InputProblems, notFound, unauthenticated } from "../../lib/errors.ts";
import { checkLocation, findCounty, type LocationRef } from "../../lib/locations.ts";
import { isUuid } from "../../lib/ids.ts";
import { PurgedCache } from "../../lib/purged-cache.ts";
import { textSchema } from "../../lib/text.ts";
import type { Prisma, Session, User } from "../../prisma/generated/client.ts";
import { passwordProblem } from "./passwords.ts";
import { activeSession, revokeSessions } from "./sessions.ts";
import type { AuthLimits } from "./sign-in-limits.ts";

/** Who is asking, as far as the brute-force limits and the new session are concerned. */
export interface ClientInfo {
  userAgent?: string;
  clientIp?: string;
}

/** Who reads a user: the viewer, and the users who proved who they are earlier in the same request. */
export interface Reader {
  viewer: Viewer | null;
  authenticatedUserIds: ReadonlySet<string>;
}

export interface AuthResult {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  user: User;
}

const EMAIL_FORMAT = z.email();
const email = z
  .string()
  .trim()
  .toLowerCase()
  .superRefine((value, ctx) => {
    if (!value) addProblem(ctx, { reason: "REQUIRED", message: { ro: "Adresa de e-mail este obligatorie.", en: "The e-mail address is required." } });
    else if (value.length > 254) addProblem(ctx, { reason: "TOO_LONG", message: { ro: "Adresa de e-mail e prea lungă.", en: "The e-mail address is too long." } });
    else if (!EMAIL_FORMAT.safeParse(value).success) {
      addProblem(ctx, { reason: "INVALID_FORMAT", message: { ro: "Adresa de e-mail nu este validă.", en: "The e-mail address is not valid." } });
    }
  });
const password = z.string().superRefine((value, ctx) => {
  if (!value) addProblem(ctx, { reason: "REQUIRED", message: { ro: "Parola este obligatorie.", en: "The password is required." } });
  else if (value.length < 8) {
    addProblem(ctx, { reason: "TOO_SHORT", message: { ro: "Parola trebuie să aibă cel puțin 8 caractere.", en: "The password must have at least 8 characters." } });
  } else if (value.length > 128) {
    addProblem(ctx, { reason: "TOO_LONG", message: { ro: "Parola poate avea cel mult 128 de caractere.", en: "The password can have at most 128 characters." } });
  }
});
/** Shown next to every listing: bidi controls could make it read as something else (lib/text.ts). */
const displayName = textSchema({
  label: { ro: "Numele", en: "The name" },
  min: 2,
  max: 50,
  tooShort: { ro: "Numele trebuie să aibă cel puțin 2 caractere.", en: "The name must have at least 2 characters." },
  tooLong: { ro: "Numele poate avea cel mult 50 de caractere.", en: "The name can have at most 50 characters." },
  refuseBidi: true,
});
/** Romanian numbers: 07xx xxx xxx, 02x/03x landlines, with or without +40 and separators. */
const phone = z
  .string()
  .trim()
  .transform((v) => v.replace(/[\s.\-()]/g, "").replace(/^(\+40|0040)/, "0"))
  .superRefine((v, ctx) => {
    if (!/^0[237]\d{8}$/.test(v)) {
      addProblem(ctx, {
        reason: "INVALID_FORMAT",
        message: { ro: "Numărul de telefon nu este valid (ex.: 0722 123 456).", en: "The phone number is not valid (e.g. 0722 123 456)." },
      });
    }
  });
const optionalPlace = z.string().trim().nullable().optional();

/** An input object's fields, for checking each on its own (GraphQL already checked the object's shape). */
const fieldsOf = (input: unknown): Record<string, unknown> => (input && typeof input === "object" ? (input as Record<string, unknown>) : {});

const SESSION_ENDED = "Sesiunea a expirat sau a fost închisă; autentifică-te din nou.";
const TOKEN_REUSED =
  "Acest token de reîmprospătare fusese deja folosit, deci e posibil să-l fi copiat altcineva: " +
  "din prudență am închis sesiunea, cu toate tokenurile ei. Autentifică-te din nou.";

const sha256 = (token: string) => crypto.createHash("sha256").update(token).digest("hex");
const newRefreshToken = () => crypto.randomBytes(32).toString("base64url");

/** What anyone may read of a user: the columns of a public profile (a seller's name on every listing). */
const PUBLIC_PROFILE = { id: true, displayName: true, county: true, city: true, createdAt: true } as const satisfies Prisma.UserSelect;
export type PublicProfile = Prisma.UserGetPayload<{ select: typeof PUBLIC_PROFILE }>;

/** Anything that reads whole rows by id, batched (the request's loader). */
export interface UserRows {
  load(id: string): Promise<User | null>;
}

/** Verifying against this when the e-mail is unknown keeps sign-in time the same either way. */
const DUMMY_HASH = await hash("timing-equaliser-not-a-password");

export class UsersService {
  /**
   * Public profiles, kept across requests: nearly every page names sellers, and a seller's name
   * seldom changes. A profile change purges its entry in every process (updateProfile, setRole), so
   * nothing shows an old name after the mutation returns; the TTL bounds a lost purge message.
   */
  private readonly profiles = new PurgedCache<string, PublicProfile>({ max: 20_000, ttlMs: 5 * 60_000 });

  constructor(
    private readonly prisma: PrismaClient,
    private readonly tokens: TokenService,
    private readonly refreshTtlDays: number,
    /** Sign-in and sign-up budgets; the deployment's shared store in the subgraph (subgraph.ts). */
    private readonly limits: AuthLimits,
    /** Where ended sessions are announced, so every gateway refuses their access tokens at once. */
    private readonly revocations: Pick<SessionRevocations, "revoke">,
    /** Where changed profiles are announced, so no gateway keeps serving the old one (lib/cache-purges.ts). */
    private readonly purges: Pick<CachePurges, "publish" | "listen">,
  ) {
    purges.listen((purge) => {
      const ids = purgedIds(purge, "User");
      if (ids === "all") this.profiles.clear();
      else if (ids.length) this.profiles.forget(ids);
    });
  }

  /** Announces sessions this service ended (after their transaction committed). */
  async announce(ended: readonly { id: string }[]): Promise<void> {
    await this.revocations.revoke(
      ended.map((s) => s.id),
      this.tokens.lifetimeSeconds,
    );
  }

  async signUp(input: unknown, client: ClientInfo = {}): Promise<AuthResult> {
    const given = fieldsOf(input);
    const problems = new InputProblems();
    const address = problems.parse("email", email, given.email);
    const secret = problems.parse("password", password, given.password);
    const name = problems.parse("displayName", displayName, given.displayName);
    // The rules beyond length, against what the account will hold (or, where that is refused, what was sent).
    if (secret !== undefined) {
      problems.add("password", passwordProblem(secret, { email: address ?? String(given.email ?? ""), displayName: name ?? String(given.displayName ?? "") }));
    }
    problems.throwIfAny();
    const data = { email: address!, password: secret!, displayName: name! };
    // Counted once the input is valid (a typo in a form costs nothing) and before the e-mail is
    // looked up: CONFLICT tells whether an account exists, so probing for accounts spends the budget too.
    await this.limits.signUpAttempt(client.clientIp);
    const passwordHash = await hash(data.password);
    try {
      const user = await this.prisma.user.create({
        data: { email: data.email, passwordHash, displayName: data.displayName },
      });
      return await this.openSession(user, client.userAgent);
    } catch (error) {
      if ((error as { code?: string }).code === "P2002") throw conflict("Există deja un cont cu această adresă de e-mail.");
      throw error;
    }
  }

  /**
   * Brute force (OWASP): failures count per account — the e-mail as typed, existing or not, so the
   * limit says nothing about which accounts exist — and per client IP. The attempt is reserved before
   * the password is checked, so once a budget is spent even the right password is refused until the
   * window ends: a guesser learns nothing more. The right password clears the account's failures.
   */
  async signIn(rawEmail: string, rawPassword: string, client: ClientInfo = {}): Promise<AuthResult> {
    const attempt = await this.limits.signInAttempt(rawEmail, client.clientIp);
    let user: User | null;
    let ok: boolean;
    try {
      const parsed = email.safeParse(rawEmail);
      user = parsed.success ? await this.prisma.user.findUnique({ where: { email: parsed.data } }) : null;
      ok = await verify(user?.passwordHash ?? DUMMY_HASH, rawPassword);
    } catch (error) {
      await attempt.cancel();
      throw error;
    }
    if (!user || !ok) throw unauthenticated("E-mail sau parolă greșită.");
    await attempt.succeeded();
    return this.openSession(user, client.userAgent);
  }

  /**
   * Rotation with reuse detection (OAuth 2.1): each refresh token works once. A token presented again
   * was copied, and we cannot tell which holder is the owner, so the whole session ends.
   */
  async refresh(refreshToken: string): Promise<AuthResult> {
    const tokenHash = sha256(refreshToken);
    const session = await this.prisma.session.findUnique({ where: { refreshTokenHash: tokenHash }, include: { user: true } });
    if (!session) return this.refuseUsedToken(tokenHash);
    if (!activeSession.is(session)) throw unauthenticated(SESSION_ENDED);
    const next = newRefreshToken();
    // Lost a race with a refresh of the same token: that is reuse too, even if it was the owner's own
    // retry (OAuth revokes anyway; the client signs in again).
    if (!(await this.rotate(session.id, tokenHash, next))) return this.endSessionOnReuse(session.id);
    return this.issue(session.user, session.id, next);
  }

  async signOut(viewer: Viewer): Promise<boolean> {
    await this.announce(await revokeSessions(this.prisma, { id: viewer.sessionId }));
    return true;
  }

  sessions(viewer: Viewer): Promise<Session[]> {
    return this.prisma.session.findMany({
      where: { userId: viewer.userId, ...activeSession.where() },
      orderBy: { lastUsedAt: "desc" },
    });
  }

  async revokeSession(viewer: Viewer, sessionId: string): Promise<boolean> {
    const ended = isUuid(sessionId) ? await revokeSessions(this.prisma, { id: sessionId, userId: viewer.userId }) : [];
    if (ended.length === 0) throw notFound("Sesiunea");
    await this.announce(ended);
    return true;
  }

  async signOutEverywhere(viewer: Viewer): Promise<boolean> {
    await this.announce(await revokeSessions(this.prisma, { userId: viewer.userId }));
    return true;
  }

  /**
   * Every problem at once: a wrong current password and a refused new one are reported together. The
   * current password is checked whatever the new one is — a guess spends the account's budget either way.
   */
  async changePassword(viewer: Viewer, currentPassword: string, newPassword: string, client: ClientInfo = {}): Promise<boolean> {
    const problems = new InputProblems();
    const next = problems.parse("newPassword", password, newPassword);
    const user = await this.prisma.user.findUnique({ where: { id: viewer.userId } });
    if (!user) throw notFound("Utilizatorul");
    // A stolen session must not become a way to guess the password: the account's sign-in budget applies.
    const attempt = await this.limits.signInAttempt(user.email, client.clientIp);
    const ok = await verify(user.passwordHash, currentPassword).catch(async (error: unknown) => {
      await attempt.cancel();
      throw error;
    });
    if (ok) await attempt.succeeded();
    else problems.add("currentPassword", { reason: "INCORRECT", message: { ro: "Parola actuală este greșită.", en: "The current password is wrong." } });
    if (next !== undefined) problems.add("newPassword", passwordProblem(next, user));
    problems.throwIfAny();
    const passwordHash = await hash(next!);
    const [, ended] = await this.prisma.$transaction([
      this.prisma.user.update({ where: { id: user.id }, data: { passwordHash } }),
      revokeSessions(this.prisma, { userId: user.id, NOT: { id: viewer.sessionId } }),
    ]);
    await this.announce(ended);
    return true;
  }

  async updateProfile(viewer: Viewer, input: unknown): Promise<User> {
    const given = fieldsOf(input);
    const problems = new InputProblems();
    const data = {
      displayName: given.displayName === undefined ? undefined : problems.parse("displayName", displayName, given.displayName),
      phone: given.phone === undefined || given.phone === null ? given.phone : problems.parse("phone", phone, given.phone),
    };
    const location = this.location(problems.parse("county", optionalPlace, given.county), problems.parse("city", optionalPlace, given.city), problems);
    problems.throwIfAny();
    const user = await this.prisma.user.update({
      where: { id: viewer.userId },
      data: {
        ...(data.displayName !== undefined ? { displayName: data.displayName } : {}),
        ...(data.phone !== undefined ? { phone: data.phone } : {}),
        // GraphQL has typed it a Boolean; null leaves it as it is.
        ...(typeof given.showPhone === "boolean" ? { showPhone: given.showPhone } : {}),
        ...location,
      },
    });
    await this.purges.publish({ entities: [entityTag("User", user.id)] });
    return user;
  }

  /** Where a profile says the user lives: shown only as a whole (a known county and a city). */
  publicLocation(user: Pick<User, "county" | "city">): LocationRef | null {
    const county = user.county ? findCounty(user.county) : undefined;
    return county && user.city ? { county, city: user.city } : null;
  }

  /** Public profiles by id, in order (null: no such user); most from memory, the rest in one statement. */
  async publicProfiles(ids: readonly string[]): Promise<(PublicProfile | null)[]> {
    const found = await this.profiles.getMany(ids, async (missing) => {
      const rows = await this.prisma.user.findMany({ where: { id: { in: missing.filter(isUuid) } }, select: PUBLIC_PROFILE });
      return new Map(rows.map((row) => [row.id, row]));
    });
    return found.map((profile) => profile ?? null);
  }

  /**
   * A user's e-mail, phone (and whether to show it) and role are for the user themselves and for
   * admins; anyone else reads null. Given a public profile, the whole row is read (from `rows`) only
   * for a reader allowed to see it.
   */
  async privateField<F extends "email" | "phone" | "showPhone" | "role">(reader: Reader, user: PublicProfile | User, field: F, rows: UserRows): Promise<User[F] | null> {
    const self = reader.viewer?.userId === user.id || reader.authenticatedUserIds.has(user.id);
    if (!self && !isAdmin(reader.viewer)) return null;
    const row = field in user ? (user as User) : await rows.load(user.id);
    return row ? row[field] : null;
  }

  async setRole(userId: string, role: Role): Promise<User> {
    if (!isUuid(userId)) throw notFound("Utilizatorul");
    const { user, ended } = await this.prisma.$transaction(async (tx) => {
      if (role === "USER") await this.keepAnAdmin(tx, userId);
      const result = await tx.user.updateMany({ where: { id: userId }, data: { role } });
      if (result.count === 0) throw notFound("Utilizatorul");
      // The role travels in access tokens: end the user's sessions so the new role applies at once.
      const ended = await revokeSessions(tx, { userId });
      return { user: await tx.user.findUniqueOrThrow({ where: { id: userId } }), ended };
    });
    await this.announce(ended);
    await this.purges.publish({ entities: [entityTag("User", user.id)] });
    return user;
  }

  /**
   * Refuses to demote the last admin: nobody could name a new one. The admins' rows are locked first (in
   * id order, so two callers cannot deadlock), which serialises two admins demoting each other at once:
   * the second one waits, then sees a single admin left and is refused.
   */
  private async keepAnAdmin(tx: Prisma.TransactionClient, userId: string): Promise<void> {
    const admins = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM "User" WHERE role = 'ADMIN' ORDER BY id FOR UPDATE`;
    if (admins.length <= 1 && admins.some((admin) => admin.id === userId)) {
      throw conflict("Este singurul administrator rămas: numește mai întâi un alt administrator, apoi îi poți retrage rolul.");
    }
  }

  /**
   * Swaps the session's refresh token and records the old one as used, in one transaction. Conditional
   * on the old hash, so of two concurrent refreshes with the same token exactly one rotates; the other
   * gets false (on PostgreSQL it waits on the row lock, then matches nothing).
   */
  private async rotate(sessionId: string, oldHash: string, next: string): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.session.updateMany({
        where: { id: sessionId, refreshTokenHash: oldHash, revokedAt: null },
        data: { refreshTokenHash: sha256(next), lastUsedAt: new Date(), expiresAt: this.refreshExpiry() },
      });
      if (count !== 1) return false;
      await tx.usedRefreshToken.create({ data: { tokenHash: oldHash, sessionId } });
      return true;
    });
  }

  /** A token that opens no session: unknown, or already used — then its session ends (reuse). */
  private async refuseUsedToken(tokenHash: string): Promise<never> {
    const used = await this.prisma.usedRefreshToken.findUnique({ where: { tokenHash } });
    if (!used) throw unauthenticated(SESSION_ENDED);
    return this.endSessionOnReuse(used.sessionId);
  }

  /**
   * Ends the session a reused token belongs to: the thief's newer access and refresh tokens stop working
   * with the owner's (the gateway checks the session on every request). The reuse message is only for
   * the call that ended it; a session that was already closed gets the usual one.
   */
  private async endSessionOnReuse(sessionId: string): Promise<never> {
    const ended = await revokeSessions(this.prisma, { id: sessionId });
    await this.announce(ended);
    throw unauthenticated(ended.length === 1 ? TOKEN_REUSED : SESSION_ENDED);
  }

  /** The profile's new location: none, cleared, or a county and city checked together (problems otherwise). */
  private location(county: string | null | undefined, city: string | null | undefined, problems: InputProblems) {
    if (county === undefined && city === undefined) return {};
    if (county === null && city === null) return { county: null, city: null };
    if (!county || !city) {
      const missing = county ? "city" : "county";
      problems.add(missing, {
        reason: "REQUIRED",
        message: { ro: "Județul și orașul se schimbă împreună.", en: "The county and the city change together: give both." },
      });
      return {};
    }
    const { location, problems: locationProblems } = checkLocation(county, city);
    problems.addAll(locationProblems);
    return location ? { county: location.county.code, city: location.city } : {};
  }

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.refreshTtlDays * 86_400_000);
  }

  private async openSession(user: User, userAgent?: string): Promise<AuthResult> {
    const refreshToken = newRefreshToken();
    const session = await this.prisma.session.create({
      data: {
        userId: user.id,
        refreshTokenHash: sha256(refreshToken),
        userAgent: userAgent?.slice(0, 200) ?? null,
        expiresAt: this.refreshExpiry(),
      },
    });
    return this.issue(user, session.id, refreshToken);
  }

  private async issue(user: User, sessionId: string, refreshToken: string): Promise<AuthResult> {
    const { token, expiresAt } = await this.tokens.sign({ userId: user.id, role: user.role, sessionId });
    return { accessToken: token, accessTokenExpiresAt: expiresAt, refreshToken, user };
  }
}
