// The packets tab: list on top; below, the selected packet's layer stack and its bytes.

import { useCallback, useEffect, useMemo, useState } from 'react';
import type { PacketDetail, SessionInfo } from '../../../shared/api';
import { HexView } from '../components/HexView';
import { LayerStack } from '../components/LayerStack';
import { EmptyState } from '../components/Notice';
import { PacketList, type ListSelection } from '../components/PacketList';
import { SplitPane } from '../components/SplitPane';
import { useClient } from '../state/client-context';
import { ancestorKeys, fieldAt, layerKey, type FieldSelection, type LayerModel } from '../state/detail-model';
import { errorText } from '../state/format';

interface Props {
  info: SessionInfo;
  generation: number;
  selection: ListSelection | null;
  onSelect(sel: ListSelection): void;
  layerModel: LayerModel;
  onLayerModel(m: LayerModel): void;
  marked: ReadonlySet<number>;
}

/** Layers open by default; toggling a layer remembers it by protocol for the next packets. */
const defaultOpen = ['tcp', 'udp', 'tls', 'http', 'icmp', 'icmpv6', 'arp'];

export function PacketsView({ info, generation, selection, onSelect, layerModel, onLayerModel, marked }: Props) {
  const client = useClient();
  const packet = selection?.packet ?? null;
  const [detail, setDetail] = useState<PacketDetail | null>(null);
  const [detailError, setDetailError] = useState<string | null>(null);
  const [field, setField] = useState<FieldSelection | null>(null);
  const [openProtocols, setOpenProtocols] = useState<ReadonlySet<string>>(() => new Set(defaultOpen));
  const [openFields, setOpenFields] = useState<ReadonlySet<string>>(() => new Set());
  const [activeSource, setActiveSource] = useState(0);

  // Fetch the detail of the selected packet, debounced so holding an arrow key stays smooth.
  useEffect(() => {
    if (packet === null) {
      setDetail(null);
      return;
    }
    let alive = true;
    const t = setTimeout(() => {
      client.call('packetDetail', { session: info.session, packet }).then(
        (d) => {
          if (!alive) return;
          setDetail(d);
          setDetailError(null);
          setField(null);
          setOpenFields(new Set());
          setActiveSource(0);
        },
        (err: unknown) => alive && setDetailError(errorText(err)),
      );
    }, 40);
    return () => {
      alive = false;
      clearTimeout(t);
    };
  }, [client, info.session, packet]);

  const expanded = useMemo(() => {
    const keys = new Set(openFields);
    detail?.layers.forEach((l, i) => {
      if (openProtocols.has(l.protocol)) keys.add(layerKey(i));
    });
    return keys;
  }, [detail, openFields, openProtocols]);

  const toggle = useCallback(
    (key: string) => {
      if (!key.includes('.')) {
        const proto = detail?.layers[Number(key)]?.protocol;
        if (proto === undefined) return;
        setOpenProtocols((s) => {
          const n = new Set(s);
          if (n.has(proto)) n.delete(proto);
          else n.add(proto);
          return n;
        });
        return;
      }
      setOpenFields((s) => {
        const n = new Set(s);
        if (n.has(key)) n.delete(key);
        else n.add(key);
        return n;
      });
    },
    [detail],
  );

  const selectField = useCallback((sel: FieldSelection) => {
    setField(sel);
    if (sel.length > 0) setActiveSource(sel.source);
  }, []);

  const onByteClick = useCallback(
    (source: number, offset: number) => {
      if (detail === null) return;
      const sel = fieldAt(detail, source, offset);
      if (sel === null) return;
      setField(sel);
      const ancestors = ancestorKeys(sel.key);
      const proto = detail.layers[Number(sel.key.split('.')[0])]?.protocol;
      if (proto !== undefined && sel.key.includes('.')) setOpenProtocols((s) => (s.has(proto) ? s : new Set([...s, proto])));
      setOpenFields((s) => new Set([...s, ...ancestors.filter((k) => k.includes('.'))]));
    },
    [detail],
  );

  const list = (
    <PacketList
      session={info.session}
      total={info.displayed}
      generation={generation}
      selection={selection}
      onSelect={onSelect}
      follow={info.live}
      marked={marked}
    />
  );

  const detailPane =
    packet === null ? (
      <EmptyState title="No packet selected">Select a packet in the list (or use the arrow keys) to see its layers and bytes.</EmptyState>
    ) : detailError !== null ? (
      <EmptyState title={`Packet ${packet} could not be decoded`} tone="error">
        {detailError}
      </EmptyState>
    ) : detail === null ? (
      <EmptyState title="Decoding…" tone="loading" />
    ) : (
      <SplitPane direction="row" initial={0.56} label="Resize layers and bytes">
        <div className="pane">
          <div className="pane-head">
            <span className="pane-title">Packet {detail.number}</span>
            <div className="segmented" role="radiogroup" aria-label="Layer model">
              <button role="radio" aria-checked={layerModel === 'osi'} className={layerModel === 'osi' ? 'on' : ''} onClick={() => onLayerModel('osi')} data-testid="model-osi">
                OSI
              </button>
              <button role="radio" aria-checked={layerModel === 'tcpip'} className={layerModel === 'tcpip' ? 'on' : ''} onClick={() => onLayerModel('tcpip')} data-testid="model-tcpip">
                TCP/IP
              </button>
            </div>
          </div>
          <div className="pane-body">
            <LayerStack detail={detail} model={layerModel} selected={field?.key ?? null} expanded={expanded} onSelect={selectField} onToggle={toggle} />
          </div>
        </div>
        <div className="pane">
          <div className="pane-head">
            <span className="pane-title">Bytes</span>
            {field !== null && field.length > 0 && (
              <span className="pane-note">
                {field.length} byte{field.length === 1 ? '' : 's'} at offset {field.start}
              </span>
            )}
          </div>
          <div className="pane-body flush">
            <HexView sources={detail.sources} active={activeSource} onActive={setActiveSource} highlight={field} onByteClick={onByteClick} malformed={detail.malformed} />
          </div>
        </div>
      </SplitPane>
    );

  return (
    <SplitPane direction="column" initial={0.52} label="Resize packet list and details">
      {list}
      {detailPane}
    </SplitPane>
  );
}
