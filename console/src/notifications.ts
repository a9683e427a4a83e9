import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { DeadLetterView, DeliveryAttemptView, NotificationView } from '../../src/api/console-views';
import { asOperator } from './http';
import { clock, describe } from './format';

function deliveryText(n: NotificationView): string {
  const d = n.delivery;
  if (d.outcome === 'delivered') return 'delivered';
  if (d.outcome === 'deadLettered') return `dead letter after ${d.attempts ?? 0} attempt(s)`;
  return d.attempts ? `retrying: ${d.attempts} attempt(s), next ${clock(d.nextAttemptAt)}` : 'waiting';
}

function AttemptList({ attempts }: { readonly attempts: readonly DeliveryAttemptView[] }) {
  return html`
    <table class="attempt-log">
      <thead><tr><th>At</th><th>Attempt</th><th>Outcome</th><th>HTTP / error</th><th>Latency</th><th>Next attempt</th></tr></thead>
      <tbody>
        ${attempts.map(
          (a) => html`<tr><td class="time">${clock(a.at)}</td><td>${a.attempt}</td><td>${a.outcome}${a.fault && html` <span class="badge badge-fault" title="injected by a fault profile">${a.fault}</span>`}</td><td>${a.status ?? ''} ${a.error ?? ''}</td><td>${a.latencyMs} ms</td><td class="time">${clock(a.nextAttemptAt)}</td></tr>`,
        )}
      </tbody>
    </table>
  `;
}

/**
 * Every notification of the call, oldest first: what it says, whether it arrived, its delivery
 * attempts (from the delivery log, when the service keeps one), its JSON.
 */
export function NotificationList({ notifications, log }: { readonly notifications: readonly NotificationView[]; readonly log: readonly DeliveryAttemptView[] | undefined }) {
  if (notifications.length === 0) return html`<p class="muted">No notifications yet.</p>`;
  return html`
    <ol class="notifications">
      ${notifications.map(
        (n) => html`
          <li key=${`${n.id}@${n.seq}`} data-notification-id=${n.id}>
            <details>
              <summary>
                <span class="time">${clock(n.at)}</span>
                <span class="what">${describe(n.notification)}</span>
                <span class=${`delivery delivery-${n.delivery.outcome}`}>${deliveryText(n)}</span>
              </summary>
              <dl class="attempts">
                <dt>Notification id</dt><dd class="mono">${n.id}</dd>
                ${n.delivery.attempts !== undefined && html`<dt>Attempts</dt><dd>${n.delivery.attempts}</dd>`}
                ${n.delivery.lastError && html`<dt>Last error</dt><dd>${n.delivery.lastError}</dd>`}
                ${n.delivery.nextAttemptAt && html`<dt>Next attempt</dt><dd>${clock(n.delivery.nextAttemptAt)}</dd>`}
                ${n.delivery.reason && html`<dt>Dead because</dt><dd>${n.delivery.reason}</dd>`}
              </dl>
              ${log && html`<${AttemptList} attempts=${log.filter((a) => a.notificationId === n.id)} />`}
              <pre class="json">${JSON.stringify(n.notification, null, 2)}</pre>
            </details>
          </li>
        `,
      )}
    </ol>
  `;
}

/** Notifications that could not be delivered, with a button that puts them back in the outbox. */
export function DeadLetters({ letters }: { readonly letters: readonly DeadLetterView[] }) {
  const [outcome, setOutcome] = useState('');
  if (letters.length === 0) return html`<p class="muted">None.</p>`;
  const replay = async (id: string) => {
    try {
      await asOperator('POST', `/notifications/deadLetters/${encodeURIComponent(id)}/replay`);
      setOutcome(`Replayed ${id}.`);
    } catch (error) {
      setOutcome((error as Error).message);
    }
  };
  return html`
    <ul class="dead-letters">
      ${letters.map(
        (l) => html`
          <li key=${l.id}>
            <span>${l.notifications.map((n) => describe(n)).join('; ')}</span>
            <span class="muted"> · ${l.attempts} attempt(s), ${l.reason}: ${l.lastError} · ${clock(l.deadAt)}</span>
            <button type="button" onClick=${() => replay(l.id)}>Replay</button>
          </li>
        `,
      )}
    </ul>
    ${outcome && html`<p class="outcome" role="status">${outcome}</p>`}
  `;
}
