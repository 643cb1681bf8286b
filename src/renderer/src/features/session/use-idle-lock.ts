import { useEffect, useRef } from 'react';
import { api } from '../../bridge';

// 'input' too: dictation, paste from a menu or an IME change a field without a key press.
const INPUT_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'input', 'wheel', 'touchstart'] as const;
/** Activity is reported to main at most this often: enough to keep main's idle clock honest. */
const REPORT_EVERY_MS = 30_000;

/**
 * Locks the session after `lockAfterMs` without keyboard or pointer input.
 * Main enforces the same delay on its own clock; this timer makes the screen
 * go dark at once instead of at the next call.
 */
export function useIdleLock(enabled: boolean, lockAfterMs: number, onIdle: () => void): void {
  const lastReport = useRef(0);
  const onIdleRef = useRef(onIdle);
  useEffect(() => {
    onIdleRef.current = onIdle;
  }, [onIdle]);

  useEffect(() => {
    if (!enabled) return;
    let timer = window.setTimeout(() => onIdleRef.current(), lockAfterMs);
    const onInput = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => onIdleRef.current(), lockAfterMs);
      const now = Date.now();
      if (now - lastReport.current >= REPORT_EVERY_MS) {
        lastReport.current = now;
        void api.session.activity({});
      }
    };
    for (const e of INPUT_EVENTS) window.addEventListener(e, onInput, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const e of INPUT_EVENTS) window.removeEventListener(e, onInput);
    };
  }, [enabled, lockAfterMs]);
}
