/**
 * Wraps the whole app: while locked, the app's tree is unmounted and only the lock screen is in
 * the page. Also where the app locks: idle minutes (a setting), and the desktop's requests
 * (menu, CmdOrCtrl+L, system sleep, screen lock). After a recovery-key unlock it asks for a new
 * passcode before anything else.
 */
import { type ReactNode, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppLock, useAtRest, usePrefs } from '../hooks';
import { idleLockDue } from '../lib/idleLock';
import { isHiddenAmountText } from '../lib/privacy';
import type { AppLockService } from '../services/appLock';
import { navigate } from '../hooks/useRoute';
import { onLockRequest, onNotificationClick } from '../services/platform';
import { privacyReveal } from '../services/privacyReveal';
import { LockScreen } from './LockScreen';
import { PasscodeSetup } from './PasscodeSetup';

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'mousemove'] as const;

/** Locks after `minutes` without input (0: never). */
function useIdleLock(service: AppLockService | undefined, minutes: number, active: boolean): void {
  useEffect(() => {
    if (!service || !active || minutes <= 0) return;
    let last = Date.now();
    const bump = () => {
      last = Date.now();
    };
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, bump, { passive: true, capture: true });
    const timer = setInterval(() => {
      if (idleLockDue(last, Date.now(), minutes)) service.lock();
    }, 5_000);
    return () => {
      clearInterval(timer);
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, bump, { capture: true });
    };
  }, [service, minutes, active]);
}

/** Privacy mode: a click on a hidden amount shows amounts for a while (lib/privacy.ts). */
function usePrivacyReveal(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) {
      privacyReveal.hide();
      return;
    }
    const onClick = (e: MouseEvent) => {
      const el = e.target instanceof Element ? e.target : null;
      if (el && isHiddenAmountText(el.textContent)) privacyReveal.reveal();
    };
    document.addEventListener('click', onClick, true);
    return () => document.removeEventListener('click', onClick, true);
  }, [enabled]);
}

export function LockGate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const lock = useAppLock();
  const atRest = useAtRest();
  const prefs = usePrefs();
  const service = lock?.service;
  const locked = lock?.snap.locked ?? false;
  useEffect(() => (service ? onLockRequest(() => service.lock()) : undefined), [service]);
  useIdleLock(service, prefs.lockIdleMinutes, !locked && (lock?.snap.canLock ?? false));
  usePrivacyReveal(prefs.privacyMode && !locked);
  // Whatever was revealed hides again when the app locks.
  useEffect(() => {
    if (locked) privacyReveal.hide();
  }, [locked]);

  // A clicked notification opens its item, after the unlock when locked.
  const pendingTarget = useRef<string | null>(null);
  const lockedNow = useRef(locked);
  lockedNow.current = locked;
  useEffect(
    () =>
      onNotificationClick((target) => {
        if (lockedNow.current) pendingTarget.current = target;
        else navigate(target);
      }),
    [],
  );
  useEffect(() => {
    if (locked || !pendingTarget.current) return;
    navigate(pendingTarget.current);
    pendingTarget.current = null;
  }, [locked]);

  if (locked) return <LockScreen />;
  if (lock?.snap.needsNewPasscode && atRest) {
    return (
      <main className="main narrow" data-testid="renew-passcode">
        <h1>{t('lock.renewTitle')}</h1>
        <p>{t('lock.renewIntro')}</p>
        <div className="card">
          <PasscodeSetup
            save={(p) => atRest.service.setPasscode(p)}
            onDone={() => service?.passcodeRenewed()}
          />
        </div>
      </main>
    );
  }
  return <>{children}</>;
}
