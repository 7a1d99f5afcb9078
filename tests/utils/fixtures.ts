/** Users and listings made through the public API, the way a client would make them. */
import crypto from "node:crypto";
import type { Stack } from "./stack.ts";

export interface TestUser {
  id: string;
  email: string;
  password: string;
  token: string;
  refreshToken: string;
}

const SIGN_UP = /* GraphQL */ `
  mutation ($input: SignUpInput!) {
    signUp(input: $input) { accessToken refreshToken user { id } }
  }
`;

export async function signUp(stack: Stack, name = "Ion Popescu"): Promise<TestUser> {
  const email = `user-${crypto.randomBytes(5).toString("hex")}@example.ro`;
  const password = "parola-sigura-123";
  const r = await stack.request(SIGN_UP, { input: { email, password, displayName: name } });
  if (r.errors) throw new Error(`signUp failed: ${JSON.stringify(r.errors)}`);
  return { id: r.data.signUp.user.id, email, password, token: r.data.signUp.accessToken, refreshToken: r.data.signUp.refreshToken };
}

/** An admin: signed up through the API, promoted in the database (there is no self-service for that). */
export async function signUpAdmin(stack: Stack): Promise<TestUser> {
  const user = await signUp(stack, "Admin Test");
  await stack.app.db.prisma.user.update({ where: { id: user.id }, data: { role: "ADMIN" } });
  const r = await stack.request(`mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { accessToken refreshToken } }`, {
    e: user.email,
    p: user.password,
  });
  return { ...user, token: r.data.signIn.accessToken, refreshToken: r.data.signIn.refreshToken };
}

export const CAR_CATEGORY_ID = "101";

export function carListingInput(overrides: Record<string, unknown> = {}) {
  return {
    categoryId: CAR_CATEGORY_ID,
    title: "Dacia Logan 1.5 dCi 2016, unic proprietar",
    description:
      "Vând Dacia Logan în stare foarte bună, întreținută la reprezentanță, toate reviziile la zi. " +
      "Mașina nu are accidente, interiorul este curat, anvelope de iarnă incluse.",
    price: { amount: 450_000, currency: "EUR" },
    negotiable: true,
    condition: "USED",
    county: "CJ",
    city: "Cluj-Napoca",
    attributes: { make: "dacia", model: "Logan", year: 2016, km: 148_000, fuel: "diesel" },
    ...overrides,
  };
}

const CREATE = /* GraphQL */ `
  mutation ($input: CreateListingInput!) { createListing(input: $input) { id status } }
`;
const PUBLISH = /* GraphQL */ `
  mutation ($id: ID!) { publishListing(id: $id) { id status } }
`;

export async function createListing(stack: Stack, user: TestUser, overrides: Record<string, unknown> = {}, publish = true): Promise<string> {
  const r = await stack.request(CREATE, { input: carListingInput(overrides) }, { token: user.token });
  if (r.errors) throw new Error(`createListing failed: ${JSON.stringify(r.errors)}`);
  const id: string = r.data.createListing.id;
  if (publish) {
    const p = await stack.request(PUBLISH, { id }, { token: user.token });
    if (p.errors) throw new Error(`publishListing failed: ${JSON.stringify(p.errors)}`);
  }
  return id;
}

const START_CONVERSATION = /* GraphQL */ `
  mutation ($listingId: ID!, $body: String!) { startConversation(listingId: $listingId, body: $body) { id } }
`;
const SEND_MESSAGE = /* GraphQL */ `
  mutation ($conversationId: ID!, $body: String!) { sendMessage(conversationId: $conversationId, body: $body) { id } }
`;

/** A buyer's message about a listing (chat): the conversation's id. */
export async function startConversation(stack: Stack, buyer: TestUser, listingId: string, body = "Bună ziua! Mai este disponibil?"): Promise<string> {
  const r = await stack.request(START_CONVERSATION, { listingId, body }, { token: buyer.token });
  if (r.errors) throw new Error(`startConversation failed: ${JSON.stringify(r.errors)}`);
  return r.data.startConversation.id;
}

/** A message in a conversation (chat): the message's id. */
export async function sendMessage(stack: Stack, user: TestUser, conversationId: string, body: string): Promise<string> {
  const r = await stack.request(SEND_MESSAGE, { conversationId, body }, { token: user.token });
  if (r.errors) throw new Error(`sendMessage failed: ${JSON.stringify(r.errors)}`);
  return r.data.sendMessage.id;
}
