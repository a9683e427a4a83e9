import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowser, type TestBrowser } from '../support/browser';
import { summary, testBot, type TestBot } from '../support/bot';
import { promptBody } from '../support/graph';
import { ROOT } from '../support/host-process';
import { startService, type RunningService } from '../support/service';

/** Where docs/console.md and the README find the screenshot this test takes. */
const SCREENSHOT = path.join(ROOT, 'docs/console.png');

let svc: RunningService;
let bot: TestBot;
let browser: TestBrowser;
let page: Page;
beforeAll(async () => {
  // Prompts last a minute: the cancel below finds one running and one queued.
  svc = await startService({ deliver: true });
  bot = await testBot(svc.host.url);
  browser = await startBrowser();
  page = await browser.context.newPage();
});
afterAll(async () => {
  await browser?.close();
  await svc?.host.stop();
  await bot?.close();
});

describe('the console in a real browser', () => {
  it('shows a call live, plays its caller from the dialpad, and shows the cancel the bot sent', async () => {
    await page.goto(`${svc.host.url}/console`);
    await page.getByRole('status').filter({ hasText: 'live' }).waitFor();

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
    await detail.locator('.delivery-delivered', { hasText: 'delivered' }).first().waitFor();

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
  });
});
