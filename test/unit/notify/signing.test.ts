import { exportJWK, generateKeyPair, jwtVerify, createLocalJWKSet } from 'jose';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../support/host-process';
import { signerFromJwk } from '../../../src/notify/signing';
import { notificationId } from '../../../src/store/notification-id';
import { silentWav } from '../../../src/graph/wav';

describe('the notification signer from NOTIFICATION_SIGNING_KEY', () => {
  it.each(['ES256', 'RS256'] as const)('signs %s tokens a bot can verify with the published key, which has no private part', async (alg) => {
    const { privateKey } = await generateKeyPair(alg, { extractable: true });
    const signer = await signerFromJwk(JSON.stringify(await exportJWK(privateKey)));
    expect(signer.publicJwk).toMatchObject({ alg, use: 'sig' });
    expect(signer.publicJwk.kid).toBeTruthy();
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(signer.publicJwk).not.toHaveProperty(member);

    const token = await signer.sign({ issuer: 'https://svc.example', audience: 'bot-app', tenantId: 'tenant-1' });
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet({ keys: [signer.publicJwk] }), { issuer: 'https://svc.example', audience: 'bot-app' });
    expect(payload['tid']).toBe('tenant-1');
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(600);
    expect((payload.iat ?? 0) - (payload.nbf ?? 0)).toBe(60);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(protectedHeader.kid).toBe(signer.publicJwk.kid);
  });

  it('accepts what `npm run signing-key` prints', async () => {
    const printed = execFileSync(process.execPath, [path.join(ROOT, 'dist/tools/signing-key.js')], { encoding: 'utf8' }).trim().split('\n').at(-1) ?? '';
    const signer = await signerFromJwk(printed);
    expect(signer.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: JSON.parse(printed).kid });
  });

  it('refuses a setting that is not a private JWK, naming the setting', async () => {
    await expect(signerFromJwk('not json')).rejects.toThrow(/NOTIFICATION_SIGNING_KEY is not JSON/);
    const { publicKey } = await generateKeyPair('ES256', { extractable: true });
    await expect(signerFromJwk(JSON.stringify(await exportJWK(publicKey)))).rejects.toThrow(/private JWK/);
  });
});

describe('notification ids', () => {
  it('are stable GUIDs, unique per call, row and position', () => {
    const id = notificationId('call-a', 3, 1);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(notificationId('call-a', 3, 1)).toBe(id);
    expect(new Set([id, notificationId('call-a', 3, 2), notificationId('call-a', 4, 1), notificationId('call-b', 3, 1)]).size).toBe(4);
  });
});

describe('recordings', () => {
  it('are WAV files, PCM mono 16-bit 16 kHz, of the recorded length', () => {
    const wav = silentWav(1500);
    expect(wav.length).toBe(44 + 1.5 * 16000 * 2);
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(wav.readUInt32LE(40)).toBe(48_000);
    expect(silentWav(0).length).toBe(44);
  });
});
