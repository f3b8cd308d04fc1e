// The Ladder tab never opens on "No conversation chosen" when it can know better: the selected
// packet's conversation, else the capture's only (TCP) conversation.

import { useEffect } from 'react';
import type { ConversationDto } from '../../../shared/api';
import type { ListSelection } from '../components/PacketList';
import type { AppClient } from '../transport/types';

export function useLadderDefault(opts: {
  client: AppClient;
  session: string | null;
  shown: boolean;
  chosen: number | null;
  selection: ListSelection | null;
  conversations: ConversationDto[] | null;
  choose(id: number): void;
}): void {
  const { client, session, shown, chosen, selection, conversations, choose } = opts;
  useEffect(() => {
    if (!shown || chosen !== null || session === null) return;
    let alive = true;
    void (async () => {
      let id: number | null = null;
      if (selection !== null && selection.packet !== null) {
        const row = (await client.call('rows', { session, start: selection.index, count: 1 })).rows[0];
        if (row !== undefined && row.conversation >= 0) id = row.conversation;
      }
      if (id === null && conversations !== null) {
        const tcp = conversations.filter((c) => c.protocol === 'TCP');
        if (conversations.length === 1) id = conversations[0]!.id;
        else if (tcp.length === 1) id = tcp[0]!.id;
      }
      if (alive && id !== null) choose(id);
    })().catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [client, session, shown, chosen, selection, conversations, choose]);
}
