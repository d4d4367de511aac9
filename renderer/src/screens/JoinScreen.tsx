import { type FormEvent, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, useWallet } from '../hooks';
import { navigate } from '../hooks/useRoute';
import { type Invite, parseInvite, parseJoinRouteQuery } from '../lib/invite';
import { hrefFor } from '../lib/route';

/** The invite this screen was opened with: a web invite (#/join?relay…) or a forwarded deep link (?link=…). */
function inviteFromQuery(query: string): { link: string; invite: Invite | null } {
  if (!query) return { link: '', invite: null };
  const params = new URLSearchParams(query);
  const link = params.get('link');
  if (link !== null) {
    const r = parseInvite(link);
    return { link, invite: r.ok ? r.value : null };
  }
  const r = parseJoinRouteQuery(query);
  return { link: r.ok ? '' : `#/join?${query}`, invite: r.ok ? r.value : null };
}

export function JoinScreen({ query }: { query: string }) {
  const { t } = useTranslation();
  const wallet = useWallet();
  const app = useApp();
  const initial = useMemo(() => inviteFromQuery(query), [query]);
  const [text, setText] = useState(initial.link);
  const [invite, setInvite] = useState<Invite | null>(initial.invite);
  const [error, setError] = useState<string | null>(
    query && !initial.invite ? t('errors.invite_format') : null,
  );
  const [busy, setBusy] = useState(false);
  const id = useId();

  function check(e: FormEvent) {
    e.preventDefault();
    const r = parseInvite(text);
    if (r.ok) {
      setInvite(r.value);
      setError(null);
      void join(r.value);
    } else {
      setInvite(null);
      setError(t(`errors.${r.error.code}`, { defaultValue: r.error.message }));
    }
  }

  async function join(invite: Invite) {
    if (app.groups.some((g) => g.id === invite.groupId)) {
      navigate(hrefFor({ name: 'group', groupId: invite.groupId, tab: 'expenses' }));
      return;
    }
    setBusy(true);
    try {
      const groupId = await wallet.joinGroup(invite);
      navigate(hrefFor({ name: 'group', groupId, tab: 'expenses' }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  }

  const already = invite && app.groups.find((g) => g.id === invite.groupId);

  return (
    <section className="narrow" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t('join.title')}</h1>
      <form className="card" onSubmit={check} noValidate>
        <div className="field">
          <label htmlFor={`${id}-link`}>{t('join.linkLabel')}</label>
          <textarea
            id={`${id}-link`}
            data-testid="join-link"
            value={text}
            rows={3}
            spellCheck={false}
            placeholder="tally://join?relay=…&group=…#key=…"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-err` : undefined}
            onChange={(e) => {
              setText(e.target.value);
              setError(null);
              setInvite(null);
            }}
          />
          {error && (
            <p id={`${id}-err`} className="error" role="alert" data-testid="join-error">
              {error}
            </p>
          )}
        </div>
        <button type="submit" className="primary" disabled={busy} data-testid="join-check">
          {t('join.join')}
        </button>
      </form>
      {invite && (
        <div className="card" data-testid="join-preview">
          <h2>{t('join.previewTitle')}</h2>
          <dl className="grid-2">
            <div>
              <dt className="muted small">{t('join.relay')}</dt>
              <dd className="mono">{invite.relay}</dd>
            </div>
            <div>
              <dt className="muted small">{t('join.group')}</dt>
              <dd className="mono">{invite.groupId}</dd>
            </div>
          </dl>
          <p className="muted small">
            {already ? t('join.already', { name: already.name }) : t('join.explain')}
          </p>
          <div className="row end">
            <button
              type="button"
              className="primary"
              onClick={() => join(invite)}
              disabled={busy}
              data-testid="join-submit"
            >
              {already ? t('join.open') : t('join.join')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
