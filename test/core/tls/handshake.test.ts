// Handshake messages built by hand: each type the issue lists, the TLS 1.2 and 1.3 forms, and how
// the session summary reads resumption and key exchange from them.

import { describe, expect, it } from 'vitest';
import { Proto } from '../../../src/core/dissect/packet';
import { TreeBuilder, walkFields } from '../../../src/core/dissect/tree';
import { Emit } from '../../../src/core/tls/cursor';
import { HRR_RANDOM, parseHandshakeMessage, type HandshakeContext } from '../../../src/core/tls/handshake';
import { TlsParser } from '../../../src/core/tls/parser';
import type { TlsHandshakeMessage } from '../../../src/core/tls/model';
import { TestHost, ascii, chunkFor, clientHelloRecord, concat, extension, handshake, record, u16, u24 } from './tls-bytes';

const tls12: HandshakeContext = { version: 0x0303, suiteKx: 'ECDHE', suiteSigned: true };
const tls13: HandshakeContext = { version: 0x0304, suiteKx: 'TLS13', suiteSigned: true };

function parse(msg: Uint8Array, ctx: HandshakeContext, tree = false): { m: TlsHandshakeMessage; values: (name: string) => string[] } {
  const t = tree ? new TreeBuilder(msg) : null;
  if (t !== null) t.begin('tls', 'Transport Layer Security', 5, 0, msg.length);
  const m = parseHandshakeMessage(msg, 0, msg.length, { dir: 0, row: 0, streamOffset: 0 }, ctx, t === null ? null : new Emit(t, 0));
  return { m, values: (name) => (t === null ? [] : [...walkFields(t.layers)].filter((n) => n.name === name).map((n) => n.text)) };
}

function serverHello(opts: { suite: number; sessionId?: number[]; extensions?: Uint8Array[]; random?: number[] }): Uint8Array {
  const exts = concat(...(opts.extensions ?? []));
  const sid = opts.sessionId ?? [];
  return handshake(2, concat(u16(0x0303), opts.random ?? new Array<number>(32).fill(9), [sid.length], sid, u16(opts.suite), [0], u16(exts.length), exts));
}

describe('message parsers', () => {
  it('hello_request, server_hello_done and end_of_early_data have empty bodies', () => {
    expect(parse(handshake(0, []), tls12).m).toMatchObject({ kind: 'hello_request', title: 'Hello Request', malformed: null });
    expect(parse(handshake(14, []), tls12).m).toMatchObject({ kind: 'server_hello_done', malformed: null });
    expect(parse(handshake(5, []), tls13).m).toMatchObject({ kind: 'end_of_early_data', title: 'End of Early Data' });
  });

  it('key_update carries request_update (RFC 8446 §4.6.3)', () => {
    const { m, values } = parse(handshake(24, [1]), tls13, true);
    expect(m).toMatchObject({ kind: 'key_update', requestUpdate: 1, malformed: null });
    expect(values('tls.handshake.key_update.request_update')).toEqual(['1']);
  });

  it('new_session_ticket in its TLS 1.2 and TLS 1.3 forms', () => {
    const t12 = parse(handshake(4, concat([0, 0, 0x1c, 0x20], u16(4), [1, 2, 3, 4])), tls12).m;
    expect(t12).toMatchObject({ kind: 'new_session_ticket', tls13: false, lifetime: 7200, ticketLength: 4, malformed: null });
    // lifetime, age_add, nonce<1>, ticket<2>, extensions with early_data(max_early_data_size)
    const ext = extension(42, [0, 0, 0x40, 0]);
    const body = concat([0, 0, 0x1c, 0x20], [1, 2, 3, 4], [1, 0], u16(3), [7, 7, 7], u16(ext.length), ext);
    const t13 = parse(handshake(4, body), tls13).m;
    expect(t13).toMatchObject({ kind: 'new_session_ticket', tls13: true, ageAdd: 0x01020304, ticketLength: 3, maxEarlyDataSize: 16384, malformed: null });
  });

  it('certificate in the TLS 1.3 form: request context and per-entry extensions', () => {
    const entry = concat(u24(3), [0x30, 0x01, 0x00], u16(0));
    const body = concat([0], u24(entry.length), entry);
    const m = parse(handshake(11, body), tls13).m;
    expect(m).toMatchObject({ kind: 'certificate', tls13: true, context: '', malformed: null });
    if (m.kind !== 'certificate') throw new Error('not a certificate');
    expect(m.chain).toHaveLength(1);
    expect(m.chain[0]!.parseError).not.toBeNull(); // 3 bytes are no certificate, and that is said, not thrown
  });

  it('certificate_request in the TLS 1.3 form reads signature_algorithms from its extensions', () => {
    const sa = extension(13, concat(u16(4), u16(0x0804), u16(0x0403)));
    const m = parse(handshake(13, concat([0], u16(sa.length), sa)), tls13).m;
    expect(m).toMatchObject({ kind: 'certificate_request', tls13: true, sigAlgs: [0x0804, 0x0403], malformed: null });
  });

  it('server_key_exchange for RSA export: a temporary RSA key, signed', () => {
    const rsaExport: HandshakeContext = { version: 0x0301, suiteKx: 'RSA', suiteSigned: true };
    const body = concat(u16(64), new Array<number>(64).fill(0xc1), u16(3), [1, 0, 1], u16(64), new Array<number>(64).fill(0x5a));
    expect(parse(handshake(12, body), rsaExport).m).toMatchObject({ kind: 'server_key_exchange', exchange: 'rsa-export', publicKeyLength: 64, sigAlg: null, signatureLength: 64, malformed: null });
  });

  it('client_key_exchange: RSA encrypted premaster secret versus an (EC)DH public value', () => {
    const rsa: HandshakeContext = { version: 0x0303, suiteKx: 'RSA', suiteSigned: true };
    expect(parse(handshake(16, concat(u16(128), new Array<number>(128).fill(1))), rsa).m).toMatchObject({ exchange: 'rsa', publicLength: 128 });
    expect(parse(handshake(16, concat([32], new Array<number>(32).fill(1))), tls12).m).toMatchObject({ exchange: 'ecdh', publicLength: 32 });
    const dhe: HandshakeContext = { version: 0x0303, suiteKx: 'DHE', suiteSigned: true };
    expect(parse(handshake(16, concat(u16(256), new Array<number>(256).fill(1))), dhe).m).toMatchObject({ exchange: 'dh', publicLength: 256 });
    // SSL 3.0 sends the encrypted premaster secret without a length.
    const ssl3: HandshakeContext = { version: 0x0300, suiteKx: 'RSA', suiteSigned: true };
    expect(parse(handshake(16, new Array<number>(128).fill(1)), ssl3).m).toMatchObject({ exchange: 'rsa', publicLength: 128, malformed: null });
  });

  it('certificate_verify, finished, encrypted_extensions and certificate_status', () => {
    expect(parse(handshake(15, concat(u16(0x0804), u16(4), [1, 2, 3, 4])), tls12).m).toMatchObject({ kind: 'certificate_verify', sigAlg: 0x0804, signatureLength: 4 });
    expect(parse(handshake(20, new Array<number>(12).fill(3)), tls12).m).toMatchObject({ kind: 'finished', verifyDataLength: 12 });
    const alpn = extension(16, concat(u16(3), [2], ascii('h2')));
    expect(parse(handshake(8, concat(u16(alpn.length), alpn)), tls13).m).toMatchObject({ kind: 'encrypted_extensions', alpn: 'h2', malformed: null });
    expect(parse(handshake(22, concat([1], u24(5), [0x30, 3, 1, 1, 0])), tls12).m).toMatchObject({ kind: 'certificate_status', statusType: 1, responseLength: 5, malformed: null });
  });

  it('a HelloRetryRequest is a ServerHello with the special random, asking for a group', () => {
    const random = Array.from(Buffer.from(HRR_RANDOM, 'hex'));
    const msg = serverHello({ suite: 0x1301, random, extensions: [extension(43, u16(0x0304)), extension(51, u16(0x0017))] });
    const { m, values } = parse(msg, tls12, true);
    expect(m).toMatchObject({ kind: 'server_hello', isHelloRetryRequest: true, title: 'Hello Retry Request', version: 0x0304, selectedGroup: 0x0017 });
    expect(values('tls.handshake.type')).toEqual(['2']);
    expect(values('tls.handshake.extensions_key_share_selected_group')).toEqual(['23']);
  });

  it('a length beyond the message is reported, not thrown', () => {
    const m = parse(concat([1], u24(500), [3, 3]), tls12).m;
    expect(m.malformed).toMatch(/needs 32 bytes|exceeds/);
  });

  it('prints fields as tshark -T fields does', () => {
    const hello = clientHelloRecord();
    const msg = hello.subarray(5);
    const { values } = parse(msg, tls12, true);
    expect(values('tls.handshake.ciphersuite')).toEqual(['0x1301', '0x1302', '0x00ff']);
    expect(values('tls.handshake.version')).toEqual(['0x0303']);
    expect(values('tls.handshake.extensions.supported_version')).toEqual(['0x0304', '0x0303']);
    expect(values('tls.handshake.extensions_server_name')).toEqual(['example.com']);
    expect(values('tls.handshake.extensions_alpn_str')).toEqual(['h2', 'http/1.1']);
    expect(values('tls.handshake.extensions_supported_group')).toEqual(['0x001d', '0x0017', '0x0a0a']);
    expect(values('tls.handshake.extension.type')).toEqual(['0', '10', '13', '16', '43', '45', '51']);
    expect(values('tls.handshake.sig_hash_alg')).toEqual(['0x0403', '0x0804']);
    expect(values('tls.handshake.random')).toEqual(['11'.repeat(32)]);
  });
});

describe('the session summary', () => {
  function run(flights: [0 | 1, Uint8Array][]): TlsParser {
    const p = new TlsParser(new TestHost());
    let row = 0;
    for (const [dir, bytes] of flights) p.data(dir, bytes, 0, bytes.length, chunkFor(row++, 0));
    return p;
  }

  it('TLS 1.2 resumption by session ticket: a ticket offered, then an abbreviated handshake', () => {
    // legacy_version, random, no session id, one suite, null compression, a 64-byte ticket.
    const ticket = extension(35, new Array<number>(64).fill(0xee));
    const hello = record(22, 0x0301, handshake(1, concat(u16(0x0303), new Array<number>(32).fill(1), [0], u16(2), u16(0xc02f), [1, 0], u16(ticket.length), ticket)));
    const sh = record(22, 0x0303, serverHello({ suite: 0xc02f, sessionId: new Array<number>(32).fill(4), extensions: [extension(35, [])] }));
    const p = run([[0, hello], [1, concat(sh, record(20, 0x0303, [1]))]]);
    expect(p.session.resumptionOffered).toEqual({ sessionId: false, ticket: true, psk: false });
    expect(p.session.resumed).toBe('ticket');
    expect(p.session.keyExchange).toBe('ECDHE');
  });

  it('TLS 1.3 resumption with a PSK, with and without (EC)DHE', () => {
    const psk = extension(41, u16(0));
    const sv = extension(43, u16(0x0304));
    const withShare = serverHello({ suite: 0x1301, extensions: [sv, psk, extension(51, concat(u16(0x001d), u16(32), new Array<number>(32).fill(2)))] });
    const a = run([[0, clientHelloRecord()], [1, record(22, 0x0303, withShare)]]);
    expect(a.session).toMatchObject({ resumed: 'psk', keyExchange: 'PSK+ECDHE', forwardSecrecy: true, versionName: 'TLS 1.3' });
    const b = run([[0, clientHelloRecord()], [1, record(22, 0x0303, serverHello({ suite: 0x1301, extensions: [sv, psk] }))]]);
    expect(b.session).toMatchObject({ resumed: 'psk', keyExchange: 'PSK', forwardSecrecy: false });
    const ffdhe = serverHello({ suite: 0x1301, extensions: [sv, extension(51, concat(u16(0x0100), u16(4), [1, 2, 3, 4]))] });
    expect(run([[0, clientHelloRecord()], [1, record(22, 0x0303, ffdhe)]]).session).toMatchObject({ keyExchange: 'DHE', groupName: 'ffdhe2048' });
  });

  it('alerts: names and levels in the clear, nothing but "Encrypted Alert" otherwise', () => {
    const c = chunkFor(0, 0);
    const p = new TlsParser(new TestHost());
    const both = concat(record(21, 0x0303, [1, 0]), record(21, 0x0303, new Array<number>(26).fill(8)));
    p.data(1, both, 0, both.length, c);
    expect(p.session.alerts.map((a) => [a.title, a.level, a.name, a.encrypted])).toEqual([
      ['Alert (Level: Warning, Description: Close Notify)', 1, 'close_notify', false],
      ['Encrypted Alert', null, null, true],
    ]);
    expect(c.p.appInfo).toBe('Alert (Level: Warning, Description: Close Notify), Encrypted Alert');
  });

  it('the Protocol column follows the record version until the session version is known', () => {
    const c1 = chunkFor(0, 0);
    const p = new TlsParser(new TestHost());
    const hello = clientHelloRecord();
    p.data(0, hello, 0, hello.length, c1);
    expect(c1.p.top).toBe(Proto.Tls10); // the ClientHello record says 0x0301
    const c2 = chunkFor(1, 0);
    const sh = record(22, 0x0303, serverHello({ suite: 0x1301, extensions: [extension(43, u16(0x0304))] }));
    p.data(1, sh, 0, sh.length, c2);
    expect(c2.p.top).toBe(Proto.Tls13); // through supported_versions
  });

  it('on the fast path (no tree) the Info column still names the message', () => {
    const c = chunkFor(0, 0);
    const p = new TlsParser(new TestHost());
    const b = record(22, 0x0303, handshake(0, []));
    p.data(1, b, 0, b.length, c);
    expect(c.p.tree).toBeNull();
    expect(c.p.appInfo).toBe('Hello Request');
  });
});
