// The Conversations tab on a capture of 60,000 conversations (more than the 50,000 rows the table
// used to hold): sorting by bytes sees every conversation, the last row is reached by scrolling and
// by End, and only the rows on screen are in the page.

import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuite, openApp, requireBuilt, rpc, shot, waitLoaded } from './helpers';

const CONVERSATIONS = 60_000;
/** The conversation with the most bytes: beyond the first 50,000. */
const BIGGEST = 55_555;

let dir: string;
let path: string;

/**
 * A classic pcap of one UDP datagram per conversation (client 10.x.y.z:40000+ → 192.0.2.1:53),
 * stream i being conversation i; payloads of 10–109 bytes, BIGGEST's 1,400.
 */
function writeCapture(out: string): void {
  const fd = openSync(out, 'w');
  try {
    const header = Buffer.alloc(24);
    header.writeUInt32LE(0xa1b2c3d4, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeUInt32LE(65_535, 16);
    header.writeUInt32LE(1, 20); // Ethernet
    writeSync(fd, header);
    const chunks: Buffer[] = [];
    for (let i = 0; i < CONVERSATIONS; i++) {
      const payload = i === BIGGEST ? 1400 : 10 + (i % 100);
      const frame = Buffer.alloc(14 + 20 + 8 + payload);
      frame.writeUInt16BE(0x0800, 12);
      frame[14] = 0x45;
      frame.writeUInt16BE(20 + 8 + payload, 16);
      frame[22] = 64;
      frame[23] = 17;
      frame.writeUInt32BE((10 << 24) | (i + 1), 26);
      frame.writeUInt32BE(0xc0000201, 30);
      frame.writeUInt16BE(40_000 + (i % 20_000), 34);
      frame.writeUInt16BE(53, 36);
      frame.writeUInt16BE(8 + payload, 38);
      const record = Buffer.alloc(16);
      record.writeUInt32LE(1_700_000_000 + Math.floor(i / 1000), 0);
      record.writeUInt32LE((i % 1000) * 1000, 4);
      record.writeUInt32LE(frame.length, 8);
      record.writeUInt32LE(frame.length, 12);
      chunks.push(record, frame);
      if (chunks.length >= 2000) writeSync(fd, Buffer.concat(chunks.splice(0)));
    }
    writeSync(fd, Buffer.concat(chunks));
  } finally {
    closeSync(fd);
  }
}

const suite = browserSuite();

beforeAll(() => {
  requireBuilt();
  dir = mkdtempSync(join(tmpdir(), 'wireladder-conversations-'));
  path = join(dir, 'many-conversations.pcap');
  writeCapture(path);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a conversation table larger than 50,000 rows', () => {
  it('sorts all of them by bytes, reaches the last by scrolling and by End, and keeps few rows in the page', async () => {
    const server = await suite.serve(path);
    await waitLoaded(server);
    const session = server.initialSession!.session;
    const page = await openApp(suite.browser(), server);
    await page.getByTestId('tab-conversations').click();
    await expect.poll(() => page.getByTestId('conversations-count').textContent()).toBe('60,000');
    const rows = page.getByTestId('conversation-row');
    // (On a busy machine the first page may queue behind the other views' list of the first 50,000.)
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(10);
    expect(await rows.count()).toBeLessThan(200);
    expect(await page.getByTestId('conversations-truncated').count()).toBe(0);

    // Bytes, descending: the biggest conversation (stream 55,555) is the first row.
    await page.getByTestId('sort-bytes').click();
    await page.getByTestId('sort-bytes').click();
    await expect.poll(() => page.getByTestId('sort-bytes').getAttribute('aria-sort')).toBe('descending');
    await expect.poll(() => rows.first().locator('td').first().textContent()).toBe(String(BIGGEST));
    await shot(page, 'conversations-large-bytes-descending');

    // The last row of that order, as the engine has it: reached by scrolling to the bottom…
    const sort = { key: 'bytes', descending: true } as const;
    const [last] = (await rpc(server, 'conversations', { session, sort, offset: CONVERSATIONS - 1, count: 1 })).conversations;
    const lastRow = page.locator(`[data-testid=conversation-row][data-conversation="${last!.id}"]`);
    const table = page.getByTestId('conversations-table');
    await table.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect.poll(() => lastRow.count()).toBe(1);
    // In view after that one jump (the rows that arrived did not grow the table past it).
    const inView = (): Promise<boolean> =>
      lastRow.evaluate((row) => {
        const table = row.closest('[data-testid=conversations-table]')!;
        const top = table.getBoundingClientRect().top;
        const r = row.getBoundingClientRect();
        // (Within the rounding of fractional row heights to the scroll height.)
        return r.top >= top && r.bottom - top <= table.clientHeight + 2;
      });
    await expect.poll(inView).toBe(true);
    await shot(page, 'conversations-large-bottom');

    // …and by Home then End from the keyboard, which select it.
    await table.evaluate((el) => el.scrollTo({ top: 0 }));
    await rows.first().click();
    await table.press('End');
    await expect.poll(() => lastRow.getAttribute('aria-selected')).toBe('true');
    await table.press('ArrowUp');
    const [beforeLast] = (await rpc(server, 'conversations', { session, sort, offset: CONVERSATIONS - 2, count: 1 })).conversations;
    await expect.poll(() => page.locator(`[data-testid=conversation-row][data-conversation="${beforeLast!.id}"]`).getAttribute('aria-selected')).toBe('true');
    expect(await rows.count()).toBeLessThan(200);
    await page.context().close();
  });
});
