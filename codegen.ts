/**
 * Resolver types for each subgraph, generated from its SDL (federation on), with parents mapped to the
 * Prisma rows the resolvers really receive. `npm run codegen` writes them; `npm test` fails when they
 * are stale (codegen --check).
 */
import type { CodegenConfig } from "@graphql-codegen/cli";

const scalars = { DateTime: "Date | string", JSON: "unknown" };

function subgraph(name: string, mappers: Record<string, string>, contextType: string) {
  return {
    schema: `subgraphs/${name}/schema.graphql`,
    plugins: ["typescript", "typescript-resolvers"],
    config: {
      federation: true,
      useIndexSignature: true,
      contextType,
      mappers,
      scalars,
      enumsAsTypes: true,
      useTypeImports: true,
      emitLegacyCommonJSImports: false,
      importExtension: ".ts",
      avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
      maybeValue: "T | null",
      inputMaybeValue: "T | null | undefined",
    },
  };
}

const config: CodegenConfig = {
  overwrite: true,
  generates: {
    "subgraphs/users/__generated__/resolvers.ts": subgraph(
      "users",
      {
        User: "../users.service.ts#PublicProfile as UserRow",
        Session: "../../../prisma/generated/client.ts#Session as SessionRow",
        Location: "../../../lib/locations.ts#LocationRef",
        County: "../../../lib/locations.ts#County as CountyRow",
        AuthPayload: "../users.service.ts#AuthResult",
        Listing: "../contact-phones.ts#ListingContact",
      },
      "../context.ts#UsersContext",
    ),
    "subgraphs/listings/__generated__/resolvers.ts": subgraph(
      "listings",
      {
        Listing: "../listing-row.ts#ListingRow",
        ListingReport: "../../../prisma/generated/client.ts#ListingReport as ListingReportRow",
        ListingConnection: "../../../lib/graphql/pagination.ts#Connection<ListingRow>",
        ListingEdge: "{ cursor: string; node: ListingRow }",
        ListingReportConnection: "../../../lib/graphql/pagination.ts#Connection<ListingReportRow>",
        ListingReportEdge: "{ cursor: string; node: ListingReportRow }",
        Category: "../catalog/catalog.ts#CatalogCategory",
        County: "../../../lib/locations.ts#County as CountyRow",
        Location: "../../../lib/locations.ts#LocationRef",
        User: "{ id: string }",
        Money: "{ amount: number; currency: 'RON' | 'EUR' }",
        ListingModerationResult: "../../../prisma/generated/client.ts#ListingModeration as ListingModerationRow",
        ListingInsights: "{ moderation: ListingModerationRow | null }",
        ListingImport: "../../../prisma/generated/client.ts#ListingImport as ListingImportRow",
        ListingImportConnection: "../../../lib/graphql/pagination.ts#Connection<ListingImportRow>",
        ListingImportEdge: "{ cursor: string; node: ListingImportRow }",
        ListingImportProblem: "../imports.ts#ImportProblem",
        PriceInsight: "NonNullable<import('../moderation.ts').StoredInsights['suggestedPrice']>",
        Image: "../../../lib/media/media.ts#AttachedImage",
      },
      "../context.ts#ListingsContext",
    ),
    "subgraphs/chat/__generated__/resolvers.ts": subgraph(
      "chat",
      {
        Conversation: "../../../prisma/generated/client.ts#Conversation as ConversationRow",
        ConversationConnection: "../../../lib/graphql/pagination.ts#Connection<ConversationRow>",
        ConversationEdge: "{ cursor: string; node: ConversationRow }",
        Message: "../../../prisma/generated/client.ts#ChatMessage as MessageRow",
        MessageConnection: "../../../lib/graphql/pagination.ts#Connection<MessageRow>",
        MessageEdge: "{ cursor: string; node: MessageRow }",
        BlockedUser: "../../../prisma/generated/client.ts#ChatBlock as BlockRow",
        BlockedUserConnection: "../../../lib/graphql/pagination.ts#Connection<BlockRow>",
        BlockedUserEdge: "{ cursor: string; node: BlockRow }",
        ConversationReport: "../../../prisma/generated/client.ts#ConversationReport as ConversationReportRow",
        ConversationReportConnection: "../../../lib/graphql/pagination.ts#Connection<ConversationReportRow>",
        ConversationReportEdge: "{ cursor: string; node: ConversationReportRow }",
        ConversationFlag: "../../../prisma/generated/client.ts#ConversationFlag as ConversationFlagRow",
        ConversationFlagConnection: "../../../lib/graphql/pagination.ts#Connection<ConversationFlagRow>",
        ConversationFlagEdge: "{ cursor: string; node: ConversationFlagRow }",
        User: "{ id: string }",
        Listing: "{ id: string; seller?: { id: string } | null }",
        Image: "../../../lib/media/media.ts#AttachedImage",
      },
      "../context.ts#ChatContext",
    ),
    "subgraphs/search/__generated__/resolvers.ts": subgraph(
      "search",
      {
        SearchResults: "../search.service.ts#SearchResults as SearchResultsValue",
        SavedSearch: "../../../prisma/generated/client.ts#SavedSearch as SavedSearchRow",
        SearchAlert: "../../../prisma/generated/client.ts#SearchAlert as SearchAlertRow",
        SearchAlertConnection: "../saved-searches.ts#AlertConnection",
        SearchAlertEdge: "{ cursor: string; node: SearchAlertRow }",
        SavedSearchMatch: "{ savedSearch: SavedSearchRow; listings: { id: string }[] }",
        SearchHit: "../search.service.ts#SearchHit as SearchHitValue",
        SearchFacets: "../facets.ts#Facets as FacetsValue",
        PriceRangeCount: "../facets.ts#PriceRange as PriceRangeValue",
        Suggestion: "../search.service.ts#Suggestion as SuggestionValue",
        County: "../../../lib/locations.ts#County as CountyRow",
        Listing: "{ id: string }",
        Category: "{ id: string }",
      },
      "../context.ts#SearchContext",
    ),
    "subgraphs/agents/__generated__/resolvers.ts": subgraph(
      "agents",
      {
        Agent: "../agents.service.ts#AgentView",
        AgentHealth: "../runtime/contract.ts#AgentHealth as AgentHealthValue",
        DatabaseHealthReport: "../../../prisma/generated/client.ts#AgentRun as AgentRunRow",
        AgentRun: "../../../prisma/generated/client.ts#AgentRun as AgentRunRow",
        AgentRunConnection: "../../../lib/graphql/pagination.ts#Connection<AgentRunRow>",
        AgentRunEdge: "{ cursor: string; node: AgentRunRow }",
        User: "{ id: string }",
      },
      "../context.ts#AgentsContext",
    ),
  },
};

export default config;
