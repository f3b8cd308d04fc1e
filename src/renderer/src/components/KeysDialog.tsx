// TLS keys of the open capture: load key log files (NSS SSLKEYLOGFILE) and PEM RSA private keys,
// see how many TLS sessions each matched and its malformed lines, remove them, and save the
// capture with the keys it uses embedded (pcapng DSB). Names and counts only reach this window.

import { useEffect, useRef, useState } from 'react';
import type { TlsKeysDto } from '../../../shared/api';
import { useClient } from '../state/client-context';
import { errorText, plural } from '../state/format';

interface Props {
  session: string;
  browser: boolean;
  /** The capture is being analysed again with new keys (counts settle when it is done). */
  loading: boolean;
  onClose(): void;
  onSaveWithKeys(): void;
}

const kindText = { keylog: 'key log', dsb: 'embedded in the capture', rsa: 'RSA private key' } as const;

export function KeysDialog({ session, browser, loading, onClose, onSaveWithKeys }: Props) {
  const client = useClient();
  const [keys, setKeys] = useState<TlsKeysDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [binding, setBinding] = useState('');
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  // Counts change as the capture is analysed again: read them when that ends.
  useEffect(() => {
    client.call('tlsKeys', { session }).then(setKeys, (err: unknown) => setError(errorText(err)));
  }, [client, session, loading]);

  const run = async (work: () => Promise<TlsKeysDto | null>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const k = await work();
      if (k !== null) setKeys(k);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  // Browser mode (and Electron too, for a one-off load): the file's contents are uploaded.
  const upload = (files: FileList | null): void => {
    const f = files?.[0];
    if (f === undefined) return;
    void run(async () => client.call('addTlsKeyText', { session, name: f.name, text: await f.text(), binding }));
    if (fileInput.current !== null) fileInput.current.value = '';
  };

  const load = (watch: boolean): void => {
    if (browser) fileInput.current?.click();
    else void run(() => client.openKeyFileDialog(session, watch));
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal keys-dialog" role="dialog" aria-modal="true" aria-labelledby="keys-title" data-testid="keys-dialog">
        <h2 id="keys-title">TLS keys</h2>
        <p className="sub">
          Key logs (the SSLKEYLOGFILE that browsers, curl and OpenSSL write) decrypt TLS 1.2 and 1.3; an RSA private key (PEM) decrypts TLS ≤ 1.2 sessions that used
          RSA key exchange. Keys stay in the engine: this window sees only names and counts.
        </p>
        {keys !== null && (
          <p data-testid="keys-summary">
            <strong>
              {keys.sessionsMatched} of {plural(keys.sessionsSeen, 'TLS session')} matched
            </strong>
            {loading && <span className="sub"> · analysing the capture again…</span>}
          </p>
        )}
        {keys !== null && keys.sources.length === 0 && <p className="sub">No keys loaded.</p>}
        {keys !== null && keys.sources.length > 0 && (
          <table className="data-table keys-table" aria-label="Key sources">
            <thead>
              <tr>
                <th>File</th>
                <th>Kind</th>
                <th className="num">Entries</th>
                <th className="num">Sessions matched</th>
                <th>Problems</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {keys.sources.map((s) => (
                <tr key={s.id} data-testid="key-source">
                  <td className="mono">
                    {s.name}
                    {s.watched && <span className="chip">following</span>}
                  </td>
                  <td>
                    {kindText[s.kind]}
                    {s.binding !== '' && <span className="sub"> ({s.binding})</span>}
                  </td>
                  <td className="num">{s.entries}</td>
                  <td className="num" data-testid="key-matched">
                    {s.matchedSessions}
                  </td>
                  <td title={s.problems.map((p) => `line ${p.line}: ${p.reason}`).join('\n')}>
                    {s.problemCount === 0 ? '' : `${plural(s.problemCount, 'malformed line')} (first: line ${s.problems[0]?.line}: ${s.problems[0]?.reason})`}
                  </td>
                  <td className="actions">
                    {s.kind !== 'dsb' && (
                      <button className="link-button" disabled={busy} onClick={() => void run(() => client.call('removeTlsKey', { session, id: s.id }))}>
                        Remove
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {error !== null && (
          <p className="error-text" role="alert" data-testid="keys-error">
            {error}
          </p>
        )}
        <label className="check keys-binding">
          RSA key for server (optional)
          <input type="text" placeholder="address:port, e.g. 192.0.2.1:443" value={binding} onChange={(e) => setBinding(e.target.value)} spellCheck={false} />
        </label>
        <input ref={fileInput} type="file" hidden onChange={(e) => upload(e.target.files)} data-testid="keys-file-input" />
        <div className="row-buttons end">
          <button className="button primary" disabled={busy} onClick={() => load(false)} data-testid="keys-load">
            Load key file…
          </button>
          {!browser && (
            <button className="button" disabled={busy} onClick={() => load(true)} title="Follow a key log as a browser writes it: new sessions decrypt as their keys arrive">
              Follow key log…
            </button>
          )}
          <button className="button" disabled={busy || keys === null || keys.sessionsMatched === 0} onClick={onSaveWithKeys} data-testid="keys-save" title="A pcapng copy with a Decryption Secrets Block of just the keys this capture uses">
            Save with embedded keys…
          </button>
          <button className="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
