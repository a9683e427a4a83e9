import { describe, expect, it } from 'vitest';
import { graphError } from '../support/http';
import { inProcessApp } from '../support/in-process';

const svc = inProcessApp({ mediaClock: false });

const send = (method: string, path: string) => svc.fetch(path, { method, headers: { 'client-request-id': 'my-correlation' } });

/**
 * What no function takes goes to the app's catch-all route, which is registered like any other, so
 * the Azure host (whose own answer is an empty 404) and the local host answer alike.
 */
describe('paths and methods the API does not have', () => {
  it('an unknown path → Graph-shaped 404 NotFound naming it', async () => {
    for (const path of ['/v1.0/communications/callz', '/v2.0/communications/calls', '/v1.0/communications/calls/x/y/z/w', '/', '/v1.0/me']) {
      const res = await send('GET', path);
      expect(res.status).toBe(404);
      expect(res.headers.get('client-request-id')).toBe('my-correlation');
      const error = await graphError(res);
      expect(error.code).toBe('NotFound');
      expect(error.message).toContain(`GET ${path}`);
      expect(error.innerError['request-id']).toBe(res.headers.get('request-id'));
    }
  });

  it('a known path with another method → 405 MethodNotAllowed with Allow', async () => {
    const collection = await send('DELETE', '/v1.0/communications/calls');
    expect(collection.status).toBe(405);
    expect(collection.headers.get('allow')).toBe('POST');
    expect((await graphError(collection)).code).toBe('MethodNotAllowed');

    const call = await send('PUT', '/beta/app/calls/6b4c6c2a-7d3e-4a6e-9e51-0a1b2c3d4e5f');
    expect(call.status).toBe(405);
    expect(call.headers.get('allow')?.split(', ').sort()).toEqual(['DELETE', 'GET']);

    const action = await send('GET', '/V1.0/Communications/Calls/6b4c6c2a-7d3e-4a6e-9e51-0a1b2c3d4e5f/playPrompt');
    expect(action.status).toBe(405);
    expect(action.headers.get('allow')).toBe('POST');
  });
});
