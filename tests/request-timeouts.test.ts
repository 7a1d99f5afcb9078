/**
 * How long a request may take to arrive: a GraphQL body is held to BODY_TIMEOUT_SECONDS (a client
 * trickling bytes is answered 408 and let go), while a photo upload may take minutes on a slow mobile
 * link (the server's requestTimeout, MEDIA_UPLOAD_TIMEOUT_SECONDS). Raw sockets, so the bytes can be slow.
 */
import net from "node:net";
import sharp from "sharp";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signUp, type TestUser } from "./utils/fixtures.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends `head`, then `body` in `pieces` spread over `spreadMs`; resolves with what came back once the server closes. */
function trickle(port: number, head: string, body: Buffer, pieces: number, spreadMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString("latin1")));
    socket.on("close", () => resolve(answer));
    socket.on("error", (error) => (answer ? resolve(answer) : reject(error)));
    socket.once("connect", async () => {
      socket.write(head);
      const size = Math.ceil(body.length / pieces);
      for (let offset = 0; offset < body.length && !socket.destroyed; offset += size) {
        await sleep(spreadMs / pieces);
        if (!socket.destroyed) socket.write(body.subarray(offset, offset + size));
      }
    });
    setTimeout(() => socket.destroy(), 20_000);
  });
}

describeStack("request timeouts", () => {
  let stack: Stack;
  let port: number;
  let user: TestUser;

  beforeAll(async () => {
    stack = await startStack({ BODY_TIMEOUT_SECONDS: "1", RATE_LIMIT_UPLOADS_PER_MINUTE: "100" });
    port = Number(new URL(stack.url).port);
    user = await signUp(stack);
  });
  afterAll(() => stack?.stop());

  it("answers 408 to a GraphQL body that does not arrive within BODY_TIMEOUT_SECONDS, and closes", async () => {
    const body = Buffer.from(JSON.stringify({ query: "{ categories { slug } }" }));
    const head = `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const started = Date.now();
    // Half the body at once, the rest never: the answer comes after about a second.
    const answer = await trickle(port, head, body.subarray(0, body.length / 2), 1, 0);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toMatch(/connection: close/i);
    expect(answer).toContain('"code":"BAD_REQUEST"');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    // The same body sent in time is answered.
    const ok = await trickle(port, head.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"), body, 2, 200);
    expect(ok).toMatch(/^HTTP\/1\.1 200 /);
  });

  it("lets an upload take longer than that: a photo sent slowly over 3 s is stored", async () => {
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#3060a0" } }).jpeg().toBuffer();
    const boundary = "----piata-slow-upload";
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="foto.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
      jpeg,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const head =
      `POST /uploads HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${user.token}\r\nConnection: close\r\n` +
      `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${body.length}\r\n\r\n`;
    const answer = await trickle(port, head, body, 6, 3_000);
    expect(answer).toMatch(/^HTTP\/1\.1 201 /);
    expect(answer).toMatch(/"width":64,"height":48/);
  });
});
