// Live capture options: interface (with its traffic over the last ~30 s), capture filter (checked as
// you type), snap length, stop conditions; and the engine's own words when a capture cannot start.

import { useEffect, useState } from 'react';
import type { CaptureOptionsDto, InterfaceDto, SessionInfo } from '../../../shared/api';
import { useClient } from '../state/client-context';
import { errorText } from '../state/format';
import { HISTORY_LENGTH, rateText, TrafficHistory } from '../state/traffic-history';
import { Sparkline } from './Sparkline';

/** The dialog polls the interface counters twice a second while it is open. */
export const COUNTERS_POLL_MS = 500;

interface Props {
  onStarted(info: SessionInfo): void;
  onClose(): void;
  /** Asked before a capture starts (what the window shows now may be replaced); false cancels. */
  confirmStart?(): boolean;
}

/**
 * The engine says this when the filter could not be checked because the device did not open (no
 * permission…): not the filter's fault, and starting will explain. Any other answer refuses the filter.
 */
const isUnchecked = (message: string): boolean => message.startsWith('cannot check the filter');
/** How the engine words libpcap's refusal of a filter when a capture starts. */
const isFilterRefusal = (message: string): boolean => message.startsWith('capture filter ');

type FilterCheck = { state: 'none' | 'checking' | 'valid' } | { state: 'invalid' | 'unchecked'; message: string };

export function CaptureDialog({ onStarted, onClose, confirmStart }: Props) {
  const client = useClient();
  const [interfaces, setInterfaces] = useState<InterfaceDto[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [opts, setOpts] = useState<CaptureOptionsDto>({
    interface: '',
    filter: '',
    snaplen: 262_144,
    promiscuous: true,
    stopAfterPackets: null,
    stopAfterSeconds: null,
    stopAfterBytes: null,
  });
  const [filterCheck, setFilterCheck] = useState<FilterCheck>({ state: 'none' });
  const [starting, setStarting] = useState(false);
  const [traffic, setTraffic] = useState(() => new TrafficHistory());

  useEffect(() => {
    client.call('listInterfaces', {}).then(
      (list) => {
        setInterfaces(list);
        const first = list.find((i) => i.up && !i.loopback) ?? list[0];
        if (first !== undefined) setOpts((o) => (o.interface === '' ? { ...o, interface: first.name } : o));
      },
      (err: unknown) => setListError(errorText(err)),
    );
  }, [client]);

  // Traffic per interface: cumulative counters polled while the dialog is open. An engine that
  // cannot count (not Linux) answers an empty list, and then no interface shows a sparkline.
  useEffect(() => {
    let alive = true;
    let inFlight = false;
    let timer: ReturnType<typeof setInterval> | null = null;
    const poll = (): void => {
      if (inFlight) return;
      inFlight = true;
      client.call('interfaceCounters', {}).then(
        (counters) => {
          inFlight = false;
          if (!alive) return;
          if (counters.length === 0 && timer !== null) {
            clearInterval(timer);
            timer = null;
          }
          const t = performance.now();
          setTraffic((h) => h.add(counters, t));
        },
        () => {
          // Without counters the dialog simply shows none; capturing does not depend on them.
          inFlight = false;
          if (timer !== null) clearInterval(timer);
          timer = null;
        },
      );
    };
    poll();
    timer = setInterval(poll, COUNTERS_POLL_MS);
    return () => {
      alive = false;
      if (timer !== null) clearInterval(timer);
    };
  }, [client]);

  useEffect(() => {
    if (opts.interface === '' || opts.filter.trim() === '') {
      setFilterCheck({ state: 'none' });
      return;
    }
    let alive = true;
    setFilterCheck({ state: 'checking' });
    const t = setTimeout(() => {
      client.call('checkCaptureFilter', { filter: opts.filter, interface: opts.interface }).then(
        (r) => {
          if (!alive) return;
          if (r.error === null) setFilterCheck({ state: 'valid' });
          else setFilterCheck({ state: isUnchecked(r.error) ? 'unchecked' : 'invalid', message: r.error });
        },
        (err: unknown) => alive && setFilterCheck({ state: 'unchecked', message: errorText(err) }),
      );
    }, 300);
    return () => {
      alive = false;
      clearTimeout(t);
    };
  }, [client, opts.filter, opts.interface]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const invalidFilter = filterCheck.state === 'invalid';
  const canStart = !starting && opts.interface !== '' && !invalidFilter;

  const start = async (): Promise<void> => {
    if (!canStart) return;
    if (confirmStart !== undefined && !confirmStart()) return;
    setStarting(true);
    setStartError(null);
    try {
      onStarted(await client.call('startCapture', { options: { ...opts, filter: opts.filter.trim() } }));
    } catch (err) {
      const message = errorText(err);
      // The same refusal the check would have shown: put it where the filter is.
      if (isFilterRefusal(message)) setFilterCheck({ state: 'invalid', message });
      else setStartError(message);
    } finally {
      setStarting(false);
    }
  };

  const num = (v: string): number | null => (v.trim() === '' ? null : Math.max(1, Math.floor(Number(v)) || 1));

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <form
        className="modal capture-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="capture-title"
        data-testid="capture-dialog"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <h2 id="capture-title">Capture live traffic</h2>
        {interfaces === null && listError === null && <p className="sub">Looking for interfaces…</p>}
        {listError !== null && (
          <p className="error-text capture-error" role="alert" data-testid="interfaces-error">
            {listError}
          </p>
        )}
        {interfaces !== null && interfaces.length === 0 && <p className="error-text">No capture interfaces were found.</p>}
        {interfaces !== null && interfaces.length > 0 && (
          <div className="iface-list" role="radiogroup" aria-label="Interface">
            {interfaces.map((i) => {
              const rate = traffic.current(i.name);
              return (
                <label key={i.name} className={`iface${opts.interface === i.name ? ' on' : ''}${i.up ? '' : ' down'}`} data-testid="iface" data-iface={i.name}>
                  <input type="radio" name="iface" checked={opts.interface === i.name} onChange={() => setOpts((o) => ({ ...o, interface: i.name }))} />
                  <span className="iface-name">{i.name}</span>
                  <span className="sub iface-about">
                    {i.description !== '' ? i.description : i.loopback ? 'loopback' : ''} {i.addresses.join(', ')}
                    {!i.up && ' (down)'}
                  </span>
                  {traffic.has(i.name) && (
                    <span className="iface-traffic">
                      <Sparkline values={traffic.ratesOf(i.name)} slots={HISTORY_LENGTH} label={`Traffic on ${i.name}, packets per second over the last 30 seconds`} />
                      <span className="iface-rate" data-testid="iface-rate">
                        {rate === null ? '' : rateText(rate)}
                      </span>
                    </span>
                  )}
                </label>
              );
            })}
          </div>
        )}
        <label className="field">
          Capture filter (BPF)
          <input
            type="text"
            value={opts.filter}
            spellCheck={false}
            placeholder="e.g. tcp port 443"
            className={invalidFilter ? 'invalid' : filterCheck.state === 'valid' ? 'valid' : ''}
            aria-invalid={invalidFilter}
            onChange={(e) => {
              const filter = e.target.value;
              setOpts((o) => ({ ...o, filter }));
            }}
            data-testid="capture-filter"
          />
          {invalidFilter && (
            <span className="error-text" role="alert" data-testid="capture-filter-error">
              {filterCheck.message}
            </span>
          )}
          {filterCheck.state === 'unchecked' && (
            <span className="sub warn" data-testid="capture-filter-unchecked">
              {filterCheck.message}
            </span>
          )}
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
        {startError !== null && (
          // The engine's message as it is: the reason, then how to fix it (commands on their own lines).
          <div className="capture-error" role="alert" data-testid="capture-error">
            <EngineMessage text={startError} />
          </div>
        )}
        <div className="row-buttons end">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={!canStart} data-testid="capture-go">
            {starting ? 'Starting…' : 'Start capture'}
          </button>
        </div>
      </form>
    </div>
  );
}

/** A multi-line engine message, character for character; its indented lines are commands to copy. */
function EngineMessage({ text }: { text: string }) {
  const lines = text.split('\n');
  return (
    <>
      {lines.map((line, i) => (
        <span key={i}>
          {i > 0 && '\n'}
          {line.startsWith('  ') ? <code className="capture-command">{line}</code> : line}
        </span>
      ))}
    </>
  );
}
