// The OSI layer stack of the selected packet: one card per layer with its field tree (or the four
// TCP/IP layers). Layers the packet does not have are shown as thin placeholders, so the stack
// always reads top to bottom.

import { useEffect, useRef, type MouseEvent as ReactMouseEvent } from 'react';
import type { FieldNodeDto, PacketDetail } from '../../../shared/api';
import { fieldKey, layerKey, stackGroups, type FieldSelection, type LayerModel } from '../state/detail-model';

interface Props {
  detail: PacketDetail;
  model: LayerModel;
  selected: string | null;
  expanded: ReadonlySet<string>;
  onSelect(sel: FieldSelection): void;
  onToggle(key: string): void;
  /** A frame reference was followed ("Request in frame: 4", "This is an ACK to the segment in frame: 7"). */
  onLink?(frame: number): void;
  /** Right-click on a layer or a field (selected first, as Wireshark does). */
  onMenu?(key: string, at: { x: number; y: number }): void;
}

export function LayerStack({ detail, model, selected, expanded, onSelect, onToggle, onLink, onMenu }: Props) {
  const groups = stackGroups(detail, model);
  const topOsi = Math.max(...detail.layers.map((l) => l.osi));
  const box = useRef<HTMLDivElement>(null);
  // Bring the selected line into view (a byte clicked in the hex view selects a field deep down).
  useEffect(() => {
    if (selected === null) return;
    const el = box.current?.querySelector<HTMLElement>(`[data-key="${CSS.escape(selected)}"]`);
    const pane = el?.closest('.pane-body');
    if (el === null || el === undefined || pane === null || pane === undefined) return;
    const r = el.getBoundingClientRect();
    const p = pane.getBoundingClientRect();
    // Only when it is out of sight, and then into the middle (not flush against an edge).
    if (r.top < p.top || r.bottom > p.bottom) el.scrollIntoView({ block: 'center', inline: 'nearest' });
  }, [selected, expanded]);
  const menu = (key: string, sel: FieldSelection) => (e: ReactMouseEvent): void => {
    if (onMenu === undefined) return;
    e.preventDefault();
    onSelect(sel);
    onMenu(key, { x: e.clientX, y: e.clientY });
  };
  return (
    <div ref={box} className="layer-stack" aria-label="Layers of the selected packet">
      {detail.expert.length > 0 && (
        <ul className="expert-items" aria-label="Expert information of this packet" data-testid="packet-expert">
          {detail.expert.map((x, i) => (
            <li key={i} className={`expert-item sev-${x.severity.toLowerCase()}`} title={`${x.severity} · ${x.group} · ${x.protocol}`}>
              <span className={`sev-dot sev-${x.severity.toLowerCase()}`} aria-hidden="true" />
              <span className="expert-proto">{x.protocol}</span>
              {x.summary}
            </li>
          ))}
        </ul>
      )}
      {groups.map((g) => {
        if (g.layers.length === 0) {
          // Above the packet's top layer there is nothing to show; below it, a gap is worth saying.
          const above = Math.min(...g.osi) > topOsi;
          return (
            <div key={g.badge} className="layer-absent" data-layer={g.badge}>
              <span className="layer-badge muted">{g.badge}</span>
              <span>
                {g.name} — {above ? 'not in this packet' : 'not decoded'}
              </span>
            </div>
          );
        }
        return (
          <section key={g.badge} className="layer-card" data-testid="layer-card" data-osi={g.osi.join(',')} data-layer={g.badge}>
            {g.layers.map(({ layer, index }) => {
              const key = layerKey(index);
              const open = expanded.has(key);
              return (
                <div key={key} className={`layer${layer.malformed !== null ? ' malformed' : ''}`}>
                  <div
                    className={`layer-head${selected === key ? ' selected' : ''}`}
                    data-key={key}
                    data-testid="layer-head"
                    data-protocol={layer.protocol}
                    onClick={() => onSelect({ key, source: layer.source, start: layer.start, length: layer.length })}
                    onDoubleClick={() => onToggle(key)}
                    onContextMenu={menu(key, { key, source: layer.source, start: layer.start, length: layer.length })}
                  >
                    <button className="twisty" aria-label={open ? 'Collapse' : 'Expand'} aria-expanded={open} onClick={(e) => (e.stopPropagation(), onToggle(key))}>
                      {open ? '▾' : '▸'}
                    </button>
                    <span className="layer-badge" title={g.name}>
                      {model === 'osi' ? g.badge : layer.osi === 5 ? 'L5–6' : `L${layer.osi}`}
                    </span>
                    <span className="layer-title" title={layer.title}>
                      {layer.title}
                    </span>
                    {model === 'osi' && layer === g.layers[0]!.layer && <span className="layer-kind">{g.name}</span>}
                    {model === 'tcpip' && layer === g.layers[0]!.layer && <span className="layer-kind">{g.badge}</span>}
                  </div>
                  {layer.malformed !== null && <div className="layer-warning">Malformed: {layer.malformed}</div>}
                  {open && <FieldTree nodes={layer.fields} parent={key} depth={0} selected={selected} expanded={expanded} onSelect={onSelect} onToggle={onToggle} onLink={onLink} onMenu={onMenu === undefined ? undefined : menu} />}
                </div>
              );
            })}
          </section>
        );
      })}
      {detail.comments.length > 0 && (
        <section className="layer-card comments" aria-label="Packet comments">
          <div className="layer-head">
            <span className="layer-badge note">Note</span>
            <span className="layer-title">Packet comments</span>
          </div>
          {detail.comments.map((c, i) => (
            <div key={i} className="comment-line">
              {c}
            </div>
          ))}
        </section>
      )}
    </div>
  );
}

interface TreeProps {
  nodes: FieldNodeDto[];
  parent: string;
  depth: number;
  selected: string | null;
  expanded: ReadonlySet<string>;
  onSelect(sel: FieldSelection): void;
  onToggle(key: string): void;
  onLink?: ((frame: number) => void) | undefined;
  onMenu?: ((key: string, sel: FieldSelection) => (e: ReactMouseEvent) => void) | undefined;
}

function FieldTree({ nodes, parent, depth, selected, expanded, onSelect, onToggle, onLink, onMenu }: TreeProps) {
  return (
    <ul className="field-tree" role="group">
      {nodes.map((n, i) => {
        const key = fieldKey(parent, i);
        const hasChildren = n.children !== undefined && n.children.length > 0;
        const open = hasChildren && expanded.has(key);
        return (
          <li key={key} role="treeitem" aria-expanded={hasChildren ? open : undefined} aria-selected={selected === key}>
            <div
              className={`field-node${selected === key ? ' selected' : ''}${n.warning !== undefined ? ' warning' : ''}`}
              data-testid="field-node"
              data-field={n.name}
              data-key={key}
              style={{ paddingLeft: 6 + depth * 14 }}
              onClick={() => onSelect({ key, source: n.source, start: n.start, length: n.length })}
              onDoubleClick={() => (n.frame !== undefined ? onLink?.(n.frame) : hasChildren && onToggle(key))}
              onContextMenu={onMenu?.(key, { key, source: n.source, start: n.start, length: n.length })}
              title={n.name !== '' ? `${n.name}${n.length > 0 ? ` · ${n.length} byte${n.length === 1 ? '' : 's'} at ${n.start}` : ''}` : undefined}
            >
              {hasChildren ? (
                <button className="twisty" aria-label={open ? 'Collapse' : 'Expand'} onClick={(e) => (e.stopPropagation(), onToggle(key))}>
                  {open ? '▾' : '▸'}
                </button>
              ) : (
                <span className="twisty-space" />
              )}
              {n.frame !== undefined && onLink !== undefined ? (
                <a
                  className="field-label frame-link"
                  href={`#packet-${n.frame}`}
                  data-testid="frame-link"
                  data-frame={n.frame}
                  title={`Go to packet ${n.frame}`}
                  onClick={(e) => {
                    e.preventDefault();
                    e.stopPropagation();
                    onLink(n.frame!);
                  }}
                >
                  {n.label}
                </a>
              ) : (
                <span className="field-label">{n.label}</span>
              )}
              {n.warning !== undefined && <span className="field-warning">{n.warning}</span>}
            </div>
            {open && <FieldTree nodes={n.children!} parent={key} depth={depth + 1} selected={selected} expanded={expanded} onSelect={onSelect} onToggle={onToggle} onLink={onLink} onMenu={onMenu} />}
          </li>
        );
      })}
    </ul>
  );
}
