// `wireladder COMMAND --help`: what each command does and every option it takes, as tshark's and
// dumpcap's -h list theirs.

/** The key options as every dissecting command's --help lists them. */
const KEY_HELP = `TLS decryption (key files are only read, no key is ever printed; a pcapng's own DSB secrets are used anyway):
  --keylog PATH     an NSS key log (SSLKEYLOGFILE); the same as -o tls.keylog_file:PATH
  --rsa-key PATH    a PEM RSA private key (PKCS#1 or PKCS#8) for TLS ≤ 1.2 RSA key transport,
                    tried on every server; the same as -o 'uat:rsa_keys:"PATH",""'
  --rsa-key IP,PORT,PROTOCOL,PATH   the key bound to one server, in the form of tshark's RSA keys
                    list: IP or 'any' / 0.0.0.0, PORT or 'any' / 0; PROTOCOL is accepted and not
                    needed (the inner protocol is found by ALPN and content). The same as
                    -o tls.keys_list:IP,PORT,PROTOCOL,PATH (entries joined by ;) or
                    -o 'uat:ssl_keys:"IP","PORT","PROTOCOL","PATH",""'. Unlike tshark 4.0, which
                    tries every RSA key on every server, a bound key is used for that server only.
  -o tls.keylog_file:PATH, -o uat:rsa_keys:…, -o tls.keys_list:…, -o uat:ssl_keys:…
                    tshark's own preferences (ssl.* names too), so a tshark command line works`;

export const commandHelp: Record<string, string> = {
  info: `usage: wireladder info FILE [--json] [TLS key options]

What a capture holds, like capinfos: format, link types, interfaces, packet and byte counts, first
and last packet times, packet and section comments, decryption secrets, and where a damaged file stops.

  --json            one JSON object instead of text

With keys, the TLS sessions they decrypt and what each key file matched.

${KEY_HELP}`,

  packets: `usage: wireladder packets FILE [-Y FILTER] [-T text|json] [--json|--jsonl] [-w OUT.pcapng] [TLS key options]

One line per packet in tshark's style (number, time, source → destination, protocol, length, Info).

  -Y FILTER         display filter (Wireshark syntax, as tshark -Y): only matching packets
  -T text|json      output format: one line per packet (default), or tshark -T json's packet trees
  --json            the summary lines as one JSON array of objects
  --jsonl           the summary lines as one JSON object per line
  -w OUT.pcapng     write the matching packets, with their comments, to a new pcapng file instead
                    of printing them (never over FILE or an existing file)

${KEY_HELP}`,

  fields: `usage: wireladder fields FILE -e FIELD [-e FIELD …] [-Y FILTER] [-2] [-E OPTION=VALUE …] [TLS key options]

Field values per packet, tab-separated, exactly as tshark -T fields prints them.

  -e FIELD          a field to print (any Wireshark field name WireLadder decodes), or a column:
                    _ws.col.No. _ws.col.Time _ws.col.Source _ws.col.Destination _ws.col.Protocol
                    _ws.col.Length _ws.col.Info
  -Y FILTER         display filter: only matching packets
  -2                two passes, as tshark -2: the first finds references to later packets
                    (tcp.reassembled_in, http.response_in), which a single pass cannot know
  -E header=y       print the field names first
  -E separator=C    between fields (default tab; /t tab, /s space)
  -E occurrence=a|f|l   all occurrences of a field (default), the first or the last
  -E aggregator=C   between occurrences (default ,; /s space)

${KEY_HELP}`,

  flows: `usage: wireladder flows FILE [--json|--jsonl] [--workers N] [TLS key options]

TCP and UDP conversations: client → server, packets and bytes each way, duration, handshake, TLS
version, SNI, cipher suite, ALPN, HTTP transactions and the verdict.

  --json            a JSON array instead of text
  --jsonl           one JSON object per line
  --workers N       analysis threads (default: the machine's cores; files under 32 MiB use one);
                    the output is the same for every N

${KEY_HELP}`,

  capture: `usage: wireladder capture -D [--json]
       wireladder capture -i IFACE [-f BPF] [-c N] [-a duration:S|filesize:KB|packets:N] [-s SNAPLEN] [-B MiB] [-p] [-q] [-w OUT.pcapng] [--overwrite]

Live capture to pcapng, like dumpcap. Ctrl+C ends it with a valid file.

  -D, --list-interfaces   the interfaces that can be captured on (--json for JSON)
  -i IFACE          interface to capture on
  -f BPF            capture filter (libpcap syntax)
  -c N              stop after N packets
  -a COND           stop after duration:S seconds, filesize:KB kilobytes or packets:N
  -s SNAPLEN        bytes kept of each packet
  -B MiB            kernel buffer size
  -p                do not put the interface in promiscuous mode
  -q                no running packet count
  -w OUT.pcapng     the file to write (default: a temporary file, named on exit)
  --overwrite       replace OUT.pcapng if it exists`,

  ladder: `usage: wireladder ladder FILE --stream N [--format svg|png|pdf|mermaid|json] [-o OUT] [--layout time|even] [--theme light|dark] [--show-acks] [--show-control-frames] [--lang en|zh-CN] [--width PX] [--scale S] [TLS key options]

The handshake ladder of one TCP stream (its tcp.stream number, as \`wireladder flows\` prints).

  --stream N        the conversation's tcp.stream
  -f, --format F    svg (default), png, pdf, mermaid or json
  -o, --output OUT  write to a file (PNG and PDF need one unless standard output is a pipe)
  --layout L        time: arrows slanted by real time (default); even: evenly spaced
  --theme T         light (default) or dark
  --show-acks       draw bare ACKs too
  --show-control-frames   HTTP/2 WINDOW_UPDATE, PING and PRIORITY as steps too
  --lang L          explanations in en (default) or zh-CN
  --width PX        SVG width
  --scale S         PNG scale (default 2)

With keys, a TLS session's encrypted flight shows its messages and the HTTP inside (-o is then
both the output file and, for a tshark preference, a key option).

${KEY_HELP}`,

  'inject-secrets': `usage: wireladder inject-secrets FILE --keylog KEYS [--keylog KEYS …] -o OUT.pcapng [--overwrite]

A pcapng copy of FILE with the key log lines its TLS sessions use embedded in a Decryption Secrets
Block, as \`editcap --inject-secrets tls,KEYS\` does but without the lines of other captures, so the
file can be shared and opened decrypted by WireLadder, Wireshark and tshark without the key log.

  --keylog KEYS     an NSS key log (also -o tls.keylog_file:KEYS); several are merged
  -o OUT.pcapng     the new file (never over FILE unless --overwrite)
  --overwrite       replace OUT.pcapng (or FILE itself) if it exists`,

  annotate: `usage: wireladder annotate FILE --packet N --comment TEXT [--packet N --comment TEXT …] -o OUT.pcapng [--replace] [--overwrite]

Packet comments (pcapng opt_comment, which Wireshark shows too) written to a copy of a capture.

  -p, --packet N    the frame number to annotate (repeatable, each with its --comment)
  -c, --comment T   the comment
  -o, --output OUT  the new pcapng file
  --replace         replace a packet's existing comments instead of adding to them
  --overwrite       rewrite FILE in place (or replace an existing OUT)`,

  serve: `usage: wireladder serve [FILE] [--port P] [--workers N]

The app in a browser tab: listens on 127.0.0.1 only and prints a URL with a random token. Opens FILE
(without one, the bundled sample); other captures can then be uploaded from the page.

  -p, --port P      port to listen on (default 0: any free port)
  --workers N       analysis threads per capture (default: the machine's cores; files under 32 MiB
                    use one)`,
};

/** True when argv (before a `--`) asks for help. */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}
