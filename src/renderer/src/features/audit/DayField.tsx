import { useId, useState } from 'react';

const FR_DAY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** "14/02/2026" → "2026-02-14", or null for anything that is not a real calendar day. */
export function parseFrDay(text: string): string | null {
  const m = FR_DAY.exec(text.trim());
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const toFr = (iso: string) => (iso ? iso.split('-').reverse().join('/') : '');

/** A day typed the French way (jj/mm/aaaa), whatever the browser's own date picker would show. */
export function DayField({ label, value, onChange }: { label: string; value: string; onChange: (iso: string) => void }) {
  const [text, setText] = useState(toFr(value));
  const [bad, setBad] = useState(false);
  const errorId = useId();
  return (
    <label className="day-field">
      {label}
      <input
        value={text}
        placeholder="jj/mm/aaaa"
        inputMode="numeric"
        aria-invalid={bad || undefined}
        aria-describedby={bad ? errorId : undefined}
        onChange={(e) => {
          setText(e.target.value);
          const iso = parseFrDay(e.target.value);
          if (iso || !e.target.value.trim()) setBad(false);
          onChange(iso ?? '');
        }}
        onBlur={() => setBad(!!text.trim() && !parseFrDay(text))}
      />
      {bad && (
        <span id={errorId} className="form-error">
          Date attendue au format jj/mm/aaaa.
        </span>
      )}
    </label>
  );
}
