// Regenerates the edited captures of test/fixtures/diagnosis (issue 16: broken handshakes, port
// reuse, a lost segment) from corpus captures and the real loopback captures committed beside them,
// and, when tshark is installed, its one-line, field and expert outputs for every capture there.
// Usage: node scripts/make-diagnosis-fixtures.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = join(root, '..', 'shared', 'corpus');
const outDir = join(root, 'test', 'fixtures', 'diagnosis');

// ---- classic pcap (little-endian, microseconds), Ethernet or Linux cooked ---------------------------

/** The records of a classic pcap file: header bytes and each record's header and frame. */
function readPcap(path) {
  const b = new Uint8Array(readFileSync(path));
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (v.getUint32(0, true) !== 0xa1b2c3d4) throw new Error(`${path}: not a little-endian microsecond pcap`);
  const records = [];
  for (let off = 24; off + 16 <= b.length; ) {
    const caplen = v.getUint32(off + 8, true);
    records.push({ header: b.slice(off, off + 16), frame: b.slice(off + 16, off + 16 + caplen) });
    off += 16 + caplen;
  }
  return { header: b.slice(0, 24), linkType: v.getUint32(20, true), records };
}

function writePcap(path, file, records) {
  const size = 24 + records.reduce((n, r) => n + 16 + r.frame.length, 0);
  const out = new Uint8Array(size);
  out.set(file.header, 0);
  let off = 24;
  for (const r of records) {
    out.set(r.header, off);
    const v = new DataView(out.buffer, off, 16);
    v.setUint32(8, r.frame.length, true);
    v.setUint32(12, r.frame.length, true);
    out.set(r.frame, off + 16);
    off += 16 + r.frame.length;
  }
  writeFileSync(path, out);
}

/** Offsets of the IPv4 and TCP headers and of the payload in an Ethernet frame. */
function tcpOffsets(frame) {
  const ip = 14;
  const tcp = ip + (frame[ip] & 0x0f) * 4;
  return { ip, tcp, payload: tcp + (frame[tcp + 12] >> 4) * 4 };
}

function u16(frame, at, value) {
  frame[at] = value >> 8;
  frame[at + 1] = value & 0xff;
}

function u24(frame, at, value) {
  frame[at] = value >> 16;
  frame[at + 1] = (value >> 8) & 0xff;
  frame[at + 2] = value & 0xff;
}

function expect(frame, at, hex, what) {
  const have = Buffer.from(frame.subarray(at, at + hex.length / 2)).toString('hex');
  if (have !== hex) throw new Error(`${what}: expected ${hex} at ${at}, found ${have}`);
}

// ---- the edits ----------------------------------------------------------------------------------------

// tls12-rsa.pcap, first connection (frames 1–17): a TLS 1.2 full handshake with RSA key transport.
const rsa = readPcap(join(corpus, 'local', 'tls12-rsa.pcap'));
const firstConnection = () => rsa.records.slice(0, 17).map((r) => ({ header: r.header.slice(), frame: r.frame.slice() }));

{
  // Frame 8 carries ClientKeyExchange (267 bytes), ChangeCipherSpec (6) and Finished (45): the CCS
  // record header 14 03 03 00 01 becomes 14 ff ff ff 01 (no TLS version, a length of 65,281).
  const records = firstConnection();
  const f = records[7].frame;
  const { payload } = tcpOffsets(f);
  const ccs = payload + 5 + 262;
  expect(f, ccs, '140303000101', 'client ChangeCipherSpec');
  f.set([0x14, 0xff, 0xff, 0xff, 0x01], ccs);
  writePcap(join(outDir, 'tls12-ccs-corrupt.pcap'), rsa, records);
}

{
  // Frame 6 carries ServerHello, Certificate (811-byte message, 808 bytes of certificates) and
  // ServerHelloDone, one record each. The Certificate record and message grow by the 9 bytes of the
  // ServerHelloDone record (which so disappears), and the certificates claim 3,820 bytes.
  const records = firstConnection();
  const f = records[5].frame;
  const { payload } = tcpOffsets(f);
  const cert = payload + 5 + 85;
  expect(f, cert, '160303032f0b00032b000328', 'server Certificate record');
  expect(f, cert + 5 + 815, '16030300040e000000', 'server ServerHelloDone record');
  u16(f, cert + 3, 815 + 9);
  u24(f, cert + 6, 811 + 9);
  u24(f, cert + 9, 3820);
  writePcap(join(outDir, 'tls12-cert-malformed.pcap'), rsa, records);
}

{
  // After the handshake the client's first application data record (frame 10, 102 bytes) and the
  // server's answer (frame 11, 2,070 bytes) become heartbeat records of the same sizes: an encrypted
  // heartbeat request answered by a response twenty times larger, the shape of Heartbleed
  // (CVE-2014-0160) after the handshake, where tshark shows both as "Encrypted Heartbeat".
  const records = firstConnection();
  for (const [i, len] of [
    [9, 102],
    [10, 2070],
  ]) {
    const f = records[i].frame;
    const { payload } = tcpOffsets(f);
    expect(f, payload, `170303${len.toString(16).padStart(4, '0')}`, `application data record of frame ${i + 1}`);
    f[payload] = 0x18;
  }
  writePcap(join(outDir, 'tls12-heartbeat-mismatch.pcap'), rsa, records);
}

{
  // port-reuse.pcap (a real loopback capture): a SYN refused with RST, then the same client port
  // connects again with a new ISN. Here the second SYN reuses the first ISN (a client retrying with
  // the same sequence number): every client sequence number and server acknowledgment of the second
  // connection moves by the difference.
  const reuse = readPcap(join(outDir, 'port-reuse.pcap'));
  const records = reuse.records.map((r) => ({ header: r.header.slice(), frame: r.frame.slice() }));
  const seqOf = (f) => new DataView(f.buffer, f.byteOffset).getUint32(tcpOffsets(f).tcp + 4);
  const delta = (seqOf(records[0].frame) - seqOf(records[2].frame)) >>> 0;
  const clientPort = (records[0].frame[tcpOffsets(records[0].frame).tcp] << 8) | records[0].frame[tcpOffsets(records[0].frame).tcp + 1];
  for (const r of records.slice(2)) {
    const f = r.frame;
    const { tcp } = tcpOffsets(f);
    const v = new DataView(f.buffer, f.byteOffset);
    const fromClient = ((f[tcp] << 8) | f[tcp + 1]) === clientPort;
    const at = fromClient ? tcp + 4 : tcp + 8;
    v.setUint32(at, (v.getUint32(at) + delta) >>> 0);
  }
  writePcap(join(outDir, 'port-reuse-same-isn.pcap'), reuse, records);
}

{
  // http-keepalive-6-gets.pcap (a real loopback capture): six GETs of a 31,052-byte file on one
  // connection. Frame 18 — 22,976 bytes of the second response's body — is removed: a lost segment.
  const ka = readPcap(join(outDir, 'http-keepalive-6-gets.pcap'));
  const records = ka.records.filter((_, i) => i !== 17);
  if (ka.records[17].frame.length !== 23042) throw new Error('http-keepalive-6-gets.pcap: frame 18 is not the 22,976-byte segment');
  writePcap(join(outDir, 'http-lost-segment.pcap'), ka, records);
}

// ---- tshark's view of every capture here ------------------------------------------------------------------

let tshark = true;
try {
  execFileSync('tshark', ['-v'], { stdio: 'ignore' });
} catch {
  tshark = false;
}
if (tshark) {
  const run = (args) => execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  for (const name of readdirSync(outDir).filter((n) => n.endsWith('.pcap')).sort()) {
    const file = join(outDir, name);
    const base = name.replace(/\.pcap$/, '');
    writeFileSync(join(outDir, `${base}.tshark.txt`), run(['-r', file, '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.stream', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info']));
    writeFileSync(
      join(outDir, `${base}.expert.txt`),
      run(['-r', file, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|', '-e', 'frame.number', '-e', '_ws.expert.severity', '-e', '_ws.expert.group', '-e', '_ws.expert.message']),
    );
  }
}
console.log(`wrote the diagnosis fixtures${tshark ? ' and their tshark outputs' : ' (tshark not found: its outputs are unchanged)'}`);
