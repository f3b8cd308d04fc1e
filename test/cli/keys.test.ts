// The CLI's TLS key options: the short forms and tshark's own preferences, RSA keys bound to a
// server as tshark's RSA keys list writes them, and clear messages for what cannot be used.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli';

const dir = join(__dirname, '..', 'fixtures', 'keyed');
const capture = join(dir, 'tls12-rsa-kx.pcapng');
const pem = join(dir, 'tls12-rsa-kx.pem');
// The sample's server is 198.51.100.40:443; its GET is frame 10.
const uri = async (...keys: string[]): Promise<string> => {
  const r = await cli(['fields', capture, '-e', 'http.request.uri', '-Y', 'http.request', ...keys]);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return r.out.trim();
};

describe('RSA keys on the command line', () => {
  it('--rsa-key PATH and -o uat:rsa_keys decrypt with the key on every server', async () => {
    expect(await uri('--rsa-key', pem)).toBe('/tls12-rsa-kx/1');
    expect(await uri('-o', `uat:rsa_keys:"${pem}",""`)).toBe('/tls12-rsa-kx/1');
  });

  it('--rsa-key IP,PORT,PROTOCOL,PATH binds the key to its server, as tshark’s RSA keys list does', async () => {
    expect(await uri('--rsa-key', `198.51.100.40,443,http,${pem}`)).toBe('/tls12-rsa-kx/1');
    expect(await uri('--rsa-key', `any,443,http,${pem}`)).toBe('/tls12-rsa-kx/1');
    expect(await uri('--rsa-key', `198.51.100.40,0,,${pem}`)).toBe('/tls12-rsa-kx/1');
    // Bound to another server (address or port): not used here.
    expect(await uri('--rsa-key', `198.51.100.41,443,http,${pem}`)).toBe('');
    expect(await uri('--rsa-key', `198.51.100.40,8443,http,${pem}`)).toBe('');
  });

  it('tshark’s -o tls.keys_list:IP,PORT,PROTOCOL,PATH (entries joined by ;) and -o uat:ssl_keys work unchanged', async () => {
    expect(await uri('-o', `tls.keys_list:198.51.100.40,443,http,${pem}`)).toBe('/tls12-rsa-kx/1');
    expect(await uri('-o', `ssl.keys_list:192.0.2.9,443,http,${pem};198.51.100.40,443,http,${pem}`)).toBe('/tls12-rsa-kx/1');
    expect(await uri('-o', `uat:ssl_keys:"198.51.100.40","443","http","${pem}",""`)).toBe('/tls12-rsa-kx/1');
    expect(await uri('-o', `uat:ssl_keys:"0.0.0.0","0","","${pem}",""`)).toBe('/tls12-rsa-kx/1');
    expect(await uri('-o', `uat:ssl_keys:"192.0.2.9","443","http","${pem}",""`)).toBe('');
  });

  it('info names the binding’s effect: the sessions each key matched', async () => {
    const bound = await cli(['info', capture, '--rsa-key', `198.51.100.40,443,http,${pem}`]);
    expect(bound.out).toContain('tls12-rsa-kx.pem: RSA key, 1 of 1 TLS session matched');
    const elsewhere = await cli(['info', capture, '--rsa-key', `198.51.100.41,443,http,${pem}`]);
    expect(elsewhere.out).toContain('tls12-rsa-kx.pem: RSA key, 0 of 1 TLS session matched');
  });

  it('says what is wrong with an entry: a password, an address, a port, too few fields', async () => {
    const err = async (...args: string[]): Promise<string> => {
      const r = await cli(['flows', capture, ...args]);
      expect(r.code).not.toBe(0);
      return r.err;
    };
    expect(await err('--rsa-key', `198.51.100.40,443,http,${pem},secret`)).toMatch(/password-protected \(PKCS#12\) keys are not supported/);
    expect(await err('--rsa-key', `server.example,443,http,${pem}`)).toMatch(/server\.example is not an IP address/);
    expect(await err('-o', `tls.keys_list:198.51.100.40,https,http,${pem}`)).toMatch(/https is not a port/);
    expect(await err('-o', 'uat:ssl_keys:"198.51.100.40","443"')).toMatch(/expected IP,PORT,PROTOCOL,PATH/);
    expect(await err('-o', 'tls.desegment_ssl_records:TRUE')).toMatch(/unknown preference -o tls\.desegment_ssl_records \(supported: tls\.keylog_file, tls\.keys_list, uat:rsa_keys, uat:ssl_keys\)/);
  });

  it('a key log by --keylog or -o tls.keylog_file', async () => {
    const tls13 = join(dir, 'mtls13.pcapng');
    const keys = join(dir, 'mtls13.keys');
    for (const opts of [['--keylog', keys], ['-o', `tls.keylog_file:${keys}`]]) {
      const r = await cli(['fields', tls13, '-e', 'http.request.uri', '-Y', 'http.request', ...opts]);
      expect(r.out.trim()).toBe('/mtls13/1');
    }
  });
});
