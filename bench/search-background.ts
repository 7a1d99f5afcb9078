/**
 * The servers' background work, which runs in the gateway process besides the requests measured: the
 * agents' queue workers (pg-boss polls), listing moderation, the chat scan and listing imports. Off,
 * a cell's process CPU per request is the requests' own (bench/search-profile.ts always, bench:search
 * with --background off); on (the product's defaults), it includes whatever of that work falls in the
 * cell.
 */
export const BACKGROUND_OFF: Record<string, string> = {
  AGENT_WORKERS: "off",
  LISTING_MODERATION: "off",
  CHAT_SCAN_INTERVAL_SECONDS: "0",
  LISTING_IMPORTS: "false",
};
