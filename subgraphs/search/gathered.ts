/**
 * Parts of one answer asked for in the same tick, loaded together: GraphQL calls the resolvers of a
 * selection's fields one after the other before any of them settles, so a search's page, total and
 * facets are known before the first statement is sent, and one statement answers them all. A part
 * asked for later than that gets a load of its own (or shares the load that already covers it).
 */
export function gathered<Part, Answer>(load: (parts: ReadonlySet<Part>) => Promise<Answer>): (part: Part) => Promise<Answer> {
  const loads: { parts: Set<Part>; answer: Promise<Answer> }[] = [];
  let open: Set<Part> | null = null;
  return (part) => {
    const covering = loads.find((l) => l.parts.has(part));
    if (covering) return covering.answer;
    if (!open) {
      const parts = new Set<Part>();
      open = parts;
      // After the current tick's synchronous work: the other resolvers have asked by then.
      const answer = Promise.resolve().then(() => {
        open = null;
        return load(parts);
      });
      loads.push({ parts, answer });
    }
    open.add(part);
    return loads.at(-1)!.answer;
  };
}
