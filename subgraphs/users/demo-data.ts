/**
 * The users' demo data: the README's admin and sellers across the country, with Romanian names.
 * Run by prisma/seed/seed.ts through the registry (subgraphs/index.ts), before the listings' demo data,
 * which gets the sellers' ids.
 */
import crypto from "node:crypto";
import { hash } from "@node-rs/argon2";
import type { PrismaClient } from "../../lib/db/database.ts";
import { COUNTIES } from "../../lib/locations.ts";
import type { Prisma } from "../../prisma/generated/client.ts";

type Rng = () => number;

/** What the users' demo data is made from (a part of the registry's DemoWorld). */
export interface UsersDemoWorld {
  rng: Rng;
  /** Empty for the default set (the README's e-mails); else unique to the set, so several sets add up. */
  tag: string;
  sellers: number;
}

export const DEMO_ADMIN = { email: "admin@piata.ai", password: "Admin-Piata-2026!", displayName: "Administrator Piața" };
export const DEMO_SELLER_PASSWORD = "Parola-Demo-2026";

const BATCH = 1000;
const DAY_MS = 86_400_000;

const FIRST_NAMES = ["Andrei", "Mihai", "Alexandru", "Ion", "Gabriel", "Cristian", "Florin", "Vlad", "Radu", "Bogdan", "Ștefan", "Cătălin", "Adrian", "Marius", "Sorin", "Ana", "Maria", "Elena", "Ioana", "Andreea", "Cristina", "Alexandra", "Mihaela", "Roxana", "Diana", "Gabriela", "Raluca", "Oana", "Simona", "Larisa"];
const LAST_NAMES = ["Popescu", "Ionescu", "Popa", "Pop", "Radu", "Dumitru", "Stoica", "Stan", "Gheorghe", "Matei", "Ciobanu", "Rusu", "Munteanu", "Constantin", "Mocanu", "Mureșan", "Lungu", "Moldovan", "Toma", "Georgescu", "Dobre", "Ene", "Barbu", "Nistor", "Florea", "Tudor", "Ardelean", "Șerban", "Cozma", "Țurcanu"];

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

export function generatePerson(rng: Rng): { firstName: string; lastName: string; displayName: string } {
  const firstName = pick(rng, FIRST_NAMES);
  const lastName = pick(rng, LAST_NAMES);
  return { firstName, lastName, displayName: rng() < 0.3 ? `${firstName} ${lastName[0]}.` : `${firstName} ${lastName}` };
}

function asciiSlug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ".")
    .replace(/^\.|\.$/g, "");
}

/** The admin and `sellers` sellers; the admin is kept if the database has it already. */
export async function addDemoData(prisma: PrismaClient, { rng, tag, sellers }: UsersDemoWorld): Promise<{ sellerIds: string[] }> {
  await prisma.user.upsert({
    where: { email: DEMO_ADMIN.email },
    create: { email: DEMO_ADMIN.email, displayName: DEMO_ADMIN.displayName, role: "ADMIN", passwordHash: await hash(DEMO_ADMIN.password) },
    update: {},
  });
  return { sellerIds: await createSellers(prisma, rng, sellers, tag) };
}

async function createSellers(prisma: PrismaClient, rng: Rng, count: number, tag: string): Promise<string[]> {
  const passwordHash = await hash(DEMO_SELLER_PASSWORD);
  const now = Date.now();
  const rows: Prisma.UserCreateManyInput[] = [];
  for (let i = 0; i < count; i++) {
    const person = generatePerson(rng);
    const county = pick(rng, COUNTIES);
    rows.push({
      id: crypto.randomUUID(),
      email: `${asciiSlug(`${person.firstName} ${person.lastName}`)}.${tag}${i + 1}@example.ro`,
      passwordHash,
      displayName: person.displayName,
      county: county.code,
      city: pick(rng, county.cities),
      createdAt: new Date(now - Math.floor(rng() * 3 * 365) * DAY_MS),
    });
  }
  for (let i = 0; i < rows.length; i += BATCH) await prisma.user.createMany({ data: rows.slice(i, i + BATCH) });
  return rows.map((r) => r.id!);
}
