/**
 * Debian's Chromium (/usr/bin/chromium, CHROMIUM_PATH to override) driven by playwright-core, for
 * tests of the pages the gateway serves. Where the browser is absent the suite is skipped with the
 * reason printed — except in CI, where that is a failure (.ci/run installs it).
 */
import fs from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Why no browser test can run here, or undefined when they can. Throws in CI instead of skipping. */
export const browserUnavailable: string | undefined = fs.existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (Debian: apt-get install chromium)`;
if (browserUnavailable) {
  if (process.env.CI) throw new Error(`${browserUnavailable}; CI must run the browser tests.`);
  console.warn(`SKIPPING the browser tests: ${browserUnavailable}`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // Playwright already turns off background networking, sync and updates; QUIC and the GPU are not
    // there to be used on a machine with a closed network and no display.
    args: ["--disable-quic", "--disable-gpu"],
  });
}

/** A page in a fresh context, recording what its tests assert about it. */
export interface WatchedPage {
  page: Page;
  /** Console errors (CSP violations included) and uncaught exceptions. */
  problems: string[];
  /** Every URL the page requested over HTTP, and every WebSocket it opened. */
  requests: string[];
  sockets: string[];
  /** The text frames its WebSockets received. */
  received: string[];
  close(): Promise<void>;
}

export async function watchedPage(browser: Browser): Promise<WatchedPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  // A shared CI machine under load signs in (argon2) and works runs slowly: wait longer than Playwright's 30 s.
  page.setDefaultTimeout(60_000);
  const watched: WatchedPage = { page, problems: [], requests: [], sockets: [], received: [], close: () => context.close() };
  page.on("console", (message) => {
    if (message.type() === "error") watched.problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => watched.problems.push(`exception: ${error.message}`));
  page.on("request", (request) => watched.requests.push(request.url()));
  page.on("websocket", (socket) => {
    watched.sockets.push(socket.url());
    socket.on("framereceived", ({ payload }) => watched.received.push(String(payload)));
  });
  return watched;
}
