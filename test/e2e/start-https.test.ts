import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { freePort } from '../../tools/ports';
import { runStartScript } from '../support/host-process';
import { isolatedSettings } from '../support/storage';

describe('npm start over HTTPS', () => {
  it('prints the https base URL and the one line that trusts its CA, and serves there', async () => {
    const httpsPort = await freePort();
    const service = await runStartScript({ ...isolatedSettings(), HTTPS_PORT: String(httpsPort) });
    try {
      const caFile = path.join(inject('localCaDir'), 'ca.pem');
      const output = service.output();
      expect(output).toContain(`  HTTPS            https://127.0.0.1:${httpsPort}  (JS graph client: baseUrl https://127.0.0.1:${httpsPort}; C#, Kiota, REST: https://127.0.0.1:${httpsPort}/v1.0; see docs/clients.md)`);
      expect(output).toContain(`  Trust its CA     NODE_EXTRA_CA_CERTS=${caFile}`);
      expect(output).toContain(`  Graph base URL   https://127.0.0.1:${httpsPort}/v1.0`);
      expect(service.httpsUrl).toBe(`https://127.0.0.1:${httpsPort}`);
      expect((await fetch(`${service.httpsUrl}/health`)).status).toBe(200);
    } finally {
      expect(await service.stop('SIGINT')).toBe(0);
    }
  });

  it('serves no HTTPS with HTTPS_PORT=off', async () => {
    const service = await runStartScript({ ...isolatedSettings(), HTTPS_PORT: 'off' });
    try {
      expect(service.output()).not.toContain('https://');
      expect(service.httpsUrl).toBeUndefined();
      expect((await fetch(`${service.url}/health`)).status).toBe(200);
    } finally {
      expect(await service.stop('SIGINT')).toBe(0);
    }
  });
});
