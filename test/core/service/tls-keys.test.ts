import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeFile } from '../../../src/core/engine/analyze-file';
import { tlsOf } from '../../../src/core/engine/app-of';
import { EngineService } from '../../../src/core/service/engine-service';

const corpus = join(__dirname, '..', '..', '..', '..', 'shared', 'corpus', 'local');
let service: EngineService | null = null;
afterEach(async () => {
  for (const s of (await service?.listSessions({})) ?? []) await service!.closeSession({ session: s.session });
  service = null;
});

describe('the engine service with TLS keys', () => {
  it('adds a key log by its contents, analyses again, and every view decrypts; nothing secret comes back', async () => {
    service = new EngineService();
    const { session } = await service.openFile({ path: join(corpus, 'tls13.pcap') });
    await service.whenLoaded(session);
    expect((await service.tlsKeys({ session })).sources).toEqual([]);
    const text = readFileSync(join(corpus, 'tls13.keys'), 'utf8');
    const keys = await service.addTlsKeyText({ session, name: 'tls13.keys', text, binding: '' });
    await service.whenLoaded(session);
    const after = await service.tlsKeys({ session });
    expect(after).toMatchObject({ sessionsSeen: 1, sessionsMatched: 1, sources: [{ name: 'tls13.keys', kind: 'keylog', entries: 5, matchedSessions: 1 }] });
    // Key material never crosses the seam: no secret of the key log appears in any answer.
    const secrets = text.split('\n').filter(Boolean).map((l) => l.split(' ')[2]!);
    const answers = JSON.stringify([keys, after, await service.conversations({ session }), await service.tlsRecords({ session, conversation: 0 })]);
    for (const s of secrets) expect(answers).not.toContain(s);

    const conv = (await service.conversations({ session })).conversations[0]!;
    expect(conv).toMatchObject({ decryption: 'decrypted', httpFirstRequest: 'GET /', httpTransactions: 1 });
    const rows = await service.rows({ session, start: 10, count: 1 });
    expect(rows.rows[0]!.info).toBe('GET / HTTP/1.1 ');
    const follow = await service.followStream({ session, conversation: 0, mode: 'tls' });
    const text0 = Buffer.from(follow.chunks[0]!.base64, 'base64').toString('latin1');
    expect(follow.chunks[0]!.from).toBe('client');
    expect(text0.startsWith('GET / HTTP/1.1\r\n')).toBe(true);
    const raw = await service.followStream({ session, conversation: 0, mode: 'tcp' });
    expect(Buffer.from(raw.chunks[0]!.base64, 'base64')[0]).toBe(0x16); // the ClientHello record
    const filter = await service.setFilter({ session, filter: 'http.request.uri == "/"' });
    expect(filter).toMatchObject({ ok: true, displayed: 1 });
    await service.setFilter({ session, filter: '' });

    // Custom columns, sorting by one and Find in the details replay the conversation with the keys too.
    const custom = await service.rows({ session, start: 10, count: 1, columns: ['http.request.method', 'http.request.uri'] });
    expect(custom.rows[0]!.custom).toEqual(['GET', '/']);
    await service.setSort({ session, sort: { column: 'http.request.method', field: true, descending: true } });
    expect((await service.rows({ session, start: 0, count: 1 })).rows[0]!.number).toBe(11);
    await service.setSort({ session, sort: null });
    const found = await service.findPacket({ session, find: { by: 'string', text: 'Request Method: GET', in: 'details', caseSensitive: true, backward: false, from: -1 } });
    expect(found.packet).toBe(11);
  });

  it('"Save with embedded keys" writes a pcapng whose DSB decrypts it with no key file', async () => {
    service = new EngineService();
    const { session } = await service.openFile({ path: join(corpus, 'tls12-rsa.pcap') });
    await service.whenLoaded(session);
    await service.addTlsKeyText({ session, name: 'mixed.keys', text: readFileSync(join(corpus, 'tls12-rsa.keys'), 'utf8') + readFileSync(join(corpus, 'tls13.keys'), 'utf8'), binding: '' });
    await service.whenLoaded(session);
    const out = join(mkdtempSync(join(tmpdir(), 'wl-embed-')), 'with-keys.pcapng');
    await service.saveAs({ session, path: out, embedKeys: true });
    const { analyzer } = await analyzeFile(out);
    // Only the lines this capture uses: the RSA line and two CLIENT_RANDOM lines, not tls13's.
    expect(Buffer.from(analyzer.secrets[0]!.data).toString('utf8').trimEnd().split('\n')).toHaveLength(3);
    const tls = analyzer.flows.conversations.map((c) => tlsOf(c)!);
    expect(tls.map((t) => t.session.decryption?.status)).toEqual(['decrypted', 'decrypted']);
  });

  it('removing a key source analyses again without it', async () => {
    service = new EngineService();
    const { session } = await service.openFile({ path: join(corpus, 'tls13.pcap') });
    await service.whenLoaded(session);
    const k = await service.addTlsKeyText({ session, name: 'tls13.keys', text: readFileSync(join(corpus, 'tls13.keys'), 'utf8'), binding: '' });
    await service.whenLoaded(session);
    await service.removeTlsKey({ session, id: k.sources[0]!.id });
    await service.whenLoaded(session);
    expect((await service.conversations({ session })).conversations[0]!.decryption).toBeNull();
  });
});
