const cpu = (f: () => unknown, label: string) => { const a = process.cpuUsage(); const r = f() as string; const b = process.cpuUsage(a); console.log(label.padEnd(12), 'cpu', ((b.user + b.system) / 1000).toFixed(0), 'ms', r.length); };
const N = 100000;
const id = 'a'.repeat(64);
const amt = (i: number) => String(i) + '.' + String(i % 100).padStart(2, '0');
for (let k = 0; k < 3; k++) {
cpu(() => { const lines: string[] = new Array(N); for (let i = 0; i < N; i++) { let l = `2025-01-01,expense,Item ${i},general,CNY,${amt(i)},Member 1`; for (let c = 0; c < 8; c++) l += `,${amt(i + c)}`; lines[i] = `${l},,,,${id}`; } return lines.join('\r\n'); }, 'concat');
cpu(() => { const lines: string[] = new Array(N); for (let i = 0; i < N; i++) { const cells = ['2025-01-01', 'expense', `Item ${i}`, 'general', 'CNY', amt(i), 'Member 1']; for (let c = 0; c < 8; c++) cells.push(amt(i + c)); cells.push('', '', '', id); lines[i] = cells.join(','); } return lines.join('\r\n'); }, 'row join');
cpu(() => { const out: string[] = []; for (let i = 0; i < N; i++) { out.push('2025-01-01', 'expense', `Item ${i}`, 'general', 'CNY', amt(i), 'Member 1'); for (let c = 0; c < 8; c++) out.push(amt(i + c)); out.push('', '', '', id + '\r\n'); } return out.join(','); }, 'flat push');
}
