// @vitest-environment happy-dom
// The layer stack and the hex view, linked both ways: a field highlights its bytes, a byte selects its field.

import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClientContext } from '../../src/renderer/src/state/client-context';
import { PacketsView } from '../../src/renderer/src/views/PacketsView';
import type { LayerModel } from '../../src/renderer/src/state/detail-model';
import { httpInTlsDetail, rows, sessionInfo } from '../fixtures/ui';
import { fakeClient } from './fake-client';
import { fakeLayout } from './setup';

beforeAll(() => fakeLayout(1200, 600));
afterEach(cleanup);

function renderDetail(model: LayerModel = 'osi') {
  const client = fakeClient({
    rows: ({ start, count }) => ({ start, rows: rows.slice(start, start + count), total: rows.length }),
    packetDetail: () => httpInTlsDetail,
  });
  return render(
    <ClientContext.Provider value={client}>
      <PacketsView info={sessionInfo} generation={0} selection={{ index: 9, packet: 10 }} onSelect={() => undefined} layerModel={model} onLayerModel={() => undefined} marked={new Set()} />
    </ClientContext.Provider>,
  );
}

const highlighted = (): number[] =>
  Array.from(screen.getByTestId('hex-view').querySelectorAll<HTMLElement>('[data-highlighted="true"]')).map((e) => Number(e.dataset['offset']));
const fieldNode = (name: string): HTMLElement => screen.getAllByTestId('field-node').find((n) => n.dataset['field'] === name)!;

describe('layer stack', () => {
  it('shows one card per OSI layer of an HTTP request inside decrypted TLS: 1, 2, 3, 4, 5–6, 7', async () => {
    renderDetail();
    await waitFor(() => expect(screen.getAllByTestId('layer-card').length).toBe(6));
    expect(screen.getAllByTestId('layer-card').map((c) => c.dataset['osi'])).toEqual(['1', '2', '3', '4', '5', '7']);
    expect(screen.getAllByTestId('layer-card')[5]!.textContent).toContain('Hypertext Transfer Protocol');
  });

  it('groups the same layers into the four TCP/IP layers', async () => {
    renderDetail('tcpip');
    await waitFor(() => expect(screen.getAllByTestId('layer-card').length).toBe(4));
    expect(screen.getAllByTestId('layer-card').map((c) => c.dataset['layer'])).toEqual(['Link', 'Internet', 'Transport', 'Application']);
  });

  it('highlights the bytes of a clicked field in the hex view', async () => {
    renderDetail();
    await waitFor(() => expect(fieldNode('tcp.srcport')).toBeDefined());
    fireEvent.click(fieldNode('tcp.srcport'));
    expect(highlighted()).toEqual([34, 35]);
    expect(fieldNode('tcp.srcport').className).toContain('selected');
  });

  it('selects the most specific field when a byte is clicked, opening its layer', async () => {
    renderDetail();
    await waitFor(() => expect(screen.getByTestId('hex-view').querySelector('[data-offset="26"]')).not.toBeNull());
    // Byte 26 is the first byte of the IPv4 source address; the IPv4 layer starts collapsed.
    fireEvent.click(screen.getByTestId('hex-view').querySelector('.hb[data-offset="26"]')!);
    await waitFor(() => expect(fieldNode('ip.src')).toBeDefined());
    expect(fieldNode('ip.src').className).toContain('selected');
    expect(highlighted()).toEqual([26, 27, 28, 29]);
  });

  it('switches the hex view to the decrypted bytes for an HTTP field', async () => {
    renderDetail();
    await waitFor(() => expect(screen.getAllByTestId('layer-card').length).toBe(6));
    // Open the HTTP request line and pick the method.
    const request = fieldNode('http.request.line');
    fireEvent.click(within(request).getByRole('button'));
    fireEvent.click(fieldNode('http.request.method'));
    const tabs = screen.getAllByTestId('byte-source-tab');
    expect(tabs.map((t) => t.getAttribute('aria-selected'))).toEqual(['false', 'true']);
    expect(tabs[1]!.textContent).toMatch(/^Decrypted TLS/);
    expect(highlighted()).toEqual([0, 1, 2]);
    expect(screen.getByTestId('hex-view').textContent).toContain('GET');
  });
});
