// Mermaid export: a sequenceDiagram whose every line is a statement Mermaid's sequence grammar
// accepts (packages/mermaid/src/diagrams/sequence/parser/sequenceDiagram.jison), with wire text
// escaped as entity codes.

import { describe, expect, it } from 'vitest';
import { mermaidText, renderMermaid } from '../../../src/core/ladder/render-mermaid';
import { fixtureModel, fixtureNames, keepAliveModel, mtls12Model, tls13Model } from './fixtures';

// Statement shapes of the sequence grammar, for the statements the renderer writes. Text after
// the first ':' (TXT) and after `as`/`title`/`rect` (restOfLine) may not contain '#' (comment
// start) or ';' (statement end) other than in entity codes, nor a newline.
const TEXT = String.raw`(?:[^#;\n]|#\w+;)+`;
const ACTOR = '[CS]';
const STATEMENTS: RegExp[] = [
  /^%%\{init: \{.*\}\}%%$/,
  /^sequenceDiagram$/,
  new RegExp(`^ *title ${TEXT}$`),
  /^ *autonumber$/,
  new RegExp(`^ *participant ${ACTOR} as ${TEXT}$`),
  new RegExp(`^ *${ACTOR}(?:->>|-->>|-x)${ACTOR}: ${TEXT}$`),
  new RegExp(`^ *Note (?:left of|right of|over) ${ACTOR}(?:,${ACTOR})?: ${TEXT}$`),
  /^ *rect rgba?\(\d+, \d+, \d+(?:, [\d.]+)?\)$/,
  /^ *end$/,
];

function statements(text: string): string[] {
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

describe('renderMermaid', () => {
  it('writes a sequenceDiagram in which every line is a valid statement', () => {
    for (const name of fixtureNames) {
      for (const language of ['en', 'zh-CN'] as const) {
        const lines = statements(renderMermaid(fixtureModel(name, language)));
        expect(lines[1]).toBe('sequenceDiagram');
        for (const line of lines) expect(STATEMENTS.some((re) => re.test(line)), line).toBe(true);
      }
    }
  });

  it('names the participants by role and endpoint', () => {
    const text = renderMermaid(mtls12Model());
    expect(text).toContain('    participant C as Client 127.0.0.1:45614\n');
    expect(text).toContain('    participant S as Server 127.0.0.1:8444\n');
    expect(renderMermaid(mtls12Model('zh-CN'))).toContain('participant C as 客户端 127.0.0.1:45614\n');
  });

  it('writes one message per step, numbered by autonumber like the SVG', () => {
    const model = mtls12Model();
    const lines = statements(renderMermaid(model));
    const messages = lines.filter((l) => /^ *[CS](?:->>|-->>|-x)[CS]: /.test(l));
    expect(messages).toHaveLength(model.steps.length);
    expect(lines).toContain('    autonumber');
    expect(messages[0]).toBe('        C->>S: SYN seq=0');
    expect(messages[1]).toBe('        S->>C: SYN, ACK seq=0 ack=1');
    expect(messages[2]).toBe('        C-->>S: ACK seq=1 ack=1');
  });

  it('notes TCP state changes, explanations, annotations, RTT brackets and the verdict', () => {
    const text = renderMermaid(mtls12Model());
    expect(text).toContain('        Note over C: SYN_SENT\n');
    expect(text).toContain('        Note over S: SYN_RECEIVED\n');
    expect(text).toMatch(/Note right of S: 6\. The server picks TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384/);
    expect(text).toContain('Note left of C: ✎ Server asks the client for a certificate (CertificateRequest)');
    expect(text).toContain('Note left of C: TCP RTT 0.13 ms (1–2)');
    expect(text).toMatch(/Note over C,S: Verdict: Complete — mutual TLS 1\.2 handshake completed/);
  });

  it('wraps each phase in a coloured rect block, balanced with end', () => {
    const lines = statements(renderMermaid(mtls12Model()));
    const rects = lines.filter((l) => /^ *rect /.test(l));
    const ends = lines.filter((l) => /^ *end$/.test(l));
    expect(rects).toHaveLength(4);
    expect(ends).toHaveLength(4);
    expect(rects[0]).toBe('    rect rgb(219, 234, 254)');
    let depth = 0;
    for (const l of lines) {
      if (/^ *rect /.test(l)) depth++;
      if (/^ *end$/.test(l)) depth--;
      expect(depth === 0 || depth === 1).toBe(true);
    }
  });

  it('marks long pauses and folded steps', () => {
    const text = renderMermaid(keepAliveModel());
    expect(text).toContain('Note over C,S: ≈ 2.1 s later');
    expect(text).toContain('C->>S: GET /assets/* ×12 [12 packets, 1116 B]');
  });

  it('escapes the characters Mermaid reads as syntax', () => {
    expect(mermaidText('a;b#c')).toBe('a#59;b#35;c');
    expect(mermaidText('<script>alert(1)</script>')).toBe('#lt;script#gt;alert(1)#lt;/script#gt;');
    expect(mermaidText('100%% "q" {x} & y')).toBe('100#37;#37; #quot;q#quot; #123;x#125; #amp; y');
    expect(mermaidText('line1\nline2\r\n\tend')).toBe('line1 line2 end');
    expect(mermaidText('wrap:x')).toBe('wrap#58;x');
    expect(mermaidText('')).toBe('(empty)');

    const m = tls13Model();
    m.steps[3]!.label = 'ClientHello (SNI <script>x</script>;#evil %%{init}%%)';
    m.steps[3]!.explanation = 'Line one;\nNote over C: injected';
    m.client.label = '127.0.0.1:1; participant X';
    const lines = statements(renderMermaid(m));
    for (const line of lines) expect(STATEMENTS.some((re) => re.test(line)), line).toBe(true);
    const text = lines.join('\n');
    expect(text).toContain('C->>S: ClientHello (SNI #lt;script#gt;x#lt;/script#gt;#59;#35;evil #37;#37;#123;init#125;#37;#37;)');
    expect(text).toContain('participant C as Client 127.0.0.1:1#59; participant X');
    expect(lines.filter((l) => /^ *Note over C: injected/.test(l))).toHaveLength(0);
    expect(text).toContain('Note right of S: 4. Line one#59; Note over C: injected');
  });

  it('is deterministic', () => {
    expect(renderMermaid(mtls12Model())).toBe(renderMermaid(mtls12Model()));
  });
});
