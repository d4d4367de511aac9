import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QrCode } from '../components/QrCode';
import type { GroupHandle } from '../hooks/services';
import { formatAppInvite, formatWebInvite } from '../lib/invite';
import { isDesktop } from '../services/platform';

/** The web link only makes sense when the app itself is served over http(s). */
function webAppUrl(): string | null {
  const { protocol, origin, pathname } = window.location;
  return protocol === 'http:' || protocol === 'https:' ? `${origin}${pathname}` : null;
}

export function InviteTab({ group }: { group: GroupHandle }) {
  const { t } = useTranslation();
  const invite = group.session.invite();
  const id = useId();
  const appLink = invite ? formatAppInvite(invite) : null;
  const base = webAppUrl();
  const webLink = invite && base ? formatWebInvite(invite, base) : null;
  // The QR code carries the link the other person can open: the app link on desktop, else the web link.
  const qrLink = isDesktop() || !webLink ? appLink : webLink;

  if (!invite || !appLink) {
    return <p className="notice">{t('invite.noRelay')}</p>;
  }
  return (
    <div className="card" data-testid="invite-tab">
      <h2>{t('invite.title')}</h2>
      <p className="muted">{t('invite.explain')}</p>
      <p className="notice small">{t('invite.secret')}</p>
      <div className="row invite">
        {qrLink && <QrCode text={qrLink} label={t('invite.qrLabel')} />}
        <div className="stack invite-links">
          <CopyField id={`${id}-app`} label={t('invite.appLink')} value={appLink} testId="invite-app-link" />
          {webLink && (
            <CopyField
              id={`${id}-web`}
              label={t('invite.webLink')}
              value={webLink}
              testId="invite-web-link"
            />
          )}
          <p className="muted small">{t('invite.relay', { relay: invite.relay })}</p>
        </div>
      </div>
    </div>
  );
}

function CopyField({
  id,
  label,
  value,
  testId,
}: {
  id: string;
  label: string;
  value: string;
  testId: string;
}) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="row nowrap">
        <input id={id} readOnly value={value} data-testid={testId} onFocus={(e) => e.target.select()} />
        <button
          type="button"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(value);
              setCopied(true);
              setTimeout(() => setCopied(false), 2000);
            } catch {
              setCopied(false);
            }
          }}
        >
          {copied ? t('invite.copied') : t('invite.copy')}
        </button>
      </div>
    </div>
  );
}
