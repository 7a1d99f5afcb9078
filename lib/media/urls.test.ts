import { describe, expect, it } from "vitest";
import { loadConfig } from "../env.ts";
import { createMediaUrls, createUrlSigner, parseVariantPath, variantPath } from "./urls.ts";

const ID = "0b6c3f5e-8a4e-4c1e-9d61-3f0f2a7b9c10";
const ref = { id: ID, size: "CARD", format: "WEBP" } as const;

describe("variant paths", () => {
  it("round-trips every size and format", () => {
    expect(variantPath(ID, "THUMB", "JPEG")).toBe(`/media/${ID}/thumb.jpg`);
    expect(parseVariantPath(`/media/${ID}/full.avif`)).toEqual({ id: ID, size: "FULL", format: "AVIF" });
    expect(parseVariantPath(`/media/${ID}/card.webp`)).toEqual(ref);
  });

  it("refuses anything else", () => {
    for (const p of [`/media/${ID}/card.png`, `/media/${ID}/huge.webp`, `/media/${ID}/card.webp/x`, `/media/${ID}`, "/media//card.webp", `/media/${ID}/CARD.webp`]) {
      expect(parseVariantPath(p), p).toBeUndefined();
    }
  });
});

describe("signed URLs", () => {
  const signer = createUrlSigner(Buffer.alloc(32, 7), 3600);
  const now = Date.UTC(2026, 11, 2, 4, 30);

  it("a signature is valid between ttl and 2 × ttl, then refused", () => {
    const { exp, sig } = signer.sign(ref, now);
    expect(exp * 1000 - now).toBeGreaterThanOrEqual(3600_000);
    expect(exp * 1000 - now).toBeLessThanOrEqual(7200_000);
    expect(signer.verify(ref, String(exp), sig, now)).toBe(true);
    expect(signer.verify(ref, String(exp), sig, exp * 1000 - 1)).toBe(true);
    expect(signer.verify(ref, String(exp), sig, exp * 1000)).toBe(false);
  });

  it("is stable within a window, so caches keep working", () => {
    expect(signer.sign(ref, now)).toEqual(signer.sign(ref, now + 60_000));
  });

  it("binds the id, size, format and expiry, and the key", () => {
    const { exp, sig } = signer.sign(ref, now);
    expect(signer.verify({ ...ref, size: "FULL" }, String(exp), sig, now)).toBe(false);
    expect(signer.verify({ ...ref, format: "JPEG" }, String(exp), sig, now)).toBe(false);
    expect(signer.verify({ ...ref, id: ID.replace("0b", "0c") }, String(exp), sig, now)).toBe(false);
    expect(signer.verify(ref, String(exp + 3600), sig, now)).toBe(false);
    expect(createUrlSigner(Buffer.alloc(32, 8), 3600).verify(ref, String(exp), sig, now)).toBe(false);
    for (const [e, s] of [[null, sig], [String(exp), null], ["1e12", sig], [String(exp), sig.slice(1)], [String(exp), sig + "="]] as const) {
      expect(signer.verify(ref, e, s, now)).toBe(false);
    }
  });
});

describe("createMediaUrls", () => {
  it("root-relative without PUBLIC_URL, prefixed with it", () => {
    const base = { JWT_SECRET: "x".repeat(40), DATA_DIR: "/nonexistent" };
    expect(createMediaUrls(loadConfig(base)).publicUrl(ID, "THUMB", "WEBP")).toBe(`/media/${ID}/thumb.webp`);
    const urls = createMediaUrls(loadConfig({ ...base, PUBLIC_URL: "https://api.piata.ro/" }));
    expect(urls.publicUrl(ID, "FULL", "AVIF")).toBe(`https://api.piata.ro/media/${ID}/full.avif`);
    const signed = new URL(urls.signedUrl(ID, "CARD", "WEBP"));
    expect(signed.pathname).toBe(`/media/${ID}/card.webp`);
    expect(urls.signer.verify(ref, signed.searchParams.get("exp"), signed.searchParams.get("sig"))).toBe(true);
  });
});
