import { useId } from 'react';

/** A labelled amount input as people type it (parsed later with parseAmount); editing clears the error. */
export function AmountField({
  label,
  value,
  onChange,
  invalid,
  testId,
}: {
  label: string;
  value: string;
  onChange: (text: string) => void;
  invalid: boolean;
  testId?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="amount"
        inputMode="decimal"
        value={value}
        data-testid={testId}
        aria-invalid={invalid ? true : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}
