/**
 * The agents' admin page (/admin/agents) in headless Chromium against a real stack with the test
 * agents: an admin signs in, sees the agents, starts a run and watches it reach SUCCEEDED over
 * graphql-ws without a reload, cancels a long one; a non-admin is refused. Every asset comes from the
 * gateway, and the browser reports no error (a CSP violation is one).
 */
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { browserUnavailable, launchChromium, watchedPage, type WatchedPage } from "./utils/browser.ts";
import { unavailable } from "./utils/databases.ts";
import { signUp, signUpAdmin, type TestUser } from "./utils/fixtures.ts";
import { startStack, type Stack } from "./utils/stack.ts";

const describeInBrowser = describe.skipIf(!!browserUnavailable || !!unavailable);

describeInBrowser("admin page /admin/agents in Chromium", { timeout: 120_000 }, () => {
  let stack: Stack;
  let admin: TestUser;
  let user: TestUser;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let origin: string;
  let opened: WatchedPage[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startStack({ AGENTS_EXTRA_DIR: fileURLToPath(new URL("./agent-fixtures/", import.meta.url)), AGENT_POLLING_INTERVAL_SECONDS: "0.5" }),
      launchChromium(),
    ]);
    origin = new URL(stack.url).origin;
    [admin, user] = await Promise.all([signUpAdmin(stack), signUp(stack, "Ion Vânzătorul")]);
  });
  afterEach(async () => {
    await Promise.all(opened.map((w) => w.close()));
    opened = [];
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** The page, signed in as `who`: resolves once it shows the console or a notice. */
  const signedIn = async (who: TestUser) => {
    const watched = await watchedPage(browser);
    opened.push(watched);
    const { page } = watched;
    await page.goto(`${origin}/admin/agents`);
    await page.fill("#sign-in-form [name=email]", who.email);
    await page.fill("#sign-in-form [name=password]", who.password);
    await page.click("#sign-in-form button[type=submit]");
    await page.locator("#console:visible, #notice:visible").first().waitFor();
    return watched;
  };
  const startRun = async (page: Page, agent: string, goal: string, input: unknown) => {
    await page.click(`#agents tr[data-agent="${agent}"] button[data-action="pick"]`);
    await page.fill("#run-form [name=goal]", goal);
    await page.fill("#run-form textarea", JSON.stringify(input));
    await page.click("#run-form button[type=submit]");
    return page.locator("#runs tbody tr").filter({ hasText: goal });
  };
  /** The names of the GraphQL operations the page posts from now on. */
  const operationsPosted = (page: Page) => {
    const names: string[] = [];
    page.on("request", (request) => {
      const body = request.postData();
      if (body) names.push(/^\s*(?:query|mutation|subscription)\s+(\w+)/.exec(JSON.parse(body).query)?.[1] ?? "anonymous");
    });
    return names;
  };
  const onlyFromGateway = (watched: WatchedPage) => {
    expect(watched.requests.length).toBeGreaterThan(0);
    expect(watched.requests.filter((url) => new URL(url).origin !== origin)).toEqual([]);
    expect(watched.sockets.map((url) => new URL(url).host)).toEqual(watched.sockets.map(() => new URL(origin).host));
  };

  it("serves the page and its assets from the gateway, under a policy that allows no inline script", async () => {
    const page = await fetch(`${origin}/admin/agents`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const policy = page.headers.get("content-security-policy")!;
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toContain("unsafe");
    const html = await page.text();
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    expect(html.match(/<script\b[^>]*>/g)!.every((tag) => / src="\/admin\/assets\/[\w.-]+"/.test(tag))).toBe(true);
    for (const asset of ["admin.js", "api.js", "view.js", "admin.css", "favicon.svg", "graphql-ws.min.js"]) {
      const response = await fetch(`${origin}/admin/assets/${asset}`);
      expect(response.status, asset).toBe(200);
      const again = await fetch(`${origin}/admin/assets/${asset}`, { headers: { "if-none-match": response.headers.get("etag")! } });
      expect(again.status, asset).toBe(304);
    }
    for (const path of ["/admin/assets/agents.html", "/admin/assets/..%2Fadmin-page.ts", "/admin/assets/", "/admin/agents/x"]) {
      expect((await fetch(`${origin}${path}`)).status, path).toBe(404);
    }
  });

  it("signs an admin in, lists the agents, and shows a run reaching SUCCEEDED live, over graphql-ws", async () => {
    const watched = await signedIn(admin);
    const { page } = watched;
    await page.locator('#agents tr[data-agent="test-echo"]').waitFor();
    const agents = await page.locator("#agents tbody tr").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-agent")));
    expect(agents).toEqual(expect.arrayContaining(["test-echo", "test-flaky", "test-wait", "taita"]));
    expect(await page.locator('#agents tr[data-agent="test-flaky"]').textContent()).toContain("flaky by design");
    await page.locator('#live[data-state="connected"]').waitFor();

    await page.evaluate("window.notReloaded = true");
    const posted = operationsPosted(page);
    // Markup in the input must come back as text, never as elements.
    const row = await startRun(page, "test-echo", "salută din browser", { text: "<b>bună</b>" });
    await row.and(page.locator('[data-status="SUCCEEDED"]')).waitFor();
    expect(await row.locator('[data-field="result"]').textContent()).toBe('{"echo":"<b>bună</b>","goal":"salută din browser"}');
    expect(await row.locator('[data-field="progress"]').textContent()).toBe("echoing 11 characters");
    expect(await page.locator("#runs b").count()).toBe(0);

    // The statuses came over the socket: the page asked nothing about runs after starting it.
    const runId = (await row.getAttribute("data-run-id"))!;
    const events = watched.received.filter((frame) => frame.includes(runId)).map((frame) => JSON.parse(frame).payload.data.agentRunUpdated.status);
    expect(events).toEqual(expect.arrayContaining(["RUNNING", "SUCCEEDED"]));
    expect(posted.filter((name) => name !== "AdminAgents")).toEqual(["AdminRunAgent"]);
    expect(await page.evaluate("window.notReloaded")).toBe(true);
    // Counts follow the runs that end.
    await expect.poll(() => page.locator('#agents tr[data-agent="test-echo"] [data-field="counts"]').textContent(), { timeout: 30_000 }).toContain("reușite 1");

    expect(watched.problems).toEqual([]);
    onlyFromGateway(watched);
  });

  it("cancels a running run from the page", async () => {
    const watched = await signedIn(admin);
    const { page } = watched;
    await page.locator('#live[data-state="connected"]').waitFor();
    const row = await startRun(page, "test-wait", "așteaptă să fie anulată", { ms: 300_000 });
    await row.and(page.locator('[data-status="RUNNING"]')).waitFor();
    await row.locator('button[data-action="cancel"]').click();
    await row.and(page.locator('[data-status="CANCELLED"]')).waitFor();
    expect(await row.locator('button[data-action="retry"]').count()).toBe(1);
    expect(watched.problems).toEqual([]);
    onlyFromGateway(watched);
  });

  it("refuses a user who is not an admin, saying why", async () => {
    const watched = await signedIn(user);
    const { page } = watched;
    expect(await page.locator("#notice").textContent()).toMatch(/Doar administratorii .*\(FORBIDDEN\)/);
    expect(await page.locator("#console").isHidden()).toBe(true);
    expect(await page.locator("#sign-in").isVisible()).toBe(true);
    expect(await page.evaluate("sessionStorage.length")).toBe(0);
    expect(watched.problems).toEqual([]);
    onlyFromGateway(watched);
  });
});
