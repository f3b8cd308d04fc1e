// A tiny private PKI for the sample: a CA, a server certificate for wireladder.test and a client
// certificate, with node:crypto keys signed by the `openssl` CLI in a temporary directory.

import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SERVER_NAME = 'wireladder.test';
export const CLIENT_NAME = 'client.wireladder.test';

export interface KeyAndCertificate {
  /** PKCS#8 PEM. */
  key: string;
  /** PEM. */
  cert: string;
}

export interface SamplePki {
  ca: KeyAndCertificate;
  server: KeyAndCertificate;
  client: KeyAndCertificate;
}

/**
 * Validity is pinned rather than "from now": the capture is dated 2026-01-15, so certificates made
 * later with `-days` would start after the capture and the analyzer would rightly call them "not
 * valid at capture time". `openssl ca -startdate/-enddate` is the one way to pin the dates that
 * OpenSSL 1.1, 3.x and LibreSSL all accept (`x509 -not_before` needs OpenSSL 3.4).
 */
const NOT_BEFORE = '260101000000Z';
const NOT_AFTER = '360101000000Z';

/** `openssl ca` configuration: a throwaway database and one extension section per role. */
function caConfig(dir: string): string {
  const d = dir.split('\\').join('/'); // the config parser treats backslashes as escapes
  return `[ ca ]
default_ca = sample_ca

[ sample_ca ]
dir = ${d}
database = ${d}/index.txt
new_certs_dir = ${d}/issued
serial = ${d}/serial
default_md = sha256
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none

[ policy_any ]
organizationName = optional
commonName = supplied

[ req ]
distinguished_name = req_dn
prompt = no

[ req_dn ]
CN = unused

[ ext_ca ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ ext_server ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:${SERVER_NAME}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ ext_client ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:${CLIENT_NAME}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT') throw new Error('make-samples needs the `openssl` command line tool on PATH to sign the sample certificates', { cause: err });
    throw new Error(`openssl ${args.join(' ')} failed: ${e.stderr?.toString().trim() ?? e.message}`, { cause: err });
  }
}

function rsaKey(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Makes the three certificates inside `dir` (which must exist and be empty). */
export function makePki(dir: string): SamplePki {
  const cfg = join(dir, 'openssl.cnf');
  writeFileSync(cfg, caConfig(dir));
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1001\n');
  mkdirSync(join(dir, 'issued'));

  const issue = (name: string, subject: string, extensions: string, selfSign: boolean): KeyAndCertificate => {
    const key = rsaKey();
    writeFileSync(join(dir, `${name}.key`), key);
    openssl(['req', '-new', '-config', cfg, '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], dir);
    const signer = selfSign ? ['-selfsign', '-keyfile', `${name}.key`] : ['-cert', 'ca.crt', '-keyfile', 'ca.key'];
    openssl(
      ['ca', '-batch', '-notext', '-preserveDN', '-config', cfg, ...signer, '-extensions', extensions,
        '-startdate', NOT_BEFORE, '-enddate', NOT_AFTER, '-in', `${name}.csr`, '-out', `${name}.crt`],
      dir,
    );
    return { key, cert: readFileSync(join(dir, `${name}.crt`), 'utf8') };
  };

  const ca = issue('ca', '/O=WireLadder Sample/CN=WireLadder Sample CA', 'ext_ca', true);
  const server = issue('server', `/O=WireLadder Sample/CN=${SERVER_NAME}`, 'ext_server', false);
  const client = issue('client', `/O=WireLadder Sample/CN=${CLIENT_NAME}`, 'ext_client', false);
  return { ca, server, client };
}
