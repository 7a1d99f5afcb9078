/**
 * Input rules for listing text and price, as strict as OLX's partner API. Pure functions, unit-tested.
 */
import { z } from "zod";
import { formatFixed2, formatInteger } from "../../lib/ro-format.ts";

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/u;
/**
 * A Romanian phone number: +40 / 0040 / 0 then 9 digits, with spaces, dots, dashes or brackets
 * between them ("0722 123 456", "+40-722-123-456", "0264.123.456").
 */
const PHONE = /(?:\+\s*4\s*0|\b00\s*4\s*0|\b0)(?:[\s.\-()/]*\d){9}(?!\d)/;

export function containsEmail(text: string): boolean {
  return EMAIL.test(text);
}

export function containsPhone(text: string): boolean {
  return PHONE.test(text);
}

/** Share of letters that are capitals; texts with no letters count as 0. */
export function capitalsRatio(text: string): number {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const capitals = text.match(/\p{Lu}/gu)?.length ?? 0;
  return letters === 0 ? 0 : capitals / letters;
}

function listingText(label: string, min: number, max: number) {
  return z
    .string()
    .transform((s) => s.trim().replace(/[ \t]+/g, " "))
    .pipe(
      z
        .string()
        .min(min, `${label} trebuie să aibă cel puțin ${min} caractere.`)
        .max(max, `${label} poate avea cel mult ${formatInteger(max)} caractere.`)
        .refine((s) => !containsEmail(s), `${label} nu poate conține adrese de e-mail.`)
        .refine((s) => !containsPhone(s), `${label} nu poate conține numere de telefon.`)
        .refine((s) => capitalsRatio(s) <= 0.5, `${label} poate avea cel mult jumătate din litere majuscule.`),
    );
}

export const title = listingText("Titlul", 16, 70);
export const description = listingText("Descrierea", 80, 9000);

export const money = z.object({
  amount: z
    .number()
    .int("Prețul se dă în subunități (bani / cenți), ca număr întreg.")
    .min(0, "Prețul nu poate fi negativ."),
  currency: z.enum(["RON", "EUR"]),
});

/** Romanian display: "12.500 lei", "8.900 €", "12,50 lei". */
export function formatMoney(amount: number, currency: "RON" | "EUR"): string {
  const text = amount % 100 === 0 ? formatInteger(amount / 100) : formatFixed2(amount / 100);
  return currency === "RON" ? `${text} lei` : `${text} €`;
}

/** One number to filter and sort mixed currencies by: RON bani at a fixed EUR rate. */
export function toRonBani(amount: number, currency: "RON" | "EUR", eurRonRate: number): bigint {
  return BigInt(currency === "RON" ? amount : Math.round(amount * eurRonRate));
}
