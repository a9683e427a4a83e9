import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { partition } from '../support/graph';
import { json } from '../support/http';
import { serviceForFile } from '../support/service';
import type { BotOptions } from '../../tools/bot/receiver';
import { summary, type TestBot } from '../support/bot';

// Quick retries and a short window, so a failing bot is given up on within seconds.
const svc = serviceForFile({
  deliver: true,
  env: { NOTIFICATION_TIMEOUT_MS: '500', NOTIFICATION_RETRY_BASE_MS: '200', NOTIFICATION_RETRY_MAX_DELAY_MS: '1000', NOTIFICATION_RETRY_WINDOW_MS: '6000' },
});

function bot(reply: NonNullable<BotOptions['reply']>) {
  return svc.bot({ reply });
}

/** A call whose first notification ("establishing") goes to this bot. */
async function callTo(b: TestBot) {
  return (await svc.client.createCall({ callbackUri: b.callbackUri }))['id'] as string;
}

function attemptsOf(b: TestBot, id: string) {
  return b.attempts.filter((a) => a.id === id).map((a) => a.status);
}

describe('delivery to bots that fail', () => {
  it('retries 503s and delivers on the third attempt, with the same notification id every time', async () => {
    const b = await bot((_, attempt) => ({ status: attempt <= 2 ? 503 : 202 }));
    const callId = await callTo(b);
    const [first] = await b.waitFor(1, (n) => summary(n) === 'call:establishing');
    expect(first?.notification['resourceData']['id']).toBe(callId);
    expect(attemptsOf(b, first?.id ?? '')).toEqual([503, 503, 202]);
    // And the call's next notification came after it, once.
    const later = await b.waitFor(1, (n) => summary(n) === 'call:established');
    expect(b.received.indexOf(later[0] as never)).toBeGreaterThan(b.received.indexOf(first as never));
  });

  it('honours Retry-After on a 429', async () => {
    const seen: number[] = [];
    const b = await bot((n, attempt) => {
      if (summary(n) === 'call:establishing') seen.push(Date.now());
      return attempt === 1 ? { status: 429, headers: { 'Retry-After': '3' } } : { status: 202 };
    });
    await callTo(b);
    await b.waitFor(1, (n) => summary(n) === 'call:establishing');
    expect(seen).toHaveLength(2);
    expect((seen[1] ?? 0) - (seen[0] ?? 0)).toBeGreaterThanOrEqual(2900);
  });

  it('times out a bot that hangs, and retries', async () => {
    const b = await bot((_, attempt) => (attempt === 1 ? { status: 202, delayMs: 2000 } : { status: 202 }));
    await callTo(b);
    const establishing = await b.waitFor(2, (n) => summary(n) === 'call:establishing');
    // The bot answered both POSTs eventually; both carried the same id, so it can drop the repeat.
    expect(new Set(establishing.map((n) => n.id)).size).toBe(1);
  });

  it('dead-letters what still fails at the end of the window, and replays it once the bot recovers', async () => {
    let healthy = false;
    const b = await bot(() => ({ status: healthy ? 202 : 500 }));
    const callId = await callTo(b);
    const letters = await eventually(async () => {
      const res = await fetch(`${svc.host.url}/notifications/deadLetters?callId=${callId}`);
      const body = await json<{ value: Record<string, any>[] }>(res); // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(body.value.length).toBeGreaterThanOrEqual(1);
      return body.value;
    }, 30_000);
    const [letter] = letters;
    expect(letter).toMatchObject({ callId, callbackUri: b.callbackUri, lastError: 'HTTP 500', reason: 'still failing at the end of the retry window' });
    expect(letter?.['attempts']).toBeGreaterThanOrEqual(2);
    expect(letter?.['notifications'][0]['resourceData']['state']).toBe('establishing');
    const failedId = b.attempts[0]?.id;

    healthy = true;
    const replay = await fetch(`${svc.host.url}/notifications/deadLetters/${letter?.['id']}/replay`, { method: 'POST' });
    expect(replay.status).toBe(202);
    const delivered = await b.waitFor(1, (n) => summary(n) === 'call:establishing');
    expect(delivered[0]?.id).toBe(failedId);
    const remaining = await json<{ value: { id: string }[] }>(await fetch(`${svc.host.url}/notifications/deadLetters?callId=${callId}`));
    expect(remaining.value.map((l) => l.id)).not.toContain(letter?.['id']);
  });

  it('never follows a redirect: the notification is refused, kept as a dead letter, and the next one flows', async () => {
    let followed = 0;
    const elsewhere = http.createServer((_req, res) => {
      followed++;
      res.writeHead(202).end();
    });
    await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
    const target = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/`;
    const b = await bot((n) => (summary(n) === 'call:establishing' ? { status: 302, headers: { Location: target } } : { status: 202 }));
    const callId = await callTo(b);
    await b.waitFor(1, (n) => summary(n) === 'call:established');
    expect(followed).toBe(0);
    const { value } = await json<{ value: { reason: string; lastError: string }[] }>(await fetch(`${svc.host.url}/notifications/deadLetters?callId=${callId}`));
    expect(value).toEqual([expect.objectContaining({ reason: 'refused by the callback', lastError: 'HTTP 302 (redirects are not followed)' })]);
    elsewhere.close();
  });

  it('keeps one bot’s trouble to its own calls', async () => {
    const down = await bot(() => ({ status: 503 }));
    const up = await bot(() => ({ status: 202 }));
    const stuck = await callTo(down);
    const flowing = await callTo(up);
    const notes = await up.waitFor(2, (n) => up.of(flowing).includes(n));
    expect(notes.map(summary)).toEqual(['call:establishing', 'call:established']);
    // Meanwhile the other call's first notification is being retried, and its second waits behind it.
    await eventually(async () => {
      const { outbox } = await partition(svc.table, stuck);
      expect(outbox.map((row) => [row.seq, row.attempts > 0])).toEqual([
        [0, true],
        [1, false],
      ]);
    });
  });
});
