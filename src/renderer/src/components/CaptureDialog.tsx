// Live capture options: interface, capture filter (checked as you type), snap length, stop conditions.

import { useEffect, useState } from 'react';
import type { CaptureOptionsDto, InterfaceDto, SessionInfo } from '../../../shared/api';
import { useClient } from '../state/client-context';
import { errorText } from '../state/format';

interface Props {
  onStarted(info: SessionInfo): void;
  onClose(): void;
}

export function CaptureDialog({ onStarted, onClose }: Props) {
  const client = useClient();
  const [interfaces, setInterfaces] = useState<InterfaceDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opts, setOpts] = useState<CaptureOptionsDto>({
    interface: '',
    filter: '',
    snaplen: 262_144,
    promiscuous: true,
    stopAfterPackets: null,
    stopAfterSeconds: null,
    stopAfterBytes: null,
  });
  const [filterError, setFilterError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    client.call('listInterfaces', {}).then(
      (list) => {
        setInterfaces(list);
        const first = list.find((i) => i.up && !i.loopback) ?? list[0];
        if (first !== undefined) setOpts((o) => ({ ...o, interface: first.name }));
      },
      (err: unknown) => setError(errorText(err)),
    );
  }, [client]);

  useEffect(() => {
    if (opts.interface === '' || opts.filter.trim() === '') {
      setFilterError(null);
      return;
    }
    const t = setTimeout(() => {
      client.call('checkCaptureFilter', { filter: opts.filter, interface: opts.interface }).then(
        (r) => setFilterError(r.error),
        (err: unknown) => setFilterError(errorText(err)),
      );
    }, 300);
    return () => clearTimeout(t);
  }, [client, opts.filter, opts.interface]);

  const start = async (): Promise<void> => {
    setStarting(true);
    setError(null);
    try {
      onStarted(await client.call('startCapture', { options: opts }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setStarting(false);
    }
  };

  const num = (v: string): number | null => (v.trim() === '' ? null : Math.max(1, Math.floor(Number(v)) || 1));

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="capture-title" data-testid="capture-dialog">
        <h2 id="capture-title">Capture live traffic</h2>
        {interfaces === null && error === null && <p className="sub">Looking for interfaces…</p>}
        {interfaces !== null && interfaces.length === 0 && <p className="error-text">No capture interfaces were found.</p>}
        {interfaces !== null && interfaces.length > 0 && (
          <div className="iface-list" role="radiogroup" aria-label="Interface">
            {interfaces.map((i) => (
              <label key={i.name} className={`iface${opts.interface === i.name ? ' on' : ''}${i.up ? '' : ' down'}`}>
                <input type="radio" name="iface" checked={opts.interface === i.name} onChange={() => setOpts({ ...opts, interface: i.name })} />
                <span className="iface-name">{i.name}</span>
                <span className="sub">
                  {i.description !== '' ? i.description : i.loopback ? 'loopback' : ''} {i.addresses.join(', ')}
                  {!i.up && ' (down)'}
                </span>
              </label>
            ))}
          </div>
        )}
        <label className="field">
          Capture filter (BPF)
          <input
            type="text"
            value={opts.filter}
            spellCheck={false}
            placeholder="e.g. tcp port 443"
            className={filterError !== null ? 'invalid' : ''}
            onChange={(e) => setOpts({ ...opts, filter: e.target.value })}
          />
          {filterError !== null && <span className="error-text">{filterError}</span>}
        </label>
        <div className="field-row">
          <label className="field">
            Snap length
            <input type="number" min={64} max={262144} value={opts.snaplen} onChange={(e) => setOpts({ ...opts, snaplen: Math.min(262_144, Math.max(64, Number(e.target.value) || 64)) })} />
          </label>
          <label className="check">
            <input type="checkbox" checked={opts.promiscuous} onChange={(e) => setOpts({ ...opts, promiscuous: e.target.checked })} /> Promiscuous mode
          </label>
        </div>
        <div className="field-row">
          <label className="field">
            Stop after packets
            <input type="number" min={1} value={opts.stopAfterPackets ?? ''} onChange={(e) => setOpts({ ...opts, stopAfterPackets: num(e.target.value) })} />
          </label>
          <label className="field">
            seconds
            <input type="number" min={1} value={opts.stopAfterSeconds ?? ''} onChange={(e) => setOpts({ ...opts, stopAfterSeconds: num(e.target.value) })} />
          </label>
          <label className="field">
            bytes
            <input type="number" min={1} value={opts.stopAfterBytes ?? ''} onChange={(e) => setOpts({ ...opts, stopAfterBytes: num(e.target.value) })} />
          </label>
        </div>
        {error !== null && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
        <div className="row-buttons end">
          <button className="button" onClick={onClose}>
            Cancel
          </button>
          <button className="button primary" disabled={starting || opts.interface === '' || filterError !== null} onClick={() => void start()} data-testid="capture-go">
            Start capture
          </button>
        </div>
      </div>
    </div>
  );
}
