import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowser, type TestBrowser } from '../support/browser';
import { summary, type TestBot } from '../support/bot';
import { APP, promptBody } from '../support/graph';
import { ROOT } from '../support/host-process';
import { serviceForFile } from '../support/service';

/**
 * The screenshot docs/console.md and the README show. The test always takes it; it replaces the
 * committed one only with UPDATE_SCREENSHOTS=1, so a test run leaves the work tree as it was.
 */
const SCREENSHOT = process.env['UPDATE_SCREENSHOTS'] === '1' ? path.join(ROOT, 'docs/console.png') : path.join(os.tmpdir(), `console-${process.pid}.png`);

// Prompts last a minute: the cancel below finds one running and one queued.
const svc = serviceForFile({ deliver: true });
let bot: TestBot;
let browser: TestBrowser;
let page: Page;
beforeAll(async () => {
  bot = await svc.bot();
  browser = await startBrowser();
  page = await browser.context.newPage();
});
afterAll(async () => {
  await browser?.close();
});

/** Runs in the page: a computed style of one of the element's pseudo-elements. */
function pseudoStyle(element: unknown, { pseudo, property }: { pseudo: string; property: string }): string {
  const page = globalThis as unknown as { getComputedStyle(element: unknown, pseudo: string): Record<string, string> };
  return page.getComputedStyle(element, pseudo)[property] ?? '';
}

/** Opens the console and chooses a call: its detail. */
async function openCall(id: string) {
  await page.goto(`${svc.host.url}/console`);
  await page.locator(`tr[data-call-id="${id}"]`).click();
  return page.locator(`[data-call="${id}"]`);
}

describe('the console in a real browser', () => {
  it('shows a call live, plays its caller from the dialpad, and shows the cancel the bot sent', async () => {
    await page.goto(`${svc.host.url}/console`);
    await page.getByRole('status').filter({ hasText: 'live' }).waitFor();
    // The page's placeholder goes once the console is up.
    expect(await page.getByText('Loading the console…').count()).toBe(0);

    // A bot creates a call through the Graph API; the page, already open, shows it without a reload.
    const id = (await svc.client.establishedCall({ callbackUri: bot.callbackUri }))['id'] as string;
    const row = page.locator(`tr[data-call-id="${id}"]`);
    await row.filter({ hasText: 'established' }).waitFor();
    await svc.client.action(id, 'subscribeToTone', {});
    await svc.client.action(id, 'playPrompt', promptBody('welcome'));
    await svc.client.action(id, 'playPrompt', promptBody('menu'));

    await row.click();
    const detail = page.locator(`[data-call="${id}"]`);
    await detail.getByRole('button', { name: 'key 5' }).click();

    // The tone reaches the bot, and the page shows the same notification.
    const [tone] = await bot.waitFor(1, (n) => bot.of(id).includes(n) && summary(n).startsWith('tone:'));
    expect(summary(tone!)).toBe('tone:1:tone5');
    const toneItem = detail.locator(`li[data-notification-id="${tone!.id}"]`);
    await toneItem.waitFor();
    expect(await toneItem.textContent()).toContain('tone tone5 (sequenceId 1)');
    await toneItem.locator('.delivery-delivered').waitFor();
    // Its delivery attempts, from the delivery log: the one POST, answered 2xx.
    // It shows that it expands, and that it is open once clicked.
    const marker = () => toneItem.locator('summary').evaluate(pseudoStyle, { pseudo: '::before', property: 'content' });
    expect(await marker()).toBe('"▸"');
    await toneItem.locator('summary').click();
    expect(await marker()).toBe('"▾"');
    const attempt = toneItem.locator('table.attempt-log tbody tr');
    await attempt.waitFor();
    expect(await attempt.allTextContents()).toEqual([expect.stringMatching(/^\S+1delivered2\d\d \d+ ms/)]);

    // The bot cancels through the API; the page shows both prompts ended with 8508.
    const { res } = await svc.client.action(id, 'cancelMediaProcessing', { clientContext: 'cancel' });
    expect(res.status).toBe(200);
    const cancelled = detail.locator('table.operations tr', { hasText: '400/8508' });
    await expect.poll(() => cancelled.count(), { timeout: 15_000 }).toBe(2);
    expect(await cancelled.allTextContents()).toEqual([expect.stringContaining('welcome'), expect.stringContaining('menu')]);
    await detail.getByText('Empty.').waitFor();

    // Every notification the bot got is in the page.
    const received = await bot.waitFor(1, (n) => bot.of(id).includes(n) && summary(n) === 'playPromptOperation:failed:menu');
    expect(received).toHaveLength(1);
    await detail.locator('li[data-notification-id]', { hasText: "playPromptOperation 'menu' failed" }).waitFor();
    const shown = await detail.locator('li[data-notification-id]').evaluateAll((items) => items.map((li) => li.getAttribute('data-notification-id')));
    expect(new Set(shown)).toEqual(new Set(bot.of(id).map((n) => n.id)));

    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
  });
  it('rings the bot from the form, plays a recording, and hangs up from the page', async () => {
    await page.goto(`${svc.host.url}/console`);
    const form = page.locator('form.ring');
    // An empty field's hint reads as a hint, not as a value.
    const appId = form.getByLabel("Bot's app id");
    expect(await appId.getAttribute('placeholder')).toBe("the GUID your bot's tokens carry");
    expect(await appId.evaluate(pseudoStyle, { pseudo: '::placeholder', property: 'fontStyle' })).toBe('italic');
    await appId.fill(APP);
    await form.getByLabel('Callback URL').fill(bot.callbackUri);
    await form.getByLabel('Caller name').fill('Alice');
    await form.getByRole('button', { name: 'Ring' }).click();

    // The bot hears the incoming call, and the page has chosen it.
    const [created] = await bot.waitFor(1, (n) => n.notification['changeType'] === 'created' && n.notification['resourceData']?.['source']?.['identity']?.['user']?.['displayName'] === 'Alice');
    const id = String(created!.notification['resourceData']['id']);
    const detail = page.locator(`[data-call="${id}"]`);
    await detail.locator('.facts').filter({ hasText: 'incoming' }).waitFor();
    // Unanswered, the caller cannot press keys or speak yet: the pad says so instead of failing with a 400.
    expect(await detail.getByRole('button', { name: 'key 1' }).isDisabled()).toBe(true);
    expect(await detail.getByRole('button', { name: /^Speak/ }).isDisabled()).toBe(true);
    await detail.getByText('Keys and speech work once the call is established (it is incoming).').waitFor();
    const answer = await svc.client.send('POST', `/${id}/answer`, { callbackUri: bot.callbackUri, acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } });
    expect(answer.status).toBe(202);
    await detail.locator('h2 .state', { hasText: 'established' }).waitFor();
    expect(await detail.getByRole('button', { name: 'key 1' }).isDisabled()).toBe(false);

    // A one-second recording: the page plays its WAV, fetched with the recordingAccessToken.
    await svc.client.action(id, 'recordResponse', { clientContext: 'message', playBeep: false, maxRecordDurationInSeconds: 1 });
    const audio = detail.locator('table.operations audio');
    await audio.waitFor({ timeout: 15_000 });
    expect(await audio.getAttribute('src')).toMatch(/^blob:/);
    // The browser decodes it: a one-second WAV.
    const duration = await audio.evaluate((node) => {
      const el = node as unknown as { readyState: number; duration: number; addEventListener(type: string, fn: () => void): void };
      return new Promise<number>((resolve) => (el.readyState > 0 ? resolve(el.duration) : el.addEventListener('loadedmetadata', () => resolve(el.duration))));
    });
    expect(duration).toBeCloseTo(1, 1);

    await detail.getByRole('button', { name: 'Hang up' }).click();
    await detail.locator('.timeline', { hasText: '4097' }).waitFor();
    await bot.waitFor(1, (n) => bot.of(id).includes(n) && summary(n) === 'call:terminated');
    expect(await detail.getByRole('button', { name: 'key 1' }).isDisabled()).toBe(true);
  });
  it('marks the faults a profile injected in the delivery attempts it shows', async () => {
    const id = (await svc.client.establishedCall({ callbackUri: bot.callbackUri }))['id'] as string;
    await svc.client.action(id, 'subscribeToTone', {});
    // This call only: every tone notification is posted twice, with the same id.
    const fault = await svc.client.transport(`${svc.client.serviceUrl}/emulator/calls/${id}/faults`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${svc.client.bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ seed: 1, notifications: { duplicate: { rate: 1, kinds: ['tone'] } } }),
    });
    expect(fault.status).toBe(200);
    const detail = await openCall(id);
    await detail.getByRole('button', { name: 'key 7' }).click();
    const tones = await bot.waitFor(2, (n) => bot.of(id).includes(n) && summary(n).startsWith('tone:'));
    expect(tones[0]?.id).toBe(tones[1]?.id);
    const toneItem = detail.locator(`li[data-notification-id="${tones[0]!.id}"]`);
    await toneItem.locator('summary').click();
    await toneItem.locator('.badge-fault', { hasText: 'duplicate' }).waitFor();
  });
  it('drops a call from the page with a preset: the bot gets the call deleted with its code, marked in the attempts', async () => {
    const id = (await svc.client.establishedCall({ callbackUri: bot.callbackUri }))['id'] as string;
    const detail = await openCall(id);
    await detail.locator('h2 .state', { hasText: 'established' }).waitFor();
    await detail.getByLabel('how the platform ends the call').selectOption('500/7117');
    await detail.getByRole('button', { name: 'Drop this call' }).click();
    await detail.locator('.timeline', { hasText: '7117' }).waitFor();
    const [ended] = await bot.waitFor(1, (n) => bot.of(id).includes(n) && summary(n) === 'call:terminated');
    expect(ended!.notification['resourceData']['resultInfo']).toMatchObject({ code: 500, subcode: 7117 });
    expect(await detail.getByRole('button', { name: 'Drop this call' }).isDisabled()).toBe(true);
    const item = detail.locator(`li[data-notification-id="${ended!.id}"]`);
    await item.locator('summary').click();
    await item.locator('.badge-fault', { hasText: 'callDropped' }).waitFor();
  });

  it('puts a participant on hold and back, and invites an agent who joins, from the participants panel', async () => {
    const id = (await svc.client.establishedCall({ callbackUri: bot.callbackUri }))['id'] as string;
    const panel = (await openCall(id)).locator('.participants');
    const john = panel.locator('tr[data-participant-id]', { hasText: 'John' });
    await john.waitFor();
    await john.getByRole('button', { name: 'Hold' }).click();
    await john.locator('.badge-hold', { hasText: 'on hold' }).waitFor();
    await bot.waitFor(1, (n) => bot.of(id).includes(n) && summary(n) === 'startHoldMusicOperation:completed');
    await john.getByRole('button', { name: 'Unhold' }).click();
    await john.getByRole('button', { name: 'Hold' }).waitFor();
    await bot.waitFor(1, (n) => bot.of(id).includes(n) && summary(n) === 'stopHoldMusicOperation:completed');

    await panel.getByLabel('invitee name').fill('Agent Smith');
    await panel.getByRole('button', { name: 'Invite' }).click();
    const agent = panel.locator('tr[data-participant-id]', { hasText: 'Agent Smith' });
    await agent.locator('.badge', { hasText: /invited|joined/ }).waitFor();
    await agent.locator('.badge-joined').waitFor({ timeout: 15_000 });
    await bot.waitFor(1, (n) => bot.of(id).includes(n) && summary(n) === 'inviteParticipantsOperation:completed');
    expect(await panel.locator('tr[data-participant-id]').count()).toBe(3);

    // A teleconference device's quality report is kept for the page.
    const report = { callChainId: id, participantId: id, mediaLegId: id, deviceName: 'Room 42', deviceDescription: 'Teams Room', mediaQualityList: [{ averageJitter: 'PT0.01S' }] };
    expect((await svc.client.send('POST', '/logTeleconferenceDeviceQuality', { quality: report })).status).toBe(200);
    await svc.client.action(id, 'mute', {}); // any change of the call: the page reads the reports again
    await page.locator(`[data-call="${id}"] .device-quality li`, { hasText: 'Room 42' }).waitFor();
  });
});
