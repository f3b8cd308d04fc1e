// TLS field declarations with Wireshark's names, types and bases (tshark 4.0 `-G fields`), so trees
// and `wireladder fields` print what `tshark -T fields` prints.

import { bytesField, field, str, uintDec, uintHex, type FieldDef } from '../dissect/fields';

/** FT_NONE subtree heads (their label is written in full; `-T fields` prints nothing for them). */
const none = (name: string, title: string): FieldDef => field(name, title, 'none');

export const tlsFields = {
  // Record layer (RFC 8446 §5.1, RFC 5246 §6.2.1)
  record: none('tls.record', 'Record Layer'),
  contentType: uintDec('tls.record.content_type', 'Content Type'),
  opaqueType: uintDec('tls.record.opaque_type', 'Opaque Type'),
  recordVersion: uintHex('tls.record.version', 'Version', 4),
  recordLength: uintDec('tls.record.length', 'Length'),
  appData: bytesField('tls.app_data', 'Encrypted Application Data'),
  appDataProto: str('tls.app_data_proto', 'Application Data Protocol'),
  changeCipherSpec: none('tls.change_cipher_spec', 'Change Cipher Spec Message'),
  // SSL 2.0 record header (draft-hickman-netscape-ssl-00 §1.2)
  isEscape: field('tls.record.is_escape', 'Is Escape', 'bool'),
  paddingLength: uintDec('tls.record.padding_length', 'Padding Length'),

  // Alert protocol (RFC 8446 §6)
  alert: none('tls.alert_message', 'Alert Message'),
  alertLevel: uintDec('tls.alert_message.level', 'Level'),
  alertDesc: uintDec('tls.alert_message.desc', 'Description'),

  // Heartbeat (RFC 6520)
  heartbeat: none('tls.heartbeat_message', 'Heartbeat Message'),
  heartbeatType: uintDec('tls.heartbeat_message.type', 'Type'),
  heartbeatPayloadLength: uintDec('tls.heartbeat_message.payload_length', 'Payload Length'),

  // Handshake protocol (RFC 8446 §4)
  handshake: none('tls.handshake', 'Handshake Protocol'),
  hsType: uintDec('tls.handshake.type', 'Handshake Type'),
  hsLength: uintDec('tls.handshake.length', 'Length'),
  hsVersion: uintHex('tls.handshake.version', 'Version', 4),
  random: bytesField('tls.handshake.random', 'Random'),
  randomTime: field('tls.handshake.random_time', 'GMT Unix Time', 'abstime'),
  randomBytes: bytesField('tls.handshake.random_bytes', 'Random Bytes'),
  sessionIdLength: uintDec('tls.handshake.session_id_length', 'Session ID Length'),
  sessionId: bytesField('tls.handshake.session_id', 'Session ID'),
  cipherSuitesLength: uintDec('tls.handshake.cipher_suites_length', 'Cipher Suites Length'),
  cipherSuites: none('tls.handshake.ciphersuites', 'Cipher Suites'),
  cipherSuite: uintHex('tls.handshake.ciphersuite', 'Cipher Suite', 4),
  compMethodsLength: uintDec('tls.handshake.comp_methods_length', 'Compression Methods Length'),
  compMethods: none('tls.handshake.comp_methods', 'Compression Methods'),
  compMethod: uintDec('tls.handshake.comp_method', 'Compression Method'),
  extensionsLength: uintDec('tls.handshake.extensions_length', 'Extensions Length'),
  extensionType: uintDec('tls.handshake.extension.type', 'Type'),
  extensionLen: uintDec('tls.handshake.extension.len', 'Length'),
  extensionData: bytesField('tls.handshake.extension.data', 'Data'),

  // Extensions
  sniListLen: uintDec('tls.handshake.extensions_server_name_list_len', 'Server Name list length'),
  sniType: uintDec('tls.handshake.extensions_server_name_type', 'Server Name Type'),
  sniLen: uintDec('tls.handshake.extensions_server_name_len', 'Server Name length'),
  sni: str('tls.handshake.extensions_server_name', 'Server Name'),
  groupsLength: uintDec('tls.handshake.extensions_supported_groups_length', 'Supported Groups List Length'),
  groups: none('tls.handshake.extensions_supported_groups', 'Supported Groups List'),
  group: uintHex('tls.handshake.extensions_supported_group', 'Supported Group', 4),
  pointFormatsLength: uintDec('tls.handshake.extensions_ec_point_formats_length', 'EC point formats Length'),
  pointFormats: none('tls.handshake.extensions_ec_point_formats', 'EC point formats'),
  pointFormat: uintDec('tls.handshake.extensions_ec_point_format', 'EC point format'),
  alpnLen: uintDec('tls.handshake.extensions_alpn_len', 'ALPN Extension Length'),
  alpnList: none('tls.handshake.extensions_alpn_list', 'ALPN Protocol'),
  alpnStrLen: uintDec('tls.handshake.extensions_alpn_str_len', 'ALPN string length'),
  alpnStr: str('tls.handshake.extensions_alpn_str', 'ALPN Next Protocol'),
  renegInfoLen: uintDec('tls.handshake.extensions_reneg_info_len', 'Renegotiation info extension length'),
  renegInfo: bytesField('tls.handshake.extensions_reneg_info', 'Renegotiation info'),
  keyShareClientLength: uintDec('tls.handshake.extensions_key_share_client_length', 'Client Key Share Length'),
  keyShareGroup: uintDec('tls.handshake.extensions_key_share_group', 'Group'),
  keyShareKeyLength: uintDec('tls.handshake.extensions_key_share_key_exchange_length', 'Key Exchange Length'),
  keyShareKey: bytesField('tls.handshake.extensions_key_share_key_exchange', 'Key Exchange'),
  keyShareSelectedGroup: uintDec('tls.handshake.extensions_key_share_selected_group', 'Selected Group'),
  pskIdentitiesLength: uintDec('tls.handshake.extensions.psk.identities.length', 'Identities Length'),
  pskIdentityLength: uintDec('tls.handshake.extensions.psk.identity.identity_length', 'Identity Length'),
  pskIdentity: bytesField('tls.handshake.extensions.psk.identity.identity', 'Identity'),
  pskTicketAge: uintDec('tls.handshake.extensions.psk.identity.obfuscated_ticket_age', 'Obfuscated Ticket Age'),
  pskBindersLen: uintDec('tls.handshake.extensions.psk.binders_len', 'PSK Binders length'),
  pskBinders: none('tls.handshake.extensions.psk.binders', 'PSK Binders'),
  pskSelected: uintDec('tls.handshake.extensions.psk.identity.selected', 'Selected Identity'),
  supportedVersionsLen: uintDec('tls.handshake.extensions.supported_versions_len', 'Supported Versions length'),
  supportedVersion: uintHex('tls.handshake.extensions.supported_version', 'Supported Version', 4),
  cookieLen: uintDec('tls.handshake.extensions.cookie_len', 'Cookie length'),
  cookie: bytesField('tls.handshake.extensions.cookie', 'Cookie'),
  paddingData: bytesField('tls.handshake.extensions_padding_data', 'Padding Data'),
  statusRequestType: uintDec('tls.handshake.extensions_status_request_type', 'Certificate Status Type'),
  statusRequestResponderIdsLen: uintDec('tls.handshake.extensions_status_request_responder_ids_len', 'Responder ID list Length'),
  statusRequestExtsLen: uintDec('tls.handshake.extensions_status_request_exts_len', 'Request Extensions Length'),
  heartbeatMode: uintDec('tls.handshake.extension.heartbeat.mode', 'Mode'),
  pskModesLength: uintDec('tls.extension.psk_ke_modes_length', 'PSK Key Exchange Modes Length'),
  pskMode: uintDec('tls.extension.psk_ke_mode', 'PSK Key Exchange Mode'),
  maxEarlyDataSize: uintDec('tls.early_data.max_early_data_size', 'Maximum Early Data Size'),
  recordSizeLimit: uintDec('tls.record_size_limit', 'Record Size Limit'),
  sctListLength: uintDec('tls.sct.scts_length', 'Serialized SCT List Length'),
  sctLength: uintDec('tls.sct.sct_length', 'Serialized SCT Length'),
  sigHashAlgLen: uintDec('tls.handshake.sig_hash_alg_len', 'Signature Hash Algorithms Length'),
  sigHashAlgs: none('tls.handshake.sig_hash_algs', 'Signature Algorithms'),
  sigHashAlg: uintHex('tls.handshake.sig_hash_alg', 'Signature Algorithm', 4),
  sigHashHash: uintDec('tls.handshake.sig_hash_hash', 'Signature Hash Algorithm Hash'),
  sigHashSig: uintDec('tls.handshake.sig_hash_sig', 'Signature Hash Algorithm Signature'),

  // Certificate (RFC 5246 §7.4.2, RFC 8446 §4.4.2)
  certificatesLength: uintDec('tls.handshake.certificates_length', 'Certificates Length'),
  certificates: none('tls.handshake.certificates', 'Certificates'),
  certificateLength: uintDec('tls.handshake.certificate_length', 'Certificate Length'),
  certificate: bytesField('tls.handshake.certificate', 'Certificate'),
  requestContextLength: uintDec('tls.handshake.certificate_request_context_length', 'Certificate Request Context Length'),
  requestContext: bytesField('tls.handshake.certificate_request_context', 'Certificate Request Context'),

  // CertificateRequest (RFC 5246 §7.4.4)
  certTypesCount: uintDec('tls.handshake.cert_types_count', 'Certificate types count'),
  certTypes: none('tls.handshake.cert_types', 'Certificate types'),
  certType: uintDec('tls.handshake.cert_type', 'Certificate type'),
  dnamesLen: uintDec('tls.handshake.dnames_len', 'Distinguished Names Length'),
  dnames: none('tls.handshake.dnames', 'Distinguished Names'),
  dnameLen: uintDec('tls.handshake.dname_len', 'Distinguished Name Length'),
  dname: none('tls.handshake.dname', 'Distinguished Name'),

  // ServerKeyExchange / ClientKeyExchange (RFC 5246 §7.4.3, §7.4.7; RFC 8422 §5.4, §5.7)
  serverCurveType: uintHex('tls.handshake.server_curve_type', 'Curve Type', 2),
  serverNamedCurve: uintHex('tls.handshake.server_named_curve', 'Named Curve', 4),
  serverPointLen: uintDec('tls.handshake.server_point_len', 'Pubkey Length'),
  serverPoint: bytesField('tls.handshake.server_point', 'Pubkey'),
  clientPointLen: uintDec('tls.handshake.client_point_len', 'Pubkey Length'),
  clientPoint: bytesField('tls.handshake.client_point', 'Pubkey'),
  pLen: uintDec('tls.handshake.p_len', 'p Length'),
  p: bytesField('tls.handshake.p', 'p'),
  gLen: uintDec('tls.handshake.g_len', 'g Length'),
  g: bytesField('tls.handshake.g', 'g'),
  ysLen: uintDec('tls.handshake.ys_len', 'Pubkey Length'),
  ys: bytesField('tls.handshake.ys', 'Pubkey'),
  ycLen: uintDec('tls.handshake.yc_len', 'Pubkey Length'),
  yc: bytesField('tls.handshake.yc', 'Pubkey'),
  modulusLen: uintDec('tls.handshake.modulus_len', 'Modulus Length'),
  modulus: bytesField('tls.handshake.modulus', 'Modulus'),
  exponentLen: uintDec('tls.handshake.exponent_len', 'Exponent Length'),
  exponent: bytesField('tls.handshake.exponent', 'Exponent'),
  hintLen: uintDec('tls.handshake.hint_len', 'Hint Length'),
  hint: bytesField('tls.handshake.hint', 'Hint'),
  identityLen: uintDec('tls.handshake.identity_len', 'Identity Length'),
  identity: bytesField('tls.handshake.identity', 'Identity'),
  sigLen: uintDec('tls.handshake.sig_len', 'Signature Length'),
  sig: bytesField('tls.handshake.sig', 'Signature'),
  epmsLen: uintDec('tls.handshake.epms_len', 'Encrypted PreMaster length'),
  epms: bytesField('tls.handshake.epms', 'Encrypted PreMaster'),

  // CertificateVerify, Finished, NewSessionTicket, CertificateStatus, KeyUpdate
  certVerifySigLen: uintDec('tls.handshake.client_cert_vrfy.sig_len', 'Signature length'),
  certVerifySig: bytesField('tls.handshake.client_cert_vrfy.sig', 'Signature'),
  verifyData: none('tls.handshake.verify_data', 'Verify Data'),
  ticketLifetimeHint: uintDec('tls.handshake.session_ticket_lifetime_hint', 'Session Ticket Lifetime Hint'),
  ticketAgeAdd: uintDec('tls.handshake.session_ticket_age_add', 'Session Ticket Age Add'),
  ticketNonceLength: uintDec('tls.handshake.session_ticket_nonce_length', 'Session Ticket Nonce Length'),
  ticketNonce: bytesField('tls.handshake.session_ticket_nonce', 'Session Ticket Nonce'),
  ticketLength: uintDec('tls.handshake.session_ticket_length', 'Session Ticket Length'),
  ticket: bytesField('tls.handshake.session_ticket', 'Session Ticket'),
  ocspResponseLen: uintDec('tls.handshake.ocsp_response_len', 'OCSP Response Length'),
  ocspResponseListLen: uintDec('tls.handshake.ocsp_response_list_len', 'OCSP Response List Length'),
  keyUpdateRequest: uintDec('tls.handshake.key_update.request_update', 'Key Update Request'),

  // SSL 2.0 messages
  cipherSpecLen: uintDec('tls.handshake.cipher_spec_len', 'Cipher Spec Length'),
  challengeLength: uintDec('tls.handshake.challenge_length', 'Challenge Length'),
  cipherSpec: uintHex('tls.handshake.cipherspec', 'Cipher Spec', 6),
  challenge: none('tls.handshake.challenge', 'Challenge'),
  sessionIdHit: field('tls.handshake.session_id_hit', 'Session ID Hit', 'bool'),
  certType2: uintDec('tls.handshake.cert_type', 'Certificate Type'),
  certificateLength2: uintDec('tls.handshake.certificate_length', 'Certificate Length'),
  connectionIdLength: uintDec('tls.handshake.connection_id_length', 'Connection ID Length'),
  connectionId: none('tls.handshake.connection_id', 'Connection ID'),
  clearKeyLength: uintDec('tls.handshake.clear_key_length', 'Clear Key Data Length'),
  encryptedKeyLength: uintDec('tls.handshake.encrypted_key_length', 'Encrypted Key Data Length'),
  keyArgLength: uintDec('tls.handshake.key_arg_length', 'Key Argument Length'),
  encryptedKey: none('tls.handshake.encrypted_key', 'Encrypted Key'),
  keyArg: none('tls.handshake.key_arg', 'Key Argument'),
} satisfies Record<string, FieldDef>;

/** Every TLS field, for the registry (duplicate names declared once). */
export const tlsFieldList: readonly FieldDef[] = (() => {
  const seen = new Set<string>();
  const out: FieldDef[] = [];
  for (const f of Object.values(tlsFields)) {
    if (seen.has(f.name)) continue;
    seen.add(f.name);
    out.push(f);
  }
  return out;
})();
