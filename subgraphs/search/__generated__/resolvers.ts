import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { SearchResults as SearchResultsValue, SearchHit as SearchHitValue, Suggestion as SuggestionValue } from '../search.service.ts';
import type { SavedSearch as SavedSearchRow, SearchAlert as SearchAlertRow } from '../../../prisma/generated/client.ts';
import type { AlertConnection } from '../saved-searches.ts';
import type { Facets as FacetsValue, PriceRange as PriceRangeValue } from '../facets.ts';
import type { County as CountyRow } from '../../../lib/locations.ts';
import type { SearchContext } from '../context.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
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
 * A condition on one of the category's attributes (see `Category.attributes`): a range for INT and
 * DECIMAL, any of some values for ENUM and STRING, equality for BOOLEAN.
 */
export type AttributeFilter = {
  anyOf?: InputMaybe<Array<Scalars['String']['input']>>;
  equals?: InputMaybe<Scalars['Boolean']['input']>;
  key: Scalars['String']['input'];
  max?: InputMaybe<Scalars['Float']['input']>;
  min?: InputMaybe<Scalars['Float']['input']>;
};

/** Who may share a cached answer: PUBLIC anyone asking the same, PRIVATE only the viewer who asked. */
export type CacheControlScope =
  | 'PRIVATE'
  | 'PUBLIC';

export type Category = {
  __typename?: 'Category';
  id: Scalars['ID']['output'];
};

export type CategoryCount = {
  __typename?: 'CategoryCount';
  category: Category;
  /** Listings in the category or any of its subcategories. */
  count: Scalars['Int']['output'];
};

export type CityCount = {
  __typename?: 'CityCount';
  city: Scalars['String']['output'];
  count: Scalars['Int']['output'];
  county: County;
};

export type ConditionCount = {
  __typename?: 'ConditionCount';
  condition: ItemCondition;
  count: Scalars['Int']['output'];
};

export type County = {
  __typename?: 'County';
  code: Scalars['ID']['output'];
  name: Scalars['String']['output'];
};

export type CountyCount = {
  __typename?: 'CountyCount';
  count: Scalars['Int']['output'];
  county: County;
};

export type Currency =
  | 'EUR'
  | 'RON';

export type ItemCondition =
  | 'NEW'
  | 'REFURBISHED'
  | 'USED';

export type Listing = {
  __typename?: 'Listing';
  id: Scalars['ID']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Deletes one of the user's saved searches and its alerts; returns its id. */
  deleteSavedSearch: Scalars['ID']['output'];
  /** Marks every alert of the user seen; returns how many were unseen. */
  markSearchAlertsSeen: Scalars['Int']['output'];
  /**
   * Keeps a query and a filter (checked as `search` checks them) under a name of 1 to 60 characters;
   * at most 50 per user.
   */
  saveSearch: SavedSearch;
};


export type MutationDeleteSavedSearchArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSaveSearchArgs = {
  filter?: InputMaybe<SearchFilter>;
  name: Scalars['String']['input'];
  query?: InputMaybe<Scalars['String']['input']>;
};

/**
 * A centre — a city, or a point — and optionally a radius around it. Listings are located by city, so a
 * listing's distance is its city's.
 */
export type NearInput = {
  city?: InputMaybe<Scalars['String']['input']>;
  /** County code of the centre city ("CJ"), with `city`. */
  county?: InputMaybe<Scalars['String']['input']>;
  latitude?: InputMaybe<Scalars['Float']['input']>;
  longitude?: InputMaybe<Scalars['Float']['input']>;
  /** 1 to 1,000 km. Without it the centre only sorts (DISTANCE) and fills `distanceKm`. */
  radiusKm?: InputMaybe<Scalars['Float']['input']>;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor: Maybe<Scalars['String']['output']>;
};

/**
 * A price range in RON minor units (bani), inclusive; `max` is null for the last range. Send it back as
 * `filter.price` to narrow the search.
 */
export type PriceRangeCount = {
  __typename?: 'PriceRangeCount';
  count: Scalars['Int']['output'];
  max: Maybe<Scalars['Int']['output']>;
  min: Scalars['Int']['output'];
};

export type PriceRangeInput = {
  currency?: InputMaybe<Currency>;
  max?: InputMaybe<Scalars['Int']['input']>;
  min?: InputMaybe<Scalars['Int']['input']>;
};

export type Query = {
  __typename?: 'Query';
  /** The signed-in user's saved searches, newest first (at most 50). */
  savedSearches: Array<SavedSearch>;
  /**
   * Active listings by text and filter. The query understands Romanian: word forms (bicicletă /
   * biciclete), text with or without diacritics (masina / mașină, ş / ș), "exact phrases" in quotes,
   * -word to exclude, and near-spellings (bicicleat), ranked below exact matches. Without a query, the
   * filter alone, newest first. An edit, a sale or a deletion shows here as soon as its mutation returns.
   */
  search: SearchResults;
  /** Listings found for the user's saved searches, newest first. */
  searchAlerts: SearchAlertConnection;
  /**
   * Completions for a search box as the user types: categories, then words of listing titles, the most
   * common first; tolerates typos.
   */
  suggest: Array<Suggestion>;
};


export type QuerySearchArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<SearchFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  query?: InputMaybe<Scalars['String']['input']>;
  sort?: InputMaybe<SearchSort>;
};


export type QuerySearchAlertsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QuerySuggestArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  prefix: Scalars['String']['input'];
};

/**
 * A search the user keeps: listings published later that match it (someone else's) become alerts,
 * live as `savedSearchMatched` and stored as `searchAlerts`.
 */
export type SavedSearch = {
  __typename?: 'SavedSearch';
  createdAt: Scalars['DateTime']['output'];
  /** The SearchFilter as saved. */
  filter: Scalars['JSON']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  query: Maybe<Scalars['String']['output']>;
  /** Alerts of this search not yet marked seen. */
  unseenAlertCount: Scalars['Int']['output'];
};

/** New listings for one saved search, found together. */
export type SavedSearchMatch = {
  __typename?: 'SavedSearchMatch';
  listings: Array<Listing>;
  savedSearch: SavedSearch;
};

/** A listing found for one of the user's saved searches: one per search and listing. */
export type SearchAlert = {
  __typename?: 'SearchAlert';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  listing: Listing;
  savedSearch: SavedSearch;
  seen: Scalars['Boolean']['output'];
};

export type SearchAlertConnection = {
  __typename?: 'SearchAlertConnection';
  edges: Array<SearchAlertEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
  unseenCount: Scalars['Int']['output'];
};

export type SearchAlertEdge = {
  __typename?: 'SearchAlertEdge';
  cursor: Scalars['String']['output'];
  node: SearchAlert;
};

export type SearchEdge = {
  __typename?: 'SearchEdge';
  cursor: Scalars['String']['output'];
  node: SearchHit;
};

/** Counts over every listing the query and the filter find (not only the page). */
export type SearchFacets = {
  __typename?: 'SearchFacets';
  /** Every category of the tree that has matches; a parent counts its subcategories' listings. */
  categories: Array<CategoryCount>;
  /** The 10 cities with the most matches. */
  cities: Array<CityCount>;
  conditions: Array<ConditionCount>;
  counties: Array<CountyCount>;
  /** Up to 5 ranges holding about as many listings each, with round bounds. */
  priceRanges: Array<PriceRangeCount>;
};

export type SearchFilter = {
  /** Needs a category: its attributes (inherited ones included) are the keys allowed. */
  attributes?: InputMaybe<Array<AttributeFilter>>;
  /** Includes every subcategory. */
  categoryId?: InputMaybe<Scalars['ID']['input']>;
  categorySlug?: InputMaybe<Scalars['String']['input']>;
  /** A city of `county`, which must be given too. */
  city?: InputMaybe<Scalars['String']['input']>;
  condition?: InputMaybe<Array<ItemCondition>>;
  /** County code, e.g. "CJ" or "B". */
  county?: InputMaybe<Scalars['String']['input']>;
  near?: InputMaybe<NearInput>;
  /** Published (or renewed) within this many days: 1 to 365. */
  postedWithinDays?: InputMaybe<Scalars['Int']['input']>;
  price?: InputMaybe<PriceRangeInput>;
  sellerId?: InputMaybe<Scalars['ID']['input']>;
};

export type SearchHit = {
  __typename?: 'SearchHit';
  /** From the centre of `filter.near` to the listing's city. */
  distanceKm: Maybe<Scalars['Float']['output']>;
  /**
   * The best fragment of the title or the description with the matched words in <mark>…</mark>. Safe to
   * render as HTML: the listing's text is escaped, the marks are the only markup. Null without a query.
   */
  highlight: Maybe<Scalars['String']['output']>;
  listing: Listing;
  /** Relevance, higher is better (RELEVANCE sort with a query; null otherwise). */
  score: Maybe<Scalars['Float']['output']>;
};

export type SearchResults = {
  __typename?: 'SearchResults';
  edges: Array<SearchEdge>;
  facets: SearchFacets;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type SearchSort =
  /** Nearest first; needs `filter.near`. */
  | 'DISTANCE'
  | 'NEWEST'
  | 'PRICE_ASC'
  | 'PRICE_DESC'
  /**
   * The best matches first (words in the title count most, then the category and attributes, then the
   * description; exact words above near-spellings), with a mild boost for fresh listings. The default
   * with a query; without one, NEWEST.
   */
  | 'RELEVANCE';

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Listings just published (or edited into a match) that match one of the user's saved searches,
   * never the user's own. Each listing reaches a saved search once.
   */
  savedSearchMatched: SavedSearchMatch;
};

export type Suggestion = {
  __typename?: 'Suggestion';
  /** Set when the completion is a category. */
  category: Maybe<Category>;
  /** What to put in the search box: "bicicletă", "dacia logan". */
  text: Scalars['String']['output'];
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
  AttributeFilter: AttributeFilter;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  CacheControlScope: CacheControlScope;
  Category: ResolverTypeWrapper<{ id: string }>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  CategoryCount: ResolverTypeWrapper<Omit<CategoryCount, 'category'> & { category: ResolversTypes['Category'] }>;
  CityCount: ResolverTypeWrapper<Omit<CityCount, 'county'> & { county: ResolversTypes['County'] }>;
  ConditionCount: ResolverTypeWrapper<ConditionCount>;
  County: ResolverTypeWrapper<CountyRow>;
  CountyCount: ResolverTypeWrapper<Omit<CountyCount, 'county'> & { county: ResolversTypes['County'] }>;
  Currency: Currency;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  ItemCondition: ItemCondition;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  Listing: ResolverTypeWrapper<{ id: string }>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  NearInput: NearInput;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PriceRangeCount: ResolverTypeWrapper<PriceRangeValue>;
  PriceRangeInput: PriceRangeInput;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  SavedSearch: ResolverTypeWrapper<SavedSearchRow>;
  SavedSearchMatch: ResolverTypeWrapper<{ savedSearch: SavedSearchRow; listings: { id: string }[] }>;
  SearchAlert: ResolverTypeWrapper<SearchAlertRow>;
  SearchAlertConnection: ResolverTypeWrapper<AlertConnection>;
  SearchAlertEdge: ResolverTypeWrapper<{ cursor: string; node: SearchAlertRow }>;
  SearchEdge: ResolverTypeWrapper<Omit<SearchEdge, 'node'> & { node: ResolversTypes['SearchHit'] }>;
  SearchFacets: ResolverTypeWrapper<FacetsValue>;
  SearchFilter: SearchFilter;
  SearchHit: ResolverTypeWrapper<SearchHitValue>;
  SearchResults: ResolverTypeWrapper<SearchResultsValue>;
  SearchSort: SearchSort;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Suggestion: ResolverTypeWrapper<SuggestionValue>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AttributeFilter: AttributeFilter;
  Boolean: Scalars['Boolean']['output'];
  Float: Scalars['Float']['output'];
  Category: { id: string };
  ID: Scalars['ID']['output'];
  CategoryCount: Omit<CategoryCount, 'category'> & { category: ResolversParentTypes['Category'] };
  CityCount: Omit<CityCount, 'county'> & { county: ResolversParentTypes['County'] };
  ConditionCount: ConditionCount;
  County: CountyRow;
  CountyCount: Omit<CountyCount, 'county'> & { county: ResolversParentTypes['County'] };
  DateTime: Scalars['DateTime']['output'];
  JSON: Scalars['JSON']['output'];
  Listing: { id: string };
  Mutation: Record<PropertyKey, never>;
  NearInput: NearInput;
  PageInfo: PageInfo;
  PriceRangeCount: PriceRangeValue;
  PriceRangeInput: PriceRangeInput;
  Query: Record<PropertyKey, never>;
  SavedSearch: SavedSearchRow;
  SavedSearchMatch: { savedSearch: SavedSearchRow; listings: { id: string }[] };
  SearchAlert: SearchAlertRow;
  SearchAlertConnection: AlertConnection;
  SearchAlertEdge: { cursor: string; node: SearchAlertRow };
  SearchEdge: Omit<SearchEdge, 'node'> & { node: ResolversParentTypes['SearchHit'] };
  SearchFacets: FacetsValue;
  SearchFilter: SearchFilter;
  SearchHit: SearchHitValue;
  SearchResults: SearchResultsValue;
  Subscription: Record<PropertyKey, never>;
  Suggestion: SuggestionValue;
  String: Scalars['String']['output'];
  Int: Scalars['Int']['output'];
}>;

export type CacheCollectionDirectiveArgs = {
  of: Scalars['String']['input'];
};

export type CacheCollectionDirectiveResolver<Result, Parent, ContextType = SearchContext, Args = CacheCollectionDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type CacheControlDirectiveArgs = {
  maxAge?: Maybe<Scalars['Int']['input']>;
  scope?: Maybe<CacheControlScope>;
};

export type CacheControlDirectiveResolver<Result, Parent, ContextType = SearchContext, Args = CacheControlDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type CategoryResolvers<ContextType = SearchContext, ParentType extends ResolversParentTypes['Category'] = ResolversParentTypes['Category']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type CategoryCountResolvers<ContextType = SearchContext, ParentType extends ResolversParentTypes['CategoryCount'] = ResolversParentTypes['CategoryCount']> = ResolversObject<{
  category?: Resolver<ResolversTypes['Category'], ParentType, ContextType>;
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type CityCountResolvers<ContextType = SearchContext, ParentType extends ResolversParentTypes['CityCount'] = ResolversParentTypes['CityCount']> = ResolversObject<{
  city?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  county?: Resolver<ResolversTypes['County'], ParentType, ContextType>;
}>;

export type ConditionCountResolvers<ContextType = SearchContext, ParentType extends ResolversParentTypes['ConditionCount'] = ResolversParentTypes['ConditionCount']> = ResolversObject<{
  condition?: Resolver<ResolversTypes['ItemCondition'], ParentType, ContextType>;
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type CountyResolvers<ContextType = SearchContext, ParentType extends ResolversParentTypes['County'] = ResolversParentTypes['County']> = ResolversObject<{
  code?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type CountyCountResolvers<ContextType = SearchContext, ParentType extends ResolversParentTypes['CountyCount'] = ResolversParentTypes['CountyCount']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  county?: Resolver<ResolversTypes['County'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type ListingResolvers<ContextType = SearchContext, ParentType extends ResolversParentTypes['Listing'] = ResolversParentTypes['Listing']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = SearchContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  deleteSavedSearch?: Resolver<ResolversTypes['ID'], ParentType, ContextType, RequireFields<MutationDeleteSavedSearchArgs, 'id'>>;
  markSearchAlertsSeen?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  saveSearch?: Resolver<ResolversTypes['SavedSearch'], ParentType, ContextType, RequireFields<MutationSaveSearchArgs, 'name'>>;
}>;

export type PageInfoResolvers<ContextType = SearchContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type PriceRangeCountResolvers<ContextType = SearchContext, ParentType extends ResolversParentTypes['PriceRangeCount'] = ResolversParentTypes['PriceRangeCount']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  max?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  min?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = SearchContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  savedSearches?: Resolver<Array<ResolversTypes['SavedSearch']>, ParentType, ContextType>;
  search?: Resolver<ResolversTypes['SearchResults'], ParentType, ContextType, RequireFields<QuerySearchArgs, 'first' | 'sort'>>;
  searchAlerts?: Resolver<ResolversTypes['SearchAlertConnection'], ParentType, ContextType, RequireFields<QuerySearchAlertsArgs, 'first'>>;
  suggest?: Resolver<Array<ResolversTypes['Suggestion']>, ParentType, ContextType, RequireFields<QuerySuggestArgs, 'first' | 'prefix'>>;
}>;

export type SavedSearchResolvers<ContextType = SearchContext, ParentType extends ResolversParentTypes['SavedSearch'] = ResolversParentTypes['SavedSearch']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  filter?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  query?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  unseenAlertCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type SavedSearchMatchResolvers<ContextType = SearchContext, ParentType extends ResolversParentTypes['SavedSearchMatch'] = ResolversParentTypes['SavedSearchMatch']> = ResolversObject<{
  listings?: Resolver<Array<ResolversTypes['Listing']>, ParentType, ContextType>;
  savedSearch?: Resolver<ResolversTypes['SavedSearch'], ParentType, ContextType>;
}>;

export type SearchAlertResolvers<ContextType = SearchContext, ParentType extends ResolversParentTypes['SearchAlert'] = ResolversParentTypes['SearchAlert']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  listing?: Resolver<ResolversTypes['Listing'], ParentType, ContextType>;
  savedSearch?: Resolver<ResolversTypes['SavedSearch'], ParentType, ContextType>;
  seen?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type SearchAlertConnectionResolvers<ContextType = SearchContext, ParentType extends ResolversParentTypes['SearchAlertConnection'] = ResolversParentTypes['SearchAlertConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['SearchAlertEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  unseenCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type SearchAlertEdgeResolvers<ContextType = SearchContext, ParentType extends ResolversParentTypes['SearchAlertEdge'] = ResolversParentTypes['SearchAlertEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['SearchAlert'], ParentType, ContextType>;
}>;

export type SearchEdgeResolvers<ContextType = SearchContext, ParentType extends ResolversParentTypes['SearchEdge'] = ResolversParentTypes['SearchEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['SearchHit'], ParentType, ContextType>;
}>;

export type SearchFacetsResolvers<ContextType = SearchContext, ParentType extends ResolversParentTypes['SearchFacets'] = ResolversParentTypes['SearchFacets']> = ResolversObject<{
  categories?: Resolver<Array<ResolversTypes['CategoryCount']>, ParentType, ContextType>;
  cities?: Resolver<Array<ResolversTypes['CityCount']>, ParentType, ContextType>;
  conditions?: Resolver<Array<ResolversTypes['ConditionCount']>, ParentType, ContextType>;
  counties?: Resolver<Array<ResolversTypes['CountyCount']>, ParentType, ContextType>;
  priceRanges?: Resolver<Array<ResolversTypes['PriceRangeCount']>, ParentType, ContextType>;
}>;

export type SearchHitResolvers<ContextType = SearchContext, ParentType extends ResolversParentTypes['SearchHit'] = ResolversParentTypes['SearchHit']> = ResolversObject<{
  distanceKm?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  highlight?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  listing?: Resolver<ResolversTypes['Listing'], ParentType, ContextType>;
  score?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
}>;

export type SearchResultsResolvers<ContextType = SearchContext, ParentType extends ResolversParentTypes['SearchResults'] = ResolversParentTypes['SearchResults']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['SearchEdge']>, ParentType, ContextType>;
  facets?: Resolver<ResolversTypes['SearchFacets'], ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type SubscriptionResolvers<ContextType = SearchContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  savedSearchMatched?: SubscriptionResolver<ResolversTypes['SavedSearchMatch'], "savedSearchMatched", ParentType, ContextType>;
}>;

export type SuggestionResolvers<ContextType = SearchContext, ParentType extends ResolversParentTypes['Suggestion'] = ResolversParentTypes['Suggestion']> = ResolversObject<{
  category?: Resolver<Maybe<ResolversTypes['Category']>, ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = SearchContext> = ResolversObject<{
  Category?: CategoryResolvers<ContextType>;
  CategoryCount?: CategoryCountResolvers<ContextType>;
  CityCount?: CityCountResolvers<ContextType>;
  ConditionCount?: ConditionCountResolvers<ContextType>;
  County?: CountyResolvers<ContextType>;
  CountyCount?: CountyCountResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  JSON?: GraphQLScalarType;
  Listing?: ListingResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  PriceRangeCount?: PriceRangeCountResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  SavedSearch?: SavedSearchResolvers<ContextType>;
  SavedSearchMatch?: SavedSearchMatchResolvers<ContextType>;
  SearchAlert?: SearchAlertResolvers<ContextType>;
  SearchAlertConnection?: SearchAlertConnectionResolvers<ContextType>;
  SearchAlertEdge?: SearchAlertEdgeResolvers<ContextType>;
  SearchEdge?: SearchEdgeResolvers<ContextType>;
  SearchFacets?: SearchFacetsResolvers<ContextType>;
  SearchHit?: SearchHitResolvers<ContextType>;
  SearchResults?: SearchResultsResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  Suggestion?: SuggestionResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = SearchContext> = ResolversObject<{
  cacheCollection?: CacheCollectionDirectiveResolver<any, any, ContextType>;
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
}>;
