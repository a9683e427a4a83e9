import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { CallView, DeviceQualityView } from '../../src/api/console-views';
import { asApp } from './http';
import { clock } from './format';

/**
 * The teleconference devices' quality reports of the call's app (logTeleconferenceDeviceQuality),
 * newest first, as the instance serving the page kept them; read again when the call changes.
 */
export function DeviceQuality({ view }: { readonly view: CallView }) {
  const { call } = view;
  const [reports, setReports] = useState<readonly DeviceQualityView[]>([]);
  const changed = view.notifications.length;
  useEffect(() => {
    let live = true;
    asApp({ appId: call.appId, tenantId: call.tenantId }, 'GET', '/emulator/deviceQuality').then(
      (answer) => live && setReports((answer as { value: DeviceQualityView[] }).value),
      () => live && setReports([]),
    );
    return () => {
      live = false;
    };
  }, [call.id, changed]);
  if (reports.length === 0) return null;
  return html`
    <section class="panel device-quality">
      <h3>Device quality reports <span class="muted">(app ${call.appId})</span></h3>
      <ol>
        ${reports.map((r) => html`<li><span class="time">${clock(r.at)}</span> ${String(r.quality['deviceName'] ?? '')} <span class="muted">${String(r.quality['deviceDescription'] ?? '')}, ${Array.isArray(r.quality['mediaQualityList']) ? r.quality['mediaQualityList'].length : 0} media quality entries</span></li>`)}
      </ol>
    </section>
  `;
}
