import https from 'node:https';
import { describe, expect, inject, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { callBody, token } from '../support/graph';
import { serviceForFile } from '../support/service';

const service = serviceForFile();

describe('HTTPS beside HTTP', () => {
  it('serves the API over TLS with a local-CA certificate for localhost, 127.0.0.1 and ::1', async () => {
    const httpsUrl = service.host.httpsUrl ?? '';
    expect(httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const peer = await new Promise<X509Certificate>((resolve, reject) => {
      const req = https.get(`${httpsUrl}/health`, (res) => {
        const cert = (res.socket as import('node:tls').TLSSocket).getPeerX509Certificate();
        res.resume();
        if (cert) resolve(cert);
        else reject(new Error('no peer certificate'));
      });
      req.on('error', reject);
    });
    expect(peer.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    const ca = new X509Certificate(await import('node:fs').then((fs) => fs.readFileSync(`${inject('localCaDir')}/ca.pem`)));
    expect(peer.checkIssued(ca)).toBe(true);
    expect(peer.verify(ca.publicKey)).toBe(true);
  });

  it('writes absolute URLs with the scheme and host the request came in on', async () => {
    const bearer = await token();
    const create = (base: string) =>
      fetch(`${base}/beta/communications/calls`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: JSON.stringify(callBody()),
      });
    const httpsUrl = service.host.httpsUrl ?? '';
    const overTls = await create(httpsUrl);
    expect(overTls.status).toBe(201);
    const call = (await overTls.json()) as Record<string, string>;
    expect(overTls.headers.get('location')).toBe(`${httpsUrl}/beta/communications/calls/${call['id']}`);
    expect(call['@odata.context']).toBe(`${httpsUrl}/beta/$metadata#communications/calls/$entity`);

    // The host is the listening address, whatever name the request used (a Host header can be
    // forged); the scheme is the connection's.
    const byName = await create(httpsUrl.replace('127.0.0.1', 'localhost'));
    expect(byName.headers.get('location')).toMatch(new RegExp(`^${httpsUrl.replace(/[.]/g, '\\.')}/beta/communications/calls/`));

    const plain = await create(service.host.url);
    expect(plain.headers.get('location')).toMatch(new RegExp(`^${service.host.url.replace(/[.]/g, '\\.')}/beta/`));

    for (const base of [httpsUrl, service.host.url]) {
      const openid = (await (await fetch(`${base}/.well-known/openid-configuration`)).json()) as Record<string, string>;
      expect(openid['issuer']).toBe(base);
      expect(openid['jwks_uri']).toBe(`${base}/.well-known/jwks.json`);
    }
  });
});
