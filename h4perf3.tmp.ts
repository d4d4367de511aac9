import Papa from 'papaparse';
const cpu = (f: () => unknown, label: string) => { const a = process.cpuUsage(); f(); const b = process.cpuUsage(a); console.log(label, 'cpu', ((b.user + b.system) / 1000).toFixed(0), 'ms'); };
const rows = Array.from({ length: 100000 }, (_, i) => ['2025-01-01', 'expense', `desc ${i}, "q"`, 'general', 'CNY', '10.00', 'Member 1', '1.00', '2.00', '3.00', '', '', '', '', '', '', '', '', 'a'.repeat(64)]);
for (let k = 0; k < 2; k++) {
cpu(() => Papa.unparse(rows, { newline: '\r\n' }), 'papa default');
cpu(() => Papa.unparse(rows, { newline: '\r\n', quotes: true }), 'papa quotes:true');
const SPECIAL = /[",\r\n]|^ | $/;
const q = (s: string) => (SPECIAL.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
cpu(() => rows.map((r) => r.map(q).join(',')).join('\r\n'), 'own');
cpu(() => { let out = ''; for (const r of rows) { out += r.map(q).join(',') + '\r\n'; } return out; }, 'own concat');
}
