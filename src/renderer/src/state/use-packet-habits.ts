// The window's side of the Wireshark habits: selecting a packet by number (links, Go to packet,
// Back/Forward), keeping the selection sensible when a filter hides it, Prepare as Filter,
// Follow stream, the views' "Limit to display filter" toggles and Export Specified Packets.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConversationDto, PacketRangeDto, SessionInfo } from '../../../shared/api';
import { followFilter } from '../../../shared/filter-text';
import type { ListSelection } from '../components/PacketList';
import type { AppClient } from '../transport/types';
import type { PacketHabits } from '../views/PacketsView';
import { errorText, plural } from './format';
import { isBoolean, useStored } from './stored';
import { useSelectionHistory } from './use-selection-history';

interface Input {
  client: AppClient;
  session: string | null;
  info: SessionInfo | null;
  setInfo(i: SessionInfo): void;
  selection: ListSelection | null;
  setSelection(s: ListSelection | null): void;
  bumpGeneration(): void;
  conversations: ConversationDto[] | null;
  packetsShown: boolean;
  showPackets(): void;
  openLadder(conversation: number): void;
  /** The Follow stream view on a TCP conversation, its payload or its decrypted TLS. */
  openFollow(conversation: number, mode: 'tcp' | 'tls'): void;
  notify(tone: 'info' | 'warning' | 'error', text: string): void;
  browser: boolean;
}

export function usePacketHabits(input: Input) {
  const { client, session, info, setInfo, selection, setSelection, bumpGeneration, conversations, notify } = input;
  const [prepared, setPrepared] = useState({ text: '', n: 0 });
  const [exportOpen, setExportOpen] = useState(false);
  const [limitConversations, setLimitConversations] = useStored('limit.conversations', false, isBoolean);
  const [limitStatistics, setLimitStatistics] = useStored('limit.statistics', false, isBoolean);
  const [limitEndpoints, setLimitEndpoints] = useStored('limit.endpoints', false, isBoolean);
  /**
   * The packet the user chose: a filter that hides it selects the closest displayed one (as
   * Wireshark does) but this stays, so clearing the filter brings the choice back.
   */
  const anchor = useRef<number | null>(null);
  const history = useSelectionHistory(selection?.packet ?? null, session);

  useEffect(() => {
    anchor.current = null;
  }, [session]);

  /** Selects a packet by number; false (and a note) when the display filter hides it. */
  const goToPacket = useCallback(
    async (packet: number): Promise<boolean> => {
      if (session === null) return false;
      try {
        const index = await client.call('rowIndexOf', { session, packet });
        if (index < 0) {
          notify('warning', info !== null && packet > info.packets ? `There is no packet ${packet} (the capture has ${plural(info.packets, 'packet')}).` : `Packet ${packet} isn't displayed: the display filter hides it.`);
          return false;
        }
        anchor.current = packet;
        setSelection({ index, packet });
        input.showPackets();
        return true;
      } catch (err) {
        notify('error', errorText(err));
        return false;
      }
    },
    [client, session, info, notify, setSelection, input.showPackets],
  );

  const current = useRef(selection);
  current.current = selection;
  /**
   * A user's own selection (click, keys) becomes the anchor. The list also calls this when the
   * number of a row selected by position arrives: that fills in the selection, it is no new choice.
   */
  const select = useCallback(
    (s: ListSelection) => {
      const prev = current.current;
      const arrival = prev !== null && prev.index === s.index && prev.packet === null;
      if (!arrival) anchor.current = s.packet;
      setSelection(s);
    },
    [setSelection],
  );

  /** After the displayed list changed (a filter, a sort): the anchor, else the closest displayed packet. */
  const relocate = useCallback(async () => {
    if (session === null) return;
    const keep = anchor.current ?? selection?.packet ?? null;
    if (keep === null) {
      setSelection(null);
      return;
    }
    const index = await client.call('rowIndexOf', { session, packet: keep, nearest: true });
    if (index < 0) {
      setSelection(null);
      return;
    }
    // The packet itself, or the closest one (its number arrives with its row).
    const exact = await client.call('rowIndexOf', { session, packet: keep });
    setSelection({ index, packet: exact === index ? keep : null });
  }, [client, session, selection, setSelection]);

  const onInvalidate = useCallback(
    (next: SessionInfo) => {
      setInfo(next);
      bumpGeneration();
      void relocate();
    },
    [setInfo, bumpGeneration, relocate],
  );

  const conversationStream = (id: number): ConversationDto | undefined => conversations?.find((c) => c.id === id);

  const habits = (onFilter: (text: string, apply: boolean) => void): PacketHabits => ({
    active: input.packetsShown,
    conversations,
    onFilter,
    goToPacket,
    onOpenLadder: input.openLadder,
    onFollow: (id, protocol) => {
      const c = conversationStream(id);
      if (c === undefined) return;
      // Wireshark's Follow applies the stream's filter to the list as it opens the stream.
      onFilter(followFilter(c.protocol, c.stream), true);
      if (protocol === 'UDP') notify('info', `Filtered on UDP stream ${c.stream}: the Follow stream view shows TCP conversations.`);
      else input.openFollow(id, protocol === 'TLS' ? 'tls' : 'tcp');
    },
    onExportPackets: () => setExportOpen(true),
    notify,
    onInvalidate,
    history,
    browser: input.browser,
  });

  const exportPackets = useCallback(
    async (range: PacketRangeDto) => {
      if (session === null) return;
      setExportOpen(false);
      try {
        const r = await client.saveCaptureDialog(session, range);
        if (r === null) return;
        const what = `${plural(r.packets, 'packet')} and ${plural(r.annotations, 'comment')}`;
        notify('info', input.browser ? `Downloaded ${r.path} (${what}).` : `Exported ${what} to ${r.path}.`);
      } catch (err) {
        notify('error', `Export failed: ${errorText(err)}`);
      }
    },
    [client, session, notify, input.browser],
  );

  return {
    habits,
    select,
    relocate,
    goToPacket,
    prepared,
    prepare: (text: string) => setPrepared((p) => ({ text, n: p.n + 1 })),
    exportOpen,
    closeExport: () => setExportOpen(false),
    openExport: () => setExportOpen(true),
    exportPackets,
    limits: { conversations: limitConversations, statistics: limitStatistics, endpoints: limitEndpoints, setLimitConversations, setLimitStatistics, setLimitEndpoints },
  };
}
