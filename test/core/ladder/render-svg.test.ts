// The ladder's SVG: structure the UI and the exports rely on, escaping of wire data, determinism,
// the two time layouts, and geometry that keeps labels, tags and explanations apart.

import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { layoutLadder } from '../../../src/core/ladder/layout';
import type { LadderModel } from '../../../src/core/ladder/model';
import { escapeXml, renderSvg } from '../../../src/core/ladder/render-svg';
import { FONT_CJK, textWidth } from '../../../src/core/ladder/text-metrics';
import { lightTheme } from '../../../src/core/ladder/theme';
import { ladder } from './ladders';
import { failedModel, fixtureModel, fixtureNames, keepAliveModel, mtls12Model, resetModel, tls13Model } from './fixtures';

const light = { layout: 'time', theme: 'light' } as const;

function count(haystack: string, needle: RegExp): number {
  return [...haystack.matchAll(needle)].length;
}

/** y of the step groups' top edges, in step order. */
function stepTops(svg: string): number[] {
  return [...svg.matchAll(/<g class="step" data-step="\d+"[^>]*data-y0="([-\d.]+)"/g)].map((m) => Number(m[1]));
}

/** The SVG parses as XML (resvg's parser is strict) — throws otherwise. */
function parses(svg: string): void {
  new Resvg(svg, { font: { loadSystemFonts: false } });
}

describe('renderSvg structure', () => {
  it('draws one step group per step, carrying its number and packets for the UI', () => {
    const model = mtls12Model();
    const svg = renderSvg(model, light);
    expect(count(svg, /<g class="step" /g)).toBe(model.steps.length);
    expect(svg).toContain('<g class="step" data-step="1" data-packets="1" data-kind="tcp-control"');
    expect(svg).toContain('<g class="step" data-step="9" data-packets="8" data-kind="tls-ccs"');
    const folded = renderSvg(tls13Model(), light);
    expect(folded).toContain('data-step="7" data-packets="9,10"');
  });

  it('is a self-contained SVG document with size and viewBox', () => {
    const svg = renderSvg(mtls12Model(), light);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="1000" height="\d+" viewBox="0 0 1000 \d+"/);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    for (const banned of ['<script', 'foreignObject', 'href', 'url(', '<image', '@import']) expect(svg).not.toContain(banned);
    parses(svg);
  });

  it('heads the lifelines with role and address:port', () => {
    const svg = renderSvg(mtls12Model(), light);
    const heads = /<g class="lifeline-heads"[^\n]*/.exec(svg)![0];
    expect(heads).toContain('>Client</text>');
    expect(heads).toContain('>127.0.0.1:45614</text>');
    expect(heads).toContain('>Server</text>');
    expect(heads).toContain('>127.0.0.1:8444</text>');
    const zh = renderSvg(mtls12Model('zh-CN'), light);
    expect(zh).toContain('>客户端</text>');
    expect(zh).toContain('>服务器</text>');
  });

  it('titles the drawing with the conversation and the capture, and shows facts and verdict', () => {
    const svg = renderSvg(mtls12Model(), light);
    expect(svg).toContain('TCP 127.0.0.1:45614 → 127.0.0.1:8444 — stream 0 — mtls12.pcap');
    expect(svg).toContain('Cipher suite: TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384');
    expect(svg).toContain('✓ Complete');
    const failed = renderSvg(failedModel(), light);
    expect(failed).toContain('>✗ Failed</text>');
    expect(failed).toContain('>handshake_failure after an empty client Certificate: the server requires a client certificate</text>');
    expect(failed).toContain('fill="#b91c1c"');
  });

  it('puts a state tag where a state changes, and only there', () => {
    for (const name of fixtureNames) {
      const model = fixtureModel(name);
      const svg = renderSvg(model, light);
      const changes = model.steps.reduce((n, s) => n + (s.clientStateChanged ? 1 : 0) + (s.serverStateChanged ? 1 : 0), 0);
      // Plus the two initial states under the lifeline headers.
      expect(count(svg, /<g class="state" /g)).toBe(changes + 2);
    }
    const svg = renderSvg(mtls12Model(), light);
    const step1 = /<g class="step" data-step="1" [^\n]*/.exec(svg)![0];
    expect(step1).toContain('data-side="client" data-state="SYN_SENT"');
    expect(step1).not.toContain('data-side="server"');
    const step3 = /<g class="step" data-step="3" [^\n]*/.exec(svg)![0];
    expect(count(step3, /data-state="ESTABLISHED"/g)).toBe(2);
    const step4 = /<g class="step" data-step="4" [^\n]*/.exec(svg)![0];
    expect(step4).not.toContain('class="state"');
  });

  it('shades one band per phase, titled with the phase name', () => {
    const model = mtls12Model();
    const svg = renderSvg(model, light);
    expect(count(svg, /<g class="phase" /g)).toBe(model.phases.length);
    for (const title of ['TCP handshake', 'TLS handshake', 'Application data', 'Teardown']) expect(svg).toContain(`>${title}</text>`);
    expect(renderSvg(resetModel(), light)).toContain('data-phase="reset"');
  });

  it('labels RTT brackets with the measured time', () => {
    const svg = renderSvg(mtls12Model(), light);
    expect(count(svg, /<path class="rtt" /g)).toBe(3);
    expect(svg).toContain('>TCP RTT</text>');
    expect(svg).toContain('>0.13 ms</text>');
    expect(svg).toContain('>TLS RTT</text>');
    expect(svg).toContain('>1.04 ms</text>');
  });

  it('prints relative timestamps in one unit in the margin', () => {
    const svg = renderSvg(mtls12Model(), light);
    for (const t of ['+0.000 ms', '+0.126 ms', '+2.182 ms', '+5.742 ms']) expect(svg).toContain(`>${t}</text>`);
  });

  it('numbers each step twice: at the arrow and in the explanation column', () => {
    const svg = renderSvg(mtls12Model(), light);
    const step6 = /<g class="step" data-step="6" [^\n]*/.exec(svg)![0];
    expect(count(step6, />6<\/text>/g)).toBe(2);
  });

  it('shows user annotations as callouts on their steps', () => {
    const svg = renderSvg(mtls12Model(), light);
    const step6 = /<g class="step" data-step="6" [^\n]*/.exec(svg)![0];
    expect(step6).toContain('✎ Server asks the client for a');
    const step8 = /<g class="step" data-step="8" [^\n]*/.exec(svg)![0];
    expect(step8).toContain('✎ Client proves it holds the');
  });

  it('shows collapsed application data with packet counts and bytes', () => {
    const svg = renderSvg(keepAliveModel(), light);
    expect(svg).toContain('>12 packets · 1.1 kB</text>');
    expect(svg).toContain('>20 packets · 184.3 kB</text>');
    expect(renderSvg(keepAliveModel('zh-CN'), light)).toContain('>20 个包 · 184.3 kB</text>');
  });

  it('has a legend naming the arrow kinds that occur', () => {
    const svg = renderSvg(resetModel(), light);
    const legend = /<g class="legend"[^\n]*/.exec(svg)![0];
    for (const k of ['Legend', 'TCP control', 'Retransmission', 'RST', 'TLS handshake', 'round-trip time']) expect(legend).toContain(`>${k}</text>`);
    expect(legend).not.toContain('>TLS alert</text>');
  });

  it('keeps every text at 11 px or more, and numbers at two decimals at most', () => {
    for (const name of fixtureNames) {
      const svg = renderSvg(fixtureModel(name), light);
      for (const m of svg.matchAll(/font-size="([\d.]+)"/g)) expect(Number(m[1])).toBeGreaterThanOrEqual(11);
      expect(svg).not.toMatch(/="-?\d+\.\d{3,}"/);
      expect(svg).not.toMatch(/="-0"/);
    }
  });

  it('draws a dark theme with a dark background and light text', () => {
    const dark = renderSvg(mtls12Model(), { layout: 'time', theme: 'dark' });
    expect(dark).toMatch(/<rect [^>]*class="background" fill="#0f172a"/);
    expect(dark).toContain('fill="#e5e7eb"');
    expect(dark).toContain('data-theme="dark"');
    parses(dark);
  });
});

describe('renderSvg escaping', () => {
  function hostile(): LadderModel {
    const m = tls13Model();
    const evil = '<script>alert("x")</script> & \'q\'';
    m.capture = 'a&b<c>.pcap';
    m.facts = [{ label: 'SNI', value: evil }];
    m.steps[3]!.label = `ClientHello (SNI ${evil})`;
    m.steps[3]!.explanation = `Server name ${evil}\u0000\u0007 with controls`;
    m.steps[7]!.label = 'GET /?q=<img src=x onerror=alert(1)> HTTP/1.1';
    m.steps[7]!.annotations = [{ packet: 11, text: '"quoted" <b>bold</b>' }];
    m.verdict.reason = '</text></svg><svg onload=alert(1)>';
    m.title = '<title>';
    return m;
  }

  it('escapes markup that comes from the wire', () => {
    const svg = renderSvg(hostile(), light);
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<img');
    expect(svg).not.toContain('<b>');
    expect(svg).not.toContain('<svg onload');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;');
    expect(svg).toContain('a&amp;b&lt;c&gt;.pcap');
    expect(count(svg, /<svg /g)).toBe(1);
    parses(svg);
  });

  it('drops characters XML cannot carry', () => {
    const svg = renderSvg(hostile(), light);
    // eslint-disable-next-line no-control-regex
    expect(svg).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(escapeXml('a\u0000b\ud800c')).toBe('a\ufffdb\ufffdc');
  });
});

describe('renderSvg determinism and layouts', () => {
  it('gives byte-identical output for the same input', () => {
    for (const name of fixtureNames) {
      for (const theme of ['light', 'dark'] as const) {
        for (const layout of ['time', 'even'] as const) {
          expect(renderSvg(fixtureModel(name), { layout, theme })).toBe(renderSvg(fixtureModel(name), { layout, theme }));
        }
      }
    }
  });

  it('spaces steps by capture time in the time layout and evenly in the even layout', () => {
    const time = stepTops(renderSvg(failedModel(), { layout: 'time', theme: 'light' }));
    const even = stepTops(renderSvg(failedModel(), { layout: 'even', theme: 'light' }));
    expect(time).not.toEqual(even);
    // ClientHello (step 4) came 1.29 ms after the ACK: far lower than in the even layout.
    expect(time[3]! - time[2]!).toBeGreaterThan(even[3]! - even[2]! + 60);
    // Steps 8 and 9 are 55 µs apart: the minimum gap, the same in both layouts.
    expect(time[8]! - time[7]!).toBeCloseTo(even[8]! - even[7]!, 1);
  });

  it('compresses long gaps in the time layout and marks them', () => {
    const time = renderSvg(keepAliveModel(), light);
    expect(count(time, /<g class="gap" /g)).toBe(2);
    expect(time).toContain('>≈ 2.1 s later</text>');
    expect(time).toContain('>≈ 5.0 s later</text>');
    const even = renderSvg(keepAliveModel(), { layout: 'even', theme: 'light' });
    expect(even).not.toContain('class="gap"');
    const height = (svg: string): number => Number(/height="(\d+)"/.exec(svg)![1]);
    // 7 s of capture in well under two screen heights.
    expect(height(time)).toBeLessThan(1800);
  });

  it('uses the requested width for the explanation column', () => {
    const narrow = layoutLadder(mtls12Model(), { layout: 'even', width: 800 });
    const wide = layoutLadder(mtls12Model(), { layout: 'even', width: 1400 });
    expect(wide.width).toBe(1400);
    expect(wide.columns.explRight - wide.columns.explTextX).toBeGreaterThan(narrow.columns.explRight - narrow.columns.explTextX + 500);
    expect(wide.height).toBeLessThan(narrow.height);
    expect(layoutLadder(mtls12Model(), { layout: 'even', width: 100 }).width).toBe(760);
  });

  it('draws a conversation without steps', () => {
    const m = mtls12Model();
    m.steps = [];
    m.phases = [];
    m.brackets = [];
    const svg = renderSvg(m, light);
    expect(svg).toContain('No packets in this conversation.');
    parses(svg);
  });
});

describe('layout geometry', () => {
  for (const name of fixtureNames) {
    for (const language of ['en', 'zh-CN'] as const) {
      it(`keeps the rows of ${name} (${language}) apart and their text inside its columns`, () => {
        for (const layout of ['time', 'even'] as const) {
          const L = layoutLadder(fixtureModel(name, language), { layout });
          const span = L.columns.serverX - L.columns.clientX;
          L.steps.forEach((s, i) => {
            const next = L.steps[i + 1];
            if (next !== undefined) expect(next.top).toBeGreaterThanOrEqual(s.bottom);
            for (const l of s.labelLines) expect(textWidth(l, 12.5, lightTheme.kinds[s.step.kind].loud ? 'sans-bold' : 'sans')).toBeLessThanOrEqual(span - 16);
            for (const l of s.explLines) expect(textWidth(l, 12.5)).toBeLessThanOrEqual(L.columns.explRight - L.columns.explTextX + 0.01);
            for (const c of s.callouts) {
              expect(c.x).toBeGreaterThan(L.columns.clientX + 40);
              expect(c.x + c.w).toBeLessThan(L.columns.serverX - 40);
              expect(c.y + c.h).toBeLessThanOrEqual(s.bottom);
            }
            for (const t of s.tags) expect(t.y + 17).toBeLessThanOrEqual(s.bottom);
          });
          for (const b of L.bands) expect(b.bottom).toBeGreaterThan(b.top);
          L.bands.forEach((b, i) => {
            if (i > 0) expect(b.top).toBeGreaterThanOrEqual(L.bands[i - 1]!.bottom);
          });
          expect(L.legend.top).toBeGreaterThan(L.lifelineBottom);
          expect(L.height).toBeGreaterThan(L.legend.noteY);
        }
      });
    }
  }

  it('writes every latency bracket label whole, in both languages (the gutter fits "TLS handshake" and 首字节时间)', async () => {
    for (const language of ['en', 'zh-CN'] as const) {
      const m = await ladder('zeek/tls/dhe.pcap', 0, { language });
      expect(m.brackets.map((b) => b.label)).toEqual(language === 'en' ? ['TCP connect', 'TLS handshake', 'TTFB'] : ['TCP 连接', 'TLS 握手', '首字节时间']);
      for (const layout of ['time', 'even'] as const) {
        const L = layoutLadder(m, { layout });
        L.brackets.forEach((b, i) => {
          const words = b.lines.slice(0, -1);
          // The label's words, each on a line of its own at most, never cut or ellipsised.
          expect(words.join(' ')).toBe(m.brackets[i]!.label);
          expect(b.lines.join('')).not.toContain('…');
        });
      }
    }
  });

  it('sets Chinese explanations in the CJK face and wraps them by character', () => {
    const svg = renderSvg(mtls12Model('zh-CN'), light);
    expect(svg).toContain(`font-family="&#39;${FONT_CJK}&#39;`);
    const L = layoutLadder(mtls12Model('zh-CN'), { layout: 'even' });
    const lines = L.steps[5]!.explLines;
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines.slice(1)) expect(l).not.toMatch(/^[，。、；：）]/);
  });
});
