// The WireLadder window: toolbar, tabs (packets, conversations, ladder, TLS records, statistics)
// and status bar, for the one capture this window shows — a file, or a live capture as it grows.

import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { CaptureStatsDto, ConversationListDto, ExportFormat, HostInfo, SessionInfo, StatisticsDto } from '../../shared/api';
import type { HostCommand } from '../../shared/bridge';
import { CaptureDialog } from './components/CaptureDialog';
import { KeysDialog } from './components/KeysDialog';
import { Banner, EmptyState } from './components/Notice';
import type { ListSelection } from './components/PacketList';
import { StatusBar } from './components/StatusBar';
import { Toolbar } from './components/Toolbar';
import { ClientContext } from './state/client-context';
import type { LayerModel } from './state/detail-model';
import { count, errorText, plural } from './state/format';
import { useTheme } from './state/theme';
import { useSessionInfo } from './state/use-session';
import type { AppClient } from './transport/types';
import { ConversationsView } from './views/ConversationsView';
import { ExpertInfoView } from './views/ExpertInfoView';
import { EndpointsView } from './views/EndpointsView';
import { IoGraphView } from './views/IoGraphView';
import { ExportPacketsDialog } from './components/ExportPacketsDialog';
import { usePacketHabits } from './state/use-packet-habits';
import { useLadderDefault } from './state/use-ladder-default';
import { useUpload } from './state/use-upload';
import { LadderView, type LadderPrefs } from './views/LadderView';
import { PacketsView } from './views/PacketsView';
import { StatisticsView } from './views/StatisticsView';
import { TlsRecordsView } from './views/TlsRecordsView';
import { FollowStreamView } from './views/FollowStreamView';

type Tab = 'packets' | 'conversations' | 'endpoints' | 'ladder' | 'tls' | 'follow' | 'statistics' | 'io' | 'expert';
type Notice = { id: number; tone: 'info' | 'warning' | 'error'; text: ReactNode };
type CaptureState = { stats: CaptureStatsDto; running: boolean; error: string | null };

/** Conversations refresh this often while a file loads; with the open ladder and TLS records, faster while capturing. */
export const LOAD_REFRESH_MS = 2000;
export const LIVE_REFRESH_MS = 1000;
/** Capture statistics arrive ten times a second; the status bar shows them at most this often. */
const CAPTURE_STATS_MS = 250;

/** What the user would lose if this window stopped showing the session; null when nothing. */
function unsavedWork(info: SessionInfo | null): string | null {
  if (info === null) return null;
  if (info.unsavedCapture) return info.live ? 'A capture is running in this window.' : `The capture ${info.fileName} has not been saved.`;
  if (info.dirty) return `${info.fileName} has unsaved annotations.`;
  return null;
}

const tabs: { id: Tab; label: string }[] = [
  { id: 'packets', label: 'Packets' },
  { id: 'conversations', label: 'Conversations' },
  { id: 'endpoints', label: 'Endpoints' },
  { id: 'ladder', label: 'Ladder' },
  { id: 'tls', label: 'TLS records' },
  { id: 'follow', label: 'Follow stream' },
  { id: 'statistics', label: 'Statistics' },
  { id: 'io', label: 'I/O Graph' },
  { id: 'expert', label: 'Expert Info' },
];

export function App({ client }: { client: AppClient }) {
  return (
    <ClientContext.Provider value={client}>
      <Window client={client} />
    </ClientContext.Provider>
  );
}

function Window({ client }: { client: AppClient }) {
  const { theme, choice, setChoice } = useTheme();
  const [host, setHost] = useState<HostInfo | null>(null);
  const [hostError, setHostError] = useState<string | null>(null);
  const [session, setSession] = useState<string | null>(null);
  const { info, error: infoError, setInfo } = useSessionInfo(session);
  const [tab, setTab] = useState<Tab>('packets');
  const [visited, setVisited] = useState<ReadonlySet<Tab>>(() => new Set(['packets']));
  const [selection, setSelection] = useState<ListSelection | null>(null);
  const [generation, setGeneration] = useState(0);
  const [filterState, setFilterState] = useState<{ ok: boolean; error: string | null; busy: boolean }>({ ok: true, error: null, busy: false });
  const [layerModel, setLayerModel] = useState<LayerModel>('osi');
  // The other views' list of conversations (the first in the order they began) and, asked first so
  // that the Conversations table need not wait for that list, the table's length alone.
  const [conversationList, setConversationList] = useState<ConversationListDto | null>(null);
  const [conversationTable, setConversationTable] = useState<ConversationListDto | null>(null);
  const conversations = conversationList?.conversations ?? null;
  const [conversationsError, setConversationsError] = useState<string | null>(null);
  const [selectedConversation, setSelectedConversation] = useState<number | null>(null);
  const [ladderConversation, setLadderConversation] = useState<number | null>(null);
  const [tlsConversation, setTlsConversation] = useState<number | null>(null);
  const [ladderPrefs, setLadderPrefs] = useState<LadderPrefs>({ layout: 'time', showAcks: false, showControlFrames: false, language: 'en', collapseAppData: 4 });
  const [stats, setStats] = useState<{ value: StatisticsDto | null; error: string | null; loading: boolean }>({ value: null, error: null, loading: false });
  const [capture, setCapture] = useState<CaptureState | null>(null);
  const [captureOpen, setCaptureOpen] = useState(false);
  const [keysOpen, setKeysOpen] = useState(false);
  const [follow, setFollow] = useState<{ conversation: number | null; mode: 'tcp' | 'tls' }>({ conversation: null, mode: 'tls' });
  const [marked, setMarked] = useState<ReadonlySet<number>>(() => new Set());
  const [notices, setNotices] = useState<Notice[]>([]);
  const noticeId = useRef(0);
  /** Why the engine stopped while it held this window's session (null while it runs). */
  const [engineStopped, setEngineStopped] = useState<string | null>(null);
  const [reopening, setReopening] = useState(false);

  const notify = useCallback((tone: Notice['tone'], text: ReactNode) => {
    const id = ++noticeId.current;
    setNotices((n) => [...n.slice(-3), { id, tone, text }]);
    if (tone !== 'error') setTimeout(() => setNotices((n) => n.filter((x) => x.id !== id)), 8000);
  }, []);

  const showTab = useCallback((t: Tab) => {
    setTab(t);
    setVisited((v) => (v.has(t) ? v : new Set([...v, t])));
  }, []);

  const openLadder = useCallback(
    (id: number) => {
      setSelectedConversation(id);
      setLadderConversation(id);
      showTab('ladder');
    },
    [showTab],
  );
  const bumpGeneration = useCallback(() => setGeneration((g) => g + 1), []);
  const showPackets = useCallback(() => showTab('packets'), [showTab]);
  const notifyText = useCallback((tone: Notice['tone'], text: string) => notify(tone, text), [notify]);
  // Follow › TCP/TLS Stream from a context menu: the Follow stream tab on that conversation.
  const followFromMenu = useCallback(
    (id: number, mode: 'tcp' | 'tls') => {
      setSelectedConversation(id);
      setFollow({ conversation: id, mode });
      showTab('follow');
    },
    [showTab],
  );
  const wireshark = usePacketHabits({
    client,
    session,
    info,
    setInfo,
    selection,
    setSelection,
    bumpGeneration,
    conversations,
    packetsShown: tab === 'packets',
    showPackets,
    openLadder,
    openFollow: followFromMenu,
    notify: notifyText,
    browser: host?.transport === 'browser',
  });

  // Start: what the host opened for this window.
  useEffect(() => {
    client.host().then(
      (h) => {
        setHost(h);
        setSession(h.initialSession);
      },
      (err: unknown) => setHostError(errorText(err)),
    );
    return client.onDisconnect((reason) => notify('error', reason));
  }, [client, notify]);

  // The engine died (or was restarted) with this window's session: say so, keep what is on screen.
  useEffect(() => {
    setEngineStopped(null);
    if (session === null) return;
    return client.on('engine-stopped', (e) => {
      if (e.sessions.includes(session)) setEngineStopped(e.reason);
    });
  }, [client, session]);

  const reopen = useCallback(async () => {
    if (session === null) return;
    setReopening(true);
    try {
      const next = await client.reopen(session);
      // The old session is gone with the engine that held it: nothing to close or to ask about.
      setHost((h) => (h !== null && h.initialSession === session ? { ...h, initialSession: next.session } : h));
      setSession(next.session);
      showTab('packets');
    } catch (err) {
      notify('error', `Reopen failed: ${errorText(err)}`);
    } finally {
      setReopening(false);
    }
  }, [client, session, notify, showTab]);

  // Everything that belongs to one session starts over when the session changes.
  useEffect(() => {
    setSelection(null);
    setGeneration((g) => g + 1);
    setFilterState({ ok: true, error: null, busy: false });
    setConversationList(null);
    setConversationTable(null);
    setConversationsError(null);
    setSelectedConversation(null);
    setLadderConversation(null);
    setTlsConversation(null);
    setStats({ value: null, error: null, loading: false });
    setMarked(new Set());
    setCapture(null);
    setFollow({ conversation: null, mode: 'tls' });
  }, [session]);

  /** Shows `next` instead of the current session; `confirmed`: the user already agreed to replace it. */
  const switchSession = useCallback(
    async (next: string, confirmed = false) => {
      if (next === session) return;
      if (session !== null) {
        const lose = unsavedWork(info);
        if (!confirmed && lose !== null && !window.confirm(`${lose} Close it anyway?`)) {
          await client.call('closeSession', { session: next }).catch(() => undefined);
          return;
        }
        // Browser mode keeps the capture the server was started with: a reload shows it again.
        const keep = host?.transport === 'browser' && session === host.initialSession;
        if (!keep) void client.call('closeSession', { session }).catch(() => undefined);
      }
      setSession(next);
      showTab('packets');
    },
    [client, session, info, host, showTab],
  );

  // Conversations (and while capturing, the open ladder and TLS records): a file's list is fetched
  // once its load ends (its count comes with each progress event, in SessionInfo); a live capture's
  // every few seconds while it runs, and once more when it ends.
  const loading = info?.loading ?? false;
  const live = info?.live ?? false;
  const fileLoading = loading && !live;
  const [convTick, setConvTick] = useState(0);
  useEffect(() => {
    if (!loading) {
      setConvTick((n) => n + 1);
      return;
    }
    const t = setInterval(() => setConvTick((n) => n + 1), live ? LIVE_REFRESH_MS : LOAD_REFRESH_MS);
    return () => clearInterval(t);
  }, [loading, live]);
  const liveTick = live ? convTick : 0;
  // Endpoints and Expert Info scan every packet: while a file loads they keep what they counted when
  // shown and count again once it ends (a live capture's follow it every few seconds).
  const viewTick = fileLoading ? 0 : convTick;
  useEffect(() => {
    // A loading file's list would cross the seam again every refresh, growing with the file.
    if (session === null || info === null || info.error !== null || fileLoading) return;
    let alive = true;
    const arg = wireshark.limits.conversations ? { session, limitToDisplay: true } : { session };
    client.call('conversations', { ...arg, count: 0 }).then(
      (c) => alive && (setConversationTable(c), setConversationsError(null)),
      (err: unknown) => alive && setConversationsError(errorText(err)),
    );
    client.call('conversations', arg).then(
      (c) => alive && setConversationList(c),
      (err: unknown) => alive && setConversationsError(errorText(err)),
    );
    return () => {
      alive = false;
    };
    // `info` itself changes with every progress event; the tick paces the refresh.
  }, [client, session, fileLoading, liveTick, info === null, info?.error, wireshark.limits.conversations, wireshark.limits.conversations ? info?.filter : '']);
  // The tab's count: the engine's (every progress event) unless the list is limited to the display filter.
  const conversationCount = wireshark.limits.conversations && conversationTable !== null && !fileLoading ? conversationTable.total : (info?.conversations ?? 0);

  // Statistics: fetched when the tab is first shown and when a load ends.
  const loadStats = useCallback(() => {
    if (session === null) return;
    setStats((s) => ({ ...s, loading: true }));
    client.call('statistics', wireshark.limits.statistics ? { session, limitToDisplay: true } : { session }).then(
      (value) => setStats({ value, error: null, loading: false }),
      (err: unknown) => setStats({ value: null, error: errorText(err), loading: false }),
    );
  }, [client, session, wireshark.limits.statistics, wireshark.limits.statistics ? info?.filter : '']);
  // A file's statistics wait for the whole file; a live capture's follow it (every third refresh)
  // while the tab is shown.
  const statsTick = Math.floor(liveTick / 3);
  useEffect(() => {
    if (tab === 'statistics' && session !== null && (!loading || live)) loadStats();
  }, [tab, session, loading, live, statsTick, loadStats]);

  // Live capture statistics, throttled; the last one (the capture ended) at once.
  useEffect(() => {
    let latest: CaptureState | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastApplied = 0;
    const apply = (): void => {
      timer = null;
      lastApplied = Date.now();
      setCapture(latest);
    };
    const off = client.on('capture-stats', (e) => {
      if (e.session !== session) return;
      latest = { stats: e.stats, running: e.running, error: e.error };
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(apply, e.running ? Math.max(0, CAPTURE_STATS_MS - (Date.now() - lastApplied)) : 0);
    });
    return () => {
      off();
      if (timer !== null) clearTimeout(timer);
    };
  }, [client, session]);

  const goToPacket = wireshark.goToPacket;
  const chooseLadder = useCallback((id: number) => {
    setSelectedConversation(id);
    setLadderConversation(id);
  }, []);
  useLadderDefault({ client, session, shown: tab === 'ladder', chosen: ladderConversation ?? selectedConversation, selection, conversations, choose: chooseLadder });

  const applyFilter = useCallback(
    async (text: string) => {
      if (session === null) return;
      setFilterState((s) => ({ ...s, busy: true }));
      try {
        const r = await client.call('setFilter', { session, filter: text });
        if (!r.ok) {
          setFilterState({ ok: false, error: r.error ?? 'invalid filter', busy: false });
          return;
        }
        setFilterState({ ok: true, error: null, busy: false });
        if (info !== null) setInfo({ ...info, filter: text, displayed: r.displayed });
        setGeneration((g) => g + 1);
        // The chosen packet stays selected, or the closest displayed one (it comes back later).
        await wireshark.relocate();
      } catch (err) {
        setFilterState({ ok: false, error: errorText(err), busy: false });
      }
    },
    [client, session, info, setInfo, wireshark.relocate],
  );

  const exportTarget = ladderConversation ?? selectedConversation;
  const [exportSignal, setExportSignal] = useState(0);
  const exportDiagram = useCallback(
    async (format: ExportFormat) => {
      if (session === null || exportTarget === null) {
        notify('info', 'Select a conversation (Conversations tab) to export its ladder.');
        return;
      }
      try {
        const result = await client.call('exportLadder', { session, conversation: exportTarget, format, options: { ...ladderPrefs, theme } });
        const where = await client.saveExport(result);
        if (where !== null) notify('info', host?.transport === 'browser' ? `Downloaded ${where}.` : `Saved the diagram to ${where}.`);
      } catch (err) {
        notify('error', `Export failed: ${errorText(err)}`);
      }
    },
    [client, session, exportTarget, ladderPrefs, theme, notify, host],
  );

  // Browser mode opens other captures by uploading them (file picker or drop) to a private copy.
  const upload = useUpload(client, host?.transport === 'browser', (opened) => void switchSession(opened.session), notify);
  const open = useCallback(async () => {
    if (host?.transport === 'browser') {
      upload.pick();
      return;
    }
    try {
      const opened = await client.openDialog();
      if (opened !== null) await switchSession(opened.session);
    } catch (err) {
      notify('error', errorText(err));
    }
  }, [client, host, notify, switchSession, upload.pick]);

  const save = useCallback(async () => {
    if (session === null) return;
    try {
      const r = await client.saveCaptureDialog(session);
      if (r === null) return;
      const what = `${plural(r.packets, 'packet')} and ${plural(r.annotations, 'annotation')}`;
      notify('info', host?.transport === 'browser' ? `Downloaded ${r.path} (${what}).` : `Saved ${what} to ${r.path}.`);
    } catch (err) {
      notify('error', `Save failed: ${errorText(err)}`);
    }
  }, [client, session, host, notify]);

  const saveWithKeys = useCallback(async () => {
    if (session === null) return;
    try {
      const r = await client.saveCaptureWithKeysDialog(session);
      if (r === null) return;
      notify('info', host?.transport === 'browser' ? `Downloaded ${r.path} with its TLS keys embedded.` : `Saved ${plural(r.packets, 'packet')} with their TLS keys embedded to ${r.path}.`);
    } catch (err) {
      notify('error', `Save failed: ${errorText(err)}`);
    }
  }, [client, session, host, notify]);

  const capturing = capture?.running ?? (info?.live === true && info.loading);
  const [stopping, setStopping] = useState(false);
  const stopCapture = useCallback(async () => {
    if (session === null || !capturing) return;
    setStopping(true);
    try {
      setInfo(await client.call('stopCapture', { session }));
    } catch (err) {
      notify('error', errorText(err));
    } finally {
      setStopping(false);
    }
  }, [client, session, capturing, setInfo, notify]);

  const closeCaptureDialog = useCallback(() => setCaptureOpen(false), []);
  const startCapture = useCallback(() => {
    if (capturing) {
      notify('info', 'A capture is running in this window: stop it before starting another.');
      return;
    }
    setCaptureOpen(true);
  }, [capturing, notify]);

  // Browser mode shows the capture in this view; Electron may open it in a new window (main decides).
  const captureStarted = useCallback(
    async (started: SessionInfo) => {
      setCaptureOpen(false);
      try {
        const where = await client.showCapture(started.session);
        if (where === 'here') await switchSession(started.session, host?.transport === 'browser');
      } catch (err) {
        notify('error', errorText(err));
      }
    },
    [client, host, switchSession, notify],
  );

  // Closing or reloading the tab while a capture runs or is unsaved asks first (the browser's own
  // prompt; Electron asks in main, where the window's close is intercepted).
  const lose = unsavedWork(info);
  useEffect(() => {
    if (lose === null || host?.transport !== 'browser') return;
    const onBeforeUnload = (e: BeforeUnloadEvent): void => {
      e.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [lose, host]);

  // Commands from the host: menus, files dropped on another window.
  const commandRef = useRef<(c: HostCommand) => void>(() => undefined);
  commandRef.current = (c: HostCommand) => {
    if (c.type === 'show-session') void switchSession(c.session);
    else if (c.type === 'export-diagram') setExportSignal((n) => n + 1);
    else if (c.type === 'start-capture') startCapture();
    else if (c.type === 'stop-capture') void stopCapture();
    else if (c.type === 'layer-model') setLayerModel(c.model);
    else if (c.type === 'tls-keys') setKeysOpen(session !== null);
    else if (c.type === 'follow-stream') showTab('follow');
  };
  useEffect(() => client.onCommand((c) => commandRef.current(c)), [client]);
  useEffect(() => {
    if (exportSignal > 0) showTab(exportTarget === null ? 'conversations' : 'ladder');
  }, [exportSignal]);

  const openTls = useCallback(
    (id: number) => {
      setSelectedConversation(id);
      setTlsConversation(id);
      showTab('tls');
    },
    [showTab],
  );
  const openFollow = useCallback(
    (id: number) => {
      setSelectedConversation(id);
      setFollow((f) => ({ ...f, conversation: id }));
      showTab('follow');
    },
    [showTab],
  );
  const markPackets = useCallback((packets: number[]) => setMarked(new Set(packets)), []);

  const browser = host?.transport === 'browser';
  let body: ReactNode;
  if (hostError !== null) body = <EmptyState title="WireLadder cannot reach its engine" tone="error">{hostError}</EmptyState>;
  else if (host === null) body = <EmptyState title="Starting…" tone="loading" />;
  else if (session === null) body = <NoCapture browser={browser} onOpen={() => void open()} onCapture={startCapture} />;
  else if (infoError !== null) body = <EmptyState title="This capture is no longer open" tone="error">{infoError}</EmptyState>;
  else if (info === null) body = <EmptyState title="Opening…" tone="loading" />;
  else if (info.error !== null && info.packets === 0)
    body = (
      <EmptyState title={`Can’t open ${info.fileName}`} tone="error" testId="open-error">
        {info.error}
      </EmptyState>
    );
  else if (info.loading && info.packets === 0 && !info.live)
    body = (
      <EmptyState title={`Reading ${info.fileName}…`} tone="loading">
        <button className="button" onClick={() => void client.call('cancelLoad', { session })}>
          Cancel
        </button>
      </EmptyState>
    );
  else
    body = (
      <>
        <nav className="tabs main-tabs" role="tablist" aria-label="Views">
          {tabs.map((t) => (
            <button key={t.id} role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'active' : ''} onClick={() => showTab(t.id)} data-testid={`tab-${t.id}`}>
              {t.label}
              {t.id === 'conversations' && (
                <span className="tab-count" data-testid="conversations-count">
                  {count(conversationCount)}
                </span>
              )}
            </button>
          ))}
        </nav>
        <main className="tab-body">
          <TabPanel active={tab === 'packets'}>
            <PacketsView
              info={info}
              generation={generation}
              selection={selection}
              onSelect={wireshark.select}
              layerModel={layerModel}
              onLayerModel={setLayerModel}
              marked={marked}
              habits={wireshark.habits((text, apply) => (apply ? void applyFilter(text) : wireshark.prepare(text)))}
            />
          </TabPanel>
          {visited.has('conversations') && (
            <TabPanel active={tab === 'conversations'}>
              <ConversationsView
                session={info.session}
                list={conversationTable}
                total={info.conversations}
                error={conversationsError}
                loading={info.loading}
                selected={selectedConversation}
                onSelect={setSelectedConversation}
                onOpenLadder={openLadder}
                onOpenTls={openTls}
                onGoToPacket={(p) => void goToPacket(p)}
                onFollow={openFollow}
                limit={{ value: wireshark.limits.conversations, filter: info.filter, onChange: wireshark.limits.setLimitConversations }}
              />
            </TabPanel>
          )}
          {visited.has('endpoints') && (
            <TabPanel active={tab === 'endpoints'}>
              <EndpointsView
                session={info.session}
                filter={info.filter}
                refresh={viewTick}
                limitToDisplay={wireshark.limits.endpoints}
                onLimit={wireshark.limits.setLimitEndpoints}
                onFilter={(t) => void applyFilter(t)}
              />
            </TabPanel>
          )}
          {visited.has('ladder') && (
            <TabPanel active={tab === 'ladder'}>
              <LadderView
                session={info.session}
                refresh={liveTick}
                conversation={ladderConversation ?? selectedConversation}
                theme={theme}
                prefs={ladderPrefs}
                onPrefs={setLadderPrefs}
                onGoToPacket={(p) => void goToPacket(p)}
                onMarkPackets={markPackets}
              />
            </TabPanel>
          )}
          {visited.has('tls') && (
            <TabPanel active={tab === 'tls'}>
              <TlsRecordsView
                session={info.session}
                refresh={liveTick}
                conversations={conversations}
                conversation={tlsConversation ?? selectedConversation}
                onConversation={setTlsConversation}
                onGoToPacket={(p) => void goToPacket(p)}
              />
            </TabPanel>
          )}
          {visited.has('follow') && (
            <TabPanel active={tab === 'follow'}>
              <FollowStreamView
                session={info.session}
                conversations={conversations}
                conversation={follow.conversation ?? selectedConversation}
                mode={follow.mode}
                onConversation={(id) => setFollow((f) => ({ ...f, conversation: id }))}
                onMode={(mode) => setFollow((f) => ({ ...f, mode }))}
                onNotify={notify}
              />
            </TabPanel>
          )}
          {visited.has('expert') && (
            <TabPanel active={tab === 'expert'}>
              <ExpertInfoView session={info.session} refresh={viewTick + generation} filter={info.filter} onGoToPacket={(p) => void goToPacket(p)} />
            </TabPanel>
          )}
          {visited.has('statistics') && (
            <TabPanel active={tab === 'statistics'}>
              <StatisticsView
                stats={stats.value}
                error={stats.error}
                loading={stats.loading}
                theme={theme}
                onRefresh={loadStats}
                limit={{ value: wireshark.limits.statistics, filter: info.filter, onChange: wireshark.limits.setLimitStatistics }}
              />
            </TabPanel>
          )}
          {visited.has('io') && (
            <TabPanel active={tab === 'io'}>
              <IoGraphView session={info.session} duration={info.durationSeconds} refresh={loading ? 0 : convTick} theme={theme} />
            </TabPanel>
          )}
        </main>
      </>
    );

  return (
    <div className="app">
      <Toolbar
        browser={browser}
        hasSession={info !== null && info.error === null}
        canSave={info !== null && info.error === null && !info.loading && !capturing}
        unsavedCapture={info?.unsavedCapture ?? false}
        capturing={capturing}
        canStopCapture={session !== null && !stopping}
        filter={info?.filter ?? ''}
        filterState={filterState}
        prepared={wireshark.prepared}
        onExportPackets={wireshark.openExport}
        exportTarget={exportTarget === null ? null : String(exportTarget)}
        exportSignal={exportSignal}
        themeChoice={choice}
        onOpen={() => void open()}
        onSave={() => void save()}
        onKeys={() => setKeysOpen(true)}
        onStartCapture={startCapture}
        onStopCapture={() => void stopCapture()}
        onFilter={(t) => void applyFilter(t)}
        onExport={(f) => void exportDiagram(f)}
        onTheme={setChoice}
      />
      {notices.length > 0 && (
        <div className="notices">
          {notices.map((n) => (
            <Banner key={n.id} tone={n.tone} onClose={() => setNotices((all) => all.filter((x) => x.id !== n.id))}>
              {n.text}
            </Banner>
          ))}
        </div>
      )}
      {info?.stop != null && (
        <Banner tone="warning">
          <span data-testid="damage-banner">
            File damaged at byte {count(info.stop.offset)}, {plural(info.packets, 'packet')} kept — {info.stop.reason}
          </span>
        </Banner>
      )}
      {engineStopped !== null && (
        <Banner tone="error">
          <span data-testid="engine-stopped">
            The engine stopped: {engineStopped}. The rows already shown stay here; anything new needs the engine.{' '}
            <button className="button" onClick={() => void reopen()} disabled={reopening} data-testid="engine-reopen">
              {reopening ? 'Reopening…' : 'Reopen'}
            </button>
          </span>
        </Banner>
      )}
      {info?.memoryLimit != null && (
        <Banner tone="warning">
          <span data-testid="memory-limit-banner">Reading {info.memoryLimit}. Open a smaller part of the capture (editcap can split it) to see the rest.</span>
        </Banner>
      )}
      {info !== null && info.error !== null && info.packets > 0 && <Banner tone="error">{info.error}</Banner>}
      {upload.progress !== null && (
        <Banner tone="info">
          <span data-testid="upload-progress">
            Opening {upload.progress.name}… {upload.progress.fraction < 1 ? `${Math.round(upload.progress.fraction * 100)}% uploaded` : 'reading'}
          </span>
        </Banner>
      )}
      {upload.dragging && (
        <div className="drop-overlay" data-testid="drop-overlay">
          Drop a capture (pcap, pcapng, gzip) to open it
        </div>
      )}
      <div className="body">{body}</div>
      <StatusBar
        info={info}
        engineStopped={engineStopped !== null}
        capture={capture}
        transport={host?.transport ?? null}
        onCancel={() => session !== null && void client.call('cancelLoad', { session })}
        onSave={() => void save()}
      />
      {wireshark.exportOpen && info !== null && (
        <ExportPacketsDialog
          session={info.session}
          selected={selection?.packet ?? null}
          filtered={info.filter !== ''}
          onClose={wireshark.closeExport}
          onExport={(range) => void wireshark.exportPackets(range)}
        />
      )}
      {keysOpen && session !== null && (
        <KeysDialog session={session} browser={browser} loading={info?.loading ?? false} onClose={() => setKeysOpen(false)} onSaveWithKeys={() => void saveWithKeys()} />
      )}
      {captureOpen && (
        <CaptureDialog
          onClose={closeCaptureDialog}
          onStarted={(started) => void captureStarted(started)}
          // Browser mode replaces this view: ask before a capture would take the place of unsaved work.
          confirmStart={browser && lose !== null ? () => window.confirm(`${lose} Start a new capture anyway?`) : undefined}
        />
      )}
    </div>
  );
}

function TabPanel({ active, children }: { active: boolean; children: ReactNode }) {
  return (
    <div className="tab-panel" role="tabpanel" hidden={!active}>
      {children}
    </div>
  );
}

function NoCapture({ browser, onOpen, onCapture }: { browser: boolean; onOpen(): void; onCapture(): void }) {
  return (
    <EmptyState title="Open a capture to begin" testId="no-capture">
      {browser ? (
        <>
          <p>WireLadder reads pcap and pcapng files (also gzip-compressed). Drop a file on this tab, or:</p>
          <div className="row-buttons">
            <button className="button primary" onClick={onOpen} data-testid="empty-open">
              Open a capture…
            </button>
            <button className="button" onClick={onCapture} data-testid="empty-capture">
              Capture live traffic…
            </button>
          </div>
        </>
      ) : (
        <>
          <p>WireLadder reads pcap and pcapng files (also gzip-compressed). Drop a file on this window, or:</p>
          <div className="row-buttons">
            <button className="button primary" onClick={onOpen}>
              Open a capture…
            </button>
            <button className="button" onClick={onCapture} data-testid="empty-capture">
              Capture live traffic…
            </button>
          </div>
        </>
      )}
    </EmptyState>
  );
}
