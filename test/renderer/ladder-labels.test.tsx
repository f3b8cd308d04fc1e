// @vitest-environment happy-dom
// Long step labels in the app's ladder wrap onto more lines instead of losing the end of a flight.

import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { LadderModel } from '../../src/shared/api';
import { estimateWidth, LABEL_LINE, labelTop, layoutLadder, wrapLabel } from '../../src/renderer/src/state/ladder-layout';
import { LadderDiagram } from '../../src/renderer/src/views/LadderDiagram';
import { ladderModel } from '../fixtures/ui';

afterEach(cleanup);

// The server's flight of mutual TLS 1.3 once decrypted (mtls13.pcap with mtls13.keys, step 5).
const flight = 'ServerHello, ChangeCipherSpec, EncryptedExtensions, CertificateRequest, Certificate, CertificateVerify, Finished';

function withLongLabel(): LadderModel {
  const m = structuredClone(ladderModel);
  m.steps[4]!.label = flight;
  return m;
}

describe('wrapped step labels', () => {
  it('a seven-message flight keeps every message, breaks between messages and fits the room', () => {
    const lines = wrapLabel(flight, 326);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(' ')).toBe(flight);
    for (const l of lines) expect(estimateWidth(l)).toBeLessThanOrEqual(326);
    // Every line but the last ends after a message: no name is split.
    for (const l of lines.slice(0, -1)) expect(l.endsWith(',')).toBe(true);
  });

  it('lines are balanced: no message sits alone under a long line', () => {
    const lines = wrapLabel(flight, 326);
    const widths = lines.map(estimateWidth);
    expect(Math.min(...widths) / Math.max(...widths)).toBeGreaterThan(0.6);
  });

  it('a short label stays one line; a CJK label without spaces still wraps inside the room', () => {
    expect(wrapLabel('ClientHello (3 suites)', 326)).toEqual(['ClientHello (3 suites)']);
    const zh = '服务器发送的加密握手消息'.repeat(4);
    const lines = wrapLabel(zh, 200);
    expect(lines.join('')).toBe(zh);
    for (const l of lines) expect(estimateWidth(l)).toBeLessThanOrEqual(200);
  });

  it('the step opens room for its extra lines: its label top stays below the previous arrow', () => {
    const plain = layoutLadder(ladderModel, 'even', 1000);
    const long = layoutLadder(withLongLabel(), 'even', 1000);
    const s = long.steps[4]!;
    expect(s.labelLines.length).toBeGreaterThan(1);
    expect(s.y1 - plain.steps[4]!.y1).toBe((s.labelLines.length - 1) * LABEL_LINE);
    expect(labelTop(s)).toBeGreaterThan(long.steps[3]!.y2);
    // The band holding the step starts above its label.
    const band = long.phases.find((p) => p.top <= s.y1 && p.bottom >= s.y2)!;
    expect(band.top).toBeLessThan(labelTop(s));
  });

  it('the diagram draws each line of the label, all messages present, no ellipsis', () => {
    render(<LadderDiagram model={withLongLabel()} layout="time" width={1000} selected={null} hovered={null} onSelect={() => {}} onHover={() => {}} />);
    const label = screen.getAllByTestId('step-label')[4]!;
    const tspans = [...label.querySelectorAll('tspan')].map((t) => t.textContent);
    expect(tspans.length).toBeGreaterThan(1);
    expect(tspans.join(' ')).toBe(flight);
    expect(label.textContent).not.toContain('…');
  });
});

describe('latency bracket labels', () => {
  // The engine's labels (ladder texts label.tcpConnect / label.tlsHandshake / label.ttfb).
  function withLatencyLabels(): LadderModel {
    const m = structuredClone(ladderModel);
    m.brackets = [
      { label: 'TCP connect', fromStep: 1, toStep: 2, seconds: 0.00002 },
      { label: 'TLS handshake', fromStep: 4, toStep: 7, seconds: 0.001831 },
    ];
    return m;
  }

  it('wrap between the step numbers and the bracket instead of covering the numbers', () => {
    const g = layoutLadder(withLatencyLabels(), 'time', 1000, estimateWidth);
    expect(g.brackets.map((b) => b.lines)).toEqual([['TCP connect'], ['TLS', 'handshake']]);
    render(<LadderDiagram model={withLatencyLabels()} layout="time" width={1000} selected={null} hovered={null} onSelect={() => {}} onHover={() => {}} />);
    const [tcp, tls] = screen.getAllByTestId('rtt-bracket');
    expect([...tcp!.querySelectorAll('[data-testid=rtt-label]')].map((t) => t.textContent)).toEqual(['TCP connect']);
    expect([...tls!.querySelectorAll('[data-testid=rtt-label]')].map((t) => t.textContent)).toEqual(['TLS', 'handshake']);
    // The duration comes under the last line.
    const ys = [...tls!.querySelectorAll('text')].map((t) => Number(t.getAttribute('y')));
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    expect(tls!.querySelector('.rtt-value')?.textContent).toBe('1.83 ms');
  });
});
