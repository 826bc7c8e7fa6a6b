import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TlsMaterial {
  dir: string;
  /** The throw-away CA a client trusts (PAGERDUTY_CA_FILE). */
  caFile: string;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/**
 * A fresh CA and a server certificate it signs, made with the openssl CLI:
 * the bot then verifies the emulator as it would events.pagerduty.com,
 * against a CA it was told to trust, with no verification switched off.
 */
export async function makeTlsMaterial(hosts: string[]): Promise<TlsMaterial> {
  const dir = await mkdtemp(join(tmpdir(), 'pagerduty-emulator-'));
  const path = (name: string) => join(dir, name);
  const altNames = hosts.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
  await writeFile(
    path('ca.cnf'),
    [
      '[req]',
      'distinguished_name = dn',
      'prompt = no',
      'x509_extensions = v3_ca',
      '[dn]',
      'CN = Deploy Medic PagerDuty emulator CA',
      '[v3_ca]',
      'basicConstraints = critical,CA:TRUE',
      'keyUsage = critical,keyCertSign,cRLSign',
      'subjectKeyIdentifier = hash',
      '',
    ].join('\n'),
  );
  await writeFile(
    path('server.ext'),
    [
      'basicConstraints = CA:FALSE',
      'keyUsage = critical,digitalSignature',
      'extendedKeyUsage = serverAuth',
      `subjectAltName = ${altNames}`,
      'authorityKeyIdentifier = keyid',
      '',
    ].join('\n'),
  );
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    await openssl(['req', '-x509', ...ec, '-keyout', path('ca.key'), '-out', path('ca.pem'), '-days', '7', '-config', path('ca.cnf')]);
    await openssl(['req', ...ec, '-keyout', path('server.key'), '-out', path('server.csr'), '-subj', '/CN=localhost']);
    await openssl([
      'x509', '-req', '-in', path('server.csr'), '-CA', path('ca.pem'), '-CAkey', path('ca.key'), '-CAcreateserial',
      '-out', path('server.pem'), '-days', '7', '-extfile', path('server.ext'),
    ]);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  const [ca, cert, key] = await Promise.all(['ca.pem', 'server.pem', 'server.key'].map((f) => readFile(path(f))));
  return { dir, caFile: path('ca.pem'), ca: ca!, cert: cert!, key: key! };
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args);
  } catch (e) {
    const err = e as Error & { code?: string; stderr?: string };
    if (err.code === 'ENOENT') throw new Error('the PagerDuty emulator needs the openssl CLI on PATH to make its certificate');
    throw new Error(`openssl ${args[0]} failed: ${err.stderr ?? err.message}`);
  }
}
