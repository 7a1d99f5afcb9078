import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { PublicProfile as UserRow, AuthResult } from '../users.service.ts';
import type { Session as SessionRow } from '../../../prisma/generated/client.ts';
import type { LocationRef, County as CountyRow } from '../../../lib/locations.ts';
import type { ListingContact } from '../contact-phones.ts';
import type { UsersContext } from '../context.ts';
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
  _FieldSet: { input: unknown; output: unknown; }
};

/**
 * The result of signing up, signing in or refreshing: a short-lived access token to send as
 * `Authorization: Bearer <accessToken>`, and a refresh token to get the next one.
 */
export type AuthPayload = {
  __typename?: 'AuthPayload';
  accessToken: Scalars['String']['output'];
  accessTokenExpiresAt: Scalars['DateTime']['output'];
  /**
   * Single use: each refresh returns a new one and invalidates this one. Presenting it a second time
   * ends the whole session (see `refreshSession`).
   */
  refreshToken: Scalars['String']['output'];
  user: User;
};

/** Who may share a cached answer: PUBLIC anyone asking the same, PRIVATE only the viewer who asked. */
export type CacheControlScope =
  | 'PRIVATE'
  | 'PUBLIC';

/** A county (județ) of Romania, or București, identified by its official code ("CJ", "B", "IS"). */
export type County = {
  __typename?: 'County';
  code: Scalars['ID']['output'];
  name: Scalars['String']['output'];
};

/** A listing (owned by the listings subgraph), for the seller's contact details the users subgraph holds. */
export type Listing = {
  __typename?: 'Listing';
  /**
   * The seller's phone number, when they chose to show it (`showPhone`): to signed-in users only, for
   * one listing per request (never in a list: ask for it on `listing(id)`; a second listing in the same
   * request is FORBIDDEN), at most `PHONE_REVEALS_PER_HOUR` an hour per user (RATE_LIMITED). Each reveal
   * is counted for the seller (`phoneRevealCount`); the seller's own listing costs nothing.
   */
  contactPhone: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /**
   * How many times signed-in users were shown the phone number on this listing: its seller (and admins)
   * only, null for everyone else.
   */
  phoneRevealCount: Maybe<Scalars['Int']['output']>;
  seller: User;
};

/** Where a user or a listing is: a county and one of its cities. */
export type Location = {
  __typename?: 'Location';
  city: Scalars['String']['output'];
  county: County;
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Changes the password and ends every other session; the current one stays signed in. The new password
   * follows the rules of `SignUpInput.password` (BAD_USER_INPUT on `newPassword`).
   */
  changePassword: Scalars['Boolean']['output'];
  /**
   * Exchanges a refresh token for a new access token and a new refresh token; the one sent stops working.
   *
   * Reuse detection (OAuth 2.1): a refresh token that was already exchanged means someone holds a copy, and
   * the server cannot tell the owner from the copier, so it ends the whole session — every access and
   * refresh token issued for it, the newest included — and answers UNAUTHENTICATED; the user signs in
   * again. The same holds for two concurrent refreshes with the same token: one succeeds, the other ends
   * the session, even when it was the client's own retry (e.g. after a timeout). Clients should therefore
   * refresh one request at a time and store the new refresh token before using it.
   */
  refreshSession: AuthPayload;
  /** Ends one of the signed-in user's sessions (e.g. a lost phone). */
  revokeSession: Scalars['Boolean']['output'];
  /**
   * Admins only: makes a user an admin or a regular user, and ends that user's sessions so the new role
   * applies at once. The last admin cannot be made a regular user (CONFLICT): name another admin first.
   */
  setUserRole: User;
  signIn: AuthPayload;
  /** Ends the current session: its access and refresh tokens stop working at once. */
  signOut: Scalars['Boolean']['output'];
  /** Ends every session of the signed-in user, on every device. */
  signOutEverywhere: Scalars['Boolean']['output'];
  signUp: AuthPayload;
  updateProfile: User;
};


export type MutationChangePasswordArgs = {
  currentPassword: Scalars['String']['input'];
  newPassword: Scalars['String']['input'];
};


export type MutationRefreshSessionArgs = {
  refreshToken: Scalars['String']['input'];
};


export type MutationRevokeSessionArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSetUserRoleArgs = {
  role: Role;
  userId: Scalars['ID']['input'];
};


export type MutationSignInArgs = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
};


export type MutationSignUpArgs = {
  input: SignUpInput;
};


export type MutationUpdateProfileArgs = {
  input: UpdateProfileInput;
};

export type Query = {
  __typename?: 'Query';
  /** The signed-in user. */
  me: Maybe<User>;
  /** The signed-in user's open sessions, most recently used first. */
  mySessions: Array<Session>;
  /** A public profile; null when no such user exists. */
  user: Maybe<User>;
};


export type QueryUserArgs = {
  id: Scalars['ID']['input'];
};

export type Role =
  | 'ADMIN'
  | 'USER';

/** A signed-in device: a browser or an app holding a refresh token. */
export type Session = {
  __typename?: 'Session';
  createdAt: Scalars['DateTime']['output'];
  /** True for the session this request is made with. */
  current: Scalars['Boolean']['output'];
  expiresAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  lastUsedAt: Scalars['DateTime']['output'];
  /** The User-Agent the session was opened with. */
  userAgent: Maybe<Scalars['String']['output']>;
};

export type SignUpInput = {
  /** 2 to 50 characters, shown on listings. */
  displayName: Scalars['String']['input'];
  email: Scalars['String']['input'];
  /**
   * 8 to 128 characters, any characters. Refused (BAD_USER_INPUT on this field): one of the most
   * commonly used passwords, or one containing the e-mail, the part of it before "@", or the display name.
   */
  password: Scalars['String']['input'];
};

export type UpdateProfileInput = {
  /** A city of that county (the `cities(county:)` query lists them). */
  city?: InputMaybe<Scalars['String']['input']>;
  /**
   * County code ("CJ", "B"; the `counties` query lists them), not the county's name; set together with
   * city, both null to remove the location.
   */
  county?: InputMaybe<Scalars['String']['input']>;
  displayName?: InputMaybe<Scalars['String']['input']>;
  /** A Romanian phone number, e.g. "0722 123 456" or "+40722123456"; null removes it. */
  phone?: InputMaybe<Scalars['String']['input']>;
  /** Show the phone number on one's listings, to signed-in users (`Listing.contactPhone`). Off until set. */
  showPhone?: InputMaybe<Scalars['Boolean']['input']>;
};

/** A person with an account: buyer, seller, or both. */
export type User = {
  __typename?: 'User';
  displayName: Scalars['String']['output'];
  /** Visible only to the user themself and to admins; null for everyone else. */
  email: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  location: Maybe<Location>;
  /** When the account was created ("membru din"). */
  memberSince: Scalars['DateTime']['output'];
  /** Visible only to the user themself and to admins; null for everyone else. */
  phone: Maybe<Scalars['String']['output']>;
  /** Visible only to the user themself and to admins; null for everyone else. */
  role: Maybe<Role>;
  /**
   * Whether the user shows `phone` on their listings (`Listing.contactPhone`). Visible only to the user
   * themself and to admins; null for everyone else.
   */
  showPhone: Maybe<Scalars['Boolean']['output']>;
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

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

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Listing: Listing;
  User: User;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Listing:
    ( { __typename: 'Listing' }
    & GraphQLRecursivePick<FederationTypes['Listing'], {"id":true}>
    & ( Record<PropertyKey, never>
        | GraphQLRecursivePick<FederationTypes['Listing'], {"seller":{"id":true}}>
        | GraphQLRecursivePick<FederationTypes['Listing'], {"seller":{"id":true}}>
        | GraphQLRecursivePick<FederationTypes['Listing'], {"seller":{"id":true}}> ) );
  User:
    ( { __typename: 'User' }
    & GraphQLRecursivePick<FederationTypes['User'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AuthPayload: ResolverTypeWrapper<AuthResult>;
  CacheControlScope: CacheControlScope;
  County: ResolverTypeWrapper<CountyRow>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Listing: ResolverTypeWrapper<ListingContact>;
  Location: ResolverTypeWrapper<LocationRef>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Role: Role;
  Session: ResolverTypeWrapper<SessionRow>;
  SignUpInput: SignUpInput;
  UpdateProfileInput: UpdateProfileInput;
  User: ResolverTypeWrapper<UserRow>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AuthPayload: AuthResult;
  County: CountyRow;
  ID: Scalars['ID']['output'];
  DateTime: Scalars['DateTime']['output'];
  Listing: ListingContact;
  Location: LocationRef;
  Mutation: Record<PropertyKey, never>;
  Boolean: Scalars['Boolean']['output'];
  Query: Record<PropertyKey, never>;
  Session: SessionRow;
  SignUpInput: SignUpInput;
  UpdateProfileInput: UpdateProfileInput;
  User: UserRow;
  String: Scalars['String']['output'];
  Int: Scalars['Int']['output'];
}>;

export type CacheCollectionDirectiveArgs = {
  of: Scalars['String']['input'];
};

export type CacheCollectionDirectiveResolver<Result, Parent, ContextType = UsersContext, Args = CacheCollectionDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type CacheControlDirectiveArgs = {
  maxAge?: Maybe<Scalars['Int']['input']>;
  scope?: Maybe<CacheControlScope>;
};

export type CacheControlDirectiveResolver<Result, Parent, ContextType = UsersContext, Args = CacheControlDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type AuthPayloadResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['AuthPayload'] = ResolversParentTypes['AuthPayload']> = ResolversObject<{
  accessToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  accessTokenExpiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  refreshToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
}>;

export type CountyResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['County'] = ResolversParentTypes['County']> = ResolversObject<{
  code?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type ListingResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['Listing'] = ResolversParentTypes['Listing'], FederationReferenceType extends FederationReferenceTypes['Listing'] = FederationReferenceTypes['Listing']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Listing']> | FederationReferenceType, FederationReferenceType, ContextType>;
  contactPhone?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  phoneRevealCount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
}>;

export type LocationResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['Location'] = ResolversParentTypes['Location']> = ResolversObject<{
  city?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  county?: Resolver<ResolversTypes['County'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  changePassword?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationChangePasswordArgs, 'currentPassword' | 'newPassword'>>;
  refreshSession?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationRefreshSessionArgs, 'refreshToken'>>;
  revokeSession?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationRevokeSessionArgs, 'id'>>;
  setUserRole?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationSetUserRoleArgs, 'role' | 'userId'>>;
  signIn?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationSignInArgs, 'email' | 'password'>>;
  signOut?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  signOutEverywhere?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  signUp?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationSignUpArgs, 'input'>>;
  updateProfile?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationUpdateProfileArgs, 'input'>>;
}>;

export type QueryResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  me?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  mySessions?: Resolver<Array<ResolversTypes['Session']>, ParentType, ContextType>;
  user?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType, RequireFields<QueryUserArgs, 'id'>>;
}>;

export type SessionResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['Session'] = ResolversParentTypes['Session']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  current?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastUsedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  userAgent?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type UserResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User'], FederationReferenceType extends FederationReferenceTypes['User'] = FederationReferenceTypes['User']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['User']> | FederationReferenceType, FederationReferenceType, ContextType>;
  displayName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  location?: Resolver<Maybe<ResolversTypes['Location']>, ParentType, ContextType>;
  memberSince?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  phone?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  role?: Resolver<Maybe<ResolversTypes['Role']>, ParentType, ContextType>;
  showPhone?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
}>;

export type Resolvers<ContextType = UsersContext> = ResolversObject<{
  AuthPayload?: AuthPayloadResolvers<ContextType>;
  County?: CountyResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Listing?: ListingResolvers<ContextType>;
  Location?: LocationResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Session?: SessionResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = UsersContext> = ResolversObject<{
  cacheCollection?: CacheCollectionDirectiveResolver<any, any, ContextType>;
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
}>;
