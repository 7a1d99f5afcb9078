/**
 * Enforces the federation authorization directives declared in a subgraph's SDL, inside that subgraph:
 *   @authenticated                    the field needs a signed-in viewer
 *   @requiresScopes(scopes: [[...]])  the viewer needs every scope of at least one inner list
 * On an object type they apply to each of its fields. @apollo/gateway does not enforce them (only the
 * Apollo Router does), and the gateway authenticates but does not decide what a user may see, so each
 * subgraph wraps its own resolvers here. Rules stay readable in one place: the schema.
 */
import {
  defaultFieldResolver,
  isObjectType,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type GraphQLFieldConfig,
  type GraphQLSchema,
} from "graphql";
import type { Viewer } from "../context.ts";
import { forbidden, unauthenticated } from "../errors.ts";

interface Rule {
  authenticated: boolean;
  /** Alternatives: any inner list whose scopes the viewer all has grants access. */
  scopes: string[][];
}

function rulesOf(directives: readonly ConstDirectiveNode[] | undefined): Rule {
  const rule: Rule = { authenticated: false, scopes: [] };
  for (const directive of directives ?? []) {
    if (directive.name.value === "authenticated") rule.authenticated = true;
    if (directive.name.value === "requiresScopes") {
      const arg = directive.arguments?.find((a) => a.name.value === "scopes");
      const value = arg ? (valueFromASTUntyped(arg.value) as string[][]) : [];
      rule.scopes.push(...value);
    }
  }
  return rule;
}

export function checkAccess(rule: Rule, viewer: Viewer | null): void {
  if (!rule.authenticated && rule.scopes.length === 0) return;
  if (!viewer) throw unauthenticated();
  if (rule.scopes.length > 0 && !rule.scopes.some((all) => all.every((s) => viewer.scopes.includes(s)))) {
    throw forbidden();
  }
}

/** Wraps, in place, every resolver whose field or parent type carries an authorization directive. */
export function applyAuthorization<C extends { viewer: Viewer | null }>(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    const typeDirectives = [type.astNode, ...type.extensionASTNodes].flatMap((n) => n?.directives ?? []);
    for (const field of Object.values(type.getFields())) {
      const rule = rulesOf([...typeDirectives, ...(field.astNode?.directives ?? [])]);
      if (!rule.authenticated && rule.scopes.length === 0) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      const guarded: GraphQLFieldConfig<unknown, C>["resolve"] = (source, args, context, info) => {
        checkAccess(rule, context.viewer);
        return resolve(source, args, context, info);
      };
      field.resolve = guarded;
      // A Subscription field is entered through subscribe(): guard it before any event stream opens.
      if (field.subscribe) {
        const subscribe = field.subscribe;
        field.subscribe = (source, args, context: C, info) => {
          checkAccess(rule, context.viewer);
          return subscribe(source, args, context, info);
        };
      }
    }
  }
  return schema;
}
