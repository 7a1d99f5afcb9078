import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Conversation as ConversationRow, ChatMessage as MessageRow, ChatBlock as BlockRow, ConversationReport as ConversationReportRow, ConversationFlag as ConversationFlagRow } from '../../../prisma/generated/client.ts';
import type { Connection } from '../../../lib/graphql/pagination.ts';
import type { AttachedImage } from '../../../lib/media/media.ts';
import type { ChatContext } from '../context.ts';
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

/** A user the viewer blocked: they cannot write to the viewer, in any conversation. */
export type BlockedUser = {
  __typename?: 'BlockedUser';
  blockedAt: Scalars['DateTime']['output'];
  user: User;
};

export type BlockedUserConnection = {
  __typename?: 'BlockedUserConnection';
  edges: Array<BlockedUserEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type BlockedUserEdge = {
  __typename?: 'BlockedUserEdge';
  cursor: Scalars['String']['output'];
  node: BlockedUser;
};

/** Who may share a cached answer: PUBLIC anyone asking the same, PRIVATE only the viewer who asked. */
export type CacheControlScope =
  | 'PRIVATE'
  | 'PUBLIC';

export type ChatFlagReason = {
  __typename?: 'ChatFlagReason';
  /** ADVANCE_PAYMENT, COURIER_SCAM, OFF_PLATFORM_CONTACT, LINK_OR_EMAIL. */
  code: Scalars['String']['output'];
  message: Scalars['String']['output'];
};

/**
 * A buyer's conversation with a listing's seller about that listing: one per buyer and listing. Only
 * its two participants (and admins) can read it; for anyone else it does not exist (NOT_FOUND).
 */
export type Conversation = {
  __typename?: 'Conversation';
  /**
   * True when one of the two participants blocked the other: no message can be sent in it until the
   * block is lifted (`unblockUser`).
   */
  blocked: Scalars['Boolean']['output'];
  buyer: User;
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  lastMessage: Message;
  /** When the last message was sent: conversations are listed by it, newest first. */
  lastMessageAt: Scalars['DateTime']['output'];
  /**
   * Null once the listing is no longer visible to the viewer (deleted, moderated) and any field but
   * `id` is asked for; the conversation goes on.
   */
  listing: Maybe<Listing>;
  /**
   * Newest first. `before` is the `endCursor` of the previous page: the next page holds older messages
   * (`pageInfo.hasNextPage` tells whether there are any). Cursors stay valid while messages arrive.
   */
  messages: MessageConnection;
  /** The participant who is not the viewer (for an admin reading someone else's conversation: the buyer). */
  otherParticipant: User;
  /**
   * When the other participant last read the conversation (read receipts): the viewer's messages sent
   * before it have been seen. Null until they open it.
   */
  otherParticipantReadAt: Maybe<Scalars['DateTime']['output']>;
  seller: User;
  /**
   * Messages of the other participant the viewer has not read yet (0 for an admin who is not a
   * participant). `markConversationRead` and sending a message set it to 0.
   */
  unreadCount: Scalars['Int']['output'];
};


/**
 * A buyer's conversation with a listing's seller about that listing: one per buyer and listing. Only
 * its two participants (and admins) can read it; for anyone else it does not exist (NOT_FOUND).
 */
export type ConversationMessagesArgs = {
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type ConversationConnection = {
  __typename?: 'ConversationConnection';
  edges: Array<ConversationEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type ConversationEdge = {
  __typename?: 'ConversationEdge';
  cursor: Scalars['String']['output'];
  node: Conversation;
};

/** The moderator's flag on a conversation: its worst message so far. */
export type ConversationFlag = {
  __typename?: 'ConversationFlag';
  conversation: Conversation;
  flaggedAt: Scalars['DateTime']['output'];
  message: Message;
  reasons: Array<ChatFlagReason>;
  /** 0 to 1: how sure the moderator is that this is a scam. */
  score: Scalars['Float']['output'];
};

export type ConversationFlagConnection = {
  __typename?: 'ConversationFlagConnection';
  edges: Array<ConversationFlagEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type ConversationFlagEdge = {
  __typename?: 'ConversationFlagEdge';
  cursor: Scalars['String']['output'];
  node: ConversationFlag;
};

/**
 * A participant's report of a conversation, for the admins; `conversation { messages }` shows what was
 * written.
 */
export type ConversationReport = {
  __typename?: 'ConversationReport';
  conversation: Conversation;
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  reason: ConversationReportReason;
  reporter: User;
  text: Scalars['String']['output'];
};

export type ConversationReportConnection = {
  __typename?: 'ConversationReportConnection';
  edges: Array<ConversationReportEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type ConversationReportEdge = {
  __typename?: 'ConversationReportEdge';
  cursor: Scalars['String']['output'];
  node: ConversationReport;
};

export type ConversationReportReason =
  | 'FRAUD'
  | 'HARASSMENT'
  | 'OFFENSIVE'
  | 'OTHER'
  | 'SPAM';

/**
 * A photo, as uploaded with `POST /uploads` and attached to a listing or a chat message. Its variants
 * are made when it is uploaded (orientation applied; EXIF with GPS, XMP, IPTC removed; colours in sRGB).
 */
export type Image = {
  __typename?: 'Image';
  /** A placeholder colour ("#rrggbb") to show while the picture loads. */
  dominantColor: Scalars['String']['output'];
  /** The photo's height in pixels, orientation applied. */
  height: Scalars['Int']['output'];
  /** The upload's id, as `POST /uploads` answered it. */
  id: Scalars['ID']['output'];
  /**
   * Where a variant is served. A listing's image: a stable URL cached for a year (immutable); it answers
   * 404 once the image is removed or its listing deleted. A chat image: a signed URL that expires (ask
   * for the message again for a fresh one).
   */
  url: Scalars['String']['output'];
  /** The photo's width in pixels, orientation applied (the FULL variant's at most). */
  width: Scalars['Int']['output'];
};


/**
 * A photo, as uploaded with `POST /uploads` and attached to a listing or a chat message. Its variants
 * are made when it is uploaded (orientation applied; EXIF with GPS, XMP, IPTC removed; colours in sRGB).
 */
export type ImageUrlArgs = {
  format?: InputMaybe<ImageFormat>;
  size?: InputMaybe<ImageSize>;
};

/** A file format of an image's variants: every variant exists in each. */
export type ImageFormat =
  /** The smallest; for clients that read it. */
  | 'AVIF'
  /** For clients that read nothing else. */
  | 'JPEG'
  /** Understood by every current browser and app; smaller than JPEG. */
  | 'WEBP';

/** A size of an image's variants: its width in pixels (never wider than the photo sent). */
export type ImageSize =
  /** 800 px wide: a listing card, a phone screen. */
  | 'CARD'
  /** 1,600 px wide: the full-screen view. */
  | 'FULL'
  /** 320 px wide: lists, thumbnails. */
  | 'THUMB';

export type Listing = {
  __typename?: 'Listing';
  /**
   * How many buyers wrote to the seller about this listing. The seller (and admins) only: null for
   * everyone else.
   */
  conversationCount: Maybe<Scalars['Int']['output']>;
  id: Scalars['ID']['output'];
  seller: User;
};

export type Message = {
  __typename?: 'Message';
  /**
   * As written (trimmed): 1 to 5,000 characters, or empty on a message with photos. Phone numbers and
   * e-mail addresses are allowed here.
   */
  body: Scalars['String']['output'];
  conversation: Conversation;
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /**
   * Its photos, in the order sent (up to 4). Their URLs are signed and expire: only the two participants
   * get them; ask for the message again for fresh ones.
   */
  images: Array<Image>;
  /** True when the viewer sent it. */
  isMine: Scalars['Boolean']['output'];
  sender: User;
};

export type MessageConnection = {
  __typename?: 'MessageConnection';
  edges: Array<MessageEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type MessageEdge = {
  __typename?: 'MessageEdge';
  cursor: Scalars['String']['output'];
  node: Message;
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * The user can no longer write to the signed-in user, in any conversation (and the signed-in user
   * cannot write to them either until `unblockUser`). Only someone one has a conversation with can be
   * blocked. Blocking twice is harmless.
   */
  blockUser: User;
  /** Admins only: the flag was looked at. A worse message later flags the conversation again. */
  dismissConversationFlag: ConversationFlag;
  /**
   * Everything in the conversation has been read by the signed-in user: its `unreadCount` becomes 0
   * and the other participant sees the read receipt (`otherParticipantReadAt`).
   */
  markConversationRead: Conversation;
  /**
   * Sends the conversation, with its messages, to the admins. Once per user and conversation: a second
   * report is a CONFLICT.
   */
  reportConversation: ConversationReport;
  /**
   * Adds a message to one of the signed-in user's conversations. Refused: an empty (without photos) or
   * too long body (BAD_USER_INPUT on `body`), a conversation that is not the user's (NOT_FOUND), a
   * conversation with a block (FORBIDDEN), more than 30 messages a minute (RATE_LIMITED), photos that
   * cannot be attached (see `imageIds`). Marks the conversation read for the sender.
   */
  sendMessage: Message;
  /**
   * Writes to the seller of an active listing. A buyer has one conversation per listing: writing again
   * adds the message to it (also once the listing is sold or expired). Refused: an unknown or hidden
   * listing (NOT_FOUND), one's own listing and a listing that is no longer active (BAD_USER_INPUT,
   * NOT_ALLOWED on `listingId`), a seller one blocked or who blocked one (FORBIDDEN). At most 30
   * messages a minute per user, this one included (RATE_LIMITED, with Retry-After).
   */
  startConversation: Conversation;
  /** Lifts a block. Harmless when there is none. */
  unblockUser: User;
};


export type MutationBlockUserArgs = {
  userId: Scalars['ID']['input'];
};


export type MutationDismissConversationFlagArgs = {
  conversationId: Scalars['ID']['input'];
};


export type MutationMarkConversationReadArgs = {
  conversationId: Scalars['ID']['input'];
};


export type MutationReportConversationArgs = {
  conversationId: Scalars['ID']['input'];
  reason: ConversationReportReason;
  text: Scalars['String']['input'];
};


export type MutationSendMessageArgs = {
  body: Scalars['String']['input'];
  conversationId: Scalars['ID']['input'];
  imageIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};


export type MutationStartConversationArgs = {
  body: Scalars['String']['input'];
  listingId: Scalars['ID']['input'];
};


export type MutationUnblockUserArgs = {
  userId: Scalars['ID']['input'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor: Maybe<Scalars['String']['output']>;
};

export type Query = {
  __typename?: 'Query';
  /** The users the signed-in user blocked, most recently blocked first. */
  blockedUsers: BlockedUserConnection;
  /** One conversation of the signed-in user (any conversation for an admin); NOT_FOUND for anyone else. */
  conversation: Maybe<Conversation>;
  /** Admins only: reported conversations, newest report first. */
  conversationReports: ConversationReportConnection;
  /** The signed-in user's conversations, as buyer and as seller, the most recently active first. */
  conversations: ConversationConnection;
  /**
   * Admins only: conversations the moderator agent found scam phrasing in (advance payment, courier
   * links, off-platform contact), not dismissed yet, most recently flagged first. The chat is scanned
   * after the fact, every minute by default: messages are never held back.
   */
  flaggedConversations: ConversationFlagConnection;
  /** Unread messages across all the signed-in user's conversations: the app's badge. */
  unreadMessageCount: Scalars['Int']['output'];
};


export type QueryBlockedUsersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryConversationArgs = {
  id: Scalars['ID']['input'];
};


export type QueryConversationReportsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryConversationsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryFlaggedConversationsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * A conversation of the signed-in user changed: a new conversation, a new message (its `lastMessage`
   * and `unreadCount`), a read receipt, a block.
   */
  conversationUpdated: Conversation;
  /**
   * Each new message: of one conversation the signed-in user may read (NOT_FOUND for any other, as
   * `conversation(id)` answers), or, without `conversationId`, of every conversation of theirs, their
   * own messages included.
   */
  messageAdded: Message;
};


export type SubscriptionMessageAddedArgs = {
  conversationId?: InputMaybe<Scalars['ID']['input']>;
};

export type User = {
  __typename?: 'User';
  id: Scalars['ID']['output'];
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
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Listing:
    ( { __typename: 'Listing' }
    & GraphQLRecursivePick<FederationTypes['Listing'], {"id":true}>
    & ( Record<PropertyKey, never>
        | GraphQLRecursivePick<FederationTypes['Listing'], {"seller":{"id":true}}> ) );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  BlockedUser: ResolverTypeWrapper<BlockRow>;
  BlockedUserConnection: ResolverTypeWrapper<Connection<BlockRow>>;
  BlockedUserEdge: ResolverTypeWrapper<{ cursor: string; node: BlockRow }>;
  CacheControlScope: CacheControlScope;
  ChatFlagReason: ResolverTypeWrapper<ChatFlagReason>;
  Conversation: ResolverTypeWrapper<ConversationRow>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  ConversationConnection: ResolverTypeWrapper<Connection<ConversationRow>>;
  ConversationEdge: ResolverTypeWrapper<{ cursor: string; node: ConversationRow }>;
  ConversationFlag: ResolverTypeWrapper<ConversationFlagRow>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  ConversationFlagConnection: ResolverTypeWrapper<Connection<ConversationFlagRow>>;
  ConversationFlagEdge: ResolverTypeWrapper<{ cursor: string; node: ConversationFlagRow }>;
  ConversationReport: ResolverTypeWrapper<ConversationReportRow>;
  ConversationReportConnection: ResolverTypeWrapper<Connection<ConversationReportRow>>;
  ConversationReportEdge: ResolverTypeWrapper<{ cursor: string; node: ConversationReportRow }>;
  ConversationReportReason: ConversationReportReason;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Image: ResolverTypeWrapper<AttachedImage>;
  ImageFormat: ImageFormat;
  ImageSize: ImageSize;
  Listing: ResolverTypeWrapper<{ id: string; seller?: { id: string } | null }>;
  Message: ResolverTypeWrapper<MessageRow>;
  MessageConnection: ResolverTypeWrapper<Connection<MessageRow>>;
  MessageEdge: ResolverTypeWrapper<{ cursor: string; node: MessageRow }>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  User: ResolverTypeWrapper<{ id: string }>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  BlockedUser: BlockRow;
  BlockedUserConnection: Connection<BlockRow>;
  BlockedUserEdge: { cursor: string; node: BlockRow };
  ChatFlagReason: ChatFlagReason;
  Conversation: ConversationRow;
  Boolean: Scalars['Boolean']['output'];
  ID: Scalars['ID']['output'];
  ConversationConnection: Connection<ConversationRow>;
  ConversationEdge: { cursor: string; node: ConversationRow };
  ConversationFlag: ConversationFlagRow;
  Float: Scalars['Float']['output'];
  ConversationFlagConnection: Connection<ConversationFlagRow>;
  ConversationFlagEdge: { cursor: string; node: ConversationFlagRow };
  ConversationReport: ConversationReportRow;
  ConversationReportConnection: Connection<ConversationReportRow>;
  ConversationReportEdge: { cursor: string; node: ConversationReportRow };
  DateTime: Scalars['DateTime']['output'];
  Image: AttachedImage;
  Listing: { id: string; seller?: { id: string } | null };
  Message: MessageRow;
  MessageConnection: Connection<MessageRow>;
  MessageEdge: { cursor: string; node: MessageRow };
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  Subscription: Record<PropertyKey, never>;
  User: { id: string };
  String: Scalars['String']['output'];
  Int: Scalars['Int']['output'];
}>;

export type CacheCollectionDirectiveArgs = {
  of: Scalars['String']['input'];
};

export type CacheCollectionDirectiveResolver<Result, Parent, ContextType = ChatContext, Args = CacheCollectionDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type CacheControlDirectiveArgs = {
  maxAge?: Maybe<Scalars['Int']['input']>;
  scope?: Maybe<CacheControlScope>;
};

export type CacheControlDirectiveResolver<Result, Parent, ContextType = ChatContext, Args = CacheControlDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type BlockedUserResolvers<ContextType = ChatContext, ParentType extends ResolversParentTypes['BlockedUser'] = ResolversParentTypes['BlockedUser']> = ResolversObject<{
  blockedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
}>;

export type BlockedUserConnectionResolvers<ContextType = ChatContext, ParentType extends ResolversParentTypes['BlockedUserConnection'] = ResolversParentTypes['BlockedUserConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['BlockedUserEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type BlockedUserEdgeResolvers<ContextType = ChatContext, ParentType extends ResolversParentTypes['BlockedUserEdge'] = ResolversParentTypes['BlockedUserEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['BlockedUser'], ParentType, ContextType>;
}>;

export type ChatFlagReasonResolvers<ContextType = ChatContext, ParentType extends ResolversParentTypes['ChatFlagReason'] = ResolversParentTypes['ChatFlagReason']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ConversationResolvers<ContextType = ChatContext, ParentType extends ResolversParentTypes['Conversation'] = ResolversParentTypes['Conversation']> = ResolversObject<{
  blocked?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  buyer?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastMessage?: Resolver<ResolversTypes['Message'], ParentType, ContextType>;
  lastMessageAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  listing?: Resolver<Maybe<ResolversTypes['Listing']>, ParentType, ContextType>;
  messages?: Resolver<ResolversTypes['MessageConnection'], ParentType, ContextType, RequireFields<ConversationMessagesArgs, 'first'>>;
  otherParticipant?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
  otherParticipantReadAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  seller?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
  unreadCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ConversationConnectionResolvers<ContextType = ChatContext, ParentType extends ResolversParentTypes['ConversationConnection'] = ResolversParentTypes['ConversationConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['ConversationEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ConversationEdgeResolvers<ContextType = ChatContext, ParentType extends ResolversParentTypes['ConversationEdge'] = ResolversParentTypes['ConversationEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Conversation'], ParentType, ContextType>;
}>;

export type ConversationFlagResolvers<ContextType = ChatContext, ParentType extends ResolversParentTypes['ConversationFlag'] = ResolversParentTypes['ConversationFlag']> = ResolversObject<{
  conversation?: Resolver<ResolversTypes['Conversation'], ParentType, ContextType>;
  flaggedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['Message'], ParentType, ContextType>;
  reasons?: Resolver<Array<ResolversTypes['ChatFlagReason']>, ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type ConversationFlagConnectionResolvers<ContextType = ChatContext, ParentType extends ResolversParentTypes['ConversationFlagConnection'] = ResolversParentTypes['ConversationFlagConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['ConversationFlagEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ConversationFlagEdgeResolvers<ContextType = ChatContext, ParentType extends ResolversParentTypes['ConversationFlagEdge'] = ResolversParentTypes['ConversationFlagEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['ConversationFlag'], ParentType, ContextType>;
}>;

export type ConversationReportResolvers<ContextType = ChatContext, ParentType extends ResolversParentTypes['ConversationReport'] = ResolversParentTypes['ConversationReport']> = ResolversObject<{
  conversation?: Resolver<ResolversTypes['Conversation'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['ConversationReportReason'], ParentType, ContextType>;
  reporter?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ConversationReportConnectionResolvers<ContextType = ChatContext, ParentType extends ResolversParentTypes['ConversationReportConnection'] = ResolversParentTypes['ConversationReportConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['ConversationReportEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ConversationReportEdgeResolvers<ContextType = ChatContext, ParentType extends ResolversParentTypes['ConversationReportEdge'] = ResolversParentTypes['ConversationReportEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['ConversationReport'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type ImageResolvers<ContextType = ChatContext, ParentType extends ResolversParentTypes['Image'] = ResolversParentTypes['Image']> = ResolversObject<{
  dominantColor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  height?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType, RequireFields<ImageUrlArgs, 'format' | 'size'>>;
  width?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ListingResolvers<ContextType = ChatContext, ParentType extends ResolversParentTypes['Listing'] = ResolversParentTypes['Listing'], FederationReferenceType extends FederationReferenceTypes['Listing'] = FederationReferenceTypes['Listing']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Listing']> | FederationReferenceType, FederationReferenceType, ContextType>;
  conversationCount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type MessageResolvers<ContextType = ChatContext, ParentType extends ResolversParentTypes['Message'] = ResolversParentTypes['Message']> = ResolversObject<{
  body?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  conversation?: Resolver<ResolversTypes['Conversation'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  images?: Resolver<Array<ResolversTypes['Image']>, ParentType, ContextType>;
  isMine?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  sender?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
}>;

export type MessageConnectionResolvers<ContextType = ChatContext, ParentType extends ResolversParentTypes['MessageConnection'] = ResolversParentTypes['MessageConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['MessageEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type MessageEdgeResolvers<ContextType = ChatContext, ParentType extends ResolversParentTypes['MessageEdge'] = ResolversParentTypes['MessageEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Message'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = ChatContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  blockUser?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationBlockUserArgs, 'userId'>>;
  dismissConversationFlag?: Resolver<ResolversTypes['ConversationFlag'], ParentType, ContextType, RequireFields<MutationDismissConversationFlagArgs, 'conversationId'>>;
  markConversationRead?: Resolver<ResolversTypes['Conversation'], ParentType, ContextType, RequireFields<MutationMarkConversationReadArgs, 'conversationId'>>;
  reportConversation?: Resolver<ResolversTypes['ConversationReport'], ParentType, ContextType, RequireFields<MutationReportConversationArgs, 'conversationId' | 'reason' | 'text'>>;
  sendMessage?: Resolver<ResolversTypes['Message'], ParentType, ContextType, RequireFields<MutationSendMessageArgs, 'body' | 'conversationId'>>;
  startConversation?: Resolver<ResolversTypes['Conversation'], ParentType, ContextType, RequireFields<MutationStartConversationArgs, 'body' | 'listingId'>>;
  unblockUser?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationUnblockUserArgs, 'userId'>>;
}>;

export type PageInfoResolvers<ContextType = ChatContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = ChatContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  blockedUsers?: Resolver<ResolversTypes['BlockedUserConnection'], ParentType, ContextType, RequireFields<QueryBlockedUsersArgs, 'first'>>;
  conversation?: Resolver<Maybe<ResolversTypes['Conversation']>, ParentType, ContextType, RequireFields<QueryConversationArgs, 'id'>>;
  conversationReports?: Resolver<ResolversTypes['ConversationReportConnection'], ParentType, ContextType, RequireFields<QueryConversationReportsArgs, 'first'>>;
  conversations?: Resolver<ResolversTypes['ConversationConnection'], ParentType, ContextType, RequireFields<QueryConversationsArgs, 'first'>>;
  flaggedConversations?: Resolver<ResolversTypes['ConversationFlagConnection'], ParentType, ContextType, RequireFields<QueryFlaggedConversationsArgs, 'first'>>;
  unreadMessageCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type SubscriptionResolvers<ContextType = ChatContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  conversationUpdated?: SubscriptionResolver<ResolversTypes['Conversation'], "conversationUpdated", ParentType, ContextType>;
  messageAdded?: SubscriptionResolver<ResolversTypes['Message'], "messageAdded", ParentType, ContextType, Partial<SubscriptionMessageAddedArgs>>;
}>;

export type UserResolvers<ContextType = ChatContext, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = ChatContext> = ResolversObject<{
  BlockedUser?: BlockedUserResolvers<ContextType>;
  BlockedUserConnection?: BlockedUserConnectionResolvers<ContextType>;
  BlockedUserEdge?: BlockedUserEdgeResolvers<ContextType>;
  ChatFlagReason?: ChatFlagReasonResolvers<ContextType>;
  Conversation?: ConversationResolvers<ContextType>;
  ConversationConnection?: ConversationConnectionResolvers<ContextType>;
  ConversationEdge?: ConversationEdgeResolvers<ContextType>;
  ConversationFlag?: ConversationFlagResolvers<ContextType>;
  ConversationFlagConnection?: ConversationFlagConnectionResolvers<ContextType>;
  ConversationFlagEdge?: ConversationFlagEdgeResolvers<ContextType>;
  ConversationReport?: ConversationReportResolvers<ContextType>;
  ConversationReportConnection?: ConversationReportConnectionResolvers<ContextType>;
  ConversationReportEdge?: ConversationReportEdgeResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Image?: ImageResolvers<ContextType>;
  Listing?: ListingResolvers<ContextType>;
  Message?: MessageResolvers<ContextType>;
  MessageConnection?: MessageConnectionResolvers<ContextType>;
  MessageEdge?: MessageEdgeResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = ChatContext> = ResolversObject<{
  cacheCollection?: CacheCollectionDirectiveResolver<any, any, ContextType>;
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
}>;
