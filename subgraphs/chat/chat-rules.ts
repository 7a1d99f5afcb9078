/**
 * Input rules of chat text. Unlike listing text, a message may carry a phone number or an e-mail
 * address: buyers and sellers exchange them in chat, which is what the chat is for.
 */
import { InputProblems } from "../../lib/errors.ts";
import { REPORT_TEXT, textSchema } from "../../lib/text.ts";

export const MESSAGE_MAX_LENGTH = 5000;

const MESSAGE_BODY = textSchema({
  label: { ro: "Mesajul", en: "The message" },
  min: 1,
  max: MESSAGE_MAX_LENGTH,
  tooShort: { ro: "Mesajul nu poate fi gol.", en: "The message cannot be empty." },
  tooLong: { ro: "Mesajul poate avea cel mult 5.000 de caractere.", en: "The message can have at most 5,000 characters." },
  // A message is read out of context on a lock screen too: text that reads differently than sent is refused.
  refuseBidi: true,
});

/** The message as stored, or BAD_USER_INPUT on `body`. */
export function messageBody(raw: string): string {
  return parsed("body", MESSAGE_BODY, raw);
}

/** The report's text as stored, or BAD_USER_INPUT on `text`. */
export function reportText(raw: string): string {
  return parsed("text", REPORT_TEXT, raw);
}

function parsed(field: string, schema: typeof MESSAGE_BODY, raw: string): string {
  const problems = new InputProblems();
  const text = problems.parse(field, schema, raw);
  problems.throwIfAny();
  return text!;
}
