// The ladder of an HTTP/2 connection: preface and SETTINGS with their ACKs, one step per
// request/response per stream, control frames only when asked, explanations in both languages.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ladderFromFile } from '../../../src/core/ladder/build';
import { placeholders } from '../../../src/core/ladder/explain';
import { http2En } from '../../../src/core/ladder/texts/http2-en';
import { http2ZhCN } from '../../../src/core/ladder/texts/http2-zh-CN';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'http2');
const h2c = join(fixtures, 'h2c-prior-knowledge.pcapng');

describe('HTTP/2 ladder (h2c, prior knowledge)', () => {
  it('draws the preface and SETTINGS exchange, then one step per request and response', async () => {
    const m = await ladderFromFile(h2c, 0);
    const labels = m.steps.map((s) => s.label);
    expect(labels.slice(3, 10)).toEqual([
      'Connection preface, SETTINGS, HEADERS stream 1: GET /, HEADERS stream 3: GET /style.css',
      'SETTINGS',
      'SETTINGS ACK',
      'SETTINGS ACK',
      'HEADERS stream 1: 200 text/html, HEADERS stream 3: 200 text/css, DATA stream 1 (part, 1.3 KB)',
      'DATA stream 1: text/html 2.1 KB (end), DATA stream 3: text/css 288 B (end)',
      'HEADERS+DATA stream 5: POST /api/login 33 B',
    ]);
    expect(labels).toContain('HEADERS+DATA stream 13: 200 text/plain 79 B');
    expect(labels).toContain('DATA stream 7 ×69 (96 KB)');
    expect(labels).toContain('RST_STREAM stream 9: CANCEL');
    expect(labels).toContain('RST_STREAM stream 11: REFUSED_STREAM');
    expect(labels).toContain('GOAWAY NO_ERROR (last stream 13)');
    const kinds = new Map(m.steps.map((s) => [s.label, s.kind]));
    expect(kinds.get('SETTINGS ACK')).toBe('http2-control');
    expect(kinds.get('RST_STREAM stream 9: CANCEL')).toBe('http2-reset');
    expect(kinds.get('HEADERS stream 7: GET /large')).toBe('http-request');
    expect(m.brackets.map((b) => b.label)).toEqual(['TCP connect', 'TTFB']);
    expect(m.facts).toContainEqual({ label: 'HTTP/2', value: '7 streams, 7 requests, 2 reset' });
    expect(m.title).toBe('HTTP/2 over cleartext TCP (h2c)');
  });

  it('hides WINDOW_UPDATE and PING unless "Show control frames" is on', async () => {
    const hidden = await ladderFromFile(h2c, 0);
    expect(hidden.steps.some((s) => /WINDOW_UPDATE|PING/.test(s.label))).toBe(false);
    expect(hidden.http2).toEqual({ controlFrames: 6 });
    const refused = hidden.steps.find((s) => s.label === 'RST_STREAM stream 11: REFUSED_STREAM')!;
    expect(refused.foldedControl).toEqual([129, 130]);
    expect(refused.explanation).toMatch(/2 WINDOW_UPDATE and PING frames right after this step are hidden/);
    const shown = await ladderFromFile(h2c, 0, { showControlFrames: true });
    const labels = shown.steps.map((s) => s.label);
    expect(labels).toContain('WINDOW_UPDATE +34 KB, WINDOW_UPDATE stream 7 +32 KB');
    expect(labels).toContain('PING');
    expect(labels).toContain('PING ACK');
    expect(shown.steps.find((s) => s.label === 'PING ACK')!.explanation).toMatch(/^The server echoes the PING: 20\.\d ms after it was sent\.$/);
  });

  it('explains what HTTP/2 changes and what RST_STREAM and GOAWAY mean, in English and Chinese', async () => {
    const en = await ladderFromFile(h2c, 0);
    const zh = await ladderFromFile(h2c, 0, { language: 'zh-CN' });
    const step = (m: typeof en, re: RegExp) => m.steps.find((s) => re.test(s.label))!;
    const first = step(en, /^Connection preface/).explanation;
    expect(first).toMatch(/connection preface/);
    expect(first).toMatch(/Streams 1 and 3 are open at the same time on this one connection: HTTP\/2 multiplexes requests/);
    expect(step(en, /stream 5: POST/).explanation).toMatch(/HPACK-compressed: 53 B on the wire/);
    expect(step(en, /CANCEL/).explanation).toMatch(/The client resets stream 9 with CANCEL: .* Only this stream ends; the connection and its other streams go on/);
    expect(step(en, /REFUSED_STREAM/).explanation).toMatch(/did not process the request at all, so the client may safely retry it/);
    expect(step(en, /^GOAWAY/).explanation).toMatch(/Streams up to 13 may have been processed.*NO_ERROR: a graceful shutdown.*“sample finished”/);
    expect(step(en, /^HEADERS stream 1: 200/).explanation).toMatch(/answers stream 1 with a HEADERS frame: 200 OK, text\/html/);
    expect(step(zh, /^连接前言/).label).toBe('连接前言, SETTINGS, HEADERS 流 1：GET /, HEADERS 流 3：GET /style.css');
    expect(step(zh, /CANCEL/).explanation).toMatch(/^客户端以 CANCEL 重置流 9：这个流已不再需要/);
    expect(step(zh, /^GOAWAY/).explanation).toMatch(/NO_ERROR：这是正常关闭/);
  });

  it('the English and Chinese tables have the same keys and placeholders', () => {
    expect(Object.keys(http2ZhCN).sort()).toEqual(Object.keys(http2En).sort());
    for (const [key, template] of Object.entries(http2En)) expect(placeholders(http2ZhCN[key as keyof typeof http2En]), key).toEqual(placeholders(template));
  });

  it('an Upgrade: h2c ladder shows the 101 and the answer on stream 1; a mid-connection cut says why headers are missing', async () => {
    const up = await ladderFromFile(join(fixtures, 'h2c-upgrade.pcapng'), 0);
    expect(up.steps.map((s) => s.label)).toContain('101 Switching Protocols, SETTINGS');
    expect(up.steps.map((s) => s.label)).toContain('SETTINGS ACK, HEADERS+DATA stream 1: 200 text/plain 80 B');
    const cut = await ladderFromFile(join(fixtures, 'h2c-midstream.pcapng'), 0);
    expect(cut.steps[0]!.label).toBe('HEADERS stream 7: GET /large');
    expect(cut.steps[0]!.explanation).toMatch(/could not be fully decoded: index 68 is dynamic table entry 7, added before the capture began/);
  });
});
