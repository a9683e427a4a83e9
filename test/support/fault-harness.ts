import { expect } from 'vitest';
import { notificationId } from '../../src/store/notification-id';
import { summary, testBot, type TestBot } from './bot';
import { eventually } from './eventually';
import { forFile } from './for-file';
import { promptBody } from './graph';
import { json } from './http';
import { startService } from './service';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The notifications of one IVR call (see `flow`), as the bot summarises them. */
export const FLOW = ['call:establishing', 'call:established', 'playPromptOperation:completed:welcome', 'call:terminating', 'call:terminated'];

/**
 * A service that delivers to real bots, with what the fault tests do to it: set the app's profile,
 * run one IVR call, read the delivery log and the fault summary.
 */
export async function faultHarness() {
  const svc = await startService({ deliver: true, env: { PROMPT_DURATION_MS: '500', NOTIFICATION_RETRY_BASE_MS: '200', NOTIFICATION_RETRY_MAX_DELAY_MS: '1000' } });
  const bots: TestBot[] = [];

  async function bot(options: Parameters<typeof testBot>[1] = {}) {
    const b = await testBot(svc.host.url, options);
    bots.push(b);
    return b;
  }

  async function emulator(method: string, path: string, body?: unknown, service = svc): Promise<Response> {
    return fetch(`${service.host.url}/emulator/${path}`, {
      method,
      headers: { authorization: `Bearer ${service.client.bearer}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  }

  async function setProfile(profile: unknown | undefined): Promise<void> {
    const res = profile === undefined ? await emulator('DELETE', 'faults') : await emulator('PUT', 'faults', profile);
    expect(res.status).toBe(profile === undefined ? 204 : 200);
  }

  /** One IVR call: established, a prompt played to its end, hung up; returns once the bot has all of it. */
  async function flow(b: TestBot, service = svc): Promise<string> {
    const { client } = service;
    const callId = (await client.establishedCall({ callbackUri: b.callbackUri }))['id'] as string;
    expect((await client.action(callId, 'playPrompt', promptBody('welcome'))).res.status).toBe(200);
    await eventually(() => expect(b.of(callId).map(summary)).toContain('playPromptOperation:completed:welcome'), 20_000);
    expect((await client.send('DELETE', `/${callId}`)).status).toBe(204);
    await eventually(() => expect(b.of(callId).map(summary)).toContain('call:terminated'), 20_000);
    return callId;
  }

  async function deliveryLog(callId: string, service = svc): Promise<Json[]> {
    return (await json<{ value: Json[] }>(await fetch(`${service.host.url}/notifications/log?callId=${callId}`))).value;
  }

  async function faultSummary(): Promise<Json> {
    return json(await emulator('GET', 'faults/summary'));
  }

  async function close(): Promise<void> {
    await svc.host.stop();
    await Promise.all(bots.map((b) => b.close()));
  }

  return { svc, bot, emulator, setProfile, flow, deliveryLog, faultSummary, close };
}

/** The bot's notifications of a call, repeats dropped (as a bot de-duplicating by message id would). */
export function distinct(b: TestBot, callId: string): string[] {
  const seen = new Set<string>();
  return b.of(callId).filter((n) => !seen.has(n.id) && seen.add(n.id)).map(summary);
}

/** Notification id → its place in the call ("seq.index"), which is what fault decisions draw on. */
export function places(callId: string): Map<string, string> {
  const map = new Map<string, string>();
  for (let seq = 0; seq < 16; seq++) for (let i = 0; i < 8; i++) map.set(notificationId(callId, seq, i), `${seq}.${i}`);
  return map;
}

export type FaultHarness = Awaited<ReturnType<typeof faultHarness>>;

/** One harness for the calling test file: started before its tests, closed after them. */
export function faultHarnessForFile(): FaultHarness {
  return forFile(faultHarness, (harness) => harness.close());
}
