// TLS records of one conversation in two lanes (client → server, server → client), in time order,
// each with its handshake messages and the TCP segments that carried it.

import type { ConversationDto, TlsRecordDto, TlsRecordsDto } from '../../../shared/api';
import { EmptyState } from '../components/Notice';
import { useClient } from '../state/client-context';
import { duration, endpoint } from '../state/format';
import { useAsync } from '../state/use-async';

interface Props {
  session: string;
  /** Changes when the records should be fetched again (a live capture grew). */
  refresh?: number;
  conversations: ConversationDto[] | null;
  conversation: number | null;
  onConversation(id: number): void;
  onGoToPacket(packet: number): void;
}

export function TlsRecordsView({ session, refresh = 0, conversations, conversation, onConversation, onGoToPacket }: Props) {
  const client = useClient();
  const tcp = (conversations ?? []).filter((c) => c.protocol === 'TCP');
  const current = conversation ?? tcp.find((c) => c.tls !== null)?.id ?? tcp[0]?.id ?? null;
  const { value, error, loading } = useAsync<TlsRecordsDto>(
    current === null ? null : () => client.call('tlsRecords', { session, conversation: current }),
    [client, session, current, refresh],
  );

  const picker = (
    <label className="check">
      Conversation
      <select value={current ?? ''} onChange={(e) => onConversation(Number(e.target.value))} data-testid="tls-conversation">
        {tcp.map((c) => (
          <option key={c.id} value={c.id}>
            {c.stream}: {endpoint(c.client)} → {endpoint(c.server)}
            {c.tls !== null ? ` (${c.tls.version}${c.tls.sni !== '' ? `, ${c.tls.sni}` : ''})` : ''}
          </option>
        ))}
      </select>
    </label>
  );

  let body;
  if (current === null) body = <EmptyState title="No TCP conversations">TLS runs over TCP; this capture has no TCP conversations.</EmptyState>;
  else if (error !== null) body = <EmptyState title="TLS records are not available" tone="error">{error}</EmptyState>;
  // A refresh of the same conversation keeps showing the records it has until the new ones arrive.
  else if (value === null || (loading && value.conversation !== current)) body = <EmptyState title="Reading TLS records…" tone="loading" />;
  else if (value.records.length === 0) body = <EmptyState title="No TLS in this conversation">Its payload did not parse as TLS records.</EmptyState>;
  else body = <Lanes dto={value} onGoToPacket={onGoToPacket} />;

  return (
    <div className="tls-view">
      <div className="view-head">
        <h2>TLS records</h2>
        {picker}
        {value !== null && value.records.length > 0 && (
          <span className="sub">
            {value.records.filter((r) => r.dir === 'client').length} from the client, {value.records.filter((r) => r.dir === 'server').length} from the server
          </span>
        )}
        {value?.decryption != null && (
          <span className={`sub decryption-${value.decryption.status}`} data-testid="tls-decryption">
            {value.decryption.status === 'no-key' ? 'keys missing' : value.decryption.status}
            {value.decryption.keySource !== null ? ` with ${value.decryption.keySource}` : ''}
            {value.decryption.reason !== null ? ` — ${value.decryption.reason}` : ''}
            {value.decryption.finished.some((f) => f !== null) &&
              ` · Finished ${value.decryption.finished.every((f) => f === 'verified') ? 'verified: both sides saw the same handshake' : 'does not match the transcript'}`}
          </span>
        )}
      </div>
      {body}
    </div>
  );
}

function Lanes({ dto, onGoToPacket }: { dto: TlsRecordsDto; onGoToPacket(packet: number): void }) {
  const records = [...dto.records].sort((a, b) => a.time - b.time || (a.dir === b.dir ? a.index - b.index : 0));
  return (
    <div className="lanes">
      <div className="lane-head client">
        Client → server <span className="mono">{endpoint(dto.client)}</span>
      </div>
      <div className="lane-head time">Time</div>
      <div className="lane-head server">
        Server → client <span className="mono">{endpoint(dto.server)}</span>
      </div>
      {records.map((r) => (
        <div key={`${r.dir}-${r.index}`} className="lane-row">
          <div className="lane-cell">{r.dir === 'client' && <RecordCard r={r} onGoToPacket={onGoToPacket} />}</div>
          <div className="lane-time">+{duration(r.time)}</div>
          <div className="lane-cell">{r.dir === 'server' && <RecordCard r={r} onGoToPacket={onGoToPacket} />}</div>
        </div>
      ))}
    </div>
  );
}

const typeClass = (t: string): string => {
  const s = t.toLowerCase();
  if (s.includes('handshake')) return 'handshake';
  if (s.includes('alert')) return 'alert';
  if (s.includes('change')) return 'ccs';
  if (s.includes('application')) return 'appdata';
  return 'other';
};

/** decrypted / failed / no-key when keys are loaded; encrypted / plaintext otherwise. */
function DecryptionChip({ r }: { r: TlsRecordDto }) {
  if (r.decryption === 'decrypted')
    return (
      <span className="chip decrypted" title="Decrypted with the loaded keys" data-testid="chip-decrypted">
        decrypted
      </span>
    );
  if (r.decryption === 'failed')
    return (
      <span className="chip failed" title={`Decryption failed: ${r.decryptError ?? ''}`} data-testid="chip-failed">
        failed: {r.decryptError}
      </span>
    );
  if (r.decryption === 'no-key')
    return (
      <span className="chip lock" title="Encrypted: the loaded keys have none for this record">
        no key
      </span>
    );
  return r.encrypted ? (
    <span className="chip lock" title="Encrypted: no key log for this connection (load one with Keys…)">
      encrypted
    </span>
  ) : (
    <span className="chip plain">plaintext</span>
  );
}

function RecordCard({ r, onGoToPacket }: { r: TlsRecordDto; onGoToPacket(packet: number): void }) {
  return (
    <div className={`tls-record t-${typeClass(r.contentType)}${r.malformed !== null ? ' malformed' : ''}`} data-testid="tls-record" data-dir={r.dir}>
      <div className="tls-record-head">
        {r.index > 0 && <span className="tls-index">#{r.index}</span>}
        <span className="tls-type">{r.contentType}</span>
        <span className="sub">
          {r.version !== '' ? `${r.version} · ` : ''}
          {r.length} byte{r.length === 1 ? '' : 's'}
        </span>
        {r.malformed !== null ? <span className="chip bad">malformed</span> : <DecryptionChip r={r} />}
        {r.innerType !== null && r.innerType !== r.contentType && (
          <span className="chip inner" title="The real content type inside the decrypted record">
            {r.innerType}
          </span>
        )}
      </div>
      {r.malformed !== null && (
        <div className="tls-malformed" data-testid="tls-malformed">
          ⚠ Malformed: {r.malformed}
        </div>
      )}
      {r.plaintextPreview !== null && r.plaintextPreview !== '' && (
        <div className="tls-preview mono" title="The start of the decrypted content" data-testid="tls-plaintext">
          {r.plaintextPreview}
        </div>
      )}
      {r.messages.length > 0 && (
        <div className="tls-messages">
          {r.messages.map((m, i) => (
            <span key={i} className="chip msg">
              {m}
            </span>
          ))}
        </div>
      )}
      <div className="tls-segments">
        carried by{' '}
        {r.segments.map((s, i) => (
          <button key={i} className="chip link" onClick={() => onGoToPacket(s.packet)} title={`${s.length} bytes at offset ${s.offset} of the TCP payload`}>
            #{s.packet} [{s.offset}–{s.offset + s.length})
          </button>
        ))}
      </div>
    </div>
  );
}
