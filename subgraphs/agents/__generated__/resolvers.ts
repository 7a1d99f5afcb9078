import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { AgentView } from '../agents.service.ts';
import type { AgentHealth as AgentHealthValue } from '../runtime/contract.ts';
import type { AgentRun as AgentRunRow } from '../../../prisma/generated/client.ts';
import type { Connection } from '../../../lib/graphql/pagination.ts';
import type { AgentsContext } from '../context.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 date-time in UTC, e.g. "2026-11-27T10:15:00.000Z". */
  DateTime: { input: Date | string; output: Date | string; }
  JSON: { input: unknown; output: unknown; }
  _FieldSet: { input: unknown; output: unknown; }
};

/**
 * An AI agent working on the marketplace. Contract: AgentTask { id, goal, input } → AgentResult
 * { status: success | error, output, metadata }. Admins only.
 */
export type Agent = {
  __typename?: 'Agent';
  description: Scalars['String']['output'];
  enabled: Scalars['Boolean']['output'];
  health: AgentHealth;
  /** The JSON Schema of the input `runAgent` takes. */
  inputSchema: Scalars['JSON']['output'];
  lastRun: Maybe<AgentRun>;
  name: Scalars['ID']['output'];
  /** Over its succeeded runs of the last 7 days. */
  p95DurationMs: Maybe<Scalars['Float']['output']>;
  runCounts: AgentRunCounts;
  /** Cron (UTC) it runs on, or null. */
  schedule: Maybe<Scalars['String']['output']>;
};

export type AgentHealth = {
  __typename?: 'AgentHealth';
  detail: Maybe<Scalars['String']['output']>;
  ok: Scalars['Boolean']['output'];
};

/**
 * One run of an agent: QUEUED → RUNNING (progress lines) → SUCCEEDED | FAILED | CANCELLED. A run that
 * throws or times out is retried with backoff (`attempts` counts them) before it fails.
 */
export type AgentRun = {
  __typename?: 'AgentRun';
  agent: Scalars['String']['output'];
  attempts: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  durationMs: Maybe<Scalars['Float']['output']>;
  error: Maybe<Scalars['String']['output']>;
  finishedAt: Maybe<Scalars['DateTime']['output']>;
  goal: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  input: Scalars['JSON']['output'];
  metadata: Maybe<Scalars['JSON']['output']>;
  output: Maybe<Scalars['JSON']['output']>;
  progress: Array<Scalars['String']['output']>;
  requestedBy: Maybe<User>;
  startedAt: Maybe<Scalars['DateTime']['output']>;
  status: AgentRunStatus;
};

export type AgentRunConnection = {
  __typename?: 'AgentRunConnection';
  edges: Array<AgentRunEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type AgentRunCounts = {
  __typename?: 'AgentRunCounts';
  cancelled: Scalars['Int']['output'];
  failed: Scalars['Int']['output'];
  queued: Scalars['Int']['output'];
  running: Scalars['Int']['output'];
  succeeded: Scalars['Int']['output'];
};

export type AgentRunEdge = {
  __typename?: 'AgentRunEdge';
  cursor: Scalars['String']['output'];
  node: AgentRun;
};

export type AgentRunFilter = {
  agent?: InputMaybe<Scalars['String']['input']>;
  since?: InputMaybe<Scalars['DateTime']['input']>;
  status?: InputMaybe<Array<AgentRunStatus>>;
};

export type AgentRunStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

export type Category = {
  __typename?: 'Category';
  id: Scalars['ID']['output'];
};

/** A category that fits a listing's text, from the categorizer agent's newest classifier. */
export type CategorySuggestion = {
  __typename?: 'CategorySuggestion';
  category: Category;
  /** The classifier's confidence, 0–1 (over every category the scores add up to 1). */
  score: Scalars['Float']['output'];
};

export type Currency =
  | 'EUR'
  | 'RON';

export type DatabaseFinding = {
  __typename?: 'DatabaseFinding';
  detail: Scalars['String']['output'];
  /** DEAD_ROWS, UNUSED_INDEX, DUPLICATE_INDEX, SEQ_SCANS, CACHE_HIT_RATIO, CONNECTIONS, VACUUM_AGE, … */
  kind: Scalars['String']['output'];
  recommendation: Scalars['String']['output'];
  /** HIGH, MEDIUM, LOW or INFO. */
  severity: Scalars['String']['output'];
  target: Scalars['String']['output'];
};

/** The latest report of taita, the database-health agent (every 5 minutes by default). */
export type DatabaseHealthReport = {
  __typename?: 'DatabaseHealthReport';
  findings: Array<DatabaseFinding>;
  generatedAt: Scalars['DateTime']['output'];
  /** The whole report: tables, indexes, cache, connections, statements, and what could not be measured. */
  report: Scalars['JSON']['output'];
  run: AgentRun;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** A queued run ends at once; a running one is aborted by its worker (watch agentRunUpdated). */
  cancelAgentRun: AgentRun;
  /** A new run with the same agent, goal and input as a failed or cancelled one. */
  retryAgentRun: AgentRun;
  /** Queues a run and returns it at once (QUEUED). `input` must fit the agent's inputSchema. */
  runAgent: AgentRun;
  setAgentEnabled: Agent;
  /** Cron syntax (five fields, UTC), e.g. "*\/5 * * * *"; null or "" for none. */
  setAgentSchedule: Agent;
};


export type MutationCancelAgentRunArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRetryAgentRunArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRunAgentArgs = {
  agent: Scalars['String']['input'];
  goal: Scalars['String']['input'];
  input?: InputMaybe<Scalars['JSON']['input']>;
};


export type MutationSetAgentEnabledArgs = {
  agent: Scalars['String']['input'];
  enabled: Scalars['Boolean']['input'];
};


export type MutationSetAgentScheduleArgs = {
  agent: Scalars['String']['input'];
  schedule?: InputMaybe<Scalars['String']['input']>;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor: Maybe<Scalars['String']['output']>;
};

/** What a price estimate rests on. */
export type PriceBasis = {
  __typename?: 'PriceBasis';
  /** The category whose subtree they come from: the one asked about, or its parent when CATEGORY was relaxed. */
  category: Category;
  /** How many active listings were compared (fewer than 5 only when nothing else was left to relax). */
  comparables: Scalars['Int']['output'];
  /** The filters dropped to find enough comparables, in the order they were dropped. */
  relaxed: Array<PriceFilter>;
  /** Where the comparables are. */
  scope: PriceScope;
};

/** The filters of a price estimate, in the order they are relaxed when too few listings compare. */
export type PriceFilter =
  /** Similar attribute values: the same text, years within 2, small counts equal, other numbers within 30 %. */
  | 'ATTRIBUTES'
  /** The category's subtree (relaxed to its parent's only when the category has no comparable at all). */
  | 'CATEGORY'
  /** The same city. */
  | 'CITY'
  /** The same county. */
  | 'COUNTY'
  /** At least half of the title's words. */
  | 'TITLE';

export type PriceScope =
  | 'CITY'
  | 'COUNTRY'
  | 'COUNTY';

/**
 * A price range from comparable active listings, as the pricer agent computes it. Amounts are whole lei
 * (RON, not minor units): RON and EUR listings are compared at the API's fixed exchange rate.
 */
export type PriceSuggestion = {
  __typename?: 'PriceSuggestion';
  basis: PriceBasis;
  /** Always RON. */
  currency: Currency;
  /** The comparables' 75th percentile. */
  high: Scalars['Int']['output'];
  /** The comparables' 25th percentile. */
  low: Scalars['Int']['output'];
  median: Scalars['Int']['output'];
};

export type Query = {
  __typename?: 'Query';
  agentRun: Maybe<AgentRun>;
  /** Newest first. */
  agentRuns: AgentRunConnection;
  agents: Array<Agent>;
  databaseHealth: Maybe<DatabaseHealthReport>;
  /**
   * The three likeliest categories for a listing's title (3–70 characters) and description (up to
   * 9,000), best first; none when no word of the text is known. For sellers writing a listing.
   */
  suggestCategory: Array<CategorySuggestion>;
  /**
   * A price range for a listing being written: comparable active listings of the category's subtree
   * with similar title words (title: up to 70 characters) and attribute values (an object of at most 30
   * strings, numbers or booleans, as the category defines them), nearby first (a county code, and a city
   * of it). Null when no active listing compares.
   */
  suggestPrice: Maybe<PriceSuggestion>;
};


export type QueryAgentRunArgs = {
  id: Scalars['ID']['input'];
};


export type QueryAgentRunsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<AgentRunFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QuerySuggestCategoryArgs = {
  description?: InputMaybe<Scalars['String']['input']>;
  title: Scalars['String']['input'];
};


export type QuerySuggestPriceArgs = {
  attributes?: InputMaybe<Scalars['JSON']['input']>;
  categoryId: Scalars['ID']['input'];
  city?: InputMaybe<Scalars['String']['input']>;
  county?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type Subscription = {
  __typename?: 'Subscription';
  /** Every change of runs: one run (`id`), one agent's (`agent`), or all of them (no argument). */
  agentRunUpdated: AgentRun;
};


export type SubscriptionAgentRunUpdatedArgs = {
  agent?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
};

export type User = {
  __typename?: 'User';
  id: Scalars['ID']['output'];
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Agent: ResolverTypeWrapper<AgentView>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  AgentHealth: ResolverTypeWrapper<AgentHealthValue>;
  AgentRun: ResolverTypeWrapper<AgentRunRow>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  AgentRunConnection: ResolverTypeWrapper<Connection<AgentRunRow>>;
  AgentRunCounts: ResolverTypeWrapper<AgentRunCounts>;
  AgentRunEdge: ResolverTypeWrapper<{ cursor: string; node: AgentRunRow }>;
  AgentRunFilter: AgentRunFilter;
  AgentRunStatus: AgentRunStatus;
  Category: ResolverTypeWrapper<Category>;
  CategorySuggestion: ResolverTypeWrapper<CategorySuggestion>;
  Currency: Currency;
  DatabaseFinding: ResolverTypeWrapper<DatabaseFinding>;
  DatabaseHealthReport: ResolverTypeWrapper<AgentRunRow>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PriceBasis: ResolverTypeWrapper<PriceBasis>;
  PriceFilter: PriceFilter;
  PriceScope: PriceScope;
  PriceSuggestion: ResolverTypeWrapper<PriceSuggestion>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  User: ResolverTypeWrapper<{ id: string }>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Agent: AgentView;
  String: Scalars['String']['output'];
  Boolean: Scalars['Boolean']['output'];
  ID: Scalars['ID']['output'];
  Float: Scalars['Float']['output'];
  AgentHealth: AgentHealthValue;
  AgentRun: AgentRunRow;
  Int: Scalars['Int']['output'];
  AgentRunConnection: Connection<AgentRunRow>;
  AgentRunCounts: AgentRunCounts;
  AgentRunEdge: { cursor: string; node: AgentRunRow };
  AgentRunFilter: AgentRunFilter;
  Category: Category;
  CategorySuggestion: CategorySuggestion;
  DatabaseFinding: DatabaseFinding;
  DatabaseHealthReport: AgentRunRow;
  DateTime: Scalars['DateTime']['output'];
  JSON: Scalars['JSON']['output'];
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  PriceBasis: PriceBasis;
  PriceSuggestion: PriceSuggestion;
  Query: Record<PropertyKey, never>;
  Subscription: Record<PropertyKey, never>;
  User: { id: string };
}>;

export type AgentResolvers<ContextType = AgentsContext, ParentType extends ResolversParentTypes['Agent'] = ResolversParentTypes['Agent']> = ResolversObject<{
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  enabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  health?: Resolver<ResolversTypes['AgentHealth'], ParentType, ContextType>;
  inputSchema?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  lastRun?: Resolver<Maybe<ResolversTypes['AgentRun']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  p95DurationMs?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  runCounts?: Resolver<ResolversTypes['AgentRunCounts'], ParentType, ContextType>;
  schedule?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type AgentHealthResolvers<ContextType = AgentsContext, ParentType extends ResolversParentTypes['AgentHealth'] = ResolversParentTypes['AgentHealth']> = ResolversObject<{
  detail?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  ok?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type AgentRunResolvers<ContextType = AgentsContext, ParentType extends ResolversParentTypes['AgentRun'] = ResolversParentTypes['AgentRun']> = ResolversObject<{
  agent?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  durationMs?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  goal?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  input?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  metadata?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  output?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  progress?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  requestedBy?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['AgentRunStatus'], ParentType, ContextType>;
}>;

export type AgentRunConnectionResolvers<ContextType = AgentsContext, ParentType extends ResolversParentTypes['AgentRunConnection'] = ResolversParentTypes['AgentRunConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['AgentRunEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type AgentRunCountsResolvers<ContextType = AgentsContext, ParentType extends ResolversParentTypes['AgentRunCounts'] = ResolversParentTypes['AgentRunCounts']> = ResolversObject<{
  cancelled?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  failed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  queued?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  running?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  succeeded?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type AgentRunEdgeResolvers<ContextType = AgentsContext, ParentType extends ResolversParentTypes['AgentRunEdge'] = ResolversParentTypes['AgentRunEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['AgentRun'], ParentType, ContextType>;
}>;

export type CategoryResolvers<ContextType = AgentsContext, ParentType extends ResolversParentTypes['Category'] = ResolversParentTypes['Category']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type CategorySuggestionResolvers<ContextType = AgentsContext, ParentType extends ResolversParentTypes['CategorySuggestion'] = ResolversParentTypes['CategorySuggestion']> = ResolversObject<{
  category?: Resolver<ResolversTypes['Category'], ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type DatabaseFindingResolvers<ContextType = AgentsContext, ParentType extends ResolversParentTypes['DatabaseFinding'] = ResolversParentTypes['DatabaseFinding']> = ResolversObject<{
  detail?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  recommendation?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  severity?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  target?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type DatabaseHealthReportResolvers<ContextType = AgentsContext, ParentType extends ResolversParentTypes['DatabaseHealthReport'] = ResolversParentTypes['DatabaseHealthReport']> = ResolversObject<{
  findings?: Resolver<Array<ResolversTypes['DatabaseFinding']>, ParentType, ContextType>;
  generatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  report?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  run?: Resolver<ResolversTypes['AgentRun'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type MutationResolvers<ContextType = AgentsContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  cancelAgentRun?: Resolver<ResolversTypes['AgentRun'], ParentType, ContextType, RequireFields<MutationCancelAgentRunArgs, 'id'>>;
  retryAgentRun?: Resolver<ResolversTypes['AgentRun'], ParentType, ContextType, RequireFields<MutationRetryAgentRunArgs, 'id'>>;
  runAgent?: Resolver<ResolversTypes['AgentRun'], ParentType, ContextType, RequireFields<MutationRunAgentArgs, 'agent' | 'goal'>>;
  setAgentEnabled?: Resolver<ResolversTypes['Agent'], ParentType, ContextType, RequireFields<MutationSetAgentEnabledArgs, 'agent' | 'enabled'>>;
  setAgentSchedule?: Resolver<ResolversTypes['Agent'], ParentType, ContextType, RequireFields<MutationSetAgentScheduleArgs, 'agent'>>;
}>;

export type PageInfoResolvers<ContextType = AgentsContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type PriceBasisResolvers<ContextType = AgentsContext, ParentType extends ResolversParentTypes['PriceBasis'] = ResolversParentTypes['PriceBasis']> = ResolversObject<{
  category?: Resolver<ResolversTypes['Category'], ParentType, ContextType>;
  comparables?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  relaxed?: Resolver<Array<ResolversTypes['PriceFilter']>, ParentType, ContextType>;
  scope?: Resolver<ResolversTypes['PriceScope'], ParentType, ContextType>;
}>;

export type PriceSuggestionResolvers<ContextType = AgentsContext, ParentType extends ResolversParentTypes['PriceSuggestion'] = ResolversParentTypes['PriceSuggestion']> = ResolversObject<{
  basis?: Resolver<ResolversTypes['PriceBasis'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['Currency'], ParentType, ContextType>;
  high?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  low?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  median?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = AgentsContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  agentRun?: Resolver<Maybe<ResolversTypes['AgentRun']>, ParentType, ContextType, RequireFields<QueryAgentRunArgs, 'id'>>;
  agentRuns?: Resolver<ResolversTypes['AgentRunConnection'], ParentType, ContextType, RequireFields<QueryAgentRunsArgs, 'first'>>;
  agents?: Resolver<Array<ResolversTypes['Agent']>, ParentType, ContextType>;
  databaseHealth?: Resolver<Maybe<ResolversTypes['DatabaseHealthReport']>, ParentType, ContextType>;
  suggestCategory?: Resolver<Array<ResolversTypes['CategorySuggestion']>, ParentType, ContextType, RequireFields<QuerySuggestCategoryArgs, 'title'>>;
  suggestPrice?: Resolver<Maybe<ResolversTypes['PriceSuggestion']>, ParentType, ContextType, RequireFields<QuerySuggestPriceArgs, 'categoryId'>>;
}>;

export type SubscriptionResolvers<ContextType = AgentsContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  agentRunUpdated?: SubscriptionResolver<ResolversTypes['AgentRun'], "agentRunUpdated", ParentType, ContextType, Partial<SubscriptionAgentRunUpdatedArgs>>;
}>;

export type UserResolvers<ContextType = AgentsContext, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = AgentsContext> = ResolversObject<{
  Agent?: AgentResolvers<ContextType>;
  AgentHealth?: AgentHealthResolvers<ContextType>;
  AgentRun?: AgentRunResolvers<ContextType>;
  AgentRunConnection?: AgentRunConnectionResolvers<ContextType>;
  AgentRunCounts?: AgentRunCountsResolvers<ContextType>;
  AgentRunEdge?: AgentRunEdgeResolvers<ContextType>;
  Category?: CategoryResolvers<ContextType>;
  CategorySuggestion?: CategorySuggestionResolvers<ContextType>;
  DatabaseFinding?: DatabaseFindingResolvers<ContextType>;
  DatabaseHealthReport?: DatabaseHealthReportResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  JSON?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  PriceBasis?: PriceBasisResolvers<ContextType>;
  PriceSuggestion?: PriceSuggestionResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
}>;

