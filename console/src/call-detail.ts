import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { CallView, DeliveryAttemptView } from '../../src/api/console-views';
import { deliveryLog } from './http';
import { CallerPad } from './caller-pad';
import { Participants } from './participants';
import { DeviceQuality } from './device-quality';
import { clock, result } from './format';
import { DeadLetters, NotificationList } from './notifications';
import { Recording } from './recording';

/** One call: who and where, the caller's buttons, its states, its media, its notifications. */
export function CallDetail({ view }: { readonly view: CallView }) {
  const { call } = view;
  // The delivery log is read again whenever the call's view changes (a notification was queued or delivered).
  const [log, setLog] = useState<readonly DeliveryAttemptView[] | undefined>(undefined);
  const deliveries = JSON.stringify(view.notifications.map((n) => [n.id, n.delivery]));
  useEffect(() => {
    let live = true;
    deliveryLog(call.id).then(
      (entries) => live && setLog(entries),
      () => live && setLog(undefined),
    );
    return () => {
      live = false;
    };
  }, [call.id, deliveries]);
  return html`
    <div class="detail" data-call=${call.id}>
      <section class="panel">
        <h2>Call <span class="mono">${call.id}</span> <span class=${`state state-${call.state}`}>${call.state}</span></h2>
        <dl class="facts">
          <dt>App</dt><dd class="mono">${call.appId}</dd>
          <dt>Direction</dt><dd>${call.direction}</dd>
          <dt>Callback</dt><dd class="mono">${call.callbackUri}</dd>
          <dt>Created</dt><dd>${clock(call.createdAt)}</dd>
          ${call.endedAt && html`<dt>Ended</dt><dd>${clock(call.endedAt)} ${result(call.resultInfo)}</dd>`}
          <dt>Tones</dt><dd>${call.toneSubscription ? 'subscribed' : 'not subscribed'}</dd>
        </dl>
      </section>
      <${CallerPad} view=${view} />
      <${Participants} view=${view} />
      <div class="columns">
        <section class="panel">
          <h3>State timeline</h3>
          <ol class="timeline">
            ${view.timeline.map((t) => html`<li><span class="time">${clock(t.at)}</span> <span class=${`state state-${t.state}`}>${t.state}</span> ${t.resultInfo ? html`<span class="muted">${result(t.resultInfo)}</span>` : ''}</li>`)}
          </ol>
        </section>
        <section class="panel">
          <h3>Media queue</h3>
          ${view.mediaQueue.length === 0
            ? html`<p class="muted">Empty.</p>`
            : html`<ol class="queue">${view.mediaQueue.map((q) => html`<li><span class=${`badge badge-${q.status}`}>${q.status}</span> ${q.type} ${q.clientContext ? html`<span class="muted">'${q.clientContext}'</span>` : ''}</li>`)}</ol>`}
        </section>
      </div>
      <section class="panel">
        <h3>Operations</h3>
        ${view.operations.length === 0
          ? html`<p class="muted">None yet.</p>`
          : html`
              <div class="scroll"><table class="operations">
                <thead><tr><th>Started</th><th>Type</th><th>Status</th><th>clientContext</th><th>resultInfo</th><th>completionReason</th><th>Recording</th></tr></thead>
                <tbody>
                  ${view.operations.map(
                    (op) => html`
                      <tr key=${op.id} data-operation-id=${op.id} title=${op.id}>
                        <td class="time">${clock(op.createdAt)}</td>
                        <td>${op.type}</td>
                        <td><span class=${`badge badge-${op.status}`}>${op.status}</span></td>
                        <td>${op.clientContext ?? ''}</td>
                        <td class="result">${result(op.resultInfo)}</td>
                        <td>${op.completionReason ?? ''}</td>
                        <td>${op.recordingLocation && op.recordingAccessToken ? html`<${Recording} location=${op.recordingLocation} accessToken=${op.recordingAccessToken} />` : ''}</td>
                      </tr>
                    `,
                  )}
                </tbody>
              </table></div>
            `}
      </section>
      <section class="panel">
        <h3>Notifications <span class="muted">(${view.notifications.length})</span></h3>
        <${NotificationList} notifications=${view.notifications} log=${log} />
      </section>
      <section class="panel">
        <h3>Dead letters</h3>
        <${DeadLetters} letters=${view.deadLetters} />
      </section>
      <${DeviceQuality} view=${view} />
    </div>
  `;
}
