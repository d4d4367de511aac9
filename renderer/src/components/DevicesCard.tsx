import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isWalletError } from '../../../shared/errors';
import { useApp, useWallet } from '../hooks';
import {
  type DeviceLinkOffer,
  type DeviceRow,
  devicesOf,
  type LinkRequest,
  offerDeviceLink,
  unlinkDevice,
} from '../services/deviceLinking';
import { QrCode } from './QrCode';

/** A WalletError in the user's language when its code has a text, else its own message. */
export function useLinkErrorText(): (error: unknown) => string {
  const { t } = useTranslation();
  return (error) =>
    isWalletError(error)
      ? t(`devices.errors.${error.code}`, { defaultValue: error.message })
      : error instanceof Error
        ? error.message
        : String(error);
}

/**
 * Settings → Your devices (docs/protocol.md §16): link a new device (link + QR, then "Link
 * 'Laptop 2'?"), and the person's linked devices with unlink.
 */
export function DevicesCard() {
  const { t } = useTranslation();
  const app = useApp();
  const wallet = useWallet();
  const id = useId();
  const errorText = useLinkErrorText();
  const [offer, setOffer] = useState<DeviceLinkOffer | null>(null);
  const [asking, setAsking] = useState<{ request: LinkRequest; answer: (ok: boolean) => void } | null>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [unlinking, setUnlinking] = useState<string | null>(null);
  const me = app.me?.id;
  const rows = me
    ? devicesOf(
        me,
        app.groups.map((g) => ({ id: g.id, devices: wallet.session(g.id)?.state?.devices ?? [] })),
        wallet.certificate,
      )
    : [];

  async function start() {
    setMsg(null);
    try {
      const next = await offerDeviceLink(
        wallet,
        (request) =>
          new Promise<boolean>((resolve) =>
            setAsking({
              request,
              answer: (ok) => {
                setAsking(null);
                resolve(ok);
              },
            }),
          ),
      );
      setOffer(next);
      next.done
        .then(
          ({ request }) => setMsg({ ok: true, text: t('devices.linked', { name: request.name }) }),
          (error: unknown) => setMsg({ ok: false, text: errorText(error) }),
        )
        .finally(() => setOffer(null));
    } catch (error) {
      setMsg({ ok: false, text: errorText(error) });
    }
  }

  async function unlink(row: DeviceRow) {
    setUnlinking(null);
    try {
      await unlinkDevice(wallet, row);
      setMsg({ ok: true, text: t('devices.unlinked', { name: row.name ?? t('devices.unnamed') }) });
    } catch (error) {
      setMsg({ ok: false, text: errorText(error) });
    }
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="devices-card">
      <h2 id={`${id}-title`}>{t('devices.title')}</h2>
      <p className="muted small">{t('devices.intro')}</p>
      {wallet.certificate ? (
        <p className="muted small" data-testid="devices-linked-here">
          {t('devices.linkedDevice')}
        </p>
      ) : offer ? (
        <div className="field">
          <label htmlFor={`${id}-link`}>{t('devices.linkLabel')}</label>
          <textarea id={`${id}-link`} readOnly rows={3} value={offer.text} data-testid="device-link-text" />
          <QrCode text={offer.text} label={t('devices.qr')} testId="device-link-qr" />
          {asking ? (
            <div className="notice" role="alertdialog" aria-live="assertive" data-testid="device-link-ask">
              <p>{t('devices.confirm', { name: asking.request.name })}</p>
              <div className="row">
                <button
                  type="button"
                  className="primary"
                  onClick={() => asking.answer(true)}
                  data-testid="device-link-accept"
                >
                  {t('devices.accept')}
                </button>
                <button type="button" onClick={() => asking.answer(false)} data-testid="device-link-decline">
                  {t('devices.decline')}
                </button>
              </div>
            </div>
          ) : (
            <p className="muted small" role="status">
              {t('devices.waiting')}
            </p>
          )}
        </div>
      ) : (
        <button type="button" onClick={() => void start()} data-testid="device-link-start">
          {t('devices.start')}
        </button>
      )}
      {msg && (
        <p className={msg.ok ? 'muted small' : 'error'} role="status" data-testid="device-link-msg">
          {msg.text}
        </p>
      )}
      {rows.length === 0 ? (
        <p className="muted small">{t('devices.none')}</p>
      ) : (
        <ul className="plain-list" data-testid="device-list">
          {rows.map((row) => (
            <li key={row.device} className="row" data-testid="device-row">
              <span>
                {row.name ?? t('devices.unnamed')}
                {row.thisDevice && <span className="muted"> · {t('devices.thisDevice')}</span>}
                <span className="muted small">
                  {' '}
                  · {t('devices.linkedSince', { date: new Date(row.created).toLocaleDateString() })}
                </span>
              </span>
              {!row.thisDevice &&
                (unlinking === row.device ? (
                  <span className="row">
                    <span className="small">
                      {t('devices.unlinkConfirm', { name: row.name ?? t('devices.unnamed') })}
                    </span>
                    <button
                      type="button"
                      className="danger"
                      onClick={() => void unlink(row)}
                      data-testid="device-unlink-yes"
                    >
                      {t('devices.unlinkYes')}
                    </button>
                    <button type="button" onClick={() => setUnlinking(null)}>
                      {t('common.cancel')}
                    </button>
                  </span>
                ) : (
                  <button type="button" onClick={() => setUnlinking(row.device)} data-testid="device-unlink">
                    {t('devices.unlink')}
                  </button>
                ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
