import { describe, expect, it } from 'vitest';
import { HpackDecoder, Repr, type HeaderSink } from '../../../src/core/http2/hpack';
import { EOS, huffmanCodes, huffmanDecode, huffmanOutput } from '../../../src/core/http2/huffman';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

interface Decoded {
  fields: Array<[string | null, string | null]>;
  reprs: number[];
  updates: number[];
}

function decode(d: HpackDecoder, block: Uint8Array, fragments: number[] = [block.length]): Decoded {
  const out: Decoded = { fields: [], reprs: [], updates: [] };
  const sink: HeaderSink = {
    field: (name, value, repr) => {
      out.fields.push([name, value]);
      out.reprs.push(repr);
    },
    sizeUpdate: (size) => out.updates.push(size),
  };
  d.beginBlock();
  let at = 0;
  fragments.forEach((n, i) => {
    d.fragment(block, at, n, i === fragments.length - 1, sink);
    at += n;
  });
  return out;
}

function table(d: HpackDecoder): Array<[string, string, number]> {
  const out: Array<[string, string, number]> = [];
  for (let i = 0; i < d.entries; i++) {
    const [n, v] = d.entry(i)!;
    out.push([n, v, n.length + v.length + 32]);
  }
  return out;
}

// RFC 7541 Appendix C: each example's header block, the header list it decodes to, and the
// dynamic table after it (newest first, with entry sizes).
const GET = [':method', 'GET'];
const HTTP = [':scheme', 'http'];
const HTTPS = [':scheme', 'https'];
const ROOT = [':path', '/'];
const AUTHORITY = [':authority', 'www.example.com'];
const requestsPlain = [
  { id: 'C.3.1', block: '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d', fields: [GET, HTTP, ROOT, AUTHORITY], table: [[':authority', 'www.example.com', 57]], size: 57 },
  { id: 'C.3.2', block: '8286 84be 5808 6e6f 2d63 6163 6865', fields: [GET, HTTP, ROOT, AUTHORITY, ['cache-control', 'no-cache']], table: [['cache-control', 'no-cache', 53], [':authority', 'www.example.com', 57]], size: 110 },
  {
    id: 'C.3.3',
    block: '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65',
    fields: [GET, HTTPS, [':path', '/index.html'], AUTHORITY, ['custom-key', 'custom-value']],
    table: [['custom-key', 'custom-value', 54], ['cache-control', 'no-cache', 53], [':authority', 'www.example.com', 57]],
    size: 164,
  },
];
const requestsHuffman = [
  { ...requestsPlain[0]!, id: 'C.4.1', block: '8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff' },
  { ...requestsPlain[1]!, id: 'C.4.2', block: '8286 84be 5886 a8eb 1064 9cbf' },
  { ...requestsPlain[2]!, id: 'C.4.3', block: '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf' },
];
const DATE1 = ['date', 'Mon, 21 Oct 2013 20:13:21 GMT'];
const LOCATION = ['location', 'https://www.example.com'];
const PRIVATE = ['cache-control', 'private'];
const COOKIE = ['set-cookie', 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1'];
const responsesPlain = [
  {
    id: 'C.5.1',
    block: '4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d',
    fields: [[':status', '302'], PRIVATE, DATE1, LOCATION],
    table: [[...LOCATION, 63], [...DATE1, 65], [...PRIVATE, 52], [':status', '302', 42]],
    size: 222,
  },
  {
    id: 'C.5.2',
    block: '4803 3330 37c1 c0bf',
    fields: [[':status', '307'], PRIVATE, DATE1, LOCATION],
    table: [[':status', '307', 42], [...LOCATION, 63], [...DATE1, 65], [...PRIVATE, 52]],
    size: 222,
  },
  {
    id: 'C.5.3',
    block:
      '88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31',
    fields: [[':status', '200'], PRIVATE, ['date', 'Mon, 21 Oct 2013 20:13:22 GMT'], LOCATION, ['content-encoding', 'gzip'], COOKIE],
    table: [[...COOKIE, 98], ['content-encoding', 'gzip', 52], ['date', 'Mon, 21 Oct 2013 20:13:22 GMT', 65]],
    size: 215,
  },
];
const responsesHuffman = [
  { ...responsesPlain[0]!, id: 'C.6.1', block: '4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3' },
  { ...responsesPlain[1]!, id: 'C.6.2', block: '4883 640e ffc1 c0bf' },
  {
    ...responsesPlain[2]!,
    id: 'C.6.3',
    block: '88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07',
  },
];

describe('HPACK decoding agrees with RFC 7541 Appendix C', () => {
  it('C.2.1–C.2.4: one field of each representation', () => {
    const d = new HpackDecoder();
    expect(decode(d, hex('400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572')).fields).toEqual([['custom-key', 'custom-header']]);
    expect(table(d)).toEqual([['custom-key', 'custom-header', 55]]);
    const plain = new HpackDecoder();
    const r = decode(plain, hex('040c 2f73 616d 706c 652f 7061 7468'));
    expect(r.fields).toEqual([[':path', '/sample/path']]);
    expect(r.reprs).toEqual([Repr.WithoutIndexingIndexedName]);
    const never = decode(plain, hex('1008 7061 7373 776f 7264 0673 6563 7265 74'));
    expect(never.fields).toEqual([['password', 'secret']]);
    expect(never.reprs).toEqual([Repr.NeverIndexedNewName]);
    expect(decode(plain, hex('82')).fields).toEqual([[':method', 'GET']]);
    expect(plain.entries).toBe(0);
  });

  for (const [title, examples, maxSize] of [
    ['C.3 requests without Huffman coding', requestsPlain, 4096],
    ['C.4 requests with Huffman coding', requestsHuffman, 4096],
    ['C.5 responses without Huffman coding (table size 256)', responsesPlain, 256],
    ['C.6 responses with Huffman coding (table size 256)', responsesHuffman, 256],
  ] as const) {
    it(title, () => {
      const d = new HpackDecoder();
      d.maxSize = maxSize;
      for (const ex of examples) {
        const r = decode(d, hex(ex.block));
        expect(d.outcome.error, ex.id).toBeNull();
        expect(r.fields, ex.id).toEqual(ex.fields);
        expect(table(d), ex.id).toEqual(ex.table);
        expect(d.size, ex.id).toBe(ex.size);
      }
    });
  }

  it('decodes a block split into CONTINUATION fragments at every byte boundary', () => {
    const block = hex(requestsHuffman[0]!.block);
    for (let cut = 1; cut < block.length; cut++) {
      const r = decode(new HpackDecoder(), block, [cut, block.length - cut]);
      expect(r.fields, `cut at ${cut}`).toEqual(requestsHuffman[0]!.fields);
    }
  });
});

describe('HPACK decoding errors', () => {
  it('Huffman padding longer than 7 bits, or not all ones, or EOS, is invalid (RFC 7541 §5.2)', () => {
    // 'a' is 00011 (5 bits): padded with 111 it is one byte; a whole 0xff byte more is 11 bits of padding.
    const a = hex('1f');
    expect(huffmanDecode(a, 0, 1)).toBe(1);
    expect(huffmanOutput()[0]).toBe(0x61);
    expect(huffmanDecode(hex('1fff'), 0, 2)).toBe(-1);
    expect(huffmanDecode(hex('18'), 0, 1)).toBe(-1); // padding 000
    expect(huffmanDecode(hex('ffffffff'), 0, 4)).toBe(-1); // EOS (30 ones)
  });

  it('the code table has the lengths and codes RFC 7541 Appendix B lists', () => {
    const { codes, lengths } = huffmanCodes();
    expect([codes[0x20], lengths[0x20]]).toEqual([0x14, 6]); // ' '
    expect([codes[0x30], lengths[0x30]]).toEqual([0x0, 5]); // '0'
    expect([codes[0x61], lengths[0x61]]).toEqual([0x3, 5]); // 'a'
    expect([codes[0x7e], lengths[0x7e]]).toEqual([0x1ffd, 13]); // '~'
    expect([codes[0xff], lengths[0xff]]).toEqual([0x3ffffee, 26]);
    expect([codes[EOS], lengths[EOS]]).toEqual([0x3fffffff, 30]);
  });

  it('index 0 and an index past the dynamic table stop the block with a reason', () => {
    const d = new HpackDecoder();
    decode(d, hex('82 80 84'));
    expect(d.outcome.error).toMatch(/index 0/);
    expect(d.outcome.errorAt).toBe(1);
    expect(d.outcome.stopped).toBe(true);
    const e = new HpackDecoder();
    const r = decode(e, hex('82 be 84'));
    expect(r.fields).toEqual([[':method', 'GET']]);
    expect(e.outcome.error).toMatch(/index 62 is past the end of the dynamic table \(0 entries\)/);
  });

  it('a dynamic table size update above SETTINGS_HEADER_TABLE_SIZE, or after a field, is an error', () => {
    const d = new HpackDecoder();
    decode(d, hex('3fe21f')); // size update to 4097 (31 + 98 + 31 × 128)
    expect(d.outcome.error).toMatch(/exceeds SETTINGS_HEADER_TABLE_SIZE 4096/);
    const e = new HpackDecoder();
    e.allowTableSize(8192);
    const ok = decode(e, hex('3fe13f 82'));
    expect(ok.updates).toEqual([8192]);
    expect(e.outcome.error).toBeNull();
    decode(e, hex('82 3fe101'));
    expect(e.outcome.error).toMatch(/after a header field/);
  });

  it('a block that ends inside a representation is reported at END_HEADERS', () => {
    const d = new HpackDecoder();
    decode(d, hex('82 41 0f 77 77'));
    expect(d.outcome.error).toMatch(/ends inside a field representation/);
    expect(d.outcome.errorAt).toBe(1);
  });
});

describe('HPACK after a capture that started mid-connection', () => {
  it('references to entries added before the capture are unknown; the table heals as entries arrive', () => {
    const d = new HpackDecoder();
    d.startedMidConnection();
    // :method GET, then dynamic entry 62 (unknown), then :path / — decoding goes on past it.
    const first = decode(d, hex('82 be 84'));
    expect(first.fields).toEqual([[':method', 'GET'], [null, null], [':path', '/']]);
    expect(d.outcome.error).toMatch(/index 62 is dynamic table entry 1, added before the capture began/);
    expect(d.outcome.stopped).toBe(false);
    // A new entry is known: it is index 62 from now on.
    decode(d, hex('400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572'));
    expect(decode(d, hex('be')).fields).toEqual([['custom-key', 'custom-header']]);
    expect(d.outcome.error).toBeNull();
    // Index 63 is older than anything seen.
    decode(d, hex('bf'));
    expect(d.outcome.error).toMatch(/entry 2, added before the capture began/);
    // Once the known entries fill the table, nothing older can remain: 63 is past the end.
    d.maxSize = 120;
    decode(d, hex('400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572'));
    expect(d.unknownOlder).toBe(false);
    decode(d, hex('c0'));
    expect(d.outcome.error).toMatch(/past the end of the dynamic table \(2 entries\)/);
  });

  it('a literal with incremental indexing whose name is unknown stops the block and forgets the table', () => {
    const d = new HpackDecoder();
    d.startedMidConnection();
    decode(d, hex('400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572'));
    expect(d.entries).toBe(1);
    const r = decode(d, hex('82 7f00 0161 84'));
    expect(r.fields).toEqual([[':method', 'GET']]);
    expect(d.outcome.stopped).toBe(true);
    expect(d.entries).toBe(0);
    expect(d.unknownOlder).toBe(true);
  });
});
