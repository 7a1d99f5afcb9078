import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ListingRow } from '../listing-row.ts';
import type { ListingReport as ListingReportRow, ListingModeration as ListingModerationRow, ListingImport as ListingImportRow } from '../../../prisma/generated/client.ts';
import type { Connection } from '../../../lib/graphql/pagination.ts';
import type { CatalogCategory } from '../catalog/catalog.ts';
import type { County as CountyRow, LocationRef } from '../../../lib/locations.ts';
import type { ImportProblem } from '../imports.ts';
import type { AttachedImage } from '../../../lib/media/media.ts';
import type { ListingsContext } from '../context.ts';
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
  /** Any JSON value. Used for listing attributes, whose keys and types the listing's category defines. */
  JSON: { input: unknown; output: unknown; }
  _FieldSet: { input: unknown; output: unknown; }
};

/** A field that listings of a category carry (e.g. cars: make, year, km). Drives the listing form. */
export type AttributeDefinition = {
  __typename?: 'AttributeDefinition';
  key: Scalars['String']['output'];
  label: Scalars['String']['output'];
  max: Maybe<Scalars['Float']['output']>;
  maxLength: Maybe<Scalars['Int']['output']>;
  min: Maybe<Scalars['Float']['output']>;
  options: Maybe<Array<AttributeOption>>;
  required: Scalars['Boolean']['output'];
  type: AttributeType;
  unit: Maybe<Scalars['String']['output']>;
};

export type AttributeOption = {
  __typename?: 'AttributeOption';
  label: Scalars['String']['output'];
  value: Scalars['String']['output'];
};

export type AttributeType =
  | 'BOOLEAN'
  | 'DECIMAL'
  | 'ENUM'
  | 'INT'
  | 'STRING';

/** Who may share a cached answer: PUBLIC anyone asking the same, PRIVATE only the viewer who asked. */
export type CacheControlScope =
  | 'PRIVATE'
  | 'PUBLIC';

export type Category = {
  __typename?: 'Category';
  /** Every attribute of this category, inherited ones first. */
  attributes: Array<AttributeDefinition>;
  children: Array<Category>;
  id: Scalars['ID']['output'];
  /** Listings can be posted only in leaf categories. */
  isLeaf: Scalars['Boolean']['output'];
  /** Romanian name, e.g. "Autoturisme". */
  name: Scalars['String']['output'];
  parent: Maybe<Category>;
  /** From the top-level category down to this one, for breadcrumbs. */
  path: Array<Category>;
  slug: Scalars['String']['output'];
};

/** A county (județ) of Romania, or București, identified by its official code ("CJ", "B", "IS"). */
export type County = {
  __typename?: 'County';
  code: Scalars['ID']['output'];
  name: Scalars['String']['output'];
};

export type CreateListingInput = {
  /** Attribute values keyed by attribute key, e.g. { "make": "dacia", "year": 2016 }. */
  attributes?: InputMaybe<Scalars['JSON']['input']>;
  /** A leaf category. */
  categoryId: Scalars['ID']['input'];
  /**
   * A city of that county, as `cities(county:)` lists them (case and diacritics are not required:
   * "cluj napoca" is "Cluj-Napoca").
   */
  city: Scalars['String']['input'];
  condition?: InputMaybe<ItemCondition>;
  /** County code, as `counties` lists them: "CJ" for Cluj, "B" for București (not the county's name). */
  county: Scalars['String']['input'];
  /** 80 to 9,000 characters; no e-mail address or phone number; at most half capitals. */
  description: Scalars['String']['input'];
  /**
   * Photos uploaded with `POST /uploads` (their ids), in order: the first is the cover. Up to 12, each
   * your own upload, not attached to anything yet.
   */
  imageIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  negotiable?: InputMaybe<Scalars['Boolean']['input']>;
  price: MoneyInput;
  /** 16 to 70 characters; no e-mail address or phone number; at most half capitals. */
  title: Scalars['String']['input'];
};

export type Currency =
  | 'EUR'
  | 'RON';

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

export type ItemCondition =
  | 'NEW'
  | 'REFURBISHED'
  | 'USED';

export type Listing = {
  __typename?: 'Listing';
  /**
   * What the agents found about this listing: for its seller and admins; null for anyone else and
   * before the first verdict.
   */
  aiInsights: Maybe<ListingInsights>;
  /** The same attributes as one JSON object, keyed by attribute key. */
  attributeValues: Scalars['JSON']['output'];
  attributes: Array<ListingAttribute>;
  category: Category;
  condition: Maybe<ItemCondition>;
  /** The first photo, for lists (one statement for a whole page); null without photos. */
  coverImage: Maybe<Image>;
  createdAt: Scalars['DateTime']['output'];
  description: Scalars['String']['output'];
  /** Active listings expire 30 days after publishing or renewing. */
  expiresAt: Maybe<Scalars['DateTime']['output']>;
  favoriteCount: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  /** Its photos, in the seller's order: the first is the cover. Up to 12. */
  images: Array<Image>;
  /** False when nobody is signed in. */
  isFavorite: Scalars['Boolean']['output'];
  /** True when the signed-in viewer is the seller. */
  isMine: Scalars['Boolean']['output'];
  location: Location;
  negotiable: Scalars['Boolean']['output'];
  price: Money;
  publishedAt: Maybe<Scalars['DateTime']['output']>;
  /** Admins only. */
  reportCount: Scalars['Int']['output'];
  seller: User;
  /** Other active listings of the same category. */
  similar: Array<Listing>;
  soldAt: Maybe<Scalars['DateTime']['output']>;
  /** EXPIRED as soon as expiresAt has passed. */
  status: ListingStatus;
  title: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  /**
   * Starts at 1 and grows by one with every successful `updateListing`. Send the version you read as
   * `updateListing(expectedVersion:)` so that an edit made meanwhile (another tab, a co-worker, an
   * agent) is not overwritten silently.
   */
  version: Scalars['Int']['output'];
  /**
   * At most one view per viewer and day: a signed-in user counts once a day, an anonymous visitor once
   * a day per IP address. The seller's own views are not counted.
   */
  viewCount: Scalars['Int']['output'];
};


export type ListingSimilarArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** One attribute value of a listing, with its label and unit for display. */
export type ListingAttribute = {
  __typename?: 'ListingAttribute';
  key: Scalars['String']['output'];
  label: Scalars['String']['output'];
  unit: Maybe<Scalars['String']['output']>;
  /** The value as text ("148000", "diesel", "true"); `valueLabel` is the human form. */
  value: Scalars['String']['output'];
  valueLabel: Scalars['String']['output'];
};

export type ListingConnection = {
  __typename?: 'ListingConnection';
  edges: Array<ListingEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type ListingEdge = {
  __typename?: 'ListingEdge';
  cursor: Scalars['String']['output'];
  node: Listing;
};

export type ListingFilter = {
  /** Includes every subcategory. */
  categoryId?: InputMaybe<Scalars['ID']['input']>;
  categorySlug?: InputMaybe<Scalars['String']['input']>;
  /** A city of `county`, which must be given too (see `cities(county:)`). */
  city?: InputMaybe<Scalars['String']['input']>;
  condition?: InputMaybe<Array<ItemCondition>>;
  /** County code, e.g. "CJ" or "B" (see `counties`), not the county's name. */
  county?: InputMaybe<Scalars['String']['input']>;
  price?: InputMaybe<PriceRangeInput>;
  sellerId?: InputMaybe<Scalars['ID']['input']>;
};

/** A seller's import of partner feeds (`importListings`): the drafts it created and what it could not use. */
export type ListingImport = {
  __typename?: 'ListingImport';
  createdAt: Scalars['DateTime']['output'];
  finishedAt: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  /** The DRAFT listings created, in the feeds' order: review and publish them. */
  listings: Array<Listing>;
  problems: Array<ListingImportProblem>;
  status: ListingImportStatus;
  urls: Array<Scalars['String']['output']>;
};

export type ListingImportConnection = {
  __typename?: 'ListingImportConnection';
  edges: Array<ListingImportEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type ListingImportEdge = {
  __typename?: 'ListingImportEdge';
  cursor: Scalars['String']['output'];
  node: ListingImport;
};

export type ListingImportProblem = {
  __typename?: 'ListingImportProblem';
  /** The item's title, when the problem is one item's. */
  item: Maybe<Scalars['String']['output']>;
  message: Scalars['String']['output'];
  url: Scalars['String']['output'];
};

export type ListingImportStatus =
  | 'DONE'
  | 'FAILED'
  | 'RUNNING';

export type ListingInsights = {
  __typename?: 'ListingInsights';
  /** The latest moderation verdict. */
  moderation: Maybe<ListingModerationResult>;
  /**
   * A better-fitting category, when the categorizer's model is confident (≥ 60 %) the listing is in
   * the wrong one; null otherwise.
   */
  suggestedCategory: Maybe<Category>;
  /**
   * What comparable active listings ask (the pricer's estimate at moderation time); null without
   * comparables.
   */
  suggestedPrice: Maybe<PriceInsight>;
};

export type ListingModerationResult = {
  __typename?: 'ListingModerationResult';
  /** True when an admin decided, false when the moderator agent did. */
  byAdmin: Scalars['Boolean']['output'];
  decidedAt: Scalars['DateTime']['output'];
  decision: ModerationDecision;
  /** The listing version the decision is about. */
  listingVersion: Scalars['Int']['output'];
  reasons: Array<ModerationReason>;
  /** 0 (clean) to 1 (certainly abusive); an admin's approval is 0, a rejection 1. */
  score: Scalars['Float']['output'];
};

export type ListingReport = {
  __typename?: 'ListingReport';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  listing: Listing;
  reason: ReportReason;
  reporter: User;
  text: Scalars['String']['output'];
};

export type ListingReportConnection = {
  __typename?: 'ListingReportConnection';
  edges: Array<ListingReportEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type ListingReportEdge = {
  __typename?: 'ListingReportEdge';
  cursor: Scalars['String']['output'];
  node: ListingReport;
};

export type ListingSort =
  | 'NEWEST'
  | 'PRICE_ASC'
  | 'PRICE_DESC';

/**
 * DRAFT → ACTIVE (published) → SOLD | EXPIRED | DELETED. PENDING_REVIEW and REJECTED are moderation
 * states set by the moderation agents.
 */
export type ListingStatus =
  | 'ACTIVE'
  | 'DELETED'
  | 'DRAFT'
  | 'EXPIRED'
  | 'PENDING_REVIEW'
  | 'REJECTED'
  | 'SOLD';

/** Where a user or a listing is: a county and one of its cities. */
export type Location = {
  __typename?: 'Location';
  city: Scalars['String']['output'];
  county: County;
};

export type ModerationDecision =
  | 'APPROVED'
  /** Neither clean nor clearly abusive: an admin decides (`listingsAwaitingReview`, `reviewListing`). */
  | 'NEEDS_REVIEW'
  | 'REJECTED';

export type ModerationReason = {
  __typename?: 'ModerationReason';
  /**
   * Stable, for programs: PROHIBITED_WEAPONS, ADVANCE_PAYMENT, COURIER_SCAM, LINK_OR_EMAIL,
   * OFF_PLATFORM_CONTACT, PRICE_FAR_BELOW_MEDIAN, DUPLICATE_TEXT, SHOUTING, ADMIN, …
   */
  code: Scalars['String']['output'];
  /** For the seller, in Romanian. */
  message: Scalars['String']['output'];
};

/** An amount of money in minor units (bani for RON, cents for EUR), so it is exact. */
export type Money = {
  __typename?: 'Money';
  /** Minor units: 1250000 with RON is 12.500 lei. */
  amount: Scalars['Int']['output'];
  currency: Currency;
  /** Ready to show, Romanian style: "12.500 lei", "8.900 €". */
  formatted: Scalars['String']['output'];
};

export type MoneyInput = {
  /** Minor units (bani / cents), 0 or more. */
  amount: Scalars['Int']['input'];
  currency: Currency;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Saves an active listing of another seller (your own: BAD_USER_INPUT). Saving twice is harmless. */
  addFavorite: Listing;
  /**
   * Adds photos uploaded with `POST /uploads` after the listing's current ones (in the order given), in
   * any state but SOLD and DELETED. Up to 12 per listing in all. Refused, and nothing is added: more than
   * 12 in all, an id given twice (BAD_USER_INPUT on `imageIds`), an upload that is not yours (FORBIDDEN),
   * unknown or already attached (BAD_USER_INPUT). The seller only (and admins).
   */
  addListingImages: Listing;
  /**
   * Creates a DRAFT; publish it to make it visible. Invalid input is one BAD_USER_INPUT error naming
   * every bad field at once in `extensions.fields` (`field`, `reason`, `message`; see the README).
   */
  createListing: Listing;
  /**
   * Soft delete: the listing disappears for everyone but admins; its data is kept, but its photos are
   * removed (their URLs answer 404).
   */
  deleteListing: Listing;
  /**
   * Imports products from partner feeds (JSON feeds, or product pages with schema.org Product/Offer
   * JSON-LD; 1 to 20 http(s) URLs on public addresses): the manus agent fetches and maps them, and each
   * product it could map becomes one of your DRAFT listings, created by the same rules as `createListing`
   * (importing the same feed again within a day creates nothing twice). Answers at once, RUNNING; follow
   * it in `myListingImports`. At most 2 imports of a seller run at once (CONFLICT).
   */
  importListings: ListingImport;
  /** ACTIVE or EXPIRED → SOLD. */
  markListingSold: Listing;
  /**
   * DRAFT (or REJECTED, after an edit) → PENDING_REVIEW while the moderator agent checks it (seconds),
   * then ACTIVE for 30 days, REJECTED with reasons (`aiInsights.moderation`), or an admin decides;
   * follow it with `myListingStatusChanged`. Deployments without moderation (LISTING_MODERATION=off):
   * DRAFT → ACTIVE at once.
   */
  publishListing: Listing;
  /**
   * Counts a view of an active listing: at most once per viewer and day (see `Listing.viewCount`); the
   * seller's own views are not counted. Returns the listing, or null when it does not exist or is not
   * visible to the viewer.
   */
  recordListingView: Maybe<Listing>;
  removeFavorite: Listing;
  /**
   * Removes one photo from the listing: its URLs answer 404 from then on. The next one moves up (removing
   * the cover makes the second photo the cover).
   */
  removeListingImage: Listing;
  /** ACTIVE or EXPIRED → ACTIVE for another 30 days from now. */
  renewListing: Listing;
  /**
   * Puts the listing's photos in this order: `imageIds` holds each of them exactly once (else
   * BAD_USER_INPUT, nothing changes). The first becomes the cover.
   */
  reorderListingImages: Listing;
  /** Once per user and listing: a second report of the same listing is a CONFLICT. */
  reportListing: ListingReport;
  /**
   * Admins only: approve (→ ACTIVE) or reject (→ REJECTED; `reason` required, shown to the seller) a
   * listing waiting for review, or an active one the moderator flagged.
   */
  reviewListing: Listing;
  /**
   * Changes the given fields. A stale `expectedVersion` is refused with CONFLICT and nothing changes;
   * reload the listing, show the user the current values and let them decide.
   */
  updateListing: Listing;
};


export type MutationAddFavoriteArgs = {
  listingId: Scalars['ID']['input'];
};


export type MutationAddListingImagesArgs = {
  imageIds: Array<Scalars['ID']['input']>;
  listingId: Scalars['ID']['input'];
};


export type MutationCreateListingArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input: CreateListingInput;
};


export type MutationDeleteListingArgs = {
  id: Scalars['ID']['input'];
};


export type MutationImportListingsArgs = {
  urls: Array<Scalars['String']['input']>;
};


export type MutationMarkListingSoldArgs = {
  id: Scalars['ID']['input'];
};


export type MutationPublishListingArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRecordListingViewArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRemoveFavoriteArgs = {
  listingId: Scalars['ID']['input'];
};


export type MutationRemoveListingImageArgs = {
  imageId: Scalars['ID']['input'];
  listingId: Scalars['ID']['input'];
};


export type MutationRenewListingArgs = {
  id: Scalars['ID']['input'];
};


export type MutationReorderListingImagesArgs = {
  imageIds: Array<Scalars['ID']['input']>;
  listingId: Scalars['ID']['input'];
};


export type MutationReportListingArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  listingId: Scalars['ID']['input'];
  reason: ReportReason;
  text: Scalars['String']['input'];
};


export type MutationReviewListingArgs = {
  decision: ReviewDecision;
  id: Scalars['ID']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
};


export type MutationUpdateListingArgs = {
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
  input: UpdateListingInput;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor: Maybe<Scalars['String']['output']>;
};

export type PriceInsight = {
  __typename?: 'PriceInsight';
  /** How many active listings were compared. */
  comparables: Scalars['Int']['output'];
  high: Money;
  /** The comparables' 25th percentile, median and 75th percentile, in RON. */
  low: Money;
  median: Money;
  /** The filters dropped to find enough comparables, in order: CITY, COUNTY, ATTRIBUTES, TITLE, CATEGORY. */
  relaxed: Array<Scalars['String']['output']>;
  /** Where the comparables are: CITY, COUNTY or COUNTRY. */
  scope: Scalars['String']['output'];
};

export type PriceRangeInput = {
  /** Currency of min and max; listings in the other currency are compared at a fixed exchange rate. */
  currency?: InputMaybe<Currency>;
  /** Minor units, inclusive. */
  max?: InputMaybe<Scalars['Int']['input']>;
  /** Minor units, inclusive. */
  min?: InputMaybe<Scalars['Int']['input']>;
};

export type Query = {
  __typename?: 'Query';
  /** The top-level categories; walk `children` for the tree. */
  categories: Array<Category>;
  category: Maybe<Category>;
  /** Cities of a county, for location pickers. */
  cities: Array<Scalars['String']['output']>;
  /** The 41 counties and București. */
  counties: Array<County>;
  /** One listing. Drafts, deleted and moderated listings are visible only to their seller and admins. */
  listing: Maybe<Listing>;
  /** Admins only: reports, newest first. */
  listingReports: ListingReportConnection;
  /** Browse active listings. Pages and `totalCount` follow every change as soon as its mutation returns. */
  listings: ListingConnection;
  /**
   * Admins only: listings waiting for a verdict (PENDING_REVIEW) and active ones the moderator flagged
   * NEEDS_REVIEW, longest waiting first.
   */
  listingsAwaitingReview: ListingConnection;
  /** Listings the signed-in user saved, most recently saved first. */
  myFavorites: ListingConnection;
  /** The signed-in seller's feed imports, newest first. */
  myListingImports: ListingImportConnection;
  /** The signed-in user's listings in any state but DELETED, newest first. */
  myListings: ListingConnection;
};


export type QueryCategoryArgs = {
  id?: InputMaybe<Scalars['ID']['input']>;
  slug?: InputMaybe<Scalars['String']['input']>;
};


export type QueryCitiesArgs = {
  county: Scalars['String']['input'];
};


export type QueryListingArgs = {
  id: Scalars['ID']['input'];
};


export type QueryListingReportsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryListingsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ListingFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  sort?: InputMaybe<ListingSort>;
};


export type QueryListingsAwaitingReviewArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryMyFavoritesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryMyListingImportsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryMyListingsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<Array<ListingStatus>>;
};

export type ReportReason =
  | 'ALREADY_SOLD'
  | 'DUPLICATE'
  | 'FRAUD'
  | 'OFFENSIVE'
  | 'OTHER'
  | 'SPAM'
  | 'WRONG_CATEGORY';

export type ReviewDecision =
  | 'APPROVE'
  | 'REJECT';

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Each status change of the signed-in seller's own listings: the moderator's or an admin's decision
   * (PENDING_REVIEW → ACTIVE or REJECTED, with `aiInsights.moderation.reasons`).
   */
  myListingStatusChanged: Listing;
};

/** Only the fields given change. Changing the category re-validates the attributes. */
export type UpdateListingInput = {
  attributes?: InputMaybe<Scalars['JSON']['input']>;
  categoryId?: InputMaybe<Scalars['ID']['input']>;
  /** A city of the county (see `cities(county:)`); checked with the county, the new one or the current one. */
  city?: InputMaybe<Scalars['String']['input']>;
  condition?: InputMaybe<ItemCondition>;
  /** County code ("CJ", "B"; see `counties`), not the county's name. */
  county?: InputMaybe<Scalars['String']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  negotiable?: InputMaybe<Scalars['Boolean']['input']>;
  price?: InputMaybe<MoneyInput>;
  title?: InputMaybe<Scalars['String']['input']>;
};

/** A seller, as seen from listings. */
export type User = {
  __typename?: 'User';
  id: Scalars['ID']['output'];
  /** How many active listings the user has. */
  listingCount: Scalars['Int']['output'];
  /** The user's active listings, newest first. */
  listings: ListingConnection;
};


/** A seller, as seen from listings. */
export type UserListingsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
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
  Category: Category;
  Listing: Listing;
  User: User;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Category:
    ( { __typename: 'Category' }
    & GraphQLRecursivePick<FederationTypes['Category'], {"id":true}> );
  Listing:
    ( { __typename: 'Listing' }
    & GraphQLRecursivePick<FederationTypes['Listing'], {"id":true}> );
  User:
    ( { __typename: 'User' }
    & GraphQLRecursivePick<FederationTypes['User'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AttributeDefinition: ResolverTypeWrapper<AttributeDefinition>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  AttributeOption: ResolverTypeWrapper<AttributeOption>;
  AttributeType: AttributeType;
  CacheControlScope: CacheControlScope;
  Category: ResolverTypeWrapper<CatalogCategory>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  County: ResolverTypeWrapper<CountyRow>;
  CreateListingInput: CreateListingInput;
  Currency: Currency;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Image: ResolverTypeWrapper<AttachedImage>;
  ImageFormat: ImageFormat;
  ImageSize: ImageSize;
  ItemCondition: ItemCondition;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  Listing: ResolverTypeWrapper<ListingRow>;
  ListingAttribute: ResolverTypeWrapper<ListingAttribute>;
  ListingConnection: ResolverTypeWrapper<Connection<ListingRow>>;
  ListingEdge: ResolverTypeWrapper<{ cursor: string; node: ListingRow }>;
  ListingFilter: ListingFilter;
  ListingImport: ResolverTypeWrapper<ListingImportRow>;
  ListingImportConnection: ResolverTypeWrapper<Connection<ListingImportRow>>;
  ListingImportEdge: ResolverTypeWrapper<{ cursor: string; node: ListingImportRow }>;
  ListingImportProblem: ResolverTypeWrapper<ImportProblem>;
  ListingImportStatus: ListingImportStatus;
  ListingInsights: ResolverTypeWrapper<{ moderation: ListingModerationRow | null }>;
  ListingModerationResult: ResolverTypeWrapper<ListingModerationRow>;
  ListingReport: ResolverTypeWrapper<ListingReportRow>;
  ListingReportConnection: ResolverTypeWrapper<Connection<ListingReportRow>>;
  ListingReportEdge: ResolverTypeWrapper<{ cursor: string; node: ListingReportRow }>;
  ListingSort: ListingSort;
  ListingStatus: ListingStatus;
  Location: ResolverTypeWrapper<LocationRef>;
  ModerationDecision: ModerationDecision;
  ModerationReason: ResolverTypeWrapper<ModerationReason>;
  Money: ResolverTypeWrapper<{ amount: number; currency: 'RON' | 'EUR' }>;
  MoneyInput: MoneyInput;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PriceInsight: ResolverTypeWrapper<NonNullable<import('../moderation.ts').StoredInsights['suggestedPrice']>>;
  PriceRangeInput: PriceRangeInput;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ReportReason: ReportReason;
  ReviewDecision: ReviewDecision;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  UpdateListingInput: UpdateListingInput;
  User: ResolverTypeWrapper<{ id: string }>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AttributeDefinition: AttributeDefinition;
  Float: Scalars['Float']['output'];
  Boolean: Scalars['Boolean']['output'];
  AttributeOption: AttributeOption;
  Category: CatalogCategory;
  ID: Scalars['ID']['output'];
  County: CountyRow;
  CreateListingInput: CreateListingInput;
  DateTime: Scalars['DateTime']['output'];
  Image: AttachedImage;
  JSON: Scalars['JSON']['output'];
  Listing: ListingRow;
  ListingAttribute: ListingAttribute;
  ListingConnection: Connection<ListingRow>;
  ListingEdge: { cursor: string; node: ListingRow };
  ListingFilter: ListingFilter;
  ListingImport: ListingImportRow;
  ListingImportConnection: Connection<ListingImportRow>;
  ListingImportEdge: { cursor: string; node: ListingImportRow };
  ListingImportProblem: ImportProblem;
  ListingInsights: { moderation: ListingModerationRow | null };
  ListingModerationResult: ListingModerationRow;
  ListingReport: ListingReportRow;
  ListingReportConnection: Connection<ListingReportRow>;
  ListingReportEdge: { cursor: string; node: ListingReportRow };
  Location: LocationRef;
  ModerationReason: ModerationReason;
  Money: { amount: number; currency: 'RON' | 'EUR' };
  MoneyInput: MoneyInput;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  PriceInsight: NonNullable<import('../moderation.ts').StoredInsights['suggestedPrice']>;
  PriceRangeInput: PriceRangeInput;
  Query: Record<PropertyKey, never>;
  Subscription: Record<PropertyKey, never>;
  UpdateListingInput: UpdateListingInput;
  User: { id: string };
  String: Scalars['String']['output'];
  Int: Scalars['Int']['output'];
}>;

export type CacheCollectionDirectiveArgs = {
  of: Scalars['String']['input'];
};

export type CacheCollectionDirectiveResolver<Result, Parent, ContextType = ListingsContext, Args = CacheCollectionDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type CacheControlDirectiveArgs = {
  maxAge?: Maybe<Scalars['Int']['input']>;
  scope?: Maybe<CacheControlScope>;
};

export type CacheControlDirectiveResolver<Result, Parent, ContextType = ListingsContext, Args = CacheControlDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type AttributeDefinitionResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['AttributeDefinition'] = ResolversParentTypes['AttributeDefinition']> = ResolversObject<{
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  label?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  max?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  maxLength?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  min?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  options?: Resolver<Maybe<Array<ResolversTypes['AttributeOption']>>, ParentType, ContextType>;
  required?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['AttributeType'], ParentType, ContextType>;
  unit?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type AttributeOptionResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['AttributeOption'] = ResolversParentTypes['AttributeOption']> = ResolversObject<{
  label?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type CategoryResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['Category'] = ResolversParentTypes['Category'], FederationReferenceType extends FederationReferenceTypes['Category'] = FederationReferenceTypes['Category']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Category']> | FederationReferenceType, FederationReferenceType, ContextType>;
  attributes?: Resolver<Array<ResolversTypes['AttributeDefinition']>, ParentType, ContextType>;
  children?: Resolver<Array<ResolversTypes['Category']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  isLeaf?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  parent?: Resolver<Maybe<ResolversTypes['Category']>, ParentType, ContextType>;
  path?: Resolver<Array<ResolversTypes['Category']>, ParentType, ContextType>;
  slug?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type CountyResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['County'] = ResolversParentTypes['County']> = ResolversObject<{
  code?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type ImageResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['Image'] = ResolversParentTypes['Image']> = ResolversObject<{
  dominantColor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  height?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType, RequireFields<ImageUrlArgs, 'format' | 'size'>>;
  width?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type ListingResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['Listing'] = ResolversParentTypes['Listing'], FederationReferenceType extends FederationReferenceTypes['Listing'] = FederationReferenceTypes['Listing']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Listing']> | FederationReferenceType, FederationReferenceType, ContextType>;
  aiInsights?: Resolver<Maybe<ResolversTypes['ListingInsights']>, ParentType, ContextType>;
  attributeValues?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  attributes?: Resolver<Array<ResolversTypes['ListingAttribute']>, ParentType, ContextType>;
  category?: Resolver<ResolversTypes['Category'], ParentType, ContextType>;
  condition?: Resolver<Maybe<ResolversTypes['ItemCondition']>, ParentType, ContextType>;
  coverImage?: Resolver<Maybe<ResolversTypes['Image']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  favoriteCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  images?: Resolver<Array<ResolversTypes['Image']>, ParentType, ContextType>;
  isFavorite?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  isMine?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  location?: Resolver<ResolversTypes['Location'], ParentType, ContextType>;
  negotiable?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  price?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  publishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  reportCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  seller?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
  similar?: Resolver<Array<ResolversTypes['Listing']>, ParentType, ContextType, RequireFields<ListingSimilarArgs, 'first'>>;
  soldAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ListingStatus'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  viewCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ListingAttributeResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['ListingAttribute'] = ResolversParentTypes['ListingAttribute']> = ResolversObject<{
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  label?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  unit?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  valueLabel?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ListingConnectionResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['ListingConnection'] = ResolversParentTypes['ListingConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['ListingEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ListingEdgeResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['ListingEdge'] = ResolversParentTypes['ListingEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Listing'], ParentType, ContextType>;
}>;

export type ListingImportResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['ListingImport'] = ResolversParentTypes['ListingImport']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  listings?: Resolver<Array<ResolversTypes['Listing']>, ParentType, ContextType>;
  problems?: Resolver<Array<ResolversTypes['ListingImportProblem']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ListingImportStatus'], ParentType, ContextType>;
  urls?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ListingImportConnectionResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['ListingImportConnection'] = ResolversParentTypes['ListingImportConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['ListingImportEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ListingImportEdgeResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['ListingImportEdge'] = ResolversParentTypes['ListingImportEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['ListingImport'], ParentType, ContextType>;
}>;

export type ListingImportProblemResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['ListingImportProblem'] = ResolversParentTypes['ListingImportProblem']> = ResolversObject<{
  item?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ListingInsightsResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['ListingInsights'] = ResolversParentTypes['ListingInsights']> = ResolversObject<{
  moderation?: Resolver<Maybe<ResolversTypes['ListingModerationResult']>, ParentType, ContextType>;
  suggestedCategory?: Resolver<Maybe<ResolversTypes['Category']>, ParentType, ContextType>;
  suggestedPrice?: Resolver<Maybe<ResolversTypes['PriceInsight']>, ParentType, ContextType>;
}>;

export type ListingModerationResultResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['ListingModerationResult'] = ResolversParentTypes['ListingModerationResult']> = ResolversObject<{
  byAdmin?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  decidedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  decision?: Resolver<ResolversTypes['ModerationDecision'], ParentType, ContextType>;
  listingVersion?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reasons?: Resolver<Array<ResolversTypes['ModerationReason']>, ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type ListingReportResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['ListingReport'] = ResolversParentTypes['ListingReport']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  listing?: Resolver<ResolversTypes['Listing'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['ReportReason'], ParentType, ContextType>;
  reporter?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ListingReportConnectionResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['ListingReportConnection'] = ResolversParentTypes['ListingReportConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['ListingReportEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ListingReportEdgeResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['ListingReportEdge'] = ResolversParentTypes['ListingReportEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['ListingReport'], ParentType, ContextType>;
}>;

export type LocationResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['Location'] = ResolversParentTypes['Location']> = ResolversObject<{
  city?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  county?: Resolver<ResolversTypes['County'], ParentType, ContextType>;
}>;

export type ModerationReasonResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['ModerationReason'] = ResolversParentTypes['ModerationReason']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MoneyResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['Currency'], ParentType, ContextType>;
  formatted?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  addFavorite?: Resolver<ResolversTypes['Listing'], ParentType, ContextType, RequireFields<MutationAddFavoriteArgs, 'listingId'>>;
  addListingImages?: Resolver<ResolversTypes['Listing'], ParentType, ContextType, RequireFields<MutationAddListingImagesArgs, 'imageIds' | 'listingId'>>;
  createListing?: Resolver<ResolversTypes['Listing'], ParentType, ContextType, RequireFields<MutationCreateListingArgs, 'input'>>;
  deleteListing?: Resolver<ResolversTypes['Listing'], ParentType, ContextType, RequireFields<MutationDeleteListingArgs, 'id'>>;
  importListings?: Resolver<ResolversTypes['ListingImport'], ParentType, ContextType, RequireFields<MutationImportListingsArgs, 'urls'>>;
  markListingSold?: Resolver<ResolversTypes['Listing'], ParentType, ContextType, RequireFields<MutationMarkListingSoldArgs, 'id'>>;
  publishListing?: Resolver<ResolversTypes['Listing'], ParentType, ContextType, RequireFields<MutationPublishListingArgs, 'id'>>;
  recordListingView?: Resolver<Maybe<ResolversTypes['Listing']>, ParentType, ContextType, RequireFields<MutationRecordListingViewArgs, 'id'>>;
  removeFavorite?: Resolver<ResolversTypes['Listing'], ParentType, ContextType, RequireFields<MutationRemoveFavoriteArgs, 'listingId'>>;
  removeListingImage?: Resolver<ResolversTypes['Listing'], ParentType, ContextType, RequireFields<MutationRemoveListingImageArgs, 'imageId' | 'listingId'>>;
  renewListing?: Resolver<ResolversTypes['Listing'], ParentType, ContextType, RequireFields<MutationRenewListingArgs, 'id'>>;
  reorderListingImages?: Resolver<ResolversTypes['Listing'], ParentType, ContextType, RequireFields<MutationReorderListingImagesArgs, 'imageIds' | 'listingId'>>;
  reportListing?: Resolver<ResolversTypes['ListingReport'], ParentType, ContextType, RequireFields<MutationReportListingArgs, 'listingId' | 'reason' | 'text'>>;
  reviewListing?: Resolver<ResolversTypes['Listing'], ParentType, ContextType, RequireFields<MutationReviewListingArgs, 'decision' | 'id'>>;
  updateListing?: Resolver<ResolversTypes['Listing'], ParentType, ContextType, RequireFields<MutationUpdateListingArgs, 'id' | 'input'>>;
}>;

export type PageInfoResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type PriceInsightResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['PriceInsight'] = ResolversParentTypes['PriceInsight']> = ResolversObject<{
  comparables?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  high?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  low?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  median?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  relaxed?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  scope?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  categories?: Resolver<Array<ResolversTypes['Category']>, ParentType, ContextType>;
  category?: Resolver<Maybe<ResolversTypes['Category']>, ParentType, ContextType, Partial<QueryCategoryArgs>>;
  cities?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType, RequireFields<QueryCitiesArgs, 'county'>>;
  counties?: Resolver<Array<ResolversTypes['County']>, ParentType, ContextType>;
  listing?: Resolver<Maybe<ResolversTypes['Listing']>, ParentType, ContextType, RequireFields<QueryListingArgs, 'id'>>;
  listingReports?: Resolver<ResolversTypes['ListingReportConnection'], ParentType, ContextType, RequireFields<QueryListingReportsArgs, 'first'>>;
  listings?: Resolver<ResolversTypes['ListingConnection'], ParentType, ContextType, RequireFields<QueryListingsArgs, 'first' | 'sort'>>;
  listingsAwaitingReview?: Resolver<ResolversTypes['ListingConnection'], ParentType, ContextType, RequireFields<QueryListingsAwaitingReviewArgs, 'first'>>;
  myFavorites?: Resolver<ResolversTypes['ListingConnection'], ParentType, ContextType, RequireFields<QueryMyFavoritesArgs, 'first'>>;
  myListingImports?: Resolver<ResolversTypes['ListingImportConnection'], ParentType, ContextType, RequireFields<QueryMyListingImportsArgs, 'first'>>;
  myListings?: Resolver<ResolversTypes['ListingConnection'], ParentType, ContextType, RequireFields<QueryMyListingsArgs, 'first'>>;
}>;

export type SubscriptionResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  myListingStatusChanged?: SubscriptionResolver<ResolversTypes['Listing'], "myListingStatusChanged", ParentType, ContextType>;
}>;

export type UserResolvers<ContextType = ListingsContext, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User'], FederationReferenceType extends FederationReferenceTypes['User'] = FederationReferenceTypes['User']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['User']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  listingCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  listings?: Resolver<ResolversTypes['ListingConnection'], ParentType, ContextType, RequireFields<UserListingsArgs, 'first'>>;
}>;

export type Resolvers<ContextType = ListingsContext> = ResolversObject<{
  AttributeDefinition?: AttributeDefinitionResolvers<ContextType>;
  AttributeOption?: AttributeOptionResolvers<ContextType>;
  Category?: CategoryResolvers<ContextType>;
  County?: CountyResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Image?: ImageResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  Listing?: ListingResolvers<ContextType>;
  ListingAttribute?: ListingAttributeResolvers<ContextType>;
  ListingConnection?: ListingConnectionResolvers<ContextType>;
  ListingEdge?: ListingEdgeResolvers<ContextType>;
  ListingImport?: ListingImportResolvers<ContextType>;
  ListingImportConnection?: ListingImportConnectionResolvers<ContextType>;
  ListingImportEdge?: ListingImportEdgeResolvers<ContextType>;
  ListingImportProblem?: ListingImportProblemResolvers<ContextType>;
  ListingInsights?: ListingInsightsResolvers<ContextType>;
  ListingModerationResult?: ListingModerationResultResolvers<ContextType>;
  ListingReport?: ListingReportResolvers<ContextType>;
  ListingReportConnection?: ListingReportConnectionResolvers<ContextType>;
  ListingReportEdge?: ListingReportEdgeResolvers<ContextType>;
  Location?: LocationResolvers<ContextType>;
  ModerationReason?: ModerationReasonResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  PriceInsight?: PriceInsightResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = ListingsContext> = ResolversObject<{
  cacheCollection?: CacheCollectionDirectiveResolver<any, any, ContextType>;
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
}>;
