/**
 * The fields a chat event's subscribers share one fetch of (gateway/subscriptions/shared-fetches.ts,
 * VIEWER_INDEPENDENT_FIELDS) must read the same for every viewer: anonymous, the user, another user,
 * an admin. A field added to the list that some viewer reads differently fails here.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { VIEWER_INDEPENDENT_FIELDS } from "../gateway/subscriptions/shared-fetches.ts";
import { signUp, signUpAdmin, type TestUser } from "./utils/fixtures.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

describeStack("fields shared between the subscribers of a chat event", () => {
  let stack: Stack;
  let user: TestUser;
  let other: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    stack = await startStack();
    [user, other] = await Promise.all([signUp(stack, "Elena Popa"), signUp(stack, "Radu Ene")]);
    admin = await signUpAdmin(stack);
  });
  afterAll(() => stack?.stop());

  const read = async (fields: readonly string[], token?: string) => {
    const r = await stack.request(`query ($id: ID!) { user(id: $id) { ${fields.join(" ")} } }`, { id: user.id }, token ? { token } : {});
    expect(r.errors).toBeUndefined();
    return r.data.user as Record<string, unknown>;
  };

  it("lists only User fields that read the same whoever asks", async () => {
    expect(Object.keys(VIEWER_INDEPENDENT_FIELDS)).toEqual(["User"]);
    const fields = VIEWER_INDEPENDENT_FIELDS.User!;
    const views = [await read(fields), await read(fields, user.token), await read(fields, other.token), await read(fields, admin.token)];
    expect(views[0]).toMatchObject({ id: user.id, displayName: "Elena Popa" });
    for (const field of fields) expect(views[0]![field]).not.toBeNull();
    for (const view of views.slice(1)) expect(view).toEqual(views[0]);
  });

  it("would catch a viewer-dependent field: the user's e-mail reads differently for the user and for others", async () => {
    const [anonymous, own, others] = [await read(["email"]), await read(["email"], user.token), await read(["email"], other.token)];
    expect(own.email).toBe(user.email);
    expect(anonymous.email).toBeNull();
    expect(others.email).toBeNull();
  });
});
