import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from '../../../src/notify/deliver';
import { isPublicAddress, publicOnlyAgent } from '../../../src/notify/public-callbacks';

let connections = 0;
let server: http.Server;
let port: number;
beforeAll(async () => {
  server = http.createServer((_req, res) => res.writeHead(202).end());
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((r) => server.close(r)));

const notification = { '@odata.type': '#microsoft.graph.commsNotification', changeType: 'updated' };
const attempt = (url: string, dispatcher?: ReturnType<typeof publicOnlyAgent>) =>
  post({ url, notification, notificationId: 'id', token: 't', timeoutMs: 2000, ...(dispatcher && { dispatcher }) });

describe('deployed delivery reaches public addresses only', () => {
  it('tells public from private, loopback and link-local addresses', () => {
    for (const address of ['8.8.8.8', '20.190.128.1', '2606:4700::1111']) expect(isPublicAddress(address)).toBe(true);
    for (const address of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '168.63.129.16', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '64:ff9b::7f00:1', '2002:7f00:1::1', 'fec0::1', 'not-an-ip']) {
      expect(isPublicAddress(address)).toBe(false);
    }
  });

  it('refuses every special-purpose range IANA lists as not globally reachable, not only the private ones', () => {
    const special = [
      '192.0.2.1', '198.51.100.7', '203.0.113.9', // documentation
      '192.88.99.1', // 6to4 relay anycast
      '198.18.0.1', // benchmarking
      '255.255.255.255', '240.0.0.1', // broadcast, reserved
      '2001:db8::1', // documentation
      '2001::1', // Teredo: embeds an IPv4 address
      '100::1', // discard-only
      '2001:10::1', '2001:20::1', // ORCHID
      'ff02::1', // multicast
    ];
    expect(special.filter((address) => isPublicAddress(address))).toEqual([]);
  });

  it('refuses at connect time a name that resolves to a private address (DNS rebinding), without connecting', async () => {
    // A name that looked harmless when the call was created now resolves to loopback.
    const rebinding = publicOnlyAgent((_host, _family, callback) => callback(null, [{ address: '127.0.0.1', family: 4 }]));
    const before = connections;
    const result = await attempt(`http://bot.example.test:${port}/cb`, rebinding);
    expect(result).toEqual({ kind: 'final', error: expect.stringContaining('resolves to 127.0.0.1, which is not a public address') });
    expect(connections).toBe(before);
  });

  it('refuses a private IP literal, which the local mode (no guard) would reach', async () => {
    const guard = publicOnlyAgent((_host, _family, callback) => callback(null, [{ address: '127.0.0.1', family: 4 }]));
    expect((await attempt(`http://127.0.0.1:${port}/cb`, guard)).kind).toBe('final');
    // Without the guard (local mode) the same loopback bot is reached.
    expect(await attempt(`http://127.0.0.1:${port}/cb`)).toEqual({ kind: 'delivered', status: 202 });
  });
});
