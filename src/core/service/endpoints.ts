// Statistics › Endpoints: per IPv4 and IPv6 address, and per TCP and UDP address and port, the
// packets and bytes it sent and received — over every packet, or the displayed ones only.

import { IpProto } from '../dissect/ip-protocols';
import { Proto } from '../dissect/packet';
import { AddressKind } from '../io/address-table';
import type { CaptureSession } from './session';
import type { EndpointRowDto, EndpointsDto } from './dto';

const TCP_FAMILY = new Set<number>([Proto.Tcp, Proto.Tls, Proto.Http, Proto.Tls10, Proto.Tls11, Proto.Tls12, Proto.Tls13, Proto.Ssl3, Proto.Ssl2]);
const UDP_FAMILY = new Set<number>([Proto.Udp, Proto.Vxlan]);

interface Tally {
  address: number;
  port: number | null;
  tx: [number, number];
  rx: [number, number];
}

export function endpoints(s: CaptureSession, limitToDisplay: boolean): EndpointsDto {
  const a = s.analyzer;
  const index = a.index;
  const rows = limitToDisplay ? s.displayed : null;
  const n = rows === null ? s.rowCount : rows.length;
  const hosts = new Map<number, Tally>();
  const ports = [new Map<number, Tally>(), new Map<number, Tally>()];
  const store = a.flows.store;
  const tally = (map: Map<number, Tally>, key: number, address: number, port: number | null, sent: boolean, len: number): void => {
    let t = map.get(key);
    if (t === undefined) {
      t = { address, port, tx: [0, 0], rx: [0, 0] };
      map.set(key, t);
    }
    const side = sent ? t.tx : t.rx;
    side[0]++;
    side[1] += len;
  };
  for (let k = 0; k < n; k++) {
    const row = rows === null ? k : rows[k]!;
    const src = index.src(row);
    const dst = index.dst(row);
    const kind = a.addresses.kind(src);
    if (kind !== AddressKind.Ipv4 && kind !== AddressKind.Ipv6) continue;
    const len = index.wirelen(row);
    tally(hosts, src, src, null, true, len);
    tally(hosts, dst, dst, null, false, len);
    const proto = index.proto(row);
    const id = index.stream(row);
    const convProto = id >= 0 && id < store.count ? store.proto(id) : -1;
    const l4 = TCP_FAMILY.has(proto) || convProto === IpProto.Tcp ? 0 : UDP_FAMILY.has(proto) || convProto === IpProto.Udp ? 1 : -1;
    if (l4 < 0) continue;
    const sp = index.srcPort(row);
    const dp = index.dstPort(row);
    // Address id and port in one key (ids stay far below 2^31 / 65,536).
    tally(ports[l4]!, src * 65536 + sp, src, sp, true, len);
    tally(ports[l4]!, dst * 65536 + dp, dst, dp, false, len);
  }
  const dto = (t: Tally): EndpointRowDto => ({
    address: a.addresses.text(t.address),
    port: t.port,
    packets: t.tx[0] + t.rx[0],
    bytes: t.tx[1] + t.rx[1],
    txPackets: t.tx[0],
    txBytes: t.tx[1],
    rxPackets: t.rx[0],
    rxBytes: t.rx[1],
  });
  const byBytes = (x: EndpointRowDto, y: EndpointRowDto): number => y.bytes - x.bytes || x.address.localeCompare(y.address) || (x.port ?? 0) - (y.port ?? 0);
  const hostRows = [...hosts.values()];
  return {
    ipv4: hostRows.filter((t) => a.addresses.kind(t.address) === AddressKind.Ipv4).map(dto).sort(byBytes),
    ipv6: hostRows.filter((t) => a.addresses.kind(t.address) === AddressKind.Ipv6).map(dto).sort(byBytes),
    tcp: [...ports[0]!.values()].map(dto).sort(byBytes),
    udp: [...ports[1]!.values()].map(dto).sort(byBytes),
  };
}
