/**
 * Which IP addresses an outbound request may connect to. The default is "public unicast only": an AI
 * agent fetching partner URLs must not be steerable into the cluster, the host, or the cloud metadata
 * service (SSRF). ipaddr.js holds the IANA special-purpose tables so we don't hand-maintain CIDR lists.
 */
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

/** public: routable unicast; loopback/private: opt-in per policy; everything else is always refused. */
export type AddressClass = "public" | "loopback" | "private" | "metadata" | "special" | "invalid";

export interface AddressPolicy {
  /** 127.0.0.0/8 and ::1. For tests that fetch from their own server. */
  allowLoopback?: boolean;
  /** RFC 1918, carrier-grade NAT (100.64/10) and IPv6 unique-local (fc00::/7); never the metadata addresses. */
  allowPrivate?: boolean;
  /** Exact addresses or CIDRs let through whatever their class (except metadata), e.g. one partner mirror. */
  allowedAddresses?: readonly string[];
}

// Cloud metadata endpoints stay refused even under allowPrivate / allowedAddresses: reaching them leaks
// instance credentials. (AWS/GCP/Azure/OpenStack, AWS ECS task role, AWS IPv6 IMDS, Alibaba.)
const METADATA = new Set(["169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200"]);

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");
const NAT64_WELL_KNOWN = ipaddr.parseCIDR("64:ff9b::/96");

/** Classifies an address as Node would connect to it (canonical IPv4 dotted quad or IPv6 text). */
export function classifyAddress(ip: string): AddressClass {
  if (isIP(ip) === 0) return "invalid";
  const addr = ipaddr.parse(ip);
  return addr.kind() === "ipv4" ? classifyV4(addr as ipaddr.IPv4) : classifyV6(addr as ipaddr.IPv6);
}

function classifyV4(addr: ipaddr.IPv4): AddressClass {
  if (METADATA.has(addr.toString())) return "metadata";
  switch (addr.range()) {
    case "unicast":
      return "public";
    case "loopback":
      return "loopback";
    case "private":
    case "carrierGradeNat":
      return "private";
    default:
      // unspecified (0/8: Linux connects 0.0.0.0 to localhost), linkLocal, broadcast, multicast,
      // reserved/documentation/benchmarking, as112, amt.
      return "special";
  }
}

function classifyV6(addr: ipaddr.IPv6): AddressClass {
  if (METADATA.has(addr.toString())) return "metadata"; // toString() is the RFC 5952 compact form
  const range = addr.range();
  // Addresses that carry an IPv4 address are judged by it: ::ffff:127.0.0.1 reaches 127.0.0.1.
  if (range === "ipv4Mapped") return classifyV4(addr.toIPv4Address());
  if (addr.match(NAT64_WELL_KNOWN)) return classifyV4(embeddedV4(addr, 6));
  if (range === "6to4") return classifyV4(embeddedV4(addr, 1));
  switch (range) {
    case "loopback":
      return "loopback";
    case "uniqueLocal":
      return "private";
    case "unicast":
      // ipaddr calls unassigned space (e.g. deprecated IPv4-compatible ::7f00:1) "unicast" too;
      // only 2000::/3 is global unicast.
      return addr.match(GLOBAL_UNICAST_V6) ? "public" : "special";
    default:
      // unspecified, linkLocal, multicast, teredo (embedded client address is obfuscated; no feed
      // host lives there), rfc6145, local-use NAT64, documentation/reserved, orchid, discard, ...
      return "special";
  }
}

/** The IPv4 address held in two 16-bit parts starting at `part`. */
function embeddedV4(addr: ipaddr.IPv6, part: number): ipaddr.IPv4 {
  const hi = addr.parts[part]!;
  const lo = addr.parts[part + 1]!;
  return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
}

/** "10.1.2.3", "fd00::1" or "10.0.0.0/8": an entry allowedAddresses accepts (configuration checks it at start). */
export function isAddressOrCidr(entry: string): boolean {
  const [ip, bits, ...rest] = entry.split("/");
  if (rest.length > 0 || isIP(ip ?? "") === 0) return false;
  return bits === undefined || ipaddr.isValidCIDR(entry);
}

/** A predicate for one policy; allowedAddresses are parsed once here, so a bad entry throws early. */
export function addressFilter(policy: AddressPolicy = {}): (ip: string) => boolean {
  const allowed = (policy.allowedAddresses ?? []).map((entry) =>
    entry.includes("/") ? ipaddr.parseCIDR(entry) : ([ipaddr.parse(entry), ipaddr.parse(entry).kind() === "ipv4" ? 32 : 128] as const),
  );
  return (ip) => {
    const kind = classifyAddress(ip);
    if (kind === "public") return true;
    if (kind === "invalid" || kind === "metadata") return false;
    if (kind === "loopback" && policy.allowLoopback) return true;
    if (kind === "private" && policy.allowPrivate) return true;
    const addr = ipaddr.process(ip); // unwraps ::ffff:a.b.c.d so an IPv4 allow entry matches it
    return allowed.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits));
  };
}
