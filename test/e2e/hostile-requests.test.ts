import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/graph/body';
import { rawRequest } from '../support/raw-http';
import { serviceForFile } from '../support/service';

/** The service behind the local host, with the project's settings, facing clients that send too much. */
const svc = serviceForFile();

describe('a body over the app’s limit', () => {
  it('declared in Content-Length, is answered 413 at once, before the body is sent and before any token is read', async () => {
    // Headers only: the 90 MiB never come. A host that waited for them would answer nothing.
    const res = await rawRequest(
      svc.host.port,
      `POST /v1.0/communications/calls HTTP/1.1\r\nHost: 127.0.0.1:${svc.host.port}\r\nContent-Type: application/json\r\nContent-Length: ${90 * 1024 * 1024}\r\n\r\n`,
      { timeoutMs: 10_000 },
    );
    expect(res.status).toBe(413);
    expect(res.body).toBe(''); // the host's own answer, with no body, as the Azure host gives it
  });

  it('streamed without a length, is cut off with a 413 once it passes the limit', async () => {
    const chunk = 'x'.repeat(64 * 1024);
    const chunks = Math.ceil(MAX_BODY_BYTES / chunk.length) + 2;
    const body = Array.from({ length: chunks }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('');
    const res = await rawRequest(
      svc.host.port,
      `POST /v1.0/communications/calls HTTP/1.1\r\nHost: 127.0.0.1:${svc.host.port}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${body}`,
      { timeoutMs: 10_000 },
    );
    expect(res.status).toBe(413);
  });
});
