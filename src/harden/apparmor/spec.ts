import type { CapName } from '../../linux/capabilities.js';
import type { ProfilePath } from './profile-path.js';

/** A profile name: `docker-` prefixed, safe as a file name and in a rule. */
export type ProfileName = string & { readonly __profileName: unique symbol };

/** A peer profile in a ptrace or signal rule (`unconfined`, `docker-default`, `runc`…). */
export type PeerName = string & { readonly __peerName: unique symbol };

/** What `network inet P,` accepts (the AppArmor 3 parser's types and protocols). */
export const INET_PROTOCOLS = ['tcp', 'udp', 'icmp', 'stream', 'dgram', 'seqpacket', 'rdm', 'raw', 'packet'] as const;
export type InetProtocol = (typeof INET_PROTOCOLS)[number];
/** `network inet6 icmp,` is refused by the parser: ICMPv6 goes over inet6 raw or dgram. */
export const INET6_PROTOCOLS = INET_PROTOCOLS.filter((p) => p !== 'icmp');
export type Inet6Protocol = Exclude<InetProtocol, 'icmp'>;

/**
 * bane decides capabilities one way or the other: a deny list (everything
 * else allowed), an allow list (everything else denied), or neither (all denied).
 */
export type CapabilityRules =
  | { readonly kind: 'none' }
  | { readonly kind: 'allow'; readonly names: readonly CapName[] }
  | { readonly kind: 'deny'; readonly names: readonly CapName[] };

/**
 * Network: no protocols means `network,` (every family); a list limits IPv4
 * (and IPv6 where asked) to those protocols.
 */
export type NetworkRules =
  | { readonly kind: 'all'; readonly raw: boolean; readonly packet: boolean }
  | { readonly kind: 'inet'; readonly raw: boolean; readonly packet: boolean; readonly inet: readonly InetProtocol[]; readonly inet6: readonly Inet6Protocol[] };

/** A bane TOML file, checked: every value here is safe to splice into a profile. */
export interface ProfileSpec {
  readonly name: ProfileName;
  readonly readOnlyPaths: readonly ProfilePath[];
  readonly logOnWritePaths: readonly ProfilePath[];
  readonly writablePaths: readonly ProfilePath[];
  readonly allowExec: readonly ProfilePath[];
  readonly denyExec: readonly ProfilePath[];
  readonly capabilities: CapabilityRules;
  readonly network: NetworkRules;
  /** bulkhead's own: profiles whose processes this one's may trace and read (`ptrace (trace,read) peer=P,`). */
  readonly ptracePeers: readonly PeerName[];
  /** bulkhead's own: profiles whose signals this one's processes may receive (`signal (receive) peer=P,`). */
  readonly signalPeers: readonly PeerName[];
}
