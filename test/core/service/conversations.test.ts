// The `conversations` answer is bounded: the first `max` conversations in stream order and the count
// of all of them, also under "Limit to display filter"; SessionInfo carries the count alone.

import { describe, expect, it } from 'vitest';
import { EngineService } from '../../../src/core/service/engine-service';
import { corpusPath } from '../io/helpers';

// 49 TCP conversations, no UDP (tshark -q -z conv,tcp).
const methods = 'zeek/http/methods.pcap';

async function open(e: EngineService): Promise<string> {
  const { session } = await e.openFile({ path: corpusPath(methods) });
  await e.whenLoaded(session);
  return session;
}

describe('a bounded conversation table', () => {
  it('max 2 answers the first two streams and the count of all 49', async () => {
    const e = new EngineService();
    const session = await open(e);
    const all = await e.conversations({ session });
    expect(all.total).toBe(49);
    expect(all.conversations).toHaveLength(49);
    expect(all.conversations.map((c) => c.stream)).toEqual([...Array(49).keys()]);
    const two = await e.conversations({ session, max: 2 });
    expect(two.total).toBe(49);
    expect(two.conversations.map((c) => c.stream)).toEqual([0, 1]);
    expect(two.conversations).toEqual(all.conversations.slice(0, 2));
  });

  it('limited to the display filter, counts the conversations with displayed packets and sends the first', async () => {
    const e = new EngineService();
    const session = await open(e);
    await e.setFilter({ session, filter: 'tcp.stream >= 10' });
    // tshark -Y 'tcp.stream>=10': 39 streams.
    const limited = await e.conversations({ session, limitToDisplay: true, max: 2 });
    expect(limited.total).toBe(39);
    expect(limited.conversations.map((c) => c.stream)).toEqual([10, 11]);
    expect((await e.conversations({ session, limitToDisplay: true })).conversations).toHaveLength(39);
  });

  it('SessionInfo counts the conversations without the table', async () => {
    const e = new EngineService();
    const session = await open(e);
    expect((await e.sessionInfo({ session })).conversations).toBe(49);
  });
});
