import { describe, expect, it } from 'vitest';
import { AddressBudgets } from './address-budgets';
import { resolveLimits } from './config';

const limits = resolveLimits({
  messagesPerSecondPerIp: 10,
  sendBytesPerSecondPerIp: 1000,
  sendBurstBytesPerIp: 5000,
  sendBytesPerSecondPerPrefix: 2000,
});

describe('AddressBudgets', () => {
  it('counts messages per address across all its connections', () => {
    const budgets = new AddressBudgets(limits, () => 0);
    const fromA = Array.from({ length: 21 }, () => budgets.allowMessage('198.51.100.1'));
    expect(fromA.filter(Boolean)).toHaveLength(20); // burst = 2 × rate
    expect(budgets.allowMessage('198.51.100.2')).toBe(true);
  });

  it('makes an address wait once its replies cost more than its send budget', () => {
    let now = 0;
    const budgets = new AddressBudgets(limits, () => now);
    expect(budgets.sendWaitMs('198.51.100.1')).toBe(0);
    budgets.chargeSend('198.51.100.1', 8000); // 3000 over the 5000 burst
    expect(budgets.sendWaitMs('198.51.100.1')).toBe(3001);
    expect(budgets.sendWaitMs('203.0.113.9')).toBe(0);
    now += 3001;
    expect(budgets.sendWaitMs('198.51.100.1')).toBe(0);
  });

  it('shares one budget across the addresses of a network prefix', () => {
    const budgets = new AddressBudgets(limits, () => 0);
    // Prefix burst is 16 × 2000 = 32000: ten neighbours with 4000 each exhaust it together.
    for (let i = 1; i <= 10; i++) budgets.chargeSend(`198.51.100.${i}`, 4000);
    expect(budgets.sendWaitMs('198.51.100.77')).toBeGreaterThan(0);
    expect(budgets.sendWaitMs('198.51.101.1')).toBe(0);
  });
});
