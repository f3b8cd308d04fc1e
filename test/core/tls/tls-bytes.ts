// Hand-built TLS bytes for unit tests (every byte explained by the helper that writes it), and a
// minimal StreamHost/StreamChunk pair for driving a TlsParser without a capture.

import { Packet } from '../../../src/core/dissect/packet';
import { TreeBuilder } from '../../../src/core/dissect/tree';
import type { Direction, SegmentSpan, StreamChunk, StreamHost } from '../../../src/core/flow/app-parser';

export function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const u8 = (v: number): number[] => [v & 0xff];
export const u16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];
export const u24 = (v: number): number[] => [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
export const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

/** TLSPlaintext: type, legacy_record_version, length, fragment (RFC 8446 §5.1). */
export function record(type: number, version: number, body: Uint8Array | number[]): Uint8Array {
  return concat([type], u16(version), u16(body.length), body);
}

/** Handshake: msg_type, uint24 length, body (RFC 8446 §4). */
export function handshake(type: number, body: Uint8Array | number[]): Uint8Array {
  return concat([type], u24(body.length), body);
}

/** Extension: type, uint16 length, data. */
export function extension(type: number, data: Uint8Array | number[]): Uint8Array {
  return concat(u16(type), u16(data.length), data);
}

/** A TLS 1.3-style ClientHello offering TLS 1.3/1.2 with SNI `example.com` and ALPN h2, http/1.1. */
export function clientHelloBody(opts: { sni?: string; sessionTicket?: number[]; extra?: Uint8Array[] } = {}): Uint8Array {
  const sni = opts.sni ?? 'example.com';
  const exts = [
    // server_name: list length, host_name(0), name length, name
    extension(0, concat(u16(sni.length + 3), [0], u16(sni.length), ascii(sni))),
    // supported_groups: x25519, secp256r1, GREASE
    extension(10, concat(u16(6), u16(0x001d), u16(0x0017), u16(0x0a0a))),
    // signature_algorithms: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256
    extension(13, concat(u16(4), u16(0x0403), u16(0x0804))),
    // ALPN: h2, http/1.1
    extension(16, concat(u16(12), [2], ascii('h2'), [8], ascii('http/1.1'))),
    // supported_versions: TLS 1.3, TLS 1.2
    extension(43, concat([4], u16(0x0304), u16(0x0303))),
    // psk_key_exchange_modes: psk_dhe_ke
    extension(45, [1, 1]),
    // key_share: x25519 with a 32-byte key
    extension(51, concat(u16(36), u16(0x001d), u16(32), new Array<number>(32).fill(0x42))),
    ...(opts.sessionTicket !== undefined ? [extension(35, opts.sessionTicket)] : []),
    ...(opts.extra ?? []),
  ];
  const extBytes = concat(...exts);
  return concat(
    u16(0x0303), // legacy_version TLS 1.2
    new Array<number>(32).fill(0x11), // random
    [32], new Array<number>(32).fill(0x22), // legacy_session_id
    u16(6), u16(0x1301), u16(0x1302), u16(0x00ff), // cipher_suites
    [1, 0], // compression: null
    u16(extBytes.length),
    extBytes,
  );
}

/** The whole ClientHello record as a client sends it first (record version 0x0301). */
export function clientHelloRecord(opts?: Parameters<typeof clientHelloBody>[0]): Uint8Array {
  return record(22, 0x0301, handshake(1, clientHelloBody(opts)));
}

export class TestHost implements StreamHost {
  readonly keepsSpans: boolean;
  readonly wantsTrees: boolean;
  constructor(wantsTrees = false, keepsSpans = false) {
    this.wantsTrees = wantsTrees;
    this.keepsSpans = keepsSpans;
  }
  spans(_dir: Direction, _start: number, _end: number): SegmentSpan[] {
    return [];
  }
}

/** A packet slot and chunk for bytes fed at `streamOffset`; with `tree` the packet gets a tree. */
export function chunkFor(row: number, streamOffset: number, frame: Uint8Array | null = null, frameOffset = -1): StreamChunk {
  const p = new Packet();
  const bytes = frame ?? new Uint8Array(0);
  p.reset(bytes, 0, bytes.length, bytes.length, 1);
  p.number = row + 1;
  if (frame !== null) p.tree = new TreeBuilder(frame);
  return { p, row, streamOffset, frameOffset };
}
