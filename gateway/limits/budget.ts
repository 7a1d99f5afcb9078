/**
 * The second line of defence, for a query that passed every limit and still turns out heavy: each
 * request has a deadline and a cap on the objects its subgraph fetches return. Past either, the
 * request's remaining fetches fail at once and its answer is one clear error (plugins/limits.ts);
 * the process, and every other request, carries on.
 */
import type { GraphQLError } from "graphql";
import { deadlineExceeded, responseTooLarge } from "../../lib/errors.ts";

export interface BudgetSettings {
  deadlineMs: number;
  maxObjects: number;
}

export class RequestBudget {
  private readonly deadline: number;
  private objects = 0;
  /** Set once the request has gone past its deadline or object cap. */
  exceeded?: GraphQLError;

  constructor(private readonly settings: BudgetSettings) {
    this.deadline = Date.now() + settings.deadlineMs;
  }

  /** Milliseconds left; throws (and remembers why) once the request is over budget. */
  remainingMs(): number {
    if (this.exceeded) throw this.exceeded;
    const left = this.deadline - Date.now();
    if (left <= 0) this.fail(deadlineExceeded(this.settings.deadlineMs));
    return left;
  }

  expire(): never {
    return this.fail(deadlineExceeded(this.settings.deadlineMs));
  }

  /**
   * Refuses a fetch before it runs when the objects it may return (its estimated cost) would take
   * the request past the cap: one fetch can multiply hundreds of entities by a page size each, and
   * a subgraph cannot be stopped half-way through building that answer.
   */
  admit(estimatedObjects: number): void {
    if (this.objects + estimatedObjects > this.settings.maxObjects) this.tooLarge();
  }

  /** Adds the objects in one fetch's data; throws past the cap. */
  count(data: unknown): void {
    this.objects += countObjects(data, this.settings.maxObjects - this.objects + 1);
    if (this.objects > this.settings.maxObjects) this.tooLarge();
  }

  private tooLarge(): never {
    return this.fail(responseTooLarge(`Răspunsul ar avea peste ${this.settings.maxObjects} de obiecte; cere mai puține date (first mai mic).`));
  }

  private fail(error: GraphQLError): never {
    this.exceeded ??= error;
    throw this.exceeded;
  }
}

/** Objects in a JSON value (lists themselves are not counted, as in the cost), counting no further than `limit`. */
export function countObjects(value: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length && count < limit) {
    const next = stack.pop();
    if (next === null || typeof next !== "object") continue;
    if (Array.isArray(next)) {
      for (const item of next) stack.push(item);
      continue;
    }
    count++;
    for (const key in next) stack.push((next as Record<string, unknown>)[key]);
  }
  return count;
}
