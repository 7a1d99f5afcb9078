/**
 * Authentication at the edge: a bearer token is verified (signature, expiry) and its session checked
 * for revocation; the result is the request's viewer. What the viewer may see is decided by the
 * subgraphs (their @authenticated / @requiresScopes rules), not here.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import { Kind, type GraphQLError } from "graphql";
import { bearerToken, type TokenService } from "../../lib/auth/tokens.ts";
import type { Viewer } from "../../lib/context.ts";
import { unauthenticated } from "../../lib/errors.ts";
import type { GatewayContext } from "../context.ts";

export interface Authentication {
  viewer: Viewer | null;
  token?: string;
  /** Why the presented token was refused (malformed, forged, expired, revoked). */
  failure?: GraphQLError;
}

export function createAuthenticator(tokens: TokenService, isSessionActive: (sessionId: string) => boolean) {
  return async function authenticate(authorization: string | undefined): Promise<Authentication> {
    if (!authorization) return { viewer: null };
    const token = bearerToken(authorization);
    if (!token) return { viewer: null, failure: unauthenticated("Antetul Authorization trebuie să fie „Bearer <token>”.") };
    try {
      const viewer = await tokens.verify(token);
      if (!isSessionActive(viewer.sessionId)) {
        return { viewer: null, failure: unauthenticated("Sesiunea a fost închisă; autentifică-te din nou.") };
      }
      return { viewer, token };
    } catch (error) {
      if ((error as GraphQLError).extensions?.code === "UNAUTHENTICATED") return { viewer: null, failure: error as GraphQLError };
      throw error;
    }
  };
}

/**
 * Operations that must work with a stale token still attached: clients keep sending the expired
 * access token while they refresh it or sign in again.
 */
const WITHOUT_TOKEN = new Set(["signIn", "signUp", "refreshSession", "__typename"]);

/** A refused token fails the whole request with 401, unless it only signs in or refreshes. */
export function authFailurePlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      if (!contextValue.authFailure) return;
      return {
        async didResolveOperation({ operation }) {
          const onlySessionFields =
            operation?.operation === "mutation" &&
            operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && WITHOUT_TOKEN.has(s.name.value));
          if (!onlySessionFields) throw contextValue.authFailure;
        },
      };
    },
  };
}
