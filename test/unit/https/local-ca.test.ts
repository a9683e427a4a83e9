import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { CA_KEY_FILE, ensureLocalCa, issueServerCertificate } from '../../../tools/https/local-ca';
import { parseHttpsPort } from '../../../tools/https/local-https';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'local-ca-test-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('the local CA', () => {
  it('is created once and reused, also when several processes ask at the same moment', async () => {
    const dir = path.join(root, 'shared', 'ca');
    const cas = await Promise.all(Array.from({ length: 4 }, () => ensureLocalCa(dir)));
    const again = await ensureLocalCa(dir);
    expect(new Set([...cas, again].map((ca) => ca.certPem)).size).toBe(1);
    expect(fs.readdirSync(path.dirname(dir))).toEqual(['ca']); // no staging folder left behind
    const ca = new X509Certificate(again.certPem);
    expect(ca.ca).toBe(true);
    expect(ca.checkIssued(ca)).toBe(true);
    if (process.platform !== 'win32') expect(fs.statSync(path.join(dir, CA_KEY_FILE)).mode & 0o077).toBe(0);
  });

  it('issues server certificates for localhost, 127.0.0.1 and ::1 that TLS accepts with only the CA trusted', async () => {
    const ca = await ensureLocalCa(path.join(root, 'tls', 'ca'));
    const { cert, key } = await issueServerCertificate(ca);
    const leaf = new X509Certificate(cert);
    expect(leaf.ca).toBe(false);
    expect(leaf.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // serverAuth
    expect(Date.parse(leaf.validTo) - Date.now()).toBeLessThanOrEqual(398 * 86_400_000);
    expect(leaf.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);

    const server = tls.createServer({ cert, key }, (socket) => socket.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      for (const servername of ['localhost', '127.0.0.1']) {
        const text = await new Promise<string>((resolve, reject) => {
          const socket = tls.connect({ host: '127.0.0.1', port, servername, ca: ca.certPem }, () => socket.once('data', (d) => resolve(String(d))));
          socket.once('error', reject);
        });
        expect(text).toBe('ok');
      }
      // Another CA's certificate is refused by the same client.
      const other = await issueServerCertificate(await ensureLocalCa(path.join(root, 'other', 'ca')));
      const refused = await new Promise<Error>((resolve) => {
        const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: other.cert }, () => resolve(new Error('connected')));
        socket.once('error', resolve);
      });
      expect((refused as NodeJS.ErrnoException).code).toMatch(/CERT|SIGNATURE|ISSUER/);
    } finally {
      server.close();
    }
  });

  it('can vouch for this machine’s loopback names only, and lives two years', async () => {
    const ca = await ensureLocalCa(path.join(root, 'constrained', 'ca'));
    const lifetime = ca.certificate.notAfter.getTime() - ca.certificate.notBefore.getTime();
    expect(lifetime).toBeLessThanOrEqual(732 * 86_400_000);
    // Were its key stolen, a certificate it signed for another name would be refused by TLS clients.
    const forged = await issueServerCertificate(ca, ['bank.example']);
    const server = tls.createServer({ cert: forged.cert, key: forged.key }, (socket) => socket.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const outcome = await new Promise<string>((resolve) => {
        const socket = tls.connect({ host: '127.0.0.1', port, servername: 'bank.example', ca: ca.certPem }, () => resolve('connected'));
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(`${error.code}: ${error.message}`));
      });
      expect(outcome).toMatch(/permitted subtree violation/);
    } finally {
      server.close();
    }
  });

  it('says what to do when it has expired', async () => {
    const dir = path.join(root, 'old', 'ca');
    await ensureLocalCa(dir, new Date('2000-01-01T00:00:00Z'));
    await expect(ensureLocalCa(dir)).rejects.toThrow(/expired on 2001-.*delete that folder/);
  });
});

describe('HTTPS_PORT', () => {
  it('defaults to 7443, takes a port or 0, and turns off with "off"', () => {
    expect(parseHttpsPort(undefined)).toBe(7443);
    expect(parseHttpsPort('')).toBe(7443);
    expect(parseHttpsPort('8443')).toBe(8443);
    expect(parseHttpsPort('0')).toBe(0);
    expect(parseHttpsPort('OFF')).toBeUndefined();
    expect(() => parseHttpsPort('https')).toThrow(/HTTPS_PORT must be a port number or 'off'/);
    expect(() => parseHttpsPort('70000')).toThrow(/HTTPS_PORT/);
  });
});
