import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { asOperator, type DeadLetterView, type NotificationView } from './api';
import { clock, describe } from './format';

function deliveryText(n: NotificationView): string {
  const d = n.delivery;
  if (d.outcome === 'delivered') return 'delivered';
  if (d.outcome === 'deadLettered') return `dead letter after ${d.attempts ?? 0} attempt(s)`;
  return d.attempts ? `retrying: ${d.attempts} attempt(s), next ${clock(d.nextAttemptAt)}` : 'waiting';
}

/** Every notification of the call, oldest first: what it says, whether it arrived, its JSON. */
export function NotificationList({ notifications }: { readonly notifications: readonly NotificationView[] }) {
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
