/** A select over a few codes (currencies present in a view) with a first "none / all" option. */
export function CodeSelect({
  id,
  value,
  onChange,
  codes,
  emptyLabel,
  testId,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  codes: readonly string[];
  emptyLabel: string;
  testId?: string;
}) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      <option value="">{emptyLabel}</option>
      {codes.map((c) => (
        <option key={c} value={c}>
          {c}
        </option>
      ))}
    </select>
  );
}
