/**
 * Input rules of chat text. Unlike listing text, a message may carry a phone number or an e-mail
 * address: buyers and sellers exchange them in chat, which is what the chat is for.
 */
import { badInput, InputProblems } from "../../lib/errors.ts";
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

/** Photos a message may carry (sendMessage's `imageIds`). */
export const MAX_MESSAGE_IMAGES = 4;

/**
 * The message as stored, or BAD_USER_INPUT on `body`. A message with photos may have no text: the
 * photos are what it says. Whatever text it has follows the same rules.
 */
export function messageBody(raw: string, withImages = false): string {
  if (withImages && raw.trim() === "") return "";
  return parsed("body", MESSAGE_BODY, raw);
}

/** The photos to attach to a message: each once, at most MAX_MESSAGE_IMAGES; BAD_USER_INPUT on `imageIds` otherwise. */
export function messageImageIds(ids: readonly string[] | null | undefined): string[] {
  const given = ids ?? [];
  if (given.length > MAX_MESSAGE_IMAGES) {
    throw badInput(
      { ro: `Un mesaj are cel mult ${MAX_MESSAGE_IMAGES} fotografii.`, en: `A message has at most ${MAX_MESSAGE_IMAGES} photos.` },
      "imageIds",
      "OUT_OF_RANGE",
    );
  }
  if (new Set(given).size !== given.length) {
    throw badInput({ ro: "O fotografie apare de două ori.", en: "A photo is given twice." }, "imageIds", "INVALID");
  }
  return [...given];
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
